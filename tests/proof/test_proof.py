"""Proofs as a proofreader uses them: every question listed in front with its page and line,
noted in the margin of that page at that line; line numbers and the « ÉPREUVE » stamp on every page."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from datetime import date

import pikepdf
import pytest
from click.testing import CliRunner
from PIL import Image

from publisher.build import build_volume
from publisher.cli import main
from publisher.layout import PartCache
from publisher.proof import build_proof
from publisher.proof.geometry import geometry_of
from publisher.proof.sheets import MM, NOTES_MM

from ..conftest import MINIBOOK, VOLUME, Pdf, normalise

TODAY = date(2025, 1, 15)

PLANTED = {
    "alpha": "\n\nUne date à confirmer {>> Quelle année exactement ? <<} pour ce projet.\n",
    "beta": ("\n\nLe texte {++ ajouté ++} et {-- retiré --} puis {~~ ancien ~> nouveau ~~} avec le sigle ZORGL.\n\n"
             "Ajouter liens\n\nUne note sans source[^perdue]. Voir aussi (cf. Fiche 99 – Absente).\n"),
    "gamma": ("\n\nUn long paragraphe dont la question vient tard : " + "des mots pour remplir les lignes, " * 12 +
              "et enfin {== la date ==}{>> Laquelle au juste ? <<} du départ.\n"),
}
LATE = "Laquelle au juste ?"          # a mark on a paragraph's fifth line or so: placed there, not at its top
EXPECTED = {          # code → words of the question on the « Questions ouvertes » page, after its label
    "critic-comment": "Quelle année exactement ?",
    "critic-addition": "ajouté",
    "critic-deletion": "retiré",
    "critic-substitution": "ancien → nouveau",
    "undefined-acronym": "le sigle ZORGL n'est pas dans le glossaire",
    "placeholder": "texte d'attente « Ajouter liens »",
    "footnote-without-source": "l'appel de note [^perdue] n'a pas de définition",
    "broken-xref": "renvoi à la fiche 99",
}


def words(pdf_path, number: int) -> list[tuple[float, float, float, str]]:
    """(x, top, bottom, word) of each word on PDF page ``number``, as poppler reads it."""
    out = subprocess.run(["pdftotext", "-bbox", "-f", str(number), "-l", str(number), str(pdf_path), "-"],
                         check=True, capture_output=True, text=True).stdout
    return [(float(x), float(top), float(bottom), html.unescape(w)) for x, top, bottom, w in
            re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>', out)]


def margin_number_at(pdf_path, number: int, top: float, bottom: float) -> int:
    """The line number printed in the left margin beside the text between ``top`` and ``bottom``."""
    found = [w for w in words(pdf_path, number) if w[3].isdigit() and w[0] < 60
             and w[1] < bottom and w[2] > top]
    assert found, (number, top)
    return int(found[0][3])


@pytest.fixture(scope="module")
def planted_proof(tmp_path_factory):
    root = tmp_path_factory.mktemp("planted") / "book"
    shutil.copytree(MINIBOOK, root)
    for fiche, text in PLANTED.items():
        path = root / "fiches" / f"{fiche}.md"
        path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")
    out = root.parent / "epreuve.pdf"
    return build_proof(root, out, today=TODAY), Pdf(out)


def front_pages(pdf: Pdf) -> int:
    """Pages before the book's half-title: the questions, and a blank to keep rectos on the right."""
    return next(i for i, t in enumerate(pdf.text) if t.startswith("ÉPREUVE") and "Petit livre d’essai" in t
                and "Questions ouvertes" not in t)


def test_every_planted_question_is_listed_with_its_page_and_line(planted_proof):
    result, pdf = planted_proof
    by_code: dict = {}
    for q in result.questions:                 # the first of each kind: the planted ones of alpha and beta
        by_code.setdefault(q.code, q)
    assert set(EXPECTED) <= set(by_code)
    listing = " ".join(pdf.text[:front_pages(pdf)])
    assert listing.startswith("ÉPREUVE") and "Questions ouvertes" in listing
    for code, text in EXPECTED.items():
        q = by_code[code]
        assert q.page and q.line, code
        source = f"{q.location.path.split('/book/')[-1]}:{q.location.line}"
        row = f"{q.number} {q.page} {q.line} {source} {q.label} : {normalise(text)}"
        row = row.replace("'", "’")
        assert row in listing.replace("'", "’"), (code, row)


def test_every_question_is_a_note_on_its_page_beside_its_line(planted_proof):
    result, pdf = planted_proof
    offset = front_pages(pdf)
    for q in result.questions:
        if not q.page:
            continue
        page_text = pdf.text[q.page + offset - 1]
        assert f"{q.number} {q.label} :" in page_text, (q.code, q.page)
    # the comment's mark « [?] » stands on the numbered line the listing gives
    q = next(q for q in result.questions if q.code == "critic-comment")
    mark = next(w for w in words(pdf.path, q.page + offset) if w[3] == "[?]")
    assert margin_number_at(pdf.path, q.page + offset, mark[1], mark[2]) == q.line
    # and an addition's words on the line given for it
    q = next(q for q in result.questions if q.code == "critic-addition")
    added = next(w for w in words(pdf.path, q.page + offset) if w[3] == "ajouté")
    assert margin_number_at(pdf.path, q.page + offset, added[1], added[2]) == q.line


def test_a_mark_late_in_a_long_paragraph_is_placed_at_its_own_line(planted_proof):
    result, pdf = planted_proof
    offset = front_pages(pdf)
    q = next(q for q in result.questions if normalise(q.text) == normalise(LATE))
    here = words(pdf.path, q.page + offset)
    start = next(w for w in here if w[3] == "long")
    mark = [w for w in here if w[3] == "[?]"][-1]
    assert margin_number_at(pdf.path, q.page + offset, mark[1], mark[2]) == q.line
    assert q.line >= margin_number_at(pdf.path, q.page + offset, start[1], start[2]) + 3
    highlighted = next(q for q in result.questions if q.text == "la date")
    marked = words(pdf.path, highlighted.page + offset)
    la = next(marked[i - 1] for i, w in enumerate(marked) if w[3] == "date")       # where the marked words start
    assert margin_number_at(pdf.path, highlighted.page + offset, la[1], la[2]) == highlighted.line


def test_every_page_has_the_stamp_and_every_text_page_line_numbers(planted_proof):
    result, pdf = planted_proof
    offset = front_pages(pdf)
    for number, text in enumerate(pdf.text, start=1):
        if text:
            assert text.startswith("ÉPREUVE — 15 janvier 2025 — "), number
    for page in result.geometry.pages:
        number = page.number + offset
        margin = page.text_left * 72 / 96 - 2 * 72 / 25.4          # the line numbers stand left of this
        found = words(pdf.path, number)
        text_lines = {round(top) for x, top, _, w in found if x > margin and top > 40}
        numbers = [int(w) for x, top, _, w in sorted(found, key=lambda w: w[1]) if x < margin and w.isdigit()]
        if text_lines:
            assert numbers == list(range(1, len(page.lines) + 1)) and numbers, number


def test_proof_of_named_fiches(book_copy, tmp_path):
    out = tmp_path / "e.pdf"
    run = CliRunner().invoke(main, ["proof", str(book_copy), "beta", "-o", str(out)])
    assert run.exit_code == 0, run.output
    text = " ".join(Pdf(out).text)
    assert "2002 Beta" in text and "Alpha : une première fiche" not in text
    bad = CliRunner().invoke(main, ["proof", str(book_copy), "delta", "-o", str(out)])
    assert bad.exit_code == 1 and "pas de fiche « delta »" in bad.output


def red_pixels_beside(pdf_path, number: int, result, key: str, tmp_path) -> int:
    """Red pixels in the strip between the text and the notes, at the height of block ``key``."""
    tmp_path.mkdir()
    subprocess.run(["pdftoppm", "-png", "-r", "72", "-f", str(number), "-l", str(number), str(pdf_path),
                    str(tmp_path / "p")], check=True)
    image = Image.open(next(tmp_path.glob("p-*.png"))).convert("RGB")
    span = result.geometry.spans[key][0]
    page = result.geometry.pages[span.page - 1]
    px = 72 / 96
    red = 0
    for x in range(int(page.text_right * px) + 1, int((page.text_right + 7 * 96 / 25.4) * px)):
        for y in range(int(span.top * px), int(span.bottom * px)):
            r, g, b = image.getpixel((x, y))
            red += r > 150 and g < 90 and b < 90
    return red


def test_changes_since_an_earlier_proof(book_copy, tmp_path):
    first = build_proof(book_copy, tmp_path / "v1.pdf", today=TODAY)
    assert first.changes is None and (tmp_path / "v1.json").is_file()
    gamma = book_copy / "fiches" / "gamma.md"
    gamma.write_text(gamma.read_text(encoding="utf-8").replace("Dernier appel", "Tout dernier appel"), encoding="utf-8")
    second = build_proof(book_copy, tmp_path / "v2.pdf", since=str(tmp_path / "v1.json"), today=TODAY)
    assert second.changes.fiches == (("Gamma et ses listes", "modifiée"),)
    [key] = second.changes.keys
    line = gamma.read_text(encoding="utf-8").splitlines().index(next(
        t for t in gamma.read_text(encoding="utf-8").splitlines() if t.startswith("Paragraphe gamma"))) + 1
    assert key.endswith(f"gamma.md:{line}")
    pdf = Pdf(tmp_path / "v2.pdf")
    offset = front_pages(pdf)
    assert "modifiée Gamma et ses listes" in " ".join(pdf.text[:offset])
    # a bar beside the changed paragraph, none beside the unchanged ones
    changed = second.geometry.spans[key][0]
    assert red_pixels_beside(pdf.path, changed.page + offset, second, key, tmp_path / "a") > 20
    alpha = next(k for k in second.geometry.spans if k.endswith("alpha.md:11"))
    assert red_pixels_beside(pdf.path, second.geometry.spans[alpha][0].page + offset, second, alpha, tmp_path / "b") == 0


def test_changes_since_a_git_revision(book_copy, tmp_path):
    def git(*args):
        subprocess.run(["git", "-C", str(book_copy), *args], check=True, capture_output=True)

    git("init", "-q")
    git("add", ".")
    git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "v1")
    beta = book_copy / "fiches" / "beta.md"
    beta.write_text(beta.read_text(encoding="utf-8").replace("Un seul paragraphe", "Un unique paragraphe"),
                    encoding="utf-8")
    result = build_proof(book_copy, tmp_path / "e.pdf", since="HEAD", today=TODAY)
    assert result.changes.fiches == (("Beta", "modifiée"),)
    pdf = Pdf(tmp_path / "e.pdf")
    assert "version" in pdf.text[0] and "+modifiée" in pdf.text[0]
    bad = CliRunner().invoke(main, ["proof", str(book_copy), "--since", "pas-une-revision", "-o", str(tmp_path / "x.pdf")])
    assert bad.exit_code == 1 and "[bad-since]" in bad.output


def test_the_real_volume_proof(tmp_path):
    root = shutil.copytree(VOLUME, tmp_path / "book")         # a proof keeps its map in the book: not the fixture's
    result = build_proof(root, tmp_path / "epreuve.pdf", today=TODAY)
    codes = [q.code for q in result.questions]
    assert codes.count("critic-comment") == 5
    assert codes.count("duplicate-passage") == 4 and codes.count("broken-xref") == 2
    in_fiches = [q for q in result.questions if "/fiches/" in q.location.path]
    assert len(in_fiches) > 10 and all(q.page and q.line for q in in_fiches)
    # the paragraphs with a cross-reference (« voir p. N ») or a link to another fiche are the breaker's, not
    # left to WeasyPrint's line breaking; what is left is told at its line
    left = [q for q in result.questions if q.code == "line-breaking-left"]
    assert all(q.page and q.line for q in left)
    for fiche, words in (("2016-du-parcours-d-accueil-au-parcours.md", "(cf. Fiche 38"),
                         ("2009-un-travail-en-reseau-pour-accompagner.md", "[plus loin](fiche:")):
        line = next(n for n, text in enumerate((root / "fiches" / fiche).read_text(encoding="utf-8").split("\n"),
                                               start=1) if words in text)
        assert not any(str(q.location).endswith(f"{fiche}:{line}") for q in left), (fiche, line)


def test_watch_makes_the_proof_again_after_an_edit_laying_out_only_that_fiche(book_copy, tmp_path):
    from publisher.build import prepare
    from publisher.layout.parts import EACH_FICHE, cut
    from publisher.proof.watch import watch

    out = tmp_path / "epreuve.pdf"
    made = []

    def report(result, seconds):
        made.append(result)
        if len(made) == 1:                       # the editor saves a fiche
            fiche = book_copy / "fiches" / "beta.md"
            fiche.write_text(fiche.read_text(encoding="utf-8") + "\n\nUne phrase ajoutée pendant la relecture.\n",
                             encoding="utf-8")

    watch(book_copy, out, (), None, report, keep_going=lambda: len(made) < 2)
    first, second = made
    parts = cut(prepare(book_copy)[0], EACH_FICHE)
    assert len(parts) == 4 and first.laid_out >= 4          # the front matter, one part per fiche
    assert second.laid_out == 1                   # beta's part only: it kept its page count
    assert "Une phrase ajoutée pendant la relecture." in " ".join(Pdf(out).text)


def test_margin_notes_stay_on_their_page_however_many_questions_it_has():
    """Notes pushed down by the ones above them come back up from the page's foot; more than the column
    holds: the first ones, then one line that says how many more (the front list has them all)."""
    from publisher.model import SourceLocation
    from publisher.proof.geometry import PageGeometry
    from publisher.proof.questions import Question
    from publisher.proof.sheets import EDGE, notes

    page = PageGeometry(12, 800, 900, 80, 500, ())
    said = "phrase répétée : « Le Centre d’action interculturelle accompagne les personnes étrangères… »"
    for count in (3, 12, 40):
        questions = [Question(SourceLocation("fiches/x.md", n), "Avertissement", said, "repeated", number=n,
                              page=12, top=860 - 40 + n) for n in range(1, count + 1)]          # all near the foot
        marks = notes(page, questions)
        assert all(EDGE <= m.top and m.top + m.height <= 900 - EDGE for m in marks), count
        assert all(a.top + a.height < b.top for a, b in zip(marks, marks[1:])), count         # none on another
        numbered = [m.number for m in marks if m.number]
        assert numbered == list(range(1, len(numbered) + 1))
        if len(numbered) < count:
            assert marks[-1].text.startswith(f"… et {count - len(numbered)} autres questions sur cette page")
        assert (len(numbered) < count) == (count == 40)          # 12 fit in the column, 40 do not


def test_a_proof_after_the_volume_lays_out_only_what_differs_on_the_volumes_own_lines(tmp_path):
    """``make book``, then ``publisher proof``: the proof's pages come from the volume's layout — only its front
    matter (the proof's date) and a fiche with an editor's comment (a mark « [?] » in a proof) are laid out —, and
    every other page has the volume's lines, at the same heights, under the same folio; cut to the page, a column
    for the notes added on the right."""
    root = tmp_path / "book"
    shutil.copytree(MINIBOOK, root)
    beta = root / "fiches" / "beta.md"
    beta.write_text(beta.read_text(encoding="utf-8") + "\n\nUne date {>> laquelle ? <<} à vérifier.\n",
                    encoding="utf-8")
    volume = build_volume(root, tmp_path / "build" / "volume.pdf", today=TODAY, allow_open_questions=True)
    proof = build_proof(root, tmp_path / "build" / "epreuve.pdf", today=TODAY)
    assert proof.laid_out == 2
    commented = {page.number for page in volume.paginated.pages
                 if any("beta.md" in line.source for line in page.lines)}
    printed = {page.number: page for page in geometry_of(volume.paginated.pages).pages}   # the lines counted
    assert commented and len(commented) < len(printed) - 4
    assert [p.number for p in proof.geometry.pages] == sorted(printed)
    for page in proof.geometry.pages:
        if page.number not in commented:
            assert page.lines == printed[page.number].lines, page.number

    pdf, printed_pdf = pikepdf.open(proof.output), pikepdf.open(volume.output)
    trim = [float(v) for v in printed_pdf.pages[0].TrimBox]
    for page in pdf.pages[len(pdf.pages) - len(printed):]:          # the book's, after the questions
        assert [round(float(v), 2) for v in page.MediaBox] == [0, 0, round(trim[2] + NOTES_MM * MM * 0.75, 2),
                                                                round(trim[3], 2)]
        assert "/TrimBox" not in page.obj and "/BleedBox" not in page.obj


def test_a_volume_made_after_the_desks_proof_lays_out_only_its_front_matter(tmp_path, minibook):
    """The desk's proof is laid out all day as the editors save; a volume asked of the desk reads its cache."""
    root = tmp_path / "book"
    shutil.copytree(MINIBOOK, root)
    shown = tmp_path / "bureau" / "epreuve.pdf"
    cache = PartCache.of(shown)
    build_proof(root, shown, today=TODAY, cache=cache)
    cache.save()
    volume = build_volume(root, tmp_path / "travaux" / "volume.pdf", today=TODAY, allow_open_questions=True,
                          also=(shown,))
    alone, alone_pdf = minibook                                     # the same book, laid out without the proof
    assert sum(volume.paginated.layouts) == 1 < sum(alone.paginated.layouts)
    assert Pdf(volume.output).text == alone_pdf.text


def test_a_proof_of_named_fiches_after_the_volume_lays_out_none_of_the_others(tmp_path, monkeypatch):
    """« voir p. N du volume » of a fiche left out: its page from the volume's layout, in the cache after make book."""
    from publisher.layout import parts

    root = tmp_path / "book"
    shutil.copytree(MINIBOOK, root)
    alpha = root / "fiches" / "alpha.md"
    alpha.write_text(alpha.read_text(encoding="utf-8") + "\n\nLa suite est ailleurs (cf. Fiche 2 – Beta).\n",
                     encoding="utf-8")
    build_volume(root, tmp_path / "build" / "volume.pdf", allow_open_questions=True)
    laid: list[str] = []
    took = parts.Layout.took

    def told(layout, i, part, fresh):
        if fresh and i >= 0:
            laid.append(parts.name_of(layout.parts[i]))
        took(layout, i, part, fresh)
    monkeypatch.setattr(parts.Layout, "took", told)
    proof = build_proof(root, tmp_path / "build" / "epreuve.pdf", ("alpha",))
    assert "du volume" in normalise(" ".join(Pdf(proof.output).text))
    assert not {"beta", "gamma"} & set(laid), laid

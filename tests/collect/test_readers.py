"""Annotations made by the code real PDF readers run (readers/: MuPDF, poppler, pdf.js), on a real proof: each on
its fiche and line with exactly the covered words, applied once, whatever the names readers give them."""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import pikepdf
import pytest
from click.testing import CliRunner

from publisher.build import prepare
from publisher.cli import main
from publisher.collect import collect
from publisher.model import Critic
from publisher.proof import build_proof
from publisher.tree import all_runs

from ..conftest import VOLUME
from .annotate import find, page_and_line, words
from .conftest import FICHES, PARCOURS, UKRAINE, line_of
from .readers import mupdf, pdfjs, poppler, tally

# Words on six pages of the proof, each printed once; one across a line break.
CLAIRE = [
    mupdf.Mark("highlight", "impact important sur", "Lequel ?"),
    mupdf.Mark("highlight", "parcours d’accueil. Une", "Le nom exact ?"),
    mupdf.Mark("strikeout", "nouveau fonctionnement"),
    mupdf.Mark("highlight", "de nouvelles modifications", "Lesquelles ?"),
    mupdf.Mark("underline", "de l’Ukraine, mais", "Virgule ?"),
    mupdf.Mark("highlight", "pour ce nouveau public", "Lequel ?"),
]
PAUL = [
    mupdf.Mark("highlight", "impact important sur", "D’accord avec Claire"),
    mupdf.Mark("note", "pour ce nouveau public", "Date à vérifier"),
    mupdf.Mark("highlight", "les Initiatives locales", "Majuscule ?"),
    mupdf.Mark("strikeout", "nouveau fonctionnement", "Inutile"),
    mupdf.Mark("highlight", "nouvelles modifications", "Combien ?"),          # inside Claire's words
]


def where(root, f) -> tuple[str, int, str]:
    return f.location.path.rpartition("book/")[2], f.location.line, f.place.covered


def expected(root, marks) -> set[tuple[str, int, str]]:
    out = set()
    for mark in marks:
        fiche = PARCOURS if mark.words in (root / PARCOURS).read_text(encoding="utf-8").replace("\n", " ") else UKRAINE
        first = mark.words.split()[0] if mark.kind == "note" else mark.words
        out.add((fiche, line_of(root, fiche, first if mark.kind != "note" else mark.words),
                 "" if mark.kind == "note" else mark.words))
    return out


def names_by_page(copy) -> dict[int, list[str]]:
    with pikepdf.open(copy) as pdf:
        return {k: [str(a.NM) for a in page.obj.get("/Annots", []) if "/NM" in a] for k, page in enumerate(pdf.pages)
                if page.obj.get("/Annots")}


@pytest.fixture
def claire(book, tmp_path):
    root, out, _ = book
    return root, out, mupdf.annotate(out, tmp_path / "claire.pdf", "Claire Martin", CLAIRE)


def test_mupdf_names_repeat_on_every_page_and_every_annotation_is_read(claire):
    root, _, copy = claire
    names = names_by_page(copy)
    assert sum(ns.count("fitz-A0") for ns in names.values()) >= 4        # every page's first annotation
    found = collect([copy], root)
    assert len(found.findings) == len(CLAIRE)
    assert {where(root, f) for f in found.findings} == expected(root, CLAIRE)
    assert {f.annotation.text for f in found.findings} == {m.text for m in CLAIRE}
    assert all(f.annotation.author == "Claire Martin" for f in found.findings)


def test_each_is_applied_once(claire):
    root, _, copy = claire
    run = lambda: CliRunner().invoke(main, ["collect", str(copy), "--book", str(root), "--apply"],  # noqa: E731
                                     catch_exceptions=False)
    first = run()
    assert first.exit_code == 0, first.output
    text = (root / PARCOURS).read_text(encoding="utf-8") + (root / UKRAINE).read_text(encoding="utf-8")
    for mark in CLAIRE:
        if mark.kind == "strikeout":
            assert f"{{-- {mark.words} --}}" in text
        else:
            assert f"{{== {mark.words} ==}}{{>> {mark.text} — Claire Martin <<}}" in text, mark.words
    before = {p: (root / p).read_bytes() for p in (PARCOURS, UKRAINE)}
    second = run()
    assert second.output.count("[annotation-applied-already]") == len(CLAIRE)
    assert {p: (root / p).read_bytes() for p in (PARCOURS, UKRAINE)} == before


def test_two_reviewers_with_the_same_reader_and_a_copy_given_twice(claire, tmp_path):
    root, out, copy = claire
    paul = mupdf.annotate(out, tmp_path / "paul.pdf", "Paul Simon", PAUL)
    assert set(names_by_page(paul)) & set(names_by_page(copy))              # the same names on the same pages
    shutil.copyfile(copy, tmp_path / "claire-encore.pdf")                   # passed on under another name
    found = collect([copy, paul, copy, tmp_path / "claire-encore.pdf"], root)
    assert len(found.findings) == len(CLAIRE) + len(PAUL)
    assert {where(root, f) for f in found.findings if f.annotation.author == "Paul Simon"} == expected(root, PAUL)


def test_a_new_proofs_annotations_are_never_taken_for_old_ones(claire, tmp_path):
    root, _, copy = claire
    applied = CliRunner().invoke(main, ["collect", str(copy), "--book", str(root), "--apply"], catch_exceptions=False)
    assert applied.exit_code == 0, applied.output
    again = tmp_path / "epreuve-2.pdf"
    build_proof(root, again, fiches=FICHES, today=date(2026, 11, 27))
    second = mupdf.annotate(again, tmp_path / "claire-2.pdf", "Claire Martin",
                            [mupdf.Mark("highlight", "les délais impartis", "Et aussi ?")])
    assert names_by_page(second)                                            # « fitz-A0 » again, on its page
    result = CliRunner().invoke(main, ["collect", str(second), "--book", str(root), "--apply"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "[annotation-applied-already]" not in result.output
    both = (root / PARCOURS).read_text(encoding="utf-8") + (root / UKRAINE).read_text(encoding="utf-8")
    assert "{== les délais impartis ==}{>> Et aussi ? — Claire Martin <<}" in both


def test_two_reviewers_on_the_same_words_make_one_mark_and_check_reads_it_back(claire, tmp_path):
    root, out, copy = claire
    paul = mupdf.annotate(out, tmp_path / "paul.pdf", "Paul Simon", PAUL)
    before = codes_of(root)
    result = CliRunner().invoke(main, ["collect", str(copy), str(paul), "--book", str(root), "--apply"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    text = (root / PARCOURS).read_text(encoding="utf-8")
    assert ("{== impact important sur ==}{>> Lequel ? — Claire Martin <<}{>> D’accord avec Claire — Paul Simon <<}"
            in text)
    assert "{-- nouveau fonctionnement --}{>> Inutile — Paul Simon <<}" in text          # two strike-outs: one
    folio, number = page_and_line(words(out), find(words(out), "nouvelles modifications"))
    line = next(row for row in text.split("\n") if "nouvelles modifications" in row)  # words partly marked already:
    assert "{== de nouvelles modifications ==}{>> Lesquelles ? — Claire Martin <<}" in line and \
        line.endswith(f"« Combien ? » sur « nouvelles modifications » — Paul Simon, p. {folio} l. {number}] <<}}")
    book_now, _ = prepare(root)
    runs = [r for f in book_now.fiches if f.id in FICHES for r in all_runs(f) if isinstance(r, Critic)]
    assert len(runs) >= len(CLAIRE) + len(PAUL)
    assert not [r for r in runs if any(m in r.text + r.replacement for m in ("{", "}", "<<", ">>", "=="))]
    after = codes_of(root)                     # the marks are open questions, and nothing else
    assert set(after) - {"editorial-note"} == set(before) - {"editorial-note"}
    assert after.count("editorial-note") == len(runs)                      # one question per mark, each read whole


def codes_of(root) -> list[str]:
    _, diagnostics = prepare(root)
    return sorted(d.code for d in diagnostics if d.location.path.endswith((PARCOURS, UKRAINE)))


NOTE_LINE = "29 septembre 2022 – Arrêté"                # the line of the note « [^1]: … »


def test_a_note_at_the_foot_of_the_page_is_its_definitions_line(book, tmp_path):
    """Words of a footnote are on the line of the note's definition, « [^1]: … », and marked there, its
    « [^1]: » untouched; a word inserted at a list item's start goes after its number."""
    root, out, _ = book
    copy = mupdf.annotate(out, tmp_path / "zoe.pdf", "Zoé Lambert", [
        mupdf.Mark("highlight", "Arrêté du Gouvernement wallon", "Lequel exactement ?"),
        mupdf.Mark("caret", "Une approche collective", "D’abord,"),
    ])
    found = collect([copy], root)
    assert {where(root, f) for f in found.findings} == {
        (UKRAINE, line_of(root, UKRAINE, NOTE_LINE), "Arrêté du Gouvernement wallon"),
        (UKRAINE, line_of(root, UKRAINE, "1. Une approche collective"), "")}
    before = prepare(root)[0]
    result = CliRunner().invoke(main, ["collect", str(copy), "--book", str(root), "--apply"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    lines = (root / UKRAINE).read_text(encoding="utf-8").split("\n")
    note = next(row for row in lines if row.startswith("[^1]: "))
    assert "{== Arrêté du Gouvernement wallon ==}{>> Lequel exactement ? — Zoé Lambert <<}" in note
    assert any(row.startswith("1. {++ D’abord, ++} Une approche collective") for row in lines)
    after = prepare(root)[0]
    ukraine = [next(f for f in b.fiches if f.id == FICHES[1]) for b in (before, after)]
    assert [len(f.footnotes) for f in ukraine] == [1, 1] and [len(f.blocks) for f in ukraine] == [len(ukraine[0].blocks)] * 2
    assert any(isinstance(r, Critic) and r.op == "highlight" for r in all_runs(ukraine[1]))


ENGAGEMENTS, SOLIDARITE = "fiches/2014-engagements-croises.md", "fiches/2018-la-solidarite-citoyenne-et-associative-s.md"


@pytest.fixture(scope="module")
def figures(tmp_path_factory):
    """A proof of two fiches with a figure each, whose images are missing (« Image à fournir »): one with its
    captions, the other's caption taken away."""
    root = shutil.copytree(VOLUME, tmp_path_factory.mktemp("figures") / "book")
    path = root / ENGAGEMENTS
    text = path.read_text(encoding="utf-8")
    caption = text.split("::: figure\n", 1)[1].split("\n:::", 1)[0].split("\n\n", 1)[1]
    path.write_text(text.replace("\n\n" + caption + "\n:::", "\n:::"), encoding="utf-8")
    out = root.parent / "epreuve.pdf"
    build_proof(root, out, fiches=(Path(ENGAGEMENTS).stem, Path(SOLIDARITE).stem), today=date(2026, 11, 20))
    return root, out


def test_a_caption_and_an_image_frame_are_the_captions_lines_and_a_figure_stays_one(figures, tmp_path):
    source, out = figures
    root = shutil.copytree(source, tmp_path / "book")
    copy = mupdf.annotate(out, tmp_path / "zoe.pdf", "Zoé Lambert", [
        mupdf.Mark("highlight", "Brochure CAI", "Quelle année ?"),
        mupdf.Mark("note", "Image à fournir : Migrants en transit", "Photo à demander", nth=0),
        mupdf.Mark("note", "Image à fournir : Couv Batisseurs Inter", "Couverture à scanner"),
    ])
    found = collect([copy], root)
    caption = line_of(root, SOLIDARITE, "Brochure CAI")
    assert {where(root, f) for f in found.findings} == {
        (SOLIDARITE, caption, "Brochure CAI"), (SOLIDARITE, caption, ""),
        (ENGAGEMENTS, line_of(root, ENGAGEMENTS, "::: figure"), "")}     # no caption: the figure's line
    result = CliRunner().invoke(main, ["collect", str(copy), "--book", str(root), "--apply"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    solidarite = (root / SOLIDARITE).read_text(encoding="utf-8")
    assert "{== Brochure CAI ==}{>> Quelle année ? — Zoé Lambert <<}" in solidarite
    assert "{>> Photo à demander — Zoé Lambert <<}" in solidarite.split("::: figure", 1)[1].split("\n:::", 1)[0]
    engagements = (root / ENGAGEMENTS).read_text(encoding="utf-8")
    assert "\n:::\n\n{>> [« Couverture à scanner »" in engagements             # after the figure, a paragraph
    book_now, diagnostics = prepare(root)
    assert not [d for d in diagnostics if d.code in ("inline-image", "figure-without-image", "unsupported-markdown")]
    for name in (ENGAGEMENTS, SOLIDARITE):
        fiche = next(f for f in book_now.fiches if f.id == Path(name).stem)
        assert [b.kind for b in fiche.blocks].count("figure") == 1


def test_a_drag_that_starts_past_a_narrow_first_letters_middle_still_covers_the_word(book, tmp_path):
    """The reader leaves the « i » of « informatisée » out of its box (the drag started past its middle):
    one letter of a word left out is taken back; the reviewer who marks part of a word keeps it."""
    root, out, _ = book
    copy = mupdf.annotate(out, tmp_path / "paul.pdf", "Paul Simon", [
        mupdf.Mark("highlight", "informatisée", "Numérique ?", inside=0.8),
        mupdf.Mark("highlight", "locales de développement", "Majuscules ?", inside=0.8),
        mupdf.Mark("strikeout", "nouveau fonctionnement"),
    ])
    import pymupdf

    with pymupdf.open(copy) as doc:            # the boxes MuPDF drew start past the first letter's middle
        for words in ("informatisée", "locales de développement"):
            number, chars = mupdf.located(doc, mupdf.Mark("highlight", words))
            starts = [a.vertices[0][0] for a in doc[number].annots() if a.info["title"] == "Paul Simon"
                      and abs(a.vertices[0][1] - chars[0].box.y0) < 8]
            assert starts and starts[0] > (chars[0].box.x0 + chars[0].box.x1) / 2, (words, starts, chars[0].box)
    found = collect([copy], root)
    assert sorted(f.place.covered for f in found.findings) == ["informatisée", "locales de développement",
                                                                "nouveau fonctionnement"]
    result = CliRunner().invoke(main, ["collect", str(copy), "--book", str(root), "--apply"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    text = (root / PARCOURS).read_text(encoding="utf-8")
    assert "{== informatisée ==}{>> Numérique ? — Paul Simon <<}" in text
    assert "{== locales de développement ==}{>> Majuscules ? — Paul Simon <<}" in text


def test_words_the_pipeline_printed_are_the_source_words_they_came_from(book, tmp_path):
    """« centres publics d’action sociale (CPAS) » is printed for « CPAS », « (voir p. N) » for
    « (cf. Fiche 38 – … ) »: a highlight on them marks those source words, not the paragraph's end."""
    import re

    import pymupdf

    root, out, _ = book
    expansion = "centres publics d’action sociale (CPAS)".split()
    with pymupdf.open(out) as doc:
        xref = next(m.group(0) for page in doc for m in re.finditer(r"voir p\. \d+", page.get_text()))
        there = next(" ".join(page.get_text().split()) for page in doc if "(CPAS)" in page.get_text())
    on_its_page = next(" ".join(expansion[k:]) for k in range(len(expansion)) if " ".join(expansion[k:]) in there)
    copy = mupdf.annotate(out, tmp_path / "zoe.pdf", "Zoé Lambert", [
        mupdf.Mark("highlight", on_its_page, "Lesquels ?"),      # as much of it as its page has (a page may cut it)
        mupdf.Mark("highlight", xref, "Le bon renvoi ?"),
    ])
    result = CliRunner().invoke(main, ["collect", str(copy), "--book", str(root), "--apply"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "[annotation-at-line-end]" not in result.output
    ukraine, parcours = ((root / name).read_text(encoding="utf-8") for name in (UKRAINE, PARCOURS))
    assert "avec les {== CPAS ==}{>> Lesquels ? — Zoé Lambert <<} et les PCS" in ukraine
    assert ("(cf. {== Fiche 38 – Modification Code nationalité ==}{>> Le bon renvoi ? — Zoé Lambert <<})" in parcours
            or "({== cf. Fiche 38 – Modification Code nationalité ==}{>> Le bon renvoi ? — Zoé Lambert <<})" in parcours)


READERS = {"mupdf": mupdf, "poppler": poppler, "pdfjs": pdfjs}


@pytest.fixture(scope="module")
def three(tmp_path_factory):
    """A proof of the three fiches the readers' marks aim at (tally.MARKS): a chapeau, a hyphenated word,
    a footnote, an expanded acronym, a list item, a caption…"""
    return tally.proof_of(tmp_path_factory.mktemp("three"))


@pytest.mark.parametrize("name", sorted(READERS))
def test_each_reader_lands_every_annotation_on_its_words_and_applies_it_cleanly(name, three, tmp_path):
    source, out = three
    assert "(CPAS)" in [w.text for w in words(out)]                                       # as aimed
    root = shutil.copytree(source, tmp_path / "book")
    reader = READERS[name]
    asked = tally.made_by(reader, tally.marks_on(out, source))                          # what this reader makes
    said = getattr(reader, "COMMENTS", True)                                            # pdf.js: a bare highlight
    marks = [reader.Mark(a.kind, a.words, a.text) for a in asked]
    copy = reader.annotate(out, tmp_path / f"{name}.pdf", "Anne Dupont", marks)
    found = collect([copy], root)
    assert len(found.findings) == len(asked)
    got = {(f.location.path.rpartition("book/")[2], f.location.line, f.place.covered.rstrip(")")) for f in found.findings}
    assert got == {(a.fiche, line_of(root, a.fiche, a.line), "" if a.kind == "note" else a.words.rstrip(")"))
                   for a in asked}                                              # the printed words, exactly
    result = CliRunner().invoke(main, ["collect", str(copy), "--book", str(root), "--apply"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "[annotation-at-line-end]" not in result.output
    text = "".join((root / fiche).read_text(encoding="utf-8") for fiche in {a.fiche for a in asked})
    who = " — Anne Dupont" if said else ""
    for a in asked:
        if a.kind == "strikeout":
            assert f"{{-- {a.covers} --}}" in text
        elif a.kind == "highlight":
            assert f"{{== {a.covers} ==}}" + (f"{{>> {a.text}{who} <<}}" if said else "") in text, a.covers
        else:
            assert f"{{>> {a.text}{who} <<}}" in text
    aimed = {Path(a.fiche).stem for a in asked}
    runs, there = ([r for f in prepare(book)[0].fiches if f.id in aimed for r in all_runs(f) if isinstance(r, Critic)]
                   for book in (root, source))
    marks_made = sum(2 if a.kind == "highlight" and said else 1 for a in asked)   # a highlight and its comment
    assert len(runs) - len(there) == marks_made and not [r for r in runs if "{" in r.text or "<<" in r.text]


def test_three_readers_on_the_same_words_make_one_mark(book, tmp_path):
    """Three proofreaders, three readers (SumatraPDF, Evince, Firefox), the same words: one highlight, then
    each one's comment in turn (Firefox's highlight says nothing)."""
    root, out, _ = book
    copies = [mupdf.annotate(out, tmp_path / "claire.pdf", "Claire Martin",
                             [mupdf.Mark("highlight", "impact important sur", "Lequel ?")]),
              poppler.annotate(out, tmp_path / "paul.pdf", "Paul Simon",
                               [poppler.Mark("highlight", "impact important sur", "Pourquoi « important » ?")]),
              pdfjs.annotate(out, tmp_path / "zoe.pdf", "Zoé Lambert", [pdfjs.Mark("highlight", "impact important sur")])]
    found = collect(copies, root)
    assert [(f.place.covered, f.location.line) for f in found.findings] == \
        [("impact important sur", line_of(root, PARCOURS, "impact important sur"))] * 3
    result = CliRunner().invoke(main, ["collect", *map(str, copies), "--book", str(root), "--apply"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    text = (root / PARCOURS).read_text(encoding="utf-8")
    assert text.count("impact important sur") == 1
    assert ("{== impact important sur ==}{>> Lequel ? — Claire Martin <<}{>> Pourquoi « important » ? — Paul Simon <<}"
            in text)


def test_a_running_head_the_contents_and_a_folio_are_outside_the_text_with_their_page(book, tmp_path):
    """What the book prints around the fiches (its running heads, folios, contents) maps to no source line:
    said « hors du texte » with its page, never written into a fiche."""
    import pymupdf

    root, out, _ = book
    title = "40 ans d’action interculturelle en province de Namur"
    with pymupdf.open(out) as doc:
        printed = [k for k, page in enumerate(doc) for _ in range(page.get_text().count(title))]
        head_page = printed[-1]                          # the title page comes first; the last is a running head
    copy = mupdf.annotate(out, tmp_path / "zoe.pdf", "Zoé Lambert", [
        mupdf.Mark("highlight", title, "Titre courant ?", nth=len(printed) - 1),
        mupdf.Mark("highlight", "Glossaire des sigles", "Sommaire ?"),
    ])
    with pymupdf.open(copy) as doc:                      # a note on the folio: the lowest number of the page
        page = doc[head_page]
        folio = max((w for w in page.get_text("words") if w[4].isdigit()), key=lambda w: w[3])
        page.add_text_annot(pymupdf.Point(folio[0], folio[1]), "Folio ?").set_info(title="Zoé Lambert",
                                                                                    content="Folio ?")
        doc.save(tmp_path / "zoe-folio.pdf", garbage=1, deflate=True)
    found = collect([tmp_path / "zoe-folio.pdf"], root)
    assert sorted(f.annotation.text for f in found.findings) == ["Folio ?", "Sommaire ?", "Titre courant ?"]
    for f in found.findings:
        said = f.diagnostic()
        assert said.code == "annotation-outside" and "hors du texte" in said.message, said.format()
        assert re.search(r", p\. \d+", said.message), said.format()
    folio_said = next(f.diagnostic().message for f in found.findings if f.annotation.text == "Folio ?")
    assert re.search(rf"p\. {folio[4]}\b", folio_said), folio_said
    before = {p: (root / p).read_bytes() for p in (PARCOURS, UKRAINE)}
    result = CliRunner().invoke(main, ["collect", str(tmp_path / "zoe-folio.pdf"), "--book", str(root), "--apply"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert result.output.count("[annotation-not-applied]") == 3
    assert {p: (root / p).read_bytes() for p in (PARCOURS, UKRAINE)} == before

"""A proof is the volume's pages: laid out once for both, each character's place read from the PDF as a
PDF reader finds it."""

from __future__ import annotations

import io
import shutil
from datetime import date

import pikepdf
import pytest

from publisher.build import build_volume, prepare
from publisher.layout.paginate import paginate
from publisher.proof import build_proof
from publisher.proof.geometry import geometry_of
from publisher.proof.glyphs import characters, with_lefts
from publisher.proof.sheets import MM, NOTES_MM
from publisher.render.html import render_html, render_page_css

from ..conftest import MINIBOOK
from .pango import runs_of

TODAY = date(2025, 1, 15)
# what a line may hold besides plain words: ligatures, no-break and narrow no-break spaces, a date range (its
# word joiner has no glyph), italics, figures, an address cut where it may (zero-width spaces), a footnote's call
VARIED = ("\n\nLes affiches, les flyers et l’officialisation : « efficace » ; vraiment ? Oui ! De 2015-2016 "
          "à 1984-1985, *une période* **décisive** pour 45 % des 1 200 bénévoles, voir https://www.cai-namur.be/"
          "publications/rapports-annuels/2016 et le rapport[^v] d’activité.\n\n[^v]: Rapport annuel, 2016.\n")


@pytest.fixture(scope="module")
def varied(tmp_path_factory):
    root = tmp_path_factory.mktemp("varied") / "book"
    shutil.copytree(MINIBOOK, root)
    for name in ("alpha", "gamma"):
        path = root / "fiches" / f"{name}.md"
        path.write_text(path.read_text(encoding="utf-8") + VARIED, encoding="utf-8")
    return root


def test_each_characters_place_read_from_the_pdf_is_where_pango_put_it(varied):
    """The places a proof's map keeps for ``publisher collect``, read from the PDF (no layout keeps them), are
    those of the layout: every run of every line found, every character but a stretched space where Pango put
    it, to the rounding of the kerning WeasyPrint writes."""
    book, _ = prepare(varied)
    paginated = paginate(render_html(book, today=TODAY, proof=True), render_page_css(book), book.root)
    pages = with_lefts(pikepdf.open(io.BytesIO(paginated.pdf_bytes())), paginated.pages)
    pango = runs_of(paginated.document)
    checked, far, missing = 0, [], []
    for page, placed in zip(pages, pango):
        for line in page.lines:
            for left, _, text, lefts in (line.fragments if line.text and not line.margin else ()):
                if not text.strip():
                    continue
                if len(lefts) != len(text):
                    missing.append((page.number, text))
                    continue
                for char, got, wanted in zip(text, lefts, placed[(left, text)]):
                    if not char.isspace():      # a justified space: Pango's caret at the word's end, its glyph after
                        checked += 1
                        if abs(got - wanted) > 0.3:
                            far.append((page.number, text, char, got, wanted))
    assert not missing and not far, (missing[:5], far[:5])
    every = "".join(text for page in pages for line in page.lines for _, _, text, _ in line.fragments)
    assert checked > 5000 and all(c in every for c in "\u202f\u00a0\u2060\u200b"), checked


def test_glyphs_tell_their_characters_ligatures_and_glyphless_characters_included():
    assert characters(((10.0, "a"), (15.0, "fi"), (25.0, "n")), 30.0, "afin", 10.0) == (0, 5, 10, 15)
    assert characters(((0.0, "a"), (5.0, "fi")), 15.0, "afi", 0.0) == (0, 5, 10)
    assert characters(((0.0, "2"), (5.0, "–"), (9.0, "2")), 14.0, "2–\u20602", 0.0) == (0, 5, 9, 9)
    assert characters(((0.0, " "),), 6.5, " \u200b", 0.0) == (0, 6.5)    # glyphless at the end: where it ends
    assert characters(((0.0, "a"), (5.0, " ")), 9.0, "a", 0.0) == (0,)     # the line's last space, drawn
    assert characters(((0.0, "a"), (5.0, "b")), 9.0, "abc", 0.0) == ()     # glyphs that do not tell the text


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

"""Each character's place on a proof's page, read from the PDF as a PDF reader finds it (the layout, shared with the
volume, does not keep it)."""

from __future__ import annotations

import io
import shutil
from datetime import date

import pikepdf
import pytest

from publisher.build import prepare
from publisher.layout.paginate import paginate
from publisher.memo import SPREAD_FROM, Memo
from publisher.proof.glyphs import characters, with_lefts
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


def test_a_long_books_pages_read_side_by_side_are_read_as_one_by_one(volume):
    """A proof made once reads its pages in several processes (memo.Spread), a warm process one by one,
    remembering them: the same places either way."""
    result, _ = volume
    pdf = pikepdf.open(result.output)
    pages = result.paginated.pages[:SPREAD_FROM + 6]    # enough to be shared out, the first ones
    memo = Memo()
    alone = with_lefts(pdf, pages, memo)
    assert with_lefts(pdf, pages) == alone
    memo.done()
    assert with_lefts(pdf, pages, memo) == alone
    assert sum(len(lefts) for page in alone for line in page.lines for *_, lefts in line.fragments) > 20000

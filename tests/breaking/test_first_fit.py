"""Paragraphs that WeasyPrint's own breaking (first fit, line after line) sets badly — tests/fixtures/
breaking/, with what it must show in expected.yaml — set through the pipeline: measured on the PDF's
pages as a typographer counts (benchmarks/colour.py), and read back line by line from the laid-out
pages (layout/pages.py): no ladder of three hyphens, no « à » or number at a line's end, no word cut at
the foot of a right-hand page, no line looser than 2.4 spaces; every word still there, in order."""

from __future__ import annotations

import re
from datetime import date

import pytest
import yaml

from benchmarks.colour import measure
from publisher.build import build_volume, prepare
from publisher.render.html import render_html, render_page_css
from publisher.paths import LAYOUTS
from publisher.tree import plain

from ..conftest import FIXTURES

BOOK = FIXTURES / "breaking"
EXPECTED = yaml.safe_load((BOOK / "expected.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def set_both(tmp_path_factory):
    """The fixture book laid out by WeasyPrint alone (first fit), and by the pipeline."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    out = tmp_path_factory.mktemp("breaking")
    book, _ = prepare(BOOK)
    config = FontConfiguration()
    HTML(string=render_html(book, pages={}), base_url=str(BOOK.resolve()) + "/").write_pdf(
        out / "first-fit.pdf", stylesheets=[CSS(filename=str(LAYOUTS / "print.css"), font_config=config),
                                            CSS(string=render_page_css(book), font_config=config)],
        font_config=config)
    result = build_volume(BOOK, out / "book.pdf", today=date(2025, 1, 15))
    return measure(out / "first-fit.pdf"), measure(out / "book.pdf"), result


def test_first_fit_sets_these_paragraphs_badly(set_both):
    first_fit, _, _ = set_both
    expected = EXPECTED["first_fit"]
    for kind in ("ladders", "one_letter", "numbers", "recto_cuts"):
        assert len(getattr(first_fit, kind)) >= expected[kind], kind
    assert first_fit.loosest > expected["loosest_over"]


def test_the_book_sets_them_as_a_typographer_would(set_both):
    _, colour, _ = set_both
    expected = EXPECTED["book"]
    for kind in ("ladders", "one_letter", "numbers", "recto_cuts"):
        assert len(getattr(colour, kind)) == expected[kind], getattr(colour, kind)
    assert colour.loosest <= expected["loosest_at_most"], colour.loosest_line
    assert colour.over_2 <= expected["over_2_at_most"] and colour.mean <= expected["mean_at_most"]


def test_the_laid_out_lines_keep_the_rules_and_every_word(set_both):
    _, _, result = set_both
    lines = [(page.number, line) for page in result.paginated.pages for line in page.lines
             if line.paragraph and not line.margin and not line.note]
    texts = ["".join(piece[2] for piece in line.fragments).strip() for _, line in lines]
    run = 0
    for k, (page, line) in enumerate(lines):
        run = run + 1 if line.hyphenated else 0
        assert run < 3, texts[k - 2:k + 1]                                     # no ladder
        following = texts[k + 1] if k + 1 < len(texts) and lines[k + 1][1].src == line.src else ""
        last = texts[k].split()[-1]
        if following:
            assert not re.fullmatch(r"[^\W\d_]", last), (texts[k], following)              # « à »
            assert not (re.fullmatch(r"\d+(?:er|e)?", last) and following[:1].isalpha()), (texts[k], following)
        foot = [other for number, other in lines if number == page][-1]
        if page % 2 and line is foot and following:
            assert not line.hyphenated and not texts[k].endswith("-"), texts[k]             # a page turn
    book, _ = prepare(BOOK)
    words = [w for fiche in book.fiches for block in fiche.blocks for w in plain(block.children).split()]
    printed = iter(re.sub("\u2010 ", "", " ".join(texts)).replace("- ", "-").split())
    missing = [w for w in words if w not in printed]         # each in order (an acronym may gain its long form)
    assert missing == []

"""The frozen volume as the breaker sets it, read from the PDF's text layer as a typographer reads the
page: no ladder of three hyphens, no line of a justified paragraph ending on « à », « a » or « y », no
number parted from the word it counts (a chapeau, set ragged by WeasyPrint, is not yet the breaker's);
its colour measured (benchmarks/colour.py, what ``make print-quality`` prints) against issue 29's
targets; and the paragraphs left to WeasyPrint's own breaking are said, each at its line."""

from __future__ import annotations

import re

from benchmarks.colour import measure
from publisher.build import prepare

from ..conftest import VOLUME


def body_lines(result, pdf) -> list[list[str]]:
    """The lines of the fiches' pages, but their chapeaux (set ragged, not justified: not the breaker's)."""
    from publisher.tree import plain

    book, _ = prepare(VOLUME)
    leads = " ".join(" ".join(plain(f.lead).split()) for f in book.fiches if f.lead)
    pages = result.paginated.anchor_pages()
    first, last = pages[book.fiches[0].anchor], pages["glossaire"] - 1
    return [[line.strip() for line in pdf.layer[n - 1].split("\n") if line.strip() and
             " ".join(line.replace("\u2010", "").split()) not in leads] for n in range(first, last + 1)]


def test_no_break_a_typographer_refuses(volume):
    result, pdf = volume
    ladders, one_letter, numbers = [], [], []
    for lines in body_lines(result, pdf):
        for k in range(len(lines) - 2):
            if all(line.endswith("\u2010") for line in lines[k:k + 3]):
                ladders.append(lines[k])
        for line, after in zip(lines, lines[1:]):
            if re.search(r"(?:^|\s)[àaAÀy]$", line) and after[:1].islower():
                one_letter.append(line)
            if re.search(r"(?:^|\s)\d+(?:er|re|e)?$", line) and after[:1].islower():
                numbers.append((line, after))
    assert ladders == [] and one_letter == [] and numbers == [], (ladders, one_letter, numbers)


def test_the_page_is_as_even_as_the_targets(volume):
    """Spaces: mean ≤ 1.22 natural spaces, ≤ 1.5 % of the lines over 2×, none over 2.4×; no ladder, no
    word cut across a page turn, no « à » or number at a line's end."""
    _, pdf = volume
    colour = measure(pdf.path)
    missed = [(what, figure, goal) for what, figure, goal, held in colour.targets() if not held]
    assert missed == [], (missed, colour.loosest_line, colour.ladders, colour.recto_cuts)
    assert colour.justified > 900                        # the body pages were found and read


def test_the_paragraphs_left_to_weasyprint_are_few_and_said_at_their_line(volume):
    result, _ = volume
    left = [d for d in result.diagnostics if d.code == "line-breaking-left"]
    assert all(d.location.path.endswith(".md") and d.location.line > 1 for d in left)
    paragraphs = sum(1 for fiche in prepare(VOLUME)[0].fiches for _ in fiche.blocks)
    assert 0 < len(left) < paragraphs / 10, (len(left), paragraphs)


def test_no_line_of_any_text_ends_on_a_one_letter_word(volume):
    """The chapeaux (set ragged by WeasyPrint, not by the breaker) too: « (CAI) a / développé » no more —
    the space after a one-letter word is made a no-break one in a paragraph the breaker does not set."""
    import pymupdf

    from benchmarks.colour import body_pages, page_lines

    _, pdf = volume
    found = []
    with pymupdf.open(pdf.path) as document:
        first, last = body_pages(document)
        for number in range(first, last + 1):
            lines = [line for _, line in page_lines(document[number - 1], number)]
            found += [(number, line.text, after.text) for line, after in zip(lines, lines[1:])
                      if re.fullmatch(r"[^\W\d_]", line.text.split()[-1]) and after.text[:1].islower()]
    assert found == []

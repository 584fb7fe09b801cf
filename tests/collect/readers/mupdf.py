"""Annotations as MuPDF writes them (SumatraPDF, and any program built on PyMuPDF).

The words are found in MuPDF's own reading of the page; the reviewer's drag, from inside the first
letter to just past the last one, becomes quadrilaterals through MuPDF's own selection
(``fz_highlight_selection``, what SumatraPDF calls); the annotations are made by PyMuPDF's calls and
the copy saved whole, as SumatraPDF saves.

    python tests/collect/readers/mupdf.py epreuve.pdf annotee.pdf "Auteur" "mots à surligner" …

MuPDF names each annotation uniquely on its page only (« fitz-A0 » is every page's first one), as the
PDF specification allows (/NM: unique among the annotations of its page).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import pymupdf

HYPHENS = "-\u2010\u00ad"


@dataclass(frozen=True)
class Mark:
    """One annotation to make: ``kind`` highlight, underline, strikeout, note, caret or freetext; ``words``
    as printed (the ``nth`` time they are), ``text`` its comment. A note, a caret or a text box points
    at the words' start, or their end (``after``)."""

    kind: str
    words: str
    text: str = ""
    nth: int = 0
    after: bool = False
    inside: float = 0.25         # how far into the first letter the drag starts (past its middle: left out)


@dataclass(frozen=True)
class Char:
    c: str
    box: pymupdf.Rect
    line: int                  # the line MuPDF read it on, numbered on the page


def characters(page: pymupdf.Page) -> list[Char]:
    out: list[Char] = []
    raw = page.get_text("rawdict")
    number = 0
    for block in raw["blocks"]:
        for line in block.get("lines", []):
            number += 1
            for span in line["spans"]:
                out += [Char(c["c"], pymupdf.Rect(c["bbox"]), number) for c in span["chars"]]
    return out


def letters(text: str) -> str:
    return "".join(c for c in text.casefold() if c.isalnum())


def located(doc: pymupdf.Document, mark: Mark) -> tuple[int, list[Char]]:
    """The page and the characters where the words are printed, the ``nth`` time (across a line break,
    a hyphenated word whole again: compared letter for letter)."""
    wanted = letters(mark.words)
    found = []
    for page in doc:
        chars = [c for c in characters(page) if c.c.isalnum()]
        left = min((c.box.x0 for c in chars if not c.c.isdigit()), default=0)
        chars = [c for c in chars if not (c.c.isdigit() and c.box.x1 < left)]       # a proof's line numbers
        text = "".join(c.c.casefold() for c in chars)
        start = text.find(wanted)
        while start >= 0:
            found.append((page.number, chars[start:start + len(wanted)]))
            start = text.find(wanted, start + 1)
    if len(found) <= mark.nth:
        raise AssertionError(f"MuPDF does not read « {mark.words} » printed {mark.nth + 1} time(s)")
    return found[mark.nth]


def dragged(page: pymupdf.Page, chars: list[Char], inside: float) -> list[pymupdf.Quad]:
    """What MuPDF highlights when the reviewer drags over ``chars``: on each line, from ``inside`` the first
    letter to just past the last one."""
    quads = []
    for line in dict.fromkeys(c.line for c in chars):
        mine = [c for c in chars if c.line == line]
        first, last = mine[0].box, mine[-1].box
        middle = (first.y0 + first.y1) / 2
        a = pymupdf.mupdf.FzPoint(first.x0 + first.width * (inside if line == chars[0].line else 0.25), middle)
        b = pymupdf.mupdf.FzPoint(last.x1 + 1, middle)
        quad = pymupdf.mupdf.FzQuad()
        if pymupdf.mupdf.fz_highlight_selection(page.get_textpage().this, a, b, quad, 1):
            quads.append(pymupdf.Quad(pymupdf.Point(quad.ul.x, quad.ul.y), pymupdf.Point(quad.ur.x, quad.ur.y),
                                      pymupdf.Point(quad.ll.x, quad.ll.y), pymupdf.Point(quad.lr.x, quad.lr.y)))
    return quads


def annotate(source: Path, target: Path, author: str, marks: list[Mark]) -> Path:
    doc = pymupdf.open(source)
    for mark in marks:
        number, chars = located(doc, mark)
        page = doc[number]
        if mark.kind in ("highlight", "underline", "strikeout"):
            quads = dragged(page, chars, mark.inside)
            annot = getattr(page, f"add_{mark.kind}_annot")(quads)
        else:
            box = chars[-1].box if mark.after else chars[0].box
            point = pymupdf.Point(box.x1 if mark.after else box.x0, box.y0)
            if mark.kind == "note":
                annot = page.add_text_annot(point, mark.text)
            elif mark.kind == "caret":        # MuPDF's caret is a 20 × 20 icon: its point where the words go
                annot = page.add_caret_annot(pymupdf.Point(point.x - 10, (box.y0 + box.y1) / 2 - 10))
            else:
                annot = page.add_freetext_annot(pymupdf.Rect(point.x, point.y, point.x + 120, point.y + 30), mark.text)
        annot.set_info(title=author, content=mark.text)
        annot.update()
    doc.save(target, garbage=1, deflate=True)          # SumatraPDF writes a new file, not an increment
    doc.close()
    return target


if __name__ == "__main__":
    source, target, author, *phrases = sys.argv[1:]
    annotate(Path(source), Path(target), author, [Mark("highlight", p) for p in phrases])

"""Where an annotation sits in the sources: through the proof's map, the line of the page it
is on, that line's source file:line, and the words under it, from the runs of text the
layout put on the line (never guessed from the text a PDF library extracts)."""

from __future__ import annotations

from dataclasses import dataclass

from ..layout.pages import HYPHENATION
from ..proof.trail import MapLine, MapPage
from .read import Annotation, Box

TOLERANCE_PX = 2.0


@dataclass(frozen=True)
class Place:
    folio: int                  # the page as printed (0: not a page of the book)
    page_line: int              # the line as the proof's margin numbers it
    src: str                    # « fiches/x.md:12 » ("" outside the text)
    covered: str                # the words under a highlight or a strike-out
    printed: str = ""           # the whole printed line it starts on (to find it in the source line)
    offset: int = 0             # where in ``printed`` the covered words start, or the point is


PT_PER_PX = 0.75


def to_px(page: MapPage, x: float, y: float) -> tuple[float, float]:
    """From PDF points (y upwards) to the layout's CSS pixels (y downwards, from the top left
    corner). Through the page as the proof made it, not its boxes now: a tool that adds a bleed
    box or moves the media box does not move the words, nor the annotations on them."""
    return x / PT_PER_PX, page.height - y / PT_PER_PX


def locate(a: Annotation, page: MapPage | None) -> Place:
    if page is None:
        return Place(0, 0, "", "")
    if a.quads and a.kind in ("highlight", "underline", "squiggly", "strikeout"):
        return covered_place(a.quads, page)
    if a.kind in ("highlight", "underline", "squiggly", "strikeout"):
        return covered_place((a.rect,), page)
    x, y = pointed(a)
    px, py = to_px(page, x, y)
    line = nearest(page, py)
    if line is None:
        return Place(page.folio, page.page_line(py), "", "")
    return Place(page.folio, page.page_line(line.top), line.src, "", printed(line), len(characters(line, -1e9, px)))


def pointed(a: Annotation) -> tuple[float, float]:
    """Where a note, a caret or a text box points: a note's icon hangs from its top left corner,
    a caret stands at the insertion point (its middle)."""
    r = a.rect
    if a.kind == "caret":
        return (r.left + r.right) / 2, (r.bottom + r.top) / 2
    return r.left, r.top - min(8.0, (r.top - r.bottom) / 2)


def nearest(page: MapPage, y: float) -> MapLine | None:
    """The line of text nearest to height ``y``, among those that show a source."""
    lines = [line for line in page.lines if line.src]
    if not lines:
        return None
    return min(lines, key=lambda line: abs(line.top + line.height / 2 - y))


def covered_place(boxes: tuple[Box, ...], page: MapPage) -> Place:
    words, first, offset = [], None, 0
    for b in boxes:
        left, top = to_px(page, b.left, b.top)
        right, bottom = to_px(page, b.right, b.bottom)
        for line in page.lines:
            middle = line.top + line.height / 2
            if not top - TOLERANCE_PX <= middle <= bottom + TOLERANCE_PX:
                continue
            chars = characters(line, left, right)
            if chars.strip():
                words.append(chars.strip())
                if first is None:
                    first = line
                    offset = len(characters(line, -1e9, left)) + len(chars) - len(chars.lstrip())
    if first is None:
        return Place(page.folio, 0, "", "")
    return Place(page.folio, page.page_line(first.top), first.src, join(words).rstrip(HYPHENATION),
                 printed(first), offset)


def characters(line: MapLine, left: float, right: float) -> str:
    """The characters of a line whose middle lies between ``left`` and ``right``, placed where the
    layout put them."""
    out = []
    for run in line.runs:
        for k, c in enumerate(run.text):
            start, end = run.span(k)
            if left <= (start + end) / 2 <= right:
                out.append(c)
    return "".join(out)


def printed(line: MapLine) -> str:
    return "".join(run.text for run in line.runs)


def join(parts: list[str]) -> str:
    """Words over several lines: a word the layout hyphenated at a line's end is whole again."""
    out = ""
    for part in parts:
        if out.endswith(HYPHENATION):
            out = out[:-1] + part
        else:
            out = f"{out} {part}" if out else part
    return out

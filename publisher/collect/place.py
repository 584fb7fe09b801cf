"""Where an annotation sits in the sources: through the proof's map, the line of the page it
is on, that line's source file:line, and the words under it, from the runs of text the
layout put on the line (never guessed from the text a PDF library extracts)."""

from __future__ import annotations

from dataclasses import dataclass

from ..layout.pages import HYPHENATION
from ..proof.geometry import PT_PER_PX
from ..proof.trail import MapLine, MapPage
from .read import Annotation, Box

TOLERANCE_PX = 2.0


@dataclass(frozen=True)
class Place:
    folio: int                  # the page as printed (0: not a page of the book)
    page_line: int              # the line as the proof's margin numbers it
    src: str                    # « fiches/x.md:12 » ("" outside the text)
    covered: str                # the words under a highlight or a strike-out
    printed: str = ""           # its paragraph as printed on the page, to the line it starts on (to find it in the source)
    offset: int = 0             # where in ``printed`` the covered words start, or the point is


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
        return covered_place((a.rect,), page, bands=False)
    x, y = pointed(a)
    px, py = to_px(page, x, y)
    line = nearest(page, py)
    if line is None:
        return Place(page.folio, page.page_line(py), "", "")
    before, whole = context(page, line)
    return Place(page.folio, page.page_line(line.top), line.src, "", whole, len(before) + len(characters(line, -1e9, px)))


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


def covered_place(boxes: tuple[Box, ...], page: MapPage, bands: bool = True) -> Place:
    """The words under the boxes: each band (a reader's quadrilateral) on the one line it covers most,
    every character once however the bands overlap, and the words whole (:func:`whole_words`). A single
    box (``bands`` False: an annotation with no quadrilaterals) may cover several lines."""
    covered: dict[int, set[int]] = {}             # a line of the page → its characters under the boxes
    for b in boxes:
        left, top = to_px(page, b.left, b.top)
        right, bottom = to_px(page, b.right, b.bottom)
        lines = [k for k, line in enumerate(page.lines)
                 if top - TOLERANCE_PX <= line.top + line.height / 2 <= bottom + TOLERANCE_PX]
        if bands and len(lines) > 1:              # an integer or over-tall band: the line it covers most
            lines = [max(lines, key=lambda k: overlap(page.lines[k], top, bottom))]
        for k in lines:
            chars = spans(page.lines[k])
            covered.setdefault(k, set()).update(i for i, (_, start, end) in enumerate(chars)
                                                if left <= (start + end) / 2 <= right)
    words, first, offset = [], None, 0
    for k in sorted(covered):
        line = page.lines[k]
        text = "".join(c for c, _, _ in spans(line))
        found = sorted(covered[k])
        if not found or not text[found[0]:found[-1] + 1].strip():
            continue
        start, end = whole_words(text, found[0], found[-1] + 1)
        if text[end:].rstrip() == HYPHENATION:   # a box that stops before the hyphen: the word goes on below
            end = len(text.rstrip())
        chars = text[start:end]
        words.append(chars.strip())
        if first is None:
            first, offset = line, len(context(page, line)[0]) + start + len(chars) - len(chars.lstrip())
    if first is None:
        return Place(page.folio, 0, "", "")
    return Place(page.folio, page.page_line(first.top), first.src, join(words).rstrip(HYPHENATION),
                 context(page, first)[1], offset)


def overlap(line: MapLine, top: float, bottom: float) -> float:
    return min(bottom, line.top + line.height) - max(top, line.top)


def whole_words(text: str, start: int, end: int) -> tuple[int, int]:
    """``text[start:end]`` with a word's one left-out letter taken back at either end: a reader's box
    that starts or ends a point inside a narrow glyph (pdf.js draws its boxes from the glyphs' own)
    leaves it out. Two or more letters left out: the reviewer marked part of a word, as they are."""
    if start > 0 and text[start - 1].isalnum() and text[start].isalnum() \
            and (start == 1 or not text[start - 2].isalnum()):
        start -= 1
    if end < len(text) and text[end].isalnum() and text[end - 1].isalnum() \
            and (end + 1 == len(text) or not text[end + 1].isalnum()):
        end += 1
    return start, end


def spans(line: MapLine) -> list[tuple[str, float, float]]:
    """Each character of a line and where it lies, left and right, as the layout placed it."""
    return [(c, *run.span(k)) for run in line.runs for k, c in enumerate(run.text)]


def characters(line: MapLine, left: float, right: float) -> str:
    """The characters of a line whose middle lies between ``left`` and ``right``."""
    return "".join(c for c, start, end in spans(line) if left <= (start + end) / 2 <= right)


def context(page: MapPage, line: MapLine) -> tuple[str, str]:
    """The paragraph of ``line`` as printed on its page: its lines above ``line``, and all of them (to find
    the words in the source even where the pipeline changed them: an acronym spelled out, a reference)."""
    if not line.src:
        return "", printed(line)
    mine = [other for other in page.lines if other.src == line.src]
    above = "".join(printed(other) + "\n" for other in mine if other.top < line.top - 1)
    return above, "\n".join(printed(other) for other in mine)


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

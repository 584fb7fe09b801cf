"""Where things are on the laid-out pages: the lines a proofreader counts, and the
place of every element that carries a source (``data-src``) or a question (``data-q``).

Positions are WeasyPrint's CSS pixels from the top left corner of the page.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

SAME_LINE_PX = 3      # tolerance when telling which line a height falls on


@dataclass(frozen=True)
class Line:
    top: float
    height: float


@dataclass(frozen=True)
class Span:
    """The part of an element that lies on one page."""

    page: int
    top: float
    bottom: float


@dataclass(frozen=True)
class PageGeometry:
    number: int             # the folio: page 1 is the half-title
    width: float
    height: float
    text_left: float
    text_right: float
    lines: tuple[Line, ...]

    def line_at(self, y: float) -> int:
        """The number of the line at height ``y`` (1 for the first line of the page)."""
        number = 1
        for i, line in enumerate(self.lines, start=1):
            if line.top <= y + SAME_LINE_PX:
                number = i
        return number


@dataclass(frozen=True)
class Geometry:
    pages: tuple[PageGeometry, ...]
    spans: dict[str, tuple[Span, ...]]      # data-src / data-q value → its parts, page by page

    def first(self, key: str) -> Span | None:
        parts = self.spans.get(key)
        return parts[0] if parts else None


def read_geometry(document, first: int = 1, count: int | None = None) -> Geometry:
    """The first ``count`` pages of a WeasyPrint document whose first page is page ``first`` of the book."""
    from weasyprint.formatting_structure.boxes import LineBox, MarginBox, TextBox

    pages = []
    spans: dict[str, dict[int, list[float]]] = {}
    for number, page in enumerate(document.pages[:count], start=first):
        page_box = page._page_box        # private, but the box tree is the only record of positions
        root = page_box.children[0]
        lines: list[Line] = []
        for box in _descendants(page_box, skip=MarginBox):     # running heads and folios are not counted
            element = getattr(box, "element", None)
            key = element is not None and (element.get("data-q") or element.get("data-src"))
            if isinstance(box, LineBox):
                if any(b.text.strip() for b in box.descendants() if isinstance(b, TextBox)):
                    lines.append(Line(box.position_y, box.height))
            elif key:
                top, bottom = box.position_y, box.position_y + box.margin_height()
                extent = spans.setdefault(key, {}).setdefault(number, [top, bottom])
                extent[0], extent[1] = min(extent[0], top), max(extent[1], bottom)
        pages.append(PageGeometry(number, page.width, page.height, root.content_box_x(),
                                  root.content_box_x() + root.width, _merge(lines)))
    return Geometry(tuple(pages), {key: tuple(Span(p, t, b) for p, (t, b) in sorted(parts.items()))
                                   for key, parts in spans.items()})


def joined(parts: list[tuple[Geometry, int]]) -> Geometry:
    """The geometry of a book laid out in parts: each part's, and the book's number of its first page."""
    pages: list[PageGeometry] = []
    spans: dict[str, tuple[Span, ...]] = {}
    for part, first in parts:
        pages += [replace(page, number=first + page.number - 1) for page in part.pages]
        for key, found in part.spans.items():
            spans[key] = spans.get(key, ()) + tuple(replace(span, page=first + span.page - 1) for span in found)
    return Geometry(tuple(pages), spans)


def _descendants(box, skip):
    for child in getattr(box, "children", ()):
        if isinstance(child, skip):
            continue
        yield child
        yield from _descendants(child, skip)


def _merge(lines: list[Line]) -> tuple[Line, ...]:
    """One line to count for lines side by side: the two columns of the Index, a year beside its title."""
    out: list[Line] = []
    for line in sorted(lines, key=lambda line: line.top):
        if out and line.top < out[-1].top + out[-1].height / 2:
            continue
        out.append(line)
    return tuple(out)

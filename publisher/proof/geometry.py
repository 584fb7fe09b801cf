"""Where things are on the laid-out pages: the lines a proofreader counts, and the
place of every element that carries a source (``data-src``) or a question (``data-q``).

Made from the pages as the layout read them (publisher/layout/pages.py); positions
are WeasyPrint's CSS pixels from the top left corner of the page.
"""

from __future__ import annotations

from dataclasses import dataclass

SAME_LINE_PX = 3      # tolerance when telling which line a height falls on
PT_PER_PX = 0.75      # a PDF's points in a CSS pixel


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


def geometry_of(pages, wider_by: float = 0) -> Geometry:
    """The geometry of the laid-out pages (layout.pages.Page, numbered as in the book), on pages ``wider_by``
    pixels wider on the right (a proof's column of notes)."""
    spans: dict[str, list[Span]] = {}
    for page in pages:
        for key, (top, bottom) in page.extents.items():
            spans.setdefault(key, []).append(Span(page.number, top, bottom))
    return Geometry(tuple(PageGeometry(page.number, page.width + wider_by, page.height, page.text_left, page.text_right,
                                       _merge([Line(line.top, line.height) for line in page.lines
                                               if line.text and not line.margin]))
                          for page in pages),
                    {key: tuple(found) for key, found in spans.items()})


def _merge(lines: list[Line]) -> tuple[Line, ...]:
    """One line to count for lines side by side: the two columns of the Index, a year beside its title."""
    out: list[Line] = []
    for line in sorted(lines, key=lambda line: line.top):
        if out and line.top < out[-1].top + out[-1].height / 2:
            continue
        out.append(line)
    return tuple(out)

"""What a proof adds on each page, drawn on a transparent sheet laid over it:
the « ÉPREUVE » stamp, line numbers, notes in the right-hand column, change bars.
And the « Questions ouvertes » pages put in front.

The positions come from the layout (``geometry``), in CSS pixels; the sheets
are HTML from ``layouts/`` rendered by WeasyPrint at the same page size.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .changes import Changes
from .geometry import Geometry, PageGeometry
from .questions import Question

MM = 96 / 25.4                    # CSS pixels in a millimetre
NOTE_LINE_PX = 8.5 * 96 / 72      # a note's line (7 pt type on 8.5 pt)
NOTE_CHARS_PER_MM = 0.78          # Source Sans 3 at 7 pt: how many characters fill a millimetre
NOTE_MAX_CHARS = 260              # longer messages are cut in the margin, whole on the questions pages


@dataclass(frozen=True)
class Mark:
    top: float
    left: float
    width: float
    height: float
    text: str = ""
    number: int = 0
    label: str = ""


@dataclass(frozen=True)
class Sheet:
    height: float
    numbers: tuple[Mark, ...]
    notes: tuple[Mark, ...]
    bars: tuple[Mark, ...]


def sheets(geometry: Geometry, questions: list[Question], changes: Changes | None) -> list[Sheet]:
    out = []
    for page in geometry.pages:
        mine = [q for q in questions if q.page == page.number]
        out.append(Sheet(page.height, line_numbers(page), notes(page, mine), bars(page, geometry, changes)))
    return out


def line_numbers(page: PageGeometry) -> tuple[Mark, ...]:
    width = 8 * MM
    return tuple(Mark(line.top, page.text_left - width - 2.5 * MM, width, line.height, str(n))
                 for n, line in enumerate(page.lines, start=1))


def notes(page: PageGeometry, questions: list[Question]) -> tuple[Mark, ...]:
    """Each note at the height of its question, pushed down below the one before it if they would meet."""
    left = page.text_right + 8 * MM
    width = page.width - left - 4 * MM
    out: list[Mark] = []
    free = 0.0
    for q in sorted(questions, key=lambda q: q.top):
        text = q.text if len(q.text) <= NOTE_MAX_CHARS else q.text[:NOTE_MAX_CHARS].rsplit(" ", 1)[0] + "…"
        chars = len(f"{q.number} {q.label} : {text}")
        height = math.ceil(chars / (width / MM * NOTE_CHARS_PER_MM)) * NOTE_LINE_PX
        top = max(q.top, free)
        out.append(Mark(top, left, width, height, text, q.number, q.label))
        free = top + height + 1.5 * MM
    return tuple(out)


def bars(page: PageGeometry, geometry: Geometry, changes: Changes | None) -> tuple[Mark, ...]:
    if not changes:
        return ()
    left = page.text_right + 2.5 * MM
    return tuple(Mark(span.top, left, 1.2, span.bottom - span.top)
                 for key in sorted(changes.keys) for span in geometry.spans.get(key, ())
                 if span.page == page.number)

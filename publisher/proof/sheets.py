"""What a proof adds on each page, drawn on a transparent sheet laid over it:
the « ÉPREUVE » stamp, line numbers, notes in the right-hand column, change bars.
And the « Questions ouvertes » pages put in front.

The positions come from the layout (``geometry``), in CSS pixels; the sheets
are HTML from ``layouts/`` rendered by WeasyPrint at the same page size.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from .changes import Changes
from .geometry import Geometry, PageGeometry
from .questions import Question

MM = 96 / 25.4                    # CSS pixels in a millimetre
NOTES_MM = 55                     # a proof's pages are the volume's, that much wider on the right, for the notes
NOTE_LINE_PX = 8.5 * 96 / 72      # a note's line (7 pt type on 8.5 pt)
NOTE_CHARS_PER_MM = 0.78          # Source Sans 3 at 7 pt: how many characters fill a millimetre
NOTE_MAX_CHARS = 260              # longer messages are cut in the margin, whole on the questions pages
EDGE = 8 * MM                     # the notes keep this far from the page's top and foot
GAP = 1.5 * MM                    # between two notes
SUMMARY_PX = 2 * NOTE_LINE_PX     # « … et 3 autres questions sur cette page … »


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
    """Each note at the height of its question, pushed down below the one before it if they would meet,
    and up from the page's foot if the last would pass it; when the column cannot hold them all, the
    first ones, then one line for the others (the list in front of the proof has them all)."""
    left = page.text_right + 8 * MM
    width = page.width - left - 4 * MM
    top_limit, foot = EDGE, page.height - EDGE
    out: list[Mark] = []
    free = top_limit
    ordered = sorted(questions, key=lambda q: q.top)
    for k, q in enumerate(ordered):
        text = q.text if len(q.text) <= NOTE_MAX_CHARS else q.text[:NOTE_MAX_CHARS].rsplit(" ", 1)[0] + "…"
        height = lines_of(f"{q.number} {q.label} : {text}", width) * NOTE_LINE_PX
        left_over = len(ordered) - k - 1
        room = foot - (SUMMARY_PX + GAP if left_over else 0)
        if sum(m.height + GAP for m in out) + height > room - top_limit:
            more = len(ordered) - k
            out.append(Mark(foot, left, width, SUMMARY_PX, f"… et {more} autre{'s' * (more > 1)} question"
                            f"{'s' * (more > 1)} sur cette page : voir la liste en tête de l’épreuve"))
            break
        top = max(q.top, free)
        out.append(Mark(top, left, width, height, text, q.number, q.label))
        free = top + height + GAP
    limit = foot                                     # from the foot up: none below the page, none on another
    for k in reversed(range(len(out))):
        mark = out[k]
        top = min(mark.top, limit - mark.height)
        out[k] = replace(mark, top=top)
        limit = top - GAP
    return tuple(out)


def lines_of(text: str, width: float) -> int:
    return math.ceil(len(text) / (width / MM * NOTE_CHARS_PER_MM))


def bars(page: PageGeometry, geometry: Geometry, changes: Changes | None) -> tuple[Mark, ...]:
    if not changes:
        return ()
    left = page.text_right + 2.5 * MM
    return tuple(Mark(span.top, left, 1.2, span.bottom - span.top)
                 for key in sorted(changes.keys) for span in geometry.spans.get(key, ())
                 if span.page == page.number)

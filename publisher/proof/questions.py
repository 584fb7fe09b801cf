"""Every open question of a proof, at its page and line.

A question is an editor's CriticMarkup left in a fiche, or a diagnostic of
``publisher check`` (an undefined acronym, a repeated passage, a broken
reference…). Each is tied to the element of the HTML that holds it — the mark
itself for CriticMarkup (``data-q``), the paragraph of its source line for a
diagnostic (``data-src``) — and the layout tells its page and line.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..diagnostics import Diagnostic, Severity
from ..model import Book, Critic, Fiche, Figure, FootnoteRef, Heading, Paragraph, SourceLocation
from ..tree import all_runs, walk_blocks, walk_runs
from .geometry import Geometry

LABELS = {"comment": "À vérifier", "addition": "Ajout proposé", "deletion": "Suppression proposée",
          "substitution": "Remplacement proposé", "highlight": "Passage signalé"}
SEVERITY_LABELS = {Severity.ERROR: "Erreur", Severity.WARNING: "Avertissement", Severity.INFO: "Remarque"}


@dataclass(frozen=True)
class Question:
    location: SourceLocation
    label: str                  # « À vérifier », « Avertissement »…
    text: str
    code: str                   # critic-comment… or the diagnostic's code
    key: str = ""               # data-q / data-src of its place in the text; "" when it has none
    number: int = 0
    page: int | None = None
    line: int | None = None
    top: float = 0.0            # its height on the page, in CSS pixels


def gather(book: Book, diagnostics: list[Diagnostic]) -> list[Question]:
    out = []
    for fiche in book.fiches:
        for run in all_runs(fiche):
            if isinstance(run, Critic):
                text = f"{run.text} → {run.replacement}" if run.op == "substitution" else run.text
                out.append(Question(run.location, LABELS[run.op], text, f"critic-{run.op}", run.key(book.root)))
    places = Places(book)
    for d in diagnostics:
        if d.code == "editorial-note":           # the CriticMarkup itself, above
            continue
        out.append(Question(d.location, SEVERITY_LABELS[d.severity], d.message, d.code, places.key_of(d.location)))
    return out


def place(questions: list[Question], geometry: Geometry) -> list[Question]:
    """Page, line and height of each question; numbered in reading order, the ones outside the text last."""
    placed = []
    for q in questions:
        span = geometry.first(q.key) if q.key else None
        if span:
            q = replace(q, page=span.page, top=span.top, line=geometry.pages[span.page - 1].line_at(span.top))
        placed.append(q)
    placed.sort(key=lambda q: (q.page is None, q.page or 0, q.top, q.location))
    return [replace(q, number=n) for n, q in enumerate(placed, start=1)]


class Places:
    """Which element of the HTML holds a source line of a fiche."""

    def __init__(self, book: Book):
        self.lines: dict[str, list[tuple[int, str]]] = {}
        for fiche in book.fiches:
            self.lines[fiche.location.path] = sorted(_places(fiche, book.root))

    def key_of(self, where: SourceLocation) -> str:
        key = ""
        for line, candidate in self.lines.get(where.path, ()):
            if line <= where.line:
                key = candidate
        return key


def _places(fiche: Fiche, root):
    """(first source line, data-src) of the header and of every block; a note's lines go to
    the paragraph that calls it (the note itself is printed at the foot of that page)."""
    header = fiche.location.in_book(root)
    yield fiche.location.line, header
    calls: dict[str, str] = {r.label: header for r in walk_runs(fiche.lead) if isinstance(r, FootnoteRef)}
    for block in walk_blocks(fiche.blocks):
        if isinstance(block, (Paragraph, Heading, Figure)):
            yield block.location.line, block.location.in_book(root)
        if isinstance(block, (Paragraph, Heading)):
            for run in walk_runs(block.children):
                if isinstance(run, FootnoteRef):
                    calls.setdefault(run.label, block.location.in_book(root))
    for note in fiche.footnotes:
        yield note.location.line, calls.get(note.label, header)

"""The pipeline, as one function that reads like its table of contents."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .check import check
from .diagnostics import Diagnostic, PublisherError, blocking, info
from .enrich import enrich
from .finish import finish, write_atomically
from .html import render_html, render_page_css
from .load import load_book
from .model import Book, IndexMark, SourceLocation
from .paginate import Paginated, hyphen_ladders, paginate
from .tree import all_runs

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BuildResult:
    output: Path
    pages: int
    diagnostics: tuple[Diagnostic, ...]
    paginated: Paginated


def prepare(root: Path) -> tuple[Book, list[Diagnostic]]:
    """The stages before any rendering; ``publisher check`` stops here."""
    book, diagnostics = load_book(root)                       # load
    book = enrich(book)                                       # enrich
    return book, diagnostics + check(book)                    # check


MAX_BACK_MATTER_PASSES = 3
POINTED_TO = ("acr-", "ix-", "fiche-")     # anchors whose pages the back matter prints


def lay_out(book: Book, today: date | None = None) -> Paginated:
    """HTML and pagination, twice: the Glossaire and the Index print pages only a layout can tell.

    The back matter comes last, so filling it in cannot move the pages it
    points to; we check it all the same and go round again if it did.
    """
    css = render_page_css(book)
    paginated = paginate(render_html(book, today=today), css, book.root)
    if not book.glossary.entries and not any(isinstance(r, IndexMark) for f in book.fiches for r in all_runs(f)):
        return paginated
    for _ in range(MAX_BACK_MATTER_PASSES):
        pages = paginated.anchor_pages()
        paginated = paginate(render_html(book, today=today, pages=pages), css, book.root, pushed=paginated.pushed)
        now = paginated.anchor_pages()
        moved = [a for a, p in pages.items() if a.startswith(POINTED_TO) and now.get(a) != p]
        if not moved:
            return paginated
        log.info("le glossaire ou l'index a déplacé %d renvoi(s) : nouvelle passe", len(moved))
    log.warning("les pages du glossaire et de l'index n'ont pas pu être stabilisées : vérifiez-les")
    return paginated


def ladder_notes(paginated: Paginated) -> list[Diagnostic]:
    out = []
    for src, page, lines in hyphen_ladders(paginated.document):
        path, _, line = src.rpartition(":")
        out.append(info(SourceLocation(path, int(line or 1)), "hyphen-ladder",
                        f"{lines} lignes de suite finissent par une césure (page {page}) : "
                        "reformulez une de ces lignes, ou imposez ailleurs la coupure d’un des mots avec &shy;"))
    return out


def build_volume(root: Path, output: Path, *, strict: bool = False, today: date | None = None) -> BuildResult:
    book, diagnostics = prepare(root)                         # load · enrich · check
    stopping = blocking(diagnostics, strict)
    if stopping:
        raise PublisherError(stopping)
    paginated = lay_out(book, today)                          # html · paginate
    diagnostics += ladder_notes(paginated)                    # what WeasyPrint cannot prevent
    pdf = finish(paginated, book)                             # finish
    write_atomically(output, pdf)
    log.info("%s : %d pages", output, paginated.page_count)
    return BuildResult(Path(output), paginated.page_count, tuple(diagnostics), paginated)

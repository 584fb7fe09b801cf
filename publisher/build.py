"""The pipeline, as one function that reads like its table of contents."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .check import check
from .diagnostics import Diagnostic, PublisherError, blocking
from .enrich import enrich
from .finish import finish, write_atomically
from .html import render_html, render_page_css
from .load import load_book
from .model import Book
from .paginate import Paginated, paginate

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


def build_volume(root: Path, output: Path, *, strict: bool = False, today: date | None = None) -> BuildResult:
    book, diagnostics = prepare(root)                         # load · enrich · check
    stopping = blocking(diagnostics, strict)
    if stopping:
        raise PublisherError(stopping)
    html = render_html(book, today=today)                     # html
    paginated = paginate(html, render_page_css(book), book.root)  # paginate
    pdf = finish(paginated, book)                             # finish
    write_atomically(output, pdf)
    log.info("%s : %d pages", output, paginated.page_count)
    return BuildResult(Path(output), paginated.page_count, tuple(diagnostics), paginated)

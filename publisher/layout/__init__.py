"""HTML → laid-out pages → PDF: the back half of the pipeline.

:func:`lay_out` is the stage: the book's HTML (render/html.py) laid out by WeasyPrint in
parts side by side (parts.py, one process each: worker.py; kept between builds:
cache.py), each page read once into plain data (pages.py) that the corrections
(paginate.py), the printer's checks (preflight.py) and the proofs
(publisher/proof/) use; the parts joined into one PDF (pdf.py), each font embedded
once for the whole book (fonts.py); what the layout tells an editor as diagnostics
(findings.py). WeasyPrint reads only what the sandbox allows (sandbox.py). Several
books (the booklets) are laid out together, in one pool (:func:`lay_out_together`).

:func:`lay_out_whole` lays the book out as one document: the reference that
:func:`lay_out` must give, page for page (the tests compare).
"""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Iterator

import pikepdf

from ..model import Book
from ..render.html import figures_of, profile_path, render_html, render_page_css
from .cache import PartCache, PreparedCache
from .findings import findings, unsettled
from .pages import anchor_pages
from .paginate import paginate
from .references import write_numbers
from .parts import (EACH_FICHE, Laid, Layout, Progress, cores, has_back_matter, lay_out_in_parts,
                    page_numbers)
from .pdf import finish_pages, variant_options
from .uptodate import tools_digest
from .worker import Job, Workers, lay_out_part

__all__ = ["EACH_FICHE", "Laid", "PartCache", "PreparedCache", "Progress", "get_ready", "lay_out", "lay_out_together",
           "lay_out_whole", "output_intent", "volume_page_numbers"]

MAX_BACK_MATTER_PASSES = 3
POINTED_TO = ("acr-", "ix-", "fiche-")     # anchors whose pages the back matter prints


def lay_out(book: Book, today: date | None = None, *, cache: PartCache | None = None, workers: int | None = None,
            proof: bool = False, runs: int | None = None, made: datetime | None = None,
            progress: Progress | None = None, warm: bool = False, running: Workers | None = None) -> Laid:
    """HTML and pagination, in parts laid out side by side: the pages of :func:`lay_out_whole`.
    ``workers``: processes (one per core by default); ``runs``: parts of fiches (one per
    fiche by default); ``made``: the PDF's date (html.render_html); ``proof``: a proof's HTML, its pages laid out
    as the volume's (a fiche without an editor's comment is the volume's, from its cache); ``warm``: this process
    will lay out the next edit itself (``proof --watch``): its layout processes hand back the paragraphs they set;
    ``running``: processes forked already (worker.pool), one of which joins and writes the book."""
    [laid] = lay_out_together([(book, cache or PartCache(None))], today, workers=workers, proof=proof, runs=runs,
                              made=made, progress=progress, warm=warm, running=running)
    return laid


def lay_out_together(books: list[tuple[Book, PartCache]], today: date | None = None, *, workers: int | None = None,
                     proof: bool = False, runs: int | None = None, made: datetime | None = None,
                     progress: Progress | None = None, warm: bool = False,
                     running: Workers | None = None) -> Iterator[Laid]:
    """Several books (the booklets) laid out as :func:`lay_out` does, their parts side by side in one pool,
    a fiche that prints alike in two of them laid out once; each book's :class:`Laid` in turn."""
    return lay_out_in_parts([layout_of(book, cache, today, proof=proof, runs=runs, made=made, warm=warm)
                             for book, cache in books], workers=workers or cores(), progress=progress,
                            running=running)


def volume_page_numbers(book: Book, today: date | None = None, *, cache: PartCache | None = None,
                        running: Workers | None = None) -> dict[str, int]:
    """Anchor → page in the volume, as :func:`lay_out` would find them, the volume not joined (a booklet's
    « p. N du volume »: from the volume's cache when `make book` ran); ``running``: processes forked already."""
    return page_numbers(layout_of(book, cache or PartCache(None), today, proof=False, runs=None, made=None),
                        workers=cores(), running=running)


def layout_of(book: Book, cache: PartCache, today: date | None, *, proof: bool, runs: int | None,
              made: datetime | None, warm: bool = False) -> Layout:
    printing = book.config.printing
    unmarked = replace(book, config=replace(book.config, printing=replace(printing, crop_marks=False)))
    return Layout(book, replace(template_of(book), teach=warm), render_page_css(unmarked), cache,
                  today=today, runs=runs, made=made, pad_to=printing.pad_to, proof=proof)


def template_of(book: Book) -> Job:
    """What every part of the book shares: its page CSS, sandbox, PDF options."""
    intent, allowed = output_intent(book)
    return Job(html="", page_css=render_page_css(book), root=book.root, last=True,
               tools=tools_digest(book.root), output_intent=intent, allowed_files=allowed,
               pdf_options=tuple(sorted(variant_options(book.config.printing).items())))


def get_ready(book: Book, today: date | None = None, proof: bool = False) -> None:
    """This process made ready to lay out a part itself, as a warm process (``proof --watch``) does the next
    fiche edited: its first fiche laid out here, now — the style sheets parsed, the fonts opened, Pango's and
    the line breaker's memories filled —, not while an editor waits for the proof of an edit (measured:
    0,95 → 0,87 s for the first one)."""
    layout = layout_of(book, PartCache(None), today, proof=proof, runs=None, made=None)
    layout.whole = False
    first = next((job for i, job in layout.jobs().items() if layout.parts[i].fiches), None)
    if first is not None:
        lay_out_part(first)


def lay_out_whole(book: Book, today: date | None = None, proof: bool = False,
                  pages: dict[str, int] | None = None) -> Laid:
    """The book as one WeasyPrint document.

    HTML and pagination, twice: the Glossaire and the Index print pages only a layout can tell, and a
    « voir p. N » is laid out as wide as its number (written on the page afterwards: references.py).
    The back matter comes last, so filling it in cannot move the pages it points to; we check
    it all the same and go round again if it did. ``pages`` (anchor → page), when a layout in
    parts told them already: printed at once, the second pass only if this layout moves one."""
    css = render_page_css(book)
    intent, allowed = output_intent(book)
    paginated = paginate(render_html(book, today=today, pages=pages, proof=proof), css, book.root,
                         output_intent=intent, allowed_files=allowed)
    settled = (not has_back_matter(book) or (pages is not None and not moved(pages, paginated.anchor_pages()))) \
        and not misfits(paginated.pages)
    for _ in range(0 if settled else MAX_BACK_MATTER_PASSES):
        pages = paginated.anchor_pages()
        paginated = paginate(render_html(book, today=today, pages=pages, proof=proof), css, book.root,
                             pushed=paginated.pushed, output_intent=intent, unhyphenated=paginated.unhyphenated,
                             allowed_files=allowed, turned=paginated.turned)
        if not moved(pages, paginated.anchor_pages()) and not misfits(paginated.pages):
            settled = True
            break
    document = pikepdf.open(io.BytesIO(paginated.pdf_bytes(**variant_options(book.config.printing))))
    numbers = paginated.anchor_pages()
    settled = not write_numbers(document, [page.slots for page in paginated.pages], numbers) and settled
    finish_pages(document, book.config.printing.pad_to)
    notes = findings(paginated.pages, book.root, unhyphenated=paginated.unhyphenated, displaced=paginated.displaced,
                     unset=paginated.unset)
    if not settled:
        notes.append(unsettled(book.config.location, "du glossaire et de l'index"))
    return Laid(document, tuple(page.numbered(numbers) for page in paginated.pages), len(document.pages),
                paginated.pushed, paginated.unhyphenated, paginated.refused, tuple(notes))


def moved(printed: dict[str, int], now: dict[str, int]) -> list[str]:
    """The anchors whose page the back matter printed and the layout changed."""
    return [a for a, p in printed.items() if a.startswith(POINTED_TO) and now.get(a) != p]


def misfits(pages) -> list[str]:
    """The anchors whose « voir p. N » was laid out with more or fewer figures than their page has."""
    numbers = anchor_pages(pages)
    return [s.anchor for page in pages for s in page.slots if figures_of(numbers.get(s.anchor)) != len(s.code)]


def output_intent(book: Book) -> tuple[str | None, tuple[Path, ...]]:
    """« device-cmyk » for PDF/X, and the printer's ICC profile that WeasyPrint may then read, wherever it is."""
    intent = "device-cmyk" if book.config.printing.variant == "pdf/x-4" else None
    return intent, (profile_path(book),) if intent else ()

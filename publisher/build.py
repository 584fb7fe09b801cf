"""The pipeline, as one function that reads like its table of contents."""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import Iterator

from .booklet import all_booklets, booklet_for, concerning, cut_booklet, empty_booklet, fiches_of, refers_outside
from .check import check
from .diagnostics import OPEN_QUESTIONS, Diagnostic, PublisherError, blocking, open_questions, relative
from .enrich import enrich
from .finish import variant_options, write_atomically
from .html import profile_path, render_html, render_page_css
from .load import load_book
from .model import Book, BookletSpec, IndexMark
from .paginate import Paginated, paginate
from .partcache import PartCache
from .parts import Laid, cores, lay_out_in_parts
from .preflight import preflight
from .resources import refusals
from .tree import all_runs
from .uptodate import tools_digest
from .worker import Job

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BuildResult:
    output: Path
    pages: int
    diagnostics: tuple[Diagnostic, ...]
    paginated: Laid             # the pages, anchors and corrections of the layout
    book: Book                  # what was printed: the volume, or a booklet cut from it


def prepare(root: Path) -> tuple[Book, list[Diagnostic]]:
    """The stages before any rendering; ``publisher check`` stops here."""
    book, diagnostics = load_book(root)                       # load
    book = enrich(book)                                       # enrich
    return book, diagnostics + check(book)                    # check


MAX_BACK_MATTER_PASSES = 3
POINTED_TO = ("acr-", "ix-", "fiche-")     # anchors whose pages the back matter prints


PROOF_NOTES_MM = 55       # a proof's pages are that much wider, on the right, for the notes


def lay_out_whole(book: Book, today: date | None = None, proof: bool = False) -> Paginated:
    """The book as one WeasyPrint document (what :func:`lay_out` must give, page for page; the tests compare).

    HTML and pagination, twice: the Glossaire and the Index print pages only a layout can tell.

    The back matter comes last, so filling it in cannot move the pages it
    points to; we check it all the same and go round again if it did.
    """
    css = render_page_css(book, PROOF_NOTES_MM if proof else 0)
    intent, allowed = output_intent(book)
    paginated = paginate(render_html(book, today=today, proof=proof), css, book.root, output_intent=intent,
                         allowed_files=allowed)
    if not book.glossary.entries and not any(isinstance(r, IndexMark) for f in book.fiches for r in all_runs(f)):
        return paginated
    for _ in range(MAX_BACK_MATTER_PASSES):
        pages = paginated.anchor_pages()
        paginated = paginate(render_html(book, today=today, pages=pages, proof=proof), css, book.root,
                             pushed=paginated.pushed, output_intent=intent, unhyphenated=paginated.unhyphenated,
                             allowed_files=allowed)
        now = paginated.anchor_pages()
        moved = [a for a, p in pages.items() if a.startswith(POINTED_TO) and now.get(a) != p]
        if not moved:
            return paginated
        log.info("le glossaire ou l'index a déplacé %d renvoi(s) : nouvelle passe", len(moved))
    log.warning("les pages du glossaire et de l'index n'ont pas pu être stabilisées : vérifiez-les")
    return paginated


def layout_notes(laid: Laid, book: Book) -> list[Diagnostic]:
    """What the layout tells that the sources could not: hyphen ladders, images, overflows, resources refused."""
    return list(laid.findings) + refusals(laid.refused, book.root)


def lay_out(book: Book, today: date | None = None, *, cache: PartCache | None = None, workers: int | None = None,
            proof: bool = False, runs: int | None = None, made: datetime | None = None) -> Laid:
    """HTML and pagination, in parts laid out side by side (publisher/parts.py): the pages of
    :func:`lay_out_whole`. ``workers``: processes (one per core by default); ``runs``: parts of
    fiches (about 25 pages each by default); ``made``: the PDF's date (html.render_html)."""
    printing = book.config.printing
    intent, allowed = output_intent(book)
    note_mm = PROOF_NOTES_MM if proof else 0
    template = Job(html="", page_css=render_page_css(book, note_mm), root=book.root, last=True,
                   tools=tools_digest(book.root), output_intent=intent, allowed_files=allowed,
                   pdf_options=tuple(sorted(variant_options(printing).items())), proof=proof)
    unmarked = replace(book, config=replace(book.config, printing=replace(printing, crop_marks=False)))
    return lay_out_in_parts(book, template, render_page_css(unmarked, note_mm), workers=workers or cores(),
                            cache=cache or PartCache(None), today=today, runs=runs, made=made,
                            pad_to=printing.pad_to)


def output_intent(book: Book) -> tuple[str | None, tuple[Path, ...]]:
    """« device-cmyk » for PDF/X, and the printer's ICC profile that WeasyPrint may then read, wherever it is."""
    intent = "device-cmyk" if book.config.printing.variant == "pdf/x-4" else None
    return intent, (profile_path(book),) if intent else ()


def build_volume(root: Path, output: Path, *, strict: bool = False, today: date | None = None,
                 variant: str | None = None, crop_marks: bool | None = None,
                 allow_open_questions: bool = False) -> BuildResult:
    """The volume, print-ready. ``variant`` and ``crop_marks`` override book.yaml's ``print:``;
    open questions stop it unless ``allow_open_questions`` (a working print)."""
    book, diagnostics = prepare(root)                         # load · enrich · check
    book = with_printing(book, variant, crop_marks)
    refuse(book, diagnostics, strict, allow_open_questions)
    return produce(book, output, diagnostics, today)


def refuse(book: Book, diagnostics: list[Diagnostic], strict: bool, allow_open_questions: bool,
           more: list[Diagnostic] | None = None) -> None:
    """What stops a print build before any layout."""
    stopping = blocking(diagnostics, strict) + (more or [])
    if not allow_open_questions:
        stopping = [d for d in stopping if d.code not in OPEN_QUESTIONS] + open_questions(diagnostics, book.config.location)
    if stopping:
        raise PublisherError(stopping)


def produce(book: Book, output: Path, diagnostics: list[Diagnostic], today: date | None = None) -> BuildResult:
    """An enriched and checked book → its print-ready PDF at ``output``."""
    cache = PartCache.of(output)
    laid = lay_out(book, today, cache=cache)                          # html · paginate, in parts
    pdf = laid.pdf                                                    # finished: padded, bleed boxes
    diagnostics = diagnostics + layout_notes(laid, book)              # what WeasyPrint cannot prevent
    diagnostics += preflight(pdf, book, relative(Path(output)))       # what the printer will check
    write_atomically(output, pdf)
    cache.save()
    pages = laid.pdf_pages
    log.info("%s : %d pages", output, pages)
    return BuildResult(Path(output), pages, tuple(diagnostics), laid, book)


@dataclass(frozen=True)
class BookletPlan:
    """What ``publisher booklet`` will build, decided before any layout."""

    book: Book                                   # the whole volume, enriched
    specs: tuple[BookletSpec, ...]
    diagnostics: tuple[Diagnostic, ...]          # about the sources the booklets print


def plan_booklets(root: Path, theme: str | None, *, strict: bool = False, variant: str | None = None,
                  crop_marks: bool | None = None, allow_open_questions: bool = False) -> BookletPlan:
    """``theme`` names one booklet (a theme, an axis or a booklet of book.yaml); None: all of them."""
    book, diagnostics = prepare(root)
    book = with_printing(book, variant, crop_marks)
    specs = all_booklets(book) if theme is None else [booklet_for(book, theme)]
    diagnostics = concerning(diagnostics, book, tuple(f for spec in specs for f in fiches_of(book, spec)))
    refuse(book, diagnostics, strict, allow_open_questions, [empty_booklet(s) for s in specs if not fiches_of(book, s)])
    return BookletPlan(book, tuple(specs), tuple(diagnostics))


def build_booklets(plan: BookletPlan, into: Path, today: date | None = None) -> Iterator[tuple[BookletSpec, BuildResult]]:
    """Each booklet in turn, as soon as it is written (the command shows progress)."""
    volume_pages: dict[str, int] = {}
    if any(refers_outside(fiches_of(plan.book, spec)) for spec in plan.specs):
        log.info("mise en page du volume, pour les renvois vers des fiches hors des livrets…")
        cache = PartCache.of(Path(into).parent / "volume.pdf")      # the volume's, when `make book` made it
        volume_pages = lay_out(plan.book, today, cache=cache).anchor_pages()
        cache.save()
    for spec in plan.specs:
        booklet = cut_booklet(plan.book, spec, volume_pages)
        yield spec, produce(booklet, Path(into) / f"{spec.slug}.pdf", [], today)


def preflight_volume(root: Path, *, variant: str | None = None) -> list[Diagnostic]:
    """``publisher check --preflight``: the whole build, in memory, and the printer's checks."""
    book, diagnostics = prepare(root)
    book = with_printing(book, variant, None)
    laid = lay_out(book)
    return diagnostics + layout_notes(laid, book) + preflight(laid.pdf, book, "(PDF du volume)")


def with_printing(book: Book, variant: str | None, crop_marks: bool | None) -> Book:
    printing = book.config.printing
    if variant is not None:
        printing = replace(printing, variant=variant)
    if crop_marks is not None:
        printing = replace(printing, crop_marks=crop_marks)
    return replace(book, config=replace(book.config, printing=printing))

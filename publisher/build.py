"""The pipeline, as one function that reads like its table of contents."""

from __future__ import annotations

import logging
from contextlib import closing, nullcontext
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Iterator

from .atomic import write_atomically
from .checks.check import check, not_ready
from .diagnostics import OPEN_QUESTIONS, Diagnostic, PublisherError, blocking, open_questions, relative
from .enrich import enrich
from .layout import Laid, PartCache, PreparedCache, Progress, cores, lay_out, lay_out_together, volume_page_numbers
from .layout.preflight import layout_checks, preflight
from .layout.uptodate import fingerprint, previous, remember
from .layout.worker import Workers, pool
from .memo import Memo, Stored
from .model import Book, BookletSpec
from .render.booklet import (all_booklets, booklet_for, concerning, cut_booklet, empty_booklet, fiches_of, keep_fiches,
                             refers_outside)
from .render.epub import EpubResult, write_epub
from .render.site import SiteResult, refuse_foreign, write_site
from .source.load import load_book
from .source.resources import refusals

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BuildResult:
    output: Path
    pages: int
    diagnostics: tuple[Diagnostic, ...]
    paginated: Laid | None      # the pages, anchors and corrections of the layout (None: up to date)
    book: Book | None           # what was printed: the volume, or a booklet cut from it (None: up to date)
    up_to_date: bool = False    # the PDF already there was made from these sources: kept as it was


def prepare(root: Path, memo: Memo | None = None, running: Workers | None = None) -> tuple[Book, list[Diagnostic]]:
    """The stages before any rendering; ``publisher check`` stops here. ``memo``: what a warm
    process (proof --watch, the desk) prepared before, fiche by fiche (memo.py); without, what the last command
    on this book prepared, on disk (memo.Stored), the other fiches typeset and checked side by side, in
    ``running``'s layout processes when they are forked already."""
    forked = running.executor if running is not None else None
    store = PreparedCache.of(root) if memo is None else None
    with closing(Stored(cores(), forked, store)) if store is not None else nullcontext(memo) as stages:
        book, diagnostics = load_book(root, stages)           # load
        book = enrich(book, stages)                           # enrich
        diagnostics += check(book, stages)                    # check
    if store is not None:
        store.save()                                          # for the next command on the book
    elif memo is not None:
        memo.done()
    return book, diagnostics


def layout_notes(laid: Laid, book: Book) -> list[Diagnostic]:
    """What the layout tells that the sources could not: its own findings (hyphen ladders, notes
    away from their call…), resources refused, images and overflows."""
    return list(laid.diagnostics) + refusals(laid.refused, book.root) + layout_checks(laid.pages, book.root)


def build_volume(root: Path, output: Path, *, strict: bool = False, today: date | None = None,
                 variant: str | None = None, crop_marks: bool | None = None,
                 allow_open_questions: bool = False, progress: Progress | None = None,
                 also: tuple[Path, ...] = ()) -> BuildResult:
    """The volume, print-ready. ``variant`` and ``crop_marks`` override book.yaml's ``print:``;
    open questions stop it unless ``allow_open_questions`` (a working print); ``also``: other PDFs whose layouts
    are read from the cache too (the desk's proof: its pages are the volume's).

    When the PDF at ``output`` was made from these very sources and options, it is kept
    and what that build said is said again (``up_to_date``: layout/uptodate.py)."""
    options = {"strict": strict, "variant": variant, "crop_marks": crop_marks, "open": allow_open_questions,
               "today": today}
    print_of = fingerprint(root, options)
    done = previous(output, print_of)
    if done:                                                  # nothing changed since this PDF was made
        return BuildResult(Path(output), done.pages, done.diagnostics, None, None, up_to_date=True)
    # the layout processes (they prepare the fiches side by side too) and the one that joins the parts, forked
    # before the book is prepared: none inherits it (800 pages: the largest process 302 → 183 MB, BENCHMARKS.md)
    with pool(cores(), joiner=True) as running:
        book, diagnostics = prepare(root, running=running)    # load · enrich · check
        book = with_printing(book, variant, crop_marks)
        diagnostics += not_ready(book)                        # for the printer: every fiche « prête »
        refuse(book, diagnostics, strict, allow_open_questions)
        running.load()                                        # WeasyPrint, there, while the HTML is rendered here
        result = produce(book, output, diagnostics, today, progress, also, running)   # layout · preflight · write
    remember(output, print_of, result.pages, result.diagnostics)
    return result


def refuse(book: Book, diagnostics: list[Diagnostic], strict: bool, allow_open_questions: bool,
           more: list[Diagnostic] | None = None) -> None:
    """What stops a print build before any layout."""
    stopping = blocking(diagnostics, strict) + (more or [])
    if not allow_open_questions:
        stopping = [d for d in stopping if d.code not in OPEN_QUESTIONS] + open_questions(diagnostics, book.config.location)
    if stopping:
        raise PublisherError(stopping)


def produce(book: Book, output: Path, diagnostics: list[Diagnostic], today: date | None = None,
            progress: Progress | None = None, also: tuple[Path, ...] = (), running: Workers | None = None) -> BuildResult:
    """An enriched and checked book → its print-ready PDF at ``output`` (``running``: processes forked already)."""
    cache = PartCache.of(output, also)
    laid = lay_out(book, today, cache=cache, progress=progress, running=running)   # html · paginate, in parts · join
    return written(book, output, diagnostics, laid, cache, running)


def written(book: Book, output: Path, diagnostics: list[Diagnostic], laid: Laid, cache: PartCache,
            running: Workers | None = None) -> BuildResult:
    """The book laid out → its print-ready PDF at ``output``, with what the layout and the printer's checks tell
    (``running``: the printer's checks made in the process that joined the book, this one's memory spared)."""
    pdf = laid.pdf                                                    # finished: padded, bleed boxes
    laid.let_go()                                                     # qpdf's memory, for the checks that read it
    diagnostics = diagnostics + layout_notes(laid, book)              # what WeasyPrint cannot prevent
    joiner = running.joiner if running is not None else None
    checking = (pdf, book.config, relative(Path(output)))            # what the printer will check
    diagnostics += joiner.submit(preflight, *checking).result() if joiner is not None else preflight(*checking)
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


def build_booklets(plan: BookletPlan, into: Path, today: date | None = None, progress: Progress | None = None,
                   also: tuple[Path, ...] = ()) -> Iterator[tuple[BookletSpec, BuildResult]]:
    """Every booklet laid out together (their parts side by side in one pool), then each written in turn
    (the command shows progress); ``also``: as :func:`build_volume`'s."""
    volume_pages: dict[str, int] = {}
    volume = Path(into).parent / "volume.pdf"                   # its cache is there when `make book` made it
    # one set of layout processes for the volume's pages and the booklets: loaded once, the second warm
    with pool(cores()) as running:
        running.load()                                          # WeasyPrint, there, while the HTML is rendered
        if any(refers_outside(fiches_of(plan.book, spec)) for spec in plan.specs):
            log.info("mise en page du volume, pour les renvois vers des fiches hors des livrets…")
            cache = PartCache.of(volume, also)
            volume_pages = volume_page_numbers(plan.book, today, cache=cache, running=running)
            cache.save()
        booklets = [cut_booklet(plan.book, spec, volume_pages) for spec in plan.specs]
        outputs = [Path(into) / f"{spec.slug}.pdf" for spec in plan.specs]
        # a fiche that prints in the booklet as in the volume is not laid out again: the volume's cache is read too
        caches = [PartCache.of(output, also=(volume, *also)) for output in outputs]
        laid = lay_out_together(list(zip(booklets, caches)), today, progress=progress, running=running)
        for spec, booklet, output, cache, pages in zip(plan.specs, booklets, outputs, caches, laid):
            yield spec, written(booklet, output, [], pages, cache)


def build_epub(root: Path, output: Path, today: date | None = None, progress: Progress | None = None,
               also: tuple[Path, ...] = ()) -> EpubResult:
    """The accessible EPUB 3 of the volume, its page list that of the printed volume; ``also``: as
    :func:`build_volume`'s."""
    book, diagnostics = prepare(root)                                       # load · enrich · check
    cache = PartCache.of(Path(output).with_name("volume.pdf"), also)       # the volume's, when make book ran
    laid = lay_out(book, today, cache=cache, progress=progress)             # the printed pages, for their numbers
    cache.save()
    return write_epub(book, output, laid.pages, diagnostics)               # render the EPUB


def build_site(root: Path, output: Path, theme: str | None = None, today: date | None = None,
               progress: Progress | None = None) -> SiteResult:
    """The web edition (render/site.py), ``theme``: of that theme's (or axis's, or booklet's) fiches only;
    the printed volume's layout (from its cache when `make book` ran) gives the pages it cites."""
    refuse_foreign(Path(output))                                            # before seconds of work, not after
    book, diagnostics = prepare(root)                                       # load · enrich · check
    cache = PartCache.of(Path(output).parent / "volume.pdf")
    laid = lay_out(book, today, cache=cache, progress=progress)             # the printed pages, for their numbers
    cache.save()
    title = None
    if theme is not None:
        spec = booklet_for(book, theme)
        fiches = fiches_of(book, spec)
        if not fiches:
            raise PublisherError(empty_booklet(spec))
        diagnostics = concerning(diagnostics, book, fiches)
        book, title = keep_fiches(book, fiches, laid.anchor_pages()), f"{book.config.title} — {spec.title}"
    return write_site(book, output, laid.pages, diagnostics, title)     # render the site, index it


def preflight_volume(root: Path, *, variant: str | None = None) -> list[Diagnostic]:
    """``publisher check --preflight``: the whole build, in memory, and the printer's checks."""
    book, diagnostics = prepare(root)
    book = with_printing(book, variant, None)
    laid = lay_out(book)
    laid.let_go()                                                     # qpdf's memory, for the checks that read it
    return diagnostics + layout_notes(laid, book) + preflight(laid.pdf, book.config, "(PDF du volume)")


def with_printing(book: Book, variant: str | None, crop_marks: bool | None) -> Book:
    printing = book.config.printing
    if variant is not None:
        printing = replace(printing, variant=variant)
    if crop_marks is not None:
        printing = replace(printing, crop_marks=crop_marks)
    return replace(book, config=replace(book.config, printing=printing))

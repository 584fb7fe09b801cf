"""One part of the book laid out and written by WeasyPrint, in a worker process.

What goes in (:class:`Job`) and what comes out (:class:`LaidPart`) are plain
data: a process cannot hand a WeasyPrint document to another. So what the box
tree tells — where anchors are, which paragraphs were corrected, hyphen
ladders, images and overflows for the preflight — is read here, page numbers
already those of the book.
"""

from __future__ import annotations

import hashlib
import logging
import multiprocessing
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterator

from .diagnostics import Diagnostic, PublisherError, error, info
from .model import SourceLocation
from .paginate import hyphen_ladders, paginate, paragraphs_with_broken_lines

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    html: str
    page_css: str
    root: Path
    last: bool                              # the book's last part: keep every page
    tools: str                              # digest of the layouts, fonts, code and the book's images
    output_intent: str | None = None
    allowed_files: tuple[Path, ...] = ()
    pdf_options: tuple[tuple[str, str], ...] = ()
    proof: bool = False                     # read where the lines are (proof/geometry.py)
    also: tuple[str, ...] = ("parts.css",)  # stylesheets of layouts/ after print.css: a part has no folios
    pushed: tuple[str, ...] = ()            # corrections already known for this part (not in the key:
    unhyphenated: tuple[str, ...] = ()      # the layout finds them again without them)

    @property
    def key(self) -> str:
        h = hashlib.sha256()
        for item in (self.html, self.page_css, str(self.root), str(self.last), self.tools, str(self.output_intent),
                     repr(self.allowed_files), repr(self.pdf_options), str(self.proof), repr(self.also)):
            h.update(item.encode())
            h.update(b"\0")
        return h.hexdigest()


@dataclass(frozen=True)
class LaidPart:
    key: str
    pdf: bytes
    pages: int                              # pages the book keeps (a part's trailing page dropped)
    anchors: dict[str, int]                 # anchor → its first page, within the part
    pushed: tuple[str, ...]
    unhyphenated: tuple[str, ...]
    broken: tuple[str, ...]
    refused: tuple[str, ...]
    findings: tuple[PageNote, ...]
    kinds: tuple[str, ...]                  # each kept page: "" (a folio), "front" or "blank" (none)
    geometry: object = None                 # proof.geometry.Geometry of the kept pages, for a proof


@dataclass(frozen=True)
class PageNote:
    """A diagnostic about a page of a part: its message says ``{page}`` where the book's page number goes."""

    page: int                               # within the part
    diagnostic: Diagnostic

    def in_book(self, first: int) -> Diagnostic:
        number = str(first + self.page - 1)
        return replace(self.diagnostic, message=self.diagnostic.message.replace(PAGE, number))


PAGE = "{page}"


def lay_out_part(job: Job) -> LaidPart:
    from .preflight import layout_checks

    paginated = paginate(job.html, job.page_css, job.root, pushed=job.pushed, output_intent=job.output_intent,
                         unhyphenated=job.unhyphenated, allowed_files=job.allowed_files, also=job.also)
    pdf = paginated.pdf_bytes(**dict(job.pdf_options))
    kept = paginated.page_count if job.last else paginated.page_count - 1
    document = paginated.document
    findings = [PageNote(page, d) for page, d in ladder_notes(document) + layout_checks(document, PAGE)
                if page <= kept]
    anchors = {a: p for a, p in paginated.anchor_pages().items() if p <= kept}
    kinds = tuple("blank" if page._page_box.page_type.blank else page._page_box.page_type.name or ""
                  for page in document.pages[:kept])
    geometry = None
    if job.proof:
        from .proof.geometry import read_geometry
        geometry = read_geometry(document, 1, kept)
    return LaidPart(job.key, pdf, kept, anchors, paginated.pushed, paginated.unhyphenated,
                    tuple(paragraphs_with_broken_lines(document)), paginated.refused, tuple(findings), kinds,
                    geometry)


def ladder_notes(document) -> list[tuple[int, Diagnostic]]:
    out = []
    for src, page, lines in hyphen_ladders(document):
        path, _, line = src.rpartition(":")
        out.append((page, info(SourceLocation(path, int(line or 1)), "hyphen-ladder",
                               f"{lines} lignes de suite finissent par une césure (page {PAGE}) : "
                               "reformulez une de ces lignes, ou imposez ailleurs la coupure d’un des mots avec &shy;")))
    return out


class Workers:
    """Processes that lay parts out: ``submit(job)`` → a future.

    Forked processes: they start at once, WeasyPrint and the fonts already loaded
    when the parent had them. With one worker, jobs run here, one at a time."""

    def __init__(self, count: int):
        self.executor = (ProcessPoolExecutor(count, mp_context=multiprocessing.get_context("fork"))
                         if count > 1 else None)

    def submit(self, job: Job) -> Future:
        if self.executor:
            return self.executor.submit(lay_out_part, job)
        done: Future = Future()
        done.set_result(lay_out_part(job))
        return done

    def stop(self) -> None:
        if not self.executor:
            return
        # Leaving early (an error, Ctrl-C, SIGTERM): the parts being laid out are of no use any more.
        for process in list((self.executor._processes or {}).values()):    # no public way to stop them
            process.terminate()
        self.executor.shutdown(wait=True, cancel_futures=True)


@contextmanager
def pool(workers: int) -> Iterator[Workers]:
    running = Workers(workers)
    try:
        yield running
    except BrokenProcessPool as lost:
        raise PublisherError(error(SourceLocation("publisher", 1), "layout-process",
                                   "un processus de mise en page s'est arrêté (mémoire épuisée ?) : "
                                   "relancez la commande ; si cela se répète, fermez d'autres programmes")) from lost
    finally:
        running.stop()

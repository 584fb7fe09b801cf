"""One part of the book laid out and written by WeasyPrint, in a worker process.

What goes in (:class:`Job`) and what comes out (:class:`LaidPart`) are plain
data: a process cannot hand a WeasyPrint document to another. So the part
comes back as its PDF and its pages as :mod:`.pages` reads them (numbered
within the part), with the corrections the layout made.
"""

from __future__ import annotations

import ctypes
import gc
import hashlib
import multiprocessing
import os
import signal
import tempfile
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterator

from ..breaking.measure import process_fonts
from ..breaking.paragraphs import process_memo
from ..diagnostics import PublisherError, error
from ..internals.futures import let_go_of_results, processes_of
from ..model import SourceLocation
from .pages import Page, anchor_pages
from .paginate import paginate, process_styles


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
    also: tuple[str, ...] = ("parts.css",)  # stylesheets of layouts/ after print.css: a part has no folios
    pushed: tuple[str, ...] = ()            # corrections already known for this part (not in the key:
    unhyphenated: tuple[str, ...] = ()      # the layout finds them again without them)
    turned: tuple[tuple[str, int], ...] = ()
    teach: bool = False                     # for a warm process: the paragraphs set handed back (not in the key)
    forget: bool = False                    # the Index: laid out after a layout process gives back (not in the key)

    @property
    def key(self) -> str:
        h = hashlib.sha256()
        for item in (self.html, self.page_css, str(self.root.resolve()), str(self.last), self.tools,
                     str(self.output_intent), repr(self.allowed_files), repr(self.pdf_options),
                     repr(self.also)):
            h.update(item.encode())
            h.update(b"\0")
        return h.hexdigest()


@dataclass(frozen=True)
class LaidPart:
    key: str
    pdf: bytes
    pages: tuple[Page, ...]                 # the pages the book keeps (a part's trailing page dropped)
    pushed: tuple[str, ...]
    unhyphenated: tuple[str, ...]
    displaced: tuple[str, ...]              # paragraphs whose note stayed on a later page
    refused: tuple[str, ...]
    unset: tuple[str, ...] = ()             # justified paragraphs left to WeasyPrint's line breaking
    turned: tuple[tuple[str, int], ...] = ()   # paragraph lines set not to end a right-hand page in a cut word
    pending: tuple[tuple[str, int], ...] = ()  # lines still ending one so after every pass, for the next layout
    taught: tuple = ()                      # the paragraphs it set, for a warm process (Job.teach), never cached

    @property
    def page_count(self) -> int:
        return len(self.pages)

    @property
    def anchors(self) -> dict[str, int]:
        """Anchor → its first page, within the part."""
        return anchor_pages(self.pages)


def lay_out_part(job: Job) -> LaidPart:
    memo = process_memo()
    memo.used = set() if job.teach else None
    try:
        part = laid_part(job)
        if memo.used:
            part = replace(part, taught=tuple((k, memo.known[k]) for k in memo.used if k in memo.known))
    finally:
        memo.used = None
    return part


def learnt(part: LaidPart) -> LaidPart:
    """``part`` as a warm process keeps it: what it was taught learnt, not kept with the part."""
    if not part.taught:
        return part
    process_memo().learn(part.taught)
    return replace(part, taught=())


def laid_part(job: Job) -> LaidPart:
    paginated = paginate(job.html, job.page_css, job.root, pushed=job.pushed, output_intent=job.output_intent,
                         unhyphenated=job.unhyphenated, allowed_files=job.allowed_files, also=job.also,
                         turned=job.turned)
    pdf = paginated.pdf_bytes(**dict(job.pdf_options))
    kept = paginated.page_count if job.last else paginated.page_count - 1
    return LaidPart(job.key, pdf, paginated.pages[:kept], paginated.pushed, paginated.unhyphenated,
                    paginated.displaced, paginated.refused, paginated.unset, paginated.turned, paginated.pending)


STOP_GRACE_S = 2          # how long a stopped layout process may take to die before it is killed


class Workers:
    """Processes that lay parts out: ``submit(job)`` → a future.

    Forked processes: they start at once, WeasyPrint and the fonts already loaded
    when the parent had them. With one worker, jobs run here, one at a time.

    All are forked here, before this layout runs anything itself (a part laid out alone, in this
    process): forked on demand just after such a layout, a process was seen twice in the suite stuck for
    good in GLib (``g_slice_free_chain``, under ``get_first_line``), a lock held at the fork by one of
    Pango's own threads, still finishing."""

    def __init__(self, count: int, scratch: str = "", joiner: bool = False):
        self.executor: ProcessPoolExecutor | None = None
        self.joiner: ProcessPoolExecutor | None = None
        try:
            if joiner:                     # forked first, WeasyPrint never loaded there: it joins with qpdf
                self.joiner = forked(1, scratch)
            if count > 1:
                self.executor = forked(count, scratch)
        except BaseException:            # stopped (Ctrl-C) while they start: none left behind
            self.stop()
            raise

    def load(self) -> None:
        """WeasyPrint loaded by the layout processes now, while this one does something else (in a cold build it
        renders the parts' HTML: 0,46 s each, side by side; loaded before the fork, it was 0,46 s here first)."""
        if self.executor:
            for _ in range(len(processes_of(self.executor))):
                self.executor.submit(load_weasyprint)

    def submit(self, job: Job) -> Future:
        if self.executor:
            return self.executor.submit(laid_apart, job)
        done: Future = Future()
        done.set_result(lay_out_part(job))
        return done

    def stop(self) -> None:
        for executor in (self.executor, self.joiner):
            if executor is not None:
                stopped(executor)


def load_weasyprint() -> None:
    import weasyprint  # noqa: F401


def forked(count: int, scratch: str) -> ProcessPoolExecutor:
    """``count`` processes forked here and now: with « fork », CPython's pool forks them all at its first job."""
    executor = ProcessPoolExecutor(count, mp_context=multiprocessing.get_context("fork"),
                                   initializer=started, initargs=(scratch, os.getpid()))
    try:
        for ready in [executor.submit(int) for _ in range(count)]:
            ready.result()
    except BaseException:
        stopped(executor)
        raise
    return executor


def stopped(executor: ProcessPoolExecutor) -> None:
    """Leaving early (an error, Ctrl-C, SIGTERM): the parts being laid out are of no use any more.
    A process stuck in C (a lock of GLib: see :class:`Workers`) before it could take SIGTERM as its own would
    not die of it, and the shutdown would wait for it for good: it is killed."""
    running = processes_of(executor)
    for process in running:
        process.terminate()
    for process in running:
        process.join(STOP_GRACE_S)
        if process.is_alive():
            process.kill()
    let_go_of_results(executor)        # a result half sent by a process stopped must not be awaited
    executor.shutdown(wait=True, cancel_futures=True)


def started(scratch: str, parent: int) -> None:
    """A worker dies at once when stopped. Forked, it would run the command's own handlers (cli.stopped):
    stopped by the parent as the parent closes their pipes, it printed a traceback (« EOFError »).
    It dies with the process that made it, however that one ends (:func:`dies_with`).
    Its temporary files go to ``scratch``, which the parent removes: a worker stopped that way never
    removes its own (WeasyPrint's copies of the fonts, 2 MB a layout, filled the disk of a desk that
    made proofs all day). The parent's parsed style sheets are not its own: their fonts are in the parent's
    folder, which it would delete as it lets them go (a page laid out after, in the parent, had no width)."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    dies_with(parent)
    process_styles().forget_inherited()
    gc.set_threshold(*LAYOUT_GC)              # it lays out, and only that (:func:`collecting_less`)
    if scratch:
        tempfile.tempdir = scratch


PR_SET_PDEATHSIG = 1        # linux/prctl.h


def laid_apart(job: Job) -> LaidPart:
    """A part laid out in a layout process; before the Index (long, in columns: the largest layout of a book,
    ``Job.forget``), what the earlier parts left given back (:func:`give_back`)."""
    if job.forget and resident_mb() > TRIM_MB:
        give_back()
    return lay_out_part(job)


def give_back() -> None:
    """The paragraphs the earlier parts set and measured forgotten (memos: they never change a result, and the
    Index sets few), and the memory freed given back to the system (glibc keeps it, scattered). At 800 pages
    the process that laid out the Index reached 201–221 MB, 152–182 since. Given back after every part, the
    next parts took it back page by page (a cold volume of 200 pages about 0,7 s slower, measured)."""
    process_memo().known.clear()
    fonts = process_fonts()
    fonts.paragraphs.clear()
    fonts.words.clear()
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):            # not glibc: nothing to give back this way
        pass


TRIM_MB = 100          # a layout process larger than this gives back what it freed, before the Index


def resident_mb() -> float:
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError):
        return 0.0


def dies_with(parent: int) -> None:
    """This process killed by the kernel as soon as ``parent`` (the thread that forked it) ends. A command
    stopped (Ctrl-C) while the pool was making its processes left one it did not know of yet: waiting for
    work for good, holding the command's terminal or pipe (a test reading the command's output never saw
    its end)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):           # not Linux: nothing to ask
        return
    if os.getppid() != parent:                  # ended already, before we asked
        os.kill(os.getpid(), signal.SIGKILL)


@contextmanager
def pool(workers: int, joiner: bool = False) -> Iterator[Workers]:
    """``workers`` layout processes (none for one: the parts laid out here), and with ``joiner`` one more that
    joins and writes the books (:func:`joined.joining`)."""
    with tempfile.TemporaryDirectory(prefix="publisher-mise-en-page-") as scratch, \
            processes(workers, scratch, joiner) as running:
        yield running


LAYOUT_GC = (100_000, 50, 1000)     # gc thresholds while laying out (Python's: 700, 10, 10)


@contextmanager
def collecting_less() -> Iterator[None]:
    """Python's cycle collector run less often while the book is laid out (here; a layout process always):
    WeasyPrint makes millions of boxes and styles, almost none of them in a cycle, and each full
    collection walks every object the layout keeps (measured: a cold build of 200 pages in one process
    24,3 → 21,8 s, its peak memory 218 → 238 MB). A layout begun while another runs (the desk: a proof and a
    booklet) leaves them to the first one to set back: never left raised for good."""
    before = gc.get_threshold()
    if before == LAYOUT_GC:
        yield
        return
    gc.set_threshold(*LAYOUT_GC)
    try:
        yield
    finally:
        gc.set_threshold(*before)


@contextmanager
def processes(workers: int, scratch: str, joiner: bool = False) -> Iterator[Workers]:
    running = Workers(workers, scratch, joiner)
    try:
        yield running
    except BrokenProcessPool as lost:
        raise PublisherError(error(SourceLocation("publisher", 1), "layout-process",
                                   "un processus de mise en page s'est arrêté (mémoire épuisée ?) : "
                                   "relancez la commande ; si cela se répète, fermez d'autres programmes")) from lost
    finally:
        running.stop()

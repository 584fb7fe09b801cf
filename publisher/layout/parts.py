"""Pagination in parts: the book cut at fiche openings, each part laid out by WeasyPrint
in its own process, the parts' PDFs joined with pikepdf (qpdf).

A fiche always opens on a right page, so a part always starts on an odd page and
lays out the same whatever its first page number. A part is laid out without its
folios (layouts/parts.css), drawn afterwards over the joined pages from a few model
pages (folios.py); a « voir p. N » and a line of the contents are laid
out with a placeholder as wide as their number, the number written on the joined page
(references.py): a fiche's pages do not depend on where the others landed. The numbers
the Glossaire and the Index print are given to them in the HTML. The front matter (contents) and the back
matter (Glossaire, Index) are parts of their own; the back matter waits until the
page counts and anchors of the fiches are known (in a first build, the contents too).

We do not know a part's page count before laying it out. We take it, and its
anchors, from the part's last layout when the cache remembers one (a « hint »,
kept under the names of its fiches: right as long as an edit does not move a
page), else we guess it from its length; we lay everything out, then again the
parts whose numbers were wrong (the contents, the Index; a fiche only when the page it
points to gains or loses a figure) or whose layout found a word cut at the foot of a
right-hand page (set whole and laid out again at once: paginate.py). A part's layout is cached under
the digest of everything it is made of: a rebuild after editing one fiche lays
out that fiche's part, the contents and the back matter. Several books (the booklets) are laid out
together, their parts side by side in one pool (:class:`Layout` holds each one's rounds).
"""

from __future__ import annotations

import logging
import math
import os
from concurrent.futures import Executor, as_completed
from contextlib import nullcontext
from dataclasses import replace
from datetime import date, datetime
from typing import Callable, Iterator

from ..model import Book
from ..enrich.glossary import glossary_rows
from ..enrich.index import Found, found_in, index_letters
from ..render.html import BACK_MATTER, Numbers, Part, book_environment, figures_of, render_html
from ..tree import all_runs
from .cache import PartCache
from .findings import unsettled
from .folios import model_html
from .joined import Laid, joining
from .worker import Job, LaidPart, Workers, collecting_less, lay_out_part, learnt, pool

Progress = Callable[[int, int], None]      # told (pages laid out, pages in all) as the parts are done

log = logging.getLogger(__name__)

MAX_ROUNDS = 5
EACH_FICHE = 10**9         # as ``runs``: one part per fiche (cut() takes no more parts than fiches), the default
PAGE_CHARS = 1900          # characters on a page of fiche, to guess a page count before any layout
FRONT_PAGES = 4            # and the pages before the contents
CONTENTS_LINES = 16        # and the lines of the contents on a page (a title may take two lines)


def cut(book: Book, count: int, found: Found | None = None) -> list[Part]:
    """The front matter, ``count`` runs of consecutive fiches, the back matter.

    The cut depends on the number of fiches only, not on their text: editing a fiche
    leaves the other parts as they were, and in the cache."""
    fiches = book.fiches
    count = max(1, min(count, len(fiches)))
    bounds = [round(i * len(fiches) / count) for i in range(count + 1)]
    parts = [Part(True, (), (), last=False)]
    parts += [Part(False, fiches[a:b], (), last=False) for a, b in zip(bounds, bounds[1:]) if b > a]
    parts += [Part(False, (), (section,), last=False) for section in back_matter(book, found)]
    return parts[:-1] + [replace(parts[-1], last=True)]


def back_matter(book: Book, found: Found | None = None) -> tuple[str, ...]:
    """The Glossaire and the Index, when the book prints them: a part each, laid out side by side."""
    # what the templates ask (rows to print), whatever the pages: every occurrence of a term lands on one
    printed = {"glossary": bool(glossary_rows(book, {})),
               "index": bool(index_letters(book, {}, places=tuple, found=found))}
    return tuple(section for section in BACK_MATTER if printed[section])


def has_back_matter(book: Book) -> bool:
    """A Glossaire or an Index: pages printed after the fiches, that print the fiches' pages."""
    return bool(back_matter(book))


class Layout:
    """One book's parts as they are laid out, round after round: what each part printed, its page count
    and anchors, the layout it got. Several books (the booklets) are laid out together, in one pool.

    ``template``: the settings every part shares (CSS, sandbox, PDF options); ``proof``: a proof's HTML (an
    editor's comment a mark, its text in the margin: proof/), laid out as the volume's;
    ``folio_css``: the page CSS of the folios (no crop marks: the parts have them);
    ``runs``: how many runs of fiches (by default one per fiche: a fiche laid out once serves the volume, the
    booklets that print it and the next build after another fiche is edited; see BENCHMARKS.md);
    ``pad_to``: blank pages added at the end up to a multiple of it (finish.py)."""

    def __init__(self, book: Book, template: Job, folio_css: str, cache: PartCache, *, today: date | None = None,
                 runs: int | None = None, made: datetime | None = None, pad_to: int = 1, proof: bool = False):
        self.book, self.template, self.folio_css, self.cache, self.pad_to = book, template, folio_css, cache, pad_to
        found = found_in(book)                 # the Index's occurrences: the same for every round
        self.html_options = {"today": today, "proof": proof, "made": made, "env": book_environment(),
                             "found": found}
        self.parts = cut(book, runs or EACH_FICHE, found)
        self.names = [name_of(part) for part in self.parts]
        hints = [cache.hint_of(name, anywhere=bool(part.fiches)) for name, part in zip(self.names, self.parts)]
        listed = len(book.fiches) + sum(len(p.back) for p in self.parts)
        self.counts = [h.pages if h else guessed_pages(p, listed) for h, p in zip(hints, self.parts)]
        self.relative = [dict(h.anchors) if h else {} for h in hints]
        self.laid: list[LaidPart | None] = [None] * len(self.parts)
        self.printed: list[dict[str, int] | None] = [None] * len(self.parts)   # the figures each part printed
        self.layouts = [0] * len(self.parts)
        self.settled = False
        self.whole = True                 # False: laid out for its fiches' pages only (no back matter, no folios)

    def jobs(self) -> dict[int, Job]:
        """This round's: the parts whose HTML, with the page numbers known so far, is not the one laid out yet,
        and the folios' model pages (:meth:`folio_jobs`).

        A part whose numbers have as many figures as last time (``printed``) is the same HTML, not rendered
        again (the back matter, which prints the numbers themselves, always is)."""
        parts, laid, relative = self.parts, self.laid, self.relative
        numbers = absolute(relative, first_pages(self.counts), parts)
        jobs: dict[int, Job] = {}
        guessing = any(not relative[k] for k, p in enumerate(parts) if p.fiches)
        later = any(p.back for p in parts)      # a round after the fiches' (the back matter's)
        for i, part in enumerate(parts):
            if part.back and (guessing or not self.whole):
                continue                  # the Index would print guesses: wait for the fiches
            if part.front and guessing and later and not laid[i]:
                continue                  # its lines would print guessed numbers: laid out beside the Index
            done = laid[i]
            if done is not None and not part.back and not done.pending and same_numbers(self.printed[i], numbers):
                continue
            asked = Numbers(numbers)
            html = render_html(self.book, pages=numbers, part=part, numbers=asked, **self.html_options)
            self.printed[i] = asked.widths
            job = replace(self.template, html=html, last=part.last, forget="index" in part.back,
                          pushed=done.pushed if done else (), unhyphenated=done.unhyphenated if done else (),
                          turned=done.turned + done.pending if done else ())
            if done is None or done.key != job.key or done.pending:
                jobs[i] = job
        if jobs and self.whole:           # the folios' models laid out with the last round, when it can be
            jobs.update(self.folio_jobs())
        return jobs

    def took(self, i: int, part: LaidPart, fresh: bool) -> None:
        if i >= 0:
            self.laid[i], self.counts[i], self.relative[i] = part, part.page_count, part.anchors
            self.layouts[i] += fresh
            self.cache.remember(self.names[i], part)

    def folio_jobs(self) -> dict[int, Job]:
        """The model pages of the folios (folios.py), one document for each number of figures the pages as they
        stand have, in that order (keyed -1, -2… in a round's jobs): the same documents for every build of the book, laid
        out in its first round and then taken from the cache."""
        last = first_pages(self.counts)[-1] + self.counts[-1] - 1
        # untagged (no pdf_options): drawn as an artifact, a folio must hold no marked content of its own
        return {-figures: replace(self.template, html=model_html(self.book, figures), page_css=self.folio_css,
                                  last=True, also=(), pdf_options=())
                for figures in range(1, figures_of(last) + 1)}

    def joining(self, folios: list[LaidPart], joiner: Executor | None = None) -> Callable[[], Laid]:
        """The book joined (by ``joiner``, from now on), when the result is asked; ``folios``: the model documents
        of its folios (:meth:`folio_jobs`), in order."""
        laid = [part for part in self.laid if part is not None]
        joined = joining(laid, first_pages(self.counts), tuple(self.layouts), tuple(folio.pdf for folio in folios),
                         self.pad_to, self.book.root, joiner)

        def finished() -> Laid:
            done = joined()
            if self.settled and not done.astray:
                return done
            return replace(done, diagnostics=done.diagnostics + (unsettled(self.book.config.location,
                                                                           "des parties du livre"),))
        return finished


def lay_out_in_parts(books: list[Layout], *, workers: int, progress: Progress | None = None,
                     running: Workers | None = None) -> Iterator[Laid]:
    """Every part of every book laid out with its true numbers, side by side in one pool; then each book
    joined, the folios drawn over, in turn (``progress``: told (pages laid out, pages in all) as parts are done).
    ``running``: processes forked already (:func:`worker.pool`), with a process of their own that joins
    the books and writes them (:class:`Laid` with the PDF written, not opened)."""
    with collecting_less(), nullcontext(running) if running is not None else pool(workers) as using:
        # a part alone (a fiche just edited) is laid out here by a warm process (proof --watch, the desk: its
        # memories are there); else by the layout processes, forked already, this process laying out nothing
        in_rounds(books, using, progress, here=running is None and any(book.template.teach for book in books))
        # the folios' model pages: from the cache (laid out with a round) or in a layout process
        asked = [(k, job) for k, book in enumerate(books) for job in book.folio_jobs().values()]
        folios = cached_or_run(using, [(books[k].cache, job) for k, job in asked], here=False)
        # a volume: joined by its own process; the booklets: side by side by the layout processes; one book
        # without (a proof: it draws on the document), here
        joiner = (running.joiner if running is not None else None) or (using.executor if len(books) > 1 else None)
        waiting = [book.joining([folio for (n, _), (folio, _) in zip(asked, folios) if n == k], joiner)
                   for k, book in enumerate(books)]
        for finished in waiting:
            yield finished()


def page_numbers(book: Layout, *, workers: int, running: Workers | None = None) -> dict[str, int]:
    """Anchor → page in the book laid out, not joined (a booklet's « p. N du volume » needs no more: nor the
    back matter, after every fiche); ``running``: processes forked already (the booklets' own, warm for them)."""
    book.whole = False
    with collecting_less(), nullcontext(running) if running is not None else pool(workers) as using:
        in_rounds([book], using)
    return absolute(book.relative, first_pages(book.counts), book.parts)


def in_rounds(books: list[Layout], running: Workers, progress: Progress | None = None, here: bool = True) -> None:
    """Round after round, the parts whose numbers changed laid out again, until none did (``here``: a part
    alone laid out in this process, :func:`cached_or_run`)."""
    counted = [(k, i) for k, book in enumerate(books) for i in range(len(book.parts))]
    for round_ in range(MAX_ROUNDS):
        asked: list[tuple[int, int, Job]] = []
        for k, book in enumerate(books):
            jobs = {} if book.settled else book.jobs()
            book.settled = not jobs
            asked += [(k, i, job) for i, job in jobs.items()]
        if not asked:
            return
        log.info("mise en page de %d partie(s) sur %d (tour %d)…", sum(i >= 0 for _, i, _ in asked),
                 len(counted), round_ + 1)
        pending = {(k, i) for k, i, _ in asked if i >= 0}

        def finished(n: int, part: LaidPart, asked=asked, pending=pending) -> None:
            k, i, _ = asked[n]
            if progress and i >= 0:
                pending.discard((k, i))
                books[k].counts[i] = part.page_count
                progress(sum(books[k].counts[i] for k, i in counted if (k, i) not in pending),
                         sum(books[k].counts[i] for k, i in counted))
        done = cached_or_run(running, [(books[k].cache, job) for k, _, job in asked], finished, here)
        for (k, i, _), (part, fresh) in zip(asked, done):
            books[k].took(i, part, fresh)


def same_numbers(printed: dict[str, int] | None, numbers: dict[str, int]) -> bool:
    """A part's HTML would print what it printed (``printed``: anchor → figures, Numbers.widths): as many
    figures in each « voir p. N » and line of the contents (their numbers are written after the layout:
    references.py)."""
    return printed is not None and all(figures_of(numbers.get(a)) == n for a, n in printed.items())


def name_of(part: Part) -> str:
    """What a part is whatever its text: the hint of its page count and anchors survives an edit."""
    return "\n".join(["front"] * part.front + [f.id for f in part.fiches] + [f"back {section}" for section in part.back])


def guessed_pages(part: Part, listed: int) -> int:
    """``listed``: the lines of the contents (the fiches, the back matter)."""
    if part.front:                        # half-title and its blank page, title page, colophon; the contents
        return FRONT_PAGES + math.ceil(listed / CONTENTS_LINES)
    chars = (sum(len(getattr(r, "text", "") or "") for r in all_runs(f)) for f in part.fiches)
    return max(1, sum(1 + c // PAGE_CHARS for c in chars))


SECTION_ANCHORS = {"glossary": "glossaire", "index": "index"}


def first_pages(counts: list[int]) -> list[int]:
    """Each part's first page: the next odd page after the previous part."""
    starts, page = [], 1
    for count in counts:
        starts.append(page)
        page += count + (count % 2)           # a part ending on a right page is followed by a blank page
    return starts


def absolute(relative: list[dict[str, int]], starts: list[int], parts: list[Part]) -> dict[str, int]:
    """Anchor → page in the book; a part not laid out yet: its first page, for its fiches and back matter."""
    numbers: dict[str, int] = {}
    for i, part in enumerate(parts):
        numbers.update({f.anchor: starts[i] for f in part.fiches})
        numbers.update({SECTION_ANCHORS[section]: starts[i] for section in part.back})
        numbers.update({anchor: starts[i] + page - 1 for anchor, page in relative[i].items()})
    return numbers


def cached_or_run(running: Workers, asked: list[tuple[PartCache, Job]],
                  finished: Callable[[int, LaidPart], None] = lambda n, part: None,
                  here: bool = True) -> list[tuple[LaidPart, bool]]:
    """Each job's part, from its book's cache or laid out now (then True), the latter side by side, a job
    that several books ask for (a fiche printed alike in two booklets) once; ``finished(n, part)`` as each
    is ready; ``here``: one job alone laid out in this process."""
    keys = [job.key for _, job in asked]            # a digest of the job's HTML: computed once
    hits = [cache.get(key) for (cache, _), key in zip(asked, keys)]
    found = list(hits)
    missing: dict[str, list[int]] = {}
    for n, hit in enumerate(hits):
        if hit is None:
            missing.setdefault(keys[n], []).append(n)
        else:
            finished(n, hit)

    def got(askers: list[int], part: LaidPart) -> None:
        part = learnt(part)
        for n in askers:
            found[n] = part
            finished(n, part)
    if len(missing) == 1 and here:           # one part (a fiche just edited): no process to wake
        [askers] = missing.values()
        got(askers, lay_out_part(asked[askers[0]][1]))
    else:
        # the longest first (by their HTML: the Index before the contents), so that none is left to finish alone
        longest = sorted(missing.values(), key=lambda askers: -len(asked[askers[0]][1].html))
        futures = {running.submit(asked[askers[0]][1]): askers for askers in longest}
        for future in as_completed(futures):
            got(futures[future], future.result())
    fresh = {askers[0] for askers in missing.values()}          # laid out once, for the first that asked
    out = []
    for n, part in enumerate(found):
        assert part is not None
        if hits[n] is None and not part.pending:     # a layout to be made again is not the part's
            asked[n][0].put(part)
        out.append((part, n in fresh))
    return out


def cores() -> int:
    """The processors this process may use (a container or ``taskset`` may give fewer than the machine has)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1

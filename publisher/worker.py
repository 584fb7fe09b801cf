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
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from .diagnostics import Diagnostic, info
from .model import SourceLocation
from .paginate import hyphen_ladders, paginate, paragraphs_with_broken_lines

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    html: str
    page_css: str
    root: Path
    start: int                              # the part's first page number in the book (odd)
    last: bool                              # the book's last part: keep every page
    tools: str                              # digest of the layouts, fonts, code and the book's images
    output_intent: str | None = None
    allowed_files: tuple[Path, ...] = ()
    pdf_options: tuple[tuple[str, str], ...] = ()
    pushed: tuple[str, ...] = ()            # corrections already known for this part (not in the key:
    unhyphenated: tuple[str, ...] = ()      # the layout finds them again without them)

    @property
    def css(self) -> str:
        if self.start == 1:
            return self.page_css
        return self.page_css + f"\n@page :first {{ counter-reset: page {self.start}; }}\n"

    @property
    def key(self) -> str:
        h = hashlib.sha256()
        for item in (self.html, self.css, str(self.root), str(self.last), self.tools, str(self.output_intent),
                     repr(self.allowed_files), repr(self.pdf_options)):
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
    findings: tuple[Diagnostic, ...]


def lay_out_part(job: Job) -> LaidPart:
    from .preflight import layout_checks

    paginated = paginate(job.html, job.css, job.root, pushed=job.pushed, output_intent=job.output_intent,
                         unhyphenated=job.unhyphenated, allowed_files=job.allowed_files)
    pdf = paginated.pdf_bytes(**dict(job.pdf_options))
    kept = paginated.page_count if job.last else paginated.page_count - 1
    document = paginated.document
    findings = ladder_notes(document, job.start) + layout_checks(document, job.start)
    anchors = {a: p for a, p in paginated.anchor_pages().items() if p <= kept}
    return LaidPart(job.key, pdf, kept, anchors, paginated.pushed, paginated.unhyphenated,
                    tuple(paragraphs_with_broken_lines(document)), paginated.refused, tuple(findings))


def ladder_notes(document, first: int = 1) -> list[Diagnostic]:
    out = []
    for src, page, lines in hyphen_ladders(document, first):
        path, _, line = src.rpartition(":")
        out.append(info(SourceLocation(path, int(line or 1)), "hyphen-ladder",
                        f"{lines} lignes de suite finissent par une césure (page {page}) : "
                        "reformulez une de ces lignes, ou imposez ailleurs la coupure d’un des mots avec &shy;"))
    return out


@contextmanager
def pool(workers: int) -> Iterator[Callable]:
    """``run(function, items)`` → results in order, in ``workers`` processes (in this one if 1).

    Forked processes: they start at once, WeasyPrint and the fonts already loaded
    when the parent had them. Leaving the block (an error, Ctrl-C) stops them."""
    if workers <= 1:
        yield lambda function, items: [function(item) for item in items]
        return
    processes = multiprocessing.get_context("fork").Pool(workers)
    try:
        yield lambda function, items: processes.map(function, items, chunksize=1)
        processes.close()
    finally:
        processes.terminate()
        processes.join()

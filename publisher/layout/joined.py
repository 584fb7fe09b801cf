"""The book's parts joined into one PDF with pikepdf (qpdf): a :class:`Laid`.

Each part's pages are appended (the page a part ends with so that the next opens on the right dropped),
their structure trees, bookmarks and named destinations merged, one font dictionary per face (faces.py);
the « voir p. N » written (references.py), the folios drawn over each page (folios.py), the printer's blank pages and
bleed (pdf.py). What the join is made of is plain data (:class:`Pieces`): a volume's build has it joined and
written by a process of its own, forked before the book was prepared (worker.pool), which holds nothing else
(800 pages: the build's largest process 302 → 183 MB, BENCHMARKS.md).
"""

from __future__ import annotations

import io
from concurrent.futures import Executor
from dataclasses import dataclass
from functools import cached_property
from typing import Callable

import pikepdf

from ..diagnostics import Diagnostic
from .faces import BookFonts, put_back, shared_on
from .findings import findings
from .folios import WITH_FOLIO, Folios
from .fonts import share_fonts
from .pages import Page, Slot, anchor_pages, broken_lines
from .pdf import (destinations_of, finish_pages, link_inside, merge_outline, merge_structure, set_destinations,
                  steady_identifiers, tidy_fonts)
from .references import write_numbers
from .tagged import settle
from .worker import LaidPart


@dataclass(frozen=True)
class Laid:
    """The book laid out: its PDF and what the layout told, page numbers those of the book."""

    document: pikepdf.Pdf | None             # the PDF, not yet written (a proof draws its sheets on it);
                                             # None once written and let go (:meth:`let_go`)
    pages: tuple[Page, ...]                  # the pages laid out, as pages.py reads them
    pdf_pages: int                           # with the blank pages the printer asked for (print.pad_to)
    pushed: tuple[str, ...] = ()             # paragraphs sent to the next page, to keep a note with its call
    unhyphenated: tuple[str, ...] = ()       # paragraphs set without hyphenation
    refused: tuple[str, ...] = ()            # URLs refused by the sandbox
    diagnostics: tuple[Diagnostic, ...] = ()  # what the layout tells an editor (findings.py)
    layouts: tuple[int, ...] = ()            # how many times each part was laid out (not found in the cache)
    astray: tuple[str, ...] = ()             # anchors whose « voir p. N » did not fit its placeholder (references.py)
    written: bytes | None = None             # the PDF, when another process joined and wrote it (no document)

    @cached_property
    def pdf(self) -> bytes:
        """The PDF written; a tagged one (PDF/UA) with its structure tree settled (tagged.py)."""
        return self.written if self.written is not None else saved(self.opened())

    def opened(self) -> pikepdf.Pdf:
        if self.document is None:
            raise ValueError("ce livre mis en pages a été écrit et son PDF fermé (Laid.let_go)")
        return self.document

    def let_go(self) -> None:
        """The PDF written (:attr:`pdf`, kept), then the document let go: what qpdf holds for it (800 pages:
        about 90 MB) free for what comes next — the printer's checks read the PDF again. Its pages and findings
        stay. The one change a Laid takes after it is made (closed only, a document keeps its memory while it
        is referenced)."""
        _ = self.pdf
        if self.document is not None:
            self.document.close()
        object.__setattr__(self, "document", None)

    @property
    def page_count(self) -> int:
        return len(self.pages)

    @cached_property
    def anchors(self) -> dict[str, int]:
        """Anchor (HTML id) → first page where it appears."""
        return anchor_pages(self.pages)

    @property
    def broken(self) -> tuple[str, ...]:
        """Paragraphs still set with a line cut short after a hyphenated one (none, unless a correction failed)."""
        return tuple(broken_lines(self.pages))

    def page_of(self, anchor: str) -> int | None:
        return self.anchors.get(anchor)

    def anchor_pages(self) -> dict[str, int]:
        return dict(self.anchors)


def joining(laid: list[LaidPart], starts: list[int], layouts: tuple[int, ...], folios: tuple[bytes, ...],
            pad_to: int, root, joiner: Executor | None = None) -> Callable[[], Laid]:
    """One PDF, when the result is asked: each part's pages (the page a part ends with so that the next opens on
    the right, dropped), each page with its folio laid over (``folios``: their model documents, folios.py); then
    the printer's blank pages and bleed (pdf.py). ``joiner``: a process that joins and writes it, given the join
    at once (the book written, not opened: a volume's build; several books, the booklets, side by side)."""
    laid_pages = tuple(page.moved(start) for part, start in zip(laid, starts) for page in part.pages)
    numbers = anchor_pages(laid_pages)
    pieces = Pieces(tuple((part.pdf, part.page_count) for part in laid), tuple(page.slots for page in laid_pages),
                    numbers, folios, tuple(page.kind for page in laid_pages), pad_to,
                    "".join(part.key for part in laid))
    writing = joiner.submit(pieces.written) if joiner is not None else None

    def finished() -> Laid:
        if writing is None:
            document, astray = pieces.joined()
            written, count = None, len(document.pages)
        else:
            document = None
            written, astray, count = writing.result()
        pages = tuple(page.numbered(numbers) for page in laid_pages)
        unhyphenated = tuple(s for p in laid for s in p.unhyphenated)
        return Laid(document, pages, count, pushed=tuple(s for p in laid for s in p.pushed),
                    unhyphenated=unhyphenated, refused=tuple(dict.fromkeys(u for p in laid for u in p.refused)),
                    diagnostics=tuple(findings(pages, root, unhyphenated=unhyphenated,
                                               displaced=tuple(s for p in laid for s in p.displaced),
                                               unset=tuple(s for p in laid for s in p.unset))),
                    layouts=layouts, astray=tuple(astray), written=written)
    return finished


@dataclass(frozen=True)
class Pieces:
    """What the join makes the book's PDF of, as plain data (a process of its own may join them)."""

    parts: tuple[tuple[bytes, int], ...]           # each part's PDF and the pages kept of it
    slots: tuple[tuple[Slot, ...], ...]            # each page's « voir p. N » (references.py)
    numbers: dict[str, int]                        # anchor → page in the book
    folios: tuple[bytes, ...]                      # the folios' model documents, by number of figures (folios.py)
    kinds: tuple[str, ...]                         # each page's kind (pages.Page.kind): which have a folio
    pad_to: int
    seed: str                                      # what the parts are made of: the PDF's identifiers

    def joined(self) -> tuple[pikepdf.Pdf, list[str]]:
        """The book's PDF, and the anchors whose number did not fit its placeholder."""
        first, first_count = self.parts[0]
        book = pikepdf.open(io.BytesIO(first))
        del book.pages[first_count:]
        fonts = BookFonts(book)                # one font dictionary per face, not one per part (faces.py)
        tidy_fonts(book.pages, None)           # each part's fonts tidied before the book shares them
        put_back(book.pages, shared_on(book, book.pages, fonts))
        destinations = destinations_of(book, list(book.pages))
        for k, (pdf, count) in enumerate(self.parts[1:], start=1):
            # each part let go as soon as its pages are copied: what qpdf holds of an open PDF (800 pages: 211
            # parts, 50 MB) is not needed to save the book, whose copies read their streams from the part's bytes
            source = pikepdf.open(io.BytesIO(pdf))
            tidy_fonts(source.pages[:count], str(k))
            taken = shared_on(source, source.pages[:count], fonts)
            before = len(book.pages)
            book.pages.extend(source.pages[:count])
            copies = list(book.pages[before:])
            merge_structure(book, source, copies, source.pages[:count])  # tagged on every page
            merge_outline(book, source)
            put_back(copies, taken)
            destinations.update(destinations_of(source, copies))
            source.close()
        fonts.finish()
        set_destinations(book, destinations)
        astray = write_numbers(book, self.slots, self.numbers)
        folios = Folios(book, self.folios)
        for number, (page, kind) in enumerate(zip(book.pages, self.kinds), start=1):
            link_inside(page)
            if kind == WITH_FOLIO:
                folios.draw(page, number)
        share_fonts(book)
        finish_pages(book, self.pad_to)
        steady_identifiers(book, self.seed)
        return book, astray

    def written(self) -> tuple[bytes, list[str], int]:
        """The book's PDF written, the anchors astray, its page count."""
        book, astray = self.joined()
        try:
            return saved(book), astray, len(book.pages)
        finally:
            book.close()


def saved(document: pikepdf.Pdf) -> bytes:
    """``document`` written; a tagged one (PDF/UA) with its structure tree settled (tagged.py)."""
    if "/StructTreeRoot" in document.Root:
        settle(document)
    out = io.BytesIO()
    document.save(out, deterministic_id=True)       # the same sources, the same bytes
    return out.getvalue()

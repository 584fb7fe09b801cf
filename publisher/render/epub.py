"""``publisher epub``: the volume as an accessible EPUB 3, from the same enriched book as the PDF
(the same typography, acronyms, cross-references): one XHTML document per fiche, notes as EPUB
footnotes linked both ways, the printed volume's page numbers kept (page breaks and a page list,
from the volume's own layout), a navigation document with landmarks, the shipped fonts, and
schema.org accessibility metadata. Only the book's own files go in (images of the book, our fonts).
"""

from __future__ import annotations

import hashlib
import io
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..atomic import write_atomically
from ..diagnostics import Diagnostic
from ..enrich.glossary import glossary_rows
from ..enrich.index import IndexLetter, PageRef, index_letters
from ..layout.pages import Page, anchor_pages
from ..model import Acronym, Book, Fiche, Figure, FootnoteRef
from ..paths import FONTS, LAYOUTS
from ..source import images
from ..tree import all_runs, walk_blocks
from .html import book_environment, footnotes_of, heading_levels, source_date

FONT_FILES = ("SourceSerif4SmText-Regular.otf", "SourceSerif4SmText-It.otf", "SourceSerif4SmText-Semibold.otf",
              "SourceSans3-Regular.otf", "SourceSans3-Semibold.otf")
MEDIA = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".gif": "image/gif",
         ".svg": "image/svg+xml", ".webp": "image/webp"}


@dataclass(frozen=True)
class EpubResult:
    output: Path
    documents: int
    pages: int                       # page numbers of the printed volume kept in the page list
    diagnostics: tuple[Diagnostic, ...]


@dataclass(frozen=True)
class Note:
    blocks: tuple
    back: str                        # the id of its (first) call


def file_of(fiche: Fiche) -> str:
    return f"{fiche.id}.xhtml"


def printed_pages(book: Book, pages: tuple[Page, ...]) -> dict[str, list[int]]:
    """Each fiche's anchor → the pages of the printed volume it is on (its article spans them all)."""
    out: dict[str, list[int]] = {f.anchor: [] for f in book.fiches}
    for page in pages:
        for anchor in page.anchors:
            if anchor in out and page.kind != "blank":
                out[anchor].append(page.number)
    return out


def page_starts(book: Book, pages: tuple[Page, ...], printed: dict[str, list[int]]) -> dict[str, list[int]]:
    """Where each page of the printed volume begins, for a digital edition to mark it (« p. 37 » can be cited):
    the source (« fiches/x.md:12 ») of the block its first line belongs to, or the fiche's anchor when the page
    opens the fiche (or starts with what has none); ``printed``: :func:`printed_pages`."""
    by_number = {p.number: p for p in pages}
    out: dict[str, list[int]] = {}
    for fiche in book.fiches:
        owner = {b.location.in_book(book.root): b.location.in_book(book.root) for b in walk_blocks(fiche.blocks)}
        for figure in (b for b in walk_blocks(fiche.blocks) if isinstance(b, Figure)):
            mark = figure.location.in_book(book.root)        # a page opening on a caption opens on its figure
            owner.update((c.location.in_book(book.root), mark) for c in walk_blocks(figure.caption))
        for k, n in enumerate(printed[fiche.anchor]):
            first = next((line.source for line in by_number[n].lines if line.text and not line.margin
                          and not line.note and line.source), "")
            out.setdefault(owner[first] if k and first in owner else fiche.anchor, []).append(n)
    return out


def write_epub(book: Book, output: Path, pages, diagnostics=()) -> EpubResult:
    """An enriched and checked book (the volume, a booklet) → its EPUB at ``output``, the page list
    taken from ``pages``: the layout of its printed edition (layout.pages.Page)."""
    printed = printed_pages(book, pages)
    starts = page_starts(book, pages, printed)
    env = book_environment(LAYOUTS)
    by_anchor = {f.anchor: file_of(f) for f in book.fiches}
    pictures = images.Copied(book.root)
    image = pictures.name_of

    def link_to(anchor: str) -> str:
        return f"{by_anchor[anchor]}#{anchor}" if anchor in by_anchor else f"#{anchor}"

    pages_of = anchor_pages(pages)
    common = dict(config=book.config, image=image, alternative_text=images.alternative_text, link_to=link_to,
                  proof=False, epub=True, page_number=lambda anchor: pages_of.get(anchor),
                  src=lambda location: location.in_book(book.root), page_starts=lambda place: starts.get(place, []))
    documents = {"titre.xhtml": env.get_template("epub/titre.xhtml.j2").render(**common)}
    for fiche in book.fiches:
        notes = footnotes_of(fiche)
        documents[file_of(fiche)] = env.get_template("epub/fiche.xhtml.j2").render(
            f=fiche, notes=notes, calls=calls_of(fiche, notes),
            heading_level=heading_levels([fiche], 2), **common)
    rows = glossary_rows(book, pages_of)
    if rows:
        documents["glossaire.xhtml"] = env.get_template("epub/glossaire.xhtml.j2").render(
            rows=rows, first_use=first_uses(book), **common)
    index = index_places(book)
    if index:
        documents["index.xhtml"] = env.get_template("epub/index.xhtml.j2").render(index=index, **common)
    page_list = [(n, f"{file_of(f)}#page-{n}") for f in book.fiches for n in printed[f.anchor]]
    nav = env.get_template("epub/nav.xhtml.j2").render(fiches=book.fiches, file_of=file_of, pages=page_list,
                                                       glossary=bool(rows), index=bool(index), **common)
    data = package(book, documents, nav, pictures.names)
    write_atomically(Path(output), data)
    return EpubResult(Path(output), len(documents) + 1, len(page_list), tuple(diagnostics))


def index_places(book: Book, where: Callable[[Fiche], str] = file_of) -> list[IndexLetter]:
    """The Index of a book without pages: each entry leads to the fiches it occurs in, each reference
    the fiche's short title, a link to the first occurrence there (« en note » when only in a note);
    ``where``: a fiche's document (its page, for the site)."""
    owner: dict[str, Fiche] = {}
    for fiche in book.fiches:
        owner[fiche.anchor] = fiche
        owner.update((run.anchor, fiche) for run in all_runs(fiche) if getattr(run, "anchor", None))
        owner.update((f"{run.anchor}-nom", fiche) for run in all_runs(fiche) if getattr(run, "expand", False))

    def places(found: list[tuple[str, bool]]) -> tuple[PageRef, ...]:
        first: dict[str, tuple[Fiche, str]] = {}
        in_text: set[str] = set()
        for anchor, in_note in found:
            if anchor in owner:
                first.setdefault(owner[anchor].id, (owner[anchor], anchor))
                if not in_note:
                    in_text.add(owner[anchor].id)
        return tuple(PageRef((f.short_title or f.title) + ("" if f.id in in_text else "\u00a0(en note)"),
                             f"{where(f)}#{anchor}") for f, anchor in first.values())

    return index_letters(book, {}, places)


def first_uses(book: Book, where: Callable[[Fiche], str] = file_of) -> dict[str, str]:
    """Each acronym → where the book first uses it (the document and the anchor of its abbr)."""
    out: dict[str, str] = {}
    for fiche in book.fiches:
        for run in all_runs(fiche):
            if isinstance(run, Acronym) and run.anchor:
                out.setdefault(run.text, f"{where(fiche)}#{run.anchor}")
    return out


def calls_of(fiche: Fiche, notes: dict) -> list[tuple[int, Note]]:
    """The fiche's notes in the order of their numbers, each with the id of its first call."""
    out: dict[int, Note] = {}
    for run in all_runs(fiche):
        if isinstance(run, FootnoteRef) and run.label in notes and run.number not in out:
            back = f"ref-{Path(run.location.path).stem}-{run.location.line}-{run.number}"
            out[run.number] = Note(notes[run.label].blocks, back)
    return sorted(out.items())


def package(book: Book, documents: dict[str, str], nav: str, pictures: dict[str, str]) -> bytes:
    env = book_environment(LAYOUTS)
    items = [{"id": f"d{k}", "href": name, "type": "application/xhtml+xml", "spine": True}
             for k, name in enumerate(documents)]
    items += [{"id": f"font{k}", "href": f"fonts/{name}", "type": "font/otf", "spine": False}
              for k, name in enumerate(FONT_FILES)]
    items += [{"id": f"img{k}", "href": name, "type": MEDIA.get(Path(name).suffix.lower(), "image/png"),
               "spine": False} for k, name in enumerate(pictures)]
    digest = hashlib.sha256("".join(documents.values()).encode("utf-8")).hexdigest()
    identifier = f"urn:uuid:{uuid.UUID(digest[:32])}"          # the same text, the same identifier
    modified = source_date(book.root).strftime("%Y-%m-%dT%H:%M:%SZ")
    opf = env.get_template("epub/content.opf.j2").render(config=book.config, items=items, identifier=identifier,
                                                         modified=modified, visual=bool(pictures))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr(stored("mimetype"), "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        z.writestr(stored("META-INF/container.xml"), CONTAINER, compress_type=zipfile.ZIP_DEFLATED)
        z.writestr(stored("EPUB/content.opf"), opf, compress_type=zipfile.ZIP_DEFLATED)
        z.writestr(stored("EPUB/nav.xhtml"), nav, compress_type=zipfile.ZIP_DEFLATED)
        z.writestr(stored("EPUB/epub.css"), (LAYOUTS / "epub" / "epub.css").read_bytes(), compress_type=zipfile.ZIP_DEFLATED)
        for name, text in documents.items():
            z.writestr(stored(f"EPUB/{name}"), text, compress_type=zipfile.ZIP_DEFLATED)
        for name in FONT_FILES:
            z.writestr(stored(f"EPUB/fonts/{name}"), (FONTS / name).read_bytes(), compress_type=zipfile.ZIP_DEFLATED)
        for name, src in pictures.items():
            z.writestr(stored(f"EPUB/{name}"), (book.root / src).read_bytes(), compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def stored(name: str) -> zipfile.ZipInfo:
    """A member dated alike in every build: the same book, the same file."""
    return zipfile.ZipInfo(name, date_time=(2025, 1, 1, 0, 0, 0))


CONTAINER = """<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
<rootfiles><rootfile full-path="EPUB/content.opf" media-type="application/oebps-package+xml"/></rootfiles>
</container>
"""

"""Book → one HTML document, through the Jinja2 templates of ``layouts/``."""

from __future__ import annotations

import functools
import itertools
import os
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path

import jinja2
from babel.dates import format_date

from ..enrich.glossary import glossary_rows
from ..enrich.index import Found, index_letters
from ..model import Book, Fiche, Footnote, Heading
from ..paths import LAYOUTS
from ..source import images
from ..source.resources import files_of
from ..tree import walk_blocks


@functools.lru_cache(maxsize=8)
def environment(layouts: Path = LAYOUTS) -> jinja2.Environment:
    """The templates of ``layouts``, compiled once per process (a template edited since is compiled
    again: Jinja2 checks the file's date). Compiling them took a third of a small book's build."""
    return new_environment(layouts)


def new_environment(layouts: Path) -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(layouts)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def footnotes_of(fiche: Fiche) -> dict[str, Footnote]:
    return {note.label: note for note in fiche.footnotes}


# A link from one part to an anchor that may be in another: WeasyPrint drops an internal link
# whose anchor it does not see, so a part writes it as this URI, and layout.joined makes it internal again.
PART_LINK = "publisher-anchor:"


class Numbers:
    """Anchor → page, for a part's HTML; remembers what it was asked: for a « voir p. N » or a line of the
    contents, only how many figures the number has — the figures themselves are written over the laid-out
    page (layout/references.py), so the page does not depend on them. (The Index and the Glossaire print
    their numbers from ``pages``: the back matter is rendered again each time.)
    The book's numbers are read, not copied: every part of a long book asks them (a copy for each of 214
    parts, kept for the next round, was 84 MB at 800 pages)."""

    def __init__(self, numbers: dict[str, int]):
        self.get = numbers.get
        self.widths: dict[str, int] = {}

    def figures(self, anchor: str) -> int:
        self.widths[anchor] = width = figures_of(self.get(anchor))
        return width


def figures_of(page: int | None) -> int:
    """How many figures a page number is printed with (a page not known yet: one)."""
    return len(str(page or 0))


def slot_codes(numbers: Numbers):
    """The placeholder each « voir p. N » is laid out with, in turn: as many figures as its page has
    (the figures of the font are all as wide: layouts/fonts.css, « Source Serif 4 Renvoi »), the k-th one of the document
    reading k (modulo what so many figures can say), so that the number written later finds its place."""
    count = itertools.count()

    def slot(anchor: str) -> str:
        width = numbers.figures(anchor)
        return str(next(count) % 10**width).zfill(width)
    return slot


@dataclass(frozen=True)
class Part:
    """What one HTML document prints: the whole book, or one part of it (publisher/layout/parts.py)."""

    front: bool                     # half-title, title page, colophon, contents
    fiches: tuple[Fiche, ...]
    back: tuple[str, ...]           # the back matter it prints: "glossary", "index" (each opens on a right page)
    last: bool = True               # False: ends on a left page, the next part opening on a right one

    @classmethod
    def whole(cls, book: Book) -> "Part":
        return cls(True, book.fiches, BACK_MATTER)


BACK_MATTER = ("glossary", "index")


def render_html(book: Book, *, today: date | None = None, pages: dict[str, int] | None = None,
                proof: bool = False, layouts: Path = LAYOUTS, part: Part | None = None,
                numbers: Numbers | None = None, made: datetime | None = None,
                env: jinja2.Environment | None = None, found: Found | None = None) -> str:
    """The book as HTML. ``pages`` (anchor → page, from a first layout) fills the Glossaire and the Index;
    ``proof``: editors' comments as marks, their text going to the margin. ``part``: only some of the book;
    ``numbers`` (anchor → page): the contents print them, instead of asking the layout; a « voir p. N » is laid
    out as a placeholder as wide as its number (from ``numbers``, or ``pages`` for the whole book), the
    number written over it afterwards (layout/references.py);
    ``made``: the PDF's date (by default, the last change to the book's files);
    ``env``: templates already compiled (:func:`book_environment`), when the book is rendered part by part;
    ``found``: the Index's occurrences, when they are known already (enrich.index.found_in)."""
    template = (env or book_environment(layouts)).get_template("book.html.j2")
    part = part or Part.whole(book)
    listed = part.front or part.back       # the contents name the back matter, which prints the rows

    def image(src: str) -> str | None:
        return images.url(book.root, src) if src else None

    made = made or source_date(book.root)
    printed = today or made.date()
    return template.render(
        book=book,
        config=book.config,
        fiches=book.fiches,
        footnotes_of=footnotes_of,
        image=image,
        alternative_text=images.alternative_text,
        printed_on=format_date(printed, format="long", locale="fr_BE"),
        made=made.isoformat().replace("+00:00", "Z"),
        glossary=glossary_rows(book, pages or {}) if listed else [],
        index=index_letters(book, pages or {}, found=found) if listed else [],
        proof=proof,
        epub=False,
        heading_level=heading_levels(part.fiches, 3),
        part=part,
        numbers=numbers is not None,
        page_number=lambda anchor: None if numbers is None else numbers.get(anchor, 0),
        slot=slot_codes(numbers if numbers is not None else Numbers(pages or {})),
        link_to=lambda anchor: f"#{anchor}" if numbers is None else f"{PART_LINK}{anchor}",
        src=lambda location: location.in_book(book.root),
    )


def heading_levels(fiches, top: int):
    """Each sub-heading → its HTML level, one hierarchy under the fiche's title (h``top - 1``): no level
    skipped, « ### » alone in a fiche is h``top``. What a screen reader walks (PDF/UA, EPUB)."""
    levels: dict = {}
    for fiche in fiches:
        headings = [b for b in walk_blocks(fiche.blocks) if isinstance(b, Heading)]
        used = sorted({b.level for b in headings})
        levels.update((b.location, min(top + used.index(b.level), 6)) for b in headings)
    return lambda heading: levels.get(heading.location, top)


@functools.lru_cache(maxsize=8)
def book_environment(layouts: Path = LAYOUTS) -> jinja2.Environment:
    """:func:`environment`, with the filters of the book's templates."""
    env = new_environment(layouts)
    env.filters["plain_spaces"] = plain_spaces
    env.filters["file_stem"] = lambda path: Path(path).stem    # a note's id names its fiche: ids stay unique
    return env


def render_folios(book: Book, kinds: tuple[str, ...], first: int = 1, layouts: Path = LAYOUTS) -> str:
    """The folios and left running heads of a book laid out in parts: one page for each of ``kinds`` ("",
    "front", "blank"), the first one page ``first`` (odd: a right-hand page, as a document's first)."""
    # The title's no-break spaces as spaces (the same glyph; one line): WeasyPrint gives a glyph the character it
    # was first drawn for, and this document draws little else — every space of the running head would read as a
    # no-break space in the text layer, as it did not when the running head was drawn with the fiches' text.
    title = book.config.title.replace("\u00a0", " ")
    return environment(layouts).get_template("folios.html.j2").render(language=book.config.language, kinds=kinds,
                                                                      title=title, first=first)


def render_page_css(book: Book, note_mm: float = 0, layouts: Path = LAYOUTS) -> str:
    """``note_mm``: a column added on the right of every page, for a proof's notes."""
    return environment(layouts).get_template("page.css.j2").render(
        page=book.config.page, printing=book.config.printing, profile_url=profile_path(book).as_uri(),
        note_mm=note_mm)


def profile_path(book: Book) -> Path:
    """The printer's ICC profile (``print.output_profile``), relative to the book folder unless absolute."""
    profile = Path(book.config.printing.output_profile)
    return (profile if profile.is_absolute() else book.root / profile).resolve()


def source_date(root: Path | None = None) -> datetime:
    """The date the PDF says it was made: SOURCE_DATE_EPOCH when set, else the last change
    to the book's files, so that two builds of the same sources are the same to the byte."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc)
    changed = [path.stat().st_mtime for path in files_of(root)] if root else []
    if changed:
        return datetime.fromtimestamp(int(max(changed)), tz=timezone.utc)
    return datetime.now(tz=timezone.utc).replace(microsecond=0)


def plain_spaces(text: str) -> str:
    """Metadata is read by catalogues and file browsers: ordinary spaces there."""
    return text.replace("\u00a0", " ").replace("\u202f", " ").replace("\u2060", "")

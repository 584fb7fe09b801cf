"""The typed, frozen model of a book. Every item knows where it came from.

Inline content is kept as a tree of runs (text, emphasis, footnote call,
editorial comment…) so that later stages — typography above all — work on
text runs and never on serialized HTML.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Union


@dataclass(frozen=True, order=True)
class SourceLocation:
    path: str       # as an editor sees it: relative to the working directory when possible
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"

    def in_book(self, root: Path) -> str:
        """How the HTML carries it (``data-src``, ``data-q``): the file relative to the book folder
        (« fiches/x.md:12 »), so that the HTML, and the layouts cached under its digest, do not
        change with the folder the command runs from. :meth:`from_src` reads it back."""
        return f"{within(os.path.abspath(self.path), os.path.abspath(root))}:{self.line}"

    @classmethod
    def from_src(cls, src: str, root: Path) -> "SourceLocation":
        path, _, line = src.rpartition(":")
        return cls(relative(Path(root) / path), int(line) if line.isdigit() else 1)


@lru_cache(maxsize=4096)
def within(path: str, root: str) -> str:
    """``path`` from the folder ``root``, links resolved (both absolute): every « voir p. N », paragraph and note
    of the book's HTML asks it, for a few hundred files (a memo: resolving links is a system call per folder of
    the path, 0,1 s of a proof after an edit at 200 pages)."""
    return Path(os.path.relpath(os.path.realpath(path), os.path.realpath(root))).as_posix()


def relative(path: Path, root: Path | None = None) -> str:
    """A path as editors see it: relative to the working directory when possible."""
    path = Path(path)
    base = Path.cwd() if root is None else root
    try:
        return str(path.resolve().relative_to(base.resolve()))
    except ValueError:
        return str(path)


# ── Inline runs ─────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class Text:
    text: str
    kind: str = "text"


@dataclass(frozen=True)
class Code:
    text: str
    kind: str = "code"


@dataclass(frozen=True)
class LineBreak:
    kind: str = "break"


@dataclass(frozen=True)
class Emphasis:
    children: tuple["Inline", ...]
    kind: str = "em"


@dataclass(frozen=True)
class Strong:
    children: tuple["Inline", ...]
    kind: str = "strong"


@dataclass(frozen=True)
class Link:
    href: str
    children: tuple["Inline", ...]
    kind: str = "link"


@dataclass(frozen=True)
class FootnoteRef:
    """A footnote call. ``number`` is given when the whole book is numbered; a second call
    of the same note gets ``first``, the place of the first one: it prints the same number
    and refers to that note, which is printed once."""

    label: str
    location: SourceLocation
    number: int = 0
    first: SourceLocation | None = None
    kind: str = "footnote_ref"


@dataclass(frozen=True)
class Critic:
    """CriticMarkup: an open editorial question or change left in the text.

    ``op`` is one of ``comment`` {>> <<}, ``addition`` {++ ++},
    ``deletion`` {-- --}, ``substitution`` {~~a~>b~~}, ``highlight`` {== ==}.
    """

    op: str
    text: str
    location: SourceLocation
    replacement: str = ""
    kind: str = "critic"
    order: int = 0              # the how-manieth mark of its source line: where each is, not its paragraph

    def key(self, root: Path) -> str:
        """How the proof's HTML names it (``data-q``), so that the layout tells its own page and line."""
        return f"{self.location.in_book(root)}#{self.order}"


@dataclass(frozen=True)
class Superscript:
    """Letters set as superior: the « er » of 1er, the « e » of XIXe, the « o » of n°."""

    text: str
    plain: str = ""          # how to write it where there is no markup (° for the o of n°)
    kind: str = "sup"


@dataclass(frozen=True)
class Address:
    """A web or e-mail address written in the text: kept as is, never hyphenated."""

    text: str
    kind: str = "address"


@dataclass(frozen=True)
class SmallCaps:
    """A roman numeral of a century (XIXe siècle), set in small capitals."""

    text: str
    kind: str = "smallcaps"


@dataclass(frozen=True)
class Acronym:
    """An acronym of the glossary. ``expand``: this is the fiche's first use,
    printed as « long form (ACR) »; ``anchor`` lets the glossary find its page."""

    text: str
    long_form: str
    anchor: str
    expand: bool = False
    kind: str = "abbr"


@dataclass(frozen=True)
class CrossRef:
    """A reference to another fiche (« cf. Fiche 38 – … », a link to ``fiche:38``),
    printed with the page where that fiche opens.

    ``style``: ``see`` « voir p. N »; ``page`` « p. N » (the second of « … et Fiche 37 »);
    ``title`` « fiche « Titre », p. N »; ``after-link`` « (p. N) » after a link's own words.
    ``target`` is the anchor of the fiche, "" when it is not in the book: then
    the run prints nothing (the source's words follow it as ordinary text) and
    check reports it; ``written`` keeps those words for the message.
    """

    number: str              # the CAI's fiche number, or a fiche id
    written: str
    location: SourceLocation
    style: str = "see"
    target: str = ""
    title: str = ""
    capital: bool = False    # at a sentence start: « Voir p. N »
    volume_page: int = 0     # in a booklet, a fiche left out of it: its page in the volume
    kind: str = "xref"


@dataclass(frozen=True)
class IndexMark:
    """An occurrence of an index term: ``text`` as printed (may be empty for a
    marker written in the source), ``anchor`` gives the Index its page."""

    key: tuple[str, ...]     # (term,) or (term, sub-entry)
    text: str
    anchor: str
    in_note: bool = False
    kind: str = "index"


Inline = Union[Text, Code, LineBreak, Emphasis, Strong, Link, FootnoteRef, Critic, Superscript, SmallCaps,
               Address, Acronym, CrossRef, IndexMark]


# ── Blocks ──────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class Paragraph:
    children: tuple[Inline, ...]
    location: SourceLocation
    kind: str = "paragraph"


@dataclass(frozen=True)
class Heading:
    level: int
    children: tuple[Inline, ...]
    location: SourceLocation
    kind: str = "heading"


@dataclass(frozen=True)
class ListItem:
    blocks: tuple["Block", ...]
    location: SourceLocation
    kind: str = "item"


@dataclass(frozen=True)
class ListBlock:
    ordered: bool
    items: tuple[ListItem, ...]
    location: SourceLocation
    start: int = 1
    kind: str = "list"


@dataclass(frozen=True)
class Quote:
    blocks: tuple["Block", ...]
    location: SourceLocation
    kind: str = "quote"


@dataclass(frozen=True)
class Figure:
    """An image with its caption. ``src`` is relative to the book folder."""

    src: str
    alt: str
    caption: tuple["Block", ...]
    location: SourceLocation
    title: str = ""           # the image's own title, ![alt](src "title"): kept for the Word copy
    kind: str = "figure"


Block = Union[Paragraph, Heading, ListBlock, Quote, Figure]


@dataclass(frozen=True)
class Footnote:
    label: str
    blocks: tuple[Block, ...]
    location: SourceLocation
    number: int = 0


# ── Fiche and book ──────────────────────────────────────────────────────────


STAGES = ("à écrire", "en rédaction", "à relire", "relue", "prête")     # a fiche's « status: », in order
READY = STAGES[-1]


@dataclass(frozen=True)
class Fiche:
    id: str
    year: int | None         # None: still to be written (publisher check says so)
    title: str
    short_title: str
    number: int | None
    themes: tuple[str, ...]
    axes: tuple[str, ...]
    lead: tuple[Inline, ...]
    blocks: tuple[Block, ...]
    footnotes: tuple[Footnote, ...]
    location: SourceLocation
    body_line: int = 1
    lead_location: SourceLocation | None = None     # the « lead: » line of the front matter
    status: str = ""                                # its stage (STAGES), "" when not said

    @property
    def anchor(self) -> str:
        return f"fiche-{self.id}"


@dataclass(frozen=True)
class PageSetup:
    width_mm: float = 170.0
    height_mm: float = 240.0
    inner_mm: float = 22.0
    outer_mm: float = 16.0
    top_mm: float = 18.0
    bottom_mm: float = 22.0


DEBIAN_CMYK_PROFILE = "/usr/share/color/icc/ghostscript/default_cmyk.icc"   # Debian package libgs-common
PDF_VARIANTS = ("", "pdf/x-4", "pdf/a-2b", "pdf/ua-1")


@dataclass(frozen=True)
class PrintSetup:
    """What the printer asks for (book.yaml, ``print:``)."""

    bleed_mm: float = 3.0
    crop_marks: bool = False      # WeasyPrint draws them inside the bleed: only if the printer wants them
    pad_to: int = 4               # blank pages added at the end up to a multiple of 4, 8 or 16
    variant: str = ""             # "", pdf/x-4 (print), pdf/a-2b or pdf/ua-1 (digital edition)
    output_profile: str = DEBIAN_CMYK_PROFILE   # ICC profile of the PDF/X output intent


@dataclass(frozen=True)
class SiteSetup:
    """The volume on the web (book.yaml, ``site:``): where it is published, what the home page says."""

    url: str = ""                 # the address of its home page (https://…/): the sitemap and shared links need it
    presentation: str = ""        # the CAI's own words on the home page


@dataclass(frozen=True)
class BookletSpec:
    """A theme booklet: the fiches tagged with any of ``themes`` (themes or axes), in book order."""

    title: str
    themes: tuple[str, ...]
    slug: str                     # its file name: build/livrets/<slug>.pdf
    location: SourceLocation
    subtitle: str = ""


@dataclass(frozen=True)
class BookConfig:
    title: str
    subtitle: str
    author: str
    publisher: str
    year: int
    language: str
    page: PageSetup
    order: str | tuple[str, ...]
    axes: tuple[str, ...]
    themes: tuple[str, ...]
    themes_are_proposals: bool
    location: SourceLocation
    colophon: str = ""
    edition: str = ""
    keywords: tuple[str, ...] = field(default_factory=tuple)
    colon_space: str = "\u00a0"   # before « : » — typography.colon: nbsp (default) or nnbsp
    printing: PrintSetup = field(default_factory=PrintSetup)
    booklets: tuple[BookletSpec, ...] = ()     # defined in book.yaml; ``booklet --all`` adds one per theme
    site: SiteSetup = field(default_factory=SiteSetup)


@dataclass(frozen=True)
class GlossaryEntry:
    acronym: str
    long_form: str
    location: SourceLocation
    plural: str = ""            # long form after « les », « des », « deux »…
    definition: str = ""
    verify: bool = False        # the long form is a guess an editor must confirm
    expand: bool = True         # False: a name (CNCD 11.11.11) whose first use stays as it is
    index: bool = True          # False: a common phrase (personnes étrangères) left out of the Index


@dataclass(frozen=True)
class Glossary:
    entries: tuple[GlossaryEntry, ...] = ()
    not_acronyms: tuple[str, ...] = ()      # words in capitals that are no acronyms (URBAN…)
    location: SourceLocation | None = None  # None: the book has no glossary.yaml


@dataclass(frozen=True)
class IndexTerm:
    """A term of ``index.yaml``: how the fiches write it, its sub-entries, its « voir »."""

    term: str
    variants: tuple[str, ...]
    location: SourceLocation
    sub: tuple["IndexTerm", ...] = ()
    see: str = ""
    see_also: tuple[str, ...] = ()


@dataclass(frozen=True)
class Index:
    terms: tuple[IndexTerm, ...] = ()
    location: SourceLocation | None = None  # None: the book has no index.yaml


@dataclass(frozen=True)
class Book:
    root: Path
    config: BookConfig
    fiches: tuple[Fiche, ...]
    glossary: Glossary = field(default_factory=Glossary)
    index: Index = field(default_factory=Index)

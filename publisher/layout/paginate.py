"""HTML → WeasyPrint document, its pages read (:mod:`.pages`), its footnotes kept with their calls.

WeasyPrint honours ``@font-face`` only when the same ``FontConfiguration`` is
given to ``CSS()`` and to the rendering; :class:`Paginated` keeps it alive
until the PDF is written (it owns the temporary font files).
"""

from __future__ import annotations

import atexit
import hashlib
import logging
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..breaking.measure import process_fonts
from ..breaking.paragraphs import process_memo, set_justified, strayed
from ..internals import weasyprint as internals
from ..internals.stack import roomy
from ..paths import FONTS, LAYOUTS
from ..source.resources import Allowed
from . import folios, references
from .pages import Page, anchor_pages, broken_lines, displaced_notes, read_pages, words_cut_at_turns

log = logging.getLogger(__name__)

@dataclass(frozen=True)
class Paginated:
    document: object          # weasyprint.Document
    font_config: object       # weasyprint.text.fonts.FontConfiguration
    pages: tuple[Page, ...]   # what the layout shows, read once
    pushed: tuple[str, ...] = ()   # paragraphs sent to the next page to keep notes with their calls
    unhyphenated: tuple[str, ...] = ()   # paragraphs set without hyphenation, their lines broken otherwise
    displaced: tuple[str, ...] = ()      # paragraphs whose note is still on a later page, after every pass
    fetcher: object = None               # sandbox.SandboxFetcher: SVG images fetch theirs only when drawn
    unset: tuple[str, ...] = ()          # justified paragraphs left to WeasyPrint's own line breaking
    turned: tuple[tuple[str, int], ...] = ()   # (paragraph, line) set not to end a right-hand page in a cut word
    pending: tuple[tuple[str, int], ...] = ()  # such lines still found after every pass, for a next layout

    @property
    def page_count(self) -> int:
        return len(self.pages)

    def page_of(self, anchor: str) -> int | None:
        """1-based page number where ``anchor`` (an HTML id) lands."""
        return self.anchor_pages().get(anchor)

    def anchor_pages(self) -> dict[str, int]:
        """Every anchor (HTML id) → the 1-based page where it starts."""
        return anchor_pages(self.pages)

    @property
    def refused(self) -> tuple[str, ...]:
        """URLs the document asked for and did not get, so far (read it after writing the PDF)."""
        return tuple(dict.fromkeys(self.fetcher.refused)) if self.fetcher else ()

    def pdf_bytes(self, **options) -> bytes:
        # the « voir p. N » and the folios written later
        internals.with_all_figures(self.document, (references.FAMILY, folios.FAMILY))
        return roomy(self.document.write_pdf, **options)


MAX_FOOTNOTE_PASSES = 6


def paginate(html: str, page_css: str, base_url: Path, layouts: Path = LAYOUTS,
             pushed: tuple[str, ...] = (), output_intent: str | None = None,
             unhyphenated: tuple[str, ...] = (), allowed_files: tuple[Path, ...] = (),
             also: tuple[str, ...] = (), turned: tuple[tuple[str, int], ...] = ()) -> Paginated:
    """Lay the book out; then make sure every footnote sits on the page of its call,
    that no line is broken short after a hyphenated one, and that no word is cut at the foot of a
    right-hand page (the reader would turn the leaf in the middle of it).

    To honour orphans, WeasyPrint may move a footnote already placed on a page
    to the next one (layout/block.py, "report footnotes"). When that happens we
    send the paragraph that caused it (the last one starting on that page) to the
    next page and lay out again: a page one or two lines short is a lesser evil
    than a note away from its call.

    WeasyPrint 70 may also end the line that follows a hyphenation after its first
    word when an inline element (an index entry, an acronym) comes later in the
    paragraph (« ali- / mentent / le discours… »). Such a paragraph is set again
    without hyphenation.

    ``output_intent`` (« device-cmyk » for PDF/X) makes CMYK the document's colour
    space; the ICC profile itself comes from ``@color-profile`` in ``page_css``.
    WeasyPrint reads only the book folder, the layouts, the fonts and ``allowed_files``.
    ``also``: more stylesheets of ``layouts`` (parts.css for a part of the book).
    A line found ending a right-hand page with a cut word is set again whole (the breaker chooses the
    paragraph's other breaks around it) and the book laid out again; ``turned``: such lines already
    known (a part's last layout).
    """
    from weasyprint import CSS, HTML  # heavy import: only when we really paginate
    from weasyprint.text.fonts import FontConfiguration

    from .sandbox import SandboxFetcher

    fetcher = SandboxFetcher(Allowed.of((base_url, layouts, FONTS), allowed_files))

    culprits: list[str] = []
    unset: tuple[str, ...] = ()
    kept_back: list[str] = []            # set line by line, but printed otherwise: left to WeasyPrint
    width = measure_of(base_url)
    fonts = process_fonts()              # the breaker's measures, kept for every pass and layout
    context = styles_key(layouts, page_css, also, width)
    pushed, unhyphenated, turns = list(pushed), list(unhyphenated), list(turned)
    def parsed() -> tuple:
        font_config = FontConfiguration()
        profiles: dict = {}          # like fonts, colour profiles are shared by CSS() and render()
        sheets = (
            CSS(filename=str(layouts / "print.css"), font_config=font_config, color_profiles=profiles,
                url_fetcher=fetcher),
            CSS(string=page_css, font_config=font_config, color_profiles=profiles, url_fetcher=fetcher),
            *(CSS(filename=str(layouts / name), font_config=font_config, color_profiles=profiles, url_fetcher=fetcher)
              for name in also))
        internals.steady_profiles(profiles)
        return font_config, profiles, sheets

    for attempt in range(MAX_FOOTNOTE_PASSES):
        font_config, profiles, sheets = process_styles().of((context, str(base_url.resolve()), allowed_files), parsed)
        stylesheets = list(sheets)
        rules = [f'p[data-src="{src}"] {{ break-before: page; }}' for src in pushed]
        rules += [f'p[data-src="{src}"] {{ hyphens: manual; }}' for src in unhyphenated]
        if rules:
            stylesheets.append(CSS(string="\n".join(rules), font_config=font_config, color_profiles=profiles,
                                   url_fetcher=fetcher))
        log.info("mise en page par WeasyPrint (passe %d)…", attempt + 1)
        source = HTML(string=html, base_url=str(base_url.resolve()) + "/", url_fetcher=fetcher)
        if width:                        # the justified paragraphs' lines chosen over each paragraph (breaking/)
            unset = set_justified(source, stylesheets, font_config, width, skip=tuple(kept_back), turns=tuple(turns),
                                  fonts=fonts, context=context, memo=process_memo(), rules=tuple(rules))
            internals.rewrapped(source)
        document = roomy(source.render, stylesheets=stylesheets, font_config=font_config, color_profiles=profiles,
                         output_intent=output_intent)          # its deep calls on a stack of their own
        pages = read_pages(document)
        culprits = [src for src in displaced_notes(pages) if src not in pushed]
        broken = [src for src in broken_lines(pages) if src not in unhyphenated]
        astray = [src for src in strayed(document) if src not in kept_back]
        kept_back.extend(astray)
        cut = [turn for turn in (words_cut_at_turns(pages) if width else ()) if turn not in turns]
        applied = tuple(turns)
        if not culprits and not broken and not astray and not cut:
            break
        turns.extend(cut)
        pushed.extend(culprits)
        unhyphenated.extend(broken)
    return Paginated(document, font_config, pages, tuple(pushed), tuple(unhyphenated), tuple(culprits), fetcher,
                     unset, applied, tuple(cut))


class Styles:
    """Style sheets parsed, with the fonts they load, by what they are: a process lays out part after part
    with the same ones (about 70 ms a layout: CSS parsing, @font-face, fontconfig). WeasyPrint's
    FontConfiguration is made to be shared by the documents of a process."""

    KEEP = 4                     # the volume's, a proof's, the folios'…: a few kinds in one process

    def __init__(self) -> None:
        self.known: dict[tuple, tuple] = {}
        # let go before the interpreter tears WeasyPrint down (FontConfiguration.__del__ then fails, said on stderr)
        atexit.register(self.known.clear)

    def forget_inherited(self) -> None:
        """In a process just forked: the parent's style sheets forgotten, their fonts left to the parent."""
        for font_config, _, _ in self.known.values():
            internals.disown(font_config)
        self.known.clear()

    def of(self, key: tuple, parse) -> tuple:
        if key not in self.known:
            if len(self.known) >= self.KEEP:
                del self.known[next(iter(self.known))]
            self.known[key] = parse()
        return self.known[key]


@lru_cache(maxsize=1)
def process_styles() -> Styles:
    """The style sheets this process has parsed (a memo: what it holds never changes a result)."""
    return Styles()


def styles_key(layouts: Path, page_css: str, also: tuple[str, ...], width: float | None) -> str:
    """What the breaker's memo keys need besides a paragraph: the style sheets and the measure."""
    sheets = [(layouts / name).read_text(encoding="utf-8") for name in ("print.css", "fonts.css", *also)
              if (layouts / name).exists()]
    return hashlib.sha256("\0".join([*sheets, page_css, repr(width)]).encode()).hexdigest()


def measure_of(root: Path) -> float | None:
    """The text's width on the page (CSS pixels), from the book's settings; None without them."""
    from ..diagnostics import PublisherError
    from ..source.config import parse_config
    from ..source.yamlfile import load_yaml_file

    try:
        page = parse_config(load_yaml_file(Path(root) / "book.yaml")).page
    except (PublisherError, OSError):
        return None
    return (page.width_mm - page.inner_mm - page.outer_mm) * 96 / 25.4

"""HTML → WeasyPrint document (pages, and the anchors that tell each page number).

WeasyPrint honours ``@font-face`` only when the same ``FontConfiguration`` is
given to ``CSS()`` and to the rendering; :class:`Paginated` keeps it alive
until the PDF is written (it owns the temporary font files).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from .html import FONTS, LAYOUTS
from .resources import Allowed

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Paginated:
    document: object          # weasyprint.Document
    font_config: object       # weasyprint.text.fonts.FontConfiguration
    pushed: tuple[str, ...] = ()   # paragraphs sent to the next page to keep notes with their calls
    unhyphenated: tuple[str, ...] = ()   # paragraphs set without hyphenation, their lines broken otherwise
    fetcher: object = None               # sandbox.SandboxFetcher: SVG images fetch theirs only when drawn

    @property
    def page_count(self) -> int:
        return len(self.document.pages)

    def page_of(self, anchor: str) -> int | None:
        """1-based page number where ``anchor`` (an HTML id) lands."""
        for number, page in enumerate(self.document.pages, start=1):
            if anchor in page.anchors:
                return number
        return None

    def anchor_pages(self) -> dict[str, int]:
        """Every anchor (HTML id) → the 1-based page where it starts.

        An element split across pages (a fiche's article) has its anchor on
        every page it spans: the first one is where a reader should go."""
        pages: dict[str, int] = {}
        for number, page in enumerate(self.document.pages, start=1):
            for anchor in page.anchors:
                pages.setdefault(anchor, number)
        return pages

    @property
    def refused(self) -> tuple[str, ...]:
        """URLs the document asked for and did not get, so far (read it after writing the PDF)."""
        return tuple(dict.fromkeys(self.fetcher.refused)) if self.fetcher else ()

    def pdf_bytes(self, **options) -> bytes:
        return self.document.write_pdf(**options)


MAX_FOOTNOTE_PASSES = 6


def paginate(html: str, page_css: str, base_url: Path, layouts: Path = LAYOUTS,
             pushed: tuple[str, ...] = (), output_intent: str | None = None,
             unhyphenated: tuple[str, ...] = (), allowed_files: tuple[Path, ...] = (),
             also: tuple[str, ...] = ()) -> Paginated:
    """Lay the book out; then make sure every footnote sits on the page of its call,
    and that no line is broken short after a hyphenated one.

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
    """
    from weasyprint import CSS, HTML  # heavy import: only when we really paginate
    from weasyprint.text.fonts import FontConfiguration

    from .sandbox import SandboxFetcher

    fetcher = SandboxFetcher(Allowed.of((base_url, layouts, FONTS), allowed_files))

    culprits: list[str] = []
    pushed, unhyphenated = list(pushed), list(unhyphenated)
    for attempt in range(MAX_FOOTNOTE_PASSES):
        font_config = FontConfiguration()
        profiles: dict = {}          # like fonts, colour profiles are shared by CSS() and render()
        stylesheets = [
            CSS(filename=str(layouts / "print.css"), font_config=font_config, color_profiles=profiles,
                url_fetcher=fetcher),
            CSS(string=page_css, font_config=font_config, color_profiles=profiles, url_fetcher=fetcher),
        ] + [CSS(filename=str(layouts / name), font_config=font_config, color_profiles=profiles, url_fetcher=fetcher)
             for name in also]
        rules = [f'p[data-src="{src}"] {{ break-before: page; }}' for src in pushed]
        rules += [f'p[data-src="{src}"] {{ hyphens: manual; }}' for src in unhyphenated]
        if rules:
            stylesheets.append(CSS(string="\n".join(rules), font_config=font_config, color_profiles=profiles,
                                   url_fetcher=fetcher))
        log.info("mise en page par WeasyPrint (passe %d)…", attempt + 1)
        document = HTML(string=html, base_url=str(base_url.resolve()) + "/", url_fetcher=fetcher).render(
            stylesheets=stylesheets, font_config=font_config, color_profiles=profiles,
            output_intent=output_intent)
        culprits = [src for src in paragraphs_before_displaced_notes(document) if src not in pushed]
        broken = [src for src in paragraphs_with_broken_lines(document) if src not in unhyphenated]
        if not culprits and not broken:
            break
        pushed.extend(culprits)
        unhyphenated.extend(broken)
    if culprits:
        log.warning("après %d passes, une note n'est toujours pas sur la page de son appel "
                    "(paragraphe %s) : vérifiez cette page", MAX_FOOTNOTE_PASSES, ", ".join(culprits))
    return Paginated(document, font_config, tuple(pushed), tuple(unhyphenated), fetcher)


SHORT_LINE = 0.5     # a line inside a paragraph less than half as wide as the one before is broken


def paragraphs_with_broken_lines(document) -> list[str]:
    """``data-src`` of each paragraph with a line cut short right after a hyphenated line."""
    from weasyprint.formatting_structure.boxes import LineBox, TextBox

    out = []
    for page in document.pages:
        for box in page._page_box.descendants():
            element = getattr(box, "element", None)
            if element is None or element.tag != "p" or not element.get("data-src"):
                continue
            lines = [child for child in getattr(box, "children", ()) if isinstance(child, LineBox)]
            for before, line in zip(lines, lines[1:-1]):       # the last line of a paragraph may be short
                texts = [b.text for b in before.descendants() if isinstance(b, TextBox)]
                if texts and texts[-1].endswith("\u2010") and line.width < SHORT_LINE * before.width:
                    out.append(element.get("data-src"))
                    break
    return list(dict.fromkeys(out))


def paragraphs_before_displaced_notes(document) -> list[str]:
    """``data-src`` of the last paragraph on each page whose footnote went to a later page."""
    from weasyprint.formatting_structure.boxes import BlockBox

    out = []
    for page in document.pages:
        calls, bodies, last = set(), set(), None
        # _page_box is private, but the box tree is the only place where a
        # footnote call and its body can be told apart.
        for box in page._page_box.descendants():
            element = getattr(box, "element", None)
            if element is None:
                continue
            if element.get("class") == "fn":       # the call is inline, the body a block
                (bodies if isinstance(box, BlockBox) else calls).add(element.get("id"))
            elif element.tag == "p" and element.get("data-src") and isinstance(box, BlockBox):
                last = element.get("data-src")
        if calls - bodies and last:
            out.append(last)
    return out


MAX_HYPHENATED_LINES = 3   # French usage: no more than three hyphenated line ends in a row


def hyphen_ladders(document) -> list[tuple[str, int, int]]:
    """(paragraph's data-src, page, lines) for each run of more than
    MAX_HYPHENATED_LINES consecutive lines ending in a hyphenation.

    WeasyPrint has no ``hyphenate-limit-lines``: we cannot prevent a ladder,
    but we can tell an editor where one is, so a soft hyphen or a rewording fixes it.
    """
    from weasyprint.formatting_structure.boxes import LineBox, TextBox

    out = []
    for number, page in enumerate(document.pages, start=1):
        run, owner = 0, None
        for box in page._page_box.descendants():
            if not isinstance(box, LineBox):
                continue
            element = getattr(box, "element", None)
            texts = [b.text for b in box.descendants() if isinstance(b, TextBox)]
            hyphenated = bool(texts) and texts[-1].endswith("\u2010")
            if not hyphenated or element is not owner:
                if run > MAX_HYPHENATED_LINES:
                    out.append((owner.get("data-src") or "", number, run))
                run = 0
            owner = element
            run += hyphenated
        if run > MAX_HYPHENATED_LINES:
            out.append((owner.get("data-src") or "", number, run))
    return out

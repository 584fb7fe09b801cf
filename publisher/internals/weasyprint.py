"""WeasyPrint's internals that the layout reads (checked with WeasyPrint 70.0).

WeasyPrint's API gives a laid-out page's size and anchors, not where its lines, notes and
images landed: that is in its box tree, ``page._page_box``, walked once by
:mod:`publisher.layout.pages` (the boxes' classes and their ``position_x``, ``width``, ``element``,
``children``… are WeasyPrint's formatting structure, not its API). Where each character of a line
starts is read from the PDF, as its readers do (publisher/proof/glyphs.py).
"""

from __future__ import annotations

import functools
from types import ModuleType

LIBRARY = "weasyprint"
CHECKED_WITH = "70.0"


def installed() -> str:
    from weasyprint import __version__
    return __version__


def page_box(page):
    """The root of a laid-out page's box tree (a ``weasyprint.document.Page``)."""
    return page._page_box


def boxes() -> ModuleType:
    """The box classes: ``BlockBox``, ``LineBox``, ``MarginBox``, ``ReplacedBox``, ``TextBox``…"""
    from weasyprint.formatting_structure import boxes as module
    return module


def computed_styles(html, stylesheets, font_config):
    """The styles WeasyPrint computes for a document, before laying it out: ``style_for(element,
    pseudo_type=None)`` (what the line breaker measures with, publisher.breaking)."""
    from weasyprint.css import get_all_computed_styles
    return get_all_computed_styles(html, stylesheets, font_config=font_config)


def rewrapped(html) -> None:
    """``html`` (a weasyprint.HTML) made to see its element tree as changed in place (the line breaker's
    lines): WeasyPrint wraps the tree for cssselect2 once, as it parses it, and the wrappers keep each
    element's children — a tree changed since must be wrapped again, not parsed again."""
    import cssselect2

    html.wrapper_element = cssselect2.ElementWrapper.from_html_root(html.etree_element, content_language=None)
    html.etree_element = html.wrapper_element.etree_element


def steady_profiles(profiles: dict) -> None:
    """The colour profiles of ``@color-profile`` (``color_profiles`` given to ``CSS()``) written into the PDF
    as their files are. WeasyPrint writes what LittleCMS serialises (``ColorProfile.content``), which was
    seen to change once a profile had served in the process: the same sources built twice in one process,
    one part laid out in the parent between the two, gave two PDFs."""
    from pathlib import Path
    from urllib.parse import unquote, urlsplit

    from weasyprint.css import ColorProfile

    filed_profile = _filed_profile()
    for profile in profiles.values():
        if isinstance(profile, ColorProfile) and not isinstance(profile, filed_profile) \
                and str(profile.src).startswith("file:"):
            try:
                filed = Path(unquote(urlsplit(str(profile.src)).path)).read_bytes()
            except OSError:
                continue
            profile.__class__ = filed_profile
            profile.filed = filed


@functools.lru_cache(maxsize=1)
def _filed_profile() -> type:
    """WeasyPrint's ColorProfile, its content the profile's file (one class: a profile made so once is known)."""
    from weasyprint.css import ColorProfile

    class FiledProfile(ColorProfile):
        @property
        def content(self) -> bytes:
            return self.filed

    return FiledProfile


def with_all_figures(document, families: tuple[str, ...]) -> None:
    """``document`` (a laid-out weasyprint.Document) to be written with the ten tabular figures of each font of
    ``families`` in the PDF, drawn or not, so that a figure can be changed for another on the written page.

    WeasyPrint embeds the glyphs it drew: a font's ``widths`` and ``to_unicode``, filled as it draws, are read
    by ``pdf.fonts.build_fonts_dictionary`` from ``document.fonts``, the dict of the fonts drawn. That dict
    becomes one that gives, as it is read, the figures of those fonts."""
    document.fonts = _figures_fonts()(document.fonts, families)


@functools.lru_cache(maxsize=1)
def _figures_fonts() -> type:
    import uharfbuzz as hb

    class FiguresFonts(dict):
        def __init__(self, fonts: dict, families: tuple[str, ...]):
            super().__init__(fonts)
            self.families = families

        def values(self):
            for font in super().values():
                if font.family in self.families:
                    face = hb.Face(hb.Blob(font.file_content), font.index)
                    shaped = hb.Font(face)
                    for figure in "0123456789":
                        buffer = hb.Buffer()
                        buffer.add_str(figure)
                        buffer.guess_segment_properties()
                        hb.shape(shaped, buffer, {"tnum": True})
                        glyph, advance = buffer.glyph_infos[0].codepoint, buffer.glyph_positions[0].x_advance
                        font.widths.setdefault(glyph, round(advance * 1000 / face.upem))
                        font.to_unicode.setdefault(glyph, figure)
            return super().values()

    return FiguresFonts


def disown(font_config) -> None:
    """A ``FontConfiguration`` inherited by a forked process, let go of there without deleting its fonts:
    WeasyPrint deletes the folder of its copies of the fonts (``_folder``) when it is collected, and the
    folder is the parent's, which still lays out with it (its text then set with no width at all)."""
    font_config._folder = None

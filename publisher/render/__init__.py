"""An enriched book in the forms it is read in.

- :mod:`.html`: the one HTML document (with its page CSS) that WeasyPrint lays out, through ``layouts/``;
- :mod:`.booklet`: a theme's booklet, cut from the volume as a book of its own;
- :mod:`.epub`: the accessible EPUB 3, its page list taken from the printed volume's layout.
"""

from .booklet import all_booklets, booklet_for, cut_booklet
from .epub import write_epub
from .html import render_html, render_page_css

__all__ = ["all_booklets", "booklet_for", "cut_booklet", "render_html", "render_page_css", "write_epub"]

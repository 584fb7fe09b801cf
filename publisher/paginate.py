"""HTML → WeasyPrint document (pages, and the anchors that tell each page number).

WeasyPrint honours ``@font-face`` only when the same ``FontConfiguration`` is
given to ``CSS()`` and to the rendering; :class:`Paginated` keeps it alive
until the PDF is written (it owns the temporary font files).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from .html import LAYOUTS

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Paginated:
    document: object          # weasyprint.Document
    font_config: object       # weasyprint.text.fonts.FontConfiguration

    @property
    def page_count(self) -> int:
        return len(self.document.pages)

    def page_of(self, anchor: str) -> int | None:
        """1-based page number where ``anchor`` (an HTML id) lands."""
        for number, page in enumerate(self.document.pages, start=1):
            if anchor in page.anchors:
                return number
        return None

    def pdf_bytes(self, **options) -> bytes:
        return self.document.write_pdf(**options)


def paginate(html: str, page_css: str, base_url: Path, layouts: Path = LAYOUTS) -> Paginated:
    from weasyprint import CSS, HTML  # heavy import: only when we really paginate
    from weasyprint.text.fonts import FontConfiguration

    font_config = FontConfiguration()
    stylesheets = [
        CSS(filename=str(layouts / "print.css"), font_config=font_config),
        CSS(string=page_css, font_config=font_config),
    ]
    log.info("mise en page par WeasyPrint…")
    document = HTML(string=html, base_url=str(base_url.resolve()) + "/").render(
        stylesheets=stylesheets, font_config=font_config)
    return Paginated(document, font_config)

"""Preflight: what a printer's checker looks at, done before the file leaves us.

- every font embedded, and only the fonts shipped in ``fonts/``;
- every image at 300 dpi or more at its placed size (warning from 150, error below);
- nothing overflowing the page's text area into the margins or off the page;
- the page count a multiple of ``print.pad_to``.

Each finding names its page; where the layout knows the paragraph or figure
responsible, the diagnostic points at its source line.
"""

from __future__ import annotations

import io
import re
from functools import lru_cache
from pathlib import Path

from pypdf import PdfReader

from .diagnostics import Diagnostic, error, warning
from .model import Book, SourceLocation

FONTS = Path(__file__).resolve().parent.parent / "fonts"
PRINT_DPI, MINIMUM_DPI = 300, 150
CSS_PX_PER_INCH = 96
OVERFLOW_TOLERANCE_PX = 1.5       # about 0.4 mm: rounding, a hanging quote


def preflight(pdf: bytes, book: Book, shown: str) -> list[Diagnostic]:
    """What the PDF shows: fonts and page count. ``shown``: its name in messages (build/volume.pdf)."""
    reader = PdfReader(io.BytesIO(pdf))
    return fonts(reader, shown) + page_count(reader, book)


def layout_checks(document, page_label: str = "") -> list[tuple[int, Diagnostic]]:
    """What only the layout shows: images and overflows, with the page of each (from 1);
    ``page_label``: how the messages write the page number (a part's pages are numbered later)."""
    return images(document, page_label) + overflows(document, page_label)


# ── Fonts ───────────────────────────────────────────────────────────────────

@lru_cache(maxsize=1)
def shipped_fonts(folder: Path = FONTS) -> frozenset[str]:
    """PostScript names of the fonts in fonts/ (what a PDF calls them)."""
    from fontTools.ttLib import TTFont     # comes with WeasyPrint

    names = set()
    for path in sorted(folder.glob("*.[ot]tf")):
        with TTFont(str(path), lazy=True) as font:
            names.add(str(font["name"].getDebugName(6)))
    return frozenset(names)


def fonts(reader: PdfReader, shown: str) -> list[Diagnostic]:
    shipped = shipped_fonts()
    out: list[Diagnostic] = []
    reported: set[str] = set()
    for number, page in enumerate(reader.pages, start=1):
        resources = page.get("/Resources") or {}
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            name = re.sub(r"^[A-Z]{6}\+", "", str(font.get("/BaseFont", "?")).lstrip("/"))
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            program = next((descriptor[k] for k in ("/FontFile", "/FontFile2", "/FontFile3") if k in descriptor), None)
            embedded = program is not None
            if embedded:
                # The PDF's own font name is made up by WeasyPrint; the embedded program knows its real name.
                name = embedded_name(program.get_object().get_data()) or name
            if name in reported:
                continue
            if not embedded:
                reported.add(name)
                out.append(error(SourceLocation(shown, number), "font-not-embedded",
                                 f"page {number} : la police {name} n'est pas incorporée au PDF ; "
                                 "l'imprimeur la refusera"))
            elif name not in shipped:
                reported.add(name)
                out.append(error(SourceLocation(shown, number), "font-not-shipped",
                                 f"page {number} : la police {name} ne fait pas partie de fonts/ ; "
                                 "un texte demande une police absente (voyez layouts/print.css)"))
    return out


def embedded_name(data: bytes) -> str | None:
    """PostScript name of an embedded OpenType/TrueType program (or bare CFF)."""
    from fontTools.cffLib import CFFFontSet
    from fontTools.ttLib import TTFont, TTLibError

    try:
        return str(TTFont(io.BytesIO(data), lazy=True)["name"].getDebugName(6))
    except (TTLibError, KeyError, AssertionError, ValueError):
        pass
    try:
        cff = CFFFontSet()
        cff.decompile(io.BytesIO(data), otFont=None)
        return cff.fontNames[0]
    except Exception:  # noqa: BLE001 — not a font program we can read: keep the PDF's name
        return None


# ── Images ──────────────────────────────────────────────────────────────────

def located_boxes(box, where: SourceLocation | None = None):
    """Every box under ``box`` with the source line of the paragraph or figure holding it
    (from ``data-src``; the HTML tree has no parent links, so we carry it down)."""
    element = getattr(box, "element", None)
    src = element.get("data-src") if element is not None else None
    if src:
        path, _, line = src.rpartition(":")
        where = SourceLocation(path, int(line or 1))
    yield box, where or SourceLocation("layouts/print.css", 1)
    for child in getattr(box, "children", ()):
        yield from located_boxes(child, where)


def images(document, page_label: str = "") -> list[tuple[int, Diagnostic]]:
    from weasyprint.formatting_structure.boxes import ReplacedBox

    out = []
    for number, page in enumerate(document.pages, start=1):
        for box, where in located_boxes(page._page_box):
            image = getattr(box, "replacement", None)
            if not isinstance(box, ReplacedBox) or not getattr(image, "width", None) or not box.width:
                continue                          # vector images (SVG) have no resolution
            dpi = min(image.width / (box.width / CSS_PX_PER_INCH), image.height / (box.height / CSS_PX_PER_INCH))
            if dpi >= PRINT_DPI:
                continue
            name = Path(str(box.element.get("src", ""))).name
            message = (f"page {page_label or number} : l'image {name} n'a que {dpi:.0f} dpi à la taille où elle est imprimée "
                       f"({image.width}×{image.height} pixels) ; il en faut {PRINT_DPI} : demandez un fichier "
                       "plus grand, ou imprimez-la plus petite")
            out.append((number, (warning if dpi >= MINIMUM_DPI else error)(where, "image-resolution", message)))
    return out


# ── Content outside the text area ───────────────────────────────────────────

def overflows(document, page_label: str = "") -> list[tuple[int, Diagnostic]]:
    from weasyprint.formatting_structure.boxes import MarginBox, ReplacedBox, TextBox

    out = []
    for number, page in enumerate(document.pages, start=1):
        root = page._page_box
        left, right = root.content_box_x(), root.content_box_x() + root.width
        top, bottom = root.content_box_y(), root.content_box_y() + root.height
        seen: set[str] = set()
        for child in root.children:
            if isinstance(child, MarginBox):      # running heads and folios live in the margins
                continue
            for box, where in located_boxes(child):
                if not isinstance(box, (TextBox, ReplacedBox)):
                    continue
                x, y = box.position_x, box.position_y
                w, h = box.margin_width(), box.margin_height()
                if (x < left - OVERFLOW_TOLERANCE_PX or x + w > right + OVERFLOW_TOLERANCE_PX
                        or y + h > bottom + OVERFLOW_TOLERANCE_PX or y < top - OVERFLOW_TOLERANCE_PX):
                    if str(where) in seen:
                        continue
                    seen.add(str(where))
                    text = getattr(box, "text", "") or "une image"
                    out.append((number, error(where, "overflow",
                                              f"page {page_label or number} : « {text[:40]} » dépasse de la zone "
                                              f"de texte ({_by_mm(box, left, right, top, bottom)}) ; coupez le mot "
                                              "ou l'adresse avec un espace ou reformulez")))
    return out


def _by_mm(box, left, right, top, bottom) -> str:
    excess = max(left - box.position_x, box.position_x + box.margin_width() - right,
                 box.position_y + box.margin_height() - bottom, top - box.position_y)
    return f"de {excess * 25.4 / CSS_PX_PER_INCH:.1f} mm".replace(".", ",")


# ── Page count ──────────────────────────────────────────────────────────────

def page_count(reader: PdfReader, book: Book) -> list[Diagnostic]:
    multiple = book.config.printing.pad_to
    pages = len(reader.pages)
    if pages % multiple:
        return [error(book.config.location, "page-count",
                      f"le PDF a {pages} pages, pas un multiple de {multiple} (print.pad_to) : "
                      "l'imprimeur ne peut pas le relier ainsi")]
    return []

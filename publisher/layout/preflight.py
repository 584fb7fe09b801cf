"""Preflight: what a printer's checker looks at, done before the file leaves us.

- every font embedded, and only the fonts shipped in ``fonts/``;
- every image at 300 dpi or more at its placed size (warning from 150, error below);
- nothing overflowing the page's text area into the margins or off the page;
- the page count a multiple of ``print.pad_to``;
- for ``--variant pdf/a-2b``, what an archive's validator (veraPDF, not installable here) checks first
  and pikepdf can read (the fonts are checked above, for every variant): the output intent, the XMP
  identification, a file identifier, no JavaScript, no encryption, nothing fetched from outside the file.

Each finding names its page; where the layout knows the paragraph or figure
responsible, the diagnostic points at its source line. Images and overflows are
read from the laid-out pages (publisher/layout/pages.py), fonts and the page
count from the PDF itself, as the printer's tools read it.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pikepdf

from ..diagnostics import Diagnostic, error, warning
from ..model import BookConfig, SourceLocation
from .fonts import embedded_name, fonts_of, shipped_files

PRINT_DPI, MINIMUM_DPI = 300, 150
CSS_PX_PER_INCH = 96


def preflight(pdf: bytes, config: BookConfig, shown: str) -> list[Diagnostic]:
    """What the PDF shows: fonts and page count. ``config``: the book's settings (what the printer asked for);
    ``shown``: its name in messages (build/volume.pdf)."""
    with pikepdf.open(io.BytesIO(pdf)) as document:      # qpdf: a 800-page book read in a tenth of pypdf's time
        found = fonts(document, shown) + page_count(document, config)
    return found + (archival(pdf, shown) if config.printing.variant == "pdf/a-2b" else [])


def layout_checks(pages, root: Path) -> list[Diagnostic]:
    """What only the layout shows: images and overflows, each with its page and source line.
    ``pages``: the laid-out pages (layout.pages.Page), numbered as in the book."""
    return images(pages, root) + overflows(pages, root)


# ── Fonts ───────────────────────────────────────────────────────────────────

def fonts(document: pikepdf.Pdf, shown: str) -> list[Diagnostic]:
    shipped = shipped_files()                          # PostScript name → file, of fonts/
    out: list[Diagnostic] = []
    reported: set[str] = set()
    seen: set[tuple[int, int]] = set()
    names: dict[tuple[int, int], str | None] = {}       # by program: the book's fonts share theirs (fonts.py)
    for number, page in enumerate(document.pages, start=1):
        for font in fonts_of(page.obj.get("/Resources"), seen):
            name = re.sub(r"^[A-Z]{6}\+", "", str(font.get("/BaseFont", "?")).lstrip("/"))
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font.DescendantFonts[0].get("/FontDescriptor")
            program = next((descriptor[k] for k in ("/FontFile", "/FontFile2", "/FontFile3")
                            if descriptor is not None and k in descriptor), None)
            embedded = program is not None
            if embedded:
                # The PDF's own font name is made up by WeasyPrint; the embedded program knows its real name.
                if program.objgen not in names or program.objgen == (0, 0):
                    names[program.objgen] = embedded_name(program.read_bytes())
                name = names[program.objgen] or name
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


# ── Images ──────────────────────────────────────────────────────────────────

def located(src: str, root: Path) -> SourceLocation:
    """The source line of a paragraph or figure; the stylesheet for what has none (a running head)."""
    return SourceLocation.from_src(src, root) if src else SourceLocation("layouts/print.css", 1)


def too_coarse(name: str, dpi: float, width: int, height: int) -> str:
    """What an editor is told of an image with too few pixels for its printed size (here, and in the desk)."""
    return (f"l'image {name} n'a que {dpi:.0f} dpi à la taille où elle est imprimée ({width}×{height} pixels) ; "
            f"il en faut {PRINT_DPI} : demandez un fichier plus grand, ou imprimez-la plus petite")


def images(pages, root: Path) -> list[Diagnostic]:
    out = []
    for page in pages:
        for image in page.images:
            (width, height), (printed_w, printed_h) = image.pixels, image.printed
            dpi = min(width / (printed_w / CSS_PX_PER_INCH), height / (printed_h / CSS_PX_PER_INCH))
            if dpi >= PRINT_DPI:
                continue
            message = f"page {page.number} : " + too_coarse(image.name, dpi, width, height)
            out.append((warning if dpi >= MINIMUM_DPI else error)(located(image.src, root), "image-resolution", message))
    return out


# ── Content outside the text area ───────────────────────────────────────────

def overflows(pages, root: Path) -> list[Diagnostic]:
    out = []
    for page in pages:
        for found in page.overflows:
            excess = f"de {found.excess * 25.4 / CSS_PX_PER_INCH:.1f} mm".replace(".", ",")
            out.append(error(located(found.src, root), "overflow",
                             f"page {page.number} : « {(found.text or 'une image')[:40]} » dépasse de la zone "
                             f"de texte ({excess}) ; coupez le mot ou l'adresse avec un espace ou reformulez"))
    return out


# ── Page count ──────────────────────────────────────────────────────────────

def page_count(document: pikepdf.Pdf, config: BookConfig) -> list[Diagnostic]:
    multiple = config.printing.pad_to
    pages = len(document.pages)
    if pages % multiple:
        return [error(config.location, "page-count",
                      f"le PDF a {pages} pages, pas un multiple de {multiple} (print.pad_to) : "
                      "l'imprimeur ne peut pas le relier ainsi")]
    return []


# ── PDF/A-2b ────────────────────────────────────────────────────────────────

def dictionaries(document):
    """Every dictionary of the file (a stream's too), the direct ones inside others included: an action
    is most often written inside its annotation or the catalog, not as an object of its own."""
    def inside(thing):
        if isinstance(thing, (pikepdf.Dictionary, pikepdf.Stream)):
            yield thing
            children = thing.values()
        elif isinstance(thing, pikepdf.Array):
            children = thing
        else:
            return
        for child in children:
            if isinstance(child, pikepdf.Object) and not child.is_indirect:
                yield from inside(child)

    for thing in document.objects:
        yield from inside(thing)


FETCHING = {"/Launch", "/GoToR", "/GoToE", "/ImportData", "/SubmitForm", "/Sound", "/Movie", "/Rendition"}


def archival(pdf: bytes, shown: str) -> list[Diagnostic]:
    """What keeps a PDF from being a PDF/A-2b, as far as pikepdf can tell, each once, on the whole file
    (the joined parts, the folios' forms): a finding is a fault of the pipeline, not of a text. Fonts not
    embedded are :func:`fonts`' (``font-not-embedded``), for every variant."""
    faults: dict[str, str] = {}
    with pikepdf.open(io.BytesIO(pdf)) as document:
        if document.is_encrypted:
            faults["encrypted"] = "il est chiffré"
        if "/ID" not in document.trailer:
            faults["id"] = "il n'a pas d'identifiant de fichier (/ID)"
        intents = [i for i in document.Root.get("/OutputIntents", []) if i.get("/S") == "/GTS_PDFA1"]
        if not intents or "/DestOutputProfile" not in intents[0]:
            faults["intent"] = "il n'a pas d'intention de sortie PDF/A avec son profil ICC"
        xmp = document.Root.Metadata.read_bytes().decode("utf-8", "replace") if "/Metadata" in document.Root else ""
        if not re.search(r'pdfaid:part(="|>)2', xmp) or not re.search(r'pdfaid:conformance(="|>)B', xmp):
            faults["xmp"] = "ses métadonnées XMP ne le disent pas PDF/A-2b (pdfaid:part, pdfaid:conformance)"
        if "/JavaScript" in document.Root.get("/Names", {}):
            faults["js"] = "il contient du JavaScript"
        for thing in dictionaries(document):
            if "/JS" in thing or thing.get("/S") == "/JavaScript":
                faults["js"] = "il contient du JavaScript"
            if thing.get("/S") in FETCHING or "/Ref" in thing and thing.get("/Subtype") == "/Form":
                faults["outside"] = f"il renvoie à un contenu hors du fichier ({thing.get('/S') or '/Ref'})"
    return [error(SourceLocation(shown, 1), "pdf-a", f"ce PDF ne peut pas être un PDF/A-2b : {why} ; "
                  "c'est une erreur de publisher, signalez-la (le PDF est écrit pour qu'on le voie)")
            for why in faults.values()]

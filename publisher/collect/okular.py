"""Okular's document archive (``.okular``): the PDF as it was, and the annotations beside it
in Okular's own XML (its « docdata »), not in the PDF. Positions there are fractions of the
page from its top left corner; a reply is a « revision » of the annotation it answers."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pikepdf
from lxml import etree

from ..diagnostics import PublisherError, error
from ..model import SourceLocation
from .read import Annotation, Box, fingerprint

# Okular's annotation types (core/annotations.h), and the kinds of its highlights
TEXT, HIGHLIGHT, CARET = 1, 4, 8
HIGHLIGHTS = {0: "highlight", 1: "squiggly", 2: "underline", 3: "strikeout"}
MAX_UNPACKED = 300_000_000      # a proof of the volume and its notes: well under 50 MB
MAX_XML = 20_000_000            # Okular's notes on a proof: kilobytes


def is_archive(path: Path) -> bool:
    return path.suffix.lower() == ".okular"


def read_archive(path: Path, shown: str) -> tuple[pikepdf.Pdf, list[Annotation]]:
    try:
        archive = zipfile.ZipFile(path)
        sizes = {i.filename: i.file_size for i in archive.infolist()}
        if sum(sizes.values()) > MAX_UNPACKED or any(n.lower().endswith(".xml") and s > MAX_XML for n, s in sizes.items()):
            raise PublisherError(error(SourceLocation(shown, 1), "okular-unreadable",
                                       f"cette archive Okular se décompresse en {sum(sizes.values()) // 1_000_000} Mo "
                                       f"(limite : {MAX_UNPACKED // 1_000_000} Mo) : ce n'est pas une épreuve annotée ; "
                                       "dans Okular, enregistrez plutôt les annotations dans le PDF "
                                       "(Fichier › Enregistrer sous)"))
        names = archive.namelist()
        document = next(n for n in names if n.lower().endswith(".pdf"))
        notes = [n for n in names if n.lower().endswith(".xml") and b"annotationList" in archive.read(n)]
        pdf = pikepdf.open(io.BytesIO(archive.read(document)))
        found: list[Annotation] = []
        for name in notes:
            root = etree.fromstring(archive.read(name), etree.XMLParser(resolve_entities=False, no_network=True,
                                                                        huge_tree=False))
            for page in root.iter("page"):
                number = int(page.get("number", "-1"))
                if not 0 <= number < len(pdf.pages):
                    continue
                x0, y0, x1, y1 = [float(v) for v in pdf.pages[number].mediabox]
                size = (x0, y0, x1 - x0, y1 - y0)
                for listed in page.iter("annotationList"):
                    for element in listed.findall("annotation"):
                        found += annotations(element, number, size, len(found), None)
    except (zipfile.BadZipFile, StopIteration, pikepdf.PdfError, OSError, etree.XMLSyntaxError, ValueError,
            TypeError, RuntimeError, EOFError, NotImplementedError):
        raise PublisherError(error(SourceLocation(shown, 1), "okular-unreadable",
                                   "cette archive Okular est illisible ou ne contient pas de PDF : dans Okular, "
                                   "Fichier › Exporter en › Archive de document, ou enregistrez les annotations "
                                   "dans le PDF (Fichier › Enregistrer sous)")) from None
    return pdf, found


def annotations(element, page: int, size, counter: int, parent: tuple[int, int] | None) -> list[Annotation]:
    base = element.find("base")
    if base is None:
        return []
    kind = okular_kind(element)
    ref = (-1 - page, counter)
    left, bottom, width, height = size

    def point(x: str, y: str) -> tuple[float, float]:
        return left + float(x or 0) * width, bottom + (1 - float(y or 0)) * height

    boundary = base.find("boundary")
    if boundary is not None:
        (x0, y0), (x1, y1) = point(boundary.get("l"), boundary.get("t")), point(boundary.get("r"), boundary.get("b"))
        rect = Box(min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
    else:
        rect = Box(0, 0, 0, 0)
    quads = []
    for quad in element.iter("quad"):
        xs, ys = zip(*(point(quad.get(f"{c}x"), quad.get(f"{c}y")) for c in "abcd"))
        quads.append(Box(min(xs), min(ys), max(xs), max(ys)))
    name, said = base.get("uniqueName") or "", (base.get("contents") or "").strip()
    author = base.get("author") or ""
    when = (base.get("modifyDate") or base.get("creationDate") or "").replace("T", " ")[:16]
    made = Annotation(name, fingerprint(name, kind, rect, quads, said, author, when), name or f"okular:{page}:{counter}",
                      ref, page, kind, rect, tuple(quads), said, author, when, parent, False)
    out = [made]
    for k, revision in enumerate(element.findall("revision")):     # the replies
        out += annotations(revision, page, size, counter + 1 + k, ref)
    return out


def okular_kind(element) -> str:
    kind = int(element.get("type", "0") or 0)
    if kind == TEXT:
        return "note"
    if kind == HIGHLIGHT:
        hl = element.find("hl")
        return HIGHLIGHTS.get(int(hl.get("type", "0")) if hl is not None else 0, "highlight")
    if kind == CARET:
        return "caret"
    return "other"

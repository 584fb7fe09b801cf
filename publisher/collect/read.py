"""The annotations of an annotated proof, as PDF readers write them.

Acrobat, browsers, Okular, Evince, Preview and Xodo do not write alike: accented text in
PDFDocEncoding or UTF-16 (pikepdf decodes both), QuadPoints in either corner order,
annotations in the file but on no page's /Annots (Preview: we find them by their /P),
pop-ups and replies that are not annotations in their own right, highlights over nothing.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import pikepdf

from ..diagnostics import PublisherError, error
from ..model import SourceLocation

MARKUP = {"/Highlight": "highlight", "/Underline": "underline", "/Squiggly": "squiggly", "/StrikeOut": "strikeout"}
POINTS = {"/Text": "note", "/Caret": "caret", "/FreeText": "freetext"}
OTHERS = {"/Ink": "ink", "/Square": "square", "/Circle": "circle", "/Line": "line", "/Polygon": "polygon",
          "/PolyLine": "polyline", "/Stamp": "stamp", "/FileAttachment": "attachment", "/Sound": "sound"}
NOT_ANNOTATIONS = {"/Popup", "/Link", "/Widget", "/PrinterMark", "/TrapNet", "/Watermark"}
PDF_DATE = re.compile(r"D?:?(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?")


@dataclass(frozen=True)
class Box:
    left: float
    bottom: float
    right: float
    top: float                      # PDF user space: y grows upwards


@dataclass(frozen=True)
class Annotation:
    name: str                       # /NM: unique among the annotations of its page only ("" if none)
    digest: str                     # its name, kind, place, words, author and date: with the proof and the page,
                                    # what tells it from any other annotation (publisher.collect.Finding.key)
    legacy: str                     # how the ledger of applied annotations named it before (/NM alone): read only
    ref: tuple[int, int]            # the object's number, to find its replies
    page: int | None                # the page in the PDF, from 0 (None: on no page)
    kind: str                       # note, highlight, strikeout, caret…
    rect: Box
    quads: tuple[Box, ...]
    text: str
    author: str
    date: str
    reply_to: tuple[int, int] | None
    grouped: bool                   # /RT /Group: part of the annotation it points to (a replacement's caret)


def read(path: Path, shown: str) -> tuple[pikepdf.Pdf, list[Annotation]]:
    try:
        pdf = pikepdf.open(path)
    except pikepdf.PasswordError:
        raise PublisherError(error(SourceLocation(shown, 1), "pdf-encrypted",
                                   "ce PDF est protégé par un mot de passe : enregistrez-en une copie sans protection")
                             ) from None
    except (pikepdf.PdfError, OSError) as exc:
        raise PublisherError(error(SourceLocation(shown, 1), "pdf-unreadable",
                                   f"ce fichier n'est pas un PDF lisible ({str(exc)[:80]})")) from None
    pages = {page.obj.objgen: k for k, page in enumerate(pdf.pages)}
    found: list[Annotation] = []
    seen: set[tuple[int, int]] = set()
    for k, page in enumerate(pdf.pages):
        for annot in page.obj.get("/Annots", []):
            if isinstance(annot, pikepdf.Dictionary) and annot.objgen not in seen:
                seen.add(annot.objgen)
                found += annotation(annot, k)
    for obj in pdf.objects:        # Preview leaves some on no page's /Annots: their /P says where
        if isinstance(obj, pikepdf.Dictionary) and obj.objgen not in seen and "/Subtype" in obj \
                and "/Rect" in obj and (obj.get("/Type") == "/Annot" or "/P" in obj):
            seen.add(obj.objgen)
            owner = obj.get("/P")
            found += annotation(obj, pages.get(owner.objgen) if isinstance(owner, pikepdf.Dictionary) else None)
    return pdf, found


def annotation(obj: pikepdf.Dictionary, page: int | None) -> list[Annotation]:
    subtype = str(obj.get("/Subtype", ""))
    if subtype in NOT_ANNOTATIONS or subtype not in MARKUP | POINTS | OTHERS:
        return []
    irt = obj.get("/IRT")
    name = text(obj.get("/NM"))
    said = [str(obj.get(k, "")) for k in ("/Subtype", "/Rect", "/QuadPoints", "/Contents", "/T", "/M")]
    return [Annotation(name, fingerprint(name, *said), name or "sha256:" + fingerprint(*said), obj.objgen, page,
                       (MARKUP | POINTS | OTHERS)[subtype], box(obj.get("/Rect")),
                       quads(obj.get("/QuadPoints")), text(obj.get("/Contents")), text(obj.get("/T")),
                       date(obj.get("/M") or obj.get("/CreationDate")),
                       irt.objgen if isinstance(irt, pikepdf.Dictionary) else None,
                       str(obj.get("/RT", "/R")) == "/Group")]


def fingerprint(*parts: object) -> str:
    return hashlib.sha256("\x00".join(map(str, parts)).encode("utf-8", "replace")).hexdigest()[:24]


def text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, pikepdf.String):
        return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()
    return str(value).strip()


def numbers(value) -> list[float]:
    try:
        return [float(v) for v in value] if value is not None else []
    except (TypeError, ValueError):
        return []


def box(value) -> Box:
    n = numbers(value)
    if len(n) < 4:
        return Box(0, 0, 0, 0)
    return Box(min(n[0], n[2]), min(n[1], n[3]), max(n[0], n[2]), max(n[1], n[3]))


def quads(value) -> tuple[Box, ...]:
    """Each quadrilateral as its bounding box: readers disagree on the order of its corners."""
    n = numbers(value)
    out = []
    for i in range(0, len(n) - 7, 8):
        xs, ys = n[i:i + 8:2], n[i + 1:i + 8:2]
        out.append(Box(min(xs), min(ys), max(xs), max(ys)))
    return tuple(out)


def date(value) -> str:
    match = PDF_DATE.match(text(value))
    if not match:
        return ""
    year, month, day, hour, minute = match.groups()
    out = year + (f"-{month}" if month else "") + (f"-{day}" if day else "")
    return out + (f" {hour}:{minute or '00'}" if hour else "")

"""The finished PDF: WeasyPrint writes each part (metadata, PDF variant, boxes: see
worker.py), parts.join puts them together; pypdf adds what WeasyPrint cannot:
blank pages up to the printer's multiple of 4, a BleedBox that is the whole bleed.

A failed or interrupted build never leaves a half-written PDF: we write a
temporary file beside the target and rename it over the target at the end.
"""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path

from pypdf import PdfReader, PdfWriter

from .model import PrintSetup


def variant_options(printing: PrintSetup) -> dict:
    # Title, author, subject, keywords, dates and language come from the HTML's
    # <head>: WeasyPrint writes them both in the document information and, for
    # the PDF/A, PDF/UA and PDF/X variants, in the XMP metadata they require.
    return {"pdf_variant": printing.variant} if printing.variant else {}


def for_the_printer(pdf: bytes, multiple: int) -> bytes:
    """Blank pages at the end (no running head, no folio) up to a multiple of ``multiple``,
    and a BleedBox that is the whole bleed: the book laid out as one document (build.lay_out_whole)."""
    reader = PdfReader(io.BytesIO(pdf))
    missing = -len(reader.pages) % multiple
    short_bleed = any(list(page.bleedbox) != list(page.mediabox) for page in reader.pages)
    if not missing and not short_bleed:
        return pdf                                # WeasyPrint's file untouched
    writer = PdfWriter(clone_from=reader)
    finish_pages(writer, multiple)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def finish_pages(writer: PdfWriter, multiple: int) -> None:
    """:func:`for_the_printer` on a PDF being written (parts.join).

    WeasyPrint sets the BleedBox « at most 10 points » outside the TrimBox: with a
    bleed wider than 3.5 mm, the printer would cut the artwork short."""
    for page in writer.pages:
        page.bleedbox = page.mediabox
    model = writer.pages[-1]
    for _ in range(-len(writer.pages) % multiple):
        page = writer.add_blank_page(width=model.mediabox.width, height=model.mediabox.height)
        page.mediabox, page.trimbox, page.bleedbox = model.mediabox, model.trimbox, model.mediabox


def lay_over(writer: PdfWriter, page, over, name: str) -> None:
    """Draw page ``over`` (of another PDF, the same size) on ``page`` of ``writer``: folios, a proof's sheets.

    pypdf's merge_page parses and rewrites the page's whole content (seconds for a
    book, the streams left uncompressed); here ``over`` becomes a Form XObject that
    the page draws last, its own content untouched."""
    from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject

    form = DecodedStreamObject()
    form.set_data(b"\n".join(stream.get_object().get_data() for stream in streams(over)))
    form.update({NameObject("/Type"): NameObject("/XObject"), NameObject("/Subtype"): NameObject("/Form"),
                 NameObject("/BBox"): ArrayObject(over.mediabox),
                 NameObject("/Resources"): over["/Resources"].clone(writer)})
    form = form.flate_encode()
    # The page's own resources (WeasyPrint shares one dictionary between the pages of a document)
    resources = DictionaryObject(page["/Resources"].get_object())
    xobjects = DictionaryObject(resources["/XObject"].get_object()) if "/XObject" in resources else DictionaryObject()
    xobjects[NameObject(f"/{name}")] = writer._add_object(form)    # pypdf has no public way to add a stream
    resources[NameObject("/XObject")] = xobjects
    page[NameObject("/Resources")] = resources
    before, after = DecodedStreamObject(), DecodedStreamObject()
    before.set_data(b"q\n")
    after.set_data(f"\nQ q /{name} Do Q\n".encode())          # the page's graphics state restored first
    page[NameObject("/Contents")] = ArrayObject([writer._add_object(before), *streams(page),
                                                 writer._add_object(after)])


def streams(page) -> list:
    """The indirect references to a page's content streams (one, or an array)."""
    contents = page.raw_get("/Contents")
    resolved = contents.get_object()
    return list(resolved) if isinstance(resolved, list) else [contents]


def write_atomically(target: Path, data: bytes) -> None:
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        # mkstemp makes the file private (0600): a PDF is for sharing, as any file the user creates
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise

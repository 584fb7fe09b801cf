"""PDF surgery with pypdf, on the PDFs WeasyPrint wrote: what parts.join needs to make one
book of its parts (folios laid over, internal links, font subsets named apart) and what
WeasyPrint cannot do for the printer (blank pages up to a multiple of 4, a BleedBox that is
the whole bleed). WeasyPrint itself writes the metadata, the PDF variant and the other boxes.
"""

from __future__ import annotations

import hashlib
import re
import uuid

from pypdf import PdfWriter

from ..internals.pypdf import add_object, set_file_identifier

from ..model import PrintSetup
from ..render.html import PART_LINK


def variant_options(printing: PrintSetup) -> dict:
    # Title, author, subject, keywords, dates and language come from the HTML's
    # <head>: WeasyPrint writes them both in the document information and, for
    # the PDF/A, PDF/UA and PDF/X variants, in the XMP metadata they require.
    return {"pdf_variant": printing.variant} if printing.variant else {}


def finish_pages(writer: PdfWriter, multiple: int) -> None:
    """Blank pages at the end (no running head, no folio) up to a multiple of ``multiple``, and a
    BleedBox that is the whole bleed, on a PDF being written (parts.join, lay_out_whole).

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
    draw_over(writer, page, form_of(writer, over), name)


def form_of(writer: PdfWriter, over, marker: bytes = b""):
    """Page ``over`` as a Form XObject of ``writer`` (a reference: one form may be drawn on many pages).
    With a ``marker`` (a PDF comment, « %... »), the form is left uncompressed and opens with it, so that
    its drawing can be found in the written file (proof.blank_stamp)."""
    from pypdf.generic import ArrayObject, DecodedStreamObject, NameObject

    form = DecodedStreamObject()
    form.set_data(b"\n".join([marker] * bool(marker) + [stream.get_object().get_data() for stream in streams(over)]))
    form.update({NameObject("/Type"): NameObject("/XObject"), NameObject("/Subtype"): NameObject("/Form"),
                 NameObject("/BBox"): ArrayObject(over.mediabox),
                 NameObject("/Resources"): over["/Resources"].clone(writer)})
    return add_object(writer, form if marker else form.flate_encode())


def draw_over(writer: PdfWriter, page, form, name: str) -> None:
    """The Form XObject ``form`` (:func:`form_of`) drawn last on ``page``, as an artifact."""
    from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject

    # The page's own resources (WeasyPrint shares one dictionary between the pages of a document)
    resources = DictionaryObject(page["/Resources"].get_object())
    xobjects = DictionaryObject(resources["/XObject"].get_object()) if "/XObject" in resources else DictionaryObject()
    xobjects[NameObject(f"/{name}")] = form
    resources[NameObject("/XObject")] = xobjects
    page[NameObject("/Resources")] = resources
    before, after = DecodedStreamObject(), DecodedStreamObject()
    before.set_data(b"q\n")
    # the page's graphics state restored first; drawn as an artifact: a folio, a proof's sheet is not the text
    after.set_data(f"\nQ q /Artifact BMC /{name} Do EMC Q\n".encode())
    page[NameObject("/Contents")] = ArrayObject([add_object(writer, before), *streams(page),
                                                 add_object(writer, after)])


def streams(page) -> list:
    """The indirect references to a page's content streams (one, or an array)."""
    contents = page.raw_get("/Contents")
    resolved = contents.get_object()
    return list(resolved) if isinstance(resolved, list) else [contents]


def link_inside(page) -> None:
    """The parts' links to anchors (written as URIs: see html.PART_LINK) made internal again."""
    from pypdf.generic import NameObject, TextStringObject

    for ref in page.get("/Annots") or []:
        link = ref.get_object()
        action = link.get("/A")
        uri = str(action.get_object().get("/URI", "")) if action else ""
        if uri.startswith(PART_LINK):
            del link["/A"]
            link[NameObject("/Dest")] = TextStringObject(uri[len(PART_LINK):])


def tidy_fonts(pages, salt: str | None) -> None:
    """Each part's font subsets under a tag of their own, and one character for the hyphen.

    WeasyPrint derives a subset's tag (« ABCDEF+Source-Serif-4 ») from the font's
    name only, so every part would name its subset alike: a printer's RIP may take
    one subset for another and lose glyphs. ``salt`` None: the tags are kept.

    The text layer gives each glyph one character, the first WeasyPrint met: the
    hyphen glyph would read « - » or « ‐ » (U+2010, a hyphenation) depending on
    where a part starts. Always « - »: what a reader copies or searches for."""
    from pypdf.generic import NameObject

    seen: set[int] = set()
    for page in pages:
        fonts = (page.get("/Resources") or {}).get("/Font") or {}
        for ref in fonts.values():
            font = ref.get_object()
            if id(font) in seen:
                continue
            seen.add(id(font))
            if "/ToUnicode" in font:
                cmap = font["/ToUnicode"].get_object()
                cmap.set_data(cmap.get_data().replace(b" <2010>", b" <002d>"))
            if salt is None:
                continue
            dicts = [font] + [d.get_object() for d in font.get("/DescendantFonts", [])]
            dicts += [d["/FontDescriptor"].get_object() for d in dicts[1:] if "/FontDescriptor" in d]
            for d in dicts:
                for key in ("/BaseFont", "/FontName"):
                    if key in d:
                        d[NameObject(key)] = NameObject("/" + new_tag(str(d[key])[1:], salt))


def new_tag(name: str, salt: str) -> str:
    tag, plus, rest = name.partition("+")
    if not plus or len(tag) != 6:
        return name
    letters = hashlib.md5(f"{tag}{salt}".encode(), usedforsecurity=False).digest()[:6]
    return "".join(chr(65 + b % 26) for b in letters) + "+" + rest


DOCUMENT_ID = re.compile(rb"xmp\.did:[0-9a-f-]{36}")


def steady_identifiers(writer: PdfWriter, seed: str) -> None:
    """The PDF/A, PDF/UA and PDF/X variants carry an XMP DocumentID that WeasyPrint draws at random
    (uuid4), and the file identifier /ID depends on it: two builds of the same sources would differ.
    Both are derived from ``seed`` (what the parts are made of) instead."""
    from pypdf.generic import ArrayObject, ByteStringObject

    metadata = writer.root_object.get("/Metadata")
    if metadata is None:
        return
    stream = metadata.get_object()
    data = stream.get_data()
    if not DOCUMENT_ID.search(data):
        return
    steady = uuid.UUID(hashlib.sha256(seed.encode()).hexdigest()[:32])
    stream.set_data(DOCUMENT_ID.sub(f"xmp.did:{steady}".encode(), data))
    identifier = ByteStringObject(hashlib.md5(seed.encode(), usedforsecurity=False).hexdigest().encode())
    set_file_identifier(writer, ArrayObject([identifier, identifier]))


def merge_structure(writer: PdfWriter, reader, pages, originals) -> None:
    """The structure tree of a part (a tagged PDF/UA) joined to the book's, in reading order: its
    elements under the book's Document, its parent tree renumbered after the book's, its role map kept,
    and the ``/StructParents`` of its ``pages`` (and ``/StructParent`` of their links) moved alike: pypdf
    drops the former when it appends a page, so they are read on the part's ``originals``. ``reader`` must
    be the one its pages were appended from: its objects then map to the same copies."""
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject

    root, theirs = writer.root_object, reader.trailer["/Root"]
    if "/StructTreeRoot" not in root or "/StructTreeRoot" not in theirs:
        return
    mine, other = root["/StructTreeRoot"].get_object(), theirs["/StructTreeRoot"].get_object()
    document = first_element(mine)
    nums = mine["/ParentTree"].get_object().setdefault(NameObject("/Nums"), ArrayObject())
    offset = max((int(nums[i]) for i in range(0, len(nums), 2)), default=-1) + 1
    their_nums = other["/ParentTree"].get_object().get("/Nums", ArrayObject())
    for i in range(0, len(their_nums), 2):
        nums.append(NumberObject(int(their_nums[i]) + offset))
        nums.append(their_nums[i + 1].clone(writer))
    for page, original in zip(pages, originals):
        if "/StructParents" in original:
            page[NameObject("/StructParents")] = NumberObject(int(original["/StructParents"]) + offset)
        for annotation in page.get("/Annots", ArrayObject()):
            annotation = annotation.get_object()
            if "/StructParent" in annotation:
                annotation[NameObject("/StructParent")] = NumberObject(int(annotation["/StructParent"]) + offset)
    kids = first_element(other).get("/K", ArrayObject())
    kids = kids if isinstance(kids, ArrayObject) else ArrayObject([kids])
    own = document.setdefault(NameObject("/K"), ArrayObject())
    if not isinstance(own, ArrayObject):
        own = document[NameObject("/K")] = ArrayObject([own])
    for kid in kids:
        copy = kid.clone(writer)
        copy.get_object()[NameObject("/P")] = document.indirect_reference or document
        own.append(copy)
    if "/RoleMap" in other:           # a part's own structure types, and the standard ones they stand for
        roles = mine.setdefault(NameObject("/RoleMap"), DictionaryObject())
        for name, standard in other["/RoleMap"].get_object().items():
            roles.setdefault(NameObject(name), standard.clone(writer))
    mine[NameObject("/ParentTreeNextKey")] = NumberObject(max(int(nums[i]) for i in range(0, len(nums), 2)) + 1)


def first_element(tree):
    """The tree's top element (WeasyPrint's Document)."""
    top = tree["/K"]
    top = top[0] if isinstance(top, list) else top
    return top.get_object()

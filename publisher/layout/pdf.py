"""PDF surgery with pikepdf (qpdf), on the PDFs WeasyPrint wrote: what the join (joined.py) needs to make one
book of its parts (folios laid over, internal links, font subsets named apart, structure trees
joined) and what WeasyPrint cannot do for the printer (blank pages up to a multiple of 4, a
BleedBox that is the whole bleed). WeasyPrint itself writes the metadata, the PDF variant and the
other boxes.

qpdf copies a page of another PDF with everything it uses, once per PDF: a font the pages of a
part share is copied once, and an object reached again later (a structure element's page) is the
copy already made. A pikepdf page does not keep its PDF open: whoever holds pages holds their PDF.
"""

from __future__ import annotations

import hashlib
import re
import uuid
import zlib

import pikepdf
from pikepdf import Array, Dictionary, Name

from ..model import PrintSetup
from ..render.html import PART_LINK


def variant_options(printing: PrintSetup) -> dict:
    # Title, author, subject, keywords, dates and language come from the HTML's
    # <head>: WeasyPrint writes them both in the document information and, for
    # the PDF/A, PDF/UA and PDF/X variants, in the XMP metadata they require.
    return {"pdf_variant": printing.variant} if printing.variant else {}


def finish_pages(pdf: pikepdf.Pdf, multiple: int) -> None:
    """Blank pages at the end (no running head, no folio) up to a multiple of ``multiple``, and a
    BleedBox that is the whole bleed (joined.py, lay_out_whole).

    WeasyPrint sets the BleedBox « at most 10 points » outside the TrimBox: with a
    bleed wider than 3.5 mm, the printer would cut the artwork short."""
    for page in pdf.pages:
        page.BleedBox = Array(page.MediaBox)
    model = pdf.pages[-1]
    for _ in range(-len(pdf.pages) % multiple):
        page = blank_page(pdf, model)
        page.TrimBox, page.BleedBox = Array(model.get("/TrimBox", model.MediaBox)), Array(model.MediaBox)
        pdf.pages.append(page)


def trimmed(pdf: pikepdf.Pdf, page: pikepdf.Page, wider_by: float) -> None:
    """``page`` cut to its TrimBox (no bleed, no crop marks) and widened by ``wider_by`` points on the right, an
    empty column: a proof's pages are the volume's, its notes in that column. The page's own drawing is clipped to
    the trimmed page; what is drawn over it afterwards (lay_over) is not. WeasyPrint's user space has its origin
    at the trimmed page's corner: links and destinations stay where they are."""
    left, bottom, right, top = (float(v) for v in page.obj.get("/TrimBox", page.MediaBox))
    page.MediaBox = Array([left, bottom, right + wider_by, top])
    for box in ("/CropBox", "/BleedBox", "/TrimBox", "/ArtBox"):
        if box in page.obj:
            del page.obj[box]
    clip = f"q {left:.4f} {bottom:.4f} {right - left:.4f} {top - bottom:.4f} re W n\n".encode()
    page.Contents = Array([stream(pdf, clip, compressed=False), *contents(page),
                           stream(pdf, b"\nQ\n", compressed=False)])


def blank_page(pdf: pikepdf.Pdf, like: pikepdf.Page) -> pikepdf.Page:
    """A page of ``pdf`` with nothing on it, of the size of ``like``."""
    return pikepdf.Page(pdf.make_indirect(Dictionary(Type=Name.Page, MediaBox=Array(like.MediaBox),
                                                     Resources=Dictionary())))


def lay_over(pdf: pikepdf.Pdf, page: pikepdf.Page, over: pikepdf.Page, name: str) -> None:
    """Draw page ``over`` (of another PDF, the same size) on ``page`` of ``pdf``: folios, a proof's sheets.

    ``over`` becomes a Form XObject that the page draws last, the page's own content untouched."""
    draw_over(pdf, page, form_of(pdf, over), name)


def form_of(pdf: pikepdf.Pdf, over: pikepdf.Page, marker: bytes = b"") -> pikepdf.Stream:
    """Page ``over`` as a Form XObject of ``pdf`` (one form may be drawn on many pages). With a ``marker``
    (a PDF comment, « %... »), the form is left uncompressed and opens with it, so that its drawing can be
    found in the written file (proof.blank_stamp)."""
    data = b"\n".join([marker] * bool(marker) + [content.read_bytes() for content in contents(over)])
    form = stream(pdf, data, compressed=not marker)
    form.Type, form.Subtype, form.BBox = Name.XObject, Name.Form, Array(over.MediaBox)
    form.Resources = copied(pdf, over.obj.get("/Resources", Dictionary()))
    return form


def draw_over(pdf: pikepdf.Pdf, page: pikepdf.Page, form: pikepdf.Stream, name: str) -> None:
    """The Form XObject ``form`` (:func:`form_of`) drawn last on ``page`` of ``pdf``, as an artifact."""
    # The page's own resources (WeasyPrint shares one dictionary between the pages of a document)
    resources = Dictionary({key: value for key, value in page.obj.get("/Resources", Dictionary()).items()})
    xobjects = Dictionary({key: value for key, value in resources.get("/XObject", Dictionary()).items()})
    xobjects[Name("/" + name)] = form
    resources.XObject = xobjects
    page.Resources = resources
    # the page's graphics state restored first; drawn as an artifact: a folio, a proof's sheet is not the text
    page.Contents = Array([stream(pdf, b"q\n", compressed=False), *contents(page),
                           stream(pdf, f"\nQ q /Artifact BMC /{name} Do EMC Q\n".encode(), compressed=False)])


def stream(pdf: pikepdf.Pdf, data: bytes, compressed: bool = True) -> pikepdf.Stream:
    """A new stream of ``pdf`` holding ``data``, deflated unless told (a proof is saved with its streams as
    they are: its stamp's drawing must stay readable, proof.blank_stamp)."""
    if not compressed:
        return pikepdf.Stream(pdf, data)
    made = pikepdf.Stream(pdf, zlib.compress(data))
    made.Filter = Name.FlateDecode
    return made


def contents(page: pikepdf.Page) -> list:
    """A page's content streams (one, or an array)."""
    found = page.obj.get("/Contents")
    if found is None:
        return []
    return list(found) if isinstance(found, Array) else [found]


def link_inside(page: pikepdf.Page) -> None:
    """The parts' links to anchors (written as URIs: see html.PART_LINK) made internal again."""
    for link in page.obj.get("/Annots", Array()):
        action = link.get("/A")
        uri = str(action.get("/URI", "")) if action is not None else ""
        if uri.startswith(PART_LINK):
            del link["/A"]
            link.Dest = pikepdf.String(uri[len(PART_LINK):])


def tidy_fonts(pages, salt: str | None) -> None:
    """Each part's font subsets under a tag of their own (before the book shares some: faces.py), and one
    character for the hyphen.

    WeasyPrint derives a subset's tag (« ABCDEF+Source-Serif-4 ») from the font's
    name only, so every part would name its subset alike: a printer's RIP may take
    one subset for another and lose glyphs. ``salt`` None: the tags are kept.

    The text layer gives each glyph one character, the first WeasyPrint met: the
    hyphen glyph would read « - » or « ‐ » (U+2010, a hyphenation) depending on
    where a part starts. Always « - »: what a reader copies or searches for."""
    seen: set[tuple[int, int]] = set()
    for page in pages:
        fonts = page.obj.get("/Resources", Dictionary()).get("/Font", Dictionary())
        for _, font in fonts.items():
            if font.objgen in seen:
                continue
            seen.add(font.objgen)
            if "/ToUnicode" in font:
                cmap = font.ToUnicode
                cmap.write(zlib.compress(cmap.read_bytes().replace(b" <2010>", b" <002d>")), filter=Name.FlateDecode)
            if salt is None:
                continue
            dicts = [font, *font.get("/DescendantFonts", Array())]
            dicts += [d.FontDescriptor for d in dicts[1:] if "/FontDescriptor" in d]
            for d in dicts:
                for key in ("/BaseFont", "/FontName"):
                    if key in d:
                        d[key] = Name("/" + new_tag(str(d[key])[1:], salt))


def new_tag(name: str, salt: str) -> str:
    tag, plus, rest = name.partition("+")
    if not plus or len(tag) != 6:
        return name
    letters = hashlib.md5(f"{tag}{salt}".encode(), usedforsecurity=False).digest()[:6]
    return "".join(chr(65 + b % 26) for b in letters) + "+" + rest


DOCUMENT_ID = re.compile(rb"xmp\.did:[0-9a-f-]{36}")


def steady_identifiers(pdf: pikepdf.Pdf, seed: str) -> None:
    """The PDF/A, PDF/UA and PDF/X variants carry an XMP DocumentID that WeasyPrint draws at random
    (uuid4), and the file identifier /ID depends on it: two builds of the same sources would differ.
    Both are derived from ``seed`` (what the parts are made of) instead (qpdf keeps the first half of
    the /ID and derives the second from the content: ``deterministic_id``)."""
    identifier = hashlib.md5(seed.encode(), usedforsecurity=False).hexdigest().encode()
    pdf.trailer.ID = Array([pikepdf.String(identifier), pikepdf.String(identifier)])
    metadata = pdf.Root.get("/Metadata")
    if metadata is None:
        return
    data = metadata.read_bytes()
    if DOCUMENT_ID.search(data):
        steady = uuid.UUID(hashlib.sha256(seed.encode()).hexdigest()[:32])
        metadata.write(DOCUMENT_ID.sub(f"xmp.did:{steady}".encode(), data))


def merge_structure(pdf: pikepdf.Pdf, part: pikepdf.Pdf, pages, originals) -> None:
    """The structure tree of ``part`` (a tagged PDF/UA) joined to the book's, in reading order: its
    elements under the book's Document, its parent tree renumbered after the book's, its role map kept,
    and the ``/StructParents`` of its ``pages`` (copies of its ``originals``, already in ``pdf``) and the
    ``/StructParent`` of their links moved alike."""
    if "/StructTreeRoot" not in pdf.Root or "/StructTreeRoot" not in part.Root:
        return
    mine, other = pdf.Root.StructTreeRoot, part.Root.StructTreeRoot
    document, theirs = first_element(mine), first_element(other)
    kids = theirs.get("/K", Array())
    kids = list(kids) if isinstance(kids, Array) else [kids]
    for kid in [theirs, *kids]:          # copied without their parents: the part's tree stays behind
        if "/P" in kid:
            del kid["/P"]
    if "/Nums" not in mine.ParentTree:
        mine.ParentTree.Nums = Array()
    nums = mine.ParentTree.Nums
    offset = max((int(nums[i]) for i in range(0, len(nums), 2)), default=-1) + 1
    their_nums = other.ParentTree.get("/Nums", Array())
    for i in range(0, len(their_nums), 2):
        nums.append(int(their_nums[i]) + offset)
        nums.append(copied(pdf, their_nums[i + 1]))
    for page, original in zip(pages, originals):
        if "/StructParents" in original:
            page.StructParents = int(original.StructParents) + offset
        for annotation in page.obj.get("/Annots", Array()):
            if "/StructParent" in annotation:
                annotation.StructParent = int(annotation.StructParent) + offset
    own = document.get("/K", Array())
    if not isinstance(own, Array):
        own = Array([own])
    for kid in kids:
        copy = copied(pdf, kid)
        copy.P = document
        own.append(copy)
    document.K = own
    if "/RoleMap" in other:           # a part's own structure types, and the standard ones they stand for
        if "/RoleMap" not in mine:
            mine.RoleMap = Dictionary()
        for name, standard in other.RoleMap.items():
            if name not in mine.RoleMap:
                mine.RoleMap[name] = standard
    mine.ParentTreeNextKey = max(int(nums[i]) for i in range(0, len(nums), 2)) + 1


def merge_outline(pdf: pikepdf.Pdf, part: pikepdf.Pdf) -> None:
    """The bookmarks of ``part`` (its pages already copied into ``pdf``) after the book's, at the top level."""
    theirs = part.Root.get("/Outlines")
    if theirs is None or "/First" not in theirs:
        return
    if "/Outlines" not in pdf.Root:
        pdf.Root.Outlines = pdf.make_indirect(Dictionary(Type=Name.Outlines))
    mine = pdf.Root.Outlines
    first = pdf.copy_foreign(theirs.First)          # the items after it come along (/Next), relinked here
    item = first
    while item is not None:
        item.Parent, last = mine, item
        item = item.get("/Next")
    if "/Last" in mine:
        mine.Last.Next, first.Prev = first, mine.Last
    else:
        mine.First = first
    mine.Last = last
    count, item = 0, mine.First
    while item is not None:                          # the items shown: the top level and what is open
        count += 1 + max(0, int(item.get("/Count", 0)))
        item = item.get("/Next")
    mine.Count = count


def destinations_of(part: pikepdf.Pdf, copies: list[pikepdf.Page]) -> dict[bytes, Array]:
    """The named destinations (the anchors links lead to) of ``part``, each made anew on its page's copy
    (``copies``: its pages as copied into the book, the first part being the book itself); those on a page
    the join dropped left out. Asking qpdf to copy thousands of them, each a walk from its page, took two
    thirds of a build."""
    moved = {page.obj.objgen: copy.obj for page, copy in zip(part.pages, copies)}
    names = part.Root.get("/Names", Dictionary()).get("/Dests", Dictionary()).get("/Names", Array())
    found: dict[bytes, Array] = {}
    for k in range(0, len(names) - 1, 2):
        destination = names[k + 1]
        if isinstance(destination, Dictionary):
            destination = destination.D
        page, *where = list(destination)
        if page.objgen in moved:
            found[bytes(names[k])] = Array([moved[page.objgen], *where])
    return found


def set_destinations(pdf: pikepdf.Pdf, found: dict[bytes, Array]) -> None:
    """The book's named destinations (:func:`destinations_of` each part) in one name tree, sorted as a name
    tree must be."""
    tree = [item for name in sorted(found) for item in (pikepdf.String(name), found[name])]
    if "/Names" not in pdf.Root:
        pdf.Root.Names = Dictionary()
    pdf.Root.Names.Dests = Dictionary(Names=Array(tree))


def copied(pdf: pikepdf.Pdf, obj):
    """``obj`` of another PDF, in ``pdf``: an indirect object by qpdf (once), a direct one item by item."""
    if not isinstance(obj, pikepdf.Object):        # a number, read as Python's
        return obj
    if obj.is_indirect:
        return pdf.copy_foreign(obj)
    if isinstance(obj, Array):
        return Array([copied(pdf, item) for item in obj])
    if isinstance(obj, Dictionary):
        return Dictionary({key: copied(pdf, value) for key, value in obj.items()})
    return obj


def first_element(tree):
    """The tree's top element (WeasyPrint's Document)."""
    top = tree.K
    return top[0] if isinstance(top, Array) else top

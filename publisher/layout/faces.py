"""One font dictionary per face for the whole book, instead of one per part.

Each part of the book is a PDF of its own, with its own dictionary for each face it draws (« Source Serif 4
Italic »…): the joined volume of 836 pages carried 779 of them, each with its widths and its map from glyphs
to text, and qpdf held them all in memory while it joined (25 MB of 60 for the pages). WeasyPrint writes text
as the font file's glyph numbers (Identity-H, subsets that keep the glyphs' numbers: fonts.py), so one
dictionary can draw every part's text in a face: its widths and its map are the union of the parts'. Parts
that read a glyph otherwise share another one: WeasyPrint gives a glyph the first character it met, so the
space glyph of one part reads as a no-break space and of another as a space — what a reader copies from
each page stays what it was. 836 pages: 11 dictionaries, the PDF 5.6 → 4.5 MB.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

import pikepdf
from pikepdf import Array, Dictionary, Name

from .fonts import widths_of
from .pdf import copied, new_tag
from .references import maps_of

@dataclass
class Face:
    font: Dictionary                 # the book's Type0 font, indirect
    texts: dict[int, str]            # glyph → text, the parts' own (ToUnicode)
    widths: dict[int, float]         # glyph → width (/W)


class BookFonts:
    """The book's shared font dictionaries, as the parts are joined: :meth:`take` each part's before its pages
    are copied, :meth:`finish` once all are."""

    def __init__(self, pdf: pikepdf.Pdf):
        self.pdf = pdf
        self.faces: dict[tuple[str, ...], list[Face]] = {}

    def take(self, font: Dictionary) -> Dictionary | None:
        """The book's font that draws as ``font`` (a part's) does, ``font``'s widths and text added to it;
        None for a font that is not WeasyPrint's kind (Type0, Identity-H, one CID font, no /CIDSet)."""
        kind = kind_of(font)
        if kind is None:
            return None
        texts = maps_of(font)[0]                 # the hyphen already read « - » (pdf.tidy_fonts)
        widths = widths_of(font.DescendantFonts[0].get("/W", Array()))
        faces = self.faces.setdefault(kind, [])
        for face in faces:
            if agree(face.texts, texts) and agree(face.widths, widths):
                face.texts.update(texts)
                face.widths.update(widths)
                return face.font
        if font.is_owned_by(self.pdf):            # the book's first part: its own fonts
            mine = Dictionary(dict(font.items()))
            mine.DescendantFonts = Array([Dictionary(dict(d.items())) for d in font.DescendantFonts])
        else:
            mine = copied(self.pdf, font)
        face = Face(mine if mine.is_indirect else self.pdf.make_indirect(mine), texts, widths)
        faces.append(face)
        return face.font

    def finish(self) -> None:
        """Each shared font given the widths and text of all the parts it draws for, and a subset tag of its own."""
        for faces in self.faces.values():
            for k, face in enumerate(faces):
                descendant = face.font.DescendantFonts[0]
                descendant.W = widths_array(face.widths)
                unicode = self.pdf.make_stream(zlib.compress(to_unicode(face.texts)))
                unicode.Filter = Name.FlateDecode
                face.font.ToUnicode = unicode
                tag = Name("/" + new_tag(str(face.font.BaseFont)[1:], f"livre{k}"))
                face.font.BaseFont = descendant.BaseFont = tag
                descriptor = Dictionary(dict(descendant.FontDescriptor.items()))
                descriptor.FontName = tag
                descendant.FontDescriptor = self.pdf.make_indirect(descriptor)


def shared_on(pdf: pikepdf.Pdf, pages, fonts: BookFonts) -> list[dict[Name, Dictionary]]:
    """The fonts of ``pages`` (of ``pdf``, a part) that ``fonts`` shares, taken out of their resources (most
    often one dictionary for the part's pages): for each page, their names there → the book's font."""
    taken: dict[tuple[int, int], dict[Name, Dictionary]] = {}
    out = []
    for page in pages:
        resources = page.obj.get("/Resources")
        if not isinstance(resources, Dictionary) or "/Font" not in resources:
            out.append({})
            continue
        if not resources.is_indirect:
            page.obj.Resources = resources = pdf.make_indirect(resources)
        if resources.objgen not in taken:
            shared = {Name(name): book_font for name, font in resources.Font.items()
                      if (book_font := fonts.take(font)) is not None}
            resources.Font = Dictionary({name: font for name, font in resources.Font.items() if name not in shared})
            taken[resources.objgen] = shared
        out.append(taken[resources.objgen])
    return out


def put_back(pages, taken: list[dict[Name, Dictionary]]) -> None:
    """The book's fonts in the resources of ``pages`` (copies of a part's: :func:`shared_on`), by their names."""
    done: set[tuple[int, int]] = set()
    for page, shared in zip(pages, taken):
        resources = page.obj.get("/Resources")
        if not shared or resources.objgen in done:
            continue
        done.add(resources.objgen)
        for name, font in shared.items():
            resources.Font[name] = font


def kind_of(font: Dictionary) -> tuple[str, ...] | None:
    """What a font is, its subset's tag aside: fonts of one kind can share a dictionary."""
    if font.get("/Subtype") != Name.Type0 or font.get("/Encoding") != Name("/Identity-H") \
            or "/ToUnicode" not in font or len(font.get("/DescendantFonts", Array())) != 1:
        return None
    descendant = font.DescendantFonts[0]
    descriptor = descendant.get("/FontDescriptor")
    if descriptor is None or "/CIDSet" in descriptor or descendant.get("/CIDToGIDMap", Name.Identity) != Name.Identity:
        return None
    return (str(font.BaseFont).partition("+")[2] or str(font.BaseFont), str(descendant.Subtype))


def agree(mine: dict, theirs: dict) -> bool:
    return all(mine[key] == value for key, value in theirs.items() if key in mine)


def widths_array(widths: dict[int, float]) -> Array:
    """``/W`` for ``widths``: runs of consecutive glyphs, ``first [w w …]``."""
    items: list = []
    run: list = []
    previous = None
    for glyph in sorted(widths):
        if previous is None or glyph != previous + 1:
            if run:
                items.append(Array(run))
            items.append(glyph)
            run = []
        width = widths[glyph]
        run.append(int(width) if width == int(width) else width)
        previous = glyph
    if run:
        items.append(Array(run))
    return Array(items)


CMAP_HEAD = (b"/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo\n<< /Registry (Adobe)\n"
             b"/Ordering (UCS)\n/Supplement 0\n>> def\n/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
             b"1 begincodespacerange\n<0000> <ffff>\nendcodespacerange\n")
CMAP_TAIL = b"endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend"


def to_unicode(texts: dict[int, str]) -> bytes:
    """A ToUnicode map of ``texts`` as WeasyPrint writes one: a ``bfchar`` per glyph, by a hundred."""
    entries = [f"<{glyph:04x}> <{text.encode('utf-16-be').hex()}>".encode() for glyph, text in sorted(texts.items())]
    chunks = [entries[k:k + 100] for k in range(0, len(entries), 100)]
    return CMAP_HEAD + b"".join(f"{len(chunk)} beginbfchar\n".encode() + b"\n".join(chunk) + b"\nendbfchar\n"
                                for chunk in chunks) + CMAP_TAIL

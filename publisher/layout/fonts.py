"""One font program per font for the whole book, instead of one subset per part.

Each part of the book is a PDF of its own, with its own subset of each font it draws: the joined
volume of 836 pages carried 199 subsets, 62 % of its bytes. WeasyPrint subsets with HarfBuzz keeping
the glyphs' numbers (« retain GIDs »), and writes text as those numbers (Identity-H): every subset of a
font gives a glyph the number the font file gives it. So the joined book can draw every part's text
with one subset of each font, made here from the file in ``fonts/`` with the glyphs all parts use (the
widths each font dictionary lists), and every font dictionary pointed to it. The text, its widths and
what a reader copies (each dictionary's ``/ToUnicode``) stay those of the part.
"""

from __future__ import annotations

import io
import zlib
from functools import lru_cache
from pathlib import Path

import pikepdf
from pikepdf import Array, Dictionary, Name

from ..paths import FONTS

DROPPED = (b"BASE", b"DSIG", b"EBDT", b"EBLC", b"EBSC", b"GPOS", b"GSUB", b"JSTF", b"LTSH", b"PCLT", b"SVG ")


def share_fonts(pdf: pikepdf.Pdf) -> None:
    """Every font of ``pdf`` drawn from a file of ``fonts/`` given one program, shared by all its dictionaries
    (the pages' and their forms': folios, a proof's sheets), whatever their name (the « Renvoi » family is
    the text's file under another name: layouts/fonts.css)."""
    named: dict[str, list[Dictionary]] = {}          # by the PDF's name for the font: one program read for each
    for descendant in cid_fonts(pdf):
        named.setdefault(str(descendant.get("/BaseFont", ""))[1:].partition("+")[2], []).append(descendant)
    files: dict[Path, list[Dictionary]] = {}
    for descendants in named.values():
        descriptor = descendants[0].FontDescriptor
        key = program_key(descriptor)
        if key is None or any("/CIDSet" in d.FontDescriptor for d in descendants):
            continue                    # a CIDSet (PDF 1.4) lists the glyphs of its own subset: left as it is
        source = shipped_files().get(embedded_name(descriptor[key].read_bytes()) or "")
        if source is not None:
            files.setdefault(source, []).extend(descendants)
    for source, descendants in files.items():
        glyphs = {0}.union(*(widths_of(d.get("/W", Array())).keys() for d in descendants))
        first = descendants[0].FontDescriptor[program_key(descendants[0].FontDescriptor)]
        program = pikepdf.Stream(pdf, zlib.compress(subset(source, frozenset(glyphs))))
        program.Filter = Name.FlateDecode
        if "/Subtype" in first:
            program.Subtype = first.Subtype
        shared = pdf.make_indirect(program)
        for descendant in descendants:
            descendant.FontDescriptor[program_key(descendant.FontDescriptor)] = shared


def program_key(descriptor: Dictionary) -> str | None:
    return next((k for k in ("/FontFile3", "/FontFile2") if k in descriptor), None)


def cid_fonts(pdf: pikepdf.Pdf):
    """The CID fonts (each Type0 font's descendant) of every page and of the forms drawn on it."""
    seen: set[tuple[int, int]] = set()
    for page in pdf.pages:
        for font in fonts_of(page.obj.get("/Resources"), seen):
            for descendant in font.get("/DescendantFonts", Array()):
                if "/FontDescriptor" in descendant:
                    yield descendant


def fonts_of(resources, seen: set[tuple[int, int]]):
    """The fonts a page or a form draws with, those of the forms it draws included (the folios, a proof's
    sheets laid over the page), each once: ``seen`` holds what earlier pages already gave."""
    if not isinstance(resources, pikepdf.Dictionary):
        return
    for font in (resources.get("/Font") or {}).values():
        if first_time(font, seen):
            yield font
    for form in (resources.get("/XObject") or {}).values():
        if form.get("/Subtype") == "/Form" and first_time(form, seen):
            yield from fonts_of(form.get("/Resources"), seen)


def first_time(thing, seen: set[tuple[int, int]]) -> bool:
    """An object of the file not met before (one written inside another, (0, 0), is met each time)."""
    if thing.objgen in seen:
        return False
    if thing.objgen != (0, 0):
        seen.add(thing.objgen)
    return True


def widths_of(array: Array) -> dict[int, float]:
    """A ``/W`` array (``c [w…]`` and ``first last w``) as glyph number → width."""
    out: dict[int, float] = {}
    items = list(array)
    k = 0
    while k + 1 < len(items):
        first = int(items[k])
        if isinstance(items[k + 1], Array):
            out.update((first + j, float(w)) for j, w in enumerate(items[k + 1]))
            k += 2
        else:
            out.update((g, float(items[k + 2])) for g in range(first, int(items[k + 1]) + 1))
            k += 3
    return out


def embedded_name(data: bytes) -> str | None:
    """PostScript name of an embedded OpenType/TrueType program (or bare CFF)."""
    from fontTools.cffLib import CFFFontSet  # comes with WeasyPrint
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


@lru_cache(maxsize=1)
def shipped_files(folder: Path = FONTS) -> dict[str, Path]:
    """PostScript name → file, for the fonts of ``fonts/``."""
    from fontTools.ttLib import TTFont

    found = {}
    for path in sorted(folder.glob("*.[ot]tf")):
        with TTFont(str(path), lazy=True) as font:
            found[str(font["name"].getDebugName(6))] = path
    return found


@lru_cache(maxsize=32)
def subset(path: Path, glyphs: frozenset[int]) -> bytes:
    """``path``'s glyphs ``glyphs`` under their own numbers, as WeasyPrint subsets (pdf/fonts.py): the same
    tables dropped, no hinting, outlines unsubroutinized, the glyphs after the last one used left out."""
    import uharfbuzz as hb

    face = hb.Face(hb.Blob(path.read_bytes()))
    wanted = hb.SubsetInput()
    for glyph in glyphs:
        wanted.glyph_set.add(glyph)
    wanted.flags = (hb.SubsetFlags.RETAIN_GIDS | hb.SubsetFlags.PASSTHROUGH_UNRECOGNIZED
                    | hb.SubsetFlags.DESUBROUTINIZE | hb.SubsetFlags.NO_HINTING | hb.SubsetFlags.NOTDEF_OUTLINE)
    for tag in DROPPED:
        wanted.drop_table_tag_set.add(int.from_bytes(tag, "big"))          # an OpenType tag, as HarfBuzz reads it
    return hb.subset(face, wanted).blob.data

"""The numbers of the « voir p. N », written on the laid-out pages.

A cross-reference is laid out with a placeholder (render/html.py, ``slot_codes``): as many figures as the
page number it will print, in a font of its own (« Source Serif 4 Renvoi »: the text's faces under another name,
layouts/fonts.css) whose figures are all as wide. Once the book is joined and every page is known, each
placeholder's figures are changed, in the page's content stream, for those of the page it points to (the
font carries all ten: internals.weasyprint.with_all_figures). The page is the same but for those figures,
so a fiche is not laid out again because a fiche it points to moved — only if the number gains or loses a
figure (parts.py lays it out again then). The figures are text, where the placeholder was: a reader's
search, a copy, a screen reader and the structure tree of a PDF/UA read « voir p. 12 » where it is printed.

Each placeholder reads its order in its document (modulo what its figures can say): that, the order of the
page's placeholders (pages.py, ``Page.slots``) and what each points to tell which number goes where.
"""

from __future__ import annotations

import re

from typing import Iterator, Sequence

import pikepdf
from pikepdf import Operator

from .pages import Slot

FAMILY = "Source Serif 4 Renvoi"       # layouts/fonts.css
SHOWN = (Operator("TJ"), Operator("Tj"))


def write_numbers(document: pikepdf.Pdf, slots: Sequence[tuple[Slot, ...]], numbers: dict[str, int]) -> list[str]:
    """Each page's placeholders given the number of the page they point to (``numbers``: anchor → page);
    ``slots``: the placeholders of the document's pages as laid out (:attr:`Page.slots`), in order. Returns the
    anchors whose number has more or fewer figures than their placeholder (written all the same; the caller
    lays their part out again), or whose placeholder was not found on its page."""
    astray: list[str] = []
    cmaps: dict[tuple[int, int], tuple[dict[int, str], dict[str, int]]] = {}
    for pdf_page, on_page in zip(document.pages, slots):
        if on_page:
            astray += write_page(document, pdf_page, on_page, numbers, cmaps)
    return astray


def write_page(document: pikepdf.Pdf, pdf_page: pikepdf.Page, slots: tuple[Slot, ...], numbers: dict[str, int],
               cmaps: dict) -> list[str]:
    waiting = list(slots)
    astray: list[str] = []
    instructions = pikepdf.parse_content_stream(pdf_page)
    for k, font, codes in shown_in(instructions, of_family(pdf_page, FAMILY)):
        if font.objgen not in cmaps:
            cmaps[font.objgen] = maps_of(font)
        glyphs, figures = cmaps[font.objgen]
        code = "".join(glyphs.get(g, "?") for g in codes)
        slot = next((s for s in waiting if s.code == code), None)
        if slot is None:
            continue
        waiting.remove(slot)
        number = str(numbers.get(slot.anchor, slot.code))
        if len(number) != len(slot.code) or any(c not in figures for c in number):
            astray.append(slot.anchor)
            number = "".join(c for c in number if c in figures)
        instructions[k] = shown_as(number, figures)
    pdf_page.obj.Contents = document.make_stream(pikepdf.unparse_content_stream(instructions))
    return astray + [slot.anchor for slot in waiting]


def of_family(page: pikepdf.Page, family: str) -> dict[str, pikepdf.Dictionary]:
    """The fonts of ``page`` drawn from ``family`` (layouts/fonts.css), by their names on the page; their PDF
    names read « ABCDEF+Source-Serif-4-Renvoi-Bold »…"""
    fonts = page.obj.get("/Resources", pikepdf.Dictionary()).get("/Font", pikepdf.Dictionary())
    pattern = re.compile(rf"\+{family.replace(' ', '-')}(\W|$)")
    return {name: font for name, font in fonts.items() if pattern.search(str(font.get("/BaseFont", "")))}


def shown_in(instructions, fonts: dict[str, pikepdf.Dictionary]) -> Iterator[tuple[int, pikepdf.Dictionary, list[int]]]:
    """Each instruction of a page's drawing that shows text in one of ``fonts`` (:func:`of_family`): its index,
    its font, the glyphs it shows."""
    font = None
    for k, (operands, operator) in enumerate(instructions):
        if operator == Operator("Tf"):
            font = fonts.get(str(operands[0]))
        elif operator in SHOWN and font is not None:
            shown = operands[0] if operator == Operator("TJ") else pikepdf.Array([operands[0]])
            yield k, font, [g for item in shown if isinstance(item, pikepdf.String) for g in codes_of(bytes(item))]


def shown_as(number: str, figures: dict[str, int]) -> pikepdf.ContentStreamInstruction:
    """The instruction that shows ``number`` (``figures``: each figure's glyph, :func:`maps_of`)."""
    written = pikepdf.String(b"".join(figures[c].to_bytes(2, "big") for c in number))
    return pikepdf.ContentStreamInstruction([pikepdf.Array([written])], Operator("TJ"))


def codes_of(shown: bytes) -> list[int]:
    return [int.from_bytes(shown[i:i + 2], "big") for i in range(0, len(shown) - 1, 2)]


BFCHAR = re.compile(rb"<([0-9a-fA-F]{4})>\s*<([0-9a-fA-F]+)>")


def maps_of(font: pikepdf.Dictionary) -> tuple[dict[int, str], dict[str, int]]:
    """A font's glyphs → their text, and each figure → its glyph, from its ToUnicode map (WeasyPrint writes
    one ``bfchar`` per glyph)."""
    glyphs = {int(glyph, 16): bytes.fromhex(text.decode()).decode("utf-16-be")
              for glyph, text in BFCHAR.findall(font.ToUnicode.read_bytes())}
    return glyphs, {text: glyph for glyph, text in glyphs.items() if text in "0123456789" and len(text) == 1}

"""The folios and the left running heads of a book laid out in parts, drawn from a few model pages.

A part is laid out without its folios (layouts/parts.css); the joined book draws each page's folio over it.
Two pages with a folio of as many figures, on the same side, differ only by those figures: the folio's
font (« Source Sans 3 Folio », the text's sans under a name of its own: layouts/fonts.css) has figures all
as wide and no kerning between them, and the left running head is the book's title. So one small document
per number of figures is laid out (:func:`model_html`: a right page, then a left one, their numbers of that
many figures), and each page of the book is given the model of its side and figures with its own number's
figures written in place of the model's (as a « voir p. N », references.py). A long book's folios were
hundreds of pages laid out by WeasyPrint (836 pages: 2,4 s of layout); they are now two pages per figure.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import pikepdf
from pikepdf import Array, Dictionary, Name

from ..model import Book
from ..render.html import render_folios
from .pdf import copied, draw_over, stream, tidy_fonts
from .references import maps_of, of_family, shown_as, shown_in

FAMILY = "Source Sans 3 Folio"        # layouts/fonts.css, print.css
WITH_FOLIO = ""                       # the kind of page (pages.Page.kind) that has a folio


def model_first(figures: int) -> int:
    """The first page of the model of ``figures`` figures: odd (a right page, as a document's first), the
    next one, a left page, as many figures long."""
    return 1 if figures == 1 else 10 ** (figures - 1) + 1


def model_html(book: Book, figures: int) -> str:
    """The model document of the folios of ``figures`` figures: a right page and a left one."""
    return render_folios(book, (WITH_FOLIO, WITH_FOLIO), model_first(figures))


@dataclass(frozen=True)
class Model:
    """A model page: its drawing around the instruction that shows its folio, each figure's glyph in the
    folio's font, and its resources, copied into the book once for every page it serves."""

    before: bytes                      # the drawing up to the folio's text-showing instruction
    after: bytes                       # and after it
    glyphs: dict[str, int]             # figure → glyph
    resources: Dictionary

    def drawing(self, number: int) -> bytes:
        shown = pikepdf.unparse_content_stream([shown_as(str(number), self.glyphs)])
        return b"\n".join([self.before, shown, self.after])


class Folios:
    """The folios of a book (``models``: the model documents, one per number of figures, from one)."""

    def __init__(self, book: pikepdf.Pdf, models: tuple[bytes, ...]):
        self.book = book
        self.models: dict[tuple[int, int], Model] = {}
        for figures, data in enumerate(models, start=1):
            document = pikepdf.open(io.BytesIO(data))
            tidy_fonts(document.pages, f"folios{figures}")
            for side, page in enumerate(document.pages):
                self.models[figures, side] = model_of(book, page)
            document.close()

    def draw(self, page: pikepdf.Page, number: int) -> None:
        """Page ``number`` of the book given its folio (and, on a left page, the book's title)."""
        model = self.models[len(str(number)), 1 - number % 2]
        form = stream(self.book, model.drawing(number))
        form.Type, form.Subtype, form.BBox = Name.XObject, Name.Form, Array(page.MediaBox)
        form.Resources = model.resources
        draw_over(self.book, page, form, f"Folio{number}")


def model_of(book: pikepdf.Pdf, page: pikepdf.Page) -> Model:
    """A model page of folios, its resources copied into ``book``."""
    instructions = list(pikepdf.parse_content_stream(page))
    for k, font, codes in shown_in(instructions, of_family(page, FAMILY)):
        glyph_text, figures = maps_of(font)
        if not all(glyph_text.get(c, "").isdigit() for c in codes):
            raise ValueError("a folio model shows more than its number in the folio's font")
        resources = copied(book, page.obj.get("/Resources", Dictionary()))
        return Model(pikepdf.unparse_content_stream(instructions[:k]),
                     pikepdf.unparse_content_stream(instructions[k + 1:]), figures, book.make_indirect(resources))
    raise ValueError("a folio model without its number")

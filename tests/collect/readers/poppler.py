"""Annotations as poppler writes them (Evince, and Okular's PDF back end), through poppler-glib's own calls.

The words are found in poppler's reading of the page (``poppler_page_get_text_layout``); the reviewer's
drag, from inside the first letter to just past the last one, becomes the region poppler selects
(``poppler_page_get_selected_region``: a cairo region, integer rectangles, one band a line, taller than
the line), turned into quadrilaterals as Evince turns it; the highlight is made by
``poppler_annot_text_markup_new_highlight``, added by ``poppler_page_add_annot`` and the copy saved by
``poppler_document_save``. From C through ctypes: PyGObject cannot pass the quadrilaterals' array.

    python tests/collect/readers/poppler.py epreuve.pdf annotee.pdf "Auteur" "mots à surligner" …

Needs Debian's libpoppler-glib8 (make test installs it).
"""

from __future__ import annotations

import ctypes
import sys
from ctypes import POINTER, byref, c_char_p, c_double, c_int, c_uint, c_void_p
from dataclasses import dataclass
from pathlib import Path

GLYPH = 0                     # PopplerSelectionStyle: what a drag selects, glyph by glyph


class Rectangle(ctypes.Structure):
    _fields_ = [("x1", c_double), ("y1", c_double), ("x2", c_double), ("y2", c_double)]


class Point(ctypes.Structure):
    _fields_ = [("x", c_double), ("y", c_double)]


class Quadrilateral(ctypes.Structure):
    _fields_ = [("p1", Point), ("p2", Point), ("p3", Point), ("p4", Point)]


class CairoRectangle(ctypes.Structure):
    _fields_ = [("x", c_int), ("y", c_int), ("width", c_int), ("height", c_int)]


@dataclass(frozen=True)
class Mark:
    """A highlight (``kind`` highlight or strikeout) on ``words`` as printed, the ``nth`` time; or a note
    (``kind`` note) at their start."""

    kind: str
    words: str
    text: str = ""
    nth: int = 0


class Poppler:
    def __init__(self):
        self.lib = ctypes.CDLL("libpoppler-glib.so.8")
        self.glib = ctypes.CDLL("libglib-2.0.so.0")
        self.cairo = ctypes.CDLL("libcairo.so.2")
        lib, glib, cairo = self.lib, self.glib, self.cairo
        lib.poppler_document_new_from_file.restype = c_void_p
        lib.poppler_document_new_from_file.argtypes = [c_char_p, c_char_p, POINTER(c_void_p)]
        lib.poppler_document_get_n_pages.argtypes = [c_void_p]
        lib.poppler_document_get_page.restype = c_void_p
        lib.poppler_document_get_page.argtypes = [c_void_p, c_int]
        lib.poppler_page_get_size.argtypes = [c_void_p, POINTER(c_double), POINTER(c_double)]
        lib.poppler_page_get_text.restype = c_void_p
        lib.poppler_page_get_text.argtypes = [c_void_p]
        lib.poppler_page_get_text_layout.argtypes = [c_void_p, POINTER(POINTER(Rectangle)), POINTER(c_uint)]
        lib.poppler_page_get_selected_region.restype = c_void_p
        lib.poppler_page_get_selected_region.argtypes = [c_void_p, c_double, c_int, POINTER(Rectangle)]
        lib.poppler_annot_text_markup_new_highlight.restype = c_void_p
        lib.poppler_annot_text_markup_new_highlight.argtypes = [c_void_p, POINTER(Rectangle), c_void_p]
        lib.poppler_annot_text_markup_new_strikeout.restype = c_void_p
        lib.poppler_annot_text_markup_new_strikeout.argtypes = [c_void_p, POINTER(Rectangle), c_void_p]
        lib.poppler_annot_text_new.restype = c_void_p
        lib.poppler_annot_text_new.argtypes = [c_void_p, POINTER(Rectangle)]
        lib.poppler_annot_set_contents.argtypes = [c_void_p, c_char_p]
        lib.poppler_annot_markup_set_label.argtypes = [c_void_p, c_char_p]
        lib.poppler_page_add_annot.argtypes = [c_void_p, c_void_p]
        lib.poppler_document_save.argtypes = [c_void_p, c_char_p, POINTER(c_void_p)]
        glib.g_array_new.restype = c_void_p
        glib.g_array_new.argtypes = [c_int, c_int, c_uint]
        glib.g_array_append_vals.restype = c_void_p
        glib.g_array_append_vals.argtypes = [c_void_p, c_void_p, c_uint]
        glib.g_free.argtypes = [c_void_p]
        cairo.cairo_region_num_rectangles.argtypes = [c_void_p]
        cairo.cairo_region_get_rectangle.argtypes = [c_void_p, c_int, POINTER(CairoRectangle)]
        cairo.cairo_region_destroy.argtypes = [c_void_p]

    def open(self, path: Path) -> int:
        error = c_void_p()
        doc = self.lib.poppler_document_new_from_file(path.resolve().as_uri().encode(), None, byref(error))
        if not doc:
            raise OSError(f"poppler cannot open {path}")
        return doc

    def characters(self, page: int) -> list[tuple[str, Rectangle]]:
        """Each character poppler reads on the page, with its box (page space: y down from the top)."""
        pointer = self.lib.poppler_page_get_text(page)
        text = ctypes.string_at(pointer).decode("utf-8")
        self.glib.g_free(pointer)
        boxes, count = POINTER(Rectangle)(), c_uint()
        self.lib.poppler_page_get_text_layout(page, byref(boxes), byref(count))
        out = [(c, Rectangle(boxes[k].x1, boxes[k].y1, boxes[k].x2, boxes[k].y2)) for k, c in enumerate(text[:count.value])]
        self.glib.g_free(boxes)
        return out

    def selected(self, page: int, start: tuple[float, float], stop: tuple[float, float]) -> list[CairoRectangle]:
        """The region poppler selects for a drag from ``start`` to ``stop`` (integer rectangles)."""
        region = self.lib.poppler_page_get_selected_region(page, 1.0, GLYPH, byref(Rectangle(*start, *stop)))
        out = []
        for k in range(self.cairo.cairo_region_num_rectangles(region)):
            rect = CairoRectangle()
            self.cairo.cairo_region_get_rectangle(region, k, byref(rect))
            out.append(rect)
        self.cairo.cairo_region_destroy(region)
        return out


def letters(text: str) -> str:
    return "".join(c for c in text.casefold() if c.isalnum())


def located(poppler: Poppler, doc: int, mark: Mark) -> tuple[int, list[tuple[str, Rectangle]]]:
    wanted, found = letters(mark.words), []
    for number in range(poppler.lib.poppler_document_get_n_pages(doc)):
        page = poppler.lib.poppler_document_get_page(doc, number)
        chars = [(c, box) for c, box in poppler.characters(page) if c.isalnum()]
        left = min((box.x1 for c, box in chars if not c.isdigit()), default=0)
        chars = [(c, box) for c, box in chars if not (c.isdigit() and box.x2 < left)]    # a proof's line numbers
        text = "".join(c.casefold() for c, _ in chars)
        start = text.find(wanted)
        while start >= 0:
            found.append((number, chars[start:start + len(wanted)]))
            start = text.find(wanted, start + 1)
    if len(found) <= mark.nth:
        raise AssertionError(f"poppler does not read « {mark.words} » printed {mark.nth + 1} time(s)")
    return found[mark.nth]


def annotate(source: Path, target: Path, author: str, marks: list[Mark]) -> Path:
    poppler = Poppler()
    doc = poppler.open(source)
    for mark in marks:
        number, chars = located(poppler, doc, mark)
        page = poppler.lib.poppler_document_get_page(doc, number)
        width, height = c_double(), c_double()
        poppler.lib.poppler_page_get_size(page, byref(width), byref(height))
        first, last = chars[0][1], chars[-1][1]
        if mark.kind == "note":
            x, y = first.x1, height.value - first.y1
            annot = poppler.lib.poppler_annot_text_new(doc, byref(Rectangle(x, y - 20, x + 20, y)))
        else:
            start = (first.x1 + (first.x2 - first.x1) / 4, (first.y1 + first.y2) / 2)
            stop = (last.x2 + 1, (last.y1 + last.y2) / 2)
            bands = poppler.selected(page, start, stop)
            quads = poppler.glib.g_array_new(0, 0, ctypes.sizeof(Quadrilateral))
            for r in bands:                       # as Evince turns the region into quadrilaterals
                top, bottom = height.value - r.y, height.value - (r.y + r.height)
                quad = Quadrilateral(Point(r.x, top), Point(r.x + r.width, top), Point(r.x, bottom),
                                     Point(r.x + r.width, bottom))
                poppler.glib.g_array_append_vals(quads, byref(quad), 1)
            box = Rectangle(min(r.x for r in bands), height.value - max(r.y + r.height for r in bands),
                            max(r.x + r.width for r in bands), height.value - min(r.y for r in bands))
            make = poppler.lib.poppler_annot_text_markup_new_strikeout if mark.kind == "strikeout" else \
                poppler.lib.poppler_annot_text_markup_new_highlight
            annot = make(doc, byref(box), quads)
        poppler.lib.poppler_annot_set_contents(annot, mark.text.encode("utf-8"))
        poppler.lib.poppler_annot_markup_set_label(annot, author.encode("utf-8"))
        poppler.lib.poppler_page_add_annot(page, annot)
    error = c_void_p()
    if not poppler.lib.poppler_document_save(doc, Path(target).resolve().as_uri().encode(), byref(error)):
        raise OSError(f"poppler cannot save {target}")
    return Path(target)


if __name__ == "__main__":
    source, target, author, *phrases = sys.argv[1:]
    annotate(Path(source), Path(target), author, [Mark("highlight", p) for p in phrases])

"""Where Pango placed each character of a text box (its caret's place), from WeasyPrint's box tree: what the
places a proof reads from its PDF (publisher/proof/glyphs.py) are checked against."""

from __future__ import annotations

import functools

from publisher.internals import weasyprint


@functools.lru_cache(maxsize=1)
def _pango_positions():
    from weasyprint.text.ffi import ffi, pango

    ffi.cdef("void pango_layout_index_to_pos (PangoLayout *layout, int index_, PangoRectangle *pos);")
    return ffi, pango


def character_lefts(box) -> tuple[float, ...]:
    """Where each character of a text box starts, from the box's left edge, to a hundredth of a pixel."""
    ffi, pango = _pango_positions()
    layout = box.pango_layout
    layout.reactivate(box.style)        # WeasyPrint keeps its layouts asleep between layout and drawing
    try:
        rect, out, index = ffi.new("PangoRectangle *"), [], 0
        size = len(layout.text.encode("utf-8"))
        for char in box.text:
            if index >= size:           # the hyphen WeasyPrint adds at a line's end
                out.append(out[-1] if out else 0.0)
            else:
                pango.pango_layout_index_to_pos(layout.layout, index, rect)
                out.append(round(rect.x / 1024, 2))     # PANGO_SCALE
            index += len(char.encode("utf-8"))
    finally:
        layout.deactivate()
    return tuple(out)


def runs_of(document) -> list[dict[tuple[float, str], tuple[float, ...]]]:
    """Each page's text boxes: (left, text) → where Pango placed each character."""
    text_box = weasyprint.boxes().TextBox

    def walk(box, found: dict) -> dict:
        if isinstance(box, text_box) and box.text.strip():
            found[(box.position_x, box.text)] = character_lefts(box)
        for child in getattr(box, "children", ()):      # an absolutely placed box too (its placeholder's)
            walk(child, found)
        return found
    return [walk(weasyprint.page_box(page), {}) for page in document.pages]

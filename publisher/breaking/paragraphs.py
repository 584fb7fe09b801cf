"""Every justified paragraph of a document set by the breaker before WeasyPrint lays it out.

The styles are WeasyPrint's own, computed from the same style sheets; the measure is the page's text
width less what the paragraph's containers take on each side (a list's indent, a quotation's margins).
What comes out is the document as HTML again, and the paragraphs left to WeasyPrint (what the breaker
cannot measure): the layout says them as ``info`` at their line.
"""

from __future__ import annotations

from typing import Any
from xml.etree import ElementTree

from ..internals import weasyprint as internals
from .measure import Fonts
from .setting import set_paragraph, sides


def set_justified(html: Any, stylesheets: list, font_config: Any, measure: float, skip: tuple[str, ...] = (),
                  fonts: Fonts | None = None, turns: tuple[tuple[str, int], ...] = (),
                  pages: dict[str, int] | None = None) -> tuple[str, tuple[str, ...]]:
    """``html`` (a weasyprint.HTML) with its justified paragraphs set line by line, as HTML; and the
    ``data-src`` of those left to WeasyPrint (``skip``: those a layout printed otherwise; ``turns``:
    (data-src, line) of the lines that end a right-hand page, not to end in a cut word; ``pages``: anchor
    → page as a layout before found them, for the cross-references whose number the layout prints)."""
    style_for = internals.computed_styles(html, stylesheets, font_config)
    fonts = fonts or Fonts()
    parents = {child: parent for parent in html.etree_element.iter() for child in parent}
    left: list[str] = []
    for p in list(html.etree_element.iter("p")):
        style = style_for(p)
        if style is None or style["text_align_all"] != "justify" or not p.get("data-src"):
            continue
        width = width_of(p, parents, style_for, measure)
        whole = frozenset(line for src, line in turns if src == p.get("data-src"))
        if p.get("data-src") in skip or width is None or not set_paragraph(p, style_for, fonts, width, whole, pages):
            left.append(p.get("data-src", ""))
    return ElementTree.tostring(html.etree_element, encoding="unicode", method="html"), tuple(left)


def strayed(document: Any) -> list[str]:
    """The ``data-src`` of the paragraphs set line by line that the layout printed in another number of
    lines than chosen (a measure the breaker got wrong): they are laid out again, left to WeasyPrint."""
    boxes = internals.boxes()
    counted: dict[int, list] = {}

    def walk(box: Any) -> None:
        if isinstance(box, boxes.LineBox):
            element = box.element
            if element is not None and element.get("data-lines"):
                counted.setdefault(id(element), [element, 0])[1] += 1
            return
        for child in getattr(box, "children", None) or ():
            walk(child)

    for page in document.pages:
        walk(internals.page_box(page))
    return [element.get("data-src", "") for element, lines in counted.values()
            if int(element.get("data-lines")) != lines]


def width_of(p: Any, parents: dict, style_for: Any, measure: float) -> float | None:
    """The paragraph's measure: the page's, less the sides of the paragraph and of each box around it;
    None when one of them is a percentage (known only to the layout)."""
    width = measure
    element = p
    while element is not None and element.tag not in ("body", "html"):
        taken = sides(style_for(element))
        if taken is None:
            return None
        width -= sum(taken)
        element = parents.get(element)
    return width

"""Every justified paragraph of a document set by the breaker before WeasyPrint lays it out.

The styles are WeasyPrint's own, computed from the same style sheets; the measure is the page's text
width less what the paragraph's containers take on each side (a list's indent, a quotation's margins).
The document is changed in place (publisher.internals.weasyprint.rewrapped makes it WeasyPrint's again);
what comes back is the paragraphs left to WeasyPrint (what the breaker cannot measure): the layout says
them as ``info`` at their line.

A layout is made in passes, a part of the book laid out again when a page number it prints changes, the
desk makes a proof after every edit: the same paragraphs, set again and again. So each paragraph, as set
(or left, or not justified), is kept in a :class:`Memo` under all its setting depends on — the style
sheets, its place (its ancestors, the element before it), its own HTML, the lines that must end whole —
and WeasyPrint's styles are computed only when one is new.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from xml.etree import ElementTree
from xml.etree.ElementTree import Element

from ..internals import weasyprint as internals
from .measure import Fonts, kept
from .setting import bind_refused, set_paragraph, sides

# what became of a paragraph: set, left to WeasyPrint, set ragged by WeasyPrint (some of its spaces made
# no-break: « à » never ends a line), set ragged as it was
SET, LEFT, BOUND, PLAIN = "set", "left", "bound", "plain"


@dataclass
class Memo:
    """Each paragraph's fate under its key (:func:`key_of`): (SET or BOUND, the paragraph as it became),
    (LEFT,), (PLAIN,)."""

    known: dict[tuple, tuple[str, Element | None]] = field(default_factory=dict)
    used: set[tuple] | None = None      # the keys a layout asked for, when they are to be handed on (learn)

    def remember(self, key: tuple, fate: str, p: Element | None = None) -> None:
        kept(self.known, key, (fate, copy.deepcopy(p) if p is not None else None))

    def learn(self, entries: tuple) -> None:
        """Paragraphs another process set (a warm process is taught what its layout processes set)."""
        for key, value in entries:
            kept(self.known, key, value)


@lru_cache(maxsize=1)
def process_memo() -> Memo:
    """The paragraphs this process has set (a memo: what it holds never changes a result)."""
    return Memo()


def set_justified(html: Any, stylesheets: list, font_config: Any, measure: float, skip: tuple[str, ...] = (),
                  fonts: Fonts | None = None, turns: tuple[tuple[str, int], ...] = (),
                  context: str = "", memo: Memo | None = None,
                  rules: tuple[str, ...] = ()) -> tuple[str, ...]:
    """``html`` (a weasyprint.HTML) with its justified paragraphs set line by line, in place; the
    ``data-src`` of those left to WeasyPrint (``skip``: those a layout printed otherwise; ``turns``:
    (data-src, line) of the lines that end a right-hand page, not to end in a cut word).
    ``context``: a key of the style sheets and the measure (what the memo's keys need besides the HTML);
    ``rules``: the style rules added for some paragraphs (``p[data-src="…"]``), each in its paragraph's key."""
    fonts, memo = fonts or Fonts(), memo or Memo()
    parents = {child: parent for parent in html.etree_element.iter() for child in parent}
    style_for = None
    left: list[str] = []
    for p in [p for p in html.etree_element.iter("p") if p.get("data-src")]:
        if p.get("data-src") in skip:
            left.append(p.get("data-src", ""))
            continue
        key = key_of(p, parents, context, turns, rules)
        if memo.used is not None:
            memo.used.add(key)
        if key in memo.known:
            fate, done = memo.known[key]
            if done is not None:
                take(p, done)
        else:
            style_for = style_for or internals.computed_styles(html, stylesheets, font_config)
            fate = setting(p, parents, style_for, fonts, measure, turns)
            memo.remember(key, fate, p if fate in (SET, BOUND) else None)
        if fate == LEFT:
            left.append(p.get("data-src", ""))
    return tuple(left)


def setting(p: Element, parents: dict, style_for: Any, fonts: Fonts, measure: float,
            turns: tuple[tuple[str, int], ...]) -> str:
    """The paragraph set (SET), or why not: LEFT to WeasyPrint; or not justified: BOUND, PLAIN."""
    style = style_for(p)
    if style is None:
        return PLAIN
    if style["text_align_all"] != "justify":
        return BOUND if bind_refused(p) else PLAIN
    width = width_of(p, parents, style_for, measure)
    whole = frozenset(line for src, line in turns if src == p.get("data-src"))
    return SET if width is not None and set_paragraph(p, style_for, fonts, width, whole) else LEFT


def key_of(p: Element, parents: dict, context: str, turns: tuple[tuple[str, int], ...],
           rules: tuple[str, ...] = ()) -> tuple:
    """All a paragraph's setting depends on: the style sheets (``context`` and the ``rules`` naming it),
    its ancestors, the element before it (« p + p » indents; none: it opens its parent, a list item's
    marker), its HTML (a cross-reference's placeholder as wide as its number among it), the lines that must
    end whole."""
    parent = parents.get(p)
    siblings = list(parent) if parent is not None else [p]
    before = siblings[siblings.index(p) - 1] if siblings.index(p) else None
    place, element = [], parent
    while element is not None:
        place.append((element.tag, element.get("class"), element.get("style")))
        element = parents.get(element)
    src = p.get("data-src")
    opening = (before.tag, before.get("class")) if before is not None else None
    return (context, tuple(r for r in rules if f'"{src}"' in r), tuple(place), opening,
            ElementTree.tostring(p, encoding="unicode"), tuple(sorted(line for s, line in turns if s == src)))


def take(p: Element, done: Element) -> None:
    """``p`` made the paragraph as set (its tail, outside it, kept)."""
    p.attrib.clear()
    p.attrib.update(done.attrib)
    p.text = done.text
    for child in list(p):
        p.remove(child)
    p.extend(copy.deepcopy(child) for child in done)


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

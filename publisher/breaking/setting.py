"""A justified paragraph handed to WeasyPrint line by line.

WeasyPrint fills a line until the next word would not fit; given lines that fit, each ended by a line
break, it sets exactly them and only justifies them. So the breaks the breaker chose are written into
the paragraph itself, where they fall in its elements: a forced break (a newline, the paragraph being
``white-space: pre-line``, as WeasyPrint makes a ``<br>``) at each break, inside an italic or a link
that goes on to the next line, and the hyphen written where a word is cut. The paragraph gets the class
``set`` (``text-align-last: justify``, no hyphenation of its own), and after its last line a filler as
wide as what that line leaves empty, so that it is not stretched. Where a line must shrink, the whole
paragraph's ``word-spacing`` is made as tight as that line needs: every line being justified, each
comes out with the spaces it needs. Nothing else is added: each element WeasyPrint must style costs it
time (the cascade is most of a layout's cost).

Only what the breaker can measure is set this way: text, the inline elements of :data:`INLINE`, and
whole what :func:`atom_of` knows (a footnote's call, an anchor). A cross-reference (« voir p. 37 ») is
measured with the placeholder its ``::after`` prints after the link's last line (``data-slot``: as wide as
the number written there afterwards, layout/references.py).
A paragraph with anything else (an image, a line break) is left to WeasyPrint; :func:`set_paragraph` says
so by returning False.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any, Callable
from xml.etree.ElementTree import Element, SubElement

from .knuth import Box, Glue, Line, Penalty, Settings, breaks, ended
from .measure import Fonts, Style, kept
from .words import BREAKS, HYPHEN, At, Run, items_of, refused_after

INLINE = {"em", "i", "strong", "b", "abbr", "sup", "sub", "span", "code", "small", "mark", "q", "cite", "dfn",
          "a"}                    # a link: its text (a footnote's call: atom_of; a cross-reference: is_xref)
SPACES = re.compile(r"[ \t\n\r\f]+")
BREAK = "\n"                      # a line's end: a forced break in ``white-space: pre-line`` (as <br> is, in
                                  # WeasyPrint: content « \A », pre-line), with no element to style
FILL_SLACK = 0.5                  # px the last line's filler leaves: a rounding never pushes it to a new line
SHRINK_SLACK = 1.0                # px a shrinking line is made narrower than the measure (the justification
                                  # gives them back): what WeasyPrint rounds never makes it wrap


@dataclass(frozen=True)
class Segment:
    text: str
    chain: tuple[Element, ...]     # the inline elements it is in, outermost first
    atom: Element | None = None    # an element printed whole, never cut (a footnote call): its text as printed
    pseudo: str | None = None      # the pseudo-element that prints it (« footnote-call », « after »)
    node: tuple[Element, str] | None = None    # where its text is: (element, « text » or « tail »)

    def style(self, p: Element, style_for: Callable[..., Any]) -> Any:
        if self.atom is not None and self.pseudo == "after":
            return style_for(self.atom, "after")
        if self.atom is not None and self.pseudo:
            return style_for(self.atom.find("span"), self.pseudo)
        return style_for(self.atom if self.atom is not None else self.chain[-1] if self.chain else p)


def set_paragraph(p: Element, style_for: Callable[..., Any], fonts: Fonts, width: float,
                  whole_lines: frozenset[int] = frozenset()) -> bool:
    """``p`` rewritten with the lines that cost the least over it; False (and ``p`` as it was) when it
    holds what the breaker cannot measure, or a word wider than the measure. ``whole_lines``: the lines
    (from 1) that must not end in a cut word (they end a right-hand page)."""
    segments = flattened(p)
    if segments is None or not segments or any(sided(style_for(e)) for s in segments for e in s.chain):
        return False
    styles = [s.style(p, style_for) for s in segments]
    runs = [Run(s.text, Style.of(style), hyphenate=s.atom is None and style["hyphens"] == "auto")
            for s, style in zip(segments, styles)]
    indent = float(style_for(p)["text_indent"].value or 0)
    key = tuple(runs)
    if key not in fonts.paragraphs:
        try:
            kept(fonts.paragraphs, key, items_of(runs, fonts))
        except KeyError:                 # a font the book does not ship (code in monospace): not measured
            return False
    items, where = fonts.paragraphs[key]
    if indent:
        items, where = [Box(indent, ""), *items], [At(0, 0), *where]
    lines = breaks(items, width, Settings(whole_lines=whole_lines))
    if lines is None:
        return False
    rebuild(p, segments, cut(segments, lines, items, where, width), width)
    return True


SIDES = ("margin_left", "margin_right", "padding_left", "padding_right", "border_left_width", "border_right_width")


def sides(style: Any) -> list[float] | None:
    """A box's left and right margins, borders and paddings, in CSS pixels; None when one of them is a
    percentage (known only to the layout)."""
    out = []
    for side in SIDES:
        value = style[side]
        if isinstance(value, (int, float)):
            out.append(float(value))
        elif getattr(value, "unit", "px") == "px":
            out.append(float(value.value))
        else:
            return None
    return out


def sided(style: Any) -> bool:
    """An inline element with room on its sides (a boxed comment of a working print): not measured here."""
    taken = sides(style)
    return taken is None or any(taken)


def flattened(p: Element) -> list[Segment] | None:
    """The paragraph's text as segments of one chain of inline elements each, its white space collapsed
    as CSS does; None when it holds an element the breaker does not measure."""
    out: list[Segment] = []

    def walk(element: Element, chain: tuple[Element, ...]) -> bool:
        if element.text:
            out.append(Segment(element.text, chain, node=(element, "text")))
        for child in element:
            atom = atom_of(child, chain)
            if atom is not None:
                out.append(atom)
            elif is_xref(child):
                number = child.get("data-slot")
                if not number or not walk(child, (*chain, child)):
                    return False
                out.append(Segment(number, (*chain, child), child, "after"))
            elif child.tag not in INLINE or child.get("class") == "fn" or not walk(child, (*chain, child)):
                return False
            if child.tail:
                out.append(Segment(child.tail, chain, node=(child, "tail")))
        return True

    if not walk(p, ()):
        return None
    collapsed: list[Segment] = []
    before = " "
    for segment in out:
        text = SPACES.sub(" ", segment.text)
        if before.endswith(" "):
            text = text.lstrip(" ")
        if text or segment.atom is not None:          # an anchor keeps its place, empty as it is
            collapsed.append(replace(segment, text=text))
            before = text or before
    while collapsed and collapsed[-1].text.endswith(" "):
        last = collapsed.pop()
        if last.text.rstrip(" "):
            collapsed.append(replace(last, text=last.text.rstrip(" ")))
    return collapsed


def atom_of(element: Element, chain: tuple[Element, ...]) -> Segment | None:
    """A footnote's call (its number, in the call's style), a note called again, an empty element (an
    anchor): a segment printed whole; None for anything else. (A cross-reference is not one: its number
    is the layout's, in a document laid out whole.)"""
    kind = element.get("class") if element.tag == "a" else None
    note = element.find("span")
    if kind == "fn-call" and note is not None and note.get("data-n"):
        return Segment(note.get("data-n", ""), chain, element, "footnote-call")
    if kind == "fn-again":
        return Segment("".join(element.itertext()), chain, element)
    if element.tag in INLINE and not len(element) and not element.text:      # an anchor (an index entry's place)
        return Segment("", chain, element)
    return None


def is_xref(element: Element) -> bool:
    return element.tag == "a" and "xref" in (element.get("class") or "").split()


@dataclass(frozen=True)
class Cut:
    """Where a line ends: before the character ``offset`` of segment ``run``; ``hyphen``: one is added;
    ``skip``: the space the break takes is dropped. ``spacing``: the line's word-spacing (px), or 0."""

    run: int
    offset: int
    hyphen: bool
    skip: bool
    spacing: float
    natural: float


def cut(segments: list[Segment], lines: list[Line], items: list, where: list[At], width: float) -> list[Cut]:
    everything = ended(items)
    out = []
    for line in lines:
        end = line.end
        last = line is lines[-1]
        piece = everything[line.start:end]
        natural = sum(i.width for i in piece if not isinstance(i, Penalty))
        breaker = everything[end]
        hyphen = isinstance(breaker, Penalty) and breaker.flagged and breaker.width > 0
        natural += breaker.width if hyphen else 0
        spaces = sum(1 for i in piece if isinstance(i, Glue))
        spacing = (width - SHRINK_SLACK - natural) / spaces if natural > width - SHRINK_SLACK and spaces else 0.0
        if last:
            at = At(len(segments) - 1, len(segments[-1].text))
        else:
            at = where[end]
        out.append(Cut(at.run, at.offset, hyphen, isinstance(breaker, Glue), spacing, natural))
    return out


def rebuild(p: Element, segments: list[Segment], cuts: list[Cut], width: float) -> None:
    """``p``'s text written again as the segments have it, with a line break (and a hyphen) at each cut; its
    elements and atoms left where they are."""
    for element, kind in texts_of(p):
        setattr(element, kind, None)
    pieces: dict[int, list[str]] = {r: [] for r in range(len(segments))}
    position = (0, 0)
    for number, c in enumerate(cuts):
        for r in range(position[0], c.run + 1):
            if segments[r].atom is not None:
                continue
            start = position[1] if r == position[0] else 0
            stop = c.offset if r == c.run else len(segments[r].text)
            text = segments[r].text[start:stop] + (HYPHEN if c.hyphen and r == c.run else "")
            if text:
                pieces[r].append(text)
        if number < len(cuts) - 1:
            pieces[c.run if segments[c.run].atom is None else after_atom(segments, c.run)].append(BREAK)
        position = (c.run, c.offset + (1 if c.skip else 0))
        if c.skip and position[1] > len(segments[c.run].text):
            position = (c.run + 1, 0)
    for r, segment in enumerate(segments):
        if segment.node is not None:
            setattr(*segment.node, "".join(pieces[r]) or None)
    p.set("class", " ".join(filter(None, [p.get("class"), "set"])))
    tightest = min(c.spacing for c in cuts)
    if tightest < 0:                      # every line justified: each one's spaces come out as it needs
        p.set("style", "; ".join(filter(None, [p.get("style"), f"word-spacing: {tightest:.3f}px"])))
    if not cuts[-1].spacing:              # a last line that must shrink is full: justified, it moves by a pixel
        SubElement(p, "span", {"class": "fill",
                               "style": f"width: {max(width - cuts[-1].natural - FILL_SLACK, 0):.3f}px"})
    p.set("data-lines", str(len(cuts)))


def bind_refused(p: Element) -> bool:
    """A paragraph WeasyPrint breaks itself (set ragged: a chapeau): each space after which a typographer
    refuses a line's end (« à », a number and what it counts: words.refused_after) made a no-break space,
    its text written again as CSS collapses it. False (and ``p`` as it was) when there is none."""
    segments = flattened(p)
    if not segments:
        return False
    pieces = BREAKS.split("".join(s.text for s in segments))      # a word, a space, a word…
    spaces, at = set(), 0
    for k in range(1, len(pieces) - 1, 2):
        at += len(pieces[k - 1])
        if pieces[k] == " " and refused_after(pieces[k - 1], pieces[k + 1]):
            spaces.add(at)
        at += len(pieces[k])
    if not spaces:
        return False
    for element, kind in texts_of(p):
        setattr(element, kind, None)
    start = 0
    for segment in segments:
        if segment.node is not None:
            setattr(*segment.node, "".join("\u00a0" if start + k in spaces else c
                                           for k, c in enumerate(segment.text)) or None)
        start += len(segment.text)
    return True


def texts_of(p: Element) -> list[tuple[Element, str]]:
    """Every text and tail of the paragraph's flow, an atom's inside aside (a footnote's own text)."""
    out: list[tuple[Element, str]] = [(p, "text")]
    for child in p:
        out.append((child, "tail"))
        if atom_of(child, ()) is None:
            out += [(e, kind) for e, kind in texts_of(child)]
    return out


def after_atom(segments: list[Segment], r: int) -> int:
    """The segment whose text follows atom ``r`` (a break right after a footnote's call)."""
    following = next((k for k in range(r + 1, len(segments)) if segments[k].atom is None), None)
    return following if following is not None else r

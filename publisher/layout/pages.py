"""The laid-out pages, read once from WeasyPrint's box tree into plain data.

WeasyPrint's box tree (private: reached through :mod:`publisher.internals.weasyprint`) is the only record of where
lines, paragraphs, footnotes and images landed. Everything after the layout —
the corrections of :mod:`.paginate`, the printer's checks (``preflight``), the
lines a proofreader counts (``proof.geometry``) — needs some of it, and a
worker process must hand it back to its parent. So each page is walked once,
here, into the frozen, picklable :class:`Page`; nothing else looks at boxes.

Positions are CSS pixels from the top left corner of the page. A source is the
``data-src`` (or ``data-q``) of the HTML element, as the templates write it
(:meth:`publisher.model.SourceLocation.in_book`): « fiches/x.md:12 ».
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from ..internals import weasyprint

HYPHENATION = "\u2010"          # how WeasyPrint ends a line it hyphenated
OVERFLOW_TOLERANCE_PX = 1.5     # about 0.4 mm: rounding, a hanging quote


@dataclass(frozen=True)
class Line:
    """A line box, in reading order."""

    top: float
    height: float
    width: float
    block: int             # the element the line belongs to, numbered in order of appearance on its page
    src: str               # that element's data-src ("" when it has none)
    paragraph: bool        # that element is a <p> with a data-src: a paragraph of a fiche
    hyphenated: bool       # ends with a hyphenation
    text: bool             # shows some text (a proofreader does not count an empty line)
    margin: bool           # in a margin box: running head, folio
    source: str = ""       # the data-src of the nearest element that has one (a list item's, a caption's)
    # (left, width, text, where each character starts from the run's left) of each run of text on it;
    # the characters' places only in a proof, read from its PDF (proof/glyphs.py: publisher collect reads
    # what an annotation covers)
    fragments: tuple[tuple[float, float, str, tuple[float, ...]], ...] = ()
    note: bool = False     # in the footnotes at the page's foot


@dataclass(frozen=True)
class Slot:
    """The placeholder of a « voir p. N » (render/html.py, slot_codes): where the page's number goes."""

    code: str              # the placeholder's figures, as many as the number's
    anchor: str            # what it points to
    line: int              # its line among the page's lines, its run among the line's fragments
    run: int


@dataclass(frozen=True)
class Image:
    """A raster image (an SVG has no resolution and is not listed)."""

    src: str               # data-src of the figure holding it ("" outside the fiches)
    name: str              # its file name
    pixels: tuple[int, int]
    printed: tuple[float, float]     # its width and height on the page


@dataclass(frozen=True)
class Overflow:
    """Text or an image that goes past the page area (margin boxes aside), once per source."""

    src: str
    text: str              # the first words, "" for an image
    excess: float          # by how much, at the worst side


@dataclass(frozen=True)
class Page:
    number: int                        # from 1 in its document; :meth:`moved` gives it the book's number
    kind: str                          # the page type: "" (a page with folio), "front", or "blank"
    width: float
    height: float
    text_left: float                   # the left and right edges of the text (of the <html> box)
    text_right: float
    anchors: tuple[str, ...]           # HTML ids on this page (an element spanning pages is on each)
    lines: tuple[Line, ...]
    extents: dict[str, tuple[float, float]] = field(default_factory=dict)   # data-src / data-q → (top, bottom)
    paragraphs: tuple[str, ...] = ()   # data-src of each <p> block on the page, in order
    calls: frozenset[str] = frozenset()     # ids of the footnotes called on this page
    bodies: frozenset[str] = frozenset()    # ids of the footnotes printed at its foot
    images: tuple[Image, ...] = ()
    overflows: tuple[Overflow, ...] = ()
    slots: tuple[Slot, ...] = ()            # the « voir p. N » on the page, in the order of the document

    def moved(self, first: int) -> "Page":
        """This page in a book whose page ``first`` is its document's first page."""
        return replace(self, number=first + self.number - 1)

    def numbered(self, numbers: dict[str, int]) -> "Page":
        """This page with the numbers of its « voir p. N » (``numbers``: anchor → page) in its lines' text,
        as layout/references.py writes them on the PDF's page (its placeholders then forgotten: a page laid
        out alone and in the whole book are the same page)."""
        if not self.slots:
            return self
        lines = list(self.lines)
        for slot in self.slots:
            line = lines[slot.line]
            left, width, _, starts = line.fragments[slot.run]
            number = str(numbers.get(slot.anchor, slot.code))
            fragment = (left, width, number, starts[:1] * len(number) if len(starts) != len(number) else starts)
            lines[slot.line] = replace(line, fragments=(*line.fragments[:slot.run], fragment,
                                                        *line.fragments[slot.run + 1:]))
        return replace(self, lines=tuple(lines), slots=())


def read_pages(document) -> tuple[Page, ...]:
    """Every page of a WeasyPrint document."""
    return tuple(read_page(page, number) for number, page in enumerate(document.pages, start=1))


def read_page(page, number: int) -> Page:
    boxes = weasyprint.boxes()
    BlockBox, LineBox, MarginBox, ReplacedBox, TextBox = (boxes.BlockBox, boxes.LineBox, boxes.MarginBox,
                                                          boxes.ReplacedBox, boxes.TextBox)
    FootnoteArea = boxes.FootnoteAreaBox
    page_box = weasyprint.page_box(page)
    root = page_box.children[0]                           # the <html> box: its edges are the text's
    left, right = page_box.content_box_x(), page_box.content_box_x() + page_box.width     # the page area
    top, bottom = page_box.content_box_y(), page_box.content_box_y() + page_box.height
    blocks: dict[int, int] = {}           # id(element) → its number on the page
    lines: list[Line] = []
    extents: dict[str, list[float]] = {}
    paragraphs: list[str] = []
    calls: set[str] = set()
    bodies: set[str] = set()
    images: list[Image] = []
    overflows: dict[str, Overflow] = {}
    slots: list[Slot] = []

    def visit(box, src: str, margin: bool, in_line: bool = False, note: bool = False) -> None:
        """``in_line``: inside a line (an inline-block: a list's marker), whose lines are that line's;
        ``note``: in the footnote area."""
        element = getattr(box, "element", None)
        margin = margin or isinstance(box, MarginBox)
        own = element.get("data-src") if element is not None else None
        src = own or src                                  # the source of what a box holds is its nearest
        if isinstance(box, LineBox) and not in_line:
            runs = [b for b in box.descendants() if isinstance(b, TextBox)]
            texts = [b.text for b in runs]
            slots.extend(Slot(b.text, b.element.get("href", "").rpartition(":")[2].rpartition("#")[2], len(lines), k)
                         for k, b in enumerate(runs)
                         if b.element_tag == "a::after" and b.element.get("data-slot") and b.text.isdigit())
            lines.append(Line(box.position_y, box.height, box.width,
                              blocks.setdefault(id(element), len(blocks)), own or "",
                              element is not None and element.tag == "p" and bool(own),
                              bool(texts) and texts[-1].endswith(HYPHENATION),
                              any(t.strip() for t in texts), margin, src,
                              tuple((b.position_x, b.width, b.text, ())
                                    for b in runs), note))
        elif element is not None:
            key = element.get("data-q") or own
            # a note's source is where its text is printed, at the foot, not its call in the text
            if key and not margin and not (element.get("class") == "fn" and not isinstance(box, BlockBox)):
                low, high = box.position_y, box.position_y + box.margin_height()
                extent = extents.setdefault(key, [low, high])
                extent[0], extent[1] = min(extent[0], low), max(extent[1], high)
            if element.get("class") == "fn":             # the call is inline, the body a block
                (bodies if isinstance(box, BlockBox) else calls).add(element.get("id"))
            elif element.tag == "p" and own and isinstance(box, BlockBox):
                paragraphs.append(own)
        if isinstance(box, ReplacedBox):
            image = getattr(box, "replacement", None)
            if getattr(image, "width", None) and box.width:
                images.append(Image(src, Path(str(element.get("src", ""))).name, (image.width, image.height),
                                    (box.width, box.height)))
        if not margin and isinstance(box, (TextBox, ReplacedBox)) and src not in overflows:
            x, y, w, h = box.position_x, box.position_y, box.margin_width(), box.margin_height()
            excess = max(left - x, x + w - right, y + h - bottom, top - y)
            if excess > OVERFLOW_TOLERANCE_PX:
                overflows[src] = Overflow(src, getattr(box, "text", "") or "", excess)
        for child in getattr(box, "children", ()):
            visit(child, src, margin, in_line or isinstance(box, LineBox), note or isinstance(box, FootnoteArea))

    visit(page_box, "", False)
    page_type = page_box.page_type
    return Page(number, "blank" if page_type.blank else page_type.name or "", page.width, page.height,
                root.content_box_x(), root.content_box_x() + root.width,
                tuple(page.anchors), tuple(lines), {k: (a, b) for k, (a, b) in extents.items()}, tuple(paragraphs),
                frozenset(calls), frozenset(bodies), tuple(images), tuple(overflows.values()), tuple(slots))


def anchor_pages(pages: tuple[Page, ...] | list[Page]) -> dict[str, int]:
    """Every anchor → the first page where it appears (where a reader should go)."""
    found: dict[str, int] = {}
    for page in pages:
        for anchor in page.anchors:
            found.setdefault(anchor, page.number)
    return found


SHORT_LINE = 0.5              # a line inside a paragraph less than half as wide as the one before is broken
MAX_HYPHENATED_LINES = 3      # French usage: no more than three hyphenated line ends in a row


def displaced_notes(pages) -> list[str]:
    """data-src of the last paragraph on each page whose footnote went to a later page."""
    return [page.paragraphs[-1] for page in pages if page.calls - page.bodies and page.paragraphs]


def broken_lines(pages) -> list[str]:
    """data-src of each paragraph with a line cut short right after a hyphenated line
    (the last line of a paragraph may be short)."""
    out = []
    for page in pages:
        by_block: dict[int, list[Line]] = {}
        for line in page.lines:
            if line.paragraph:
                by_block.setdefault(line.block, []).append(line)
        for lines in by_block.values():
            if any(before.hyphenated and line.width < SHORT_LINE * before.width
                   for before, line in zip(lines, lines[1:-1])):
                out.append(lines[0].src)
    return list(dict.fromkeys(out))


def words_cut_at_turns(pages) -> list[tuple[str, int]]:
    """(data-src, the line's number in its paragraph, from 1) of each paragraph line that ends a
    right-hand page (an odd one: a part starts on one) with a cut word: the reader would turn the leaf
    in the middle of the word."""
    counted: dict[str, int] = {}
    out = []
    for page in pages:
        flow = [line for line in page.lines if line.text and not line.margin and not line.note]
        for line in flow:
            if line.paragraph:
                counted[line.src] = counted.get(line.src, 0) + 1
        last = flow[-1] if flow else None
        if page.number % 2 and last is not None and last.paragraph and (last.hyphenated or ends_cut(last)):
            out.append((last.src, counted[last.src]))
    return out


def ends_cut(line: Line) -> bool:
    """A line ending after the hyphen of a compound (« socio- / culturel »)."""
    return bool(line.fragments) and line.fragments[-1][2].rstrip(" ").endswith("-")


def hyphen_ladders(pages) -> list[tuple[str, int, int]]:
    """(paragraph's data-src, page, lines) for each run of more than MAX_HYPHENATED_LINES
    consecutive lines ending in a hyphenation.

    WeasyPrint has no ``hyphenate-limit-lines``: we cannot prevent a ladder, but we
    can tell an editor where one is, so a soft hyphen or a rewording fixes it."""
    out = []
    for page in pages:
        run, owner = 0, None
        for line in page.lines:
            if not line.hyphenated or owner is None or line.block != owner.block:
                if run > MAX_HYPHENATED_LINES:
                    out.append((owner.src, page.number, run))
                run = 0
            owner = line
            run += line.hyphenated
        if run > MAX_HYPHENATED_LINES:
            out.append((owner.src, page.number, run))
    return out

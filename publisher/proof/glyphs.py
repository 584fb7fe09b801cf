"""Where each character of a line starts, read from the laid-out PDF.

A proof's map (trail.py) holds every character's place, so that ``publisher collect`` knows which
characters a reader's highlight covers. The layout does not keep them: the proof's pages are the
volume's, laid out once for both (layout/parts.py), and the volume has no use for them. They are read
here, when a proof is made, from the page's content stream — where PDF readers themselves find the
characters a reader selects: each text box of the layout is one text object, opened at the box's left
(``Tm``), its glyphs shown with their advances (``TJ``: the font's widths, and the kerning, word and
letter spacing WeasyPrint writes between them), each glyph's characters told by the font's ToUnicode map.

A run whose glyphs do not tell its text (a glyph drawn for two different characters, first seen as the
other) keeps no places: the map then spreads its characters evenly over its width.
"""

from __future__ import annotations

import hashlib
from contextlib import closing
from dataclasses import replace

import pikepdf
from pikepdf import Array, Name

from ..layout.fonts import widths_of
from ..layout.pages import Line, Page
from ..layout.pdf import contents
from ..layout.references import codes_of, maps_of
from ..layout.parts import cores
from ..memo import Memo, Spread
from .geometry import PT_PER_PX

SAME_LEFT_PX = 0.05          # a text object opens at its box's left, to pydyf's precision
# drawn with no glyph: the soft hyphen, zero-width space and joiners, word joiner, byte order mark
INVISIBLE = frozenset("\u00ad\u200b\u200c\u200d\u2060\ufeff")

Matrix = tuple[float, float, float, float, float, float]
Glyphs = tuple[tuple[float, str], ...]                          # each glyph's left, and its characters
Shown = tuple[float, float, Glyphs, float]                      # a text box's left, baseline, glyphs, right
Lefts = tuple[tuple[tuple[float, ...], ...], ...]              # each line's runs' characters' places
Font = tuple[dict[int, str], dict[int, float], float]          # glyph → characters, glyph → width, default width


def with_lefts(document: pikepdf.Pdf, pages: tuple[Page, ...], memo: Memo | None = None) -> tuple[Page, ...]:
    """``pages`` (the document's, in order) with where each character of their lines starts (a page takes some
    6 ms). ``memo``: a warm process's (``proof --watch``, the desk), where a page drawn as before is not read
    again; without, the pages of a long book are read side by side (memo.Spread; 216 pages on 2 cores:
    1,5 → 0,85 s)."""
    fonts: dict[tuple[int, int], Font | None] = {}
    if memo is None:
        calls = [reading(pdf_page, page, fonts) for pdf_page, page in zip(document.pages, pages)]
        with closing(Spread(cores())) as spread:
            found = spread.each(lefts_in, calls)
    else:
        found = []
        for pdf_page, page in zip(document.pages, pages):
            def read(drawing: str, height: float, lines: tuple[Line, ...], pdf_page=pdf_page, page=page) -> Lefts:
                return lefts_in(*reading(pdf_page, page, fonts))                # ``drawing`` tells ``pdf_page``
            found.append(memo(read, drawing_of(pdf_page), page.height, page.lines))
    return tuple(replace(page, lines=tuple(
        replace(line, fragments=tuple((*f[:3], lefts) for f, lefts in zip(line.fragments, next(each))))
        if counted(line) else line for line in page.lines)) for page, each in zip(pages, map(iter, found)))


def reading(pdf_page: pikepdf.Page, page: Page, fonts: dict) -> tuple[bytes, dict[str, Font | None], float,
                                                                       tuple[Line, ...]]:
    """What :func:`lefts_in` reads of a page, as plain data (another process may read it): its content, its
    fonts by the names it gives them, its height and lines."""
    named = pdf_page.obj.get("/Resources", pikepdf.Dictionary()).get("/Font", pikepdf.Dictionary())
    return (b"\n".join(content.read_bytes() for content in contents(pdf_page)),
            {str(name): font_of(font, fonts) for name, font in named.items()}, page.height, page.lines)


def lefts_in(content: bytes, fonts: dict[str, Font | None], height: float, lines: tuple[Line, ...]) -> Lefts:
    return lefts_of(lines, shown_in(content, fonts, height))


def counted(line: Line) -> bool:
    return line.text and not line.margin


def lefts_of(lines: tuple[Line, ...], shown: list[Shown]) -> Lefts:
    """For each line with text, for each of its runs, where each character starts (``()``: not found)."""
    out = []
    for line in filter(counted, lines):
        here = [s for s in shown if line.top <= s[1] <= line.top + line.height]
        runs = []
        for left, _, text, _ in line.fragments:
            found = min(here, key=lambda s: abs(s[0] - left), default=None)
            near = found if found is not None and abs(found[0] - left) <= SAME_LEFT_PX else None
            runs.append(characters(near[2], near[3], text, left) if near is not None else ())
        out.append(tuple(runs))
    return tuple(out)


def drawing_of(page: pikepdf.Page) -> str:
    """A digest of what the page shows itself: its content streams, but for those that draw no text (the
    folio's, which names its page: a page laid out as before, moved by an edit, is the same drawing)."""
    digest = hashlib.sha256()
    for content in contents(page):
        data = content.read_raw_bytes()
        if "/Filter" in content or b"TJ" in data or b"Tj" in data:
            digest.update(data)
    return digest.hexdigest()


def characters(glyphs: Glyphs, right: float, text: str, left: float) -> tuple[float, ...]:
    """Each character of ``text`` and where it starts, from ``left``: its glyph's left (a ligature's characters
    share its width); a character drawn with no glyph (a word joiner, a zero-width space), where the next glyph
    starts (or the run ends, at ``right``); a glyph first seen as another character (a space drawn for a
    no-break space), taken for this one. None (``()``) when the glyphs do not tell the text."""
    drawn = [chars for _, chars in glyphs]
    if len(drawn) >= len(text) and all(len(chars) == 1 for chars in drawn) \
            and not "".join(drawn[len(text):]).strip():            # a glyph a character: most runs
        return tuple(round(x - left, 2) for x, _ in glyphs[:len(text)])
    out: list[float] = []
    k, at = 0, 0
    while at < len(text):
        if k < len(glyphs) and not glyphs[k][1]:
            k += 1                                       # a second glyph for one character (a mark)
            continue
        here = glyphs[k][0] if k < len(glyphs) else right
        chars = glyphs[k][1] if k < len(glyphs) else ""
        if chars and (text.startswith(chars, at) or (len(chars) == 1 and text[at] not in INVISIBLE)):
            following = glyphs[k + 1][0] if k + 1 < len(glyphs) else right
            out += [here + (following - here) * j / len(chars) for j in range(len(chars))]
            at, k = at + len(chars), k + 1
        elif text[at] in INVISIBLE:
            out.append(here)
            at += 1
        else:
            return ()
    if any(chars.strip() for _, chars in glyphs[k:]):      # a space at the line's end is drawn, not kept
        return ()
    return tuple(round(x - left, 2) for x in out)


def shown_in(content: bytes, fonts: dict[str, Font | None], height: float) -> list[Shown]:
    """Every text object of a page's own content (not the forms it draws: folios, sheets) and its glyphs,
    in CSS pixels from the page's top left corner; ``fonts``: the page's, by name."""
    found: list[Shown] = []
    stack: list[Matrix] = []
    ctm: Matrix = (1, 0, 0, 1, 0, 0)
    tm: Matrix = (1, 0, 0, 1, 0, 0)
    font, size = None, 0.0
    glyphs: list[tuple[float, str]] = []
    start: tuple[float, float] | None = None
    right = 0.0

    def to_px(matrix: Matrix) -> tuple[float, float]:
        x, y = matrix[4], matrix[5]
        return x / PT_PER_PX, height - y / PT_PER_PX

    owner = pikepdf.new()                         # a stream belongs to a PDF: this one while it is read
    for operands, operator in pikepdf.parse_content_stream(pikepdf.Stream(owner, content)):
        op = str(operator)
        if op == "q":
            stack.append(ctm)
        elif op == "Q":
            ctm = stack.pop() if stack else ctm
        elif op == "cm":
            ctm = times(tuple(float(v) for v in operands), ctm)            # type: ignore[arg-type]
        elif op in ("BT", "ET", "Tm"):           # a text box: its own matrix (several may share a text object)
            if start is not None and glyphs:
                found.append((start[0], start[1], tuple(glyphs), right))
            tm = tuple(float(v) for v in operands) if op == "Tm" else (1, 0, 0, 1, 0, 0)  # type: ignore[assignment]
            glyphs, start = [], to_px(times(tm, ctm)) if op == "Tm" else None
        elif op == "Tf":
            font, size = fonts.get(str(operands[0])), float(operands[1])
        elif op in ("TJ", "Tj") and font is not None:
            unicode, widths, default = font
            origin = times(tm, ctm)                   # where the text goes on, and its direction, in points
            x, along, scale, advance = origin[4], origin[0], size / 1000, 0.0
            for item in operands[0] if op == "TJ" else [operands[0]]:
                if isinstance(item, pikepdf.String):
                    for glyph in codes_of(bytes(item)):
                        glyphs.append(((x + advance * along) / PT_PER_PX, unicode.get(glyph, "")))
                        advance += widths.get(glyph, default) * scale
                else:                                         # kerning, justification: thousandths of the size
                    advance -= float(item) * scale
            tm = advanced(tm, advance)
            right = (x + advance * along) / PT_PER_PX
    return found


def font_of(font, fonts: dict) -> Font | None:
    """A composite font's glyphs → characters, glyphs → widths, and its default width; None for another."""
    if font is None or font.get("/Subtype") != Name.Type0 or "/ToUnicode" not in font:
        return None
    if font.objgen not in fonts:
        descendant = font.DescendantFonts[0]
        fonts[font.objgen] = (maps_of(font)[0], widths_of(descendant.get("/W", Array())),
                              float(descendant.get("/DW", 1000)))
    return fonts[font.objgen]


def times(m: Matrix, n: Matrix) -> Matrix:
    """``m`` then ``n`` (PDF's row vectors: m × n)."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (a * a2 + b * c2, a * b2 + b * d2, c * a2 + d * c2, c * b2 + d * d2,
            e * a2 + f * c2 + e2, e * b2 + f * d2 + f2)


def advanced(tm: Matrix, tx: float) -> Matrix:
    """The text matrix moved ``tx`` along the text's line."""
    a, b, c, d, e, f = tm
    return (a, b, c, d, e + tx * a, f + tx * b)

"""A paragraph's text, as runs of one style each, made into the breaker's items: a word (or the piece of
one between two hyphenation points) a box as wide as the fonts make it, a space a glue that stretches
and shrinks, a hyphenation point a flagged penalty as wide as the hyphen.

Where the layout may break and where not, as CSS and French typography have it:
- a space breaks; a no-break space (U+00A0) stretches with the others but never breaks; a narrow one
  (U+202F, before « ; : ! ? » and inside « ») neither stretches nor breaks;
- a word breaks at the points of the French hyphenation patterns (the same as WeasyPrint's, pyphen),
  never before its third letter or after its last-but-third, in words of six letters at least
  (``hyphenate-limit-chars: 6 3 3``), and only in runs whose style hyphenates; after its second letter
  (« dé-marche », as French typography allows and babel-french does) only as a last resort, for a
  paragraph that has no line within the tolerance otherwise;
- after a hyphen written in a word (« socio-culturel ») a line may end, with no hyphen added — not in a
  name (« Jemeppe-sur-Sambre »), which no line parts;
- a typographer's refusals: no line ends on a one-letter word (« à », « a », « y »), and a number
  stays with the word it counts or dates (« 45 formatrices », « 8 mai », « 19e siècle »).

A box's width is the difference of the widths of the word's prefixes, so that the boxes of a word add
up to the word as shaped whole (kerning inside it kept).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import pyphen

from .knuth import NEVER, Box, Glue, Item, Penalty
from .measure import Fonts, Style, kept

HYPHEN = "\u2010"                  # what WeasyPrint prints at a hyphenation (hyphenate-character: auto)
STRETCH, SHRINK = 1 / 2, 1 / 3     # of a space's width: how much it may grow and give (TeX's)
HYPHEN_COST = 50.0
EXPLICIT_COST = 50.0
LAST_RESORT_COST = 200.0           # « dé-marche »: taken where it spares a loose line, not for a hair
MIN_WORD, MIN_LEFT, MIN_RIGHT = 6, 3, 3
LAST_RESORT_LEFT = 2
BREAKS = re.compile(r"( |\u00a0)")
# a number (« 1 200 », « 3,5 », not « 2016, »), an ordinal (« 19e », « 1er »), a century (« XIXe », not « Le » or « Ce »)
NUMBER = re.compile(r"^[(«\u202f]*(\d(?:[\d\u202f.,]*\d)?|\d+(?:er|re|e|es|ers|res|d|de|nd|nde)|"
                    r"(?:[IVXLC]{2,}|[IVX])(?:e|er|es))$")


@dataclass(frozen=True)
class Run:
    text: str
    style: Style
    hyphenate: bool = True          # hyphens: auto (an acronym, a link, code: manual)


@dataclass(frozen=True)
class At:
    """Where an item starts in the runs: the run, and the character in it."""

    run: int
    offset: int


@lru_cache(maxsize=4)
def dictionary(language: str = "fr_FR", left: int = MIN_LEFT) -> pyphen.Pyphen:
    return pyphen.Pyphen(lang=language, left=left, right=MIN_RIGHT)


def items_of(runs: list[Run], fonts: Fonts) -> tuple[list[Item], list[At]]:
    """The items of the runs, and where each starts."""
    items: list[Item] = []
    where: list[At] = []
    word: list[tuple[int, int, int]] = []          # the runs' pieces of the word being read: (run, start, end)

    def flush() -> None:
        if word:
            add_word(runs, word, fonts, items, where)
            word.clear()

    for r, run in enumerate(runs):
        start = 0
        for match in BREAKS.finditer(run.text):
            if match.start() > start:
                word.append((r, start, match.start()))
            last_word = text_of(runs, word)
            flush()
            width = fonts.width(" ", run.style)
            if match.group(0) == "\u00a0" or refused_after(last_word, following(runs, r, match.end())):
                items.append(Penalty(0, NEVER))
                where.append(At(r, match.start()))
            items.append(Glue(width, width * STRETCH, width * SHRINK))
            where.append(At(r, match.start()))
            start = match.end()
        if start < len(run.text):
            word.append((r, start, len(run.text)))
    flush()
    return items, where


def add_word(runs: list[Run], word: list[tuple[int, int, int]], fonts: Fonts, items: list[Item],
             where: list[At]) -> None:
    """A word's boxes, with a penalty at each place it may be cut: measured the first time the process
    meets the word in that style (most of a text is words met before)."""
    key = tuple((runs[r].text[s:e], runs[r].style, runs[r].hyphenate) for r, s, e in word)
    if key not in fonts.words:
        kept(fonts.words, key, tuple(word_items(runs, word, fonts)))
    for item, index in fonts.words[key]:
        items.append(item)
        where.append(At(*position(word, index)))


def word_items(runs: list[Run], word: list[tuple[int, int, int]], fonts: Fonts) -> list[tuple[Item, int]]:
    """The word's boxes and penalties, each with the index in the word where it starts."""
    cuts = cut_points(runs, word)
    text = text_of(runs, word)
    out: list[tuple[Item, int]] = []
    done = 0.0
    start = 0
    for point, kind in [*cuts, (len(text), "")]:
        if point <= start:
            continue
        width = width_of(runs, word, fonts, point) - done
        out.append((Box(width, text[start:point]), start))
        done += width
        if point < len(text):
            style = runs[position(word, point)[0]].style
            explicit, last_resort = kind == "explicit", kind == "last resort"
            cost = EXPLICIT_COST if explicit else LAST_RESORT_COST if last_resort else HYPHEN_COST
            out.append((Penalty(0 if explicit else fonts.width(HYPHEN, style), cost, flagged=True,
                                last_resort=last_resort), point))
        start = point
    return out


def cut_points(runs: list[Run], word: list[tuple[int, int, int]]) -> list[tuple[int, str]]:
    """Where the word may be cut, and how: after a hyphen it has (« explicit »), at its hyphenation
    points (« pattern »), at a point only the last resort takes (« last resort »)."""
    text = text_of(runs, word)
    # a compound of its own (« socio-culturel »), not a name (« Jemeppe-sur-Sambre », « Jean-Pierre »): never cut
    proper = text[:1].isupper()
    out = [(i + 1, "explicit") for i, c in enumerate(text[:-1]) if c == "-" and i > 0 and not proper]
    hyphenates = [runs[r].hyphenate for r, s, e in word for _ in range(e - s)]
    for match in re.finditer(r"[^\W\d_]+", text):
        letters = match.group(0)
        if len(letters) < MIN_WORD:
            continue
        points, last_resort = hyphenation_points(letters)
        for point in sorted(set(points) | set(last_resort)):
            at = match.start() + point
            if hyphenates[at - 1] and hyphenates[at]:
                out.append((at, "pattern" if point in points else "last resort"))
    return sorted(set(out))


@lru_cache(maxsize=65536)
def hyphenation_points(letters: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Where the patterns cut a word (3 letters at least on each side), and where only the last resort may."""
    return tuple(dictionary().positions(letters)), tuple(dictionary(left=LAST_RESORT_LEFT).positions(letters))


def refused_after(word: str, next_word: str) -> bool:
    """A line must not end after this word when that one follows: a one-letter word, a number and what it counts."""
    if not word or not next_word:
        return False
    bare = word.strip("«(\u202f")
    if len(bare) == 1 and bare.isalpha():
        return True
    return bool(NUMBER.match(word)) and next_word[:1].isalpha()


def following(runs: list[Run], r: int, offset: int) -> str:
    """The word that starts at ``offset`` of run ``r`` (across runs)."""
    out = ""
    for run in runs[r:]:
        piece = run.text[offset:]
        stop = BREAKS.search(piece)
        out += piece[:stop.start()] if stop else piece
        if stop:
            break
        offset = 0
    return out


def text_of(runs: list[Run], word: list[tuple[int, int, int]]) -> str:
    return "".join(runs[r].text[s:e] for r, s, e in word)


def position(word: list[tuple[int, int, int]], index: int) -> tuple[int, int]:
    """The run and the offset in it of the word's character ``index``."""
    for r, s, e in word:
        if index < e - s:
            return r, s + index
        index -= e - s
    r, s, e = word[-1]
    return r, e


def width_of(runs: list[Run], word: list[tuple[int, int, int]], fonts: Fonts, upto: int) -> float:
    """The width of the word's first ``upto`` characters, each run shaped whole (as Pango does)."""
    total = 0.0
    for r, s, e in word:
        take = min(e - s, upto)
        if take <= 0:
            break
        total += fonts.width(runs[r].text[s:s + take], runs[r].style)
        upto -= take
    return total

"""Two people on one fiche: a save made from an older version is merged with the newer one, line by
line (a three-way merge, as git's, by :mod:`merge3`), when their changes touch different lines.
When they touch the same lines nothing is merged: the lines in conflict are said, on each side."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

import merge3

CONTEXT = 2                                     # lines shown around a conflict


Lines = tuple[tuple[int, int], ...]             # line ranges, from 1, both ends in


@dataclass(frozen=True)
class Merged:
    text: str | None                # None: a conflict, nothing to write
    ours: str = ""                  # the text of who saves
    theirs: str = ""                # the newer version, saved meanwhile
    ours_conflicts: Lines = ()      # their lines that both changed
    theirs_conflicts: Lines = ()


def merge(base: str, ours: str, theirs: str) -> Merged:
    """``ours`` (the save) and ``theirs`` (the file now), both changed from ``base``."""
    b, o, t = (text.splitlines(keepends=True) for text in (base, ours, theirs))
    out: list[str] = []
    conflicts_t: list[tuple[int, int]] = []
    conflicts_o: list[tuple[int, int]] = []
    for region in merge3.Merge3(b, o, t).merge_regions():
        kind = region[0]
        if kind == "unchanged":
            out += b[region[1]:region[2]]
        elif kind in ("a", "same"):
            out += o[region[1]:region[2]]
        elif kind == "b":
            out += t[region[1]:region[2]]
        else:                                   # ("conflict", base…, ours…, theirs…)
            _, _, _, o1, o2, t1, t2 = region
            conflicts_o.append((o1 + 1, max(o1 + 1, o2)))
            conflicts_t.append((t1 + 1, max(t1 + 1, t2)))
    if conflicts_t:
        return Merged(None, ours, theirs, tuple(conflicts_o), tuple(conflicts_t))
    return Merged("".join(out))


@dataclass(frozen=True)
class Line:
    number: int
    parts: tuple[tuple[str, bool], ...]      # its words, each with whether the other side differs there
    hot: bool                                # in conflict
    gap: bool = False                        # stands for lines left out, far from any conflict


def sides(merged: Merged, context: int = CONTEXT) -> tuple[list[Line], list[Line]]:
    """The two versions as the conflict page shows them (theirs, ours): the lines in conflict, the words
    that differ in them marked, with ``context`` lines around; the others left out."""
    theirs, ours = merged.theirs.rstrip("\n").split("\n"), merged.ours.rstrip("\n").split("\n")
    words_t: dict[int, list[tuple[str, bool]]] = {}
    words_o: dict[int, list[tuple[str, bool]]] = {}
    for (t1, t2), (o1, o2) in zip(merged.theirs_conflicts, merged.ours_conflicts):
        a, b = (re.findall(r"\S+|\s+", "\n".join(lines[x - 1:y])) for lines, x, y in ((theirs, t1, t2), (ours, o1, o2)))
        marks_a, marks_b = [True] * len(a), [True] * len(b)
        for block in difflib.SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks():
            marks_a[block.a:block.a + block.size] = [False] * block.size
            marks_b[block.b:block.b + block.size] = [False] * block.size
        _by_line(a, marks_a, t1, words_t)
        _by_line(b, marks_b, o1, words_o)
    return (_shown(theirs, merged.theirs_conflicts, words_t, context),
            _shown(ours, merged.ours_conflicts, words_o, context))


def _by_line(tokens: list[str], marks: list[bool], first: int, out: dict) -> None:
    line = first
    for token, mark in zip(tokens, marks):
        pieces = token.split("\n")
        for k, piece in enumerate(pieces):
            if k:
                line += 1
            if piece:
                out.setdefault(line, []).append((piece, mark and not piece.isspace()))


def _shown(lines: list[str], conflicts: Lines, words: dict, context: int) -> list[Line]:
    near = {n for a, b in conflicts for n in range(a - context, b + context + 1)}
    out: list[Line] = []
    for number, text in enumerate(lines, start=1):
        hot = any(a <= number <= b for a, b in conflicts)
        if number in near:
            out.append(Line(number, tuple(words.get(number, [(text, False)])), hot))
        elif not out or not out[-1].gap:
            out.append(Line(number, (), False, gap=True))
    return out

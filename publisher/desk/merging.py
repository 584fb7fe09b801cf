"""Two people on one fiche: a save made from an older version is merged with the newer one, line by
line (a three-way merge, as git's, by :mod:`merge3`), when their changes touch different lines.
When they touch the same lines nothing is merged: the lines in conflict are said, on each side."""

from __future__ import annotations

from dataclasses import dataclass

import merge3


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


def marked(text: str, conflicts: Lines, first: int = 1) -> list[tuple[int, str, bool]]:
    """The lines of ``text`` (numbered from ``first``), each with whether it is in conflict."""
    return [(first + k, line, any(a <= first + k <= b for a, b in conflicts))
            for k, line in enumerate(text.rstrip("\n").split("\n"))]

"""French alphabetical order (É with E, œ as oe, case ignored), by the Unicode
Collation Algorithm rather than ad hoc code."""

from __future__ import annotations

from functools import lru_cache

from pyuca import Collator


@lru_cache(maxsize=1)
def collator() -> Collator:
    return Collator()


@lru_cache(maxsize=65536)
def sort_key(text: str) -> tuple:
    """(Kept: the index and the glossary are sorted again at every layout of a book's back matter.)"""
    return collator().sort_key(text)


@lru_cache(maxsize=65536)
def initial(text: str) -> str:
    """The letter an index heading files ``text`` under: É under E, Œ under O; "#" for a digit or sign."""
    primary = sort_key(text)[:1]
    for letter in "ABCDEFGHIJKLMNOPQRSTUVWXYZ":
        if sort_key(letter)[:1] == primary:
            return letter
    return "#"

"""French alphabetical order (É with E, œ as oe, case ignored), by the Unicode
Collation Algorithm rather than ad hoc code."""

from __future__ import annotations

from functools import lru_cache

from pyuca import Collator


@lru_cache(maxsize=1)
def collator() -> Collator:
    return Collator()


def sort_key(text: str) -> tuple:
    return collator().sort_key(text)

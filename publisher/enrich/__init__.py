"""Everything gathered over the whole book before anything is rendered:
footnote numbers, cross-references (:mod:`.xref`), French typography (the engine is
:mod:`publisher.typography`, a package of its own that other projects' test cases measure),
first uses of acronyms (:mod:`.glossary`), index occurrences (:mod:`.index`); and
:mod:`.glossary_suggest` (entries the glossary lacks), :mod:`.collation` (French alphabetical order)."""

from __future__ import annotations

from dataclasses import replace

from ..memo import Memo, Once
from ..model import Book, Fiche, FootnoteRef, Inline
from ..tree import map_fiche, map_leaves
from ..typography import Settings, typeset_book
from .glossary import mark_acronyms
from .index import mark_index
from .xref import resolve_xrefs

__all__ = ["enrich", "number_footnotes"]


def enrich(book: Book, memo: Memo | None = None) -> Book:
    """``memo``: the fiches already numbered and typeset (a warm process: :mod:`publisher.memo`)."""
    memo = memo or Once()
    book = replace(book, fiches=tuple(memo(number_footnotes, f) for f in book.fiches))
    book = resolve_xrefs(book)      # on the words as written, before typography changes them
    book = typeset_book(book, Settings(colon_space=book.config.colon_space), memo)
    book = mark_acronyms(book)
    return mark_index(book)


def number_footnotes(fiche: Fiche) -> Fiche:
    """Notes numbered from 1 in each fiche, in the order of their first call; a note called
    again keeps its number (and is printed once, at its first call)."""
    numbers: dict[str, int] = {}
    firsts: dict[str, FootnoteRef] = {}

    def number(run: Inline) -> list[Inline]:
        if isinstance(run, FootnoteRef):
            first = firsts.setdefault(run.label, run)
            run = replace(run, number=numbers.setdefault(run.label, len(numbers) + 1),
                          first=None if first is run else first.location)
        return [run]

    fiche = map_fiche(fiche, lambda runs, _holder: map_leaves(runs, number))
    return replace(fiche, footnotes=tuple(replace(n, number=numbers.get(n.label, 0)) for n in fiche.footnotes))

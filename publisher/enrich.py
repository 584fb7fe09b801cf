"""Everything gathered over the whole book before anything is rendered:
footnote numbers, French typography, first uses of acronyms."""

from __future__ import annotations

from dataclasses import replace

from .glossary import mark_acronyms
from .model import Book, Fiche, FootnoteRef
from .tree import CONTAINERS, Runs, map_fiche
from .typography import Settings, typeset_book


def enrich(book: Book) -> Book:
    book = replace(book, fiches=tuple(number_footnotes(f) for f in book.fiches))
    book = typeset_book(book, Settings(colon_space=book.config.colon_space))
    return mark_acronyms(book)


def number_footnotes(fiche: Fiche) -> Fiche:
    """Notes numbered from 1 in each fiche, in the order of their first call."""
    numbers: dict[str, int] = {}

    def runs(children: Runs, _holder=None) -> Runs:
        out = []
        for run in children:
            if isinstance(run, FootnoteRef):
                run = replace(run, number=numbers.setdefault(run.label, len(numbers) + 1))
            elif isinstance(run, CONTAINERS):
                run = replace(run, children=runs(run.children))
            out.append(run)
        return tuple(out)

    fiche = map_fiche(fiche, runs)
    return replace(fiche, footnotes=tuple(replace(n, number=numbers.get(n.label, 0)) for n in fiche.footnotes))

"""Everything gathered over the whole book before anything is rendered.

For now: footnote numbers, from 1 in each fiche, in the order of their first call.
"""

from __future__ import annotations

from dataclasses import replace

from .model import (Book, Emphasis, Fiche, Figure, FootnoteRef, Heading, Inline, Link, ListBlock,
                    ListItem, Paragraph, Quote, Strong)


def enrich(book: Book) -> Book:
    return replace(book, fiches=tuple(number_footnotes(f) for f in book.fiches))


def number_footnotes(fiche: Fiche) -> Fiche:
    numbers: dict[str, int] = {}

    def runs(children: tuple[Inline, ...]) -> tuple[Inline, ...]:
        out = []
        for run in children:
            if isinstance(run, FootnoteRef):
                run = replace(run, number=numbers.setdefault(run.label, len(numbers) + 1))
            elif isinstance(run, (Emphasis, Strong, Link)):
                run = replace(run, children=runs(run.children))
            out.append(run)
        return tuple(out)

    def block(b):
        if isinstance(b, (Paragraph, Heading)):
            return replace(b, children=runs(b.children))
        if isinstance(b, ListBlock):
            return replace(b, items=tuple(replace(i, blocks=tuple(map(block, i.blocks))) for i in b.items))
        if isinstance(b, (Quote, ListItem)):
            return replace(b, blocks=tuple(map(block, b.blocks)))
        if isinstance(b, Figure):
            return replace(b, caption=tuple(map(block, b.caption)))
        return b

    lead = runs(fiche.lead)
    blocks = tuple(map(block, fiche.blocks))
    notes = tuple(replace(n, number=numbers.get(n.label, 0), blocks=tuple(map(block, n.blocks)))
                  for n in fiche.footnotes)
    return replace(fiche, lead=lead, blocks=blocks, footnotes=notes)

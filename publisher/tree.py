"""Walking and rewriting the inline runs of fiches (used by enrich and check)."""

from __future__ import annotations

from dataclasses import replace
from typing import Callable, Iterator

from .model import (Address, Block, Emphasis, Fiche, Figure, Footnote, Heading, Inline, Link, ListBlock, Paragraph,
                    Quote, SmallCaps, Strong, Superscript, Text)

CONTAINERS = (Emphasis, Strong, Link)
Runs = tuple[Inline, ...]


def walk_blocks(blocks) -> Iterator[Block]:
    for b in blocks:
        yield b
        if isinstance(b, ListBlock):
            for item in b.items:
                yield from walk_blocks(item.blocks)
        elif isinstance(b, Quote):
            yield from walk_blocks(b.blocks)
        elif isinstance(b, Figure):
            yield from walk_blocks(b.caption)


def walk_runs(runs) -> Iterator[Inline]:
    for r in runs:
        yield r
        if isinstance(r, CONTAINERS):
            yield from walk_runs(r.children)


def run_sequences(fiche: Fiche) -> Iterator[tuple[Runs, Block | Footnote | Fiche]]:
    """Each sequence of runs of a fiche in reading order, with what holds it:
    the lead (held by the fiche), every paragraph and heading, then the notes."""
    yield fiche.lead, fiche
    for block in walk_blocks(fiche.blocks):
        if isinstance(block, (Paragraph, Heading)):
            yield block.children, block
    for note in fiche.footnotes:
        for block in walk_blocks(note.blocks):
            if isinstance(block, (Paragraph, Heading)):
                yield block.children, note


def all_runs(fiche: Fiche) -> Iterator[Inline]:
    for runs, _holder in run_sequences(fiche):
        yield from walk_runs(runs)


def map_leaves(runs: Runs, fn: Callable[[Inline], list[Inline]]) -> Runs:
    """``runs`` with every run that is not a container (emphasis, link…) replaced by ``fn(run)``."""
    out: list[Inline] = []
    for run in runs:
        if isinstance(run, CONTAINERS):
            out.append(replace(run, children=map_leaves(run.children, fn)))
        else:
            out.extend(fn(run))
    return tuple(out)


def map_blocks(blocks: tuple[Block, ...], fn: Callable[[Runs, Block], Runs]) -> tuple[Block, ...]:
    def block(b):
        if isinstance(b, (Paragraph, Heading)):
            return replace(b, children=fn(b.children, b))
        if isinstance(b, ListBlock):
            return replace(b, items=tuple(replace(i, blocks=tuple(map(block, i.blocks))) for i in b.items))
        if isinstance(b, Quote):
            return replace(b, blocks=tuple(map(block, b.blocks)))
        if isinstance(b, Figure):
            return replace(b, caption=tuple(map(block, b.caption)))
        return b

    return tuple(map(block, blocks))


def map_fiche(fiche: Fiche, fn: Callable[[Runs, object], Runs]) -> Fiche:
    """The fiche with ``fn`` applied to every sequence of runs, in reading order."""
    lead = fn(fiche.lead, fiche)
    blocks = map_blocks(fiche.blocks, fn)
    notes = tuple(replace(n, blocks=map_blocks(n.blocks, lambda runs, _b, n=n: fn(runs, n)))
                  for n in fiche.footnotes)
    return replace(fiche, lead=lead, blocks=blocks, footnotes=notes)


def plain(runs: Runs, expanded: bool = True) -> str:
    """The text of runs as a reader sees it, markup dropped (for titles, bookmarks, tests).
    ``expanded=False``: an acronym's first use as written in the source, without its long form."""
    out = []
    for run in walk_runs(runs):
        if isinstance(run, Superscript):
            out.append(run.plain or run.text)
        elif isinstance(run, (Text, SmallCaps, Address)) or run.kind == "index":
            out.append(run.text)
        elif run.kind == "abbr":
            out.append(f"{run.long_form} ({run.text})" if run.expand and expanded else run.text)
        elif run.kind == "code":
            out.append(run.text)
    return "".join(out)

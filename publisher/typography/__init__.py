"""French typography, applied to the text runs of the model.

Two passes over each sequence of runs (a paragraph, a heading, a note):
the rules of :mod:`.rules` rewrite the text seen across runs (spaces, quotes,
dashes, numbers), then :func:`markup` sets ordinals, centuries and n° with
superior letters. Nothing here ever sees HTML.
"""

from __future__ import annotations

import re
from functools import lru_cache
from dataclasses import replace

from ..model import Acronym, Address, Book, Code, Critic, Fiche, Inline, SmallCaps, Superscript, Text
from ..tree import CONTAINERS, Runs, map_fiche, plain
from .buffer import ADDRESS, PROTECTED, WORDLIKE, Buffer
from .rules import Settings, rules_for

__all__ = ["Settings", "typeset_runs", "typeset_text", "typeset_fiche", "typeset_book"]

MAX_ROUNDS = 4
MARKUP = re.compile(
    r"(?<![\w])(?:(?P<number>\d+)(?P<ordinal>ers?|res?|es?|ds?|des?)"
    r"|(?P<roman>[IVXLC]{2,}|[IVX])(?P<century>es?)"
    r"|(?P<n>[nN])°)(?![\w" + WORDLIKE + "])")
# Inlines that read as the continuation of a word: « n° » just before one is no n°.
GLUED = (Superscript, SmallCaps, Code, Address, Acronym)


def typeset_runs(runs: Runs, settings: Settings = Settings()) -> Runs:
    buffer = Buffer.of(runs)
    rules = rules_for(settings)
    # One rule can give another something to do (« etc... . » → « etc. . » → « etc.. »):
    # go round until nothing changes, which is what makes the whole idempotent.
    for _round in range(MAX_ROUNDS):
        before = buffer.text
        for rule in rules:
            buffer.substitute(rule.pattern, rule.replace)
        if buffer.text == before:
            break
    return markup(buffer.rebuild(runs))


def markup(runs: Runs) -> Runs:
    out: list[Inline] = []
    runs = _coalesce(runs)
    for i, run in enumerate(runs):
        if isinstance(run, Text):
            out.extend(_split(run.text, glued=i + 1 < len(runs) and isinstance(runs[i + 1], GLUED)))
        elif isinstance(run, CONTAINERS):
            out.append(replace(run, children=markup(run.children)))
        elif isinstance(run, Critic):
            out.append(replace(run, text=typeset_text(run.text), replacement=typeset_text(run.replacement)))
        elif isinstance(run, Superscript) and out and isinstance(out[-1], (Text, SmallCaps)):
            out.append(replace(run, text=_superior_spelling(run.text, out[-1].text)))
        else:
            out.append(run)
    return _coalesce(tuple(out))


MISTYPED_SUPERIOR = re.compile(r"(?i)(ère|ere|ème|eme|ième|ieme|éme|è)(s?)")


def _superior_spelling(superior: str, before: str) -> str:
    """A superior typed in the source after a number (1^ère^, 2^ème^): spelled 1^re^, 2^e^."""
    match = MISTYPED_SUPERIOR.fullmatch(superior)
    if not match or not re.search(r"(?:\d|[IVXLC])$", before):
        return superior
    first = match.group(1).lower() in ("ère", "ere") and re.search(r"(?<!\d)1$", before)
    return ("re" if first else "e") + match.group(2).lower()


def _coalesce(runs: Runs) -> Runs:
    out: list[Inline] = []
    for run in runs:
        if isinstance(run, Text) and out and isinstance(out[-1], Text):
            out[-1] = Text(out[-1].text + run.text)
        else:
            out.append(run)
    return tuple(out)


def _split(text: str, glued: bool) -> list[Inline]:
    """``glued``: the run after this text reads as a word (the next pass will see it so)."""
    out: list[Inline] = []
    done = 0
    for address in ADDRESS.finditer(text):
        out += _set_superiors(text[done:address.start()], glued=True)
        out.append(Address(address.group(0)))
        done = address.end()
    return out + _set_superiors(text[done:], glued)


def _set_superiors(text: str, glued: bool) -> list[Inline]:
    protected = [m.span() for m in PROTECTED.finditer(text)]
    out: list[Inline] = []
    done = 0
    context = text + WORDLIKE if glued else text      # the lookahead sees what follows the run
    for match in MARKUP.finditer(context):
        if any(start < match.end() and match.start() < end for start, end in protected):
            continue
        if match.start() > done:
            out.append(Text(text[done:match.start()]))
        if match.group("number"):
            out += [Text(match.group("number")), Superscript(match.group("ordinal"))]
        elif match.group("roman"):
            out += [SmallCaps(match.group("roman")), Superscript(match.group("century"))]
        else:
            out += [Text(match.group("n")), Superscript("o", plain="°")]
        done = match.end()
    if done < len(text):
        out.append(Text(text[done:]))
    return out


@lru_cache(maxsize=16384)
def typeset_text(text: str, settings: Settings = Settings()) -> str:
    """A plain string (a title, a setting) with the same rules, superiors written inline. (Kept: a warm
    process prepares the book's titles, glossary and index again at every edit.)"""
    if not text:
        return text
    return plain(typeset_runs((Text(text),), settings))


def typeset_fiche(fiche: Fiche, settings: Settings = Settings()) -> Fiche:
    fiche = map_fiche(fiche, lambda runs, _holder: typeset_runs(runs, settings))
    return replace(fiche, title=typeset_text(fiche.title, settings),
                   short_title=typeset_text(fiche.short_title, settings))


def typeset_book(book: Book, settings: Settings = Settings(), memo=None) -> Book:
    """``memo`` (publisher.memo): the fiches already typeset with these settings, or typeset side by side."""
    config = book.config
    config = replace(config, **{key: typeset_text(getattr(config, key), settings)
                                for key in ("title", "subtitle", "author", "publisher", "colophon", "edition")})
    config = replace(config, site=replace(config.site, presentation=typeset_text(config.site.presentation, settings)))
    fiches = [typeset_fiche(f, settings) for f in book.fiches] if memo is None \
        else memo.each(typeset_fiche, [(f, settings) for f in book.fiches])
    return replace(book, config=config, fiches=tuple(fiches))

"""The glossary of acronyms: ``book/glossary.yaml``, first uses, and what is left undefined.

``glossary.yaml``::

    acronyms:
      CPAS:
        long: centre public d'action sociale
        plural: centres publics d'action sociale     # optional
        definition: …                                 # optional
        verify: true                                  # a guess to confirm
        expand: false      # a name: never spelled out in the text (still in the Glossaire)
        index: false       # a common phrase: not in the Index
    not_acronyms: [URBAN]                             # capitals that are no acronyms

In each fiche the first use of an acronym is printed « long form (ACR) »,
unless the text spells it out there already; every use carries its long form
(``<abbr title>``) and an anchor from which the Glossaire reads its page.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, replace

from ..diagnostics import Diagnostic, info, relative, warning
from ..model import Acronym, Book, Fiche, Glossary, GlossaryEntry, Heading, IndexMark, Inline, Text
from ..source.sourcelines import SourceLines
from ..source.terms import GLOSSARY_FILE
from ..tree import all_runs, map_fiche, map_leaves, run_sequences, walk_runs
from .collation import sort_key

# A capitalised token of two or more letters or digits, starting with a letter.
CAPITALS = re.compile(r"(?<![\w-])[A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ0-9]+(?![\w’'])")
NOT_ACRONYMS = re.compile(
    r"(?=[MDCLXVI]+$)M*(?:C[MD]|D?C{0,3})(?:X[CL]|L?X{0,3})(?:I[XV]|V?I{0,3})"   # roman numerals (Livre III)
    r"|[ABC][12]"                                                             # language levels (A2)
    r"|[AEN]\d+")                                                             # roads (E411)
PLURAL_BEFORE = {"les", "des", "aux", "ces", "leurs", "nos", "vos", "ses", "mes", "plusieurs", "quelques",
                 "certains", "certaines", "différents", "différentes", "divers", "diverses", "nombreux",
                 "nombreuses", "autres", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix"}


def pattern(glossary: Glossary) -> re.Pattern | None:
    keys = sorted((e.acronym for e in glossary.entries), key=len, reverse=True)
    if not keys:
        return None
    return re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, keys)) + r")(?![\w’'])")


# ── First uses and anchors ──────────────────────────────────────────────────

def mark_acronyms(book: Book) -> Book:
    found = pattern(book.glossary)
    if found is None:
        return book
    entries = {e.acronym: e for e in book.glossary.entries}
    counter = itertools.count(1)
    return replace(book, fiches=tuple(_mark_fiche(f, found, entries, counter) for f in book.fiches))


def _mark_fiche(fiche: Fiche, found: re.Pattern, entries: dict, counter) -> Fiche:
    introduced: set[str] = set()

    def split(run: Inline, in_heading: bool) -> list[Inline]:
        if not isinstance(run, Text):
            return [run]
        text = run.text
        out: list[Inline] = []
        done = 0
        for match in found.finditer(text):
            entry = entries[match.group(0)]
            before, after = text[:match.start()], text[match.end():]
            # « long form (ACR) », « (PE/POE) » or « ACR (long form) »: spelled out here already.
            spelled_here = bool(re.search(r"\(\s*$|\([^()]*/\s*$", before) or re.match(r"\s*[(/]", after))
            expand = entry.expand and entry.acronym not in introduced and not spelled_here and not in_heading
            if not in_heading:
                introduced.add(entry.acronym)
            if match.start() > done:
                out.append(Text(text[done:match.start()]))
            out.append(Acronym(entry.acronym, long_form(entry, before) if expand else entry.long_form,
                               f"acr-{next(counter)}", expand))
            done = match.end()
        if done < len(text):
            out.append(Text(text[done:]))
        return out

    return map_fiche(fiche, lambda runs, holder: map_leaves(runs, lambda run: split(run, isinstance(holder, Heading))))


def long_form(entry: GlossaryEntry, before: str) -> str:
    """The long form that fits the sentence: plural after « les », capital at a sentence start."""
    words = re.findall(r"\w+", before)
    text = entry.plural if entry.plural and words and words[-1].lower() in PLURAL_BEFORE else entry.long_form
    if not before.strip() or re.search(r"[.!?…]\s*$", before):
        text = text[:1].upper() + text[1:]
    return text


# ── Diagnostics ─────────────────────────────────────────────────────────────

def undefined_acronyms(book: Book):
    """(the acronym, where it is first written) for each acronym a fiche uses that the glossary lacks,
    once per fiche."""
    glossary = book.glossary
    allowed = set(glossary.not_acronyms) | {e.acronym for e in glossary.entries}  # titles are not marked
    reported: set[tuple[str, str]] = set()
    for fiche, text, where in texts_of(book):
        for match in CAPITALS.finditer(text):
            token = match.group(0)
            if token in allowed or NOT_ACRONYMS.fullmatch(token) or (fiche.id, token) in reported:
                continue
            reported.add((fiche.id, token))
            yield token, where


def check_glossary(book: Book) -> list[Diagnostic]:
    glossary = book.glossary
    lines = SourceLines()
    out: list[Diagnostic] = []
    for token, where in undefined_acronyms(book):
        out.append(warning(lines.find(where, token), "undefined-acronym",
                           f"le sigle {token} n'est pas dans le glossaire : ajoutez-le sous « acronyms: » "
                           f"dans {relative(book.root / GLOSSARY_FILE)} ({token}: puis long: …), "
                           "ou à not_acronyms si ce n'est pas un sigle"))
    used = {r.text for f in book.fiches for r in _acronyms(f)}
    for entry in glossary.entries:
        if entry.acronym not in used:
            out.append(warning(entry.location, "unused-glossary-entry",
                               f"le sigle {entry.acronym} n'apparaît dans aucune fiche : retirez-le du glossaire "
                               "ou vérifiez son orthographe"))
        elif entry.verify:
            out.append(info(entry.location, "glossary-to-verify",
                            f"forme développée de {entry.acronym} à confirmer : « {entry.long_form} » "
                            "(retirez « verify: true » une fois vérifiée)"))
    return out


def texts_of(book: Book):
    """(fiche, text, location) for every text run left after marking, titles included."""
    for fiche in book.fiches:
        yield fiche, fiche.title, fiche.location
        for runs, holder in run_sequences(fiche):      # the fiche, a block or a note: all located
            for run in walk_runs(runs):
                if isinstance(run, (Text, IndexMark)):
                    yield fiche, run.text, holder.location


def _acronyms(fiche: Fiche):
    return (run for run in all_runs(fiche) if isinstance(run, Acronym))


# ── The Glossaire page ──────────────────────────────────────────────────────

@dataclass(frozen=True)
class GlossaryRow:
    acronym: str
    long_form: str
    definition: str
    pages: tuple[str, ...]      # (« 12 », « 15–17 »)


def glossary_rows(book: Book, pages_of: dict[str, int]) -> list[GlossaryRow]:
    """Every acronym used, in French alphabetical order, with the pages where it appears."""
    anchors: dict[str, list[str]] = {}
    for fiche in book.fiches:
        for run in _acronyms(fiche):
            anchors.setdefault(run.text, []).append(run.anchor)
    rows = []
    for entry in book.glossary.entries:
        if entry.acronym in anchors:
            pages = sorted({pages_of[a] for a in anchors[entry.acronym] if a in pages_of})
            rows.append(GlossaryRow(entry.acronym, entry.long_form, entry.definition, page_ranges(pages)))
    return sorted(rows, key=lambda row: sort_key(row.acronym))


def page_ranges(pages: list[int]) -> tuple[str, ...]:
    """[3, 4, 5, 9] → (« 3–5 », « 9 »)."""
    groups: list[list[int]] = []
    for page in pages:
        if groups and page == groups[-1][-1] + 1:
            groups[-1].append(page)
        else:
            groups.append([page])
    return tuple(f"{g[0]}–{g[-1]}" if len(g) > 1 else str(g[0]) for g in groups)

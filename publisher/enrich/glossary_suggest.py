"""``publisher glossary --suggest``: glossary entries proposed from the fiches themselves.

A fiche that spells an acronym out says « Bureaux d'accueil des primo-arrivants
(BAPA) » or « le CRILUX (Centre régional d'intégration de la province de
Luxembourg) ». The long form is the shortest run of words before the
parenthesis whose initials give the acronym's letters (small words such as
« de », « la », « d' » do not count).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Book, SourceLocation
from ..tree import plain, run_sequences

LONG_THEN_ACRONYM = re.compile(r"([^()]{3,200}?)\s*\(([A-ZÀ-Þ][A-ZÀ-Þ0-9’'-]+)(?:\s*/[^()]*)?\)")
ACRONYM_THEN_LONG = re.compile(r"(?<![\w’'-])([A-ZÀ-Þ][A-ZÀ-Þ0-9’'-]+)\s*\(([^()]{3,200})\)")
SMALL_WORDS = {"de", "du", "des", "d", "la", "le", "les", "l", "et", "pour", "à", "au", "aux", "en", "sur",
               "un", "une", "dans", "par", "entre"}


@dataclass(frozen=True)
class Suggestion:
    acronym: str
    long_form: str
    location: SourceLocation
    excerpt: str


def suggest(book: Book) -> list[Suggestion]:
    """One proposal per acronym not yet in the glossary, from its first spelled-out use."""
    known = {e.acronym for e in book.glossary.entries}
    out: dict[str, Suggestion] = {}
    for fiche in book.fiches:
        sequences = [(fiche.title, fiche.location)] + [
            (plain(runs), getattr(holder, "location", fiche.location)) for runs, holder in run_sequences(fiche)]
        for text, where in sequences:
            for acronym, long_form, excerpt in spelled_out(text):
                if acronym not in known and acronym not in out:
                    out[acronym] = Suggestion(acronym, long_form, where, excerpt)
    return sorted(out.values(), key=lambda s: s.acronym)


def spelled_out(text: str):
    for match in LONG_THEN_ACRONYM.finditer(text):
        acronym = match.group(2)
        words = re.findall(r"[\w’'-]+", match.group(1))
        for size in range(1, min(len(words), 14) + 1):
            candidate = words[-size:]
            if initials(candidate) == letters(acronym):
                long_form = re.sub(r"^[lLdD][’']", "", _last_words(match.group(1), len(candidate)))
                yield acronym, long_form, f"{long_form} ({acronym})"
                break
    for match in ACRONYM_THEN_LONG.finditer(text):
        acronym, inside = match.group(1), match.group(2).strip()
        if len(letters(acronym)) > 1 and initials(re.findall(r"[\w’'-]+", inside))[:2] == letters(acronym)[:2]:
            yield acronym, inside, match.group(0).strip()


def letters(acronym: str) -> str:
    return re.sub(r"[^A-ZÀ-Þ]", "", acronym.split("’")[0])


def initials(words: list[str]) -> str:
    out = []
    for word in words:
        word = re.sub(r"^[dlDL][’']", "", word)
        for part in word.split("-"):
            if part and part.lower() not in SMALL_WORDS and part[0].isalpha():
                out.append(part[0].upper())
    return "".join(out)


def _last_words(text: str, size: int) -> str:
    """The original text of the last ``size`` words (keeping its apostrophes and spaces)."""
    spans = [m.start() for m in re.finditer(r"[\w’'-]+", text)]
    start = spans[-size]
    return text[start:].strip()


def as_yaml(suggestions: list[Suggestion]) -> str:
    lines = ["# À ajouter sous « acronyms: » dans book/glossary.yaml, après relecture."]
    for s in suggestions:
        lines += [f"  # {s.location} : « {s.excerpt} »", f"  {s.acronym}:", f"    long: \"{s.long_form}\""]
    return "\n".join(lines)

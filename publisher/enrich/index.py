"""The Index: ``book/index.yaml``, occurrences in the fiches, and the printed entries.

``index.yaml``::

    terms:
      Code de la nationalité belge:
        variants: [Code de la nationalité]        # other ways the fiches write it
        see_also: [Parcours d'intégration]
        sub:                                      # optional sub-entries, each with its variants
          réforme de 2012: [réforme du Code de la nationalité]
      Tillieux, Eliane:
        variants: [Eliane Tillieux]
      Nationalité belge:
        see: Code de la nationalité belge        # a « voir » entry only

A term is found wherever the term or a variant is written, on word boundaries,
in the lead, body and notes of every fiche and in its title (its first letter
in either case, any kind of space, straight or curly apostrophe); the longest
match wins, so a sub-entry's variant takes its words from the main entry.
Every acronym of the glossary used in the book is indexed under its long form,
with « ACR, voir Forme longue ». In a fiche, ``{index: Terme}`` or
``{index: Terme > sous-entrée}`` adds an entry at that place by hand.

Page numbers come from the layout (the anchor of each occurrence); a page
where a term appears only in notes is printed « 23 n ».
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field, replace

from ..diagnostics import Diagnostic, info, relative, warning
from ..model import Acronym, Book, Fiche, Footnote, IndexMark, Inline, SourceLocation, Text
from ..source.terms import INDEX_FILE
from ..tree import all_runs, map_fiche, map_leaves, run_sequences, walk_runs
from .collation import initial, sort_key

SPACES = "[\\s\u00a0\u202f]+"


# ── What is indexed: index.yaml, the glossary, the markers ──────────────────

@dataclass
class _Entry:
    term: str
    location: SourceLocation | None
    variants: list[str] = field(default_factory=list)
    see: str = ""
    see_also: list[str] = field(default_factory=list)
    sub: dict[str, "_Entry"] = field(default_factory=dict)


def _entries(book: Book) -> dict[str, _Entry]:
    entries: dict[str, _Entry] = {}
    for term in book.index.terms:
        entry = entries.setdefault(term.term, _Entry(term.term, term.location))
        if not term.see:                                  # a « voir » entry is never looked for
            entry.variants += [term.term, *term.variants]
        entry.see, entry.see_also = term.see, list(term.see_also)
        for sub in term.sub:
            entry.sub[sub.term] = _Entry(sub.term, sub.location, [*sub.variants] or [sub.term])
    used = {run.text for fiche in book.fiches for run in all_runs(fiche) if isinstance(run, Acronym)}
    for acr in book.glossary.entries:
        if acr.acronym in used and acr.index:
            name = capitalised(acr.long_form)
            entries.setdefault(name, _Entry(name, acr.location)).variants += [acr.long_form, acr.plural]
            entries.setdefault(acr.acronym, _Entry(acr.acronym, acr.location, see=name))
    for fiche in book.fiches:
        for run in all_runs(fiche):
            if isinstance(run, IndexMark) and not run.text:     # a marker may name a new term
                entry = entries.setdefault(run.key[0], _Entry(run.key[0], None))
                if len(run.key) > 1:
                    entry.sub.setdefault(run.key[1], _Entry(run.key[1], None))
    return entries


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _fold(text: str) -> str:
    """How a variant is looked up: spaces and apostrophes unified, first letter lowered."""
    text = re.sub(SPACES, " ", text).replace("’", "'")
    return text[:1].lower() + text[1:]


def _variant_pattern(variant: str) -> str:
    out = [f"[{re.escape(variant[0].upper())}{re.escape(variant[0].lower())}]"]
    for char in variant[1:]:
        out.append(SPACES if char.isspace() or char in "\u00a0\u202f" else "['’]" if char in "'’" else re.escape(char))
    return "".join(out)


class _Finder:
    """One pattern for every variant of every entry, longest first."""

    def __init__(self, entries: dict[str, _Entry]):
        self.keys: dict[str, tuple[str, ...]] = {}
        for entry in entries.values():
            for variant in entry.variants:
                if variant:
                    self.keys.setdefault(_fold(variant), (entry.term,))
            for sub in entry.sub.values():
                for variant in sub.variants:
                    self.keys[_fold(variant)] = (entry.term, sub.term)
        variants = sorted(self.keys, key=len, reverse=True)
        self.pattern = (re.compile(r"(?<![\w-])(?:" + "|".join(map(_variant_pattern, variants)) + r")(?![\w])")
                        if variants else None)

    def find(self, text: str):
        if self.pattern is None:
            return
        for match in self.pattern.finditer(text):
            key = self.keys.get(_fold(match.group(0)))
            if key:
                yield match, key


# ── Occurrences in the fiches ───────────────────────────────────────────────

def mark_index(book: Book) -> Book:
    """Each occurrence of a term in a text run becomes an IndexMark with an anchor."""
    finder = _Finder(_entries(book))
    counter = itertools.count(1)

    def split(run: Inline, in_note: bool) -> list[Inline]:
        if isinstance(run, IndexMark):
            return [replace(run, anchor=f"ix-{next(counter)}", in_note=in_note)]
        if not isinstance(run, Text):
            return [run]
        out: list[Inline] = []
        done = 0
        for match, key in finder.find(run.text):
            if match.start() > done:
                out.append(Text(run.text[done:match.start()]))
            out.append(IndexMark(key, match.group(0), f"ix-{next(counter)}", in_note))
            done = match.end()
        if done < len(run.text):
            out.append(Text(run.text[done:]))
        return out

    def fiche(f: Fiche) -> Fiche:
        return map_fiche(f, lambda runs, holder: map_leaves(runs, lambda r: split(r, isinstance(holder, Footnote))))

    return replace(book, fiches=tuple(fiche(f) for f in book.fiches))


def occurrences(book: Book, entries: dict[str, _Entry] | None = None) -> dict[tuple[str, ...], list[tuple[str, bool]]]:
    """Entry key → (anchor, in a note) of each occurrence, fiche titles and acronyms included."""
    entries = entries if entries is not None else _entries(book)
    finder = _Finder(entries)
    redirects = {e.term: e.see for e in entries.values() if e.see}
    found: dict[tuple[str, ...], list[tuple[str, bool]]] = {}
    for fiche in book.fiches:
        for _match, key in finder.find(fiche.title):
            found.setdefault(key, []).append((fiche.anchor, False))
        for runs, holder in run_sequences(fiche):
            for run in walk_runs(runs):
                if isinstance(run, IndexMark):
                    found.setdefault(run.key, []).append((run.anchor, run.in_note))
                elif isinstance(run, Acronym) and run.text in redirects:     # spelled out: from where its name begins
                    places = [f"{run.anchor}-nom", run.anchor] if run.expand else [run.anchor]
                    found.setdefault((redirects[run.text],), []).extend((a, isinstance(holder, Footnote)) for a in places)
    return found


# ── The printed Index ───────────────────────────────────────────────────────

@dataclass(frozen=True)
class PageRef:
    label: str          # « 12 », « 12–14 », « 17 n »
    anchor: str         # where a click on it leads


@dataclass(frozen=True)
class IndexRow:
    term: str
    pages: tuple[PageRef, ...] = ()
    see: str = ""
    see_also: tuple[str, ...] = ()
    sub: tuple["IndexRow", ...] = ()


@dataclass(frozen=True)
class IndexLetter:
    letter: str
    rows: tuple[IndexRow, ...]


@dataclass(frozen=True)
class Found:
    """The Index's entries and where the book has each: what a layout prints again and again, with other pages."""

    entries: dict[str, _Entry]
    places: dict[tuple[str, ...], list[tuple[str, bool]]]


def found_in(book: Book) -> Found:
    entries = _entries(book)
    return Found(entries, occurrences(book, entries))


def index_letters(book: Book, pages_of: dict[str, int], places=None, found: Found | None = None) -> list[IndexLetter]:
    """The Index in French alphabetical order, under letter headings. ``places``: an entry's occurrences
    (anchor, in a note) → its references; by default the pages of ``pages_of`` (:func:`page_refs`);
    ``found``: the book's entries and their occurrences (:func:`found_in`), when they are known already."""
    places = places or (lambda found_: page_refs(found_, pages_of))
    known = found or found_in(book)
    entries, found_ = known.entries, known.places
    rows = []
    for entry in entries.values():
        subs = tuple(sorted((IndexRow(s.term, places(found_.get((entry.term, s.term), [])))
                             for s in entry.sub.values() if found_.get((entry.term, s.term))),
                            key=lambda r: sort_key(r.term)))
        refs = places(found_.get((entry.term,), []))
        if refs or subs or entry.see:
            rows.append(IndexRow(entry.term, refs, entry.see, tuple(entry.see_also), subs))
    rows.sort(key=lambda r: sort_key(r.term))
    return [IndexLetter(letter, tuple(group)) for letter, group in itertools.groupby(rows, key=lambda r: initial(r.term))]


def page_refs(occurrences_: list[tuple[str, bool]], pages_of: dict[str, int]) -> tuple[PageRef, ...]:
    """Pages, deduplicated and sorted; consecutive text pages as ranges; note-only pages « n »."""
    first_anchor: dict[int, str] = {}
    in_text: set[int] = set()
    for anchor, in_note in occurrences_:
        page = pages_of.get(anchor)
        if page is None:
            continue
        first_anchor.setdefault(page, anchor)
        if not in_note:
            in_text.add(page)
    refs: list[PageRef] = []
    run: list[int] = []

    def close():
        if run:
            label = f"{run[0]}–{run[-1]}" if len(run) > 1 else str(run[0])
            refs.append(PageRef(label, first_anchor[run[0]]))
            run.clear()

    for page in sorted(first_anchor):
        if page not in in_text:
            close()
            refs.append(PageRef(f"{page}\u00a0n", first_anchor[page]))
        elif run and page == run[-1] + 1:
            run.append(page)
        else:
            close()
            run.append(page)
    close()
    return tuple(refs)


# ── Diagnostics ─────────────────────────────────────────────────────────────

def check_index(book: Book) -> list[Diagnostic]:
    known = found_in(book)
    entries, found = known.entries, known.places
    out: list[Diagnostic] = []
    for entry in entries.values():
        where = entry.location or book.index.location or SourceLocation(relative(book.root / INDEX_FILE), 1)
        for target in ([entry.see] if entry.see else []) + entry.see_also:
            if target not in entries:
                out.append(warning(where, "index-see-unknown",
                                   f"« {entry.term} » renvoie à « {target} », qui n'est pas un terme de l'index : "
                                   f"corrigez le renvoi ou ajoutez « {target}: » sous terms dans {INDEX_FILE}"))
        if not entry.see and not found.get((entry.term,)) and not any(found.get((entry.term, s)) for s in entry.sub):
            out.append(info(where, "index-term-not-found",
                            f"« {entry.term} » n'apparaît dans aucune fiche : il ne sera pas dans l'index ; "
                            "ajoutez la forme utilisée dans les fiches à ses variants"))
    return out

"""The book's lists of words: ``glossary.yaml`` (the acronyms) and ``index.yaml`` (the Index's terms),
read into the model, typeset as the fiches' text is (so that they match it), every entry with its line.
How they are used: :mod:`publisher.enrich.glossary` and :mod:`publisher.enrich.index`.
"""

from __future__ import annotations

from pathlib import Path

from ..diagnostics import PublisherError, error
from ..memo import Memo, Once
from ..model import Glossary, GlossaryEntry, Index, IndexTerm, SourceLocation, relative
from ..typography import typeset_text
from .yamlfile import load_mapping, read_text

GLOSSARY_FILE = "glossary.yaml"
INDEX_FILE = "index.yaml"


# ── Reading glossary.yaml ───────────────────────────────────────────────────

def load_glossary(root: Path, memo: Memo | None = None) -> Glossary:
    """``memo``: a warm process reads the file again at every edit, and parses it only when it changed."""
    path = Path(root) / GLOSSARY_FILE
    if not path.is_file():
        return Glossary()
    shown = relative(path)
    return (memo or Once())(glossary_of, read_text(path, shown), shown)


def glossary_of(text: str, shown: str) -> Glossary:
    m = load_mapping(text, shown)
    acronyms = m.get("acronyms", {}) or {}
    if not isinstance(acronyms, dict):
        raise PublisherError(error(m.at("acronyms"), "bad-value",
                                   "« acronyms » doit lister des sigles, chacun avec « long: forme développée »"))
    entries = []
    for acronym, value in acronyms.items():
        where = m.at(f"acronyms.{acronym}")
        if isinstance(value, str):
            value = {"long": value}
        if not isinstance(value, dict) or not isinstance(value.get("long"), str) or not value["long"].strip():
            raise PublisherError(error(where, "bad-value", f"le sigle {acronym} n'a pas de forme développée : "
                                       "ajoutez une ligne « long: … » sous lui"))
        unknown = set(value) - {"long", "plural", "definition", "verify", "expand", "index"}
        if unknown:
            raise PublisherError(error(where, "unknown-key", f"clé « {sorted(unknown)[0]} » inconnue pour {acronym} ; "
                                       "clés possibles : long, plural, definition, verify, expand, index"))
        entries.append(GlossaryEntry(typeset_text(str(acronym)), typeset_text(value["long"].strip()), where,
                                     typeset_text(str(value.get("plural") or "")),
                                     typeset_text(str(value.get("definition") or "")), bool(value.get("verify")),
                                     bool(value.get("expand", True)), bool(value.get("index", True))))
    others = m.get("not_acronyms", []) or []
    if not isinstance(others, list):
        raise PublisherError(error(m.at("not_acronyms"), "bad-value",
                                   "« not_acronyms » doit être une liste, par ex. [URBAN]"))
    return Glossary(tuple(entries), tuple(str(o) for o in others), SourceLocation(m.path, 1))


# ── Reading index.yaml ──────────────────────────────────────────────────────

def load_index(root: Path, memo: Memo | None = None) -> Index:
    path = Path(root) / INDEX_FILE
    if not path.is_file():
        return Index()
    shown = relative(path)
    return (memo or Once())(index_of, read_text(path, shown), shown)


def index_of(text: str, shown: str) -> Index:
    m = load_mapping(text, shown)
    terms = m.get("terms", {}) or {}
    if not isinstance(terms, dict):
        raise PublisherError(error(m.at("terms"), "bad-value",
                                   "« terms » doit lister des termes, chacun suivi de « : »"))
    return Index(tuple(_term(str(name), value, m.at(f"terms.{name}"), m, f"terms.{name}")
                       for name, value in terms.items()), SourceLocation(m.path, 1))


def _term(name: str, value, where: SourceLocation, m, key: str) -> IndexTerm:
    if value is None:
        value = {}
    if isinstance(value, list):            # « terme: [variante, …] »
        value = {"variants": value}
    if not isinstance(value, dict):
        raise PublisherError(error(where, "bad-value", f"« {name} » : écrivez ses variantes entre crochets "
                                   "[…] ou des clés variants, sub, see, see_also"))
    unknown = set(value) - {"variants", "sub", "see", "see_also"}
    if unknown:
        raise PublisherError(error(where, "unknown-key", f"clé « {sorted(unknown)[0]} » inconnue pour « {name} » ; "
                                   "clés possibles : variants, sub, see, see_also"))
    variants, see_also, sub = value.get("variants") or [], value.get("see_also") or [], value.get("sub") or {}
    if not isinstance(variants, list) or not isinstance(see_also, list) or not isinstance(sub, dict):
        raise PublisherError(error(where, "bad-value", f"« {name} » : variants et see_also sont des listes [a, b], "
                                   "sub une liste de sous-entrées « nom: [variantes] »"))
    return IndexTerm(
        typeset_text(name), tuple(typeset_text(str(v)) for v in variants), where,
        tuple(_term(str(s), v, m.at(f"{key}.sub.{s}"), m, f"{key}.sub.{s}") for s, v in sub.items()),
        typeset_text(str(value.get("see") or "")), tuple(typeset_text(str(s)) for s in see_also))

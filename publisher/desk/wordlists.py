"""The book's lists of words in the desk: the glossary as a table (sigle, forme développée, pluriel,
« à confirmer »), each finding of ``check`` on it beside its row; the index's terms with their
variants and sub-entries. A row changed by someone else since the page was opened is not written
over (said, and what was typed stays in the page); each save is one commit."""

from __future__ import annotations

import asyncio
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from starlette.requests import Request
from starlette.responses import RedirectResponse

from ..atomic import write_atomically
from ..build import prepare
from ..enrich.glossary import undefined_acronyms
from ..model import Book
from ..diagnostics import PublisherError
from ..source.terms import GLOSSARY_FILE, INDEX_FILE
from ..source.yamlfile import load_yaml_file
from ..source.yamledit import BARE, REMOVE, UnreadableFront, rewrite_at
from .messages import for_the_desk
from .pages import Refused, desk_of, posted, render
from .signed import record, signed

ON_THE_TABLE = {               # what a finding asks, said as the table does it
    "glossary-to-verify": "forme développée à confirmer : une fois vérifiée, décochez « À confirmer » sur sa ligne",
}
SIGLE = re.compile(r"^[A-ZÀ-Ý0-9][A-Za-zÀ-ÿ0-9.&'’-]*$")


@dataclass
class Row:
    key: str
    values: list                                # what the row shows
    was: list                                   # what the file had when the page was made
    line: int = 0
    findings: list[str] = field(default_factory=list)


def read(path: Path, top: str) -> tuple[str, dict]:
    """The file's text and its mapping under ``top`` (« acronyms », « terms »)."""
    if not path.is_file():
        return f"{top}:\n", {}
    try:
        values = load_yaml_file(path).get(top) or {}
    except PublisherError as unreadable:
        said = unreadable.diagnostics[0]
        raise Refused(409, "Fichier illisible", f"{path.name} ne se lit pas, ligne {said.location.line} : "
                      f"{for_the_desk(said.message)}") from None
    return path.read_text(encoding="utf-8-sig"), values if isinstance(values, dict) else {}


def lines_of(text: str, top: str) -> dict[str, int]:
    node = yaml.compose(text, Loader=yaml.SafeLoader)
    for key, value in (node.value if isinstance(node, yaml.MappingNode) else []):
        if key.value == top and isinstance(value, yaml.MappingNode):
            return {str(k.value): k.start_mark.line + 1 for k, _ in value.value}
    return {}


def findings(request: Request, name: str) -> tuple[dict[int, list[str]], Book | None]:
    """``check``'s findings on the file, by line (the file as it is now, not as the last proof saw it);
    and the book they were found in (None when it does not load)."""
    try:
        book, diagnostics = prepare(desk_of(request).root)
    except PublisherError as failed:
        book, diagnostics = None, list(failed.diagnostics)
    by_line: dict[int, list[str]] = {}
    for d in diagnostics:
        if Path(d.location.path).name == name:
            by_line.setdefault(d.location.line, []).append(ON_THE_TABLE.get(d.code) or for_the_desk(d.message))
    return by_line, book


def shown_rows(fields):
    """Each row of the table as the page sent it: its key, and its values when the page was made
    (``was:KEY``, what another person's change since then is told by)."""
    for name in fields.keys():
        if name.startswith("was:"):
            yield name[4:], json.loads(str(fields[name]))


def changed_meanwhile(what: str) -> str:
    return f"{what} a été modifié par quelqu'un d'autre depuis que vous avez ouvert la page : rouvrez-la, et " \
        "refaites votre changement"


def write(request: Request, path: Path, text: str, what: list[str], subject: str) -> None:
    """The file as the changes made it, one commit (its text read again under the lock: a row another
    person changed meanwhile is said, not written)."""
    write_atomically(path, text.encode("utf-8"))
    record(request, " ; ".join(what), [], [path], subject=subject)


# ── The glossary ────────────────────────────────────────────────────────────

def glossary_row(sigle: str, value) -> list:
    value = {"long": value} if isinstance(value, str) else value if isinstance(value, dict) else {}
    return [str(value.get("long") or ""), str(value.get("plural") or ""), bool(value.get("verify"))]


def glossary_page(request: Request, status: int = 200, rows: list[Row] | None = None, problems=(), new=None):
    root = desk_of(request).root
    text, acronyms = read(root / GLOSSARY_FILE, "acronyms")
    at, book = findings(request, GLOSSARY_FILE)
    lines = lines_of(text, "acronyms")
    if rows is None:
        rows = [Row(s, glossary_row(s, v), glossary_row(s, v)) for s, v in acronyms.items()]
    for row in rows:
        row.line = lines.get(row.key, 0)
        row.findings = at.get(row.line, [])
    missing = sorted({token for token, _ in undefined_acronyms(book)}) if book else []
    return render(request, "glossaire.html.j2", status, rows=rows, problems=list(problems), missing=missing,
                  new=new or [request.query_params.get("sigle", ""), "", "", False],
                  saved=request.query_params.get("enregistre") == "1")


async def save_glossary(request: Request):
    fields = await posted(request)
    path = desk_of(request).root / GLOSSARY_FILE

    def apply():
        with signed(request, request.app.state.locks.fiche(GLOSSARY_FILE)):
            text, acronyms = read(path, "acronyms")
            rows, problems, what = [], [], []
            changes: dict[str, dict] = {}
            for sigle, was in shown_rows(fields):
                mine = [str(fields.get(f"long:{sigle}", "")).strip(), str(fields.get(f"plural:{sigle}", "")).strip(),
                        fields.get(f"verify:{sigle}") == "1"]
                rows.append(Row(sigle, mine, was))
                if mine == was:
                    continue
                if sigle not in acronyms or glossary_row(sigle, acronyms[sigle]) != was:
                    problems.append(changed_meanwhile(sigle))
                elif not mine[0]:
                    problems.append(f"{sigle} : la forme développée ne peut pas rester vide")
                else:
                    changes[sigle] = {"long": mine[0], "plural": mine[1] or REMOVE, "verify": True if mine[2] else REMOVE}
                    confirmed = was[2] and not mine[2] and mine[:2] == was[:2]
                    what.append(f"{sigle} confirmé" if confirmed else f"{sigle} modifié")
            new = [str(fields.get("new-sigle", "")).strip(), str(fields.get("new-long", "")).strip(),
                   str(fields.get("new-plural", "")).strip(), fields.get("new-verify") == "1"]
            if new[0] or new[1]:
                if not SIGLE.match(new[0]):
                    problems.append(f"« {new[0]} » n'est pas un sigle (des capitales, sans espace)")
                elif new[0] in acronyms:
                    problems.append(f"{new[0]} est déjà dans le glossaire : changez sa ligne")
                elif not new[1]:
                    problems.append(f"{new[0]} : écrivez sa forme développée")
                else:
                    changes[new[0]] = {k: v for k, v in zip(("long", "plural", "verify"), new[1:]) if v}
                    what.append(f"{new[0]} ajouté")
            if problems:
                return glossary_page(request, 409, rows, problems, new)
            order = tuple(sorted({*acronyms, *changes}))
            try:
                for sigle, change in changes.items():
                    if isinstance(acronyms.get(sigle), dict):       # its other keys (definition, index) kept
                        text = rewrite_at(text, ("acronyms", sigle), change)
                    else:                                           # new, or written « SIGLE: forme »
                        whole = {k: v for k, v in change.items() if v is not REMOVE}
                        text = rewrite_at(text, ("acronyms",), {sigle: whole}, order)
            except UnreadableFront:
                raise Refused(409, "Glossaire illisible", "glossary.yaml n'est pas une liste de sigles") from None
            if what:
                write(request, path, text, what, "Glossaire")
        return RedirectResponse("/glossaire?enregistre=1", status_code=303)
    return await asyncio.to_thread(apply)


# ── The index ───────────────────────────────────────────────────────────────

def variants_of(value) -> list[str]:
    if isinstance(value, list):
        return [str(v) for v in value]
    return [str(v) for v in (value.get("variants") or [])] if isinstance(value, dict) else []


def subs_of(value) -> dict[str, list[str]]:
    sub = value.get("sub") if isinstance(value, dict) else None
    return {str(k): variants_of(v) for k, v in sub.items()} if isinstance(sub, dict) else {}


def index_row(value) -> dict:
    return {"variants": variants_of(value), "sub": subs_of(value),
            "see": str(value.get("see") or "") if isinstance(value, dict) else "",
            "see_also": [str(s) for s in value.get("see_also") or []] if isinstance(value, dict) else []}


def split_list(said: str) -> list[str]:
    return [v.strip() for v in said.split(";") if v.strip()]


def index_page(request: Request, status: int = 200, problems=()):
    root = desk_of(request).root
    text, terms = read(root / INDEX_FILE, "terms")
    at, _ = findings(request, INDEX_FILE)
    lines = lines_of(text, "terms")
    rows = [Row(name, index_row(v), index_row(v), lines.get(name, 0), at.get(lines.get(name, 0), []))
            for name, v in terms.items()]
    return render(request, "index.html.j2", status, rows=rows, problems=list(problems),
                  saved=request.query_params.get("enregistre") == "1")


async def save_index(request: Request):
    fields = await posted(request)
    path = desk_of(request).root / INDEX_FILE

    def apply():
        with signed(request, request.app.state.locks.fiche(INDEX_FILE)):
            text, terms = read(path, "terms")
            problems, what = [], []
            for k, was in shown_rows(fields):
                name = str(fields.get(f"name:{k}", ""))
                mine = {"variants": split_list(str(fields.get(f"variants:{k}", ""))),
                        "sub": {s: split_list(str(fields.get(f"sub:{k}:{j}", "")))
                                for j, s in enumerate(was["sub"])}}
                if mine["variants"] == was["variants"] and mine["sub"] == was["sub"]:
                    continue
                if name not in terms or index_row(terms[name]) != was:
                    problems.append(changed_meanwhile(f"« {name} »"))
                    continue
                text = term_written(text, name, terms[name], mine["variants"], mine["sub"])
                what.append(f"« {name} » modifié")
            name = str(fields.get("new-term", "")).strip()
            parent = str(fields.get("new-parent", "")).strip()
            if name:
                variants = split_list(str(fields.get("new-variants", "")))
                if parent and parent not in terms:
                    problems.append(f"« {parent} » n'est pas un terme de l'index")
                elif parent:
                    subs = {**subs_of(terms[parent]), name: variants}
                    text = term_written(text, parent, terms[parent], variants_of(terms[parent]), subs)
                    what.append(f"« {parent} — {name} » ajouté")
                elif name in terms:
                    problems.append(f"« {name} » est déjà dans l'index : changez sa ligne")
                else:
                    order = tuple(sorted({*terms, name}, key=str.casefold))
                    text = rewrite_at(text, ("terms",), {name: variants or BARE}, order)
                    what.append(f"« {name} » ajouté")
            if problems:
                return index_page(request, 409, problems)
            if what:
                write(request, path, text, what, "Index")
        return RedirectResponse("/index?enregistre=1", status_code=303)
    return await asyncio.to_thread(apply)


def term_written(text: str, name: str, value, variants: list[str], subs: dict[str, list[str]]) -> str:
    """The term with these variants and sub-entries; its other keys (see, see_also) as they were."""
    if isinstance(value, dict):
        text = rewrite_at(text, ("terms", name), {"variants": variants or REMOVE})
        return rewrite_at(text, ("terms", name, "sub"), {s: v or BARE for s, v in subs.items()}) if subs else text
    whole = {**({"variants": variants} if variants else {}), "sub": {s: v or BARE for s, v in subs.items()}} \
        if subs else (variants or BARE)
    return rewrite_at(text, ("terms",), {name: whole})

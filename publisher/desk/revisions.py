"""A fiche's history: each version, who made it and when, and the words added and removed (as the
proof's change marks show them); any version restored by a new commit (nothing rewritten). A fiche
taken out of the book keeps its history here, and is put back the same way."""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from pathlib import Path

from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse

from ..atomic import write_atomically
from ..source import fichefile
from .history import HistoryError, Version, word_changes
from .pages import Refused, desk_of, posted, render
from .shelf import put_in_order
from .signed import record, signed

SHOWN = 40                      # versions on the page: a year of saves is for git log
COMMIT = re.compile(r"^[0-9a-f]{40}$")


@dataclass(frozen=True)
class Shown:
    version: Version
    changes: list[tuple[str, str]] | None     # None: the fiche's first version, or taken out
    state: str                                # "", "créée", "retirée", "remise"


def fiche_file(request: Request) -> Path:
    fiche_id = request.path_params["id"]
    if not fichefile.ID.match(fiche_id):
        raise Refused(404, "Fiche introuvable", f"« {fiche_id} » n'est pas un nom de fiche")
    return desk_of(request).root / "fiches" / f"{fiche_id}.md"


def history_page(request: Request):
    path = fiche_file(request)
    history = request.app.state.history
    try:
        versions = history.versions(path, last=SHOWN + 1)
    except HistoryError as refused:
        raise Refused(503, "Historique illisible", str(refused)) from None
    if not versions and not path.is_file():
        return PlainTextResponse("Fiche introuvable.", status_code=404)
    texts = [history.text_at(v.commit, path) for v in versions]
    shown = []
    for k, version in enumerate(versions[:SHOWN]):
        new, old = texts[k], texts[k + 1] if k + 1 < len(texts) else None
        if new is None:
            shown.append(Shown(version, None, "retirée"))
        elif old is None:                       # its first version, or put back after it was taken out
            shown.append(Shown(version, None, "remise" if k + 1 < len(texts) else "créée"))
        else:
            shown.append(Shown(version, word_changes(old, new), ""))
    title = fichefile.split(next((t for t in texts if t), "")).values().get("title") or path.stem
    return render(request, "historique.html.j2", fiche=path.stem, title=title, versions=shown, present=path.is_file(),
                  restored=request.query_params.get("retablie") == "1")


async def restore(request: Request):
    """The version asked for, written as the fiche's text: a new commit under who asked."""
    fields = await posted(request)
    path = fiche_file(request)
    commit = str(fields.get("version", ""))
    if not COMMIT.match(commit):
        raise Refused(400, "Version inconnue", "cette version n'est pas dans l'historique de la fiche")

    def write():
        history = request.app.state.history
        with signed(request, request.app.state.locks.fiche(path.stem)):
            text = history.text_at(commit, path)
            if text is None:
                raise Refused(404, "Version inconnue", "cette version n'est pas dans l'historique de la fiche")
            [when] = [v.when for v in history.versions(path, last=SHOWN * 10) if v.commit == commit] or [""]
            was_out = not path.is_file()
            write_atomically(path, text.encode("utf-8"))
            changed = [path]
            if was_out:
                changed += put_in_order(desk_of(request).root, path.stem)
            record(request, "remise dans le livre" if was_out else f"version du {when} rétablie", [path.stem], changed)
        return RedirectResponse(f"/fiches/{path.stem}/historique?retablie=1", status_code=303)
    try:
        return await asyncio.to_thread(write)
    except HistoryError as refused:
        raise Refused(503, "Rien n'est rétabli", str(refused)) from None

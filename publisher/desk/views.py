"""The desk's own views: the book's pages, the questions, the fiches and their editor, the live state.

A handler that reads the book (``load_book``, a fiche's file) is a plain function: Starlette runs it
in its thread pool, and the other tabs go on meanwhile.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import replace
from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, RedirectResponse, Response, StreamingResponse

from ..diagnostics import relative
from ..paths import LAYOUTS
from . import annotated
from .editing import from_fields, label, open_form, save
from .merging import sides as two_sides
from .presence import said
from .threads import nested, resolved
from .messages import for_the_desk
from .pages import Refused, book, config, desk_of, posted, render
from .history import HistoryError
from .signed import record, signed

ASSETS = {"desk.js": "text/javascript", "reader.js": "text/javascript", "desk.css": "text/css"}
BEAT_SECONDS = 15.0              # an event stream says it is still there this often
LOOK_SECONDS = 0.25              # how often it looks for a new state (no thread held per tab)


def home(request: Request):
    return RedirectResponse("/livre", status_code=303)


def questions(request: Request):
    """The open questions and marks, each reply under its question, and the annotations of proofs sent
    but not yet written (filtered by fiche, by person); or the questions resolved (``?etat=resolues``)."""
    desk = desk_of(request)
    result = desk.shown.result
    fiche_asked, person_asked = request.query_params.get("fiche", ""), request.query_params.get("personne", "")
    items = []
    for q in (result.questions if result else ()):
        where = relative(Path(q.location.path), desk.root)
        fiche = Path(where).stem if where.startswith("fiches/") else ""
        items.append({"q": q, "text": for_the_desk(q.text), "where": f"{where}:{q.location.line}", "fiche": fiche,
                      "page": q.page, "line": q.line, "thread": q.code.startswith("critic-") and bool(fiche)})
    listed = [item for item in nested(items, desk.root) if (not fiche_asked or item["fiche"] == fiche_asked) and
              (not person_asked or any(f"— {person_asked}" in i["q"].text for i in [item, *item["replies"]]))]
    copies, done = annotated.waiting(desk.root)
    received = [(copy, rows) for copy in copies
                if (rows := [r for r in copy.left(done) if (not fiche_asked or r["fiche"] == fiche_asked) and
                             (not person_asked or person_asked in (r["author"], copy.sender))])]
    closed = [e for e in resolved(request) if not fiche_asked or fiche_asked in e.fiches]
    return render(request, "questions.html.j2", listed=listed, received=received, closed=closed, fiche=fiche_asked,
                  who=person_asked, state=request.query_params.get("etat", "ouvertes"))


def fiches(request: Request):
    desk = desk_of(request)
    loaded = book(request)
    counts: dict[str, int] = {}
    result = desk.shown.result
    for q in (result.questions if result else ()):
        counts[Path(q.location.path).stem] = counts.get(Path(q.location.path).stem, 0) + 1
    listed = list(loaded.fiches) if loaded else []
    known = {f.id for f in listed}
    others = sorted(p.stem for p in (desk.root / "fiches").glob("*.md") if p.stem not in known)
    try:
        removed = request.app.state.history.removed(desk.root / "fiches")
    except HistoryError:
        removed = {}
    return render(request, "fiches.html.j2", fiches=listed, others=others, counts=counts, loaded=loaded is not None,
                  removed=removed)


def fiche(request: Request):
    form = open_form(desk_of(request).root, request.path_params["id"])
    if form is None:
        return PlainTextResponse("Fiche introuvable.", status_code=404)
    return editor(request, form)


def editor(request: Request, form, status: int = 200):
    saved = status == 200 and request.query_params.get("enregistre") == "1"
    line = request.query_params.get("ligne", "")
    last = request.app.state.journal.entries(form.id, last=1)
    sides = {}
    if form.conflict:
        history = request.app.state.history
        newest = history.versions(desk_of(request).root / "fiches" / f"{form.id}.md", last=1)
        theirs, ours = two_sides(form.conflict)
        sides = {"other": newest[0].name if newest else "quelqu'un d'autre", "theirs_lines": theirs, "ours_lines": ours}
    return render(request, "fiche.html.j2", status, form=form, config=config(request), label=label, saved=saved,
                  refusal=status != 200, line=int(line) if line.isdigit() else 0, body_line=form.body_line,
                  last=last[0] if last else None, **sides)


def journal(request: Request):
    return render(request, "journal.html.j2", entries=request.app.state.journal.entries())


async def save_fiche(request: Request):
    desk = desk_of(request)
    fiche_id = request.path_params["id"]
    try:
        fields = await posted(request)
    except Refused as refusal:             # the text could not be read: the fiche as it is, and why
        form = await asyncio.to_thread(open_form, desk.root, fiche_id)
        if form is None or refusal.status != 413:
            raise
        return await asyncio.to_thread(editor, request, replace(form, problem=refusal.problem), 413)

    def write():
        try:
            return signed_save()
        except HistoryError as refused:       # git cannot record it: nothing written, the text kept
            form = replace(from_fields(fiche_id, fields, config(request)), problem=f"rien n'est enregistré : {refused}",
                           disk=True)
            return editor(request, form, status=503)

    def signed_save():
        with signed(request, request.app.state.locks.fiche(fiche_id)):   # two saves of one fiche: one after the other
            form = save(desk.root, from_fields(fiche_id, fields, config(request)))
            if form.problem:
                return editor(request, form, status=503 if form.disk else 409)
            if form.changed:
                merged = " (fusionné avec la version enregistrée entre-temps)" if form.merged else ""
                record(request, "texte modifié" + merged, [form.id], [desk.root / "fiches" / f"{form.id}.md"])
        return RedirectResponse(f"/fiches/{form.id}?enregistre=1", status_code=303)
    return await asyncio.to_thread(write)


async def events(request: Request):
    """The book's state each time it changes; from an editor (``?fiche=``), who else has that fiche open."""
    desk, presence, person = desk_of(request), request.app.state.presence, request.state.person
    fiche = request.query_params.get("fiche", "")
    here = presence.enter(fiche, person) if fiche and person is not None else None

    async def stream():
        version, quiet, others = -1, 0.0, ""
        try:
            while desk.running and not await request.is_disconnected():
                shown = desk.shown
                now = said(presence.others(fiche, person)) if here is not None else ""
                if now != others:
                    others = now
                    yield f"event: presence\ndata: {json.dumps({'said': now})}\n\n"
                if shown.version != version:
                    version, quiet = shown.version, 0.0
                    yield f"data: {json.dumps(state_of(shown))}\n\n"
                elif quiet >= BEAT_SECONDS:
                    quiet = 0.0
                    yield ": encore là\n\n"
                await asyncio.sleep(LOOK_SECONDS)
                quiet += LOOK_SECONDS
        finally:
            if here is not None:
                presence.leave(here)
    return StreamingResponse(stream(), media_type="text/event-stream", headers={"Cache-Control": "no-store"})


def state(request: Request):
    return Response(json.dumps(state_of(desk_of(request).shown)), media_type="application/json")


def asset(request: Request):
    name = request.path_params["name"]
    if name not in ASSETS:
        return PlainTextResponse("Introuvable.", status_code=404)
    return FileResponse(LAYOUTS / "desk" / name, media_type=ASSETS[name])


def state_of(shown) -> dict:
    return {"version": shown.version, "drawn": shown.drawn, "building": shown.building, "status": shown.status,
            "pages": shown.pages, "refused": len(shown.refused), "seconds": round(shown.seconds, 1),
            "saved_at": shown.saved_at, "stamps": list(shown.stamps)}

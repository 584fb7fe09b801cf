"""The board of the fiches (``/tableau``): a column for each stage of a fiche — « à écrire » to
« prête », its ``status:`` — each card with its open questions and its last change; the editors and
the coordination move a card, which writes the stage into the fiche (one commit)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from starlette.requests import Request
from starlette.responses import RedirectResponse

from ..atomic import write_atomically
from ..diagnostics import PublisherError
from ..model import STAGES
from ..source import fichefile
from .editing import fiche_path
from .history import HistoryError
from .pages import Refused, desk_of, posted, render
from .signed import label_of, record, signed

NONE = "sans étape"


def board_page(request: Request):
    desk = desk_of(request)
    open_questions: dict[str, int] = {}
    for q in (desk.shown.result.questions if desk.shown.result else ()):
        stem = Path(q.location.path).stem
        open_questions[stem] = open_questions.get(stem, 0) + 1
    try:
        latest = request.app.state.history.latest(desk.root / "fiches")
    except HistoryError:
        latest = {}
    columns: dict[str, list[dict]] = {stage: [] for stage in (NONE, *STAGES)}
    for path in sorted((desk.root / "fiches").glob("*.md")):
        try:
            status = str(fichefile.read(path, path.name).values().get("status") or "").strip()
        except PublisherError:
            status = ""
        columns[status if status in STAGES else NONE].append(
            {"id": path.stem, "label": label_of(desk.root, path.stem), "stage": status if status in STAGES else "",
             "questions": open_questions.get(path.stem, 0), "last": latest.get(path.stem)})
    shown = {stage: cards for stage, cards in columns.items() if cards or stage != NONE}
    return render(request, "tableau.html.j2", columns=shown, stages=STAGES)


async def move(request: Request):
    """A card to another column: the fiche's ``status:`` written, the rest of it as it was."""
    fields = await posted(request)
    root = desk_of(request).root
    fiche_id, stage = str(fields.get("fiche", "")), str(fields.get("etape", ""))
    path = fiche_path(root, fiche_id)
    if path is None:
        raise Refused(404, "Fiche introuvable", f"il n'y a pas de fiche « {fiche_id} »")
    if stage not in STAGES:
        raise Refused(400, "Étape inconnue", f"l'étape d'une fiche est l'une de : {', '.join(STAGES)}")

    def write():
        with signed(request, request.app.state.locks.fiche(fiche_id)):
            current = fichefile.read(path, fiche_id)
            try:
                text = fichefile.rewrite(current, {"status": stage})
            except fichefile.UnreadableFront:
                raise Refused(409, "Fiche illisible", "l'en-tête de la fiche ne se lit pas : corrigez-le dans son "
                              "éditeur d'abord") from None
            if text != current.text:
                write_atomically(path, text.encode("utf-8"))
                record(request, f"étape « {stage} »", [fiche_id], [path])
        return RedirectResponse(f"/tableau#carte-{fiche_id}", status_code=303)
    return await asyncio.to_thread(write)


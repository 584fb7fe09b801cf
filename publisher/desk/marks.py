"""A proofreader's mark made on the desk's pages, as on paper: the words it covers (or the point it is
at) found through the proof's map, then written into the fiche by the very code of ``publisher
collect --apply`` — a mark is an annotation that did not go through a PDF reader. One commit per
mark, under the proofreader's name.

The page sends ``{"page": N, "kind": …, "boxes": [[x0, y0, x1, y1], …], "text": "…"}``: ``page`` the
proof's page from 1, the boxes in its PDF user space (points, y upwards), as an annotation's quads."""

from __future__ import annotations

import asyncio
import json
import math
import secrets
import time

from starlette.requests import Request
from starlette.responses import JSONResponse

from ..collect import Collected, findings
from ..collect.apply import apply
from ..collect.read import Annotation, Box
from ..diagnostics import PublisherError, Severity, relative
from ..model import SourceLocation
from ..proof import trail
from .guard import csrf_ok
from .history import HistoryError
from .pages import desk_of
from .signed import record, signed

# what the page asks → the annotation a PDF reader would have written
KINDS = {"comment": "highlight", "highlight": "highlight", "delete": "strikeout", "replace": "strikeout",
         "insert": "caret", "note": "note"}
SAID = {"comment": "commentaire", "highlight": "surlignage", "delete": "suppression", "replace": "remplacement",
        "insert": "insertion", "note": "note en marge"}
WITH_TEXT = {"comment", "replace", "insert", "note"}
MOST_BOXES = 500
MOST_TEXT = 10_000
SHOWN_AS = "bureau"                     # the « copy » the marks come from, in collect's terms


class NotWritten(Exception):
    def __init__(self, status: int, problem: str):
        super().__init__(problem)
        self.status, self.problem = status, problem


def checked(data, pages: int) -> tuple[int, str, list[Box], str]:
    """The mark as sent, or why it will not do."""
    if not isinstance(data, dict):
        raise NotWritten(400, "la marque envoyée n'est pas un objet JSON")
    page, kind, boxes, text = data.get("page"), data.get("kind"), data.get("boxes"), data.get("text", "")
    if not isinstance(page, int) or not 1 <= page <= pages:
        raise NotWritten(400, f"« page » doit être une page de l'épreuve, de 1 à {pages}")
    if kind not in KINDS:
        raise NotWritten(400, f"« kind » doit être l'un de : {', '.join(KINDS)}")
    if not isinstance(text, str) or len(text) > MOST_TEXT:
        raise NotWritten(400, f"« text » doit être un texte de {MOST_TEXT} caractères au plus")
    if kind in WITH_TEXT and not text.strip():
        raise NotWritten(400, "écrivez le texte de la marque")
    if not isinstance(boxes, list) or not 0 < len(boxes) <= MOST_BOXES or not all(
            isinstance(b, list) and len(b) == 4 and all(isinstance(v, (int, float)) and math.isfinite(v) for v in b)
            for b in boxes):
        raise NotWritten(400, f"« boxes » doit lister de 1 à {MOST_BOXES} rectangles [x0, y0, x1, y1]")
    return page, kind, [Box(min(b[0], b[2]), min(b[1], b[3]), max(b[0], b[2]), max(b[1], b[3])) for b in boxes], \
        " ".join(text.split())


def annotations(page: int, kind: str, boxes: list[Box], text: str, author: str) -> list[Annotation]:
    """The mark as a PDF reader writes it: a replacement is a strike-out and its caret, grouped."""
    made = f"D:{time.strftime('%Y%m%d%H%M%S')}"
    rect = Box(min(b.left for b in boxes), min(b.bottom for b in boxes), max(b.right for b in boxes),
               max(b.top for b in boxes))
    digest = secrets.token_hex(12)                    # a mark is made once: its own key in the ledger
    own = Annotation(f"bureau-{digest}", digest, "", (1, 0), page - 1, KINDS[kind], rect,
                     tuple(boxes) if KINDS[kind] in ("highlight", "strikeout") else (), "" if kind == "replace" else text,
                     author, made, None, False)
    if kind != "replace":
        return [own]
    caret = Box(rect.right - 1, rect.bottom, rect.right + 1, rect.top)
    return [own, Annotation(f"bureau-{digest}-c", f"{digest}c", "", (2, 0), page - 1, "caret", caret, (), text,
                            author, made, (1, 0), True)]


async def add_mark(request: Request):
    desk = desk_of(request)
    if not csrf_ok(request, ""):
        return JSONResponse({"problem": "cette marque ne vient pas d'une page du bureau ouverte maintenant : "
                             "rechargez la page"}, status_code=403)
    try:
        data = json.loads(await request.body())
    except (ValueError, UnicodeDecodeError):
        return JSONResponse({"problem": "la marque envoyée n'est pas du JSON"}, status_code=400)
    shown = desk.shown
    try:
        if shown.result is None or not shown.result.proof_id:
            raise NotWritten(409, "l'épreuve se fait encore : attendez qu'elle soit là")
        page, kind, boxes, text = checked(data, shown.pages)
        answer = await asyncio.to_thread(written, request, shown.result.proof_id, kind,
                                         annotations(page, kind, boxes, text, author_of(request)))
    except NotWritten as refused:
        return JSONResponse({"problem": refused.problem}, status_code=refused.status)
    return JSONResponse(answer, status_code=201)


def author_of(request: Request) -> str:
    """Who signs the mark: the person logged in; alone (no accounts), nobody (« — vous » would say nothing)."""
    person = request.state.person
    return person.name if person is not None and person.email else ""


def written(request: Request, proof_id: str, kind: str, marks: list[Annotation]) -> dict:
    """Found through the map, applied as collect --apply does, committed under who made it."""
    root = desk_of(request).root
    try:
        proof = trail.load(root, proof_id, SourceLocation(SHOWN_AS, 1))
    except PublisherError:
        raise NotWritten(409, "le plan de l'épreuve affichée n'est plus là : attendez la suivante") from None
    [found] = findings(marks, proof, root, SHOWN_AS)
    if not found.place.src:
        raise NotWritten(422, "cette marque n'est sur aucune ligne du texte (une marge, un titre courant, une "
                      "page de questions) : mettez-la sur les mots, ou dans la marge à côté d'une ligne")
    path = root / found.place.src.rpartition(":")[0]
    fiche = path.stem
    try:
        with signed(request, request.app.state.locks.fiche(fiche)):
            notes = apply(Collected([found], [], {SHOWN_AS: proof}), root)
            refusal = [n for n in notes if n.severity == Severity.ERROR]
            if refusal:
                raise NotWritten(409, "la fiche a changé depuis l'épreuve affichée : la marque n'est pas écrite ; "
                              "la page se refait d'elle-même dans un instant, refaites-la alors")
            record(request, f"{SAID[kind]} de relecture", [fiche], [path])
    except HistoryError as refused:
        raise NotWritten(503, str(refused)) from None
    return {"path": relative(path, root), "line": found.location.line, "covered": found.place.covered,
            "page": found.place.folio, "page_line": found.place.page_line}

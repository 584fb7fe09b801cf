"""Every route of the desk and who may use it, in one table.

``who``: the roles allowed (:data:`EVERYONE`, :data:`WRITERS`, :data:`COORDINATORS`), or
:data:`PUBLIC` for what a person not logged in needs (the login page, the style sheet). Alone (no
accounts), the one person has every role. A person not logged in who asks for a page is sent to
« Connexion »; a role that may not is answered 403, and nothing is changed.
``tests/desk/test_roles.py`` builds its matrix from this table, and fails on a route without a rule.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from functools import wraps
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse
from starlette.routing import Match, Route

from . import (accounts, board, downloads, figures, login, marks, reader, revisions, shelf, threads, uploads, views,
               wordlists)
from .people import COORDINATION, REDACTION, RELECTURE, Person

PUBLIC: tuple[str, ...] = ()
EVERYONE = (COORDINATION, REDACTION, RELECTURE)
WRITERS = (COORDINATION, REDACTION)
COORDINATORS = (COORDINATION,)


@dataclass(frozen=True)
class Rule:
    path: str
    method: str
    handler: object
    who: tuple[str, ...]


TABLE = [
    Rule("/connexion", "GET", login.login_page, PUBLIC),
    Rule("/connexion", "POST", login.login, PUBLIC),
    Rule("/static/{name:str}", "GET", views.asset, PUBLIC),
    Rule("/deconnexion", "POST", login.logout, EVERYONE),
    Rule("/", "GET", views.home, EVERYONE),
    Rule("/livre", "GET", reader.first_page, EVERYONE),
    Rule("/livre/page/{folio:int}", "GET", reader.book_page, EVERYONE),
    Rule("/livre/questions/{number:int}", "GET", reader.questions_page, EVERYONE),
    Rule("/livre/aller", "GET", reader.go_to, EVERYONE),
    Rule("/livre/image/{number:int}.jpg", "GET", reader.page_image, EVERYONE),
    Rule("/epreuve/marques", "POST", marks.add_mark, EVERYONE),      # a proofreader's mark, written in the fiche
    Rule("/questions", "GET", views.questions, EVERYONE),
    Rule("/questions/repondre", "POST", threads.reply, EVERYONE),
    Rule("/questions/resoudre", "POST", threads.resolve, WRITERS),
    Rule("/fiches", "GET", views.fiches, EVERYONE),
    Rule("/fiches/{id}", "GET", views.fiche, EVERYONE),
    Rule("/fiches/{id}", "POST", views.save_fiche, WRITERS),
    Rule("/fiches/{id}/historique", "GET", revisions.history_page, EVERYONE),
    Rule("/fiches/{id}/restaurer", "POST", revisions.restore, WRITERS),       # a version, or the fiche put back
    Rule("/fiches/{id}/retirer", "POST", shelf.take_out, WRITERS),
    Rule("/nouvelle-fiche", "GET", shelf.new_page, WRITERS),
    Rule("/nouvelle-fiche", "POST", shelf.create, WRITERS),
    Rule("/ordre", "GET", shelf.order_page, EVERYONE),
    Rule("/ordre", "POST", shelf.move, COORDINATORS),
    Rule("/glossaire", "GET", wordlists.glossary_page, EVERYONE),
    Rule("/glossaire", "POST", wordlists.save_glossary, WRITERS),
    Rule("/index", "GET", wordlists.index_page, EVERYONE),
    Rule("/index", "POST", wordlists.save_index, WRITERS),
    Rule("/envoyer", "GET", uploads.uploads_page, EVERYONE),
    Rule("/envoyer/word", "POST", uploads.word, WRITERS),
    Rule("/envoyer/epreuves", "POST", uploads.proofs, EVERYONE),      # « les écrire dans les fiches »: WRITERS
    Rule("/epreuves-recues/{copy:str}/ecrire", "POST", uploads.write_received, WRITERS),    # one click: all its marks
    Rule("/epreuves-recues/{copy:str}/retirer", "POST", uploads.drop_received, WRITERS),
    Rule("/envoyer/image/{id}", "POST", figures.add_image, WRITERS),
    Rule("/telecharger", "GET", downloads.downloads, EVERYONE),
    Rule("/telecharger/epreuve.pdf", "GET", downloads.proof_pdf, EVERYONE),
    Rule("/telecharger/epreuve-depuis.pdf", "POST", downloads.start_since, EVERYONE),
    Rule("/telecharger/volume.pdf", "POST", downloads.start_volume, COORDINATORS),
    Rule("/telecharger/volume.epub", "POST", downloads.start_epub, COORDINATORS),
    Rule("/telecharger/livret/{slug:str}.pdf", "POST", downloads.start_booklet, COORDINATORS),
    Rule("/travaux/{job:str}", "GET", downloads.job_page, EVERYONE),            # each person's own jobs only
    Rule("/travaux/{job:str}/etat", "GET", downloads.job_json, EVERYONE),
    Rule("/travaux/{job:str}/fichier", "GET", downloads.job_file, EVERYONE),
    Rule("/journal", "GET", views.journal, EVERYONE),
    Rule("/tableau", "GET", board.board_page, EVERYONE),
    Rule("/tableau", "POST", board.move, WRITERS),
    Rule("/comptes", "GET", accounts.accounts_page, COORDINATORS),
    Rule("/comptes", "POST", accounts.add_account, COORDINATORS),
    Rule("/comptes/modifier", "POST", accounts.change_account, COORDINATORS),
    Rule("/comptes/hors-du-bureau", "POST", accounts.outside_name_changed, COORDINATORS),
    Rule("/evenements", "GET", views.events, EVERYONE),
    Rule("/etat", "GET", views.state, EVERYONE),
]


def guarded(rule: Rule):
    """The handler, behind its rule; a plain function runs in the thread pool (it may read the book)."""
    handler = rule.handler
    is_async = inspect.iscoroutinefunction(handler)

    @wraps(handler)                                  # type: ignore[arg-type]
    async def checked(request: Request):
        person: Person | None = request.state.person
        if rule.who and person is None:
            if request.method == "GET":
                return RedirectResponse(f"/connexion?suite={quote(request.url.path)}", status_code=303)
            return PlainTextResponse("Connectez-vous d'abord.", status_code=403)
        if rule.who and person.role not in rule.who:
            return PlainTextResponse("Accès refusé : votre rôle ne le permet pas.", status_code=403)
        return await handler(request) if is_async else await run_in_threadpool(handler, request)
    return checked


ROUTES = [(rule, Route(rule.path, guarded(rule), methods=[rule.method])) for rule in TABLE]


def allowed(person: Person | None, path: str, method: str = "GET") -> bool:
    """May this person use this address (for the pages: show a button only to whom it works for)?"""
    for rule, route in ROUTES:
        if route.matches({"type": "http", "path": path, "method": method})[0] == Match.FULL:
            return not rule.who or (person is not None and person.role in rule.who)
    return False

"""What every handler of the desk shares: a page rendered with who is looking, a refusal said as a
page, a form read within its limit and checked for its token, the book and its settings."""

from __future__ import annotations

from pathlib import Path

from starlette.formparsers import MultiPartException
from starlette.requests import Request
from starlette.responses import HTMLResponse

from ..diagnostics import PublisherError
from ..source.config import parse_config
from ..source.load import load_book
from ..source.yamlfile import load_yaml_file
from .guard import CSRF_FIELD, TooLarge, csrf_of, csrf_ok
from .messages import said
from .people import ROLE_NAMES
from .state import Desk

MAX_UPLOAD = 50_000_000         # a Word document with its photos, several annotated proofs
MAX_SAVE = 16_000_000           # a fiche's form, URL-encoded: 2 MB of French text is well under


def limit(path: str) -> int:
    return MAX_UPLOAD if path.startswith("/envoyer/") else MAX_SAVE


class Refused(Exception):
    """A request the desk answers with a page that says why (never a bare error)."""

    def __init__(self, status: int, title: str, problem: str, lines: tuple[str, ...] = ()):
        super().__init__(problem)
        self.status, self.title, self.problem, self.lines = status, title, problem, lines


def desk_of(request: Request) -> Desk:
    return request.app.state.desk


def render(request: Request, template: str, status: int = 200, **values) -> HTMLResponse:
    desk = desk_of(request)
    person = request.state.person
    html = request.app.state.env.get_template(f"desk/{template}").render(
        shown=desk.shown, here=request.url.path, csrf=lambda action: csrf_of(request, action),
        refused=[said(d, desk.root) for d in desk.shown.refused], max_save=MAX_SAVE, person=person,
        role_name=ROLE_NAMES.get(person.role, "") if person else "", team=request.app.state.token is None,
        book_title=request.app.state.title,
        can=lambda path, method="POST": request.app.state.allowed(person, path, method), **values)
    return HTMLResponse(html, status_code=status)


async def refused_page(request: Request, exc: Refused) -> HTMLResponse:
    return render(request, "envoi.html.j2", exc.status, title=exc.title, lines=list(exc.lines), problem=exc.problem)


async def posted(request: Request):
    """The form sent, read within the route's limit, from a page of the desk (its form's token)."""
    try:
        fields = await request.form(max_files=20, max_fields=4000, max_part_size=MAX_SAVE)
    except TooLarge as over:
        raise Refused(413, "Envoi refusé", f"trop gros : la limite est de {over.limit // 1_000_000} Mo ; "
                      "rien n'a été enregistré") from None
    except MultiPartException:
        raise Refused(400, "Envoi refusé", "le formulaire envoyé est illisible : rouvrez la page et "
                      "recommencez") from None
    if not csrf_ok(request, str(fields.get(CSRF_FIELD, ""))):
        raise Refused(403, "Accès refusé", "ce formulaire ne vient pas d'une page du bureau ouverte maintenant : "
                      "rouvrez la page et recommencez")
    return fields


def book(request: Request):
    try:
        return load_book(desk_of(request).root)[0]
    except PublisherError:
        return None


def config(request: Request):
    """The book's settings alone: a fiche that does not load does not stop the others' saves."""
    try:
        return parse_config(load_yaml_file(Path(desk_of(request).root) / "book.yaml"))
    except PublisherError:
        return None

"""The desk as one application: its routes and who may use them (:mod:`.routes`), who is asking and
how much they may send (:mod:`.guard`), its state (:class:`.state.Desk`, and in team mode the accounts
and the sessions). Alone, one person opens it with the run's token; as a team, everyone logs in.
"""

from __future__ import annotations

import secrets

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.responses import PlainTextResponse

from ..diagnostics import PublisherError
from ..paths import LAYOUTS
from ..render.html import environment
from ..source.config import parse_config
from ..source.yamlfile import load_yaml_file
from .guard import LOCAL_NAMES, Guard
from .history import History
from .journal import Journal, Locks
from .pages import MAX_SAVE, MAX_UPLOAD, Refused, limit, refused_page
from .people import Accounts
from .presence import Presence
from .routes import ROUTES, allowed
from .sessions import Brake, Sessions
from .state import Desk

__all__ = ["make_app", "MAX_SAVE", "MAX_UPLOAD"]


def make_app(desk: Desk, token: str | None = None, *, names: tuple[str, ...] = ()) -> Starlette:
    """``token``: the desk of one person, opened with it; None: the team's, with accounts (in the book's
    ``.desk/``). ``names``: the names it is served under, beside this machine's."""

    async def not_found(request, exc):
        return PlainTextResponse("Introuvable.", status_code=404)

    app = Starlette(routes=[route for _, route in ROUTES], middleware=[Middleware(Guard, limit=limit)],
                    exception_handlers={404: not_found, Refused: refused_page})
    state = app.state
    state.desk, state.token, state.env = desk, token, environment(LAYOUTS)
    state.names = frozenset(n.lower().strip("[]") for n in (*LOCAL_NAMES, *names))
    state.accounts = None if token else Accounts(desk.root)
    state.sessions, state.brake, state.presence = Sessions(), Brake(), Presence()
    state.journal, state.locks, state.history = Journal(desk.root), Locks(), History(desk.root)
    state.anonymous = secrets.token_urlsafe(32)          # the login form's token, before any session
    state.allowed = allowed
    state.title = title_of(desk)
    return app


def title_of(desk: Desk) -> str:
    try:
        return parse_config(load_yaml_file(desk.root / "book.yaml")).title
    except (PublisherError, AttributeError):
        return "Le livre"

"""Logging in and out, in team mode: an address and a password, a session for this run of the desk,
five wrong tries for one address and that address waits (the others do not), the answer the same
whether the address has an account or not."""

from __future__ import annotations

import asyncio
import math

from starlette.requests import Request
from starlette.responses import RedirectResponse

from .guard import SESSION_COOKIE, session_cookie
from .pages import posted, render
from .people import normal


def next_page(value: str) -> str:
    """Where to go after logging in: a page of the desk only (never another site)."""
    return value if value.startswith("/") and not value.startswith("//") and "\\" not in value else "/livre"


def login_page(request: Request):
    if request.state.person is not None:
        return RedirectResponse("/livre", status_code=303)
    return render(request, "connexion.html.j2", suite=next_page(request.query_params.get("suite", "")), email="")


async def login(request: Request):
    fields = await posted(request)
    state = request.app.state
    email, password = normal(str(fields.get("email", ""))), str(fields.get("password", ""))
    suite = next_page(str(fields.get("suite", "")))
    wait = state.brake.waiting(email)
    if wait:
        return render(request, "connexion.html.j2", 429, suite=suite, email=email,
                      problem=f"trop d'essais pour cette adresse : réessayez dans {math.ceil(wait / 60)} minute(s)")
    person = await asyncio.to_thread(state.accounts.check, email, password)      # Argon2 takes its time
    if person is None:
        state.brake.failure(email)
        return render(request, "connexion.html.j2", 401, suite=suite, email=email,
                      problem="adresse ou mot de passe incorrect")
    state.brake.success(email)
    now = state.accounts.current(person.email)
    session = state.sessions.start(person.email, now[1] if now else "")
    answer = RedirectResponse(suite, status_code=303)
    answer.headers.append("Set-Cookie", session_cookie(request, session.id))
    return answer


async def logout(request: Request):
    await posted(request)
    request.app.state.sessions.end(request.cookies.get(SESSION_COOKIE, ""))
    answer = RedirectResponse("/connexion", status_code=303)
    answer.headers.append("Set-Cookie", session_cookie(request, "", max_age=0))
    return answer

"""Who may talk to the desk, and how much: in front of every route.

- the ``Host`` a request names is one the desk is served under (this machine's, and in team mode the
  names given to ``--name``): a page of another site that makes its name point here is refused;
- who it is: alone, the run's token, in the address the terminal shows, then in a cookie (the one
  person may do everything); in team mode, the session opened at « Connexion » (:mod:`.sessions`),
  and what that person's role allows is checked by the route table (:mod:`.routes`);
- a request that changes something (``POST``) comes from one of the desk's own pages: its
  ``Origin`` (or ``Referer``) is the desk's address — another page on this computer, on another
  port, is another origin — and its form carries the token of that form (:func:`csrf_of`);
- a body is counted as it arrives, whatever its transfer encoding: past the route's limit, reading
  stops (:class:`TooLarge`), and nothing more is read or written;
- every answer, a refusal included, carries the pages' security headers.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from urllib.parse import urlsplit

from starlette.datastructures import Headers, MutableHeaders
from starlette.requests import Request
from starlette.responses import PlainTextResponse

from .people import COORDINATION, Person

COOKIE = "publisher-bureau"
SESSION_COOKIE = "publisher-session"
CSRF_FIELD = "csrf"
CSRF_HEADER = "x-csrf-token"
LOCAL_NAMES = ("127.0.0.1", "localhost", "::1")
POLICY = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
          "form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
HEADERS = {"Content-Security-Policy": POLICY, "X-Content-Type-Options": "nosniff",
           # same-origin: the desk's own forms send their true Origin (no-referrer would make it « null »)
           "Referrer-Policy": "same-origin", "X-Frame-Options": "DENY", "Cross-Origin-Opener-Policy": "same-origin",
           "Cross-Origin-Resource-Policy": "same-origin", "Cache-Control": "no-store"}
SAFE = ("GET", "HEAD")
ALONE = Person("vous", "", COORDINATION)       # the one person of a desk without accounts


class TooLarge(Exception):
    """A body past its route's limit: reading stopped there."""

    def __init__(self, limit: int):
        super().__init__(limit)
        self.limit = limit


def form_token(secret: str, action: str) -> str:
    """The token a form of the desk carries for its ``action``: made from a secret only the desk and the
    pages it served know (the run's token alone, the session's in team mode)."""
    return hmac.new(secret.encode(), f"form:{action}".encode(), hashlib.sha256).hexdigest()[:32]


def csrf_of(request: Request, action: str) -> str:
    """The token of the form that posts to ``action``, for this page: from the session's secret, the
    run's token when alone, or before logging in a secret of this run (the login form's)."""
    session, state = request.state.session, request.app.state
    return form_token(session.secret if session else state.token or state.anonymous, action)


def csrf_ok(request: Request, given: str) -> bool:
    expected = csrf_of(request, request.url.path)
    return bool(expected) and secrets.compare_digest(expected, given or request.headers.get(CSRF_HEADER, ""))


class Guard:
    """ASGI middleware: see the module's docstring. ``limit(path)``: the most bytes a request's body may have."""

    def __init__(self, app, limit):
        self.app = app
        self.limit = limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        state = request.app.state
        given = request.query_params.get("token", "") if state.token else ""
        opened = bool(given) and secrets.compare_digest(given, state.token)
        send = self.headed(send, state.token if opened else "")
        why = self.refused(request, given)
        if why:
            await PlainTextResponse(why, status_code=403)(scope, receive, send)
            return
        request.state.session, request.state.person = self.who(request, opened)
        if request.method not in SAFE:
            receive = counted(receive, self.limit(request.url.path), request.headers)
        await self.app(scope, receive, send)

    def who(self, request: Request, opened: bool):
        """The session and the person (None, None: nobody logged in, in team mode)."""
        state = request.app.state
        if state.token:
            return None, ALONE
        session = state.sessions.get(request.cookies.get(SESSION_COOKIE, ""))
        now = state.accounts.current(session.email) if session else None
        if session is None or now is None or now[0].disabled or now[1] != session.password:
            return None, None                  # closed, removed, or its password changed since
        return session, now[0]

    def refused(self, request: Request, given: str) -> str:
        state = request.app.state
        if (request.url.hostname or "").strip("[]").lower() not in state.names:
            return f"Accès refusé : le bureau ne répond qu'à ses propres noms ({', '.join(sorted(state.names))})."
        if state.token and not (secrets.compare_digest(given, state.token)
                                or secrets.compare_digest(request.cookies.get(COOKIE, ""), state.token)):
            return ("Accès refusé : ouvrez le bureau par l'adresse que « publisher serve » a affichée (elle "
                    "contient le jeton de cette session).")
        if request.method not in SAFE and not same_origin(request):
            return "Accès refusé : cette demande ne vient pas d'une page du bureau."
        return ""

    def headed(self, send, token: str):
        async def sending(message):
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in HEADERS.items():
                    headers.setdefault(name, value)
                if token:
                    headers.append("Set-Cookie", f"{COOKIE}={token}; HttpOnly; Path=/; SameSite=Strict")
            await send(message)
        return sending


def session_cookie(request: Request, value: str, max_age: int | None = None) -> str:
    """The session's cookie: Lax (a link from an e-mail opens the desk logged in), Secure over HTTPS."""
    secure = "; Secure" if request.url.scheme == "https" else ""
    age = f"; Max-Age={max_age}" if max_age is not None else ""
    return f"{SESSION_COOKIE}={value}; HttpOnly; Path=/; SameSite=Lax{secure}{age}"


def same_origin(request: Request) -> bool:
    """The page that sent it is the desk's: its Origin, or else its Referer, is this address."""
    own = f"{request.url.scheme}://{request.headers.get('host', '')}"
    origin = request.headers.get("origin")
    if origin is None:
        referer = urlsplit(request.headers.get("referer", ""))
        origin = f"{referer.scheme}://{referer.netloc}" if referer.netloc else ""
    return bool(origin) and secrets.compare_digest(origin.lower(), own.lower())


def counted(receive, limit: int, headers: Headers):
    """``receive``, stopped past ``limit`` bytes of body (a declared length past it: before any is read)."""
    declared = headers.get("content-length", "")
    received = 0

    async def receiving():
        nonlocal received
        if declared.isdigit() and int(declared) > limit:
            raise TooLarge(limit)
        message = await receive()
        if message["type"] == "http.request":
            received += len(message.get("body", b""))
            if received > limit:
                raise TooLarge(limit)
        return message
    return receiving

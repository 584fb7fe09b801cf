"""Who may talk to the desk, and how much: in front of every route.

- the ``Host`` a request names is this machine (a page of another site that makes its name point
  at 127.0.0.1 is refused);
- the run's token, in the address the terminal shows, then in a cookie;
- a request that changes something (``POST``) comes from one of the desk's own pages: its
  ``Origin`` (or ``Referer``) is the desk's address — another page on this computer, on another
  port, is another origin — and its form carries the token of that form (:func:`form_token`);
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

COOKIE = "publisher-bureau"
FORM_FIELD = "jeton"
LOCAL_NAMES = ("127.0.0.1", "localhost", "::1")
POLICY = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
          "form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
HEADERS = {"Content-Security-Policy": POLICY, "X-Content-Type-Options": "nosniff",
           # same-origin: the desk's own forms send their true Origin (no-referrer would make it « null »)
           "Referrer-Policy": "same-origin", "X-Frame-Options": "DENY", "Cross-Origin-Opener-Policy": "same-origin",
           "Cross-Origin-Resource-Policy": "same-origin"}
SAFE = ("GET", "HEAD")


class TooLarge(Exception):
    """A body past its route's limit: reading stopped there."""

    def __init__(self, limit: int):
        super().__init__(limit)
        self.limit = limit


def form_token(token: str, action: str) -> str:
    """The token a form of the desk carries for its ``action``: known only to pages the desk served."""
    return hmac.new(token.encode(), f"form:{action}".encode(), hashlib.sha256).hexdigest()[:32]


def form_token_ok(token: str, action: str, given: str) -> bool:
    return secrets.compare_digest(form_token(token, action), given or "")


class Guard:
    """ASGI middleware: see the module's docstring. ``limit(path)``: the most bytes a request's body may have."""

    def __init__(self, app, token: str, limit):
        self.app = app
        self.token = token
        self.limit = limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        given = request.query_params.get("token", "")
        send = self.headed(send, cookie=bool(given) and secrets.compare_digest(given, self.token))
        why = self.refused(request, given)
        if why:
            await PlainTextResponse(why, status_code=403)(scope, receive, send)
            return
        if request.method not in SAFE:
            receive = counted(receive, self.limit(request.url.path), request.headers)
        await self.app(scope, receive, send)

    def refused(self, request: Request, given: str) -> str:
        if (request.url.hostname or "").strip("[]") not in LOCAL_NAMES:
            return "Accès refusé : le bureau ne répond qu'à l'adresse de cet ordinateur (127.0.0.1)."
        if not (secrets.compare_digest(given, self.token)
                or secrets.compare_digest(request.cookies.get(COOKIE, ""), self.token)):
            return ("Accès refusé : ouvrez le bureau par l'adresse que « publisher serve » a affichée (elle "
                    "contient le jeton de cette session).")
        if request.method not in SAFE and not same_origin(request):
            return "Accès refusé : cette demande ne vient pas d'une page du bureau."
        return ""

    def headed(self, send, cookie: bool):
        async def sending(message):
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in HEADERS.items():
                    headers[name] = value
                if cookie:
                    headers.append("Set-Cookie", f"{COOKIE}={self.token}; HttpOnly; Path=/; SameSite=Strict")
            await send(message)
        return sending


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

"""A team desk on a copy of the mini book, with one account per role, and clients logged in as each:
what the team's tests start from."""

from __future__ import annotations

import collections
import shutil
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path

import lxml.html
from starlette.testclient import TestClient

from publisher.desk import Desk, make_app
from publisher.desk.guard import form_token
from publisher.desk.people import Accounts

from ..conftest import MINIBOOK

ORIGIN = "http://127.0.0.1"
PASSWORD = "un mot de passe assez long"
PEOPLE = {"coordination": ("Claire Coordination", "claire@cai.example"),
          "redaction": ("Rémi Rédaction", "remi@cai.example"),
          "relecture": ("Rita Relecture", "rita@cai.example")}


def with_accounts(desk) -> None:
    accounts = Accounts(desk.root)
    for role, (name, email) in PEOPLE.items():
        if accounts.find(email) is None:
            accounts.add(name, email, role, PASSWORD)


def team_app(desk):
    with_accounts(desk)
    return make_app(desk, None)


def client_of(app) -> TestClient:
    return TestClient(app, base_url=ORIGIN, headers={"origin": ORIGIN}, follow_redirects=False)


def login_token(client: TestClient) -> str:
    return lxml.html.fromstring(client.get("/connexion").text).xpath("//input[@name='csrf']/@value")[0]


def logged_in(app, role: str | None) -> TestClient:
    """A client with the session of the person of ``role`` (None: nobody logged in)."""
    client = client_of(app)
    client.__enter__()
    if role is not None:
        answer = client.post("/connexion", data={"csrf": login_token(client), "email": PEOPLE[role][1],
                                                 "password": PASSWORD, "suite": "/livre"})
        assert answer.status_code == 303, answer.text
    return client


def in_browser(browser, base: str, role: str, email: str = ""):
    """A page of a browser context of its own, logged in through the login page as the person of ``role``
    (or of ``email``), on « Fiches »."""
    from .running import WAIT_S

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    # the requests not answered yet, and the last ones answered: said when a page does not load (running.go)
    page.pending, page.answered = pending, answered = set(), collections.deque(maxlen=8)
    context.on("request", lambda request: pending.add(request))
    context.on("requestfinished", lambda request: (pending.discard(request), answered.append(request)))
    context.on("requestfailed", lambda request: (pending.discard(request), answered.append(request)))
    page.set_default_timeout(WAIT_S * 1000)
    page.goto(f"{base}/fiches")
    page.wait_for_url("**/connexion?suite=/fiches")
    page.get_by_label("Adresse e-mail").fill(email or PEOPLE[role][1])
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/fiches")
    assert email or PEOPLE[role][0] in page.locator("header").inner_text()
    return page


@contextmanager
def people(app, *roles: str | None):
    """``with people(app, "redaction", "relecture") as (editor, reader):`` clients logged in as each, closed after."""
    clients = [logged_in(app, role) for role in roles]
    try:
        yield tuple(clients)
    finally:
        for client in clients:
            client.__exit__(None, None, None)


def team_desk(folder: Path, book: Path = MINIBOOK) -> Desk:
    """A desk (not started: no proof) on a copy of ``book`` in ``folder``, one account per role."""
    root = folder / "book"
    shutil.copytree(book, root)
    desk = Desk(root, folder / "bureau")
    with_accounts(desk)
    return desk


@contextmanager
def running_team_desk(folder: Path, book: Path = MINIBOOK):
    """``with running_team_desk(tmp_path) as (desk, app):`` a team desk with its first proof made, stopped after."""
    from .running import until

    desk = team_desk(folder, book)
    desk.start()
    try:
        until(lambda: desk.shown.drawn >= 1 and not desk.shown.building, "no first proof")
        yield desk, make_app(desk)
    finally:
        desk.stop()


def csrf_for(app, client: TestClient, action: str) -> str:
    """The token the desk's page would carry for a form posting to ``action``, for this client's session."""
    session = app.state.sessions.get(client.cookies.get("publisher-session", ""))
    return form_token(session.secret if session else app.state.anonymous, action)


def slow_volume(release: Path, into: Path, progress) -> Path:
    """A job's work as the desk runs it (in a process of its own): 3 pages of 10 laid out, then it waits
    for ``release`` to exist, then a PDF."""
    progress(3, 10)
    deadline = time.monotonic() + 60
    while not release.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    (into / "volume.pdf").write_bytes(b"%PDF-1.7\n")
    progress(10, 10)
    return into / "volume.pdf"


def git(folder, *args) -> str:
    return subprocess.run(["git", "-C", str(folder), *args], capture_output=True, text=True, check=True).stdout


def commits(folder) -> list[tuple[str, str, list[str]]]:
    """(author, message, files) of each commit, the newest first."""
    out = []
    for sha in git(folder, "log", "--format=%H").split():
        author, message = git(folder, "show", "-s", "--format=%an <%ae>%x1f%s", sha).strip().split("\x1f")
        files = git(folder, "show", "--name-only", "--format=", sha).split()
        out.append((author, message, files))
    return out

"""The desk served on a random 127.0.0.1 port, and Debian's chromium driven by Playwright (never a
downloaded browser): shared by the tests that need a real server or a real browser."""

from __future__ import annotations

import socket
import threading
from contextlib import contextmanager

import pytest
import uvicorn

from publisher.desk import make_app

from .running import TOKEN, WAIT_S, desk_on_a_copy, until

@contextmanager
def serving(app):
    """The application served on a random 127.0.0.1 port: its address."""
    listening = socket.socket()
    listening.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listening]}, daemon=True)
    thread.start()
    until(lambda: server.started, "the desk's server did not start")
    try:
        yield f"http://127.0.0.1:{listening.getsockname()[1]}"
    finally:
        app.state.desk.stop()
        server.should_exit = server.force_exit = True          # open event streams need not end first
        thread.join(10)


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """A desk on a copy of the mini book, and its address."""
    desk = desk_on_a_copy(tmp_path_factory.mktemp("desk"))
    with serving(make_app(desk, TOKEN)) as address:
        yield desk, address


@pytest.fixture(scope="module")
def team(tmp_path_factory):
    """A desk on a copy of the mini book, its first proof made, and its team application (one account
    per role: team.py)."""
    from .team import team_app

    desk = desk_on_a_copy(tmp_path_factory.mktemp("team"))
    yield desk, team_app(desk)
    desk.stop()


@pytest.fixture(scope="module")
def team_served(tmp_path_factory):
    """A team desk (one account per role: team.py) on a copy of the mini book, served: its address."""
    from .team import with_accounts

    desk = desk_on_a_copy(tmp_path_factory.mktemp("team-served"))
    with_accounts(desk)
    with serving(make_app(desk)) as address:
        yield desk, address


def settled(desk) -> None:
    """Until the pages show the last save (a page open meanwhile would reload under the test's feet)."""
    from publisher.desk.state import latest_save

    until(lambda: desk.shown.saved_at >= latest_save(desk.root) and desk.shown.drawn >= 1 and not desk.shown.building,
          "the desk did not catch up with the last save")


@pytest.fixture
def page(browser, served):
    desk, base = served
    settled(desk)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    opened.set_default_timeout(WAIT_S * 1000)
    opened.goto(f"{base}/?token={TOKEN}")
    yield opened
    context.close()



"""The desk in a real browser, for what only a browser shows: a page that refreshes itself after a
save in another tab, the editor opened at a question's line, an open page that says when the book
stops loading. Debian's chromium driven by Playwright (never a downloaded browser), against the server
on a random 127.0.0.1 port, with bounded waits. The routes themselves: test_routes.py."""

from __future__ import annotations

import socket
import threading
from pathlib import Path

import pytest
import uvicorn

from publisher.desk import make_app

from .running import TOKEN, WAIT_S, desk_on_a_copy, until

CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    desk = desk_on_a_copy(tmp_path_factory.mktemp("desk"))
    listening = socket.socket()
    listening.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(make_app(desk, TOKEN), log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listening]}, daemon=True)
    thread.start()
    until(lambda: server.started, "the desk's server did not start")
    yield desk, f"http://127.0.0.1:{listening.getsockname()[1]}"
    desk.stop()
    server.should_exit = server.force_exit = True          # open event streams need not end first
    thread.join(10)


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.fail("Debian's chromium is missing: make test installs it (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield launched
        launched.close()


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


def body_text(root: Path, name: str) -> str:
    return (root / "fiches" / f"{name}.md").read_text(encoding="utf-8")


def test_a_save_in_the_editor_refreshes_the_pages_of_the_book(served, page, browser):
    desk, base = served
    pages = page.context.new_page()                 # the book, open in another tab
    pages.goto(f"{base}/livre")
    page.goto(f"{base}/fiches/gamma")
    body = page.locator("#body")
    body.fill(body.input_value() + "\n\nUne phrase écrite dans le navigateur par le test.\n")
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url("**/fiches/gamma?enregistre=1")
    assert page.locator("#saved").inner_text() == "Enregistré."
    assert "Une phrase écrite dans le navigateur par le test." in body_text(desk.root, "gamma")
    # the other tab reloads itself with the new pages
    pages.wait_for_function("() => document.body.textContent.includes('Une phrase écrite dans le navigateur')",
                            timeout=WAIT_S * 1000)
    assert pages.locator(".page img").count() == desk.shown.pages


def test_a_question_opens_its_fiche_at_its_line(served, page):
    desk, base = served
    page.goto(f"{base}/questions")
    link = page.locator("a.open-fiche").first
    target = link.get_attribute("href")
    fiche, line = target.split("/fiches/")[1].split("?ligne=")
    link.click()
    page.wait_for_url(f"**{target}")
    selected = page.evaluate("() => { const b = document.getElementById('body');"
                             " return b.value.substring(b.selectionStart, b.selectionEnd); }")
    assert selected == body_text(desk.root, fiche).split("\n")[int(line) - 1]


def test_a_fiche_that_does_not_load_is_said_with_its_line_and_the_desk_goes_on(served, page):
    desk, base = served
    path = desk.root / "fiches" / "beta.md"
    good = path.read_text(encoding="utf-8")
    page.goto(f"{base}/livre")
    page.wait_for_selector(".page img")
    try:
        path.write_text(good.replace("title:", "title: [", 1), encoding="utf-8")
        page.wait_for_selector("#refused")                     # the open page says so by itself
        refused = page.locator("#refused").inner_text()
        title_line = good.split("\n").index(next(row for row in good.split("\n") if row.startswith("title:"))) + 1
        assert f"fiches/beta.md, ligne {title_line} : erreur : YAML illisible" in refused, refused
        assert page.locator(".page img").count() > 0             # the last pages stay
    finally:
        path.write_text(good, encoding="utf-8")
    page.wait_for_selector("#refused", state="detached")      # mended: the pages come back alone

"""A desk on a copy of the mini book, its first proof made: what both desk test files start from."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import lxml.html

from publisher.desk import Desk

from ..conftest import MINIBOOK
from ..stacks import tell_where

TOKEN = "jeton-de-test-0123456789"
WAIT_S = 90
COMMIT_S = 30        # a navigation the desk has not begun to answer by then was never sent (see go)


def until(condition, what: str):
    """What ``condition`` gives once it is true (asked every 0.2 s, for WAIT_S at most)."""
    deadline = time.monotonic() + WAIT_S
    while not (value := condition()):
        if time.monotonic() > deadline:
            tell_where(os.getpid())              # each thread's stack, here and in the layout processes
            raise AssertionError(what)
        time.sleep(0.2)
    return value


def desk_on_a_copy(folder: Path) -> Desk:
    root = folder / "book"
    shutil.copytree(MINIBOOK, root)
    desk = Desk(root, folder / "bureau")
    desk.start()
    until(lambda: desk.shown.drawn >= 1 and not desk.shown.building,
          f"the desk's first proof took too long ({desk.shown.building=}, {desk.shown.refused=})")
    return desk


def form_fields(html: str, form_id: str = "fiche") -> dict[str, list[str]]:
    """What a browser sends for the page's form (the fiche's editor unless ``form_id``) as it is shown
    (a key may repeat: the themes)."""
    form = lxml.html.fromstring(html).get_element_by_id(form_id)
    fields: dict[str, list[str]] = {}
    for field in form.iter("input", "textarea", "select"):
        if field.tag == "input" and field.get("type") == "checkbox" and field.get("checked") is None:
            continue
        if field.tag == "select":
            chosen = field.xpath("option[@selected]") or field.xpath("option")
            value = chosen[0].get("value", chosen[0].text or "") if chosen else ""
        else:
            value = (field.text or "") if field.tag == "textarea" else field.get("value", "")
        fields.setdefault(field.get("name"), []).append(value)
    return fields


def page_of(desk, words: str, two: bool = True) -> str:
    """The reader's address of the page of the book that shows ``words`` (with the page after it)."""
    shown = desk.shown
    pages = [k for k, text in enumerate(shown.texts, start=1) if words in text]
    index = next((k for k in pages if k > shown.front), pages[0])     # a book's page, before the questions' list
    where = f"/livre/page/{index - shown.front}" if index > shown.front else f"/livre/questions/{index}"
    return where + ("?deux=1" if two else "")


def go(page, url: str) -> None:
    """``page.goto(url)``, again if a page of the book that was open made itself again meanwhile (a view of
    the book reloads when the proof changes: its navigation interrupts ours); then until the page shown is
    loaded — the page asked for, or the same page made again at once: shown just before a proof ended, it
    reloads itself, and the load Playwright's ``goto`` awaits is then that of a document already gone."""
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for attempt in range(3):
        try:
            page.goto(url, wait_until="commit", timeout=COMMIT_S * 1000)
            page.wait_for_load_state("load")
            return
        except PlaywrightTimeout as stuck:
            # seen in the CI: the page reloading itself as goto began, and chromium's navigation then never
            # sent, never said interrupted (the page shown the view reloaded, no request for ours pending)
            if attempt < 2 and not any(url in f"{r.method} {r.url}" for r in getattr(page, "pending", ())):
                continue
            tell_where(os.getpid())             # the desk's threads (it runs here): where the answer is stuck
            waiting = sorted(f"{r.method} {r.url}" for r in getattr(page, "pending", ()))
            answered = [f"{r.method} {r.url} {r.failure or 'ok'}" for r in getattr(page, "answered", ())]
            raise AssertionError(f"{url} did not load (the page shows {page.url}); requests not answered: "
                                 f"{waiting}; the last answered: {answered}") from stuck
        except PlaywrightError as interrupted:
            # the page shown reloading itself as ours began: chromium says ours interrupted, or aborted
            if "interrupted by another navigation" not in str(interrupted) and "net::ERR_ABORTED" not in str(interrupted):
                raise
            if f'another navigation to "{url}"' in str(interrupted):
                page.wait_for_load_state("load")     # the page shown reloading itself at our address: ours, made
                return
            if attempt == 2:
                raise

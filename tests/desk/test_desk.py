"""The desk in a real browser, for what only a browser shows: a page that refreshes itself after a
save in another tab, the editor opened at a question's line, an open page that says when the book
stops loading. Debian's chromium driven by Playwright (never a downloaded browser), against the server
on a random 127.0.0.1 port, with bounded waits. The routes themselves: test_routes.py."""

from __future__ import annotations

from pathlib import Path

from .conftest import settled
from .running import WAIT_S, page_of


def body_text(root: Path, name: str) -> str:
    return (root / "fiches" / f"{name}.md").read_text(encoding="utf-8")


def test_a_save_in_the_editor_refreshes_the_pages_of_the_book(served, page, browser):
    desk, base = served
    pages = page.context.new_page()                 # the book, open in another tab, at gamma's end
    pages.goto(base + page_of(desk, "Dernier appel"))
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
    assert pages.locator(".sheet img").count() in (1, 2)


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
    page.wait_for_selector(".sheet img")
    try:
        path.write_text(good.replace("title:", "title: [", 1), encoding="utf-8")
        page.wait_for_selector("#refused")                     # the open page says so by itself
        refused = page.locator("#refused").inner_text()
        title_line = good.split("\n").index(next(row for row in good.split("\n") if row.startswith("title:"))) + 1
        assert f"fiches/beta.md, ligne {title_line} : erreur : YAML illisible" in refused, refused
        assert page.locator(".sheet img").count() > 0            # the last pages stay
    finally:
        path.write_text(good, encoding="utf-8")
    page.wait_for_selector("#refused", state="detached")      # mended: the pages come back alone


def test_a_page_being_left_is_not_made_again_under_the_next_one_but_a_page_that_stays_is(served, page):
    """A view of the book reloads when the proof changes — not while the reader is leaving it (its reload
    would win over the link followed and bring the reader back); after a download, which also says
    « leaving » but keeps the page, it reloads a moment later."""
    desk, base = served
    settled(desk)
    page.goto(f"{base}/fiches")
    drawn = desk.shown.drawn
    # the page being left all along (a navigation that takes its time); a stream of our own says when
    # the desk has told the open pages of the new proof
    page.evaluate("""drawn => {
        window.stayed = true;
        window.leaving = setInterval(() => window.dispatchEvent(new Event('beforeunload')), 500);
        window.dispatchEvent(new Event('beforeunload'));
        new EventSource('/evenements').onmessage = (e) => { if (JSON.parse(e.data).drawn > drawn) window.told = true; };
    }""", drawn)
    path = desk.root / "fiches" / "gamma.md"
    path.write_text(path.read_text(encoding="utf-8") + "\n\nUne phrase ajoutée pendant qu'on quitte la page.\n",
                    encoding="utf-8")
    page.wait_for_function("() => window.told === true", timeout=WAIT_S * 1000)
    page.wait_for_timeout(1500)                      # what the page's own stream said has been acted on
    assert page.evaluate("() => window.stayed") is True          # not reloaded while being left
    page.evaluate("() => clearInterval(window.leaving)")          # it stays after all (a download)
    page.wait_for_function("() => window.stayed === undefined", timeout=WAIT_S * 1000)   # reloaded, by itself
    assert "Fiches" in page.title() or page.url.endswith("/fiches")

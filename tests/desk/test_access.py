"""The desk for everyone: every view checked by axe-core (from npm, pinned in tests/node) at 1280 px and at
320 px (a phone, or a page zoomed to 400 %), nothing off screen at 320 px, a skip link, the focus and what
a screen reader hears after a save and after a refresh, an invalid field described. In Debian's chromium."""

from __future__ import annotations

from pathlib import Path

import pytest

from .running import TOKEN, WAIT_S

AXE = Path(__file__).resolve().parents[2] / ".venv" / "node" / "node_modules" / "axe-core" / "axe.min.js"
WIDTHS = (1280, 320)


@pytest.fixture
def seen(browser, served):
    """A tab on the desk at each width (axe's script is added to the pages: bypass_csp, for the test only)."""
    if not AXE.is_file():
        pytest.fail("axe-core is missing: make test installs it (tests/node/package.json)")
    desk, base = served
    from .conftest import settled

    settled(desk)
    contexts = []

    def at(width: int):
        context = browser.new_context(viewport={"width": width, "height": 900 if width > 400 else 640},
                                      bypass_csp=True)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(WAIT_S * 1000)
        page.goto(f"{base}/?token={TOKEN}")
        return page
    yield desk, base, at
    for context in contexts:
        context.close()


def violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
                          ".map(v => v.id + ' (' + v.impact + '): ' + v.nodes.map(n => n.target.join(' ')).join(', '))")
    return found


def off_screen(page, width: int) -> list[str]:
    """What a 320 px screen would have to scroll sideways for: the page wider than it, or a control of the bar
    (the links, the status) out of it."""
    out = []
    if page.evaluate("document.documentElement.scrollWidth") > width:
        out.append(f"page {page.evaluate('document.documentElement.scrollWidth')} px wide")
    for box, name in page.evaluate("[...document.querySelectorAll('.bar a, .bar .status, .bar .brand')]"
                                   ".map(e => [e.getBoundingClientRect().toJSON(), e.textContent.trim()])"):
        if box["left"] < 0 or box["right"] > width:
            out.append(f"« {name} » at {box['left']:.0f}–{box['right']:.0f} px")
    return out


VIEWS = ["/livre", "/questions", "/fiches", "/fiches/alpha", "/envoyer", "/telecharger", "/journal"]


@pytest.mark.parametrize("width", WIDTHS)
def test_every_view_passes_axe_and_reflows(seen, width):
    desk, base, at = seen
    page = at(width)
    problems = {}
    for view in VIEWS:
        page.goto(f"{base}{view}")
        problems[view] = violations(page) + (off_screen(page, width) if width < 400 else [])
    # the pages a user reaches by doing something: a field refused, a file refused, a file imported
    page.goto(f"{base}/fiches/gamma")
    page.fill("input[name=number]", "douze")
    page.click("button[type=submit]")
    page.wait_for_selector("#problem")
    problems["refused field"] = violations(page) + (off_screen(page, width) if width < 400 else [])
    page.goto(f"{base}/envoyer")
    page.set_input_files("#word", files=[{"name": "notes.docx", "mimeType": "application/octet-stream",
                                          "buffer": b"ce n'est pas un document Word"}])
    page.click("form[action='/envoyer/word'] button")
    page.wait_for_selector("h1")
    problems["upload refused"] = violations(page) + (off_screen(page, width) if width < 400 else [])
    assert {view: found for view, found in problems.items() if found} == {}


@pytest.mark.parametrize("width", WIDTHS)
def test_a_fiche_that_breaks_the_book_its_banner_and_its_editor_pass_axe(seen, width):
    desk, base, at = seen
    path = desk.root / "fiches" / "beta.md"
    good = path.read_text(encoding="utf-8")
    page = at(width)
    try:
        path.write_text(good.replace("title:", "title: [", 1), encoding="utf-8")
        page.goto(f"{base}/livre")
        page.wait_for_selector("#refused")
        problems = {"banner": violations(page)}
        page.goto(f"{base}/fiches/beta")
        problems["whole-file editor"] = violations(page) + (off_screen(page, width) if width < 400 else [])
        assert page.locator("#problem").inner_text().startswith("l'en-tête ne se lit pas, ligne 4")
    finally:
        path.write_text(good, encoding="utf-8")
    assert {view: found for view, found in problems.items() if found} == {}


def test_a_skip_link_leads_past_the_bar_to_the_pages(seen):
    desk, base, at = seen
    page = at(1280)
    page.goto(f"{base}/livre")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Aller au contenu"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "contenu"
    page.keyboard.press("Tab")                     # the next stop: the first page's text, not the bar again
    assert page.evaluate("!!document.activeElement.closest('main')")


def test_after_a_save_the_focus_and_the_screen_reader_say_it_and_an_invalid_field_is_described(seen):
    desk, base, at = seen
    page = at(1280)
    page.goto(f"{base}/fiches/gamma")
    page.fill("input[name=year]", "deux mille")
    page.click("button[type=submit]")
    page.wait_for_selector("#problem")
    year = page.locator("input[name=year]")
    assert year.get_attribute("aria-invalid") == "true" and year.get_attribute("aria-describedby") == "problem"
    page.wait_for_function("() => document.activeElement && document.activeElement.name === 'year'")
    assert "« Année »" in page.locator("#problem").inner_text()
    page.fill("input[name=year]", "2003")
    page.click("button[type=submit]")
    page.wait_for_url("**/fiches/gamma?enregistre=1")
    page.wait_for_function("document.getElementById('annonce').textContent === 'Enregistré.'")
    assert page.evaluate("document.activeElement.id") == "saved"
    assert page.locator("#saved").inner_text() == "Enregistré."


def test_a_page_refreshed_by_a_save_elsewhere_says_so(seen):
    desk, base, at = seen
    book, editor = at(1280), at(1280)
    book.goto(f"{base}/livre")
    drawn = book.evaluate("document.body.dataset.drawn")
    editor.goto(f"{base}/fiches/alpha")
    body = editor.locator("#body")
    body.fill(body.input_value() + "\n\nUne phrase pour que l'autre onglet se refasse.\n")
    editor.click("button[type=submit]")
    book.wait_for_function(f"document.body.dataset.drawn !== '{drawn}'", timeout=WAIT_S * 1000)
    book.wait_for_function("document.getElementById('annonce').textContent === 'Pages mises à jour.'")


@pytest.mark.parametrize("width", WIDTHS)
def test_the_team_pages_pass_axe_and_reflow(browser, team_served, width, tmp_path):
    """The login page (and a refused login), the accounts, the journal, a job's page, as the coordinator."""
    from .team import PASSWORD, PEOPLE, slow_volume

    desk, base = team_served
    context = browser.new_context(viewport={"width": width, "height": 900 if width > 400 else 640}, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(WAIT_S * 1000)
    problems = {}
    try:
        page.goto(f"{base}/connexion")
        problems["/connexion"] = violations(page) + (off_screen(page, width) if width < 400 else [])
        page.fill("#email", PEOPLE["coordination"][1])
        page.fill("#password", "pas le bon mot de passe")
        page.click("button[type=submit]")
        page.wait_for_selector("#problem")
        problems["refused login"] = violations(page) + (off_screen(page, width) if width < 400 else [])
        page.fill("#password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url("**/livre")
        release = tmp_path / "fin"
        release.touch()
        job = desk.jobs.submit(PEOPLE["coordination"][1], "Le volume", "volume.pdf", slow_volume, release)
        for view in ("/comptes", "/journal", f"/travaux/{job.id}", "/glossaire", "/index", "/nouvelle-fiche",
                     "/ordre", "/fiches/alpha/historique", "/tableau", "/livre/page/1", "/livre/page/2?deux=1"):
            page.goto(f"{base}{view}")
            problems[view] = violations(page) + (off_screen(page, width) if width < 400 else [])
        # two versions of a fiche side by side: its last line changed here and, meanwhile, on disk
        page.goto(f"{base}/fiches/gamma")
        path = desk.root / "fiches" / "gamma.md"
        text = page.locator("#body").input_value().rstrip("\n")
        page.locator("#body").fill(text.rsplit("\n", 1)[0] + f"\nLa note de bas de page, largeur {width}.\n")
        on_disk = path.read_text(encoding="utf-8").rstrip("\n")
        path.write_text(on_disk.rsplit("\n", 1)[0] + f"\nUne autre note, largeur {width}.\n", encoding="utf-8")
        page.get_by_role("button", name="Enregistrer").click()
        page.wait_for_selector("#conflict-title")
        problems["conflict"] = violations(page) + (off_screen(page, width) if width < 400 else [])
    finally:
        context.close()
    assert problems == {view: [] for view in problems}

"""Three people at once, each in a browser context of their own (Debian's chromium): the coordinator,
an editor who saves a fiche, a proofreader who sees the new text in the pages and whose save is
refused. Logged in through the login page, as they would."""

from __future__ import annotations

from .running import WAIT_S
from .running import page_of, until
from .team import PEOPLE, in_browser

SENTENCE = "Une phrase que Rémi vient tout juste de taper pour Rita."      # no apostrophe: typography turns it


def test_three_people_at_once(team_served, browser):
    desk, base = team_served
    coordinator = in_browser(browser, base, "coordination")
    editor = in_browser(browser, base, "redaction")
    proofreader = in_browser(browser, base, "relecture")
    try:
        until(lambda: desk.shown.pages, "no proof")
        proofreader.goto(base + page_of(desk, "Un seul paragraphe dans beta"))   # beta's page, to read it
        proofreader.wait_for_selector(".sheet img")
        assert "Comptes" in coordinator.locator("header nav").inner_text()
        assert "Comptes" not in editor.locator("header nav").inner_text() + proofreader.locator("header nav").inner_text()

        editor.goto(f"{base}/fiches/beta")
        body = editor.locator("#body")
        body.fill(body.input_value() + f"\n\n{SENTENCE}\n")
        editor.get_by_role("button", name="Enregistrer").click()
        editor.wait_for_url("**/fiches/beta?enregistre=1")
        assert SENTENCE in (desk.root / "fiches" / "beta.md").read_text(encoding="utf-8")

        # the proofreader's open pages refresh themselves with the new text
        proofreader.wait_for_function(f"() => document.body.textContent.includes({SENTENCE!r})",
                                      timeout=WAIT_S * 1000)
        # her editor offers no save; forced from the page, the server refuses it and writes nothing
        proofreader.goto(f"{base}/fiches/beta")
        assert proofreader.get_by_role("button", name="Enregistrer").count() == 0
        before = (desk.root / "fiches" / "beta.md").read_bytes()
        status = proofreader.evaluate("""async () => {
            const form = document.getElementById('fiche');
            form.querySelector('fieldset').disabled = false;
            const data = new FormData(form);
            data.set('body', data.get('body') + '\\n\\nPhrase de la relectrice.\\n');
            return (await fetch(form.action, {method: 'POST', body: new URLSearchParams(data)})).status;
        }""")
        assert status == 403 and (desk.root / "fiches" / "beta.md").read_bytes() == before

        # the coordinator sees who wrote it
        coordinator.goto(f"{base}/journal")
        assert PEOPLE["redaction"][0] in coordinator.locator("table.journal tbody tr").first.inner_text()
    finally:
        for page in (coordinator, editor, proofreader):
            page.context.close()

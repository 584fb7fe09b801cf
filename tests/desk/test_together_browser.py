"""Two editors on one fiche, each in a chromium context of their own: each sees that the other has it
open; changes to different paragraphs are both kept (both authors in the history); changes to the
same line show the second the conflict page — both texts, the lines marked, nothing written, and
nothing lost from either form. An editor moves a card on the board (the fiche's ``status:`` written, the
card in its new column); a proofreader answers a question (her reply under it, in the fiche, signed) and
is offered no « Résoudre »; the editor resolves it (gone from the fiche, in the resolved list)."""

from __future__ import annotations

import yaml

from publisher.desk.people import Accounts

from .conftest import settled
from .running import WAIT_S, go, until
from .team import PASSWORD, PEOPLE, commits, in_browser

MARC = ("Marc Leroy", "marc@cai.example")
PRESENCE_S = 5                       # « within a few seconds »


def paragraphs(page) -> list[str]:
    return page.locator("#body").input_value().rstrip("\n").split("\n\n")


def write(page, paragraphs_: list[str]) -> None:
    page.locator("#body").fill("\n\n".join(paragraphs_) + "\n")


def save(page, fiche: str) -> None:
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_load_state()


def test_two_editors_on_one_fiche(team_served, browser):
    desk, base = team_served
    settled(desk)                                   # the pages of « Fiches », where they land, reload no more
    Accounts(desk.root).add(*MARC, "redaction", PASSWORD)
    path = desk.root / "fiches" / "gamma.md"
    remi, marc = in_browser(browser, base, "redaction"), in_browser(browser, base, "redaction", MARC[1])
    try:
        remi.goto(f"{base}/fiches/gamma")
        marc.goto(f"{base}/fiches/gamma")
        remi.locator("#presence").filter(has_text=f"{MARC[0]} modifie aussi cette fiche").wait_for(
            timeout=PRESENCE_S * 1000)
        marc.locator("#presence").filter(has_text=f"{PEOPLE['redaction'][0]} modifie aussi cette fiche").wait_for(
            timeout=PRESENCE_S * 1000)

        # different paragraphs: both kept
        first, last = paragraphs(remi), paragraphs(marc)
        write(remi, ["### Un sous-titre changé par Rémi"] + first[1:])
        write(marc, last[:-1] + [last[-1] + " Une note ajoutée par Marc."])
        save(remi, "gamma")
        remi.wait_for_url("**/fiches/gamma?enregistre=1")
        save(marc, "gamma")
        marc.wait_for_url("**/fiches/gamma?enregistre=1")
        both = path.read_text(encoding="utf-8")
        assert "### Un sous-titre changé par Rémi" in both and "Une note ajoutée par Marc." in both
        authors = [author for author, _, _ in commits(desk.root)[:2]]
        assert authors == [f"{MARC[0]} <{MARC[1]}>", f"{PEOPLE['redaction'][0]} <{PEOPLE['redaction'][1]}>"]
        marc.goto(f"{base}/fiches/gamma/historique")
        listed = marc.locator("ol.versions > li strong").all_inner_texts()
        assert listed[:2] == [MARC[0], PEOPLE["redaction"][0]]
        assert "fusionné" in marc.locator("ol.versions > li").first.inner_text()

        # the same line: the second sees both versions, nothing is written, nothing lost
        remi.goto(f"{base}/fiches/gamma")
        marc.goto(f"{base}/fiches/gamma")
        mine, his = paragraphs(remi), paragraphs(marc)
        write(remi, ["### Le sous-titre selon Rémi"] + mine[1:])
        write(marc, ["### Le sous-titre selon Marc"] + his[1:])
        save(remi, "gamma")
        remi.wait_for_url("**/fiches/gamma?enregistre=1")
        saved = path.read_text(encoding="utf-8")
        save(marc, "gamma")
        marc.locator("#conflict-title").wait_for()
        assert path.read_text(encoding="utf-8") == saved                        # nothing written
        assert "### Le sous-titre selon Marc" in marc.locator("#body").input_value()      # his text, kept
        sides = marc.locator("figure.side")
        assert PEOPLE["redaction"][0] in sides.nth(0).locator("figcaption").inner_text()
        assert sides.nth(0).locator("li.hot").inner_text().startswith("### Le sous-titre selon Rémi")
        assert sides.nth(1).locator("li.hot").inner_text().startswith("### Le sous-titre selon Marc")
        assert sides.nth(0).locator("li.hot mark").all_inner_texts() == ["Rémi"]        # the words that differ
        assert sides.nth(1).locator("li.hot mark").all_inner_texts() == ["Marc"]
        assert "### Le sous-titre selon Rémi" in remi.locator("#body").input_value()     # hers, saved and shown
        marc.screenshot(path=str(desk.folder / "conflit.png"), full_page=True)

        # having seen hers, he saves again: his version is written, over hers, both in the history
        save(marc, "gamma")
        marc.wait_for_url("**/fiches/gamma?enregistre=1")
        assert "### Le sous-titre selon Marc" in path.read_text(encoding="utf-8")
    finally:
        remi.context.close()
        marc.context.close()


def test_presence_ends_when_the_editor_is_closed(team_served, browser):
    desk, base = team_served
    settled(desk)
    remi, coordinator = in_browser(browser, base, "redaction"), in_browser(browser, base, "coordination")
    try:
        remi.goto(f"{base}/fiches/alpha")
        coordinator.goto(f"{base}/fiches/alpha")
        said = remi.locator("#presence")
        said.filter(has_text=PEOPLE["coordination"][0]).wait_for(timeout=PRESENCE_S * 1000)
        coordinator.goto(f"{base}/questions")                                   # she leaves the fiche
        remi.wait_for_function("() => document.getElementById('presence').textContent === ''",
                               timeout=WAIT_S * 1000)
    finally:
        remi.context.close()
        coordinator.context.close()


QUESTION = "{== Un seul paragraphe ==}{>> Un seul, vraiment ? — Claire Coordination <<}"


def test_a_card_moved_and_a_question_answered_then_resolved(team_served, browser):
    desk, base = team_served
    beta = desk.root / "fiches" / "beta.md"
    remi, rita = in_browser(browser, base, "redaction"), in_browser(browser, base, "relecture")
    try:
        settled(desk)
        go(remi, f"{base}/tableau")
        card = remi.locator("#carte-beta")
        card.get_by_label("Étape").select_option("à relire")
        card.get_by_role("button", name="Déplacer").click()
        remi.wait_for_url(f"{base}/tableau#carte-beta")                       # back at the card
        column = remi.locator("section.column", has=remi.locator("#carte-beta")).locator("h2")
        assert column.inner_text().startswith("à relire")
        assert yaml.safe_load(beta.read_text(encoding="utf-8").split("---")[1])["status"] == "à relire"

        beta.write_text(beta.read_text(encoding="utf-8").replace("Un seul paragraphe", QUESTION, 1), encoding="utf-8")
        until(lambda: any("Un seul, vraiment" in q.text for q in (desk.shown.result.questions if desk.shown.result
                                                                   else ())), "the question is not in the proof")
        settled(desk)
        go(rita, f"{base}/questions?fiche=beta")
        row = rita.locator("tr", has_text="Un seul paragraphe").first
        row.locator("summary").click()
        assert row.get_by_role("button", name="Résoudre (retirer de la fiche)").count() == 0     # hers to answer
        row.get_by_label("Votre réponse").fill("Oui, un seul.")
        row.get_by_role("button", name="Répondre").click()
        rita.wait_for_url(f"{base}/questions")
        assert f"{QUESTION}{{>> Oui, un seul. — {PEOPLE['relecture'][0]} <<}}" in beta.read_text(encoding="utf-8")

        settled(desk)
        go(remi, f"{base}/questions?fiche=beta")      # its board, a view of the book, may be reloading
        row = remi.locator("tr", has_text="Un seul paragraphe").first
        assert "Oui, un seul." in row.locator("ol.replies").inner_text()            # the reply under its question
        row.locator("summary").click()
        row.get_by_role("button", name="Résoudre (retirer de la fiche)").click()
        remi.wait_for_url(f"{base}/questions?etat=resolues")
        text = beta.read_text(encoding="utf-8")
        assert "Un seul paragraphe dans" in text and "{>>" not in text and "{==" not in text
        assert "Un seul paragraphe" in remi.locator("table").inner_text()
    finally:
        remi.context.close()
        rita.context.close()

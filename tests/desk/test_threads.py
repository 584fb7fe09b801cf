"""A question's thread from the questions page: a proofreader replies (a further comment after it,
signed, one commit); she cannot resolve; an editor resolves it (taken out of the fiche, its words kept,
one commit) and the resolved questions say who and when; the page filters by fiche and by person."""

from __future__ import annotations


import lxml.html

from publisher.desk import make_app

from .running import form_fields, until
from .team import PEOPLE, commits, csrf_for, people, team_desk

MARKED = "Paragraphe alpha numéro 1."
QUESTION = "{== numéro 1 ==}{>> Est-ce le bon numéro ? — Rita Relecture <<}"


def thread_form(page: str, action: str, question: str) -> dict:
    """The fields of the form of the question whose words are ``question`` (as the page sends them)."""
    tree = lxml.html.fromstring(page)
    for form in tree.xpath(f"//form[@action='{action}']"):
        if form.xpath("string(.//input[@name='question']/@value)").startswith(question):
            form.set("id", "chosen")
            return form_fields(lxml.html.tostring(tree, encoding="unicode"), "chosen")
    raise AssertionError(f"no {action} form for « {question} »")


def test_reply_resolve_and_the_resolved_list(tmp_path):
    desk = team_desk(tmp_path)
    root = desk.root
    alpha = root / "fiches" / "alpha.md"
    alpha.write_text(alpha.read_text(encoding="utf-8").replace("Paragraphe alpha numéro 1.",
                                                               f"Paragraphe alpha {QUESTION}.", 1), encoding="utf-8")
    desk.start()
    until(lambda: desk.shown.drawn >= 1 and not desk.shown.building, "no first proof")
    app = make_app(desk)
    try:
        with people(app, "relecture", "redaction") as (rita, remi):
            page = rita.get("/questions").text
            assert "Résoudre" not in page                                       # hers to answer, not to resolve
            fields = thread_form(page, "/questions/repondre", "numéro 1")       # the words' thread, their comment in it
            fields.update(texte=["Oui : le premier de la fiche."], csrf=[csrf_for(app, rita, "/questions/repondre")])
            assert rita.post("/questions/repondre", data=fields).status_code == 303
            line = next(row for row in alpha.read_text(encoding="utf-8").split("\n") if "numéro 1" in row)
            assert f"{QUESTION}{{>> Oui : le premier de la fiche. — {PEOPLE['relecture'][0]} <<}}" in line
            assert commits(root)[0][:2] == ("Rita Relecture <rita@cai.example>", "2001 – Alpha : une première fiche "
                                            "assez longue pour le sommaire : réponse à une question")
            shown = until(lambda: "le premier de la fiche" in (t := rita.get("/questions").text) and t,
                          "the reply is not on the questions page")
            rows = [tr for tr in lxml.html.fromstring(shown).xpath("//table//tbody/tr")
                    if "le premier de la fiche" in tr.text_content()]
            assert len(rows) == 1 and "numéro 1" in rows[0].xpath("string(td[2]/strong/following-sibling::text())")
            assert [" ".join(li.text_content().split()) for li in rows[0].xpath(".//ol[@class='replies']/li")] == [
                "Est-ce le bon numéro ? – Rita Relecture", "Oui : le premier de la fiche. – Rita Relecture"]   # as typeset
            refused = thread_form(page, "/questions/repondre", "numéro 1")
            refused["csrf"] = [csrf_for(app, rita, "/questions/resoudre")]
            assert rita.post("/questions/resoudre", data=refused).status_code == 403

            resolve = thread_form(remi.get("/questions").text, "/questions/resoudre", "numéro 1")
            resolve["csrf"] = [csrf_for(app, remi, "/questions/resoudre")]
            assert remi.post("/questions/resoudre", data=resolve).status_code == 303
            text = alpha.read_text(encoding="utf-8")
            assert "Paragraphe alpha numéro 1." in text and "{>>" not in text and "{==" not in text
            assert commits(root)[0][0] == "Rémi Rédaction <remi@cai.example>"
            history = lxml.html.fromstring(remi.get("/fiches/alpha/historique").text)
            removed = " ".join(history.xpath("//ol[@class='versions']/li[1]//del/text()"))
            assert "Est-ce le bon numéro" in removed and "Oui : le premier" in removed          # kept in the history
            closed = lxml.html.fromstring(remi.get("/questions?etat=resolues").text)
            [row] = closed.xpath("//table//tbody/tr")
            assert PEOPLE["redaction"][0] in row.text_content() and "numéro 1" in row.text_content()
            assert not lxml.html.fromstring(remi.get("/questions?etat=resolues&fiche=beta").text).xpath(
                "//table//tbody/tr[count(td)=4]")
    finally:
        desk.stop()

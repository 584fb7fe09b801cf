"""Annotated proofs sent to the desk join the list of marks: a proofreader of the Word era sends her
annotated copy; the questions page lists its annotations with their reviewer, with no way for her to
write them; an editor writes them into the fiches in one click (one commit under his name, the
reviewer's name in the fiche); the copy then leaves the list, and sent again is not listed again."""

from __future__ import annotations

import lxml.html
import pikepdf

from ..collect.annotate import annotate, box, find, quads, words
from .running import until
from .team import PEOPLE, commits, csrf_for, people, running_team_desk

REVIEWER = "Rita Relecture"


def annotated_copy(client, folder, phrase: str, said: str):
    """The desk's proof, downloaded and highlighted on ``phrase`` with the comment ``said``, as a PDF reader does."""
    proof = folder / "epreuve.pdf"
    proof.write_bytes(client.get("/telecharger/epreuve.pdf").content)
    found = find(words(proof), phrase)
    with pikepdf.open(proof) as pdf:
        annotate(pdf, found[0].page, "/Highlight", box(found), quad=quads(found), author=REVIEWER, text=said)
        pdf.save(folder / "annotee.pdf")
    return {"fichier": ("epreuve-de-rita.pdf", (folder / "annotee.pdf").read_bytes())}


def received_rows(page: str) -> list[str]:
    return [" ".join(tr.text_content().split()) for tr in
            lxml.html.fromstring(page).xpath("//tbody[@class='received']/tr[td]")]


def test_an_annotated_copy_is_listed_with_its_reviewer_and_written_in_one_click(tmp_path):
    with running_team_desk(tmp_path) as (desk, app), people(app, "relecture", "redaction") as (rita, remi):
        beta = desk.root / "fiches" / "beta.md"
        sent = annotated_copy(rita, tmp_path, "Un seul paragraphe dans", "Lequel ?")
        before = beta.read_bytes()
        answer = rita.post("/envoyer/epreuves", files=sent,
                           data={"csrf": csrf_for(app, rita, "/envoyer/epreuves")})
        assert answer.status_code == 200 and "gardée" in answer.text and beta.read_bytes() == before

        listed = rita.get("/questions").text
        [row] = received_rows(listed)
        assert "Lequel ?" in row and REVIEWER in row and "fiches/beta.md:" in row
        assert f"envoyée par {PEOPLE['relecture'][0]}" in listed
        assert "Écrire ces annotations" not in listed                       # hers to send, not to write
        copy = lxml.html.fromstring(remi.get("/questions").text).xpath(
            "//tbody[@class='received']//form[contains(@action, '/ecrire')]/@action")[0]
        assert rita.post(copy, data={"csrf": csrf_for(app, rita, copy)}).status_code == 403
        assert beta.read_bytes() == before
        assert received_rows(remi.get("/questions?fiche=alpha").text) == []         # filtered by fiche
        assert len(received_rows(remi.get(f"/questions?personne={REVIEWER}").text)) == 1

        written = remi.post(copy, data={"csrf": csrf_for(app, remi, copy)})           # the one click
        assert written.status_code == 200, written.text[-600:]
        line = next(x for x in beta.read_text(encoding="utf-8").split("\n") if "{==" in x)
        assert "{>> Lequel ? — Rita Relecture <<}" in line and "paragraphe dans" in line
        author, message, files = commits(desk.root)[0]
        assert author == "Rémi Rédaction <remi@cai.example>" and files == ["fiches/beta.md"]
        assert f"annotations de {REVIEWER} écrites (epreuve-de-rita.pdf)" in message
        assert received_rows(remi.get("/questions").text) == []                 # written: off the list
        until(lambda: "Lequel" in rita.get("/questions?fiche=beta").text, "the mark is not a question yet")

        again = rita.post("/envoyer/epreuves", files=sent, data={"csrf": csrf_for(app, rita, "/envoyer/epreuves")})
        assert again.status_code == 200 and received_rows(rita.get("/questions").text) == []


def test_a_copy_taken_off_the_list_leaves_the_fiches_as_they_are(tmp_path):
    with running_team_desk(tmp_path) as (desk, app), people(app, "relecture", "redaction") as (rita, remi):
        sent = annotated_copy(rita, tmp_path, "Un seul paragraphe dans", "À couper ?")
        rita.post("/envoyer/epreuves", files=sent, data={"csrf": csrf_for(app, rita, "/envoyer/epreuves")})
        before = {p.name: p.read_bytes() for p in (desk.root / "fiches").glob("*.md")}
        drop = lxml.html.fromstring(remi.get("/questions").text).xpath(
            "//tbody[@class='received']//form[contains(@action, '/retirer')]/@action")[0]
        assert remi.post(drop, data={"csrf": csrf_for(app, remi, drop)}).status_code == 303
        assert received_rows(remi.get("/questions").text) == []
        assert {p.name: p.read_bytes() for p in (desk.root / "fiches").glob("*.md")} == before
        entry = app.state.journal.entries(last=1)[0]
        assert (entry.name, entry.what) == (PEOPLE["redaction"][0],
                                            "épreuve annotée retirée de la liste (epreuve-de-rita.pdf)")
        gone = remi.post(drop, data={"csrf": csrf_for(app, remi, drop)})
        assert gone.status_code == 404 and "plus dans la liste" in gone.text

"""The desk's routes without a browser (Starlette's TestClient): the token, the book's files only,
a save refused without losing a word, a wrong field named, a Word document sent, the downloads.
What only a browser shows (a page refreshed by the server, the editor opened at a line) is in
test_desk.py."""

from __future__ import annotations

import io

import lxml.html
import pytest
from pypdf import PdfReader
from starlette.testclient import TestClient

from publisher.desk import make_app

from ..conftest import FIXTURES
from .running import TOKEN, desk_on_a_copy, form_fields, until

@pytest.fixture(scope="module")
def desk(tmp_path_factory):
    running = desk_on_a_copy(tmp_path_factory.mktemp("routes"))
    yield running
    running.stop()


ORIGIN = "http://127.0.0.1"              # the desk's own address, as its pages send it


@pytest.fixture
def client(desk):
    with TestClient(make_app(desk, TOKEN), base_url=ORIGIN, headers={"origin": ORIGIN}) as opened:
        assert opened.get(f"/livre?token={TOKEN}").status_code == 200        # the address the terminal shows
        yield opened


def test_no_token_no_desk_and_nothing_outside_the_book(desk):
    with TestClient(make_app(desk, TOKEN), base_url=ORIGIN) as stranger:
        for path in ("/livre", "/fiches/alpha", "/telecharger/epreuve.pdf", "/static/desk.js"):
            assert stranger.get(path).status_code == 403, path
        assert stranger.get("/livre?token=pas-le-bon").status_code == 403
        answer = stranger.get(f"/livre?token={TOKEN}")
        assert answer.status_code == 200 and "default-src 'none'" in answer.headers["content-security-policy"]
        assert stranger.get("/fiches/alpha").status_code == 200               # the cookie, from now on
        for outside in ("/../../etc/passwd", "/static/..%2F..%2F..%2Fetc%2Fpasswd", "/fiches/..%2F..%2Fetc%2Fpasswd",
                        "/static/book.yaml", "/livre/image/999.jpg", "/livre/page/999", "/fiches/Majuscules"):
            assert stranger.get(outside).status_code == 404, outside


def test_a_fiche_saved_as_shown_is_the_same_file(client, desk):
    path = desk.root / "fiches" / "alpha.md"
    before = path.read_bytes()
    sent = client.post("/fiches/alpha", data=form_fields(client.get("/fiches/alpha").text), follow_redirects=False)
    assert sent.status_code == 303 and sent.headers["location"] == "/fiches/alpha?enregistre=1"
    assert path.read_bytes() == before
    assert "Enregistré." in client.get(sent.headers["location"]).text


def test_a_save_over_a_file_changed_meanwhile_is_merged_when_other_lines_changed(client, desk):
    fields = form_fields(client.get("/fiches/beta").text)
    path = desk.root / "fiches" / "beta.md"
    meanwhile = path.read_text(encoding="utf-8").replace("Beta", "Bêta", 1)
    path.write_text(meanwhile, encoding="utf-8")                        # someone else saved it
    fields["body"] = [fields["body"][0] + "\n\nMa phrase à ne pas perdre.\n"]
    assert client.post("/fiches/beta", data=fields, follow_redirects=False).status_code == 303
    both = path.read_text(encoding="utf-8")
    assert "Bêta" in both and both.rstrip().endswith("Ma phrase à ne pas perdre.")


def test_a_save_over_the_same_lines_changed_meanwhile_shows_both_and_loses_nothing(client, desk):
    fields = form_fields(client.get("/fiches/gamma").text)
    path = desk.root / "fiches" / "gamma.md"
    lines = path.read_text(encoding="utf-8").split("\n")
    last = max(k for k, line in enumerate(lines) if line.strip())
    lines[last] = "La phrase de l'autre personne."
    meanwhile = "\n".join(lines)
    path.write_text(meanwhile, encoding="utf-8")
    mine = fields["body"][0].rstrip().split("\n")
    fields["body"] = ["\n".join(mine[:-1] + ["Ma version de cette ligne."]) + "\n"]
    refused = client.post("/fiches/gamma", data=fields)
    assert refused.status_code == 409
    page = lxml.html.fromstring(refused.text)
    assert "les mêmes lignes" in page.get_element_by_id("problem").text_content()
    assert "Ma version de cette ligne." in page.get_element_by_id("body").text             # the form keeps it
    hot = [li.text_content() for li in page.xpath("//li[@class='hot']")]
    assert "La phrase de l'autre personne. (en conflit)" in hot and "Ma version de cette ligne. (en conflit)" in hot
    assert path.read_text(encoding="utf-8") == meanwhile                                 # nothing written
    again = {**fields, **{k: v for k, v in form_fields(refused.text).items() if k in ("digest", "base")}}
    assert client.post("/fiches/gamma", data=again, follow_redirects=False).status_code == 303  # seen: saved
    assert "Ma version de cette ligne." in path.read_text(encoding="utf-8")


def test_a_wrong_field_is_named_and_nothing_written(client, desk):
    before = (desk.root / "fiches" / "gamma.md").read_bytes()
    fields = {**form_fields(client.get("/fiches/gamma").text), "year": ["deux mille un"]}
    refused = client.post("/fiches/gamma", data=fields)
    assert refused.status_code == 409
    page = lxml.html.fromstring(refused.text)
    assert "« Année »" in page.get_element_by_id("problem").text_content()
    [year] = page.xpath("//input[@name='year']")
    assert year.get("aria-invalid") == "true" and year.get("value") == "deux mille un"      # what was typed, kept
    assert (desk.root / "fiches" / "gamma.md").read_bytes() == before


def test_a_word_document_sent_becomes_a_fiche(client, desk):
    document = (FIXTURES / "word" / "notes-et-image.docx").read_bytes()
    token = {"csrf": lxml.html.fromstring(client.get("/envoyer").text).xpath(
        "//form[@action='/envoyer/word']//input[@name='csrf']/@value")[0]}
    sent = client.post("/envoyer/word", data=token, files={"fichier": ("notes-et-image.docx", document)})
    assert sent.status_code == 200 and "Document Word importé" in sent.text
    assert (desk.root / "fiches" / "2021-notes-image-et-listes.md").is_file()
    listed = lxml.html.fromstring(client.get("/fiches").text)
    assert listed.xpath("//a[@href='/fiches/2021-notes-image-et-listes']")
    refused = client.post("/envoyer/word", data=token, files={"fichier": ("notes.docx", b"pas un document Word")})
    assert refused.status_code in (415, 422) and "Envoi refusé" in refused.text


def test_downloads(client):
    proof = client.get("/telecharger/epreuve.pdf")
    assert proof.status_code == 200 and proof.content.startswith(b"%PDF-")
    assert 'filename="epreuve.pdf"' in proof.headers["content-disposition"]
    listed = lxml.html.fromstring(client.get("/telecharger").text)
    [form, *_] = listed.xpath("//form[starts-with(@action, '/telecharger/livret/')]")
    title = form.xpath("string(.//button)").split("«")[1].split("»")[0].strip()
    asked = client.post(form.get("action"), data={"csrf": form.xpath(".//input[@name='csrf']/@value")[0]},
                        follow_redirects=False)
    assert asked.status_code == 303 and asked.headers["location"].startswith("/travaux/")
    job = asked.headers["location"]
    assert title in client.get(job).text
    state = until(lambda: (s := client.get(f"{job}/etat").json())["state"] in ("fait", "refusé") and s, "job not done")
    assert state["state"] == "fait" and state["total"] > 0 and state["done"] == state["total"], state
    booklet = client.get(state["file"])
    assert booklet.status_code == 200 and booklet.content.startswith(b"%PDF-")
    first = PdfReader(io.BytesIO(booklet.content)).pages[0].extract_text()
    assert title.split()[0] in first                                   # the booklet asked for, on its cover
    page = lxml.html.fromstring(client.get(job).text)
    assert page.xpath("//p[@id='job-file' and not(@hidden)]/a/@href") == [state["file"]]
    since = listed.xpath("//form[@action='/telecharger/epreuve-depuis.pdf']")   # the proof was downloaded above
    asked = client.post(since[0].get("action"), data={"csrf": since[0].xpath(".//input[@name='csrf']/@value")[0]},
                        follow_redirects=False)
    state = until(lambda: (s := client.get(f"{asked.headers['location']}/etat").json())["state"] in ("fait", "refusé")
                  and s, "the proof since did not end")
    assert state["state"] == "fait", state
    assert "ÉPREUVE" in PdfReader(io.BytesIO(client.get(state["file"]).content)).pages[0].extract_text()
    refused = client.post("/telecharger/livret/pas-un-livret.pdf", data={"csrf": "x"})
    assert refused.status_code == 403                                   # a form not from the desk
    assert client.get("/travaux/pas-un-travail").status_code == 404


def test_the_questions_lead_to_their_fiche_and_line(client, desk):
    page = lxml.html.fromstring(client.get("/questions").text)
    links = page.xpath("//a[contains(@class, 'open-fiche')]/@href")
    assert links
    for href in links:
        fiche, line = href.split("/fiches/")[1].split("?ligne=")
        assert (desk.root / "fiches" / f"{fiche}.md").is_file() and int(line) >= 1
        assert client.get(href).status_code == 200


def test_a_mark_sent_as_json_lands_on_its_words(client, desk):
    """The marks' contract, without a browser: the words' boxes in the page's PDF space → the fiche's line."""
    until(lambda: desk.shown.pages and not desk.shown.building, "no proof")
    shown = desk.shown
    index = next(k for k, page in enumerate(shown.words, start=1) if k > shown.front
                 and any(w[0] == "paragraphe" for w in page.words))
    page = shown.words[index - 1]
    [word] = [w for w in page.words if w[0] == "paragraphe"][:1]
    box = [word[1], page.height - word[4], word[3], page.height - word[2]]           # y upwards, as in a PDF
    token = lxml.html.fromstring(client.get(f"/livre/page/{index - shown.front}").text).xpath(
        "//*[@id='marks']/@data-csrf")[0]
    mark = {"page": index, "kind": "comment", "boxes": [box], "text": "Un paragraphe de trop ?"}
    assert client.post("/epreuve/marques", json=mark).status_code == 403                 # no token: refused
    assert client.post("/epreuve/marques", json={**mark, "kind": "gribouillis"},
                       headers={"X-CSRF-Token": token}).status_code == 400
    assert client.post("/epreuve/marques", json={**mark, "page": 999},
                       headers={"X-CSRF-Token": token}).status_code == 400
    answer = client.post("/epreuve/marques", json=mark, headers={"X-CSRF-Token": token})
    assert answer.status_code == 201, answer.text
    said = answer.json()
    assert said["covered"] == "paragraphe" and said["path"].startswith("fiches/")
    line = (desk.root / said["path"]).read_text(encoding="utf-8").split("\n")[said["line"] - 1]
    assert "{== paragraphe ==}{>> Un paragraphe de trop ? <<}" in line           # alone: signed by nobody

"""The team's desk against what a team meets: wrong passwords and guessed ones, a cookie of another
server, forms from elsewhere, a title that is a script, ``../`` in every address, files too large or
not what they say, the coordination's « Comptes » page, the author of each change, and the password
itself, which must be in no answer, no log and no file of the book."""

from __future__ import annotations

import logging
import re
import socket

import lxml.html
import pikepdf
import pytest

from publisher.cli import names_of_this_machine
from publisher.desk import make_app
from publisher.desk.routes import TABLE

from ..conftest import FIXTURES
from .running import form_fields, until
from .team import PASSWORD, PEOPLE, client_of, csrf_for, logged_in, login_token, slow_volume

EVIL_TITLE = "<script>alert('titre')</script>"
EVIL_LEAD = "<img src=x onerror=alert('chapeau')>"
EVIL_COMMENT = "<img src=y onerror=alert('commentaire')>"


@pytest.fixture(scope="module")
def said(team):
    """Every answer the tests of this file received, to look for the password in."""
    return []


def post_login(client, email: str, password: str):
    return client.post("/connexion", data={"csrf": login_token(client), "email": email, "password": password,
                                           "suite": "/livre"})


def test_a_wrong_password_and_an_unknown_address_are_answered_alike(team, said):
    _, app = team
    with client_of(app) as client:
        wrong = post_login(client, PEOPLE["redaction"][1], "pas le bon mot de passe")
        unknown = post_login(client, "personne@cai.example", "pas le bon mot de passe")
        said.extend([wrong.text, unknown.text])
        assert wrong.status_code == unknown.status_code == 401
        problem = [lxml.html.fromstring(a.text).get_element_by_id("problem").text_content() for a in (wrong, unknown)]
        assert problem[0] == problem[1] == "adresse ou mot de passe incorrect"
        assert "publisher-session" not in client.cookies
        assert client.get("/livre").status_code == 303


def test_five_wrong_tries_and_that_address_waits_but_not_the_others(team, said):
    desk, _ = team
    app = make_app(desk)                                  # a brake of its own
    target = PEOPLE["relecture"][1]
    with client_of(app) as client:
        answers = [post_login(client, target, f"essai numéro {k} au hasard") for k in range(6)]
        assert [a.status_code for a in answers] == [401] * 5 + [429]
        assert "réessayez dans 5 minute" in answers[-1].text
        assert post_login(client, target, PASSWORD).status_code == 429          # even the right one, for now
        unknown = [post_login(client, "inconnu@cai.example", f"essai {k} au hasard") for k in range(6)]
        assert unknown[-1].status_code == 429                                    # the same, known or not
        other = post_login(client, PEOPLE["redaction"][1], PASSWORD)
        assert other.status_code == 303 and other.headers["location"] == "/livre"
        said.extend(a.text for a in answers)


def test_a_session_of_another_server_opens_nothing(team):
    desk, app = team
    reader = logged_in(app, "coordination")
    try:
        cookie = reader.cookies["publisher-session"]
        assert reader.get("/livre").status_code == 200
    finally:
        reader.__exit__(None, None, None)
    with client_of(make_app(desk)) as elsewhere:
        elsewhere.cookies.set("publisher-session", cookie)
        answer = elsewhere.get("/livre")
        assert answer.status_code == 303 and answer.headers["location"].startswith("/connexion")


def test_a_form_without_its_token_or_with_another_changes_nothing(team):
    desk, app = team
    editor = logged_in(app, "redaction")
    path = desk.root / "fiches" / "alpha.md"
    try:
        before = path.read_bytes()
        fields = {**form_fields(editor.get("/fiches/alpha").text), "title": "Changé sans jeton"}
        for token in ([], ["0" * 32], [csrf_for(app, editor, "/fiches/beta")]):     # none, made up, another form's
            answer = editor.post("/fiches/alpha", data={**fields, "csrf": token})
            assert answer.status_code == 403 and path.read_bytes() == before, token
        header = {k: v for k, v in fields.items() if k != "csrf"}
        scripted = editor.post("/fiches/alpha", data=header,
                               headers={"X-CSRF-Token": csrf_for(app, editor, "/fiches/alpha")})
        assert scripted.status_code == 303                                      # a script's header is enough
        assert b"Chang\xc3\xa9 sans jeton" in path.read_bytes()
        path.write_bytes(before)
        refused = editor.post("/fiches/alpha", data=header, headers={"origin": "http://ailleurs.example"})
        assert refused.status_code == 403
    finally:
        editor.__exit__(None, None, None)


def test_the_desk_answers_to_its_own_names_only(team):
    _, app = team
    editor = logged_in(app, "redaction")
    try:
        assert editor.get("/livre", headers={"host": "127.0.0.1:8765"}).status_code == 200
        refused = editor.get("/livre", headers={"host": "attaquant.example"})
        assert refused.status_code == 403 and "ne répond qu'à ses propres noms" in refused.text
    finally:
        editor.__exit__(None, None, None)
    named = make_app(team[0], names=("livre.cai.lan",))
    with client_of(named) as client:
        assert client.get("/connexion", headers={"host": "livre.cai.lan"}).status_code == 200
    everywhere = make_app(team[0], names=names_of_this_machine())        # --host 0.0.0.0: this machine's names
    with client_of(everywhere) as client:
        assert client.get("/connexion", headers={"host": f"{socket.gethostname()}:8765"}).status_code == 200
        assert client.get("/connexion", headers={"host": "attaquant.example"}).status_code == 403


def test_a_script_in_a_title_a_chapeau_or_a_comment_is_shown_as_text(team):
    desk, app = team
    editor = logged_in(app, "redaction")
    coordinator = logged_in(app, "coordination")
    try:
        fields = form_fields(editor.get("/fiches/gamma").text)
        fields.update(title=[EVIL_TITLE], lead=[EVIL_LEAD],
                      body=[fields["body"][0].rstrip() + f" {{>> {EVIL_COMMENT} <<}}\n"])
        fields["csrf"] = [csrf_for(app, editor, "/fiches/gamma")]
        assert editor.post("/fiches/gamma", data=fields).status_code == 303
        until(lambda: not desk.shown.building and any("alert('commentaire')" in t for t in desk.shown.texts)
              or (desk.shown.result and any("commentaire" in q.text for q in desk.shown.result.questions)),
              "the comment never reached the proof")
        skipped = ("/evenements", "/etat", "/", "/connexion", "/telecharger/epreuve.pdf", "/livre/aller")
        views = [r.path for r in TABLE if r.method == "GET" and "{" not in r.path and r.path not in skipped] \
            + ["/fiches/gamma"] + [f"/livre/page/{folio}" for folio in range(1, desk.shown.pages - desk.shown.front + 1)]
        for view in views:
            page = coordinator.get(view)
            assert page.status_code == 200, view
            html = page.text
            assert "<script>alert" not in html and "<img src=x" not in html and "<img src=y" not in html, view
            tree = lxml.html.fromstring(html)
            scripts = tree.xpath("//script/@src")
            assert "/static/desk.js" in scripts and set(scripts) <= {"/static/desk.js", "/static/reader.js"}, view
            assert not tree.xpath("//script[not(@src)]"), view
            assert not tree.xpath("//*[@onerror]"), view
        shown = coordinator.get("/fiches/gamma").text
        assert "&lt;script&gt;alert(&#39;titre&#39;)&lt;/script&gt;" in shown
        assert "&lt;img src=y onerror=alert(" in coordinator.get("/questions").text      # said, as text
    finally:
        editor.__exit__(None, None, None)
        coordinator.__exit__(None, None, None)


def test_no_route_parameter_leaves_the_book(team):
    desk, app = team
    coordinator = logged_in(app, "coordination")
    secret = (desk.root / "book.yaml").read_bytes()[:40]
    try:
        for rule in TABLE:
            for name in re.findall(r"\{(\w+)[^}]*\}", rule.path):
                for evil in ("..%2F..%2Fbook.yaml", "..%2Fbook", "%2E%2E%2F%2E%2E%2Fetc%2Fpasswd", "..\\book.yaml"):
                    path = re.sub(r"\{" + name + r"[^}]*\}", lambda _, evil=evil: evil, rule.path)
                    if rule.method == "GET":
                        answer = coordinator.get(path)
                    else:
                        answer = coordinator.post(path, data={"csrf": csrf_for(app, coordinator, path)})
                    assert answer.status_code in (400, 403, 404), (rule.path, path, answer.status_code)
                    assert secret not in answer.content and b"root:" not in answer.content, path
    finally:
        coordinator.__exit__(None, None, None)


def test_uploads_too_large_or_not_what_they_say_are_refused(team):
    desk, app = team
    editor = logged_in(app, "redaction")
    fiches = sorted(p.name for p in (desk.root / "fiches").iterdir())
    try:
        token = {"csrf": csrf_for(app, editor, "/envoyer/word")}
        declared = {"content-length": str(60_000_000), "content-type": "multipart/form-data; boundary=x"}
        too_large = editor.post("/envoyer/word", content=b"x" * 1000, headers=declared)
        assert too_large.status_code == 413
        pdf = (FIXTURES / "word" / "notes-et-image.docx").read_bytes()
        not_word = editor.post("/envoyer/word", data=token, files={"fichier": ("rapport.docx", b"%PDF-1.7\n" + pdf[:50])})
        assert not_word.status_code in (415, 422) and "refusé" in not_word.text        # read by its content
        token = {"csrf": csrf_for(app, editor, "/envoyer/epreuves")}
        not_pdf = editor.post("/envoyer/epreuves", data=token, files={"fichier": ("epreuve.pdf", pdf)})
        assert not_pdf.status_code == 415 and "pas une épreuve PDF" in not_pdf.text
        assert sorted(p.name for p in (desk.root / "fiches").iterdir()) == fiches
    finally:
        editor.__exit__(None, None, None)


def test_the_coordination_manages_the_accounts_in_the_desk(team):
    desk, app = team
    coordinator = logged_in(app, "coordination")
    try:
        page = coordinator.get("/comptes").text
        assert all(email in page for _, email in PEOPLE.values())
        added = coordinator.post("/comptes", data={"csrf": csrf_for(app, coordinator, "/comptes"), "name": "Marc Leroy",
                                                    "email": "marc@cai.example", "role": "redaction",
                                                    "password": "un autre mot de passe"})
        assert added.status_code == 303
        short = coordinator.post("/comptes", data={"csrf": csrf_for(app, coordinator, "/comptes"), "name": "Court",
                                                    "email": "court@cai.example", "role": "redaction", "password": "court"})
        assert short.status_code == 422 and "au moins 10 caractères" in short.text
        with client_of(app) as marc:
            assert post_login(marc, "marc@cai.example", "un autre mot de passe").status_code == 303
            assert marc.get("/fiches").status_code == 200
            change = csrf_for(app, coordinator, "/comptes/modifier")
            closed = coordinator.post("/comptes/modifier", data={"csrf": change, "email": "marc@cai.example",
                                                                 "action": "fermer"})
            assert closed.status_code == 303
            assert marc.get("/fiches").headers.get("location", "").startswith("/connexion")    # out at once
            assert post_login(marc, "marc@cai.example", "un autre mot de passe").status_code == 401
        alone = coordinator.post("/comptes/modifier", data={"csrf": change, "email": PEOPLE["coordination"][1],
                                                            "action": "fermer"})
        assert alone.status_code == 422 and "au moins un compte de coordination" in alone.text
    finally:
        coordinator.__exit__(None, None, None)


def test_each_change_is_recorded_with_its_author(team):
    desk, app = team
    editor = logged_in(app, "redaction")
    try:
        fields = form_fields(editor.get("/fiches/beta").text)
        fields["body"] = [fields["body"][0].rstrip() + "\n\nUne phrase ajoutée par Rémi.\n"]
        fields["csrf"] = [csrf_for(app, editor, "/fiches/beta")]
        assert editor.post("/fiches/beta", data=fields).status_code == 303
        name = PEOPLE["redaction"][0]
        assert f"Dernière modification dans le bureau : {name}" in editor.get("/fiches/beta").text
        journal = lxml.html.fromstring(editor.get("/journal").text)
        [first] = journal.xpath("//table[contains(@class, 'journal')]/tbody/tr[1]")
        assert [c.text_content() for c in first.xpath("td")][1:] == [name, "texte modifié", "beta"]
        token = {"csrf": csrf_for(app, editor, "/envoyer/word")}
        document = (FIXTURES / "word" / "notes-et-image.docx").read_bytes()
        assert editor.post("/envoyer/word", data=token,
                           files={"fichier": ("notes-et-image.docx", document)}).status_code == 200
        entry = app.state.journal.entries(last=1)[0]
        assert (entry.name, entry.what, entry.fiches) == (name, "importée d'un document Word",
                                                          ("2021-notes-image-et-listes",))
    finally:
        editor.__exit__(None, None, None)


def test_the_password_is_in_no_answer_no_log_and_no_file_of_the_book(team, said, caplog, capfd):
    desk, app = team
    with caplog.at_level(logging.DEBUG):
        with client_of(app) as client:
            answer = post_login(client, PEOPLE["coordination"][1], PASSWORD)
            said.extend([answer.text, str(answer.headers)])
            for path in ("/livre", "/fiches", "/comptes", "/journal", "/telecharger"):
                page = client.get(path)
                said.extend([page.text, str(page.headers)])
    assert said and not any(PASSWORD in text for text in said)
    assert PASSWORD not in caplog.text
    out, err = capfd.readouterr()
    assert PASSWORD not in out + err
    for path in desk.root.rglob("*"):
        if path.is_file():
            assert PASSWORD.encode() not in path.read_bytes(), path
    stored = (desk.root / ".desk" / "comptes.json").read_text(encoding="utf-8")
    assert "$argon2id$" in stored and (desk.root / ".desk" / ".gitignore").read_text().strip().endswith("*")


def test_a_job_in_the_background_shows_its_progress_and_a_save_does_not_wait(team, tmp_path):
    desk, app = team
    coordinator = logged_in(app, "coordination")
    editor = logged_in(app, "redaction")
    release = tmp_path / "fin"
    try:
        job = desk.jobs.submit(PEOPLE["coordination"][1], "Le volume", "volume.pdf", slow_volume, release)
        until(lambda: desk.jobs.get(job.id, PEOPLE["coordination"][1]).done == 3, "the job never began")
        page = lxml.html.fromstring(coordinator.get(f"/travaux/{job.id}").text)
        [bar] = page.xpath("//progress[@id='job-progress']")
        assert (bar.get("value"), bar.get("max")) == ("3", "10")
        assert "3 pages sur 10" in page.get_element_by_id("job-said").text_content()
        assert page.xpath("//p[@id='job-file']/@hidden")                       # no link yet
        assert editor.get(f"/travaux/{job.id}").status_code == 404             # another person's job
        fields = form_fields(editor.get("/fiches/alpha").text)
        fields["body"] = [fields["body"][0].rstrip() + "\n\nÉcrit pendant la fabrication du volume.\n"]
        fields["csrf"] = [csrf_for(app, editor, "/fiches/alpha")]
        assert editor.post("/fiches/alpha", data=fields).status_code == 303    # the save did not wait
        assert desk.jobs.get(job.id, PEOPLE["coordination"][1]).state == "en cours"
        release.touch()
        state = until(lambda: (s := coordinator.get(f"/travaux/{job.id}/etat").json())["state"] == "fait" and s,
                      "the job did not end")
        assert state["said"] == "Fait : 10 pages." and coordinator.get(state["file"]).content == b"%PDF-1.7\n"
    finally:
        release.touch()
        coordinator.__exit__(None, None, None)
        editor.__exit__(None, None, None)


def test_a_proofreader_sends_comments_and_an_editor_writes_them_under_his_name(team, tmp_path):
    from ..collect.annotate import annotate, box, find, quads, words

    desk, app = team
    reader, editor = logged_in(app, "relecture"), logged_in(app, "redaction")
    beta = desk.root / "fiches" / "beta.md"
    try:
        proof = tmp_path / "epreuve.pdf"
        proof.write_bytes(reader.get("/telecharger/epreuve.pdf").content)
        ws = words(proof)
        phrase = find(ws, "Un seul paragraphe dans")
        with pikepdf.open(proof) as pdf:
            annotate(pdf, phrase[0].page, "/Highlight", box(phrase), quad=quads(phrase), author="Rita Relecture",
                     text="Lequel ?")
            pdf.save(tmp_path / "annotee.pdf")
        sent = {"fichier": ("annotee.pdf", (tmp_path / "annotee.pdf").read_bytes())}
        before = beta.read_bytes()
        read = reader.post("/envoyer/epreuves", data={"csrf": csrf_for(app, reader, "/envoyer/epreuves")}, files=sent)
        assert read.status_code == 200, read.text[-600:]
        assert "Lequel ?" in read.text and beta.read_bytes() == before
        entries = len(app.state.journal.entries())           # the copy received (kept for an editor), said
        forced = reader.post("/envoyer/epreuves", files=sent,
                             data={"csrf": csrf_for(app, reader, "/envoyer/epreuves"), "appliquer": "oui"})
        assert forced.status_code == 403 and beta.read_bytes() == before
        assert len(app.state.journal.entries()) == entries                  # nothing written, nothing recorded
        applied = editor.post("/envoyer/epreuves", files=sent,
                              data={"csrf": csrf_for(app, editor, "/envoyer/epreuves"), "appliquer": "oui"})
        assert applied.status_code == 200 and "{>>" in beta.read_text(encoding="utf-8")
        entry = app.state.journal.entries(last=1)[0]
        assert (entry.name, entry.what, entry.fiches) == (PEOPLE["redaction"][0], "annotations des relecteurs écrites",
                                                          ("beta",))
    finally:
        reader.__exit__(None, None, None)
        editor.__exit__(None, None, None)

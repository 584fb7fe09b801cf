"""Every change made in the desk is a git commit under its author's name, with a French message;
what changed outside the desk is committed first under « hors du bureau »; in a repository that
holds more than the book, only the book's files are committed."""

from __future__ import annotations

import shutil

import lxml.html
import yaml

from publisher.desk import Desk, make_app

from ..conftest import FIXTURES, MINIBOOK
from .running import form_fields, until
from .team import PEOPLE, commits, csrf_for, git, logged_in, people, team_desk, with_accounts


def desk_in(root, folder):
    desk = Desk(root, folder)
    desk.start()
    until(lambda: desk.shown.drawn >= 1 and not desk.shown.building, "no first proof")
    with_accounts(desk)
    return desk


def save(app, client, fiche: str, sentence: str = "") -> int:
    """The fiche saved with ``sentence`` added (none: as it is shown)."""
    fields = form_fields(client.get(f"/fiches/{fiche}").text)
    if sentence:
        fields["body"] = [fields["body"][0].rstrip() + f"\n\n{sentence}\n"]
    fields["csrf"] = [csrf_for(app, client, f"/fiches/{fiche}")]
    answer = client.post(f"/fiches/{fiche}", data=fields)
    if answer.status_code != 303:                      # why, in the failure's message
        return (answer.status_code, lxml.html.fromstring(answer.text).xpath("string(//*[@id='problem'])"))
    return answer.status_code


def test_each_change_is_a_commit_by_its_author_and_outside_changes_come_first(tmp_path):
    root = tmp_path / "book"
    shutil.copytree(MINIBOOK, root)
    desk = desk_in(root, tmp_path / "bureau")
    app = make_app(desk)
    editor = logged_in(app, "redaction")
    try:
        (root / "fiches" / "gamma.md").write_text((root / "fiches" / "gamma.md").read_text(encoding="utf-8")
                                                  + "\nAjouté dans un éditeur de texte.\n", encoding="utf-8")
        assert save(app, editor, "alpha", "Une phrase de Rémi.") == 303
        name, email = PEOPLE["redaction"]
        [mine, outside, *first] = commits(root)
        title = yaml.safe_load((root / "fiches" / "alpha.md").read_text(encoding="utf-8").split("---")[1])["title"]
        assert mine == (f"{name} <{email}>", f"2001 – {title} : texte modifié", ["fiches/alpha.md"])
        assert outside[0] == "hors du bureau <hors-du-bureau@publisher.invalid>" and "fiches/gamma.md" in outside[2]
        assert outside[1] == "Le livre tel qu'il était avant le bureau"          # a new repository: its start
        assert not any(f.startswith((".desk", ".proofs")) for _, _, files in commits(root) for f in files)
        assert save(app, editor, "alpha") == 303                                  # nothing new: no commit
        assert len(commits(root)) == 2 + len(first)
        beta = root / "fiches" / "beta.md"
        beta.write_text(beta.read_text(encoding="utf-8") + "\nCorrigé sur le serveur.\n", encoding="utf-8")
        assert save(app, editor, "alpha", "Une autre phrase de Rémi.") == 303
        [again, between, *_] = commits(root)
        assert between == ("hors du bureau <hors-du-bureau@publisher.invalid>", "Modifications faites hors du bureau",
                           ["fiches/beta.md"])
        assert again[0] == f"{name} <{email}>" and again[2] == ["fiches/alpha.md"]
        token = {"csrf": csrf_for(app, editor, "/envoyer/word")}
        document = (FIXTURES / "word" / "notes-et-image.docx").read_bytes()
        assert editor.post("/envoyer/word", data=token,
                           files={"fichier": ("notes-et-image.docx", document)}).status_code == 200
        author, message, files = commits(root)[0]
        assert author == f"{name} <{email}>" and message.endswith(": importée d'un document Word")
        assert "fiches/2021-notes-image-et-listes.md" in files and any(f.startswith("images/") for f in files)
    finally:
        editor.__exit__(None, None, None)
        desk.stop()


def test_in_a_larger_repository_only_the_book_is_committed(tmp_path):
    project = tmp_path / "projet"
    shutil.copytree(MINIBOOK, project / "book")
    (project / "notes.txt").write_text("à moi\n", encoding="utf-8")
    git(project.parent, "init", "-q", str(project))
    env = ["-c", "user.name=Quelqu'un", "-c", "user.email=q@example.org"]
    git(project, "add", "-A")
    git(project, *env, "commit", "-qm", "départ")
    (project / "notes.txt").write_text("à moi, changé, pas au bureau\n", encoding="utf-8")
    desk = desk_in(project / "book", tmp_path / "bureau")
    app = make_app(desk)
    editor = logged_in(app, "redaction")
    try:
        assert save(app, editor, "beta", "Une phrase dans un dépôt plus grand.") == 303
        assert commits(project)[0][1:] == ("2002 – Beta : texte modifié", ["book/fiches/beta.md"])
        assert git(project, "status", "--porcelain").split() == ["M", "notes.txt"]        # left as it was
    finally:
        editor.__exit__(None, None, None)
        desk.stop()


def test_the_history_page_lists_each_version_with_its_author_and_words_and_restores_one(tmp_path):
    desk = team_desk(tmp_path)
    root, app = desk.root, make_app(desk)
    with people(app, "redaction", "coordination") as (editor, coordinator):
        path = root / "fiches" / "beta.md"
        first = path.read_text(encoding="utf-8")
        assert save(app, editor, "beta", "Une phrase ajoutée par Rémi.") == 303
        fields = form_fields(coordinator.get("/fiches/beta").text)
        fields["body"] = [fields["body"][0].replace("Une phrase ajoutée par Rémi.", "Une phrase reprise par Claire.")]
        fields["csrf"] = [csrf_for(app, coordinator, "/fiches/beta")]
        assert coordinator.post("/fiches/beta", data=fields).status_code == 303

        page = lxml.html.fromstring(editor.get("/fiches/beta/historique").text)
        versions = page.xpath("//ol[@class='versions']/li")
        assert [v.xpath("string(strong)") for v in versions] == [PEOPLE["coordination"][0], PEOPLE["redaction"][0],
                                                                 "hors du bureau"]
        newest, rémi = versions[0], versions[1]
        assert [d.text for d in newest.xpath(".//del")] == ["ajoutée", "Rémi."]       # « par » kept between
        assert [i.text for i in newest.xpath(".//ins")] == ["reprise", "Claire."]
        assert [i.text for i in rémi.xpath(".//ins")] == ["\n\nUne phrase ajoutée par Rémi."] and not rémi.xpath(".//del")
        assert "Première version" in versions[2].text_content()

        [restore] = [f for f in versions[2].xpath(".//form") if f.get("action") == "/fiches/beta/restaurer"]
        version = restore.xpath(".//input[@name='version']/@value")[0]
        done = editor.post("/fiches/beta/restaurer", data={"version": version,
                                                           "csrf": csrf_for(app, editor, "/fiches/beta/restaurer")})
        assert done.status_code == 303 and done.headers["location"] == "/fiches/beta/historique?retablie=1"
        assert path.read_text(encoding="utf-8") == first
        author, message, files = commits(root)[0]
        assert author == "Rémi Rédaction <remi@cai.example>" and "rétablie" in message and files == ["fiches/beta.md"]
        assert len(commits(root)) == 4                                          # nothing rewritten: one more
        again = lxml.html.fromstring(editor.get("/fiches/beta/historique?retablie=1").text)
        assert len(again.xpath("//ol[@class='versions']/li")) == 4 and "Version rétablie" in again.text_content()


def test_changes_made_outside_are_committed_under_the_name_the_coordinator_sets(tmp_path):
    desk = team_desk(tmp_path)
    root, app = desk.root, make_app(desk)
    with people(app, "coordination", "redaction") as (coordinator, editor):
        assert "hors du bureau" in coordinator.get("/comptes").text
        refused = editor.post("/comptes/hors-du-bureau", data={"nom": "X", "csrf": csrf_for(app, editor,
                                                                                           "/comptes/hors-du-bureau")})
        assert refused.status_code == 403
        named = coordinator.post("/comptes/hors-du-bureau", data={
            "nom": "Serveur du CAI", "csrf": csrf_for(app, coordinator, "/comptes/hors-du-bureau")})
        assert named.status_code == 303
        assert save(app, editor, "alpha", "Première phrase du bureau.") == 303      # the history starts
        gamma = root / "fiches" / "gamma.md"
        gamma.write_text(gamma.read_text(encoding="utf-8") + "\nÉcrit sur le serveur.\n", encoding="utf-8")
        assert save(app, editor, "alpha", "Deuxième phrase du bureau.") == 303
        [mine, outside, *_] = commits(root)
        assert outside == ("Serveur du CAI <hors-du-bureau@publisher.invalid>", "Modifications faites hors du bureau",
                           ["fiches/gamma.md"])
        assert mine[0] == "Rémi Rédaction <remi@cai.example>"


def test_a_fiche_taken_out_and_put_back_and_the_order_changed(tmp_path):
    desk = team_desk(tmp_path)
    root, app = desk.root, make_app(desk)
    order = lambda: yaml.safe_load((root / "book.yaml").read_text(encoding="utf-8"))["order"]  # noqa: E731
    with people(app, "coordination", "redaction") as (coordinator, editor):
        path = root / "fiches" / "beta.md"
        text = path.read_text(encoding="utf-8")
        out = editor.post("/fiches/beta/retirer", data={"confirmer": "oui",
                                                         "csrf": csrf_for(app, editor, "/fiches/beta/retirer")})
        assert out.status_code == 303 and not path.exists() and order() == ["alpha", "gamma"]
        assert commits(root)[0] == ("Rémi Rédaction <remi@cai.example>",
                                    "2002 – Beta : retirée du livre (gardée dans l'historique)",
                                    ["book.yaml", "fiches/beta.md"])
        listed = lxml.html.fromstring(editor.get("/fiches").text)
        [back] = listed.xpath("//form[@action='/fiches/beta/restaurer']")
        version = back.xpath(".//input[@name='version']/@value")[0]
        assert editor.post("/fiches/beta/restaurer", data={
            "version": version, "csrf": csrf_for(app, editor, "/fiches/beta/restaurer")}).status_code == 303
        assert path.read_text(encoding="utf-8") == text and order() == ["alpha", "beta", "gamma"]   # by its year
        assert commits(root)[0][1] == "2002 – Beta : remise dans le livre"
        assert not lxml.html.fromstring(editor.get("/fiches").text).xpath("//form[@action='/fiches/beta/restaurer']")

        move = {"fiche": "gamma", "sens": "haut"}
        assert editor.post("/ordre", data={**move, "csrf": csrf_for(app, editor, "/ordre")}).status_code == 403
        assert "Monter" not in editor.get("/ordre").text
        assert coordinator.post("/ordre", data={**move, "csrf": csrf_for(app, coordinator, "/ordre")}).status_code == 303
        assert order() == ["alpha", "gamma", "beta"]
        assert commits(root)[0] == ("Claire Coordination <claire@cai.example>",
                                    "Ordre des fiches : « 2003 – Gamma et ses listes » avant « 2002 – Beta »",
                                    ["book.yaml"])
        shown = lxml.html.fromstring(coordinator.get("/ordre").text).xpath("//ol[contains(@class, 'order')]/li/a/text()")
        assert [s.split(" – ")[1][:5] for s in shown] == ["Alpha", "Gamma", "Beta"]

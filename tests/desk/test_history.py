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
from .team import PEOPLE, commits, csrf_for, git, logged_in, with_accounts


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

"""A desk opened again: the last pages shown at once, while the proof is brought up to date; and a new
version of the book (a commit: the stamp on every page changes) draws again only the pages whose text
changed, the stamp said above them."""

from __future__ import annotations

import re
import shutil
import subprocess

from starlette.testclient import TestClient

from publisher.desk import Desk, make_app
from publisher.desk.state import kept_state

from .running import TOKEN, desk_on_a_copy, until

SENTENCE = "Une phrase ajoutée pendant que le bureau était fermé."


def git(root, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), "-c", "user.name=Test", "-c", "user.email=test@example.org", *args],
                          check=True, capture_output=True, text=True).stdout.strip()


def images(desk: Desk) -> dict[str, int]:
    return {path.name: path.stat().st_mtime_ns for path in desk.folder.glob("page-*.jpg")}


def up_to_date(desk: Desk, drawn: int) -> None:
    until(lambda: desk.shown.drawn > drawn and not desk.shown.building, "the desk did not bring its pages up to date")


def shown_stamp(desk: Desk) -> str:
    with TestClient(make_app(desk, TOKEN), base_url="http://127.0.0.1", headers={"origin": "http://127.0.0.1"}) as client:
        client.get(f"/livre?token={TOKEN}")
        page = client.get("/livre/page/1").text
    return page.split('class="proof-stamp">', 1)[1].split("<", 1)[0]


def test_a_desk_opened_again_shows_its_last_pages_at_once_then_brings_them_up_to_date(tmp_path):
    first = desk_on_a_copy(tmp_path)
    root, before, drawn_before = first.root, first.shown, images(first)
    first.stop()
    gamma = root / "fiches" / "gamma.md"
    gamma.write_text(gamma.read_text(encoding="utf-8") + f"\n{SENTENCE}\n", encoding="utf-8")

    again = Desk(root, first.folder)
    again.start()
    try:
        shown = again.shown                        # at once: no proof made yet
        assert shown.pages == before.pages and shown.texts == before.texts and shown.result is not None
        assert shown.status.startswith("Mise en pages") and not any(SENTENCE in text for text in shown.texts)
        up_to_date(again, before.drawn)
        assert kept_state(again.folder, root) is not None       # kept before it is shown: a stop now loses nothing
        assert any(SENTENCE in text for text in again.shown.texts)
        assert re.fullmatch(r"À jour \(\d+ pages, \d+,\d s\)", again.shown.status), again.shown.status
        gamma_pages = {k for k, text in enumerate(again.shown.texts, start=1) if "Gamma" in text or SENTENCE in text}
        redrawn = {int(name[5:9]) for name, stamp in images(again).items() if drawn_before.get(name) != stamp}
        assert redrawn and redrawn <= gamma_pages | set(range(1, again.shown.front + 1)), redrawn
    finally:
        again.stop()
    other = tmp_path / "autre"                       # another book's desk in the same folder: not these pages
    shutil.copytree(root, other, ignore=shutil.ignore_patterns(".*"))
    assert kept_state(first.folder, other) is None and kept_state(first.folder, root) is not None


def test_a_new_version_redraws_no_page_whose_text_did_not_change_and_the_stamp_is_said_above_them(tmp_path):
    book = tmp_path / "seed"
    desk = desk_on_a_copy(book)
    try:
        git(desk.root, "init", "-q")
        git(desk.root, "add", "-A")
        git(desk.root, "commit", "-qm", "Le livre")
        drawn = desk.shown.drawn
        (desk.root / "fiches" / "alpha.md").touch()          # a change the desk sees, the same text
        up_to_date(desk, drawn)
        version = git(desk.root, "rev-parse", "--short=7", "HEAD")
        assert version in shown_stamp(desk) and shown_stamp(desk).startswith("ÉPREUVE — ")
        drawn, front = images(desk), desk.shown.front

        (desk.root / "notes.txt").write_text("rien pour le livre\n", encoding="utf-8")
        git(desk.root, "add", "-A")
        git(desk.root, "commit", "-qm", "Une autre version, le même texte")
        drawn_count = desk.shown.drawn
        (desk.root / "fiches" / "alpha.md").touch()
        up_to_date(desk, drawn_count)
        newer = git(desk.root, "rev-parse", "--short=7", "HEAD")
        assert newer != version and newer in shown_stamp(desk)
        proof_text = subprocess.run(["pdftotext", "-f", str(front + 1), "-l", str(front + 1), str(desk.proof), "-"],
                                    check=True, capture_output=True, text=True).stdout
        assert newer in proof_text                       # the PDF one downloads still has it on every page
        redrawn = [name for name, stamp in images(desk).items() if drawn.get(name) != stamp]
        assert all(int(name[5:9]) <= front for name in redrawn), redrawn     # the questions' pages at most
    finally:
        desk.stop()

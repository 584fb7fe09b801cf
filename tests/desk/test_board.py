"""The board of the fiches: a card moved writes the fiche's ``status:`` (one commit by who moved it) and
shows in its column; a proofreader cannot move one; ``check`` says a stage that is none of the list; a
print build for the printer names the fiches not « prête » (stops with --strict)."""

from __future__ import annotations

import shutil

import lxml.html
import pytest
import yaml

from publisher.build import prepare, refuse
from publisher.checks.check import not_ready
from publisher.desk import make_app
from publisher.diagnostics import PublisherError

from ..conftest import MINIBOOK
from .team import commits, csrf_for, people, team_desk


def front(path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])


def column_of(page: str, fiche: str) -> str:
    [card] = lxml.html.fromstring(page).xpath(f"//article[@id='carte-{fiche}']")
    return card.getparent().xpath("string(h2)").rsplit("(", 1)[0].strip()


def test_a_card_moved_writes_its_stage_and_the_printer_is_told(tmp_path):
    desk = team_desk(tmp_path)
    root, app = desk.root, make_app(desk)
    with people(app, "redaction", "relecture") as (editor, reader):
        assert column_of(editor.get("/tableau").text, "alpha") == "sans étape"
        before = (root / "fiches" / "alpha.md").read_text(encoding="utf-8")
        moved = editor.post("/tableau", data={"fiche": "alpha", "etape": "à relire",
                                              "csrf": csrf_for(app, editor, "/tableau")})
        assert moved.status_code == 303
        after = (root / "fiches" / "alpha.md").read_text(encoding="utf-8")
        assert front(root / "fiches" / "alpha.md")["status"] == "à relire"
        assert after.replace("status: à relire\n", "") == before                # only its own line added
        assert commits(root)[0] == ("Rémi Rédaction <remi@cai.example>", "2001 – Alpha : une première fiche assez "
                                    "longue pour le sommaire : étape « à relire »", ["fiches/alpha.md"])
        board = editor.get("/tableau").text
        assert column_of(board, "alpha") == "à relire" and "Rémi Rédaction" in board
        assert reader.post("/tableau", data={"fiche": "beta", "etape": "prête",
                                             "csrf": csrf_for(app, reader, "/tableau")}).status_code == 403
        assert "status" not in front(root / "fiches" / "beta.md")
        assert "Déplacer" not in reader.get("/tableau").text
        assert editor.post("/tableau", data={"fiche": "beta", "etape": "presque",
                                             "csrf": csrf_for(app, editor, "/tableau")}).status_code == 400

    book, diagnostics = prepare(root)
    [late] = not_ready(book)
    assert late.location.path.endswith("fiches/alpha.md") and "« à relire »" in late.message
    refuse(book, diagnostics + [late], strict=False, allow_open_questions=True)          # a warning: it prints
    stopped = []
    for said in (diagnostics, diagnostics + [late]):
        with pytest.raises(PublisherError) as refused:                         # --strict: the warnings stop it
            refuse(book, said, strict=True, allow_open_questions=True)
        stopped.append([d.code for d in refused.value.diagnostics])
    assert [c for c in stopped[1] if c not in stopped[0]] == ["fiche-not-ready"]


def test_check_says_a_stage_that_is_none_of_the_list(tmp_path):
    root = tmp_path / "book"
    shutil.copytree(MINIBOOK, root)
    path = root / "fiches" / "gamma.md"
    path.write_text(path.read_text(encoding="utf-8").replace("lead:", "status: presque fini\nlead:", 1), encoding="utf-8")
    _, diagnostics = prepare(root)
    [said] = [d for d in diagnostics if d.code == "unknown-status"]
    assert said.location.path.endswith("gamma.md") and said.location.line == 8
    assert "à écrire, en rédaction, à relire, relue, prête" in said.message

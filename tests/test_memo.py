"""A warm process (proof --watch, the desk) prepares again only the fiche that was edited, and
prepares it exactly as a cold process would."""

from __future__ import annotations

import shutil
from pathlib import Path

from publisher.build import prepare
from publisher.memo import Memo
from publisher.model import Fiche

from .conftest import MINIBOOK


def about(args: tuple) -> str:
    """The fiche a stage was computed for: its file or the fiche itself."""
    first = args[0]
    return first.id if isinstance(first, Fiche) else Path(first).stem


def test_after_an_edit_only_that_fiche_is_read_typeset_and_checked_again(tmp_path):
    root = tmp_path / "book"
    shutil.copytree(MINIBOOK, root)
    memo = Memo()
    first, said = prepare(root, memo)
    assert {about(args) for _, args in memo.last} == {f.id for f in first.fiches}
    assert prepare(root, memo) == (first, said) and memo.last == []       # nothing changed: nothing computed
    gamma = root / "fiches" / "gamma.md"
    gamma.write_text(gamma.read_text(encoding="utf-8") + "\nUne phrase ajoutée en relecture.\n", encoding="utf-8")
    edited, diagnostics = prepare(root, memo)
    assert {stage for stage, _ in memo.last} == {"parse_fiche", "number_footnotes", "typeset_fiche", "fiche_checks"}
    assert {about(args) for _, args in memo.last} == {"gamma"}
    assert "ajoutée en relecture" in str(next(f for f in edited.fiches if f.id == "gamma").blocks)
    assert (edited, diagnostics) == prepare(root)                          # as a cold process prepares it

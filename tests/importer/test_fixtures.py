"""Import rules, one readable fixture each: fixtures/NAME.txt (export) → fixtures/NAME.md (fiche)."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from publisher.importer import import_exports

FIXTURES = Path(__file__).parent / "fixtures"
CASES = sorted(p.stem for p in FIXTURES.glob("*.txt"))


@pytest.mark.parametrize("name", CASES)
def test_fixture(name, tmp_path, monkeypatch):
    monkeypatch.chdir(FIXTURES)
    report = import_exports([Path(f"{name}.txt")], tmp_path)
    produced = sorted(tmp_path.glob("*.md"))
    assert len(produced) == 1, produced
    expected = (FIXTURES / f"{name}.md").read_text(encoding="utf-8")
    actual = produced[0].read_text(encoding="utf-8")
    if actual != expected:
        diff = "\n".join(difflib.unified_diff(expected.splitlines(), actual.splitlines(),
                                              f"{name}.md (attendu)", "produit", lineterm=""))
        pytest.fail(f"fixture {name}: the fiche differs from {name}.md\n{diff}")
    # every line of the snippet is accounted for
    lines = (FIXTURES / f"{name}.txt").read_text(encoding="utf-8").splitlines()
    assert {e.line for e in report.ordered()} == set(range(1, len(lines) + 1))


def test_all_ticked_boxes_leave_themes_empty_and_say_so(tmp_path, monkeypatch):
    monkeypatch.chdir(FIXTURES)
    report = import_exports([Path("unsourced.txt")], tmp_path)
    codes = {d.code for d in report.notes}
    assert {"all-categories-ticked", "footnote-without-source", "empty-sources"} <= codes


def test_unticked_boxes_are_reported_as_dropped(tmp_path, monkeypatch):
    monkeypatch.chdir(FIXTURES)
    report = import_exports([Path("notes.txt")], tmp_path)
    dropped = {e.text: e.reason for e in report.dropped()}
    assert dropped["☐ Interpellation"] == "case non cochée"
    assert "espace réservé" in dropped["• Ajouter liens"]
    assert "légende" in dropped["* Légende"]

"""The importer on the CAI's real website export."""

from __future__ import annotations

import json
import re

import pytest

from publisher.diagnostics import PublisherError
from publisher.importer import import_exports

from ..conftest import SEEDS, VOLUME

EXPORTS = sorted(SEEDS.glob("*.txt"))          # the site's two exports (sources/export/)


def test_the_two_exports_are_read():
    assert [p.suffix for p in EXPORTS] == [".txt", ".txt"]


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    into = tmp_path_factory.mktemp("fiches")
    assert len(EXPORTS) == 2, SEEDS
    return import_exports(EXPORTS, into), into


def test_thirteen_distinct_fiches(imported):
    report, into = imported
    assert len(list(into.glob("*.md"))) == 13
    duplicates = [d for d in report.notes if d.code == "duplicate-fiche"]
    assert len(duplicates) == 3
    assert all("copie gardée" in d.message for d in duplicates)


def test_nothing_is_silently_lost(imported):
    """Every word of every input line is in a fiche, or in the report's dropped list."""
    report, into = imported
    produced = " ".join(p.read_text(encoding="utf-8") for p in into.glob("*.md"))
    kept = set(words(produced))
    dropped = set(words(" ".join(e.text for e in report.dropped())))
    missing = []
    for path in EXPORTS:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for word in words(line):
                if word not in kept and word not in dropped:
                    missing.append((path.name, number, word))
    assert not missing, missing[:20]


def test_every_input_line_is_in_the_report(imported):
    report, _ = imported
    for path in EXPORTS:
        count = len(path.read_text(encoding="utf-8").splitlines())
        lines = {e.line for e in report.ordered() if e.path.endswith(path.name)}
        assert lines == set(range(1, count + 1)), path.name
    data = json.loads(report.as_json())
    assert {"path", "line", "action", "dropped", "reason", "fiche", "text"} <= set(data["lines"][0])


def test_importing_twice_gives_identical_files(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    import_exports(EXPORTS, first)
    import_exports(EXPORTS, second)
    import_exports(EXPORTS, first)        # again into the same folder
    a = {p.name: p.read_bytes() for p in first.glob("*.md")}
    b = {p.name: p.read_bytes() for p in second.glob("*.md")}
    assert a == b and len(a) == 13


def test_book_fiches_are_the_import_plus_editorial_front_matter(imported):
    """book/fiches differs from a fresh import only in fields the export cannot know."""
    _, into = imported
    fiches = sorted(into.glob("*.md"))
    assert len(fiches) == 13
    for produced in fiches:
        edited = (VOLUME / "fiches" / produced.name).read_text(encoding="utf-8")
        fresh = produced.read_text(encoding="utf-8")
        strip = re.compile(r"^(number|short_title|themes|axes):.*\n", re.M)
        edited = re.sub(r"\n\n[^\n]*\]\(fiche:[^)]+\)\.\n$", "\n", edited)   # the frozen copy's one addition
        assert strip.sub("", edited) == strip.sub("", fresh), produced.name


def test_editors_questions_become_comments(imported):
    _, into = imported
    mentorat = next(into.glob("2015-developpement*.md")).read_text(encoding="utf-8")
    assert re.search(r"\{>> Lequel\s\? <<\}", mentorat) and re.search(r"\{>> Supprimer\s\? <<\}", mentorat)
    transit = next(into.glob("2018-*.md")).read_text(encoding="utf-8")
    assert "{>> a vérifier la date <<}" in transit
    chartes = next(into.glob("2017-*.md")).read_text(encoding="utf-8")
    assert "\\[La\\] ville interculturelle" in chartes


def test_an_edited_fiche_is_not_overwritten(tmp_path):
    import_exports(EXPORTS, tmp_path)
    target = next(tmp_path.glob("2016-reforme*.md"))
    target.write_text(target.read_text(encoding="utf-8").replace("number: null", "number: 38"), encoding="utf-8")
    report = import_exports(EXPORTS, tmp_path)
    assert "number: 38" in target.read_text(encoding="utf-8")
    assert any(d.code == "fiche-exists" for d in report.notes)


def test_cp1252_export_is_read_and_said(tmp_path):
    legacy = tmp_path / "ancien.txt"
    legacy.write_bytes("2016 – Réforme\n\n2016 – Réforme\n\nLe chapeau accentué : été.\n".encode("cp1252"))
    report = import_exports([legacy], tmp_path / "out")
    assert [d.code for d in report.notes if d.severity.value == "warning"] == ["not-utf8"]
    assert "Windows-1252" in report.notes[0].message
    assert "é" in next((tmp_path / "out").glob("*.md")).read_text(encoding="utf-8")


@pytest.mark.parametrize("content, code", [("", "empty-export"), ("\n \n", "empty-export"),
                                            ("Bonjour\n\nPas de fiche ici.\n", "no-fiche")])
def test_empty_or_foreign_export_is_an_error(tmp_path, content, code):
    path = tmp_path / "export.txt"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(PublisherError) as caught:
        import_exports([path], tmp_path / "out")
    assert caught.value.diagnostics[0].code == code
    assert caught.value.diagnostics[0].format().startswith(f"{path}:1: error:") or \
        caught.value.diagnostics[0].format().split(":")[1] == "1"

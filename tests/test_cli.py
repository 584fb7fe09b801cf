"""The command line as editors use it: exit codes and exact messages, never a traceback."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from publisher.cli import main
from publisher.layout import parts

from .conftest import ROOT, SEEDS, VOLUME


def run(*args, cwd: Path | None = None):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_check_real_book_has_no_errors():
    result = run("check", VOLUME, "--format", "json")
    assert result.exit_code == 0, result.output
    diagnostics = json.loads(result.stdout)
    assert all(set(d) == {"path", "line", "severity", "code", "message"} for d in diagnostics)
    assert not [d for d in diagnostics if d["severity"] == "error"]
    codes = {d["code"] for d in diagnostics}
    assert {"editorial-note", "missing-image"} <= codes


def test_check_strict_fails_on_warnings():
    assert run("check", VOLUME, "--strict").exit_code == 1


def test_build_writes_the_pdf(tmp_path, book_copy):
    out = tmp_path / "sortie" / "livre.pdf"
    result = run("build", book_copy, "-o", out)
    assert result.exit_code == 0, result.output
    assert re.search(r"livre\.pdf : \d+ pages", result.stderr)
    assert out.read_bytes().startswith(b"%PDF")
    assert not list(out.parent.glob("*.part"))


def test_import_writes_fiches_and_a_json_report(tmp_path):
    report = tmp_path / "rapport.json"
    result = run("import", *sorted(SEEDS.glob("*.txt")), "--into", tmp_path / "f", "--format", "json",
                 "--report", report)
    assert result.exit_code == 0, result.output
    data = json.loads(report.read_text(encoding="utf-8"))
    assert len(data["fiches"]) == 13


def break_file(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


BAD_INPUTS = {
    "book.yaml malformed": (lambda b: break_file(b / "book.yaml", 'author: "Équipe de test"', 'author: "Équipe'),
                            r"book\.yaml:\d+: error: YAML illisible .* \[yaml-syntax\]"),
    "book.yaml missing": (lambda b: (b / "book.yaml").unlink(),
                          r"book\.yaml:1: error: pas de book\.yaml .* \[missing-book-yaml\]"),
    "front matter malformed": (lambda b: break_file(b / "fiches" / "beta.md", "title: Beta", "title: [Beta"),
                               r"fiches/beta\.md:\d+: error: YAML illisible .* \[yaml-syntax\]"),
    "front matter missing": (lambda b: break_file(b / "fiches" / "beta.md", "---\n", ""),
                             r"fiches/beta\.md:1: error: .* \[missing-front-matter\]"),
    "fiche named but absent": (lambda b: (b / "fiches" / "gamma.md").unlink(),
                               r"book\.yaml:11: error: la fiche « gamma » n'existe pas .* \[missing-fiche\]"),
    "same number twice": (lambda b: break_file(b / "fiches" / "beta.md", "number: 2", "number: 1"),
                          r"fiches/beta\.md:1: error: le numéro de fiche 1 est déjà pris .* \[duplicate-number\]"),
    "fiche not utf-8": (lambda b: (b / "fiches" / "beta.md").write_bytes(
        (b / "fiches" / "beta.md").read_text(encoding="utf-8").replace("seul", "séul").encode("cp1252")),
                        r"fiches/beta\.md:\d+: error: .* UTF-8 .* \[not-utf8\]"),
    "margin too small": (lambda b: break_file(b / "book.yaml", "inner_mm: 22", "inner_mm: 12"),
                         r"book\.yaml:\d+: error: .* 19 mm .* \[bad-value\]"),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
@pytest.mark.parametrize("command", ["check", "build"])
def test_bad_input_gives_a_located_error(case, command, book_copy, tmp_path):
    damage, pattern = BAD_INPUTS[case]
    damage(book_copy)
    out = tmp_path / "out.pdf"
    args = [command, book_copy] + (["-o", out] if command == "build" else [])
    result = run(*args)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert re.search(pattern, result.output), result.output
    assert not out.exists() and not list(tmp_path.glob("*.part"))


def test_a_failed_build_keeps_the_previous_pdf(book_copy, tmp_path):
    out = tmp_path / "volume.pdf"
    assert run("build", book_copy, "-o", out).exit_code == 0
    before = out.read_bytes()
    assert out.stat().st_mode & 0o044 == 0o044 or os.umask(os.umask(0)) & 0o044   # readable by others, as usual
    (book_copy / "fiches" / "gamma.md").unlink()
    assert run("build", book_copy, "-o", out).exit_code == 1
    assert out.read_bytes() == before


def test_internal_error_prints_one_line_and_a_log(monkeypatch, book_copy):

    def boom(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(parts, "render_html", boom)
    result = run("build", book_copy, "-o", book_copy / "x.pdf")
    assert result.exit_code == 3
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "erreur interne" in lines[0]
    log = Path(re.search(r"écrits dans (\S+)", lines[0]).group(1))
    assert "RuntimeError: boom" in log.read_text(encoding="utf-8")


def test_every_command_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in main.commands:
        assert f"publisher {name}" in readme, name

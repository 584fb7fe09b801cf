"""A build with nothing changed is not made again; any change, and it is."""

from __future__ import annotations

from click.testing import CliRunner

import publisher.build
from publisher.cli import main


def build(book, out, *extra):
    return CliRunner().invoke(main, ["build", str(book), "-o", str(out), *extra])


def no_layout(monkeypatch):
    def refuse(*_args, **_kwargs):
        raise AssertionError("the book was laid out again")

    monkeypatch.setattr(publisher.build, "lay_out", refuse)


def test_nothing_changed_nothing_made_again(book_copy, tmp_path, monkeypatch):
    out = tmp_path / "v.pdf"
    first = build(book_copy, out)
    assert first.exit_code == 0, first.output
    pdf = out.read_bytes()
    no_layout(monkeypatch)
    again = build(book_copy, out)
    assert again.exit_code == 0, again.output
    assert "v.pdf : à jour, 16 pages" in again.output
    # what the first build said is said again
    said = [line for line in first.output.splitlines() if "[duplicate-passage]" in line]
    assert said and all(line in again.output for line in said)
    assert out.read_bytes() == pdf


def test_any_change_makes_it_again(book_copy, tmp_path, monkeypatch):
    out = tmp_path / "v.pdf"
    assert build(book_copy, out).exit_code == 0
    beta = book_copy / "fiches" / "beta.md"
    beta.write_text(beta.read_text(encoding="utf-8").replace("Un seul paragraphe", "Un unique paragraphe"),
                    encoding="utf-8")
    changed = build(book_copy, out)
    assert changed.exit_code == 0 and "à jour" not in changed.output
    # an option, or a PDF touched by hand: made again too
    assert "à jour" not in build(book_copy, out, "--crop-marks").output
    assert "à jour" in build(book_copy, out, "--crop-marks").output
    out.write_bytes(out.read_bytes() + b"% touched\n")
    assert "à jour" not in build(book_copy, out, "--crop-marks").output

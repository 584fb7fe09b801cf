"""What the layout tells an editor is a diagnostic at the source line: in ``--format json``, on the
proof's « Questions ouvertes » pages, and said again by a build that finds the PDF « à jour »."""

from __future__ import annotations

import json
from datetime import date

from click.testing import CliRunner

from publisher.cli import main
from publisher.layout.findings import findings
from publisher.layout.pages import Line, Page
from publisher.proof import build_proof

TODAY = date(2025, 1, 15)
# One word five lines long: line after line can only end with a hyphenation, whatever the measure and the line
# breaking (the paragraph's, publisher/breaking, refuses a third hyphen in a row: WeasyPrint sets this one)
LONG_WORDS = "anticonstitutionnellement" * 14


def ladder_paragraph(book) -> int:
    """A paragraph whose lines all end with a hyphenation. Its line in beta.md."""
    path = book / "fiches" / "beta.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "\n" + LONG_WORDS.strip() + "\n", encoding="utf-8")
    return len(text.splitlines()) + 2


def test_a_hyphen_ladder_is_in_the_json_of_check_preflight_at_its_line(book_copy):
    line = ladder_paragraph(book_copy)
    run = CliRunner().invoke(main, ["check", "--preflight", "--format", "json", str(book_copy)])
    found = [d for d in json.loads(run.stdout) if d["code"] == "hyphen-ladder"]
    assert found and {(d["path"].endswith("fiches/beta.md"), d["line"]) for d in found} == {(True, line)}
    assert all(d["severity"] == "info" and "page " in d["message"] for d in found)


def test_an_up_to_date_build_says_the_layout_findings_again(book_copy, tmp_path):
    line = ladder_paragraph(book_copy)
    out = tmp_path / "v.pdf"
    first = CliRunner().invoke(main, ["build", str(book_copy), "-o", str(out)])
    said = [text for text in first.output.splitlines() if "[hyphen-ladder]" in text]
    assert said and all(f"beta.md:{line}:" in text for text in said)
    again = CliRunner().invoke(main, ["build", str(book_copy), "-o", str(out)])
    assert "à jour" in again.output and all(text in again.output for text in said)


def test_the_proof_lists_the_layout_findings_at_their_page_and_line(book_copy, tmp_path):
    line = ladder_paragraph(book_copy)
    result = build_proof(book_copy, tmp_path / "epreuve.pdf", today=TODAY)
    ladders = [q for q in result.questions if q.code == "hyphen-ladder"]
    assert ladders and all(q.location.line == line and q.page and q.line for q in ladders)


def page(number: int, paragraphs: tuple[str, ...], lines: tuple[Line, ...] = ()) -> Page:
    return Page(number, "", 600, 900, 60, 540, (), lines, paragraphs=paragraphs)


def test_a_note_away_from_its_call_and_a_paragraph_without_hyphens_name_their_line_and_page(tmp_path):
    pages = (page(11, ("fiches/a.md:4",)), page(12, ("fiches/a.md:4", "fiches/a.md:9")))
    said = findings(pages, tmp_path, unhyphenated=("fiches/a.md:9",), displaced=("fiches/a.md:4",))
    by_code = {d.code: d for d in said}
    assert by_code["footnote-away"].location.path.endswith("fiches/a.md") and by_code["footnote-away"].location.line == 4
    assert "(page 11)" in by_code["footnote-away"].message and by_code["footnote-away"].severity.value == "warning"
    assert by_code["unhyphenated"].location.line == 9 and "(page 12)" in by_code["unhyphenated"].message


def test_a_ladder_of_four_hyphenated_lines_is_found_three_is_not(tmp_path):
    def lines(count: int) -> tuple[Line, ...]:
        return tuple(Line(20.0 * k, 18, 400, 0, "fiches/a.md:7", True, k < count, True, False) for k in range(6))

    assert [d.location.line for d in findings((page(3, (), lines(4)),), tmp_path)] == [7]
    assert findings((page(3, (), lines(3)),), tmp_path) == []

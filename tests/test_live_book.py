"""The live book/, as editors leave it: it is checked and built as a whole, and what the tests
expect is read from its files, never written down. Every test here runs twice: on book/ as it
is, and on a copy after an editor has done what ``publisher check`` asks (open questions
settled, repeated passages deleted, broken references removed, missing images supplied) —
so that no test breaks when the editors do their work. Tests that need known text use the
frozen copy in tests/fixtures/volume/ instead.
"""

from __future__ import annotations

import json
import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from publisher.build import build_volume, prepare
from publisher.cli import main

from .conftest import BOOK, Pdf, normalise

TODAY = date(2025, 1, 15)
CRITIC = [(r"\{>>.*?<<\}", ""), (r"\{\+\+(.*?)\+\+\}", r"\1"), (r"\{--.*?--\}", ""),
          (r"\{~~.*?~>(.*?)~~\}", r"\1"), (r"\{==(.*?)==\}", r"\1")]
FIXED_CODES = ("editorial-note", "editor-question", "note-to-self", "placeholder", "footnote-without-source",
               "duplicate-passage", "broken-xref", "missing-image")


def fix_as_an_editor(root: Path) -> None:
    """Do what each diagnostic of ``publisher check`` asks, in the files, as an editor would."""
    _, diagnostics = prepare(root)
    edits: dict[Path, dict[int, list]] = {}
    for d in diagnostics:
        if d.code in FIXED_CODES:
            path = Path(d.location.path)
            edits.setdefault(path if path.is_absolute() else Path.cwd() / path, {}).setdefault(
                d.location.line, []).append(d)
    for path, by_line in edits.items():
        lines = path.read_text(encoding="utf-8").split("\n")
        for number, found in by_line.items():
            for d in found:
                lines[number - 1] = fixed_line(lines[number - 1], d, root)
        text = "\n".join(lines)
        text = re.sub(r"^(\[\^[^\]]+\]:\s*)\{>>.*?<<\}", r"\1Archives du CAI.", text, flags=re.M)  # the source found
        for pattern, replacement in CRITIC:          # every open question settled, wherever it stands
            text = re.sub(pattern, replacement, text, flags=re.S)
        path.write_text(text, encoding="utf-8")


def fixed_line(line: str, d, root: Path) -> str:
    quoted = re.search(r"« (.+?)(?:…)? »", d.message)
    if d.code == "broken-xref":                      # « le texte « Cf. Fiche 8 – … » ne serait imprimé que tel quel »
        return re.sub(r"\s*\(?" + loose(quoted.group(1)) + r"\)?", "", line, count=1)
    if d.code in ("duplicate-passage", "editor-question", "note-to-self"):   # delete the repeat, the remark
        starts = [m.start() for m in re.finditer(loose(quoted.group(1)), line)]
        assert starts, (line, d.message)
        end = re.search(r"[.!?](\s|$)", line[starts[-1]:])
        return (line[:starts[-1]] + line[starts[-1] + end.end():] if end else line[:starts[-1]]).rstrip()
    if d.code == "missing-image":                    # supply the image, big enough for print
        from PIL import Image

        target = root / re.search(r"image introuvable : (\S+) ;", d.message).group(1)
        target.parent.mkdir(parents=True, exist_ok=True)
        Image.new("L", (1800, 1200), 200).save(target)
        return line
    if d.code == "footnote-without-source":
        return re.sub(r"\[\^[^\]]+\]", "", line, count=1)
    if d.code == "placeholder" and quoted:
        return line.replace(quoted.group(1), "")
    return line


def loose(words: str) -> str:
    """A pattern for text as the model prints it, found in the source: apostrophes, spaces, dashes as typed."""
    out = []
    for char in words:
        if char in "’'":
            out.append("['’]")
        elif char.isspace() or char in "\u00a0\u202f":
            out.append(r"[\s\u00a0\u202f]+")
        elif char in "–-":
            out.append("[–-]")
        else:
            out.append(re.escape(char))
    return "".join(out)


@pytest.fixture(scope="module")
def fixed(tmp_path_factory) -> Path:
    """A copy of book/ after the editors' fixes."""
    root = tmp_path_factory.mktemp("fixed") / "book"
    shutil.copytree(BOOK, root)
    fix_as_an_editor(root)
    return root


@pytest.fixture(scope="module", params=["as-is", "after-an-editors-fixes"])
def live(request) -> Path:
    return BOOK if request.param == "as-is" else request.getfixturevalue("fixed")


@pytest.fixture(scope="module")
def fixed_volume(fixed, tmp_path_factory):
    """The fixed book built for the printer: no --allow-open-questions (it would refuse if one were left)."""
    out = tmp_path_factory.mktemp("fixed-volume") / "volume.pdf"
    return fixed, build_volume(fixed, out, today=TODAY), Pdf(out)


@pytest.fixture(scope="module")
def built(request, live, tmp_path_factory):
    if live != BOOK:
        return request.getfixturevalue("fixed_volume")
    out = tmp_path_factory.mktemp("live") / "volume.pdf"
    result = build_volume(live, out, today=TODAY, allow_open_questions=True)   # a working print, as `make book`
    return live, result, Pdf(out)


def test_the_book_has_no_error_and_every_diagnostic_points_into_a_file(live):
    run = CliRunner().invoke(main, ["check", str(live), "--format", "json"])
    assert run.exit_code == 0, run.output
    for d in json.loads(run.stdout):
        path = Path(d["path"])
        assert path.is_file(), d
        assert 1 <= d["line"] <= len(path.read_text(encoding="utf-8").splitlines()) + 1, d


def test_every_fiche_of_the_folder_is_printed_where_the_contents_say(built):
    root, result, pdf = built
    files = sorted((root / "fiches").glob("*.md"))
    assert len(result.book.fiches) == len(files) > 0
    openings = [result.paginated.page_of(fiche.anchor) for fiche in result.book.fiches]
    for fiche, page in zip(result.book.fiches, openings):
        assert page % 2 == 1, fiche.id                                     # a fiche opens on a right page
        assert pdf.text[page - 1].startswith(normalise(f"{fiche.year} {fiche.title.split()[0]}")), fiche.id
    first = pdf.pages_with("Sommaire")[0]
    contents = " ".join(pdf.text[first - 1:openings[0] - 1])
    assert [int(n) for n in re.findall(r"(?:\. ?){2,}(\d+)", contents)][:len(openings)] == openings
    assert result.pages == len(pdf) and len(pdf) % result.book.config.printing.pad_to == 0


def test_the_book_says_what_it_said_when_nothing_changed(built, tmp_path):
    root, result, _ = built
    again = build_volume(root, result.output, today=TODAY, allow_open_questions=root == BOOK)   # as it was built
    assert again.up_to_date and again.pages == result.pages
    assert again.diagnostics == result.diagnostics


def test_after_the_editors_fixes_the_volume_can_go_to_the_printer(fixed_volume):
    root, result, pdf = fixed_volume             # built without --allow-open-questions: nothing stopped it
    _, diagnostics = prepare(root)
    assert not [d for d in diagnostics if d.code in FIXED_CODES], [d.format() for d in diagnostics]
    assert not [d for d in result.diagnostics if d.severity.value == "error"]
    assert not pdf.pages_with("À vérifier") and not pdf.pages_with("Image à fournir")

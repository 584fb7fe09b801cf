"""Documents publisher must not read: a located error, exit 1, and nothing written. (What it reads
with a warning, macros, links to files, linked images, is in test_wild.py.)"""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from publisher.cli import main
from publisher.model import relative

FIXTURES = Path(__file__).parents[1] / "fixtures" / "word"


def truncated(tmp: Path) -> Path:
    data = (FIXTURES / "commentaires.docx").read_bytes()
    (tmp / "abime.docx").write_bytes(data[: len(data) // 2])
    return tmp / "abime.docx"


def not_a_document(tmp: Path) -> Path:
    (tmp / "notes.docx").write_bytes(b"ceci n'est pas un document Word\n" * 20)
    return tmp / "notes.docx"


def opendocument(tmp: Path) -> Path:
    target = tmp / "fiche.odt"
    with zipfile.ZipFile(target, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        z.writestr("content.xml", "<office:document-content/>")
    return target


def huge(tmp: Path) -> Path:
    target = tmp / "enorme.docx"
    with target.open("wb") as f:
        f.write(b"PK\x03\x04")
        f.truncate(60_000_000)          # sparse: costs no disk
    return target


def fixture(name):
    return lambda tmp: FIXTURES / name


CASES = {
    "word-97": (fixture("ancien.doc"), "doc-binary", 1),
    "encrypted": (fixture("chiffre.docx"), "docx-encrypted", 1),
    "no-text": (fixture("vide.docx"), "docx-empty", 1),
    "corrupt": (truncated, "docx-corrupt", 1),
    "not-a-document": (not_a_document, "docx-corrupt", 1),
    "opendocument": (opendocument, "odt-file", 1),
    "very-large": (huge, "docx-too-large", 1),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_refused_located_and_nothing_written(case, tmp_path):
    make, code, line = CASES[case]
    bad = make(tmp_path)
    into = tmp_path / "book" / "fiches"
    into.mkdir(parents=True)
    shutil.copy(FIXTURES.parent / "volume" / "book.yaml", tmp_path / "book" / "book.yaml")
    # with a good document beside it: the import stops before writing anything
    result = CliRunner().invoke(main, ["import", str(FIXTURES / "notes-et-image.docx"), str(bad), "--into", str(into)],
                                catch_exceptions=False)
    assert result.exit_code == 1, result.output
    message = next(row for row in result.output.splitlines() if f"[{code}]" in row)
    assert message.startswith(f"{relative(bad)}:{line}: error: "), message
    assert "Traceback" not in result.output
    assert not list(into.iterdir()) and not (tmp_path / "book" / "images").exists()

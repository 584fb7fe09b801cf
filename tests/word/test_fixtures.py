"""Word documents made by LibreOffice (fixtures/word/NAME.fodt → NAME.docx, by make.sh) → fiches,
compared with the expected fiche NAME.md: comments and their replies, a resolved comment,
tracked paragraph marks (paragraphs joined, split, struck out),
tracked changes by two authors, notes, an image with its caption, Word's French punctuation."""

from __future__ import annotations

import difflib
import shutil
import zipfile
from pathlib import Path

import pytest

from publisher.build import prepare
from publisher.tree import plain
from publisher.word import import_documents
from publisher.word.package import open_docx

from ..conftest import VOLUME

FIXTURES = Path(__file__).parents[1] / "fixtures" / "word"
CASES = [("commentaires", False), ("modifications", False), ("modifications", True),
         ("paragraphes", False), ("paragraphes", True),
         ("notes-et-image", False), ("ponctuation", False)]


@pytest.fixture
def book(tmp_path, monkeypatch):
    """An empty book with the volume's vocabulary; the documents are read from where they are."""
    (tmp_path / "fiches").mkdir()
    shutil.copy(VOLUME / "book.yaml", tmp_path / "book.yaml")
    monkeypatch.chdir(FIXTURES)
    return tmp_path


def imported(book: Path, name: str, accept: bool = False):
    report = import_documents([Path(f"{name}.docx")], book / "fiches", accept=accept)
    produced = sorted((book / "fiches").glob("*.md"))
    assert len(produced) == 1, (produced, [d.format() for d in report.notes])
    return report, produced[0]


@pytest.mark.parametrize("name,accept", CASES, ids=[f"{n}{'-accept' if a else ''}" for n, a in CASES])
def test_fixture(book, name, accept):
    report, produced = imported(book, name, accept)
    expected_file = FIXTURES / f"{name}{'.accept' if accept else ''}.md"
    expected, actual = expected_file.read_text(encoding="utf-8"), produced.read_text(encoding="utf-8")
    if actual != expected:
        diff = "\n".join(difflib.unified_diff(expected.splitlines(), actual.splitlines(),
                                              f"{expected_file.name} (attendu)", "produit", lineterm=""))
        pytest.fail(f"{name}: the fiche differs\n{diff}")
    # every paragraph of the document is accounted for, and nothing is left unsaid
    paragraphs = open_docx(Path(f"{name}.docx"), f"{name}.docx").paragraphs
    assert {e.line for e in report.ordered()} == {p.number for p in paragraphs}


def test_a_reply_stays_with_its_thread_and_a_resolved_comment_is_reported(book):
    report, fiche = imported(book, "commentaires")
    text = fiche.read_text(encoding="utf-8")
    question, answer = text.index("Quelle date exactement ?"), text.index("Le 12 mars")
    assert question < answer and text[question:answer].count("<<}") == 1       # side by side
    assert "Orthographe vérifiée" not in text
    dropped = [e for e in report.dropped() if "résolu" in e.reason]
    assert [e.text for e in dropped] == ["Orthographe vérifiée."]
    assert "resolved-comment" in {d.code for d in report.notes}


def test_the_comment_over_two_paragraphs_lands_after_its_last_word(book):
    _, fiche = imported(book, "commentaires")
    lines = fiche.read_text(encoding="utf-8").splitlines()
    line = next(row for row in lines if "Ces deux paragraphes" in row)
    assert line.startswith("et se termine là{>>")


def test_changes_name_their_two_authors_in_the_report(book):
    report, _ = imported(book, "modifications")
    actions = [e.action for e in report.ordered()]
    assert "insertion (Anne Dupont)" in actions and "suppression (Marc Leroy)" in actions
    assert "remplacement (Marc Leroy)" in actions


def test_the_image_is_extracted_into_the_book_with_its_caption(book):
    _, fiche = imported(book, "notes-et-image")
    image = book / "images" / "2021-notes-image-et-listes-1.png"
    assert image.read_bytes().startswith(b"\x89PNG")
    loaded, _ = prepare(book)
    figure = next(b for f in loaded.fiches for b in f.blocks if b.kind == "figure")
    assert figure.src == "images/2021-notes-image-et-listes-1.png"
    assert plain(figure.caption[0].children) == "L’affiche de la journée de 2021."
    assert [n.label for f in loaded.fiches for n in f.footnotes] == ["1", "2"]


def test_word_no_break_spaces_are_not_doubled_by_the_typography(book):
    _, fiche = imported(book, "ponctuation")
    # an editor gives the year publisher asked for
    fiche.write_text(fiche.read_text(encoding="utf-8").replace("year: null", "year: 2023"), encoding="utf-8")
    loaded, diagnostics = prepare(book)
    assert "missing-year" not in {d.code for d in diagnostics}
    text = plain(loaded.fiches[0].blocks[0].children)
    assert text.startswith("Le CAI demande\u00a0: «\u202fPourquoi pas\u202f?\u202f» Puis\u202f; enfin\u202f!")
    for doubled in ("\u00a0\u00a0", "\u00a0\u202f", "\u202f\u00a0", "\u202f\u202f", "  ", "\u00ad"):
        assert doubled not in text
    assert "“" not in text and "« guillemets anglais »" in text.replace("\u202f", " ")


def test_a_fiche_without_year_is_written_with_null_and_check_says_missing_year(book):
    report, fiche = imported(book, "ponctuation")
    assert "year: null" in fiche.read_text(encoding="utf-8")
    assert "missing-year" in {d.code for d in report.notes}
    _, diagnostics = prepare(book)
    found = [d for d in diagnostics if d.code == "missing-year"]
    assert found and found[0].location.path.endswith("la-ponctuation-de-word.md") and found[0].location.line == 3


def test_the_tidying_of_word_text_is_reported(book):
    report, fiche = imported(book, "ponctuation")
    codes = {d.code for d in report.notes}
    assert {"soft-hyphens", "line-breaks"} <= codes
    assert [e.action for e in report.ordered()].count("vide") == 3
    assert "### Un intertitre en gras" in fiche.read_text(encoding="utf-8")


def test_an_image_the_book_cannot_print_is_reported(book, tmp_path):
    """Word keeps a drawing pasted from elsewhere as EMF: imported, and the editor told."""
    emf = tmp_path / "dessin.docx"
    with zipfile.ZipFile("notes-et-image.docx") as source, zipfile.ZipFile(emf, "w") as copy:
        for item in source.infolist():
            data = source.read(item)
            copy.writestr(item, b"\x01\x00\x00\x00" + b"\x00" * 36 + b" EMF" if item.filename.startswith("word/media/")
                          else data)
    report = import_documents([emf], book / "fiches")
    found = [d for d in report.notes if d.code == "docx-image-format"]
    assert found and "images/2021-notes-image-et-listes-1.png" in found[0].message

"""Word documents of the kinds found in the wild (made by tests/word/wild.py, and by LibreOffice for a
link to a file and a linked image): each is imported, and no word Word displays is lost without a line
in the report."""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from publisher.cli import main
from publisher.diagnostics import PublisherError
from publisher.word import import_documents
from publisher.word.package import open_docx
from publisher.word.pandoc import read_docx

from ..conftest import VOLUME
from . import wild

FIXTURES = Path(__file__).parents[1] / "fixtures" / "word"
MADE_BY_LIBREOFFICE = {"image-liee": FIXTURES / "image-liee.docx", "lien-fichier": FIXTURES / "lien-fichier.docx"}
NOT_TEXT_PARTS = ("styles", "settings", "fontTable", "numbering", "webSettings", "commentsExtended", "people")


@pytest.fixture
def book(tmp_path):
    (tmp_path / "book" / "fiches").mkdir(parents=True)
    shutil.copy(VOLUME / "book.yaml", tmp_path / "book" / "book.yaml")
    (tmp_path / "documents").mkdir()
    return tmp_path / "book"


def documents(book: Path) -> Path:
    return book.parent / "documents"


def imported(book: Path, document: Path):
    """The report and the text of the one fiche the document gave."""
    report = import_documents([document], book / "fiches")
    written = sorted((book / "fiches").glob("*.md"))
    assert len(written) == 1, (written, [d.format() for d in report.notes])
    return report, written[0].read_text(encoding="utf-8")


def coded(report, code: str) -> list[str]:
    return [d.format() for d in report.notes if d.code == code]


def displayed_words(document: Path) -> set[str]:
    """Every word Word shows of the document: its body, notes, comments, headers and footers (its text
    runs, not its field codes nor its equations' own runs)."""
    words: set[str] = set()
    with zipfile.ZipFile(document) as z:
        for name in z.namelist():
            stem = name.rsplit("/", 1)[-1].removesuffix(".xml")
            if not name.startswith("word/") or not name.endswith(".xml") or stem in NOT_TEXT_PARTS \
                    or "/theme/" in name:
                continue
            for node in etree.fromstring(z.read(name)).iter("{*}t"):
                if "wordprocessingml" in node.tag:
                    words.update(re.findall(r"\w+", node.text or ""))
    return words


def accounted_words(report, fiche: str) -> set[str]:
    said = [fiche] + [e.text for e in report.ordered()] + [d.message for d in report.notes]
    return set(re.findall(r"\w+", " ".join(said)))


def every_kind(folder: Path) -> dict[str, Path]:
    made = {name: make(folder) for name, make in wild.KINDS.items()}
    made["objet-a-macros"] = wild.with_macros(folder, of_an_object_only=True)
    made["sans-latin"] = wild.title_without_latin_letters(folder, "2019 – Гражданство", "ukraine.docx")
    return made | MADE_BY_LIBREOFFICE


KINDS = sorted([*wild.KINDS, "objet-a-macros", "sans-latin", *MADE_BY_LIBREOFFICE])


@pytest.mark.parametrize("kind", KINDS)
def test_no_word_displayed_is_lost_without_a_line_in_the_report(book, kind):
    document = every_kind(documents(book))[kind]
    report, fiche = imported(book, document)
    lost = displayed_words(document) - accounted_words(report, fiche)
    assert not lost, (kind, lost, fiche)
    assert not [d for d in report.notes if d.severity == "error"]


def test_runs_in_bidirectional_custom_and_smart_tag_elements_are_kept(book):
    _, fiche = imported(book, wild.wrapped_runs(documents(book)))
    for said in ("Avant texte de droite à gauche après.", "Un passage bidirectionnel ici.",
                 "Texte dans un élément personnalisé et la suite.", "Rendez-vous à Namur en mai."):
        assert said in fiche


def test_a_ruby_keeps_its_base_and_its_reading_and_is_reported(book):
    report, fiche = imported(book, wild.ruby(documents(book)))
    assert "Le mot kanji (furigana) porte sa lecture." in fiche
    assert [line.split(":")[1] for line in coded(report, "docx-ruby")] == ["3"]


def test_fields_keep_what_word_displays_and_each_is_reported_with_its_paragraph(book):
    report, fiche = imported(book, wild.fields(documents(book)))
    body = read_fiche_body(fiche)
    assert "Daté du 3 mars 2019, par Anne Dupont." in body
    assert "Voir la page 12 du rapport annuel." in body
    assert "Chère Mariette, merci." in body
    assert "[du Centre](https://www.cainamur.be)" in body          # a hyperlink's field stays a link
    assert "Le compte rendu est sur mon disque." in body and "file:" not in fiche
    said = {(line.split(":")[1], re.search(r"\((\w+)\)", line).group(1)) for line in coded(report, "docx-field")}
    assert said == {("3", "CREATEDATE"), ("3", "AUTHOR"), ("4", "PAGEREF"), ("5", "MERGEFIELD")}
    assert [line.split(":")[1] for line in coded(report, "docx-external")] == ["7"]
    assert "INSTR" not in fiche.upper() and "MERGEFIELD" not in fiche


def read_fiche_body(text: str) -> str:
    return text.split("\n---\n", 1)[1]


def test_a_link_to_a_file_keeps_its_words_and_warns_with_its_paragraph(book):
    result = CliRunner().invoke(main, ["import", str(FIXTURES / "lien-fichier.docx"), "--into",
                                       str(book / "fiches")], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    warned = [row for row in result.output.splitlines() if "[docx-external]" in row]
    assert len(warned) == 1 and ":2: warning:" in warned[0] and "« sur le serveur »" in warned[0]
    fiche = next((book / "fiches").glob("*.md")).read_text(encoding="utf-8")
    assert "Le rapport est sur le serveur." in fiche and "Partage" not in fiche


def test_a_linked_image_becomes_an_image_to_provide(book):
    report, fiche = imported(book, FIXTURES / "image-liee.docx")
    name = next((book / "fiches").glob("*.md")).stem
    assert f"![Image liée à fournir](images/{name}-1.png)" in fiche
    assert not (book / "images").exists()          # nothing fetched from the author's disk
    assert [line.split(":")[1] for line in coded(report, "docx-external")] == ["3"]
    result = CliRunner().invoke(main, ["check", str(book)], catch_exceptions=False)
    assert f"images/{name}-1.png" in result.output and "[missing-image]" in result.output


def test_macros_are_never_run_the_text_is_imported_with_a_warning(book):
    report, fiche = imported(book, wild.with_macros(documents(book)))
    assert "Un paragraphe ordinaire dans un document à macros." in fiche
    assert len(coded(report, "docx-macros")) == 1


def test_an_object_with_macros_inside_the_document_is_no_macro_of_the_document(book):
    report, fiche = imported(book, wild.with_macros(documents(book), of_an_object_only=True))
    assert "Un paragraphe ordinaire" in fiche and not coded(report, "docx-macros")


def test_strict_open_xml_is_read_and_said(book):
    report, fiche = imported(book, wild.strict(documents(book)))
    assert "Un texte enregistré au format strict." in fiche and "title: Une fiche venue d’ailleurs" in fiche
    assert len(coded(report, "docx-strict")) == 1


def test_a_main_part_under_another_name_is_read(book):
    _, fiche = imported(book, wild.main_part_elsewhere(documents(book)))
    assert "Le corps du document porte un autre nom." in fiche


def test_notes_inside_a_quotation_keep_their_text_and_empty_notes_stay_several(book):
    _, fiche = imported(book, wild.notes_in_blocks(documents(book)))
    body = read_fiche_body(fiche)
    calls = re.findall(r"\[\^(\w+)\](?!:)", body)
    definitions = dict(re.findall(r"^\[\^(\w+)\]: (.*)$", body, re.MULTILINE))
    assert len(calls) == 5 and len(set(calls)) == 4           # the same note twice is one note
    first, empty_1, empty_2, same, again = calls
    assert definitions[first] == "Rapport d’activité, p. 4 : « un lieu ouvert à tous »."
    assert empty_1 != empty_2 and "note vide" in definitions[empty_1] and "note vide" in definitions[empty_2]
    assert same == again and definitions[same] == "Archives du Centre."


def test_a_document_whose_only_text_is_a_footnote_is_imported(book):
    _, fiche = imported(book, wild.only_a_footnote(documents(book)))
    assert "Tout le texte est dans cette note." in fiche


@pytest.mark.parametrize("title,file_name,expected", [
    ("2019 – Гражданство", "ukraine.docx", "2019-ukraine"),        # the document's name
    ("2019 – Гражданство", "документ.docx", "2019-fiche"),          # nor that: « fiche »
    ("« … »", "notes.docx", "notes"),
])
def test_every_name_written_is_a_visible_slug(book, title, file_name, expected):
    import_documents([wild.title_without_latin_letters(documents(book), title, file_name)], book / "fiches")
    assert [p.name for p in (book / "fiches").iterdir()] == [f"{expected}.md"]
    assert [p.name for p in (book / "images").iterdir()] == [f"{expected}-1.png"]
    fiche = (book / "fiches" / f"{expected}.md").read_text(encoding="utf-8")
    assert f"(images/{expected}-1.png)" in fiche
    if "Гражданство" in title:
        assert "title: Гражданство" in fiche


def test_headers_and_footers_are_not_imported_and_the_report_says_so_with_their_words(book):
    report, fiche = imported(book, wild.headers_and_footers(documents(book)))
    assert "brouillon" not in fiche and "diffuser" not in fiche
    said = coded(report, "docx-header")
    assert len(said) == 1 and "Centre d’action interculturelle — brouillon" in said[0] \
        and "Document interne, ne pas diffuser" in said[0]
    dropped = {e.text for e in report.dropped()}
    assert {"Centre d’action interculturelle — brouillon", "Document interne, ne pas diffuser"} <= dropped


def test_a_comment_ending_between_two_paragraphs_stays_on_the_first(book):
    report, fiche = imported(book, wild.comment_ending_between_paragraphs(documents(book)))
    assert "Le paragraphe commenté en entier.{>> Vérifier ce paragraphe avec la direction — Claire <<}" in fiche
    assert fiche.count("Vérifier ce paragraphe") == 1
    assert not [e for e in report.dropped() if "Vérifier" in e.text]


def test_an_equation_is_an_open_question_not_tex_to_print(book):
    report, fiche = imported(book, wild.equations(documents(book)))
    assert "La formule {>> équation à refaire : E = mc^{2} <<} reste célèbre." in fiche
    assert len(coded(report, "docx-equation")) == 1
    result = CliRunner().invoke(main, ["check", str(book)], catch_exceptions=False)
    assert "équation à refaire" in result.output and "[editorial-note]" in result.output


def test_empty_layout_paragraphs_are_counted_not_reported_one_by_one(book):
    report, fiche = imported(book, wild.layout_paragraphs(documents(book), count=60))
    assert "Le texte, enfin, après la mise en page." in fiche
    lines = json.loads(report.as_json())["lines"]
    assert not [line for line in lines if line["dropped"] and not line["text"].strip()]
    assert sum(line["action"] == "vide" for line in lines) == 60
    assert "60 ligne(s) vide(s)" in report.as_text() and len(report.as_text().splitlines()) < 10


def test_two_documents_giving_the_same_fiche_never_write_one_over_the_other(book):
    folder = documents(book)
    first, second = wild.ruby(folder), wild.equations(folder)
    result = CliRunner().invoke(main, ["import", str(first), str(second), "--into", str(book / "fiches")],
                                catch_exceptions=False)
    assert result.exit_code == 1
    refused = [row for row in result.output.splitlines() if "[docx-same-fiche]" in row]
    assert len(refused) == 1 and "equation.docx:1: error:" in refused[0] and "ruby.docx" in refused[0]
    written = [p.read_text(encoding="utf-8") for p in (book / "fiches").glob("*.md")]
    assert len(written) == 1 and "kanji (furigana)" in written[0]


def test_the_converter_is_bounded_in_memory_and_time_and_says_so(tmp_path):
    document = wild.large(tmp_path, paragraphs=4000)
    prepared = open_docx(document, "gros.docx").prepared
    with pytest.raises(PublisherError) as caught:
        read_docx(prepared, "gros.docx", heap_mb=20)
    said = caught.value.diagnostics[0]
    assert said.code == "docx-too-complex" and "20 Mo de mémoire" in said.message and "document de" in said.message
    with pytest.raises(PublisherError) as caught:
        read_docx(prepared, "gros.docx", timeout=0.05)
    assert caught.value.diagnostics[0].code == "docx-too-complex" and "secondes" in caught.value.diagnostics[0].message
    assert read_docx(prepared, "gros.docx")["blocks"]            # unbounded enough, it reads

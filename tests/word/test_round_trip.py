"""fiche → Word → fiche: the 13 real fiches come back byte for byte; a copy corrected in Word
(with python-docx: a comment, a tracked insertion and deletion) comes back as CriticMarkup."""

from __future__ import annotations

import copy
import re
import shutil
import zipfile
from pathlib import Path

import docx
import pytest
import yaml
from docx.oxml.ns import qn
from lxml import etree

from publisher.diagnostics import PublisherError
from publisher.word import export_fiches, import_documents

from ..conftest import VOLUME

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
FICHES = sorted((VOLUME / "fiches").glob("*.md"))          # 13: test_every_real_fiche_comes_back_unchanged


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """The frozen volume, every fiche exported once."""
    root = tmp_path_factory.mktemp("round-trip")
    shutil.copytree(VOLUME, root / "book")
    written, notes = export_fiches(sorted((root / "book" / "fiches").glob("*.md")), root / "word")
    return root, written, notes


def test_every_real_fiche_comes_back_unchanged(exported, tmp_path):
    root, written, _ = exported
    assert len(written) == len(FICHES) == 13
    (tmp_path / "fiches").mkdir()
    shutil.copy(VOLUME / "book.yaml", tmp_path / "book.yaml")
    report = import_documents(written, tmp_path / "fiches")
    assert not [d for d in report.notes if d.severity.value != "info"], [d.format() for d in report.notes]
    changed = [f.name for f in FICHES if (tmp_path / "fiches" / f.name).read_bytes() != f.read_bytes()]
    assert not changed


def parts(path: Path) -> dict[str, etree._Element]:
    with zipfile.ZipFile(path) as z:
        return {n: etree.fromstring(z.read(n)) for n in z.namelist() if n.endswith(".xml")}


def test_the_word_copy_has_comments_footnotes_chapeau_and_properties(exported):
    root, written, _ = exported
    fiche = root / "book" / "fiches" / "2015-developpement-de-plusieurs-projets-de-mentorat.md"
    text = fiche.read_text(encoding="utf-8")
    document = docx.Document(root / "word" / f"{fiche.stem}.docx")
    assert document.paragraphs[0].style.name == "Title"
    assert document.paragraphs[1].style.name == "Chapeau"
    assert document.core_properties.title.startswith("2015 – ")
    assert "Accompagnement" in document.core_properties.keywords
    assert [c.text for c in document.comments] == re.findall(r"\{>> (.*?) <<\}", text)
    xml = parts(root / "word" / f"{fiche.stem}.docx")
    notes = xml["word/footnotes.xml"].findall(f"{{{W}}}footnote")
    assert len([n for n in notes if n.get(f"{{{W}}}type") is None]) == text.count("[^") - text.count("\n[^")
    styles = etree.tostring(xml["word/styles.xml"]).decode()
    assert "Source Serif 4" in styles and 'w:val="fr-BE"' in styles


def test_an_image_the_book_lacks_is_a_frame_to_provide(exported):
    _, _, notes = exported
    assert {d.code for d in notes} == {"image-to-provide"}


def correct_in_word(path: Path) -> None:
    """What a proofreader does in Word, change tracking on: a comment, words added, a paragraph struck."""
    document = docx.Document(path)
    target = next(p for p in document.paragraphs if p.text.startswith("L’accueil, l’intégration"))
    document.add_comment(target.runs[0], text="Depuis 1984 ?", author="Claire Martin")
    body = target._p
    run = copy.deepcopy(target.runs[0]._r)
    for t in run.findall(qn("w:t")):
        t.text = "Dès l’origine, "
    inserted = etree.SubElement(body, qn("w:ins"), {qn("w:id"): "900", qn("w:author"): "Claire Martin",
                                                    qn("w:date"): "2026-11-20T10:00:00Z"})
    body.remove(inserted)
    inserted.append(run)
    body.insert(list(body).index(target.runs[0]._r), inserted)
    last = document.paragraphs[-1]
    struck = last.runs[-1]._r
    for t in struck.findall(qn("w:t")):
        t.tag = qn("w:delText")
    deleted = etree.Element(qn("w:del"), {qn("w:id"): "901", qn("w:author"): "Paul Simon",
                                          qn("w:date"): "2026-11-21T10:00:00Z"})
    last._p.replace(struck, deleted)
    deleted.append(struck)
    document.save(path)


PARCOURS = "2016-du-parcours-d-accueil-au-parcours"


def book_and_export(exported, tmp_path) -> tuple[Path, Path]:
    """A copy of the exported book to import into, and the clean export of one of its fiches."""
    root, _, _ = exported
    book = tmp_path / "book"
    shutil.copytree(root / "book", book)
    return book, root / "word" / f"{PARCOURS}.docx"


@pytest.fixture
def corrected(exported, tmp_path):
    book, export = book_and_export(exported, tmp_path)
    word = tmp_path / export.name
    shutil.copy(export, word)
    correct_in_word(word)
    return book, word, book / "fiches" / f"{PARCOURS}.md"


def test_a_corrected_copy_comes_back_as_criticmarkup(corrected):
    book, word, fiche = corrected
    before = fiche.read_text(encoding="utf-8")
    report = import_documents([word], book / "fiches")
    after = fiche.read_text(encoding="utf-8")
    lines = before.rstrip("\n").split("\n")
    first = next(i for i, row in enumerate(lines) if row.startswith("L’accueil, l’intégration"))
    lines[first] = "{++ Dès l’origine, ++} " + lines[first] + "{>> Depuis 1984 ? — Claire Martin <<}"
    lines[-1] = "{-- " + lines[-1] + " --}"          # the last paragraph struck out whole
    assert after == "\n".join(lines) + "\n"        # and nothing else moved
    actions = [e.action for e in report.ordered()]
    assert "insertion (Claire Martin)" in actions and "suppression (Paul Simon)" in actions
    assert "commentaire (Claire Martin)" in actions


def test_accept_applies_the_changes(corrected):
    book, word, fiche = corrected
    import_documents([word], book / "fiches", accept=True)
    after = fiche.read_text(encoding="utf-8")
    assert "\nDès l’origine, L’accueil" in after and "{++" not in after and "{--" not in after
    assert not after.rstrip("\n").endswith("travail social du CAI.")
    assert "{>> Depuis 1984 ? — Claire Martin <<}" in after     # a comment stays a question


def test_a_fiche_edited_since_the_export_is_not_overwritten_without_force(corrected):
    book, word, fiche = corrected
    edited = fiche.read_text(encoding="utf-8").replace("Ce changement", "Cette évolution")
    fiche.write_text(edited, encoding="utf-8")
    report = import_documents([word], book / "fiches")
    assert fiche.read_text(encoding="utf-8") == edited
    found = [d for d in report.notes if d.code == "fiche-changed-since-export"]
    assert found and found[0].severity.value == "error" and found[0].location.path.endswith(fiche.name)
    import_documents([word], book / "fiches", force=True)
    assert "Claire Martin" in fiche.read_text(encoding="utf-8")


def test_tracked_changes_have_ids_of_their_own(tmp_path):
    """pandoc numbers a paragraph's changes alike: Word wants each its own w:id."""
    book = tmp_path / "book"
    shutil.copytree(VOLUME, book)
    fiche = book / "fiches" / "2014-engagements-croises.md"
    text = fiche.read_text(encoding="utf-8").replace("deux journées", "{++ deux ++}{-- trois --} journées {~~ a ~> b ~~}")
    fiche.write_text(text, encoding="utf-8")
    written, _ = export_fiches([fiche], tmp_path / "word")
    xml = parts(written[0])["word/document.xml"]
    changes = [n.get(f"{{{W}}}id") for n in xml.iter(f"{{{W}}}ins", f"{{{W}}}del")]
    others = [n.get(f"{{{W}}}id") for n in xml.iter(f"{{{W}}}commentRangeStart", f"{{{W}}}bookmarkStart")]
    assert len(changes) == 4 and len(set(changes + others)) == len(changes) + len(set(others))
    (tmp_path / "back" / "fiches").mkdir(parents=True)
    shutil.copy(book / "book.yaml", tmp_path / "back" / "book.yaml")
    import_documents(written, tmp_path / "back" / "fiches")
    assert (tmp_path / "back" / "fiches" / fiche.name).read_text(encoding="utf-8") == text


def test_a_copy_imported_unchanged_over_its_fiche_changes_nothing(exported, tmp_path):
    root, written, _ = exported
    book = tmp_path / "book"
    shutil.copytree(root / "book", book)
    report = import_documents(written, book / "fiches")
    assert not [d for d in report.notes if d.severity.value != "info"]
    assert [f.read_bytes() for f in sorted((book / "fiches").glob("*.md"))] == [f.read_bytes() for f in FICHES]


def test_changes_made_without_tracking_are_marked_too(exported, tmp_path):
    book, export = book_and_export(exported, tmp_path)
    word = tmp_path / export.name
    document = docx.Document(export)
    # an editor types over two words, change tracking off
    target = next(p for p in document.paragraphs if "véritable tournant" in p.text)
    for run in target.runs:
        for t in run._r.findall(qn("w:t")):
            t.text = t.text.replace("un véritable tournant", "un tournant décisif")
    document.save(word)
    fiche = book / "fiches" / f"{PARCOURS}.md"
    before = fiche.read_text(encoding="utf-8")
    report = import_documents([word], book / "fiches")
    after = fiche.read_text(encoding="utf-8")
    assert "untracked-changes" in {d.code for d in report.notes}
    assert after == before.replace("un véritable tournant", "un {-- véritable --} tournant {++ décisif ++}") \
        or after == before.replace("un véritable tournant", "un {~~ véritable tournant ~> tournant décisif ~~}"), \
        [row for row in after.splitlines() if "tournant" in row]


def test_export_writes_again_over_an_untouched_copy_never_over_corrections(corrected, exported, tmp_path):
    root, _, _ = exported
    book, word, fiche = corrected
    out = tmp_path / "again"
    out.mkdir()
    shutil.copy(root / "word" / word.name, out / word.name)              # as exported: no corrections
    fiche.write_text(fiche.read_text(encoding="utf-8").replace("Ce changement", "Cette évolution"), encoding="utf-8")
    export_fiches([fiche], out)
    assert "Cette évolution" in "".join(p.text for p in docx.Document(out / word.name).paragraphs)
    shutil.copy(word, out / word.name)                                     # Claire Martin's corrections
    with pytest.raises(PublisherError) as refused:
        export_fiches([fiche], out)
    assert refused.value.diagnostics[0].code == "docx-exists"
    assert "Claire Martin" in {c.author for c in docx.Document(out / word.name).comments}


EVERYTHING = """---
number: 8
year: 1990
title: 'Une fiche qui dit tout : pour le chemin aller-retour'
short_title: Tout
themes: [Intégration, Logement]
axes: [Interpellation]
lead: Un chapeau avec de l’*italique* et une note.[^1]
source: écrite à la main
---

## Un intertitre

Du **gras**, de l’*italique*, un [renvoi](fiche:2016-du-parcours-d-accueil-au-parcours), un \\[crochet\\], du `code`, un repère{index: Parcours d’intégration}.

- une puce
  - une puce dans la puce
- une autre puce

1. un point

   son second paragraphe

2. un autre point

> Une citation.

Une question ouverte{>> Laquelle ? — Anne Dupont <<} et une correction {~~ proposée ~> suggérée ~~}.[^2]

[^1]: La note du chapeau.

[^2]: Une note {>> à sourcer <<} de plus.
"""  # noqa: E501 — a paragraph of a fiche is one line


def test_everything_a_fiche_can_say_comes_back(tmp_path):
    book = tmp_path / "book"
    shutil.copytree(VOLUME, book)
    fiche = book / "fiches" / "1990-une-fiche-qui-dit-tout.md"
    fiche.write_text(EVERYTHING, encoding="utf-8")
    written, _ = export_fiches([fiche], tmp_path / "word")
    (tmp_path / "back" / "fiches").mkdir(parents=True)
    shutil.copy(book / "book.yaml", tmp_path / "back" / "book.yaml")
    import_documents(written, tmp_path / "back" / "fiches")
    assert (tmp_path / "back" / "fiches" / fiche.name).read_text(encoding="utf-8") == EVERYTHING


def test_a_fiche_in_its_authors_layout_comes_back_from_word_as_it_was(tmp_path):
    """Lists one item a line, a chapeau folded over several lines, a comment: exported, then imported
    unchanged, the file keeps every byte (only what Word changed would be written again)."""
    book = tmp_path / "book"
    shutil.copytree(VOLUME, book)
    fiche = book / "fiches" / "2016-reforme-du-code-de-la-nationalite.md"
    text = fiche.read_text(encoding="utf-8")
    front = yaml.safe_load(text.split("---\n")[1])
    themes = "".join(f"  - {t}\n" for t in front["themes"])
    authored = text.replace(f"themes: [{', '.join(front['themes'])}]\n", f"themes:\n{themes}")
    authored = authored.replace(f"lead: {front['lead']}\n", "lead: >-\n  " + front["lead"].replace(". ", ".\n  ", 1)
                                + "\n# le chapeau relu par Anne\n")
    assert authored.count("\n  - ") == len(front["themes"]) and "# le chapeau" in authored
    fiche.write_text(authored, encoding="utf-8")
    [docx_path], _ = export_fiches([fiche], tmp_path / "word")
    report = import_documents([docx_path], book / "fiches")
    assert not [d for d in report.notes if d.severity.value != "info"], [d.format() for d in report.notes]
    assert fiche.read_text(encoding="utf-8") == authored

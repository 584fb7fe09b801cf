"""The editor's form, without a browser: a fiche opened and saved unchanged is the same file, whoever
wrote it and in whatever layout; a field changed changes its own lines only."""

from __future__ import annotations

import shutil

from starlette.datastructures import FormData

from publisher.desk.editing import from_fields, open_form, save
from publisher.source.load import load_book

from ..conftest import VOLUME


def as_sent(form) -> FormData:
    """What the browser sends for the form as the editor shows it."""
    front = form.front
    items = [("digest", form.digest), ("year", str(front.get("year") or "")),
             ("number", "" if front.get("number") is None else str(front["number"])),
             ("title", front.get("title") or ""), ("short_title", front.get("short_title") or ""),
             ("lead", front.get("lead") or ""), ("source", front.get("source") or ""),
             ("body", form.body.replace("\n", "\r\n"))]
    items += [("themes", t) for t in front.get("themes") or []] + [("axes", a) for a in front.get("axes") or []]
    return FormData(items)


def test_every_real_fiche_saved_unchanged_is_the_same_file(tmp_path):
    root = tmp_path / "book"
    shutil.copytree(VOLUME, root)
    config = load_book(root)[0].config
    paths = sorted((root / "fiches").glob("*.md"))
    assert len(paths) == 13
    for path in paths:
        before = path.read_bytes()
        form = open_form(root, path.stem)
        saved = save(root, from_fields(path.stem, as_sent(form), config))
        assert not saved.problem, (path.name, saved.problem)
        assert path.read_bytes() == before, path.name


def test_names_outside_the_fiches_are_no_fiche(tmp_path):
    root = tmp_path / "book"
    shutil.copytree(VOLUME, root)
    (tmp_path / "secret.md").write_text("---\ntitle: x\n---\n", encoding="utf-8")
    (root / "fiches" / "lien.md").symlink_to(tmp_path / "secret.md")
    for name in ("../secret", "..%2Fsecret", "/etc/passwd", "lien", "Majuscules", ""):
        assert open_form(root, name) is None, name


AUTHORED = """---
number: 7   # le numéro du CAI
year: 2002
title: "Beta : une fiche écrite à la main"
themes:
  - Logement
axes: []
lead: >-
  Un chapeau écrit
  sur deux lignes.

# d'où vient la fiche
source: export.txt:12
---


Un seul paragraphe dans beta, avec une note[^1].

[^1]: Source beta.
"""


def test_a_fiche_in_its_authors_layout_saved_unchanged_is_the_same_file(book_copy):
    path = book_copy / "fiches" / "beta.md"
    path.write_text(AUTHORED, encoding="utf-8")
    config = load_book(book_copy)[0].config
    saved = save(book_copy, from_fields("beta", as_sent(open_form(book_copy, "beta")), config))
    assert not saved.problem and path.read_text(encoding="utf-8") == AUTHORED


def test_a_field_changed_in_the_desk_changes_its_own_lines_only(book_copy):
    path = book_copy / "fiches" / "beta.md"
    path.write_text(AUTHORED, encoding="utf-8")
    config = load_book(book_copy)[0].config
    sent = as_sent(open_form(book_copy, "beta"))
    fields = FormData([(k, "Beta, écrite à la main" if k == "title" else v) for k, v in sent.multi_items()]
                      + [("themes", "Intégration")])
    saved = save(book_copy, from_fields("beta", fields, config))
    assert not saved.problem
    assert path.read_text(encoding="utf-8") == AUTHORED.replace(
        'title: "Beta : une fiche écrite à la main"', "title: Beta, écrite à la main").replace(
        "  - Logement\n", "  - Logement\n  - Intégration\n")


def test_fiches_imported_from_word_or_the_website_saved_unchanged_are_the_same_files(book_copy, monkeypatch):
    """What an importer writes is what the desk writes back: no line rewritten that nobody changed."""
    from publisher.importer import import_exports
    from publisher.word import import_documents

    from ..conftest import FIXTURES, SEEDS

    monkeypatch.chdir(book_copy)
    import_documents([FIXTURES / "word" / "commentaires.docx"], book_copy / "fiches")
    import_exports(sorted(SEEDS.glob("*.txt"))[:1], book_copy / "fiches")
    imported = sorted(p for p in (book_copy / "fiches").glob("*.md") if p.stem not in ("alpha", "beta", "gamma"))
    assert len(imported) > 2
    text = (book_copy / "book.yaml").read_text(encoding="utf-8")
    (book_copy / "book.yaml").write_text(text.replace("order: [alpha, beta, gamma]", "order: chronological"),
                                         encoding="utf-8")
    config = load_book(book_copy)[0].config
    for path in imported:
        before = path.read_bytes()
        saved = save(book_copy, from_fields(path.stem, as_sent(open_form(book_copy, path.stem)), config))
        assert not saved.problem, (path.name, saved.problem)
        assert path.read_bytes() == before, path.name
    word = next(p for p in imported if p.read_text(encoding="utf-8").count("commentaires.docx"))
    before = word.read_bytes()
    report = import_documents([FIXTURES / "word" / "commentaires.docx"], book_copy / "fiches")
    assert word.read_bytes() == before and not [d for d in report.notes if d.code == "fiche-exists"]

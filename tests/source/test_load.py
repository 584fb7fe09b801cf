"""Loading book/: every item knows its file and line."""

from __future__ import annotations

from publisher.model import Critic, FootnoteRef, Paragraph
from publisher.source.load import load_book

from ..conftest import VOLUME


def test_real_book_loads_thirteen_fiches_in_chronological_order():
    book, _ = load_book(VOLUME)
    assert len(book.fiches) == 13
    years = [f.year for f in book.fiches]
    assert years == sorted(years)
    numbers = {f.number: f.id for f in book.fiches if f.number}
    assert numbers == {29: "2009-vers-une-politique-d-accueil-des",
                       37: "2016-du-parcours-d-accueil-au-parcours",
                       38: "2016-reforme-du-code-de-la-nationalite"}


def test_blocks_carry_their_source_line():
    book, _ = load_book(VOLUME)
    checked = 0
    for fiche in book.fiches:
        lines = (VOLUME / "fiches" / f"{fiche.id}.md").read_text(encoding="utf-8").splitlines()
        for block in fiche.blocks:
            words = block.children[0].text.split() if isinstance(block, Paragraph) and block.children \
                and hasattr(block.children[0], "text") else []
            if not words:
                continue
            first = words[0].strip("[]")
            assert first and first in lines[block.location.line - 1], (block.location, first)
            checked += 1
    assert checked > 100


def test_footnotes_and_questions_are_located(book_copy):
    path = book_copy / "fiches" / "gamma.md"
    question = "{>> Une question ouverte ? <<}\n\n[^z]: Source"
    path.write_text(path.read_text(encoding="utf-8").replace("[^z]: Source", question),
                    encoding="utf-8")
    book, _ = load_book(book_copy)
    gamma = next(f for f in book.fiches if f.id == "gamma")
    refs = [r for b in gamma.blocks if isinstance(b, Paragraph) for r in b.children if isinstance(r, FootnoteRef)]
    assert [r.label for r in refs] == ["z"]
    critic = [r for b in gamma.blocks if isinstance(b, Paragraph) for r in b.children if isinstance(r, Critic)]
    assert critic[0].text == "Une question ouverte ?"
    text = path.read_text(encoding="utf-8").splitlines()
    assert "{>>" in text[critic[0].location.line - 1]
    assert gamma.footnotes[0].location.line == text.index("[^z]: Source gamma.") + 1


def test_unknown_theme_is_a_warning_naming_the_line(book_copy):
    path = book_copy / "fiches" / "beta.md"
    path.write_text(path.read_text(encoding="utf-8").replace("[Logement]", "[Logment]"), encoding="utf-8")
    _, diagnostics = load_book(book_copy)
    found = [d for d in diagnostics if d.code == "unknown-theme"]
    assert found and found[0].location.line == 6 and "Logment" in found[0].message

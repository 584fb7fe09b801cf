"""CriticMarkup read and written by one module (publisher/source/critic.py): what a writer makes,
the Markdown reader reads back as the same mark."""

from __future__ import annotations

import pytest

from publisher.model import Critic, Paragraph
from publisher.source import critic
from publisher.source.markdown import parse_body

WRITTEN = [
    (critic.comment("Lequel ?", "Claire Martin"), "comment", "Lequel ? — Claire Martin", ""),
    (critic.comment("fermé <<} trop tôt"), "comment", "fermé << } trop tôt", ""),
    (critic.addition("ajoutés"), "addition", "ajoutés", ""),
    (critic.deletion("retirés"), "deletion", "retirés", ""),
    (critic.substitution("ancien", "nouveau"), "substitution", "ancien", "nouveau"),
    (critic.highlight("surlignés"), "highlight", "surlignés", ""),
    (critic.change("insertion", "inséré"), "addition", "inséré", ""),
    (critic.change("deletion", "supprimé"), "deletion", "supprimé", ""),
]


@pytest.mark.parametrize("mark, op, text, replacement", WRITTEN)
def test_what_is_written_reads_back(mark, op, text, replacement):
    found = critic.mark_at(f"Avant {mark} après.", len("Avant "))
    assert (found.op, found.text, found.replacement) == (op, text, replacement)
    blocks, _, _, _ = parse_body(f"Avant {mark} après.\n", "f.md", 5)
    [paragraph] = blocks
    assert isinstance(paragraph, Paragraph)
    [run] = [r for r in paragraph.children if isinstance(r, Critic)]
    assert (run.op, run.text, run.replacement, run.location.line) == (op, text, replacement, 5)


def test_a_mark_closed_by_another_kind_is_no_mark():
    assert critic.mark_at("{++ ouvert --}", 0) is None
    assert critic.mark_at("{>> ouvert", 0) is None


def test_escaped_text_is_no_mark():
    text = critic.escape("un {>> littéral <<} et {== un autre ==}")
    blocks, _, _, _ = parse_body(text + "\n", "f.md", 1)
    assert not [r for r in blocks[0].children if isinstance(r, Critic)]


def test_the_text_before_its_changes():
    text = "Le {~~ chat ~> chien ~~} {-- noir --} dort{++ bien ++}.{>> Lequel ? <<}"
    assert critic.before_changes(text) == "Le chat noir dort.{>> Lequel ? <<}"
    assert critic.without_comments(text, "") == "Le {~~ chat ~> chien ~~} {-- noir --} dort{++ bien ++}."
    assert critic.is_whole_change(critic.addition("Un paragraphe entier."), "insertion")
    assert not critic.is_whole_change("Un {++ mot ++} inséré.", "insertion")

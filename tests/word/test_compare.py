"""What an editor typed without « Suivi des modifications », marked against the fiche."""

from __future__ import annotations

import pytest

from publisher.source.critic import before_changes
from publisher.word.compare import key, mark_untracked, words

CASES = [
    ("a connu un véritable tournant avec", "a connu un tournant décisif avec",
     "a connu un {-- véritable --} tournant {++ décisif ++} avec"),
    ("Le chat dort.", "Le chien dort.", "Le {~~ chat ~> chien ~~} dort."),
    ("Le chat dort.", "Le chien dort.{>> Lequel ? <<}", "Le {~~ chat ~> chien ~~} dort.{>> Lequel ? <<}"),
    ("Un texte.", "Un texte.", "Un texte."),
]


@pytest.mark.parametrize("old,new,expected", CASES)
def test_words(old, new, expected):
    assert words(old, new) == expected
    assert key(before_changes(words(old, new))) == key(old)     # the fiche's text, under the marks


def test_a_block_with_tracked_changes_is_left_to_them():
    old = "A b.\n\nC d."
    new = "{++ Dès ++} A b.{>> Pourquoi ? <<}\n\nC d."
    assert mark_untracked(old, new) == (new, 0)


def test_a_paragraph_added_or_removed_without_tracking():
    body, count = mark_untracked("A.\n\nB.", "A.\n\nB.\n\nC.")
    assert (body, count) == ("A.\n\nB.\n\n{++ C. ++}", 1)
    body, count = mark_untracked("A.\n\nB.\n\nC.", "A.\n\nC.")
    assert (body, count) == ("A.\n\n{-- B. --}\n\nC.", 1)

"""Editorial leftovers found by their kind, not their words (publisher/checks/leftovers.py), on the cases of
tests/fixtures/leftovers/cases.txt: every one found with its kind, no narrative sentence taken for one."""

from __future__ import annotations

from publisher.build import prepare
from publisher.checks.leftovers import leftovers

from ..conftest import FIXTURES, VOLUME

CASES = FIXTURES / "leftovers" / "cases.txt"


def cases() -> list[tuple[set[str], str]]:
    out = []
    for line in CASES.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            kinds, _, text = line.partition("|")
            out.append((set(kinds.split()) - {"-"}, text.strip()))
    return out


def scores() -> tuple[float, float, list]:
    """Precision and recall over the kinds expected and found, paragraph by paragraph."""
    expected = found = right = 0
    wrong = []
    for kinds, text in cases():
        got = {leftover.kind for leftover in leftovers(text)}
        expected, found, right = expected + len(kinds), found + len(got), right + len(kinds & got)
        if got != kinds:
            wrong.append((text, kinds, got))
    return right / found, right / expected, wrong


def test_every_leftover_of_the_cases_is_found_with_its_kind_and_no_narrative_is_taken():
    precision, recall, wrong = scores()
    assert precision == 1.0 and recall == 1.0, wrong
    assert sum(1 for kinds, _ in cases() if kinds) >= 30 and sum(1 for kinds, _ in cases() if not kinds) >= 20


def test_the_whole_remark_is_the_leftover_not_its_first_words():
    [found] = leftovers("Le colloque a lieu à Namur. À vérifier : la date et le lieu de la réunion.")
    assert found.text == "À vérifier : la date et le lieu de la réunion."


def test_the_frozen_book_gives_at_most_one_false_positive():
    _, diagnostics = prepare(VOLUME)
    said = [d for d in diagnostics if d.code in ("editor-question", "note-to-self")]
    assert len(said) <= 1, [d.format() for d in said]

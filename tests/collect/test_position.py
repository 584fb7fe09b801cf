"""Where a printed point or printed words are in their source line (publisher/collect/apply.py): the
letters find the place, what the print has around it that is no letter (numbers, punctuation) too."""

from __future__ import annotations

import pytest

from publisher.collect.apply import position

SOURCE = "Namur : CAI, 2014, 40 p. Éditrice responsable : Benoîte Dessicy"
PRINTED = "Namur\u00a0: CAI, 2014, 40 p.\u00a0Éditrice responsable\u00a0:\nBenoîte Dessicy"


@pytest.mark.parametrize("before, expected", [
    ("CAI, 2014, ", "CAI, 2014, |40 p."),          # after numbers: letters alone would stop after « CAI »
    ("CAI, ", "CAI, |2014,"),
    ("CAI", "CAI|, 2014"),
    ("Namur\u00a0: ", "Namur : |CAI"),             # the print's narrow spaces are the source's spaces
])
def test_a_caret_after_numbers_and_punctuation_lands_where_it_was_put(before, expected):
    offset = PRINTED.index(before) + len(before)
    start, end = position(SOURCE, PRINTED, offset, "")
    assert start == end
    left, right = expected.split("|")
    assert SOURCE[:start].endswith(left) and SOURCE[start:].startswith(right)


def test_a_source_that_differs_after_the_letters_keeps_the_point_after_them():
    source = SOURCE.replace("2014, 40", "2014 — 40")
    offset = PRINTED.index("40 p.")
    start, _ = position(source, PRINTED, offset, "")
    assert source[:start].endswith("CAI")                     # not half way through what differs

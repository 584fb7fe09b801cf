"""A paragraph's runs made into the breaker's items, then broken at every measure from narrow to wide: the
lines give back the text word for word; a word is cut only where the French patterns allow, three
letters at least on each side (two before the cut only where the paragraph has no lines within the
tolerance otherwise, as French usage allows: « dé-/marche »), never in an acronym; no line ends on
« à », « a » or « y », no number is parted from the word it counts; a word's boxes are as wide as the word shaped whole."""

from __future__ import annotations

import re

import pytest

from publisher.breaking.knuth import Box, Glue, Penalty, Settings, best, breaks, ended
from publisher.breaking.measure import Fonts, Style
from publisher.breaking.words import HYPHEN, Run, dictionary, items_of

ROMAN = Style("Source Serif 4")
CAPS = Style("Source Serif 4", features=(("c2sc", 1), ("smcp", 1)))
ITALIC = Style("Source Serif 4", italic=True)
RUNS = [
    Run("En 1984, le centre ouvre ses portes à Namur : il y a alors 45 formatrices, et le 8 mai le ", ROMAN),
    Run("CPAS", CAPS, hyphenate=False),
    Run(" confie au centre l’accompagnement socio-culturel des personnes étrangères, ", ROMAN),
    Run("une responsabilité considérable", ITALIC),
    Run(" au regard de la réglementation internationale du 19e siècle ; à chacun sa tâche, a-t-on dit à "
        "l’époque, y compris aux 1\u202f200 bénévoles qui s’engagent\u00a0: «\u202fenfin\u202f!\u202f»", ROMAN),
]
TEXT = "".join(run.text for run in RUNS)


def lines_at(width: float) -> list[str]:
    items, _ = items_of(RUNS, Fonts())
    lines = breaks(items, width)
    assert lines is not None, width
    everything = ended(items)
    out = []
    for line in lines:
        text = "".join(i.text if isinstance(i, Box) else " " if isinstance(i, Glue) else ""
                       for i in everything[line.start:line.end])
        out.append(text.strip() + (HYPHEN if line.hyphenated and not text.rstrip().endswith("-") else ""))
    return out


@pytest.mark.parametrize("width", range(160, 520, 12))
def test_lines_at_every_measure_keep_the_words_and_the_rules(width):
    lines = lines_at(width)
    joined = re.sub(f"{HYPHEN} ", "", " ".join(lines)).replace("- ", "-")
    assert joined == TEXT.replace("\u00a0", " ").strip()                      # every word, in order
    for line, after in zip(lines, lines[1:]):
        last = line.split()[-1]
        assert not re.fullmatch(r"[«(]?[^\W\d_]", last), (width, line)      # no « à », « a », « y » at the end
        assert not (re.fullmatch(r"\d[\d\u202f]*|\d+e", last) and after[0].isalpha()), (width, line, after)
        if line.endswith(HYPHEN):
            head = re.findall(r"[^\W\d_]+$", line[:-1])[0]
            tail = re.findall(r"^[^\W\d_]+", after)[0]
            assert len(tail) >= 3 and (len(head) >= 3 or (len(head) == 2 and no_lines_without_last_resort(width)))
            assert head + tail != "CPAS" and len(dictionary(left=2).positions(head + tail)) > 0


def no_lines_without_last_resort(width: float) -> bool:
    items, _ = items_of(RUNS, Fonts())
    return best(ended(items), width, Settings(), Settings().tolerance, last_resort=False) is None


def test_a_words_boxes_add_up_to_the_word_shaped_whole():
    fonts = Fonts()
    items, where = items_of([Run("l’accompagnement interculturel", ROMAN)], fonts)
    boxes = [i for i in items if isinstance(i, Box)]
    first = [b for b in boxes if b.text in "l’accompagnement"]
    assert len(first) > 2                                                        # cut at its hyphenation points
    assert sum(b.width for b in first) == pytest.approx(fonts.width("l’accompagnement", ROMAN), abs=1e-9)
    assert [w.offset for i, w in zip(items, where) if isinstance(i, Box)][0] == 0
    assert any(isinstance(i, Penalty) and i.flagged and i.width == pytest.approx(fonts.width(HYPHEN, ROMAN))
               for i in items)


def test_a_no_break_space_stretches_and_a_narrow_one_does_not():
    items, _ = items_of([Run("12\u00a0000 mots\u202f!", ROMAN)], Fonts())
    kinds = [type(i).__name__ for i in items]
    assert kinds[:3] == ["Box", "Penalty", "Glue"] and items[1].cost >= 10_000     # 12 / never / stretching space
    assert items[-1].text == "mots\u202f!"                                        # the narrow one: inside the box


def test_what_looks_like_a_number_and_is_not_may_end_a_line():
    """« Le » and « Ce » are no roman ordinals (« XIXe », « Ve » are), « 2016, » counts nothing."""
    from publisher.breaking.words import refused_after

    assert [refused_after(w, "suivant") for w in ("Le", "Ce", "2016,", "XIXe", "Ve", "45", "1\u202f200", "19e")] \
        == [False, False, False, True, True, True, True, True]

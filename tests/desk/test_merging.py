"""Two saves of one fiche from the same version: merged when they changed different lines, a
conflict (its lines on each side) when they changed the same ones."""

from __future__ import annotations

from publisher.desk.merging import merge, sides

BASE = "---\ntitle: Alpha\n---\n\nPremier paragraphe.\n\nDeuxième paragraphe.\n\nTroisième paragraphe.\n"


def test_changes_to_different_paragraphs_are_both_kept():
    ours = BASE.replace("Premier paragraphe.", "Premier paragraphe, revu.")
    theirs = BASE.replace("Troisième paragraphe.", "Troisième paragraphe, revu aussi.")
    merged = merge(BASE, ours, theirs)
    assert merged.text == BASE.replace("Premier paragraphe.", "Premier paragraphe, revu.").replace(
        "Troisième paragraphe.", "Troisième paragraphe, revu aussi.")


def test_a_title_changed_by_one_and_a_paragraph_added_by_the_other():
    ours = BASE + "\nUn paragraphe de plus.\n"
    theirs = BASE.replace("title: Alpha", "title: Alpha, le titre juste")
    assert merge(BASE, ours, theirs).text == theirs + "\nUn paragraphe de plus.\n"


def test_the_same_change_made_twice_is_no_conflict():
    both = BASE.replace("Deuxième", "Second")
    assert merge(BASE, both, both).text == both


def hot(lines) -> list[str]:
    return ["".join(text for text, _ in line.parts) for line in lines if line.hot]


def differing(lines) -> list[str]:
    return [text for line in lines for text, differs in line.parts if differs]


def test_the_same_line_changed_two_ways_is_a_conflict_with_its_lines_and_words_on_each_side():
    ours = BASE.replace("Deuxième paragraphe.", "Deuxième paragraphe selon moi.")
    theirs = BASE.replace("Deuxième paragraphe.", "Deuxième paragraphe selon l'autre.\nEt une ligne de plus.")
    merged = merge(BASE, ours, theirs)
    assert merged.text is None
    left, right = sides(merged, context=1)
    assert hot(left) == ["Deuxième paragraphe selon l'autre.", "Et une ligne de plus."]
    assert hot(right) == ["Deuxième paragraphe selon moi."]
    assert differing(left) == ["l'autre.", "Et", "une", "ligne", "de", "plus."] and differing(right) == ["moi."]
    assert [line.number for line in right if line.hot] == [7]                       # its line in the file
    assert right[0].gap and [line.number for line in right if not line.gap] == [6, 7, 8]   # the rest left out


def test_a_line_removed_by_one_and_changed_by_the_other_is_a_conflict():
    ours = BASE.replace("Troisième paragraphe.\n", "")
    theirs = BASE.replace("Troisième paragraphe.", "Troisième paragraphe, corrigé.")
    merged = merge(BASE, ours, theirs)
    assert merged.text is None and hot(sides(merged)[0]) == ["Troisième paragraphe, corrigé."]

"""A fiche's text read with the line of everything in it, inside emphasis and links too."""

from __future__ import annotations

from publisher.model import Critic, FootnoteRef
from publisher.source.markdown import parse_body
from publisher.tree import walk_runs

PARAGRAPH = """Une première ligne,
une deuxième ligne **en gras,
qui continue** et *une troisième en italique[^1],
qui continue[^2]* puis [un lien
vers ailleurs[^3]](https://example.org) et {>> une question <<}[^4].

[^1]: Une.
[^2]: Deux.
[^3]: Trois.
[^4]: Quatre.
"""


def test_note_calls_inside_emphasis_and_links_are_on_their_own_lines():
    blocks, _, _, diagnostics = parse_body(PARAGRAPH, "f.md", 10)
    runs = list(walk_runs(blocks[0].children))
    calls = {r.label: r.location.line for r in runs if isinstance(r, FootnoteRef)}
    assert calls == {"1": 12, "2": 13, "3": 14, "4": 14}
    assert [r.location.line for r in runs if isinstance(r, Critic)] == [14]
    assert not diagnostics


def test_what_a_check_says_inside_emphasis_names_its_line():
    text = "Première ligne,\n*deuxième ligne\navec ![une image](images/x.jpg) et <b>du HTML</b>*.\n"
    _, _, _, diagnostics = parse_body(text, "f.md", 5)
    assert sorted((d.code, d.location.line) for d in diagnostics) == [("inline-image", 7), ("raw-html", 7),
                                                                       ("raw-html", 7)]

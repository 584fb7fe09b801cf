"""Passages said twice in a fiche (publisher/checks/repeats.py), on the cases of tests/fixtures/repeats/cases.txt:
each reported at the line that repeats, naming the line first said; none where the text says two things."""

from __future__ import annotations

import re

import pytest

from publisher.build import prepare

from ..conftest import FIXTURES

CASES = FIXTURES / "repeats" / "cases.txt"
HEAD = "---\nyear: 2003\ntitle: Gamma\nthemes: []\naxes: []\n---\n"


def cases() -> list[tuple[str, str, set[tuple[int, int]]]]:
    out = []
    for block in re.split(r"^### ", CASES.read_text(encoding="utf-8"), flags=re.M)[1:]:
        name, rest = block.split("\n", 1)
        text, expected = rest.split("\n===\n")
        pairs = {tuple(int(n) for n in line.split(" repeats ")) for line in expected.split("\n")
                 if line.strip() and line.strip() != "none"}
        out.append((name, text.strip("\n") + "\n", pairs))
    return out


@pytest.mark.parametrize("name, text, expected", cases(), ids=[c[0][:50] for c in cases()])
def test_repeats(name, text, expected, book_copy):
    (book_copy / "fiches" / "gamma.md").write_text(HEAD + text, encoding="utf-8")
    _, diagnostics = prepare(book_copy)
    offset = HEAD.count("\n")
    found = {(d.location.line - offset, int(re.search(r"ligne (\d+)", d.message).group(1)) - offset)
             for d in diagnostics if d.code == "duplicate-passage" and d.location.path.endswith("gamma.md")}
    assert found == expected, f"{CASES.name}, « {name} »"

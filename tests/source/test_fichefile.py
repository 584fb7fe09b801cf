"""A fiche's file read and written by one module: the author's layout of the front matter kept,
the same bytes when nothing changed (publisher/source/fichefile.py, on fixtures/fichefile/cases.txt)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from publisher.source import fichefile

from ..conftest import FIXTURES, VOLUME

CASES = FIXTURES / "fichefile" / "cases.txt"


def cases() -> list[tuple[str, str, dict, str]]:
    text = CASES.read_text(encoding="utf-8")
    out = []
    for block in re.split(r"^### ", text, flags=re.M)[1:]:
        name, rest = block.split("\n", 1)
        parts = dict(re.findall(r"^=== (\w+)\n(.*?)(?=^=== |\Z)", rest, flags=re.M | re.S))
        changes = {k: fichefile.REMOVE if v == "REMOVE" else v for k, v in yaml.safe_load(parts["changes"]).items()}
        expected = parts["expected"].rstrip("\n") + "\n"
        out.append((name, parts["input"].rstrip("\n") + "\n", changes, expected))
    return out


@pytest.mark.parametrize("name, written, changes, expected", cases(), ids=[c[0][:40] for c in cases()])
def test_rewrite(name, written, changes, expected):
    got = fichefile.rewrite(written, changes)
    assert got == expected, f"{CASES.name}, « {name} »:\n{got}"
    values = {**fichefile.split(written).values(), **changes}
    assert fichefile.split(got).values() == {k: v for k, v in values.items() if v is not fichefile.REMOVE}


def real_fiches() -> list[Path]:
    found = sorted((VOLUME / "fiches").glob("*.md"))
    assert len(found) == 13
    return found


def test_the_real_fiches_are_written_in_the_usual_layout():
    """A new fiche (an import, the desk) is written as the 13 real fiches are."""
    for path in real_fiches():
        written = fichefile.read(path)
        assert fichefile.new_fiche(written.values(), written.body[written.text_start:]) == written.text, path.name


def test_the_real_fiches_rewritten_with_their_own_values_are_the_same_bytes():
    for path in real_fiches():
        written = fichefile.read(path)
        assert fichefile.rewrite(written, written.values()).encode() == path.read_bytes(), path.name
        assert fichefile.rewrite(written, written.values(), written.body[written.text_start:]) == written.text


def test_a_front_matter_yaml_cannot_read_is_never_replaced():
    with pytest.raises(fichefile.UnreadableFront):
        fichefile.rewrite("---\ntitle: [pas fermé\n---\nTexte.\n", {"title": "Nouveau"})


def test_where_the_text_begins():
    written = fichefile.split("---\ntitle: T\nlead: >-\n  Deux\n  lignes.\n---\n\n\nTexte.\n")
    assert written.front_lines == 6 and written.body_line == 7
    assert written.body[written.text_start:] == "Texte.\n"
    assert written.values() == {"title": "T", "lead": "Deux lignes."}
    assert fichefile.split("Pas d'en-tête.\n").front is None

"""The book's YAML files written where the desk changes them, every other line as it was
(publisher/source/yamledit.py, on fixtures/yamledit/cases.txt)."""

from __future__ import annotations

import re

import pytest
import yaml

from publisher.source.yamledit import BARE, REMOVE, rewrite_at

from ..conftest import FIXTURES, VOLUME

CASES = FIXTURES / "yamledit" / "cases.txt"
WORDS = {"REMOVE": REMOVE, "BARE": BARE}


def marked(value):
    if isinstance(value, dict):
        return {k: marked(v) for k, v in value.items()}
    return WORDS.get(value, value) if isinstance(value, str) else value


def cases() -> list[tuple]:
    out = []
    for block in re.split(r"^### ", CASES.read_text(encoding="utf-8"), flags=re.M)[1:]:
        name, rest = block.split("\n", 1)
        parts = dict(re.findall(r"^=== (\w+)\n(.*?)(?=^=== |\Z)", rest, flags=re.M | re.S))
        out.append((name, parts["input"].rstrip("\n") + "\n", tuple(yaml.safe_load(parts["path"])),
                    marked(yaml.safe_load(parts["changes"])), tuple(yaml.safe_load(parts.get("order", "[]"))),
                    parts["expected"].rstrip("\n") + "\n"))
    return out


@pytest.mark.parametrize("name, written, path, changes, order, expected", cases(), ids=[c[0][:40] for c in cases()])
def test_rewrite_at(name, written, path, changes, order, expected):
    got = rewrite_at(written, path, changes, order)
    assert got == expected, f"{CASES.name}, « {name} »:\n{got}"


def test_the_real_glossary_and_index_unchanged_are_the_same_bytes():
    for name, top in (("glossary.yaml", "acronyms"), ("index.yaml", "terms")):
        text = (VOLUME / name).read_text(encoding="utf-8")
        values = yaml.safe_load(text)[top]
        for key, value in values.items():
            same = value if isinstance(value, dict) else {}
            assert rewrite_at(text, (top, key), same) == text, (name, key)
        assert rewrite_at(text, (top,), {k: v if v is not None else BARE for k, v in values.items()}) == text, name

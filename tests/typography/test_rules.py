"""The typography rules against the fixture file, and their two promises:
applying them twice changes nothing, and no word is added, lost or moved."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from publisher.model import Emphasis, FootnoteRef, SourceLocation, Text
from publisher.tree import plain
from publisher.typography import Settings, typeset_runs, typeset_text

from .serial import parse, serialise

CASES = Path(__file__).with_name("cases.txt")


def read_cases():
    lines = CASES.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines, start=1):
        if line.startswith("→ "):
            yield pytest.param(lines[number - 2], line[2:], id=f"cases.txt:{number - 1}")


@pytest.mark.parametrize("source, expected", list(read_cases()))
def test_fixture(source, expected):
    got = serialise(typeset_runs(parse(source)))
    assert got == expected, f"{source!r}: attendu {expected!r}, obtenu {got!r}"


@pytest.mark.parametrize("source, expected", list(read_cases()))
def test_fixture_is_idempotent(source, expected):
    once = typeset_runs(parse(source))
    assert typeset_runs(once) == once


def test_there_are_at_least_a_hundred_cases():
    assert len(list(read_cases())) >= 100


def test_colon_space_is_a_house_setting():
    assert typeset_text("Trois choses : la première", Settings(colon_space="\u202f")) == \
        "Trois choses\u202f: la première"


def test_every_unicode_blank_is_a_space():
    assert typeset_text("un\u2028deux\u2029trois\u000bquatre\u000cfin") == "un deux trois quatre fin"
    assert typeset_text("mot \u1680\ufeff suite ?") == "mot suite\u202f?"


def test_a_superior_typed_in_the_source_is_spelled_right():
    from publisher.model import Superscript

    assert typeset_runs((Text("la 1"), Superscript("ère"), Text(" fois, la 2"), Superscript("ème"), Text(" fois"))) == \
        (Text("la 1"), Superscript("re"), Text(" fois, la 2"), Superscript("e"), Text(" fois"))


def test_title_strings_keep_superiors_as_letters():
    assert typeset_text("Le XIXème siècle : 2ème édition") == "Le XIXe siècle\u00a0: 2e édition"


# ── Properties ──────────────────────────────────────────────────────────────

def words(text: str) -> list[str]:
    """Words as a reader counts them: digit groups joined, ordinals in one spelling, a number
    and its unit one quantity (« 10km » and « 10 km » alike), minutes and seconds one figure, a degree
    typed with the ordinal indicator a degree (« 21º » is « 21° »)."""
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"(?<=\d) ?º", "°", text)
    text = re.sub(r"(?<=\d) (?=(?:k€|M€|km²|m²|m³|km|cm|mm|m|kg|mg|µg|ha|min|ml|cl|kWh|MWh|Wh|kW|MW|°C|°F|Mo|Go|To|ko)"
                  r"(?!\w))", "", text)
    text = re.sub(r"(?<=\d) m (?=\d\d\b)", "m", text)
    text = re.sub(r"(?<=\d)['′](?=\d{1,2}[\"″])", "'", text).replace("″", '"')
    text = re.sub(r"(?<=\d)[\s.](?=\d{3}(?!\d))", "", text)     # « 12 500km » is 12500km
    text = re.sub(r"\b1 ?(?i:ère|ere)", "1re", text)
    text = re.sub(r"\b(\d+)nd", r"\1d", text)
    text = re.sub(r"\b(?!1\b)(\d+|[IVXLC]+) ?(?i:ème|eme|ième|ieme|éme|è)", r"\1e", text)
    return re.findall(r"\w+", text)


TOKENS = ["le", "CAI", "l'État", "etc...", "etc…", "2ème", "1er", "1ère", "XIXe", "Louis", "XIV", "n°", "5",
          "12500", "2012", "22 417", "81.880", "3,5", "%", "€", "km", "10:30", "https://x.org/a:b?c=1",
          "C:\\", "M.", "Dupont", "p.", "12", "cf.", "1914-1918", "-", "–", "—", "«", "»", '"', "“", "”",
          ";", ":", "!", "?", "!?", ",", ".", "…", "(", ")", "[", "]", "'", "mot", "info@cai.be", "\u00a0",
          "\u202f", "  ", "\t"]
SEPARATORS = ["", " ", "  ", "\u00a0", "\u202f"]

texts = st.lists(st.tuples(st.sampled_from(TOKENS), st.sampled_from(SEPARATORS)), max_size=14).map(
    lambda pairs: "".join(token + sep for token, sep in pairs))
anything = st.text(alphabet=st.characters(blacklist_categories=("Cs",), max_codepoint=0x2FFF), max_size=40)


@settings(max_examples=400, deadline=None)
@given(st.one_of(texts, anything))
def test_typography_keeps_every_word_in_order(text):
    assert words(plain(typeset_runs((Text(text),)))) == words(text)


@settings(max_examples=400, deadline=None)
@given(st.one_of(texts, anything))
def test_typography_is_idempotent(text):
    once = typeset_runs((Text(text),))
    assert typeset_runs(once) == once


CALL = FootnoteRef("1", SourceLocation("x.md", 1), 1)
runs = st.lists(st.one_of(texts.map(Text), texts.map(lambda t: Emphasis((Text(t),))), st.just(CALL)),
                max_size=5).map(tuple)


@settings(max_examples=300, deadline=None)
@given(runs)
@example((Text("12500km"),))          # found by hypothesis: a grouped number glued to its unit
@example((Text("5"), CALL, Text("125003,5")))     # found by hypothesis: a number on each side of a call
def test_rules_work_across_runs_and_keep_their_shape(items):
    once = typeset_runs(items)
    assert typeset_runs(once) == once
    # a call parts the words on each side, and is no space inside a number (« 5¹ 125 003 » is not « 5 125 003 »)
    calls_as_marks = lambda rs: plain(tuple(Text(" ¶ ") if isinstance(r, FootnoteRef) else r for r in rs))  # noqa: E731
    assert words(calls_as_marks(once)) == words(calls_as_marks(items))
    assert sum(isinstance(r, FootnoteRef) for r in once) == sum(isinstance(r, FootnoteRef) for r in items)

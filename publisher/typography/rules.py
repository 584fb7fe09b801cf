"""The rules of French typography, in the order they apply.

Each rule is a name, a pattern and what a match becomes. They work on the
text of a :class:`~publisher.typography.buffer.Buffer`: placeholders stand for
footnote calls and other inlines, and protected spans (URLs, e-mail
addresses, times, paths) are skipped. Every rule is idempotent, and none adds,
drops or reorders a word: they change spaces, quotes, dashes and the spelling
of ordinals only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from .buffer import BREAK, NOTE_CALL, WORDLIKE

NBSP = "\u00a0"
NNBSP = "\u202f"
SPACES = " \t\r\n\u00a0\u202f\u2000-\u200a\u205f\u3000"
S = f"[{SPACES}]"                      # any kind of space
NOT_S = f"[^{SPACES}]"
NO_BREAK = NBSP + NNBSP
W = f"[\\w{WORDLIKE}]"                   # a word character, or an inline that reads as a word (1^er^)
UPPER = "A-ZÀ-ÖØ-Þ"


@dataclass(frozen=True)
class Settings:
    """House style, from the ``typography`` section of book.yaml."""

    colon_space: str = NBSP


@dataclass(frozen=True)
class Rule:
    name: str
    pattern: re.Pattern
    replace: Callable[[re.Match, int], str]


def rule(name: str, pattern: str, replace) -> Rule:
    compiled = re.compile(pattern)
    if isinstance(replace, str):
        template = replace
        return Rule(name, compiled, lambda m, _n: m.expand(template))
    return Rule(name, compiled, replace)


def _one_space(match: re.Match, _n: int) -> str:
    spaces = match.group(0)
    kept = [c for c in spaces if c in NO_BREAK]
    return kept[0] if kept else " "


def _high_punctuation(match: re.Match, _n: int) -> str:
    return NNBSP + re.sub(S, "", match.group(1))


def _group_digits(digits: str) -> str:
    head = len(digits) % 3 or 3
    groups = [digits[:head]] + [digits[i:i + 3] for i in range(head, len(digits), 3)]
    return NNBSP.join(groups)


def _existing_groups(match: re.Match, _n: int) -> str:
    if _after_identifier_word(match):
        return match.group(0)
    return _group_digits(re.sub(r"\D", "", match.group(0)))


def _long_number(match: re.Match, _n: int) -> str:
    if _after_identifier_word(match):
        return match.group(0)
    return _group_digits(match.group(0))


def _year_range(match: re.Match, _n: int) -> str:
    first, last = match.group(1), match.group(2)
    # U+2060 WORD JOINER after the dash: a line never breaks between the two years (1984–/2024)
    return f"{first}–\u2060{last}" if int(last) > int(first) else match.group(0)


def _incise(match: re.Match, n: int) -> str:
    # Parenthetical dashes come in pairs: « le CAI –␣qui… depuis 1984␣– organise ».
    return f" –{NBSP}" if n % 2 == 0 else f"{NBSP}– "


def _quote(match: re.Match, _n: int) -> str:
    char = match.group(0)
    if char in "“”":
        return "«" if char == "“" else "»"
    before = match.string[match.start() - 1] if match.start() else " "
    return "«" if before in SPACES or before in "([—–-" + BREAK else "»"


def _after_identifier_word(match: re.Match) -> bool:
    return re.search(f"{IDENTIFIER_WORDS}{S}$", match.string[:match.start()], re.IGNORECASE) is not None


# Words after which a number is an identifier, not a quantity: never grouped.
IDENTIFIER_WORDS = (f"(?:n°|n{WORDLIKE}|no|"
                    r"article|art\.|articles|décret|loi|arrêté|page|pages|p\.|pp\.|tél\.?|"
                    r"fiche|dossier|compte|code|numéro|réf\.|BE)")

UNITS = r"(?:%|‰|€|\$|£|km²|m²|km|cm|mm|m|kg|g|ha|h|min|°C|euros?|EUR|dollars?|Mo|Go|ko|ans)"

def rules_for(settings: Settings) -> tuple[Rule, ...]:
    colon = rule("colon", f"(?<=[^{SPACES}(\\[«])(?:{S}+:(?![/\\\\\\d])|:(?={S}|$|{NOTE_CALL}))",
                 settings.colon_space + ":")
    at = [r.name for r in RULES].index("high-punctuation") + 1
    return RULES[:at] + (colon,) + RULES[at:]


RULES: tuple[Rule, ...] = (
    rule("spaces", f"{S}{{2,}}|[\t\r\n\u2000-\u200a\u205f\u3000]", _one_space),
    rule("ellipsis", r"\.{3,}|\.\ \.\ \.", "…"),
    rule("etc", r"\b(etc)(?:…\.?|\.+)", r"\1."),
    rule("ellipsis-period", r"…\.(?!\.)", "…"),
    rule("apostrophe", r"'", "’"),
    rule("quotes", r'["“”]', _quote),
    rule("after-opening-guillemet", f"«{S}*", f"«{NNBSP}"),
    rule("before-closing-guillemet", f"{S}*»", f"{NNBSP}»"),
    rule("high-punctuation", f"(?<=[^{SPACES}(\\[«]){S}*(;|[!?](?:{S}*[!?])*(?!{W}))", _high_punctuation),
    rule("no-space-before", f"{S}+(?=[,)\\]]|[.…](?!{W}))", ""),
    rule("no-space-after", f"(?<=[(\\[]){S}+", ""),
    rule("space-after-comma", f"(?<=[^\\W\\d_]|[»){NNBSP}])([,;])(?=[^\\W\\d_]|«)", r"\1 "),
    rule("titles", f"\\b(M\\.|MM\\.|Mmes?|Mlles?|Dr|Pr){S}+(?=[{UPPER}])", f"\\1{NBSP}"),
    rule("page-and-cf", f"(?i:\\b(p|pp|art|cf)\\.){S}+(?=\\w)", f"\\1.{NBSP}"),
    rule("numero", f"\\b([nN])[°º]{S}*(?=\\d)", f"\\1°{NBSP}"),
    rule("ordinal-spelling", r"\b(\d+)(?:ème|eme|ième|ieme|éme|è)(s?)\b", r"\1e\2"),
    rule("ordinal-first", r"\b1(?:ère|ere)(s?)\b", r"1re\1"),
    rule("ordinal-second", r"\b(\d+)nd(e?s?)\b", r"\1d\2"),
    rule("century-spelling", r"\b([IVXLC]{2,}|[IVX])(?:ème|eme|ième|è)(s?)\b", r"\1e\2"),
    rule("grouped-number",
         f"(?<![\\d,.])(?<!\\d{S})"
         f"\\d{{1,3}}(?:(?:{S}\\d{{3}})+|(?:\\.\\d{{3}})+)(?![\\d]|[.,]\\d{{3}})",
         _existing_groups),
    rule("long-number",
         f"(?<![\\w{WORDLIKE},./-])(?<!\\d{S})\\d{{5,}}(?!{W}|[./-]\\d|{S}\\d|{S}[{UPPER}][a-zà-ÿ])",
         _long_number),
    # 10 km, 25 %: an existing space becomes no-break; one is added before a sign,
    # never inside a word such as « 10km » (that would split a word).
    rule("number-unit", f"(?<=\\d)(?:{S}+(?={UNITS}(?!{W}))|(?=[%‰€$£]))", NBSP),
    rule("year-range", f"(?<![\\w{WORDLIKE}/.-])([12]\\d{{3}}){S}*[-–]{S}*([12]\\d{{3}})(?![\\w{WORDLIKE}/-])", _year_range),
    rule("incise", f"(?<={NOT_S}){S}+[-–—]{S}+(?={NOT_S})", _incise),
    rule("note-call", f"{S}+(?={NOTE_CALL})", ""),
)

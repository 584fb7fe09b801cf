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
# Every Unicode blank counts as a space (web exports bring U+FEFF, U+2028 and the like)
SPACES = " \t\r\n\f\v\u00a0\u202f\u1680\u2000-\u200a\u2028\u2029\u205f\u3000\ufeff"
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


def _number_unit(match: re.Match, _n: int) -> str:
    """A no-break space between a number and its unit; a degree typed with the ordinal indicator (20ºC, 45º)
    written as one (20 °C, 45°)."""
    if match.group("degree"):
        return NBSP + "°"
    return "°" if match.group("angle") else NBSP


def _year_range(match: re.Match, _n: int) -> str:
    first, last = match.group(1), match.group(2)
    # U+2060 WORD JOINER after the dash: a line never breaks between the two years (1984–/2024)
    return f"{first}–\u2060{last}" if int(last) > int(first) else match.group(0)


def _incise(match: re.Match, _n: int) -> str:
    # Parenthetical dashes come in pairs within a sentence: « le CAI –␣qui… depuis 1984␣– organise ».
    # A sentence that ends before its closing dash (LRTIN: dropped before the full stop) leaves the
    # next sentence's pairs as they are.
    sentence = SENTENCE_START.split(match.string[:match.start()])[-1]
    before = len(INCISE.findall(sentence))
    return f" –{NBSP}" if before % 2 == 0 else f"{NBSP}– "


def _apostrophe(match: re.Match, _n: int) -> str:
    """’, but a prime after a number that no letter follows: minutes, feet (5′, 2′33″)."""
    text, i = match.string, match.start()
    after = text[i + 1] if i + 1 < len(text) else " "
    return "′" if i and text[i - 1].isdigit() and not after.isalpha() else "’"


def _quote(match: re.Match, _n: int) -> str:
    """« » for a quotation, “ ” for one inside it (LRTIN). A straight quote opens or closes
    by what is on both of its sides; when both sides say the same (« " mot " »), by the
    quotations still open before it. After a number, outside any quotation, it is a double
    prime: seconds, inches (33″, 12″)."""
    text = match.string
    depth = 0
    for earlier in QUOTE_CHARS.finditer(text, 0, match.start()):
        depth = _quote_depth(text, earlier.start(), depth)[1]
    if match.group(0) == '"' and depth == 0 and match.start() and text[match.start() - 1] in "0123456789′":
        return "″"
    opens, _ = _quote_depth(text, match.start(), depth)
    if opens:
        return "«" if depth == 0 else "“"
    return "»" if depth <= 1 else "”"


def _quote_depth(text: str, i: int, depth: int) -> tuple[bool, int]:
    """Whether the quote at ``i`` opens, and how many quotations are open after it."""
    char = text[i]
    if char in "«“":
        opens = True
    elif char in "»”":
        opens = False
    else:
        before = text[i - 1] if i else " "
        after = text[i + 1] if i + 1 < len(text) else " "
        open_side = before in SPACES or before in "([—–-" + BREAK
        close_side = after in SPACES or after in ".,;:!?)]…" + BREAK
        opens = open_side and not close_side or (open_side == close_side and depth == 0)
    return opens, depth + 1 if opens else max(depth - 1, 0)


def _after_identifier_word(match: re.Match) -> bool:
    return re.search(f"{IDENTIFIER_WORDS}{S}$", match.string[:match.start()], re.IGNORECASE) is not None


# Words after which a number is an identifier, not a quantity: never grouped.
IDENTIFIER_WORDS = (f"(?:n°|n{WORDLIKE}|no|"
                    r"article|art\.|articles|décret|loi|arrêté|page|pages|p\.|pp\.|tél\.?|"
                    r"fiche|dossier|compte|code|numéro|réf\.|BE)")

# Units joined to their number by a no-break space (10~km, 25~%, 3~heures). A symbol typed glued
# (« 10km », « 20°C ») gets the space too; a word (« heures ») only loses its breakable one.
UNIT_SYMBOLS = (r"(?:%|‰|k€|M€|€|\$|£|km²|m²|m³|km|cm|mm|m|kg|mg|µg|g|ha|h|j|min|ml|cl|dl|l|kWh|MWh|Wh|kW|MW|W|"
                r"°C|°F|Mo|Go|To|ko|F|FB|BEF|kΩ|MΩ|Ω)")
UNIT_WORDS = (r"(?:euros?|EUR|dollars?|ans|années?|mois|semaines?|jours?|heures?|minutes?|secondes?|"
              r"kilomètres?|mètres?|centimètres?|kilos?|kilogrammes?|grammes?|litres?|hectares?)")
UNITS = f"(?:{UNIT_SYMBOLS}|{UNIT_WORDS})"
GLUED_UNITS = r"(?:k€|M€|km²|m²|m³|km|cm|mm|m|kg|mg|µg|ha|min|ml|cl|kWh|MWh|Wh|kW|MW|°C|°F|Mo|Go|To|ko|kΩ|MΩ|Ω)"
SENTENCE_START = re.compile(r"(?<=[.!?…])\s+(?=\S)")
INCISE = re.compile(r"(?<=\S)(?:[\s\u00a0\u202f]+[-–—][\s\u00a0\u202f]+"
                    r"|[\s\u00a0\u202f]*(?<!-)--(?!-)[\s\u00a0\u202f]*)(?=\S)")
QUOTE_CHARS = re.compile(r'["“”«»]')
ELIDED = r"(?i:\b(?:l|d|j|m|n|s|t|c|qu|jusqu|lorsqu|puisqu|quoiqu|presqu))"

def rules_for(settings: Settings) -> tuple[Rule, ...]:
    colon = rule("colon", f"(?<=[^{SPACES}(\\[«])(?:{S}+:(?![/\\\\\\d])|:(?={S}|$|{NOTE_CALL}))",
                 settings.colon_space + ":")
    at = [r.name for r in RULES].index("high-punctuation") + 1
    return RULES[:at] + (colon,) + RULES[at:]


RULES: tuple[Rule, ...] = (
    rule("spaces", f"{S}{{2,}}|[\t\r\n\f\v\u1680\u2000-\u200a\u2028\u2029\u205f\u3000\ufeff]", _one_space),
    rule("ellipsis", r"\.{3,}|\.\ \.\ \.", "…"),
    rule("etc", r"(?i:\b(etc)(?:…\.*|\.+))", r"\1."),
    # one sign where two say the same: « …. », « ?. », « !. » (the period), « ,… » (the comma)
    rule("ellipsis-period", f"(?<=[…?!])\\.(?!\\.)|,{S}*(?=…)", ""),
    rule("apostrophe", r"'", _apostrophe),
    rule("elision", f"({ELIDED}’){S}+(?=\\w)", r"\1"),            # « l’ éléphant » → « l’éléphant »
    rule("quotes", r'["“”]', _quote),
    rule("after-opening-guillemet", f"([«‹]){S}*", f"\\1{NNBSP}"),
    rule("before-closing-guillemet", f"{S}*([»›])", f"{NNBSP}\\1"),
    rule("inside-quotes", f"(?<=“){S}+|{S}+(?=”)|(?<=‘){S}+|{S}+(?=’(?!{W}))", ""),
    rule("high-punctuation", f"(?<=[^{SPACES}(\\[«]){S}*(;(?:{S}*;)*|[!?](?:{S}*[!?])*(?!{W}))", _high_punctuation),
    rule("no-space-before", f"{S}+(?=[,)\\]]|[.…](?!{W}))", ""),
    rule("no-space-after", f"(?<=[(\\[]){S}+", ""),
    rule("space-after-comma", f"(?<=[^\\W\\d_]|[»){NNBSP}])([,;])(?=[^\\W\\d_]|«)", r"\1 "),
    rule("titles", f"\\b(M\\.|MM\\.|Mmes?|Mlles?|Dr|Pr){S}+(?=[{UPPER}])", f"\\1{NBSP}"),
    rule("page-and-cf", f"(?i:\\b(p|pp|art|cf)\\.){S}+(?=\\w)", f"\\1.{NBSP}"),
    rule("numero", f"\\b([nN])[°º]{S}*(?=\\d)", f"\\1°{NBSP}"),
    # 2ème, 2 ème, 2ÈME → 2e; 1ère, 1 ère → 1re (« 1ème » is left for check to report: 1er or 1re?)
    rule("ordinal-spelling", f"\\b(?!1(?![\\d]))(\\d+)(?:{S}*(?i:ème|eme|ième|ieme|éme)|(?i:è))((?i:s?))\\b",
         lambda m, _n: f"{m.group(1)}e{m.group(2).lower()}"),
    rule("ordinal-first", f"\\b1{S}*(?i:ère|ere)((?i:s?))\\b", lambda m, _n: f"1re{m.group(1).lower()}"),
    rule("ordinal-second", r"\b(\d+)nd(e?s?)\b", r"\1d\2"),
    rule("century-spelling", f"\\b([IVXLC]{{2,}}|[IVX])(?:{S}*(?i:ème|eme|ième)|(?i:è))((?i:s?))\\b",
         lambda m, _n: f"{m.group(1)}e{m.group(2).lower()}"),
    rule("grouped-number",
         f"(?<![\\d,.])(?<!\\d{S})"
         f"\\d{{1,3}}(?:(?:{S}\\d{{3}})+|(?:\\.\\d{{3}})+)(?![\\d]|[.,]\\d{{3}})",
         _existing_groups),
    rule("long-number",
         f"(?<![\\w{WORDLIKE},./-])(?<!\\d{S})\\d{{5,}}(?!{W}|[./-]\\d|{S}\\d|{S}[{UPPER}][a-zà-ÿ])",
         _long_number),
    # 10 km, 25 %, 3 heures: an existing space becomes no-break; one is added before a sign,
    # and between a number and a unit symbol typed glued (« 10km », « 20°C »).
    rule("height", r"\b(\d)m(\d{2})\b", f"\\1{NBSP}m{NBSP}\\2"),                # 1m80
    rule("number-unit", f"(?<=\\d)(?:(?P<degree>{S}*º)(?=[CF](?!{W}))|(?P<angle>º)(?![CF\\w])|{S}+(?={UNITS}(?!{W}))"
                        f"|(?=[%‰€$£])|(?={GLUED_UNITS}(?!{W})))", _number_unit),
    rule("year-range", f"(?<![\\w{WORDLIKE}/.-])([12]\\d{{3}}){S}*[-–]{S}*([12]\\d{{3}})(?![\\w{WORDLIKE}/-])", _year_range),
    rule("incise", f"(?<={NOT_S})(?:{S}+[-–—]{S}+|{S}*(?<!-)--(?!-){S}*)(?={NOT_S})", _incise),
    rule("note-call", f"{S}+(?={NOTE_CALL})", ""),
)

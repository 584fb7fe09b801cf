"""A sentence or a paragraph said twice in a fiche (a copy left behind after rewording it: the website
export has several), found whatever was changed in it: a comma, an apostrophe, a word or a phrase in its
middle said otherwise (« aide les familles du quartier » / « aide les ménages du quartier »); and a short
sentence (« Le projet dure deux ans. ») said word for word in another paragraph."""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from ..diagnostics import Diagnostic, warning
from ..model import Fiche, Footnote, SourceLocation
from ..source.sourcelines import SourceLines
from ..tree import plain, run_sequences

SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[«\"A-ZÀ-Ý0-9])")
MIN_REPEATED_WORDS = 8     # a sentence this long, said again nearly (a word or a phrase changed)
MIN_SHORT_WORDS = 4        # a shorter one, said again word for word in another paragraph
NEARLY_THE_SAME = 0.85     # difflib ratio: a word or two changed
SHARED_WORDS = 0.5         # below this share of their words in common, two sentences are not alike
FRAME = 0.7                # the share of the longer sentence that its opening and closing words make
MIDDLE_WORDS = 5           # at most this many words said otherwise, in each


@dataclass(frozen=True)
class Said:
    words: tuple[str, ...]
    key: str
    bag: frozenset[str]
    where: SourceLocation
    paragraph: int


def repeated_passages(fiche: Fiche, lines: SourceLines) -> list[Diagnostic]:
    seen: list[Said] = []
    out = []
    for paragraph, (runs, holder) in enumerate(run_sequences(fiche)):
        if isinstance(holder, Footnote):
            continue
        sentences = [s for s in SENTENCE_END.split(plain(runs, expanded=False).strip()) if s]
        repeats = []
        for sentence in sentences:
            words = tuple(re.findall(r"\w+", sentence.lower()))
            if len(words) < MIN_SHORT_WORDS:
                continue
            said = Said(words, " ".join(words), frozenset(words), lines.find(holder.location, sentence.split()[0]),
                        paragraph)
            first = next((earlier.where for earlier in seen if repeats_it(said, earlier)), None)
            if first:
                repeats.append((sentence, first, said.where))
            seen.append(said)
        if repeats and len(repeats) == len(sentences) > 1:
            out.append(warning(repeats[0][2], "duplicate-passage",
                               f"paragraphe répété : il redit ce qui est déjà écrit ligne {repeats[0][1].line} "
                               f"(« {start_of(repeats[0][0])} ») ; supprimez l'une des deux versions"))
            continue
        for sentence, first, here in repeats:
            out.append(warning(here, "duplicate-passage",
                               f"phrase répétée : « {start_of(sentence)} » figure déjà ligne {first.line} ; "
                               "gardez-en une seule"))
    return out


def repeats_it(said: Said, earlier: Said) -> bool:
    if min(len(said.words), len(earlier.words)) < MIN_REPEATED_WORDS:       # short: word for word, elsewhere
        return said.key == earlier.key and said.paragraph != earlier.paragraph
    return alike(said.key, said.bag, earlier.key, earlier.bag) or same_frame(said.words, earlier.words)


def alike(a: str, a_words: frozenset[str], b: str, b_words: frozenset[str]) -> bool:
    # Most pairs share few words: that test is cheap, difflib's is not (hundreds of pairs per fiche).
    if len(a_words & b_words) < SHARED_WORDS * len(a_words | b_words):
        return False
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    return matcher.real_quick_ratio() >= NEARLY_THE_SAME and matcher.ratio() >= NEARLY_THE_SAME


def same_frame(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """The same sentence with a phrase in its middle said otherwise: the words that open it and the words
    that close it are the same, and make most of it."""
    opening = 0
    while opening < min(len(a), len(b)) and a[opening] == b[opening]:
        opening += 1
    closing = 0
    while closing < min(len(a), len(b)) - opening and a[-1 - closing] == b[-1 - closing]:
        closing += 1
    middles = (len(a) - opening - closing, len(b) - opening - closing)
    return (opening >= 2 and closing >= 2 and opening + closing >= FRAME * max(len(a), len(b))
            and max(middles) <= MIDDLE_WORDS)


def start_of(sentence: str, words: int = 8) -> str:
    cut = sentence.split()
    return " ".join(cut[:words]) + ("…" if len(cut) > words else "")

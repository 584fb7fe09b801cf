"""Editorial leftovers in a text, whatever their wording: a question asked of the editors, a note
to self, a placeholder for what is still to write.

A paragraph is cut into sentences (and bracketed asides); each is judged by its kind, with the
words of publisher/checks/lexicon.py: a lone interrogative word or a short question about the text
itself; an instruction (an infinitive, « à » + infinitive, TODO, NB) at a sentence start or in
brackets; « Ajouter » naming what is missing, XXX, ???, [ ], Lorem ipsum. A question of the
narrative (« Comment accueillir dignement les nouveaux arrivants ? »), a quoted title ending
with « ? », are none of these. The importer makes each leftover a CriticMarkup comment, whole;
``publisher check`` reports those still in the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import lexicon

EDITOR_QUESTION, NOTE_TO_SELF, PLACEHOLDER = "editor-question", "note-to-self", "placeholder"

SENTENCE = re.compile(r"[^.!?…]*(?:[.!?…]+[»\")\]]*|$)")
ASIDE = re.compile(r"[\[(]([^\[\]()]{1,80})[\])]")
WORD = re.compile(r"[\w'’-]+")
PLACEHOLDERS = [re.compile(p, re.IGNORECASE | re.MULTILINE) for p in lexicon.PLACEHOLDER_PATTERNS]
QUERY_MARKS = re.compile(lexicon.QUERY_MARKS)
TO_CHECK = re.compile(lexicon.TO_CHECK)


@dataclass(frozen=True)
class Leftover:
    kind: str
    start: int           # where it is in the text it was found in
    end: int
    text: str


def leftovers(text: str) -> list[Leftover]:
    """The leftovers of one paragraph (or line) of text, in order, none overlapping."""
    found: list[Leftover] = []
    for start, end in sentence_spans(text):
        kind = kind_of(text[start:end])
        if kind:
            found.append(Leftover(kind, start, end, text[start:end].strip()))
    for aside in ASIDE.finditer(text):
        kind = kind_of(aside.group(1), aside=True)
        if kind:
            found.append(Leftover(kind, aside.start(), aside.end(), aside.group(0)))
    spans = sentence_spans(text)
    if len(spans) == 1 and still_to_do(text):
        found.append(Leftover(PLACEHOLDER, spans[0][0], spans[0][1], text[spans[0][0]:spans[0][1]].strip()))
    if spans and not any(f.start <= spans[-1][0] < f.end for f in found) and checks_a_fact(text[slice(*spans[-1])]):
        found.append(Leftover(EDITOR_QUESTION, spans[-1][0], spans[-1][1], text[slice(*spans[-1])].strip()))
    for pattern in PLACEHOLDERS:
        found += [Leftover(PLACEHOLDER, m.start(), m.end(), m.group(0).strip()) for m in pattern.finditer(text)]
    found += [Leftover(EDITOR_QUESTION, m.start(), m.end(), m.group(0)) for m in QUERY_MARKS.finditer(text)]
    found += [Leftover(NOTE_TO_SELF, m.start(), m.end(), m.group(0).strip()) for m in TO_CHECK.finditer(text)]
    return without_overlaps(found)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Each sentence, its spaces around left out; a sentence ends with . ! ? … (and a closing quote)."""
    spans = []
    for match in SENTENCE.finditer(text):
        start, end = match.span()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            spans.append((start, end))
    return spans


def kind_of(sentence: str, aside: bool = False) -> str | None:
    text = normalised(sentence)
    words = WORD.findall(text)
    if not words:
        return None
    if is_placeholder(words):
        return PLACEHOLDER
    if is_editor_question(text, words):         # « Supprimer ? » asks; « Supprimer ce passage. » orders
        return EDITOR_QUESTION
    if is_note_to_self(text, words, aside):     # « TODO relire ce passage »
        return NOTE_TO_SELF
    return None                                 # « XXX », « À compléter »: found as such (leftovers)


def normalised(sentence: str) -> str:
    return re.sub(r"[\s\u00a0\u202f]+", " ", sentence.replace("’", "'")).strip().lower()


def still_to_do(text: str) -> bool:
    """« Photo à choisir », « Chiffres à venir »: a paragraph of a few words ending with « à » and what
    is still to do (STILL_TO_DO)."""
    words = WORD.findall(normalised(text))
    if not 2 < len(words) <= lexicon.STILL_TO_DO_WORDS or words[-2:-1] != ["à"]:
        return False
    return words[-1] in lexicon.STILL_TO_DO and words[0] not in lexicon.INSTRUCTIONS


def checks_a_fact(sentence: str) -> bool:
    """The last sentence of a paragraph, a short question that checks one of its facts (lexicon.FACT_MARKERS,
    a month, a number, a name), not a question of the narrative."""
    text = normalised(sentence)
    words = WORD.findall(text)
    if not words or not text.endswith("?") or len(words) > lexicon.FACT_CHECK_WORDS:
        return False
    if text.startswith(("«", '"')) or words[0] in lexicon.INTERROGATIVE_OPENINGS or words[0].startswith("qu'"):
        return False
    if any(w in lexicon.NEGATIONS or w.startswith("n'") for w in words):
        return False
    named = any(w[:1].isupper() for w in WORD.findall(sentence)[1:])
    return named or any(w in lexicon.FACT_MARKERS or w in lexicon.MONTHS or w.isdigit() for w in words)


def is_placeholder(words: list[str]) -> bool:
    """« Ajouter une carte », « Ajouter liens »: what is missing, named."""
    if words[0] != "ajouter" or len(words) > 6:
        return False
    rest = [w for w in words[1:] if w not in lexicon.DETERMINERS]
    return bool(rest) and rest[0] in lexicon.MISSING_THINGS


def is_note_to_self(text: str, words: list[str], aside: bool) -> bool:
    if len(words) > lexicon.NOTE_WORDS and not text.startswith(("à vérifier", "a vérifier")):
        return False
    opening = " ".join(words[:3])
    if opening.startswith(lexicon.NARRATIVE_OPENINGS):
        return False
    said = [instruction for instruction in lexicon.INSTRUCTIONS
            if opening == instruction or opening.startswith(instruction + " ")]
    if not said or (not aside and len(words) <= len(said[0].split())):
        return False                            # « À compléter » alone stands for text: a placeholder
    # An infinitive that opens a sentence of the narrative has a subject or a verb after it:
    # « Vérifier les droits de chacun est la mission du CAI. » A note to self is an order.
    return aside or not any(word in lexicon.NARRATIVE_VERBS for word in words[1:])


def is_editor_question(text: str, words: list[str]) -> bool:
    if not re.search(r"\?\W*$", text):          # it ends with « ? » (a closing bracket may follow)
        return False
    if re.search(r"\?[\s\u202f]*[»\"]", text) or text.startswith(("«", '"')):
        return False                                # a quoted title or a quotation ending with « ? »
    if len(words) <= 2 and words[0] in lexicon.INTERROGATIVES | lexicon.ABOUT_THE_TEXT:
        return True
    if len(words) > lexicon.SHORT_QUESTION_WORDS:
        return False
    if re.search(lexicon.ALTERNATIVE, text):
        return True
    return text.startswith(lexicon.QUESTION_OPENINGS) or any(w in lexicon.ABOUT_THE_TEXT for w in words)


def without_overlaps(found: list[Leftover]) -> list[Leftover]:
    """The widest of leftovers that overlap (a sentence that is a note holds its « ?? »)."""
    kept: list[Leftover] = []
    for item in sorted(found, key=lambda f: (f.start, -(f.end - f.start))):
        if kept and item.start < kept[-1].end:
            continue
        kept.append(item)
    return kept

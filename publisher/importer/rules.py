"""What the lines of an export mean. Kept as data so editors can read them."""

from __future__ import annotations

import re

BULLET = re.compile(r"^[\s\u00a0]*•[\s\u00a0]*(.*)$")
NUMBERED = re.compile(r"^[\s\u00a0]*(\d{1,3})[.)][\s\u00a0]+(\S.*)$")
CONTINUATION = re.compile(r"^(?: {2,}|\t)\S")
CAPTION = re.compile(r"^\*[\s\u00a0]*(.*)$")
IMAGE = re.compile(r"^\s*(\d{4})[\s\u00a0]*[–—-][\s\u00a0]*(.*?)[\s\u00a0]*\(vignette\)[\s\u00a0]*$")
TICK = re.compile(r"^[\s\u00a0]*([☑☐☒✓✔])[\s\u00a0]*(.*)$")
TICKED = {"☑", "☒", "✓", "✔"}
SOURCE_NOTE = re.compile(r"^\[(\d{1,3})\][\s\u00a0]*(.*)$")
FOOTNOTE_CALL = re.compile(r"\[(\d{1,3})\]")

# Editors' notes to each other (questions, notes to self) are found by publisher/checks/leftovers.py
# and kept as CriticMarkup comments at their place.

# The website template's trailing block. Each heading opens a section.
SECTIONS = {
    "ressources à télécharger": "ressources",
    "jargon, abréviations, sigles et acronymes": "jargon",
    "sources": "sources",
    "catégories": "categories",
    "axes stratégiques d’intervention": "axes",
    "axes stratégiques d'intervention": "axes",
    "thématiques traversées par l’activité": "themes",
    "thématiques traversées par l'activité": "themes",
    "générales": "themes",
    "spécifiques": "themes",
}

# Lines that stand for content still to be written.
PLACEHOLDERS = {"ajouter liens", "ajouter lien", "légende", "a compléter", "à compléter"}

# A sub-heading ends with a colon or with no sentence punctuation.
SENTENCE_END = (".", ";", "!", "?", "»", ")")
HEADING_MAX = 120
SHORT_HEADING_WORDS = 12      # a lone line this short, unpunctuated, is a sub-heading

"""Diagnostics as the desk says them: the book's files by their name in the book, an uploaded file
by the name it was sent under (never a temporary folder), the severity in French, and the advice
meant for a terminal (an option to add, a command to run, markup to type) said for the desk."""

from __future__ import annotations

import re
from pathlib import Path

from ..codes import SEVERITY_WORDS
from ..diagnostics import Diagnostic

# A terminal's advice → the desk's. Every message of the package that names an option, a command or
# markup is matched here (tests/desk/test_messages.py reads them all).
FOR_THE_DESK = [
    (re.compile(r"\s*\(?(?:ou )?relancez avec --force(?: pour la remplacer)?\)?"),
     " (pour la remplacer, cochez « remplacer la fiche déjà là » et envoyez le document à nouveau)"),
    (re.compile(r"ou relancez avec --force pour la remplacer"),
     "ou cochez « remplacer la fiche déjà là » et envoyez le document à nouveau"),
    (re.compile(r", ou ajoutez --allow-open-questions\s+pour un tirage de travail"),
     " ; le bureau fait des tirages de travail, où elles restent"),
    (re.compile(r"\(publisher proof les montre à leur place\)"), "(la page « Questions » les montre à leur place)"),
    (re.compile(r"relancez la commande"), "recommencez"),
    (re.compile(r"produit par « publisher proof »"), "téléchargé du bureau (Télécharger › L'épreuve)"),
    (re.compile(r"relancez collect sur cette copie"), "envoyez à nouveau cette copie annotée"),
    (re.compile(r"\(publisher check dit où\)"), "(la ligne est indiquée ci-dessus)"),
    (re.compile(r"\(publisher collect les liste\)"), "(envoyez l'épreuve annotée sans cocher « les écrire » : "
     "elles sont listées)"),
    (re.compile(r" dans la fiche en CriticMarkup"), " dans la fiche (la page « Questions » les montre)"),
    (re.compile(r"avec &shy;"), "avec un trait d'union conditionnel (Ctrl+tiret dans Word)"),
    (re.compile(r"\(retirez « verify: true » une fois vérifiée\)"),
     "(une fois vérifiée, retirez sa marque « à vérifier » dans glossary.yaml)"),
]


UNITS = {".docx": "paragraphe", ".docm": "paragraphe", ".dotx": "paragraphe", ".pdf": "page", ".okular": "page"}


def for_the_desk(message: str) -> str:
    for terminal, desk in FOR_THE_DESK:
        message = terminal.sub(desk, message)
    return message


def where(path: str, root: Path, uploads: dict[str, str]) -> str:
    """The file as an editor knows it: its name as sent, or its place in the book."""
    if path in uploads:
        return uploads[path]
    for sent, name in uploads.items():
        if path.startswith(str(Path(sent).parent) + "/"):
            return name
    try:
        return str(Path(path).resolve().relative_to(Path(root).resolve()))
    except (ValueError, OSError):
        return Path(path).name


def said(d: Diagnostic, root: Path, uploads: dict[str, str] | None = None) -> str:
    """« fiches/x.md, ligne 4 : erreur : … » (a Word document's paragraph, a PDF's page)."""
    name = where(d.location.path, root, uploads or {})
    unit = UNITS.get(Path(name).suffix.lower(), "ligne")
    at = f", {unit} {d.location.line}" if d.location.line > 1 else ""      # line 1: the whole file
    return f"{name}{at} : {SEVERITY_WORDS[d.severity]} : {for_the_desk(d.message)}"

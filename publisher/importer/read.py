"""Reading an export file: decoding, and cutting it into fiches.

A fiche starts with its title line ``YEAR – Title`` given twice (whatever
the dash and the spaces between); everything up to the next such pair
belongs to it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ..diagnostics import Diagnostic, PublisherError, error, warning
from ..model import SourceLocation
from .rules import IMAGE

# Dashes and spaces the website export uses between year and title.
TITLE = re.compile(r"^\s*(\d{4})[\s\u00a0\u202f\u2009]*[–—‐-][\s\u00a0\u202f\u2009]*(\S.*?)[\s\u00a0\u202f\u2009]*$")


@dataclass(frozen=True)
class Line:
    """One line of an export, with its place in the file."""

    path: str
    number: int
    text: str

    @property
    def location(self) -> SourceLocation:
        return SourceLocation(self.path, self.number)

    @property
    def blank(self) -> bool:
        return not clean(self.text)


@dataclass(frozen=True)
class RawFiche:
    year: int
    title: str
    title_lines: tuple[Line, ...]
    lines: tuple[Line, ...]          # everything after the title lines

    @property
    def location(self) -> SourceLocation:
        return self.title_lines[0].location


def clean(text: str) -> str:
    """Strip every kind of space at both ends (the export is full of NBSP)."""
    return text.strip(" \t\r\n\u00a0\u202f\u2009\ufeff")


def normalise_title(text: str) -> str:
    """A key to compare two spellings of one title: spaces and case folded."""
    text = unicodedata.normalize("NFC", text)
    text = re.sub(r"[\s\u00a0\u202f\u2009]+", " ", text)
    return clean(text).casefold()


def read_export(path: Path, shown: str) -> tuple[list[Line], list[Diagnostic]]:
    """Decode an export: UTF-8, else cp1252 with a warning saying so."""
    data = path.read_bytes()
    notes: list[Diagnostic] = []
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise PublisherError(error(
                SourceLocation(shown, line), "not-utf8",
                "ce fichier n'est ni en UTF-8 ni en Windows-1252 ; "
                "réenregistrez-le en UTF-8 depuis votre éditeur de texte")) from None
        notes.append(warning(
            SourceLocation(shown, line), "not-utf8",
            "ce fichier n'est pas en UTF-8 ; il a été lu en Windows-1252 (cp1252). "
            "Vérifiez les accents dans les fiches produites"))
    text = unicodedata.normalize("NFC", text)
    lines = [Line(shown, i, t) for i, t in enumerate(text.splitlines(), start=1)]
    return lines, notes


def title_of(line: Line) -> tuple[int, str] | None:
    match = TITLE.match(line.text)
    if not match or IMAGE.match(line.text):
        return None
    return int(match.group(1)), re.sub(r"[\s\u00a0\u202f\u2009]+", " ", match.group(2))


def split_fiches(lines: list[Line], shown: str) -> tuple[list[Line], list[RawFiche]]:
    """Cut an export into fiches. Returns the lines before the first fiche too."""
    starts: list[int] = []
    i = 0
    while i < len(lines):
        head = title_of(lines[i])
        if head:
            j = i + 1
            while j < len(lines) and lines[j].blank:
                j += 1
            again = title_of(lines[j]) if j < len(lines) else None
            if again and again[0] == head[0] and normalise_title(again[1]) == normalise_title(head[1]):
                starts.append(i)
                i = j + 1
                continue
        i += 1
    if not starts:
        where = SourceLocation(shown, 1)
        if not any(not line.blank for line in lines):
            raise PublisherError(error(where, "empty-export",
                                       "ce fichier d'export est vide : aucune fiche à importer"))
        raise PublisherError(error(
            where, "no-fiche",
            "aucune fiche trouvée : une fiche commence par sa ligne de titre « ANNÉE – Titre » "
            "répétée deux fois. Vérifiez que le fichier est bien un export du site"))
    fiches = []
    for k, start in enumerate(starts):
        end = starts[k + 1] if k + 1 < len(starts) else len(lines)
        j = start + 1
        while lines[j].blank:
            j += 1
        year, title = title_of(lines[start])  # type: ignore[misc]
        fiches.append(RawFiche(year, title, (lines[start], lines[j]), tuple(lines[j + 1: end])))
    return lines[: starts[0]], fiches

"""A fiche's file, read and written here only: a YAML front matter between two « --- » lines,
then the Markdown text.

Writing keeps the author's layout: a key whose value did not change keeps its lines as they
were (a list written ``[A, B]`` or one item a line, a title in quotes, a chapeau folded over
several lines, a comment); a changed key is written again in the place it had, a list in the
style it had; a new key goes where the usual order (:data:`KEYS`) puts it. Saving a fiche
nobody changed writes the same bytes, so that the book's history shows only what people did.
A new fiche is written in one layout: lists ``[A, B]``, the usual order of the keys.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from .yamledit import REMOVE, UnreadableFront, dump, rewrite_mapping
from .yamlfile import read_text

__all__ = ["FicheText", "KEYS", "ID", "REMOVE", "UnreadableFront", "dump", "new_fiche", "read", "rewrite", "split"]

FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?---[ \t]*\n", re.DOTALL)
KEYS = ("number", "year", "title", "short_title", "themes", "axes", "status", "lead", "source")
ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")          # what a fiche's file may be named (without .md)


@dataclass(frozen=True)
class FicheText:
    """A fiche file's text, as written: ``head`` (the two « --- » lines and what is between them,
    "" when the file has none) and ``body`` (everything after, blank lines included)."""

    head: str
    front: str | None          # the YAML between the « --- » lines; None: no front matter
    body: str

    @property
    def text(self) -> str:
        return self.head + self.body

    @property
    def body_line(self) -> int:
        """The file's line of the body's first line."""
        return self.head.count("\n") + 1

    @property
    def front_lines(self) -> int:
        """How many lines the front matter takes, its two « --- » included (0 if none)."""
        return self.head.count("\n")

    def values(self) -> dict:
        """The front matter's keys and values ({} when it is missing or no mapping): for a quick
        reading; :func:`publisher.source.load.load_fiche` reads it with lines and diagnostics."""
        try:
            values = yaml.safe_load(self.front or "")
        except yaml.YAMLError:
            return {}
        return values if isinstance(values, dict) else {}

    @property
    def text_start(self) -> int:
        """Where the text begins in ``body``, after the blank lines that follow the front matter."""
        return len(self.body) - len(self.body.lstrip("\n"))


def split(text: str) -> FicheText:
    match = FRONT_MATTER.match(text)
    if not match:
        return FicheText("", None, text)
    return FicheText(text[:match.end()], match.group(1) or "", text[match.end():])


def read(path: Path, shown: str | None = None) -> FicheText:
    """A fiche file (UTF-8 or a located error, :func:`publisher.source.yamlfile.read_text`)."""
    return split(read_text(Path(path), shown or str(path)))


# ── Writing ─────────────────────────────────────────────────────────────────

def new_fiche(values: dict, body: str) -> str:
    """A new fiche: its front matter in the usual layout, a blank line, then ``body`` as given."""
    return f"---\n{dump(values)}---\n\n{body}"


def rewrite(old: FicheText | str, changes: dict, body: str | None = None) -> str:
    """``old`` with the front matter's keys in ``changes`` set (:data:`REMOVE` drops one), every
    other line as it was; ``body`` (None: the old one) after the blank lines that were there.
    :class:`UnreadableFront` when the front matter is no YAML mapping."""
    old = split(old) if isinstance(old, str) else old
    front = rewrite_mapping(old.front or "", changes, KEYS)
    if not old.head:                                        # a file without front matter: one is added
        text = old.body if body is None else body
        return f"---\n{front}---\n\n{text}" if front else text
    opening = old.head[:old.head.index("\n") + 1]
    closing = old.head[len(opening) + len(old.front or ""):]
    text = old.body if body is None else old.body[:old.text_start] + body
    return opening + front + closing + text

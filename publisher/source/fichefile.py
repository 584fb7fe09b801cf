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

from .yamlfile import read_text

FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?---[ \t]*\n", re.DOTALL)
KEYS = ("number", "year", "title", "short_title", "themes", "axes", "lead", "source")
ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")          # what a fiche's file may be named (without .md)
REMOVE = object()                                 # in the changes given to :func:`rewrite`: drop the key
TRAILING_COMMENT = re.compile(r"[ \t]+#[^\n]*")


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


class UnreadableFront(ValueError):
    """The front matter is no YAML mapping: its keys cannot be told apart, nothing is written."""


def rewrite(old: FicheText | str, changes: dict, body: str | None = None) -> str:
    """``old`` with the front matter's keys in ``changes`` set (:data:`REMOVE` drops one), every
    other line as it was; ``body`` (None: the old one) after the blank lines that were there."""
    old = split(old) if isinstance(old, str) else old
    entries = _entries(old.front or "")
    if entries is None:
        raise UnreadableFront(old.front)
    lines = (old.front or "").splitlines(keepends=True)
    kept: list[tuple[str, list[str]]] = []                  # (key or "", its lines), in order
    done = 0
    for entry in entries:
        if entry.first > done:
            kept.append(("", lines[done:entry.first]))
        kept.append((entry.key, _written(entry, lines, changes)))
        done = entry.last + 1
    if done < len(lines):
        kept.append(("", lines[done:]))
    present = {key for key, _ in kept if key}
    for key, value in changes.items():
        if key not in present and value is not REMOVE:
            _insert(kept, key, [dump({key: value})])
    front = "".join(line for _, written in kept for line in written)
    if not old.head:                                        # a file without front matter: one is added
        text = old.body if body is None else body
        return f"---\n{front}---\n\n{text}" if front else text
    opening = old.head[:old.head.index("\n") + 1]
    closing = old.head[len(opening) + len(old.front or ""):]
    text = old.body if body is None else old.body[:old.text_start] + body
    return opening + front + closing + text


def dump(values: dict) -> str:
    """Keys and values as the usual layout writes them: one line each, lists ``[A, B]``."""
    return "".join(_dump_one(key, list(value) if isinstance(value, tuple) else value) for key, value in values.items())


def _dump_one(key: str, value: object) -> str:
    # one key at a time: YAML's flow style for « collections of scalars only » would otherwise
    # take a front matter with no list for one, and write it « {year: 2016, title: …} »
    flow = None if isinstance(value, list) else False
    return str(yaml.safe_dump({key: value}, allow_unicode=True, sort_keys=False, width=100_000,
                              default_flow_style=flow))


@dataclass(frozen=True)
class _Entry:
    key: str
    first: int                 # its lines in the front matter, from 0
    last: int
    node: yaml.Node
    comment: str               # a comment at the end of a one-line entry (« number: 38  # … »)


def _entries(front: str) -> list[_Entry] | None:
    """The front matter's top-level keys with their lines; None when it is no YAML mapping."""
    try:
        node = yaml.compose(front, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return None
    if node is None:
        return []
    if not isinstance(node, yaml.MappingNode):
        return None
    lines = front.splitlines(keepends=True)
    out = []
    for key, value in node.value:
        first = key.start_mark.line
        end = value.end_mark
        last = end.line if end.column > 0 else end.line - 1
        while last > first and _between_entries(lines[last]):
            last -= 1                  # blank lines and comments after a block value: not the value's
        comment = ""
        if last == first == end.line:
            match = TRAILING_COMMENT.match(lines[first].rstrip("\n"), end.column)
            comment = match.group(0) if match else ""
        out.append(_Entry(str(key.value), first, max(first, last), value, comment))
    return out


def _between_entries(line: str) -> bool:
    return not line.strip() or line.startswith("#")


def _written(entry: _Entry, lines: list[str], changes: dict) -> list[str]:
    """The entry's lines: as they were, unless its value changed."""
    own = lines[entry.first:entry.last + 1]
    if entry.key not in changes:
        return own
    new = changes[entry.key]
    if new is REMOVE:
        return []
    if _same(yaml.safe_load("".join(own)), {entry.key: new}):
        return own
    if isinstance(new, (list, tuple)) and isinstance(entry.node, yaml.SequenceNode) and not entry.node.flow_style:
        indent = _item_indent(own)
        text = yaml.safe_dump({entry.key: list(new)}, allow_unicode=True, width=100_000, default_flow_style=False)
        head, *items = text.splitlines(keepends=True)
        return [head] + [indent + item for item in items]
    text = dump({entry.key: new})
    if entry.comment and text.count("\n") == 1:
        text = text.rstrip("\n") + entry.comment + "\n"
    return [text]


def _same(old: object, new: dict) -> bool:
    normalise = {k: list(v) if isinstance(v, tuple) else v for k, v in new.items()}
    return isinstance(old, dict) and old == normalise


def _item_indent(own: list[str]) -> str:
    for line in own[1:]:
        stripped = line.lstrip(" ")
        if stripped.startswith("- "):
            return line[:len(line) - len(stripped)]
    return ""


def _insert(kept: list[tuple[str, list[str]]], key: str, written: list[str]) -> None:
    """A new key after the last one that the usual order puts before it (else before the first that
    comes after it; else at the end)."""
    rank = {k: i for i, k in enumerate(KEYS)}
    if key in rank:
        before = [i for i, (k, _) in enumerate(kept) if k in rank and rank[k] < rank[key]]
        after = [i for i, (k, _) in enumerate(kept) if k in rank and rank[k] > rank[key]]
        if before:
            kept.insert(before[-1] + 1, (key, written))
            return
        if after:
            kept.insert(after[0], (key, written))
            return
    kept.append((key, written))

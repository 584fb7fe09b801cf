"""Writing YAML the way its author wrote it: a key whose value did not change keeps its lines as they
were (a list ``[A, B]`` or one item a line, a text in quotes, a comment); a changed key is written
again in the place it had, a list in the style it had; a new key goes where an order puts it. Used
for a fiche's front matter (:mod:`.fichefile`) and the book's own files written by the desk (its
glossary, its index, the order in book.yaml): what nobody changed stays the same bytes."""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

REMOVE = object()                                 # in the changes: drop the key


class _Bare:
    def __repr__(self) -> str:
        return "BARE"


BARE = _Bare()                                    # a key with nothing after it (« Andenne: »), not « null »


class Block(list):
    """A list to write one item a line (« order: » in book.yaml), not ``[A, B]``."""
TRAILING_COMMENT = re.compile(r"[ \t]+#[^\n]*")


class UnreadableFront(ValueError):
    """The text is no YAML mapping: its keys cannot be told apart, nothing is written."""


def rewrite_mapping(text: str, changes: dict, order: tuple[str, ...] = ()) -> str:
    """``text`` (a YAML mapping) with the keys in ``changes`` set (:data:`REMOVE` drops one), every other
    line as it was; a new key goes where ``order`` puts it, else at the end."""
    entries = _entries(text)
    if entries is None:
        raise UnreadableFront(text)
    lines = text.splitlines(keepends=True)
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
    if kept and kept[-1][1] and not kept[-1][1][-1].endswith("\n"):
        kept[-1][1][-1] += "\n"
    for key, value in changes.items():
        if key not in present and value is not REMOVE:
            _insert(kept, key, [dump({key: value})], order)
    return "".join(line for _, written in kept for line in written)


def rewrite_at(text: str, path: tuple[str, ...], changes: dict, order: tuple[str, ...] = ()) -> str:
    """``text`` with ``changes`` made in the mapping at ``path`` (« acronyms », « ARES »): only the lines
    of what changed are written again; a mapping written on one line is written again whole. A new key
    of that mapping goes where ``order`` puts it. A value at ``path`` that is no mapping (« CPAS: centre
    public… ») is replaced by one made of ``changes``: give it whole."""
    if not changes:
        return text
    if not path:
        return rewrite_mapping(text, changes, order)
    entries = _entries(text)
    if entries is None:
        raise UnreadableFront(text)
    entry = next((e for e in entries if e.key == path[0]), None)
    if entry is None:                                       # not there yet: made whole
        return rewrite_mapping(text, {path[0]: _nested(path[1:], changes)})
    lines = text.splitlines(keepends=True)
    block = lines[entry.first + 1:entry.last + 1]
    if not isinstance(entry.node, yaml.MappingNode) or entry.node.flow_style or not block:
        value = yaml.safe_load("".join(lines[entry.first:entry.last + 1]))[entry.key]
        merged = _merged(value if isinstance(value, dict) else {}, path[1:], changes)
        return rewrite_mapping(text, {path[0]: merged})
    indent = min(len(line) - len(line.lstrip(" ")) for line in block if line.strip() and not line.lstrip().startswith("#"))
    inner = "".join(line[min(indent, len(line) - len(line.lstrip(" "))):] for line in block)
    written = rewrite_at(inner, path[1:], changes, order)
    again = [(" " * indent + line) if line.strip() else line for line in written.splitlines(keepends=True)]
    return "".join(lines[:entry.first + 1] + again + lines[entry.last + 1:])


def _nested(path: tuple[str, ...], changes: dict) -> dict:
    return _merged({}, path, changes)


def _merged(value: dict, path: tuple[str, ...], changes: dict) -> dict:
    out = dict(value)
    if path:
        inner = out.get(path[0])
        out[path[0]] = _merged(inner if isinstance(inner, dict) else {}, path[1:], changes)
        return out
    for key, new in changes.items():
        if new is REMOVE:
            out.pop(key, None)
        else:
            out[key] = new
    return out


def dump(values: dict) -> str:
    """Keys and values as the usual layout writes them: one line each, lists ``[A, B]``."""
    return "".join(_dump_one(key, list(value) if isinstance(value, tuple) else value) for key, value in values.items())


class _Dumper(yaml.SafeDumper):
    """Mappings one key a line; a list of words ``[A, B]`` (a :class:`Block` one item a line)."""


def _list(dumper: yaml.SafeDumper, data: list) -> yaml.Node:
    words = not isinstance(data, Block) and all(not isinstance(v, (dict, list)) for v in data)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=words)


_Dumper.add_representer(list, _list)
_Dumper.add_representer(Block, _list)
_Dumper.add_representer(_Bare, lambda dumper, _: dumper.represent_scalar("tag:yaml.org,2002:null", ""))


def _dump_one(key: str, value: object) -> str:
    return str(yaml.dump({key: value}, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100_000,
                         default_flow_style=False))


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
    if entry.comment:                         # the entry's comment stays on its first line
        first, _, rest = text.partition("\n")
        text = first + entry.comment + "\n" + rest
    return [text]


def _same(old: object, new: dict) -> bool:
    normalise = {k: list(v) if isinstance(v, tuple) else None if v is BARE else v for k, v in new.items()}
    return isinstance(old, dict) and old == normalise


def _item_indent(own: list[str]) -> str:
    for line in own[1:]:
        stripped = line.lstrip(" ")
        if stripped.startswith("- "):
            return line[:len(line) - len(stripped)]
    return ""


def _insert(kept: list[tuple[str, list[str]]], key: str, written: list[str], order: tuple[str, ...]) -> None:
    """A new key after the last one that ``order`` puts before it (else before the first that
    comes after it; else at the end)."""
    rank = {k: i for i, k in enumerate(order)}
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

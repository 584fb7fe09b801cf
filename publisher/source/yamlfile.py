"""Reading the book's files: text that must be UTF-8, YAML with line numbers, and errors
that name the file and line. book.yaml, glossary.yaml, index.yaml and the fiches all
go through :func:`read_text`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from ..atomic import disk_refusal
from ..diagnostics import PublisherError, error
from ..model import SourceLocation, relative


@dataclass(frozen=True)
class Mapping:
    """A YAML mapping read from a file: values, and the line of every key."""

    values: dict
    lines: dict
    path: str
    line: int

    def at(self, key: str) -> SourceLocation:
        return SourceLocation(self.path, self.lines.get(key, self.line))

    def get(self, key: str, default=None):
        return self.values.get(key, default)


def read_text(path: Path, shown: str) -> str:
    """A text file of the book; ``shown``: its name in messages."""
    try:
        data = path.read_bytes()
    except OSError as exc:             # gone between the listing and the reading, or not for us to read
        raise PublisherError(error(SourceLocation(shown, 1), "file-unreadable",
                                   "ce fichier ne se lit pas : " + disk_refusal(exc, writing=False))) from None
    if b"\x00" in data[:8192]:
        raise PublisherError(error(SourceLocation(shown, 1), "binary-file",
                                   "ce fichier n'est pas du texte (une image, un document Word ou PDF renommé ?) : "
                                   "remplacez-le par la fiche en Markdown, ou retirez-le"))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise PublisherError(error(SourceLocation(shown, line), "not-utf8",
                                   "ce fichier n'est pas en UTF-8 : réenregistrez-le en UTF-8 (dans votre "
                                   "éditeur : « Enregistrer sous », codage UTF-8)")) from None


def load_yaml_file(path: Path) -> Mapping:
    """A YAML file of the book (book.yaml, glossary.yaml, index.yaml), which must be a mapping."""
    shown = relative(path)
    return load_mapping(read_text(path, shown), shown)


def load_mapping(text: str, path: str, first_line: int = 1) -> Mapping:
    """Parse YAML that must be a mapping; ``first_line`` is the file line of the text's line 1."""
    try:
        node, values = parsed(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        at = mark.line if mark else 0
        line = first_line + first_bad_line(text, at)
        problem = (exc.problem or "syntaxe incorrecte").strip()
        raise PublisherError(error(SourceLocation(path, line), "yaml-syntax",
                                   f"YAML illisible ({problem}) : vérifiez l'indentation, les deux-points "
                                   "et les guillemets autour des textes qui contiennent « : »")) from None
    except yaml.YAMLError as exc:
        raise PublisherError(error(SourceLocation(path, first_line), "yaml-syntax",
                                   f"YAML illisible : {exc}")) from None
    if values is None:
        values, node = {}, None
    if not isinstance(values, dict):
        raise PublisherError(error(SourceLocation(path, first_line), "yaml-not-mapping",
                                   "ce bloc YAML doit être une liste de clés « clé: valeur »"))
    lines: dict = {}
    _record_lines(node, "", first_line, lines)
    return Mapping(values, lines, path, first_line)


def parsed(text: str):
    """The YAML's node (its lines) and values, read once, by libyaml when it is there (a book's hundreds of
    fiche headers: five times faster); what it refuses read again by PyYAML's own parser, whose messages we word."""
    try:
        node = yaml.compose(text, Loader=FAST_LOADER)
    except yaml.YAMLError:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    return node, yaml.SafeLoader("").construct_document(node) if node is not None else None


FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def first_bad_line(text: str, noticed: int) -> int:
    """The line (from 0) where the text stops being YAML for good: the first line from which every
    longer beginning of the text fails, up to ``noticed``, where the parser saw it (a quote or a
    bracket left open is seen lines later). A list written over several lines fails only until it
    closes: it is not taken for the fault."""
    lines = text.split("\n")
    bad = None
    for k in range(min(noticed, len(lines) - 1) + 1):
        try:
            yaml.safe_load("\n".join(lines[: k + 1]))
            bad = None
        except yaml.YAMLError:
            bad = k if bad is None else bad
    return noticed if bad is None else bad


def _record_lines(node, prefix: str, first_line: int, lines: dict) -> None:
    """Line of every key, as ``key``, ``key.sub`` and ``key[0]``."""
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            name = f"{prefix}{key.value}"
            lines[name] = first_line + key.start_mark.line
            _record_lines(value, name + ".", first_line, lines)
    elif isinstance(node, yaml.SequenceNode):
        base = prefix.removesuffix(".")
        for i, item in enumerate(node.value):
            lines[f"{base}[{i}]"] = first_line + item.start_mark.line
            _record_lines(item, f"{base}[{i}].", first_line, lines)

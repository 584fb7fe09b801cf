"""Reading the book's files: text that must be UTF-8, YAML with line numbers, and errors
that name the file and line. book.yaml, glossary.yaml, index.yaml and the fiches all
go through :func:`read_text`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

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
    data = path.read_bytes()
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
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        values = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = first_line + (mark.line if mark else 0)
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

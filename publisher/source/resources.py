"""What a document may read, and what to tell an editor about what it was refused.

The book's own files, our layouts and fonts, the printer's ICC profile and
``data:`` URIs; nothing else — no other file (symbolic links are followed
before checking), no device, no network. :mod:`publisher.layout.sandbox` applies this
to WeasyPrint; the build reports each refused URL at the line that asks for it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator
from urllib.parse import unquote, urlsplit

from ..diagnostics import Diagnostic, error
from ..model import SourceLocation

TEXT_FILES = (".md", ".svg", ".yaml", ".yml", ".css", ".html")


@dataclass(frozen=True)
class Allowed:
    folders: tuple[Path, ...]
    files: tuple[Path, ...] = ()

    @classmethod
    def of(cls, folders, files=()) -> "Allowed":
        return cls(tuple(Path(f).resolve() for f in folders), tuple(Path(f).resolve() for f in files))

    def allows(self, url: str) -> bool:
        if url.startswith("data:"):
            return True
        parts = urlsplit(url)
        if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
            return False                                     # http(s), ftp…: never the network
        path = Path(unquote(parts.path)).resolve()          # symbolic links followed, then checked
        inside = path in self.files or any(folder in path.parents for folder in self.folders)
        return inside and path.is_file()                    # no device, no pipe, no folder


def files_of(folder: Path) -> Iterator[Path]:
    """The files of a folder and its subfolders, in order; hidden ones and Python's caches left out
    (what the build date, the rebuild fingerprint and the search for a refused URL look at)."""
    found = []
    for top, folders, files in os.walk(folder, onerror=raise_it):
        folders[:] = [f for f in folders if not f.startswith(".") and f != "__pycache__"]   # .git is never walked
        found += [Path(top) / f for f in files if not f.startswith(".") and (Path(top) / f).is_file()]
    yield from sorted(found)


def raise_it(failed: OSError) -> None:
    raise failed


def refusals(refused, root: Path) -> list[Diagnostic]:
    """One error per refused URL, at the line of the book file that names it when there is one."""
    out = []
    for url in dict.fromkeys(refused):
        where = _asked_at(url, Path(root)) or SourceLocation(str(Path(root) / "book.yaml"), 1)
        out.append(error(where, "forbidden-resource",
                         f"« {url} » est hors du livre : il n'a pas été lu (seuls les fichiers du dossier du livre "
                         "sont permis, jamais le réseau) ; copiez la ressource dans le livre et citez-la par un "
                         "chemin relatif, par ex. images/photo.jpg"))
    return out


def _asked_at(url: str, root: Path) -> SourceLocation | None:
    """The first line of a text file of the book (a fiche, an SVG image, a YAML file) that names ``url``."""
    parts = urlsplit(url)
    needles = {url, unquote(parts.path)} - {""}
    for path in files_of(root):
        if path.suffix.lower() not in TEXT_FILES:
            continue
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
        for number, line in enumerate(lines, start=1):
            if any(needle in line for needle in needles):
                return SourceLocation(str(path), number)
    return None

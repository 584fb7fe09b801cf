"""The parts already laid out, kept in the user's cache (``~/.cache/publisher/``, or
``$PUBLISHER_CACHE``), one folder per PDF made; and what ``prepare`` computed, one folder per book
(:class:`PreparedCache`).

Each part is stored under the digest of everything that makes it (its HTML with
its page numbers, the CSS with its first page, the layouts, fonts, code and
images): found again, it is not laid out again. A « hint » remembers the page
count and anchors of a part's last layout, so that the next build guesses the
page numbers right. Only what the last build used is kept.

``$PUBLISHER_CACHE`` may point anywhere, a home or a temporary folder among
them: the cache only ever deletes the folders it made itself, named as it names
them and holding its marker file.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import pickle
import re
import shutil
import time
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any, Callable

from ..atomic import write_atomically
from ..memo import MISSING
from ..paths import PACKAGE
from .uptodate import add_files
from .worker import LaidPart

log = logging.getLogger(__name__)

FORGET_AFTER_DAYS = 30
DIGITS = 20                                   # the hex digits of a cache folder's name
OURS = re.compile(rf"[0-9a-f]{{{DIGITS}}}")
MARKER = ".publisher-cache"                   # in every folder the cache made
MARKER_TEXT = "Mises en page gardées par publisher : ce dossier peut être effacé sans rien perdre.\n".encode()


@dataclass(frozen=True)
class Hint:
    pages: int
    anchors: dict[str, int]          # within the part


class PartCache:
    """``folder`` None: remembers within one build only (``publisher check --preflight``)."""

    def __init__(self, folder: Path | None, also: tuple[Path, ...] = ()):
        self.folder = Path(folder) if folder else None
        self.also = also                            # other PDFs' caches, read only (a booklet reads the volume's)
        self.memory: dict[str, LaidPart] = {}
        self.hints: dict[str, Hint] = {}
        self.used: set[str] = set()
        self.drawings: dict[str, bytes] = {}       # a proof's drawings, to be written (proof/drawings.py)
        if self.folder:
            try:
                saved = json.loads((self.folder / "hints.json").read_text(encoding="utf-8"))
                self.hints = {k: Hint(int(v["pages"]), {a: int(p) for a, p in v["anchors"].items()})
                              for k, v in saved.items()}
            except (OSError, ValueError, AttributeError, KeyError, TypeError):
                self.hints = {}

    @classmethod
    def of(cls, output: Path, also: tuple[Path, ...] = ()) -> "PartCache":
        """The cache of the PDF ``output`` (not beside it: the folder of PDFs holds PDFs only); ``also``:
        other PDFs whose parts it may take (a booklet's fiches laid out as in the volume: the volume's)."""
        return cls(folder_of(output), tuple(folder_of(other) for other in also))

    def get(self, key: str) -> LaidPart | None:
        self.used.add(key)
        if key in self.memory or not self.folder:
            return self.memory.get(key)
        for folder in (self.folder, *self.also):
            part = read_part(folder / f"{key}.part", key)
            if part is not None:
                if folder != self.folder:
                    self.memory[key] = part              # kept in this cache too
                return part
        return None

    def put(self, part: LaidPart) -> None:
        self.memory[part.key] = part
        self.used.add(part.key)

    def remember(self, name: str, part: LaidPart) -> None:
        """``name``: the part whatever its text (parts.name_of)."""
        self.hints[name] = Hint(part.page_count, part.anchors)
        self.used.add(f"hint:{name}")

    @cached_property
    def others(self) -> tuple["PartCache", ...]:
        return tuple(PartCache(folder) for folder in self.also)

    def hint_of(self, name: str, anywhere: bool = False) -> Hint | None:
        """The page count and anchors of the part ``name`` when last laid out here; ``anywhere``: else where
        the other PDFs laid it out (a booklet's fiches, as in the volume; not its contents, shorter)."""
        if name not in self.hints and anywhere:
            for other in self.others:
                if name in other.hints:
                    return other.hints[name]
        return self.hints.get(name)

    def drawing(self, name: str) -> bytes | None:
        """A proof's drawing (a PDF) kept under ``name``, a digest of what it shows (proof/drawings.py)."""
        self.keep_using(name)
        if name in self.drawings or not self.folder:
            return self.drawings.get(name)
        try:
            return (self.folder / f"{name}.drawn").read_bytes()
        except OSError:
            return None

    def keep_drawing(self, name: str, pdf: bytes) -> None:
        self.drawings[name] = pdf
        self.keep_using(name)

    def keep_using(self, name: str) -> None:
        """The drawing ``name``, held in memory by the proofs, is still used: kept on disk."""
        self.used.add(f"drawing:{name}")

    def save(self) -> None:
        """Write the parts this build laid out; forget those it did not use (on disk and in memory:
        ``proof --watch`` keeps this cache from one build to the next)."""
        self.memory = {key: part for key, part in self.memory.items() if key in self.used}
        if not self.folder:
            self.used, self.drawings = set(), {}
            return
        try:
            made(self.folder)
            for key, part in self.memory.items():
                if key in self.used and not (self.folder / f"{key}.part").exists():
                    write_atomically(self.folder / f"{key}.part", pickle.dumps(part))
            for name, pdf in self.drawings.items():
                if not (self.folder / f"{name}.drawn").exists():
                    write_atomically(self.folder / f"{name}.drawn", pdf)
            self.drawings = {}
            for path in self.folder.glob("*.part"):
                if path.stem not in self.used:
                    path.unlink(missing_ok=True)
            for path in self.folder.glob("*.drawn"):
                if f"drawing:{path.stem}" not in self.used:
                    path.unlink(missing_ok=True)
            forget_old(self.folder.parent)
            self.folder.touch()
            hints = {k: {"pages": h.pages, "anchors": h.anchors} for k, h in self.hints.items() if f"hint:{k}" in self.used}
            write_atomically(self.folder / "hints.json", json.dumps(hints).encode())
            self.used = set()
        except OSError as exc:           # a cache that cannot be written only costs time
            log.warning("le cache des parties (%s) n'a pas pu être écrit : %s", self.folder, exc)


class PreparedCache:
    """What ``prepare`` computed for each fiche (read, typeset, checked: memo.Stored), kept for the next command
    on the same book: the book's own folder of this cache, one file. A stage is found under the digest of the
    code and of what it was given (pickled); only what the last command used is kept. A file that cannot be
    read or written only costs time."""

    FILE = "prepared.pickle"

    def __init__(self, folder: Path | None):
        self.folder = folder
        self.known: dict[str, Any] | None = None         # read when first asked
        self.used: dict[str, Any] = {}
        self.fresh = False
        self.code = code_digest()

    @classmethod
    def of(cls, root: Path) -> "PreparedCache":
        return cls(folder_of(Path(root) / cls.FILE))

    def key(self, stage: Callable, args: tuple) -> str | None:
        given = io.BytesIO()
        pickler = pickle.Pickler(given, protocol=pickle.HIGHEST_PROTOCOL)
        # « fast »: no memo, so equal values give equal bytes whatever objects they share (a fiche read back
        # from this file shares fewer strings than one just parsed: the next command would not find it)
        pickler.fast = True
        try:
            pickler.dump((stage.__module__, stage.__qualname__, args))
        except (pickle.PicklingError, TypeError, AttributeError, ValueError, RecursionError):
            return None                                  # not kept: computed every time
        return hashlib.sha256(self.code + given.getvalue()).hexdigest()

    def get(self, key: str | None) -> Any:
        if key is None:
            return MISSING
        if self.known is None:
            self.known = self.read()
        found = self.known.get(key, MISSING)
        if found is not MISSING:
            self.used[key] = found
        return found

    def put(self, key: str | None, value: Any) -> None:
        if key is not None:
            self.used[key] = value
            self.fresh = True

    def read(self) -> dict[str, Any]:
        try:
            found = pickle.loads((self.folder / self.FILE).read_bytes()) if self.folder else {}
        except Exception:           # noqa: BLE001 — damaged, or written by another version of the model: unused
            return {}
        return found if isinstance(found, dict) else {}

    def save(self) -> None:
        """What this command used written for the next one (when it computed anything, or used less); then let
        go: the book prepared holds what it needs. Used, the folder is touched even when nothing is written: it
        is a folder of this cache, forgotten after days unused (:func:`forget_old`)."""
        if self.folder:
            try:
                made(self.folder)
                if self.fresh or self.used.keys() != (self.known or {}).keys():
                    write_atomically(self.folder / self.FILE,
                                     pickle.dumps(self.used, protocol=pickle.HIGHEST_PROTOCOL))
                self.folder.touch()
            except OSError as exc:
                log.warning("le cache de la préparation (%s) n'a pas pu être écrit : %s", self.folder, exc)
        self.known, self.used, self.fresh = None, {}, False


@lru_cache(maxsize=1)
def code_digest() -> bytes:
    """publisher's code and the data it reads (the stages ``prepare`` runs): read once by a process."""
    digest = hashlib.sha256()
    add_files(digest, PACKAGE)
    return digest.digest()


def made(folder: Path) -> None:
    """``folder`` made, as a folder of this cache (:func:`made_here`)."""
    folder.mkdir(parents=True, exist_ok=True)
    if not (folder / MARKER).is_file():
        write_atomically(folder / MARKER, MARKER_TEXT)


def folder_of(output: Path) -> Path:
    return cache_home() / hashlib.sha256(str(Path(output).resolve()).encode()).hexdigest()[:DIGITS]


def read_part(path: Path, key: str) -> LaidPart | None:
    try:
        part = pickle.loads(path.read_bytes())
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
        return None
    return part if isinstance(part, LaidPart) and part.key == key else None


def cache_home() -> Path:
    if os.environ.get("PUBLISHER_CACHE"):
        return Path(os.environ["PUBLISHER_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "publisher"


def forget_old(home: Path, days: int = FORGET_AFTER_DAYS) -> None:
    """The caches of PDFs not made for ``days`` days (a test's, a moved book's) are deleted: only
    folders this cache made (:func:`made_here`), never anything else that ``home`` holds."""
    limit = time.time() - days * 86400
    for folder in home.glob("*"):
        try:
            if made_here(folder) and folder.stat().st_mtime < limit:
                shutil.rmtree(folder, ignore_errors=True)
        except OSError:
            continue


def made_here(folder: Path) -> bool:
    """A folder of this cache: named as :meth:`PartCache.of` names them, holding the marker, no symbolic link."""
    return (OURS.fullmatch(folder.name) is not None and not folder.is_symlink() and folder.is_dir()
            and (folder / MARKER).is_file() and not (folder / MARKER).is_symlink())

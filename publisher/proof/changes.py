"""What changed since an earlier proof: ``publisher proof --since PREVIOUS``.

PREVIOUS is the data file an earlier proof wrote beside its PDF (``epreuve.json``)
or a git revision of the book. The text of each block (the header with title
and lead, every paragraph and sub-heading) is compared fiche by fiche; the
blocks whose text is new or different get a bar in the margin, and the first
page lists the fiches that changed, appeared or went away.
"""

from __future__ import annotations

import io
import json
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path
from typing import Callable

from ..diagnostics import PublisherError, error
from ..model import Book, Heading, Paragraph, SourceLocation
from ..tree import plain, walk_blocks

SIDECAR_VERSION = 1


@dataclass(frozen=True)
class Changes:
    since: str
    keys: frozenset[str]                        # data-src of the blocks that changed
    fiches: tuple[tuple[str, str], ...]         # (title, « modifiée » | « nouvelle » | « retirée »)


def block_texts(book: Book) -> dict[str, list[tuple[str, str]]]:
    """Fiche id → (data-src, text) of its header and of each paragraph and heading, in order."""
    out = {}
    for fiche in book.fiches:
        items = [(fiche.location.in_book(book.root), f"{fiche.title}\n{plain(fiche.lead)}")]
        for block in walk_blocks(fiche.blocks):
            if isinstance(block, (Paragraph, Heading)):
                items.append((block.location.in_book(book.root), plain(block.children)))
        out[fiche.id] = items
    return out


def sidecar(book: Book, stamp: str) -> str:
    """The data a later ``--since`` compares with."""
    fiches = {fiche.id: {"title": fiche.title, "texts": [t for _, t in items]}
              for fiche, items in zip(book.fiches, block_texts(book).values())}
    return json.dumps({"version": SIDECAR_VERSION, "stamp": stamp, "fiches": fiches}, ensure_ascii=False, indent=1)


def changes_since(book: Book, since: str, load: Callable[[Path], Book]) -> Changes:
    """``load`` reads an earlier state of the book folder (for a git revision)."""
    before = _earlier(book, since, load)
    texts = block_texts(book)
    keys: set[str] = set()
    fiches = []
    for fiche in book.fiches:
        items = texts[fiche.id]
        old = before.get(fiche.id)
        if old is None:
            keys.update(key for key, _ in items)
            fiches.append((fiche.title, "nouvelle"))
            continue
        changed = set()
        matcher = SequenceMatcher(None, old["texts"], [text for _, text in items], autojunk=False)
        for tag, _i1, _i2, j1, j2 in matcher.get_opcodes():
            if tag in ("replace", "insert"):
                changed.update(key for key, _ in items[j1:j2])
            elif tag == "delete":          # a paragraph went away: mark the one now in its place
                changed.add(items[min(j1, len(items) - 1)][0])
        if changed:
            keys |= changed
            fiches.append((fiche.title, "modifiée"))
    fiches.extend((old["title"], "retirée") for fiche_id, old in before.items() if fiche_id not in texts)
    return Changes(since, frozenset(keys), tuple(fiches))


def _earlier(book: Book, since: str, load: Callable[[Path], Book]) -> dict[str, dict]:
    path = Path(since)
    if path.is_file():
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return {k: {"title": str(v["title"]), "texts": list(v["texts"])} for k, v in data["fiches"].items()}
        except (ValueError, KeyError, TypeError, AttributeError):
            raise PublisherError(error(SourceLocation(since, 1), "bad-since",
                                       "ce fichier n'est pas celui d'une épreuve précédente (epreuve.json) : "
                                       "donnez le .json écrit à côté de l'ancienne épreuve, ou une révision git")) from None
    with tempfile.TemporaryDirectory(prefix="publisher-since-") as tmp:
        old_root = _checkout(book.root, since, Path(tmp))
        old = load(old_root)
    return {f.id: {"title": f.title, "texts": [t for _, t in items]}
            for f, items in zip(old.fiches, block_texts(old).values())}


def _checkout(root: Path, revision: str, into: Path) -> Path:
    """The book folder as it was at ``revision``, written under ``into``."""
    def git(*args) -> bytes:
        return subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True).stdout

    try:
        prefix = git("rev-parse", "--show-prefix").decode().strip()
        archive = git("archive", "--format=tar", revision, "--", prefix or ".")
    except (OSError, subprocess.CalledProcessError):
        raise PublisherError(error(SourceLocation(str(root / "book.yaml"), 1), "bad-since",
                                   f"« {revision} » n'est ni le fichier .json d'une épreuve précédente, ni une "
                                   "révision git de ce livre (par ex. HEAD~3, un numéro de commit, une étiquette)")
                             ) from None
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into / prefix

"""Annotated proofs sent to the desk, kept until they are written into the fiches.

A proofreader of the Word era annotates a proof in a PDF reader and sends the copy; its annotations
join the marks made on the pages (the questions page lists them, with their reviewer), and an editor
writes them into the fiches in one click. Kept in ``BOOK/.desk/epreuves/`` (out of git, as the
accounts): the copy under its digest, and what was read from it. A copy leaves the list when every
annotation it has in the text is written (the ledger of ``collect --apply`` says so) or when an editor
takes it off the list.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from ..collect import Finding
from ..collect.apply import applied_keys
from .people import Person, folder_of

FOLDER = "epreuves"
LABELS = {"note": "Note", "freetext": "Note", "highlight": "Surlignage", "underline": "Soulignement",
          "squiggly": "Soulignement", "strikeout": "À supprimer", "caret": "À insérer", "replace": "À remplacer"}


@dataclass(frozen=True)
class Received:
    id: str                             # the copy's digest: the same copy sent twice is kept once
    name: str                           # as it was sent
    file: Path                          # where the desk keeps it
    sender: str
    at: float
    rows: tuple[dict, ...]              # one per annotation: what the questions page shows of it

    @property
    def when(self) -> str:
        return time.strftime("%d/%m/%Y %H:%M", time.localtime(self.at))

    @property
    def reviewers(self) -> str:
        names = sorted({r["author"] for r in self.rows if r["author"]})
        return ", ".join(names) or "relecteur sans nom"

    def left(self, done: set[str]) -> list[dict]:
        """Its annotations in the text not yet written into the fiches, and those outside the text."""
        return [r for r in self.rows if r["key"] not in done]

    def waiting(self, done: set[str]) -> bool:
        return any(r["src"] and r["key"] not in done for r in self.rows)


def row_of(f: Finding) -> dict:
    where = f.place.src
    return {"key": f.key, "src": where, "fiche": Path(where.rpartition(":")[0]).stem if where else "",
            "line": f.location.line, "folio": f.place.folio, "page_line": f.place.page_line,
            "author": f.annotation.author, "label": LABELS.get(f.kind, f.kind), "message": f.message()}


def folder(root: Path) -> Path:
    return folder_of(root) / FOLDER


def digest(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:20]


def keep(root: Path, copy: Path, name: str, sender: Person, findings: list[Finding]) -> Received:
    """The copy kept with what was read from it; a copy already kept stays as it was first sent."""
    copy_id = digest(copy)
    found = get(root, copy_id)
    if found is not None:
        return found
    place = folder(root)
    place.mkdir(exist_ok=True)
    received = Received(copy_id, name, place / f"{copy_id}{Path(name).suffix.lower() or '.pdf'}",
                        sender.name, round(time.time(), 3), tuple(row_of(f) for f in findings))
    shutil.copyfile(copy, received.file)
    data = {"name": received.name, "file": received.file.name, "sender": received.sender, "at": received.at,
            "rows": list(received.rows)}
    (place / f"{received.id}.json").write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return received


def get(root: Path, copy_id: str) -> Received | None:
    if not copy_id.isalnum():
        return None
    place = folder(root)
    try:
        data = json.loads((place / f"{copy_id}.json").read_text(encoding="utf-8"))
        received = Received(copy_id, str(data["name"]), place / str(data["file"]), str(data["sender"]),
                            float(data["at"]), tuple(data["rows"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return received if received.file.is_file() else None


def waiting(root: Path) -> tuple[list[Received], set[str]]:
    """The copies with annotations still to write, the oldest first; and the annotations written."""
    place = folder(root)
    done = applied_keys(root)
    copies = [get(root, p.stem) for p in sorted(place.glob("*.json"))] if place.is_dir() else []
    return sorted((c for c in copies if c is not None and c.waiting(done)), key=lambda c: c.at), done


def drop(root: Path, copy_id: str) -> None:
    received = get(root, copy_id)
    if received is not None:
        received.file.unlink(missing_ok=True)
    (folder(root) / f"{copy_id}.json").unlink(missing_ok=True)

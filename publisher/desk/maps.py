"""The maps of the desk's proofs (``book/.proofs/<id>.json``) kept only while they are of use.

The desk makes a proof at each save, and each proof's map weighs about a megabyte: kept are
the map of the pages shown, and that of every proof downloaded (a proofreader may annotate it,
and ``collect`` needs its map); the others go as the next state replaces them. Maps made
otherwise (``publisher proof``) and the ledger of applied annotations are never touched.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..atomic import write_atomically
from ..proof.trail import FOLDER

RECORD = "bureau.json"          # {"shown": [ids the desk made], "given": [ids downloaded]}


def record_of(root: Path) -> dict[str, list[str]]:
    path = Path(root) / FOLDER / RECORD
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return {"shown": list(data.get("shown", [])), "given": list(data.get("given", []))}
    except (OSError, ValueError, AttributeError):
        return {"shown": [], "given": []}


def write(root: Path, record: dict[str, list[str]]) -> None:
    write_atomically(Path(root) / FOLDER / RECORD, json.dumps(record, indent=1).encode("utf-8"))


def listed(root: Path) -> set[str]:
    """The maps in the book's folder now (none seen when the folder cannot be read: the build says why)."""
    try:
        return {p.stem for p in (Path(root) / FOLDER).glob("*.json") if p.name not in (RECORD, "applied.json")}
    except OSError:
        return set()


def shown(root: Path, proof_id: str | None, made: set[str]) -> None:
    """A build of the desk is done: ``made``, the maps it wrote (a build that failed after writing its map
    leaves one); ``proof_id`` what the pages show now (None: the pages did not change). The desk's maps
    that are neither shown nor downloaded go."""
    record = record_of(root)
    current = [proof_id] if proof_id else record["shown"]
    for old in set(record["shown"]) | made:
        if old not in current and old not in record["given"]:
            (Path(root) / FOLDER / f"{old}.json").unlink(missing_ok=True)
    record["shown"] = current
    write(root, record)


def given(root: Path, proof_id: str) -> None:
    """``proof_id`` was downloaded: its map stays."""
    record = record_of(root)
    if proof_id and proof_id not in record["given"]:
        record["given"].append(proof_id)
        write(root, record)

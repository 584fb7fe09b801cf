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


def shown(root: Path, proof_id: str) -> None:
    """``proof_id`` is what the pages show now: the desk's earlier maps no one downloaded go."""
    record = record_of(root)
    for old in record["shown"]:
        if old != proof_id and old not in record["given"]:
            (Path(root) / FOLDER / f"{old}.json").unlink(missing_ok=True)
    record["shown"] = [proof_id]
    write(root, record)


def given(root: Path, proof_id: str) -> None:
    """``proof_id`` was downloaded: its map stays."""
    record = record_of(root)
    if proof_id and proof_id not in record["given"]:
        record["given"].append(proof_id)
        write(root, record)

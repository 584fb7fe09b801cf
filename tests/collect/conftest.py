"""A proof of two fiches of the frozen volume, made once for the annotation tests of this folder, and
a writable copy of its book for each test (``--apply`` writes into it)."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from publisher.proof import build_proof

from ..conftest import VOLUME
from .annotate import words

FICHES = ("2016-du-parcours-d-accueil-au-parcours", "2022-accueil-des-refugies-ukrainiens")
PARCOURS = "fiches/2016-du-parcours-d-accueil-au-parcours.md"
UKRAINE = "fiches/2022-accueil-des-refugies-ukrainiens.md"
PROOF_DAY = date(2026, 11, 20)


@pytest.fixture(scope="module")
def proof(tmp_path_factory):
    root = tmp_path_factory.mktemp("collect") / "book"
    shutil.copytree(VOLUME, root)
    out = root.parent / "epreuve.pdf"
    build_proof(root, out, fiches=FICHES, today=PROOF_DAY)
    return root, out, words(out)


@pytest.fixture
def book(proof, tmp_path):
    """A copy of the book with its proof's map: --apply writes into it."""
    root, out, found = proof
    shutil.copytree(root, tmp_path / "book")
    return tmp_path / "book", out, found


def line_of(root: Path, name: str, phrase: str) -> int:
    lines = (root / name).read_text(encoding="utf-8").split("\n")
    hits = [i for i, line in enumerate(lines, start=1) if phrase in line]
    assert len(hits) == 1, (phrase, hits)
    return hits[0]

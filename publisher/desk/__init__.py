"""``publisher serve``: the editors' desk, in their browser, on their own machine.

The book's pages (its proof, made again after each save: :mod:`.state`), its open questions,
its fiches and an editor for each (:mod:`.editing`), uploads of Word documents and annotated
proofs, downloads (:mod:`.app`). Bound to 127.0.0.1, behind a token of the run.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from .app import make_app
from .state import Desk

__all__ = ["Desk", "make_app", "new_token", "desk_for"]


def new_token() -> str:
    return secrets.token_urlsafe(18)


def desk_for(root: Path, folder: Path | None = None) -> Desk:
    return Desk(Path(root), folder or Path("build") / "bureau")

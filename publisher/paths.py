"""Where the files the code ships with are: the templates and stylesheets of ``layouts/`` and the
fonts of ``fonts/``.

In a checkout (and an editable install, ``make``'s) they are the folders beside the package;
an installed copy (``pip install .``) carries them inside it, as package data
(``pyproject.toml`` maps ``publisher.layouts`` and ``publisher.fonts`` to them).
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent


def shipped(name: str) -> Path:
    inside = PACKAGE / name
    return inside if inside.is_dir() else PACKAGE.parent / name


LAYOUTS = shipped("layouts")
FONTS = shipped("fonts")

"""Where a figure's image may come from: a file of the book, or a ``data:`` image. Nothing else.

``check`` reports the others (with the figure's line); ``html`` prints an
« Image à fournir » frame in their place, so no build reads outside the book.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..tree import plain

DATA_IMAGE = re.compile(r"^data:image/(?:png|jpeg|gif|webp|svg\+xml)[;,]", re.IGNORECASE)
SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
SIGNATURES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a")
SVG = re.compile(rb"<svg[\s>]", re.IGNORECASE)

OK, DATA, REMOTE, OUTSIDE, MISSING, NOT_AN_IMAGE = "ok", "data", "remote", "outside", "missing", "not-an-image"


def alternative_text(figure) -> str:
    """What a reader who cannot see the image is told (PDF/UA, EPUB): its alt, else its caption's text."""
    caption = " ".join(plain(b.children) for b in figure.caption if hasattr(b, "children"))
    return (figure.alt or caption).strip()


def classify(root: Path, src: str) -> str:
    if DATA_IMAGE.match(src):
        return DATA
    if SCHEME.match(src) or src.startswith("//"):
        return REMOTE                       # http(s), file:, ftp: … : never fetched
    root = Path(root).resolve()
    path = (root / src).resolve()           # symbolic links followed, then checked
    if src.startswith("/") or root not in path.parents:
        return OUTSIDE
    if not path.exists():
        return MISSING
    if not path.is_file() or not is_image(path):
        return NOT_AN_IMAGE
    return OK


def outside_message(src: str) -> str:
    """What an editor is told about an image from outside the book (check, and markdown for file: URLs)."""
    return (f"l'image « {src} » est hors du livre : elle ne sera pas lue (jamais le réseau, jamais un fichier "
            "hors du dossier du livre) ; copiez-la dans images/ et écrivez images/nom-du-fichier")


def url(root: Path, src: str) -> str | None:
    """What WeasyPrint is given for ``src``: None for anything but a good image of the book."""
    kind = classify(root, src)
    if kind == OK:
        return (Path(root).resolve() / src).resolve().as_uri()
    return src if kind == DATA else None


def is_image(path: Path) -> bool:
    """PNG, JPEG, GIF, WebP or SVG, by their first bytes (a renamed text or PDF file is none)."""
    with path.open("rb") as handle:
        return is_image_data(handle.read(1024))


def is_image_data(head: bytes) -> bool:
    return (head.startswith(SIGNATURES) or (head[:4] == b"RIFF" and head[8:12] == b"WEBP")
            or bool(SVG.search(head)))


@dataclass
class Copied:
    """The book's images a digital edition (EPUB, site) carries, each under a name of its own in
    ``images/``: the figure's ``src`` → that name; None for what is not a good image of the book."""

    root: Path
    names: dict[str, str] = field(default_factory=dict)      # name in the edition → src in the book

    def name_of(self, src: str) -> str | None:
        if not src or classify(self.root, src) != OK:
            return None
        known = next((name for name, was in self.names.items() if was == src), None)
        if known:
            return known
        stem, suffix, k = Path(src).stem, Path(src).suffix, 1
        name = f"images/{stem}{suffix}"
        while name in self.names:              # two images of the same name in two folders: both kept
            k += 1
            name = f"images/{stem}-{k}{suffix}"
        self.names[name] = src
        return name

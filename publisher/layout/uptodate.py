"""« Rien n'a changé » : a build whose sources, layouts, fonts, code and options are
those that made the PDF already there is not made again.

Beside the PDF, a hidden record (``.volume.pdf.json``) keeps the fingerprint of
what made it, the PDF's own digest and what the build said; ``publisher build``
repeats that instead of laying the book out again. Any change — a fiche, an image,
``book.yaml``, a stylesheet, a font, the code, an option, ``SOURCE_DATE_EPOCH`` — or
a PDF touched by hand, and the book is made again.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

from ..atomic import write_atomically
from ..diagnostics import Diagnostic, Severity
from ..model import SourceLocation
from ..paths import FONTS, LAYOUTS, PACKAGE
from ..source.resources import files_of


@dataclass(frozen=True)
class Record:
    pages: int
    diagnostics: tuple[Diagnostic, ...]


def fingerprint(root: Path, options: dict) -> str:
    digest = hashlib.sha256()
    for base in (Path(root), LAYOUTS, FONTS, PACKAGE):
        add_files(digest, base)
    digest.update(json.dumps({**options, "SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH", "")},
                             sort_keys=True, default=str).encode())
    return digest.hexdigest()


def tools_digest(root: Path) -> str:
    """What a part's layout depends on besides its HTML and CSS: the layouts, fonts and code,
    WeasyPrint's version, and the book's images (its texts are in the HTML already)."""
    digest = hashlib.sha256(version("weasyprint").encode())   # not imported: its layout processes load it
    for base in (LAYOUTS, FONTS, PACKAGE):
        add_files(digest, base)
    add_files(digest, Path(root), skip=(".md", ".yaml", ".yml"))
    return digest.hexdigest()


def add_files(digest, base: Path, skip: tuple[str, ...] = ()) -> None:
    for path in files_of(base):
        if path.suffix.lower() not in skip:
            digest.update(f"{base.name}/{path.relative_to(base).as_posix()}\0".encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())


def record_of(output: Path) -> Path:
    output = Path(output)
    return output.with_name(f".{output.name}.json")


def previous(output: Path, print_of: str) -> Record | None:
    """What the last build said, when it made this very PDF from these very sources."""
    try:
        saved = json.loads(record_of(output).read_text(encoding="utf-8"))
        same_pdf = hashlib.sha256(Path(output).read_bytes()).hexdigest() == saved["pdf"]
        if saved["fingerprint"] != print_of or not same_pdf:
            return None
        return Record(int(saved["pages"]), tuple(
            Diagnostic(SourceLocation(d["path"], int(d["line"])), Severity(d["severity"]), d["code"], d["message"])
            for d in saved["diagnostics"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def remember(output: Path, print_of: str, pages: int, diagnostics) -> None:
    saved = {"fingerprint": print_of, "pdf": hashlib.sha256(Path(output).read_bytes()).hexdigest(), "pages": pages,
             "diagnostics": [d.as_json() for d in diagnostics]}
    write_atomically(record_of(output), json.dumps(saved, ensure_ascii=False).encode("utf-8"))

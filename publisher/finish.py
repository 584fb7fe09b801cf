"""The finished PDF: metadata from book.yaml, written atomically.

A failed or interrupted build never leaves a half-written PDF: we write a
temporary file beside the target and rename it over the target at the end.
"""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, TextStringObject

from .model import Book
from .paginate import Paginated


def finish(paginated: Paginated, book: Book) -> bytes:
    raw = paginated.pdf_bytes()
    reader = PdfReader(io.BytesIO(raw))
    writer = PdfWriter(clone_from=reader)
    config = book.config
    writer.add_metadata({
        "/Title": plain_spaces(config.title),
        "/Author": plain_spaces(config.author),
        "/Subject": plain_spaces(config.subtitle),
        "/Keywords": ", ".join(config.keywords),
        "/Creator": "publisher (WeasyPrint)",
    })
    writer._root_object[NameObject("/Lang")] = TextStringObject(config.language)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def plain_spaces(text: str) -> str:
    """Metadata is read by catalogues and file browsers: ordinary spaces there."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def write_atomically(target: Path, data: bytes) -> None:
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise

"""pandoc, the converter that keeps footnotes, comments and tracked changes (the binary of the
``pypandoc-binary`` wheel). We only ever exchange its JSON tree with it."""

from __future__ import annotations

import json
import subprocess
import tempfile
from pathlib import Path

from ..diagnostics import PublisherError, error
from ..model import SourceLocation

TIMEOUT = 300          # seconds; a fiche takes well under one


def binary() -> str:
    import pypandoc

    return pypandoc.get_pandoc_path()


def read_docx(data: bytes, shown: str) -> dict:
    """The document as pandoc's JSON tree, comments and tracked changes as spans."""
    with tempfile.TemporaryDirectory(prefix="publisher-word-") as tmp:
        source = Path(tmp) / "document.docx"
        source.write_bytes(data)
        done = subprocess.run([binary(), "--from=docx+styles", "--track-changes=all", "--to=json", str(source)],
                              capture_output=True, timeout=TIMEOUT, check=False)
    if done.returncode != 0:
        why = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise PublisherError(error(SourceLocation(shown, 1), "docx-corrupt",
                                   "ce document Word n'a pas pu être lu"
                                   + (f" ({why[-1][:120]})" if why else "")
                                   + " : ouvrez-le dans Word et enregistrez-le à nouveau"))
    return json.loads(done.stdout)


def write_docx(tree: dict, reference: Path, resources: Path) -> bytes:
    """A .docx from a JSON tree, in the styles of ``reference``; images are read under ``resources``."""
    with tempfile.TemporaryDirectory(prefix="publisher-word-") as tmp:
        target = Path(tmp) / "fiche.docx"
        subprocess.run([binary(), "--from=json", "--to=docx", f"--reference-doc={reference}",
                        f"--resource-path={resources}", "-o", str(target)],
                       input=json.dumps(tree).encode("utf-8"), capture_output=True, timeout=TIMEOUT, check=True)
        return target.read_bytes()


def api_version() -> list[int]:
    """The version of the JSON tree this pandoc speaks (it refuses another)."""
    done = subprocess.run([binary(), "--from=markdown", "--to=json"], input=b"", capture_output=True,
                          timeout=TIMEOUT, check=True)
    return json.loads(done.stdout)["pandoc-api-version"]

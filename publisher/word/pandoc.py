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
# pandoc's heap, in MB: it needs about 80 times a document's XML (8 MB of XML, 650 MB); a fiche has under 1 MB.
# Bounded, so that a document too complex is refused for what it is, not after eating an editor's computer.
HEAP_MB = 1500
HEAP_EXHAUSTED = 251   # the exit status of a Haskell program out of its heap


def binary() -> str:
    import pypandoc

    return pypandoc.get_pandoc_path()


def read_docx(data: bytes, shown: str, heap_mb: int = HEAP_MB, timeout: float = TIMEOUT) -> dict:
    """The document as pandoc's JSON tree, comments and tracked changes as spans."""
    size = f"{len(data) / 1_000_000:.1f} Mo"
    with tempfile.TemporaryDirectory(prefix="publisher-word-") as tmp:
        source = Path(tmp) / "document.docx"
        source.write_bytes(data)
        try:
            done = subprocess.run([binary(), "+RTS", f"-M{heap_mb}m", "-RTS", "--from=docx+styles",
                                   "--track-changes=all", "--to=json", str(source)],
                                  capture_output=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            raise too_complex(shown, f"sa conversion a dépassé {timeout:.0f} secondes (document de {size})") from None
    if done.returncode == HEAP_EXHAUSTED or b"Heap exhausted" in done.stderr:
        raise too_complex(shown, f"sa conversion demande plus de {heap_mb} Mo de mémoire (document de {size})")
    if done.returncode != 0:
        why = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise PublisherError(error(SourceLocation(shown, 1), "docx-corrupt",
                                   "ce document Word n'a pas pu être lu"
                                   + (f" ({why[-1][:120]})" if why else "")
                                   + " : ouvrez-le dans Word et enregistrez-le à nouveau"))
    return json.loads(done.stdout)


def too_complex(shown: str, what: str) -> PublisherError:
    return PublisherError(error(SourceLocation(shown, 1), "docx-too-complex",
                                f"ce document est trop complexe pour être converti : {what} ; enregistrez-le à "
                                "nouveau dans Word, ou copiez son texte dans un nouveau document, et réessayez"))


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

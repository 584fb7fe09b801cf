"""What the desk shows, kept up to date: the proof made again after each save (as ``proof
--watch`` does: one fiche laid out again, not the book), its pages as images, its questions,
or the error that stopped it. Browsers are told of each new state (Server-Sent Events)."""

from __future__ import annotations

import hashlib
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from pypdf import PdfReader

from ..diagnostics import Diagnostic, PublisherError
from ..proof import ProofResult
from ..proof.watch import watch

RESOLUTION = 60          # dots per inch of the page images: a page on a screen


@dataclass
class Shown:
    """One state of the book, as the pages say it."""

    version: int = 0
    building: bool = True
    pages: int = 0
    texts: tuple[str, ...] = ()                 # the text of each page (for searching, and the tests)
    stamps: tuple[str, ...] = ()                # what each page shows, in short: a browser keeps the unchanged
    front: int = 0                              # the proof's pages before the book's first (the questions)
    result: ProofResult | None = None
    refused: tuple[Diagnostic, ...] = ()        # what stopped the last build (the previous pages stay)
    seconds: float = 0.0
    saved_at: float = 0.0                       # when the file whose change made this state was saved


@dataclass
class Desk:
    root: Path
    folder: Path                                # where the proof and its page images are made
    shown: Shown = field(default_factory=Shown)
    changed: threading.Condition = field(default_factory=threading.Condition)
    running: bool = True

    @property
    def proof(self) -> Path:
        return self.folder / "epreuve.pdf"

    def page_image(self, number: int) -> Path:
        return self.folder / f"page-{number:04d}.png"

    def start(self) -> threading.Thread:
        self.folder.mkdir(parents=True, exist_ok=True)
        thread = threading.Thread(target=self.run, name="publisher-desk-proof", daemon=True)
        thread.start()
        return thread

    def run(self) -> None:
        watch(self.root, self.proof, (), None, self.report, lambda: self.running)

    def stop(self) -> None:
        """The proof's watcher stops; the browsers' event streams waiting for a new state are let go at once."""
        with self.changed:
            self.running = False
            self.changed.notify_all()

    def report(self, result: ProofResult | PublisherError, seconds: float) -> None:
        with self.changed:
            state = self.shown
            if isinstance(result, PublisherError):
                self.shown = Shown(state.version + 1, False, state.pages, state.texts, state.stamps, state.front,
                                   state.result, result.diagnostics, seconds, latest_save(self.root))
            else:
                texts, stamps = self.draw(state)
                self.shown = Shown(state.version + 1, False, len(texts), texts, stamps,
                                   result.pages - len(result.geometry.pages), result, (), seconds,
                                   latest_save(self.root))
            self.changed.notify_all()

    def draw(self, before: Shown) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The proof's pages as images, and their text: only the pages that changed since ``before``
        (after an edit, the pages of one fiche), all of them the first time."""
        stamps = page_stamps(self.proof)
        changed = [n for n, stamp in enumerate(stamps, start=1)
                   if n > len(before.stamps) or before.stamps[n - 1] != stamp or not self.page_image(n).is_file()]
        for old in self.folder.glob("page-*.png"):
            if int(old.stem.rpartition("-")[2]) > len(stamps):
                old.unlink()
        texts = list(before.texts[:len(stamps)]) + [""] * (len(stamps) - len(before.texts))
        if len(changed) > len(stamps) // 2:                 # one call for the lot
            found = self.render(1, len(stamps))
        else:
            found = {n: text for page in changed for n, text in self.render(page, page).items()}
        for n, text in found.items():
            texts[n - 1] = text
        return tuple(texts), tuple(stamps)

    def render(self, first: int, last: int) -> dict[int, str]:
        """Pages ``first`` to ``last`` as images (pdftoppm), and their text (pdftotext)."""
        pages = ["-f", str(first), "-l", str(last)]
        subprocess.run(["pdftoppm", "-png", "-r", str(RESOLUTION), *pages, str(self.proof), str(self.folder / "new")],
                       check=True, capture_output=True)
        for made in self.folder.glob("new-*.png"):           # pdftoppm pads as it likes: one name for all
            made.replace(self.page_image(int(made.stem.rpartition("-")[2])))
        text = subprocess.run(["pdftotext", "-enc", "UTF-8", *pages, str(self.proof), "-"], check=True,
                              capture_output=True).stdout.decode("utf-8", "replace")
        return {first + k: " ".join(t.split()) for k, t in enumerate(text.split("\f")[: last - first + 1])}

    def wait(self, version: int, timeout: float) -> Shown:
        """The state after ``version``, or the current one after ``timeout`` seconds."""
        with self.changed:
            self.changed.wait_for(lambda: self.shown.version != version or not self.running, timeout)
            return self.shown


def page_stamps(pdf: Path) -> list[str]:
    """What each page shows, in short: its content and the drawings laid over it (the sheets)."""
    out = []
    for page in PdfReader(pdf).pages:
        digest = hashlib.sha256()
        contents = page.get_contents()
        digest.update(contents.get_data() if contents is not None else b"")
        drawings = page["/Resources"].get("/XObject") or {}
        for name in sorted(drawings):
            drawing = drawings[name].get_object()
            digest.update(name.encode() + (drawing.get_data() if hasattr(drawing, "get_data") else b""))
        out.append(digest.hexdigest()[:16])
    return out


def latest_save(root: Path) -> float:
    times = [p.stat().st_mtime for p in Path(root).rglob("*") if p.is_file() and ".proofs" not in p.parts]
    return max(times, default=time.time())

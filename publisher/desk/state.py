"""What the desk shows, kept up to date: the proof made again after each save (as ``proof
--watch`` does: one fiche laid out again, not the book), its pages as images, its questions,
or the error that stopped it. Browsers are told of each new state (Server-Sent Events)."""

from __future__ import annotations

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
        self.running = False

    def report(self, result: ProofResult | PublisherError, seconds: float) -> None:
        with self.changed:
            state = self.shown
            if isinstance(result, PublisherError):
                self.shown = Shown(state.version + 1, False, state.pages, state.texts, state.front, state.result,
                                   result.diagnostics, seconds, latest_save(self.root))
            else:
                texts = self.draw()
                self.shown = Shown(state.version + 1, False, len(texts), texts, result.pages - len(result.geometry.pages),
                                   result, (), seconds, latest_save(self.root))
            self.changed.notify_all()

    def draw(self) -> tuple[str, ...]:
        """The proof's pages as images, and their text."""
        for old in self.folder.glob("page-*.png"):
            old.unlink()
        subprocess.run(["pdftoppm", "-png", "-r", str(RESOLUTION), str(self.proof), str(self.folder / "page")],
                       check=True, capture_output=True)
        for made in self.folder.glob("page-*.png"):           # pdftoppm pads as it likes: one name for all
            number = int(made.stem.rpartition("-")[2])
            made.rename(self.page_image(number))
        reader = PdfReader(self.proof)
        return tuple(" ".join((page.extract_text() or "").split()) for page in reader.pages)

    def wait(self, version: int, timeout: float) -> Shown:
        """The state after ``version``, or the current one after ``timeout`` seconds."""
        with self.changed:
            self.changed.wait_for(lambda: self.shown.version != version or not self.running, timeout)
            return self.shown


def latest_save(root: Path) -> float:
    times = [p.stat().st_mtime for p in Path(root).rglob("*") if p.is_file() and ".proofs" not in p.parts]
    return max(times, default=time.time())

"""What the desk shows, kept up to date: the proof made again after each save (as ``proof
--watch`` does: one fiche laid out again, not the book), its pages as images, its questions,
or the error that stopped it. Browsers are told of each new state (Server-Sent Events)."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import threading
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from pypdf import PdfReader

from ..atomic import disk_refusal
from ..diagnostics import Diagnostic, PublisherError, error
from ..model import SourceLocation
from ..proof import ProofResult
from ..proof.watch import snapshot, watch
from . import maps
from .jobs import Jobs

RESOLUTION = 60          # dots per inch of the page images: a page on a screen


@dataclass(frozen=True)
class Shown:
    """One state of the book, as the pages say it."""

    version: int = 0                            # any change of state: browsers are told
    drawn: int = 0                              # the pages' own: a view of the book reloads when it changes
    building: str = "du livre"                  # what is being laid out (« de fiches/x.md »); "" when the
                                                # pages are those of the files
    pages: int = 0
    texts: tuple[str, ...] = ()                 # the text of each page (for searching, and the tests)
    stamps: tuple[str, ...] = ()                # what each page shows, in short: a browser keeps the unchanged
    front: int = 0                              # the proof's pages before the book's first (the questions)
    result: ProofResult | None = None
    refused: tuple[Diagnostic, ...] = ()        # what stopped the last build (the previous pages stay)
    seconds: float = 0.0
    saved_at: float = 0.0                       # when the file whose change made this state was saved

    @property
    def status(self) -> str:
        """What the bar says, the same in the page and after each change."""
        if self.building:
            return f"Mise en pages {self.building}…"
        if self.refused:
            return "Dernière mise en pages refusée"
        return f"À jour ({self.pages} pages, {self.seconds:.1f} s)"


@dataclass
class Desk:
    root: Path
    folder: Path                                # where the proof and its page images are made
    shown: Shown = field(default_factory=Shown)
    changed: threading.Condition = field(default_factory=threading.Condition)
    running: bool = True
    started: dict = field(default_factory=dict)  # the book's files when the build under way started
    maps_before: set = field(default_factory=set)  # the proofs' maps in the book then

    def __post_init__(self) -> None:
        self.jobs = Jobs(self.folder / "travaux")

    @property
    def proof(self) -> Path:
        return self.folder / "epreuve.pdf"

    def page_image(self, number: int) -> Path:
        return self.folder / f"page-{number:04d}.png"

    def start(self) -> threading.Thread:
        self.folder.mkdir(parents=True, exist_ok=True)
        for made in ("travaux", "faits"):           # a previous run's jobs and copies: nobody can ask for them now
            shutil.rmtree(self.folder / made, ignore_errors=True)
        thread = threading.Thread(target=self.run, name="publisher-desk-proof", daemon=True)
        thread.start()
        return thread

    def run(self) -> None:
        """The proofs, made again and again; whatever stops the watcher is said, and it starts again."""
        while self.running:
            try:
                watch(self.root, self.proof, (), None, self.report, lambda: self.running, self.starting)
            except Exception as failed:     # noqa: BLE001  a fault must not end the desk's proofs for good
                why = disk_refusal(failed) if isinstance(failed, OSError) else f"erreur interne ({failed})"
                self.update(building="", refused=(error(SourceLocation(str(self.root / "book.yaml"), 1), "proof-failed",
                            f"l'épreuve n'a pas pu être faite : {why} ; elle se refera au prochain enregistrement"),))
                time.sleep(1)

    def stop(self) -> None:
        """The proof's watcher stops; the browsers' event streams waiting for a new state are let go at once."""
        self.jobs.stop()
        with self.changed:
            self.running = False
            self.changed.notify_all()

    def starting(self, changed: list[str]) -> None:
        self.started = snapshot(self.root)
        self.maps_before = maps.listed(self.root)
        what = "du livre" if not changed else f"de {changed[0]}" if len(changed) == 1 else f"de {len(changed)} fichiers"
        self.update(building=what)

    def update(self, **values) -> None:
        with self.changed:
            self.shown = replace(self.shown, version=self.shown.version + 1, **values)
            self.changed.notify_all()

    def report(self, result: ProofResult | PublisherError, seconds: float) -> None:
        """A build done: its pages drawn, or why not. Changes saved meanwhile: still building."""
        state = self.shown
        stale = "des changements enregistrés entre-temps" if snapshot(self.root) != self.started else ""
        if isinstance(result, ProofResult):
            try:
                texts, stamps = self.draw(state)
            except (OSError, subprocess.CalledProcessError) as failed:
                why = disk_refusal(failed) if isinstance(failed, OSError) else "les pages n'ont pas pu être dessinées"
                result = PublisherError(error(SourceLocation(str(self.proof), 1), "proof-failed",
                                              f"l'épreuve n'a pas pu être montrée : {why}"))
        try:
            maps.shown(self.root, result.proof_id if isinstance(result, ProofResult) else None,
                       maps.listed(self.root) - self.maps_before)
        except OSError:
            pass                                # a read-only book: its maps stay, nothing else is lost
        if isinstance(result, PublisherError):
            self.update(building=stale, refused=result.diagnostics, seconds=seconds, saved_at=latest_save(self.root))
        else:
            self.update(drawn=state.drawn + 1, building=stale, pages=len(texts), texts=texts, stamps=stamps,
                        front=result.pages - len(result.geometry.pages), result=result, refused=(),
                        seconds=seconds, saved_at=latest_save(self.root))

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
    """When a file of the book was last saved (its hidden folders — .git, .proofs, .desk — are not the book)."""
    times = [stamp for stamp, _ in snapshot(Path(root)).values()]
    return max(times) / 1e9 if times else time.time()

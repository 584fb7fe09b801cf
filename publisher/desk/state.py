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

import lxml.html
from pypdf import PdfReader

from ..atomic import disk_refusal
from ..diagnostics import Diagnostic, PublisherError, error
from ..model import SourceLocation
from ..proof import ProofResult
from ..proof.watch import snapshot, watch
from . import maps
from .jobs import Jobs

RESOLUTION = 150         # dots per inch of the page images: a page read on a screen, and zoomed in
SAME_LINE_PT = 1.5       # two words whose tops differ by less are on one line
QUALITY = 85             # JPEG: twelve times faster to make than PNG at this size, the text as sharp


@dataclass(frozen=True)
class Words:
    """A page's words where they are printed: the page's size and each word's box, in points from the
    top left corner (as pdftotext gives them): the reader's text layer, and where a mark falls."""

    width: float = 0.0
    height: float = 0.0
    words: tuple[tuple[str, float, float, float, float], ...] = ()

    @property
    def text(self) -> str:
        return " ".join(w[0] for w in self.words)

    def lines(self) -> list[list[tuple[str, float, float, float, float]]]:
        """The words, line by line as printed (a browser's search matches within a line of the layer)."""
        out: list[list[tuple[str, float, float, float, float]]] = []
        for word in self.words:
            last = out[-1][-1] if out else None
            if last is not None and abs(word[2] - last[2]) < SAME_LINE_PT and word[1] > last[1]:
                out[-1].append(word)
            else:
                out.append([word])
        return out


@dataclass(frozen=True)
class Shown:
    """One state of the book, as the pages say it."""

    version: int = 0                            # any change of state: browsers are told
    drawn: int = 0                              # the pages' own: a view of the book reloads when it changes
    building: str = "du livre"                  # what is being laid out (« de fiches/x.md »); "" when the
                                                # pages are those of the files
    pages: int = 0
    words: tuple[Words, ...] = ()               # the words of each page, where they are
    stamps: tuple[str, ...] = ()                # what each page shows, in short: a browser keeps the unchanged
    front: int = 0                              # the proof's pages before the book's first (the questions)
    result: ProofResult | None = None
    refused: tuple[Diagnostic, ...] = ()        # what stopped the last build (the previous pages stay)
    seconds: float = 0.0
    saved_at: float = 0.0                       # when the file whose change made this state was saved

    @property
    def texts(self) -> tuple[str, ...]:
        """The text of each page (for searching, and the tests)."""
        return tuple(w.text for w in self.words)

    def index_of(self, folio: int) -> int:
        """The proof's page (from 1) of the book's page ``folio``."""
        return self.front + folio

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
        return self.folder / f"page-{number:04d}.jpg"

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
                words, stamps = self.draw(state)
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
            self.update(drawn=state.drawn + 1, building=stale, pages=len(words), words=words, stamps=stamps,
                        front=result.pages - len(result.geometry.pages), result=result, refused=(),
                        seconds=seconds, saved_at=latest_save(self.root))

    def draw(self, before: Shown) -> tuple[tuple[Words, ...], tuple[str, ...]]:
        """The proof's pages as images, and their words: only the pages that changed since ``before``
        (after an edit, the pages of one fiche), all of them the first time."""
        stamps = page_stamps(self.proof)
        changed = [n for n, stamp in enumerate(stamps, start=1)
                   if n > len(before.stamps) or before.stamps[n - 1] != stamp or not self.page_image(n).is_file()]
        for old in self.folder.glob("page-*.*"):
            if old.suffix != ".jpg" or int(old.stem.rpartition("-")[2]) > len(stamps):
                old.unlink()
        words = list(before.words[:len(stamps)]) + [Words()] * (len(stamps) - len(before.words))
        if len(changed) > len(stamps) // 2:                 # one call for the lot
            found = self.render(1, len(stamps))
        else:
            found = {n: page for first in changed for n, page in self.render(first, first).items()}
        for n, page in found.items():
            words[n - 1] = page
        return tuple(words), tuple(stamps)

    def render(self, first: int, last: int) -> dict[int, Words]:
        """Pages ``first`` to ``last`` as images (pdftoppm), and their words (pdftotext)."""
        pages = ["-f", str(first), "-l", str(last)]
        subprocess.run(["pdftoppm", "-jpeg", "-jpegopt", f"quality={QUALITY}", "-r", str(RESOLUTION), *pages,
                        str(self.proof), str(self.folder / "new")], check=True, capture_output=True)
        for made in self.folder.glob("new-*.jpg"):           # pdftoppm pads as it likes: one name for all
            made.replace(self.page_image(int(made.stem.rpartition("-")[2])))
        layout = subprocess.run(["pdftotext", "-bbox", *pages, str(self.proof), "-"], check=True,
                                capture_output=True).stdout
        return {first + k: page for k, page in enumerate(words_of(layout)[: last - first + 1])}

    def wait(self, version: int, timeout: float) -> Shown:
        """The state after ``version``, or the current one after ``timeout`` seconds."""
        with self.changed:
            self.changed.wait_for(lambda: self.shown.version != version or not self.running, timeout)
            return self.shown


def words_of(layout: bytes) -> list[Words]:
    """Each page's words from ``pdftotext -bbox`` (XHTML: a <page> with its <word>s and their boxes)."""
    pages = []
    for page in lxml.html.fromstring(layout.decode("utf-8", "replace")).iter("page"):
        words = tuple((word.text or "", float(word.get("xmin")), float(word.get("ymin")), float(word.get("xmax")),
                       float(word.get("ymax"))) for word in page.iter("word"))
        pages.append(Words(float(page.get("width")), float(page.get("height")), words))
    return pages


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

"""What the desk shows, kept up to date: the proof made again after each save (as ``proof
--watch`` does: one fiche laid out again, not the book), its pages as images, its questions,
or the error that stopped it. Browsers are told of each new state (Server-Sent Events)."""

from __future__ import annotations

import hashlib
import pickle
import shutil
import subprocess
import threading
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

import lxml.html
from babel.numbers import format_decimal
from pypdf import PdfReader

from ..atomic import disk_refusal, write_atomically
from ..diagnostics import Diagnostic, PublisherError, error
from ..model import SourceLocation
from ..proof import STAMP_NAME, ProofResult, blank_stamp
from ..proof.watch import snapshot, watch
from . import maps
from .jobs import Jobs

RESOLUTION = 150         # dots per inch of the page images: a page read on a screen, and zoomed in
SAME_LINE_PT = 1.5       # two words whose tops differ by less are on one line
PROOF = "epreuve.pdf"    # the proof the desk shows, in its folder
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
        return f"À jour ({self.pages} pages, {self.seconds_said} s)"

    @property
    def seconds_said(self) -> str:
        """How long the last proof took, as a French reader writes it (« 8,7 »)."""
        return format_decimal(self.seconds, format="0.0", locale="fr_BE")


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
        return self.folder / PROOF

    @property
    def drawn_from(self) -> Path:
        """The proof without its stamp, that the page images are drawn from (proof.blank_stamp)."""
        return self.folder / "pages.pdf"

    def page_image(self, number: int) -> Path:
        return self.folder / image_name(number)

    def start(self) -> threading.Thread:
        self.folder.mkdir(parents=True, exist_ok=True)
        for made in ("travaux", "faits"):           # a previous run's jobs and copies: nobody can ask for them now
            shutil.rmtree(self.folder / made, ignore_errors=True)
        before = kept_state(self.folder, self.root)
        if before is not None:                       # the last pages shown, at once, while they are brought up to date
            self.update(**{name: getattr(before, name) for name in KEPT_FIELDS})
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

    def update(self, kept: bool = False, **values) -> None:
        """The pages shown changed; ``kept``: kept too (:func:`keep_state`) before anyone is told, so that a desk
        stopped as soon as it shows a proof opens again on it."""
        with self.changed:
            self.shown = replace(self.shown, version=self.shown.version + 1, **values)
            if kept:
                keep_state(self.folder, self.root, self.shown)
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
                        seconds=seconds, saved_at=latest_save(self.root), kept=True)

    def draw(self, before: Shown) -> tuple[tuple[Words, ...], tuple[str, ...]]:
        """The proof's pages as images, and their words: only the pages that changed since ``before``
        (after an edit, the pages of one fiche), all of them the first time. The stamp is not on them:
        its version changes with every commit, the page shows it above the images."""
        write_atomically(self.drawn_from, blank_stamp(self.proof.read_bytes()))
        stamps = page_stamps(self.drawn_from)
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
                        str(self.drawn_from), str(self.folder / "new")], check=True, capture_output=True)
        for made in self.folder.glob("new-*.jpg"):           # pdftoppm pads as it likes: one name for all
            made.replace(self.page_image(int(made.stem.rpartition("-")[2])))
        layout = subprocess.run(["pdftotext", "-bbox", *pages, str(self.drawn_from), "-"], check=True,
                                capture_output=True).stdout
        return {first + k: page for k, page in enumerate(words_of(layout)[: last - first + 1])}

    def wait(self, version: int, timeout: float) -> Shown:
        """The state after ``version``, or the current one after ``timeout`` seconds."""
        with self.changed:
            self.changed.wait_for(lambda: self.shown.version != version or not self.running, timeout)
            return self.shown


KEPT = "etat.pickle"          # the last state shown, for the next start of the desk
KEPT_FORMAT = 1              # changed with Shown, ProofResult or what they hold: an older state is not read
KEPT_FIELDS = ("drawn", "pages", "words", "stamps", "front", "result", "seconds", "saved_at")


def keep_state(folder: Path, root: Path, shown: Shown) -> None:
    """The pages of the book ``root`` shown, with the proof and images they were drawn from (a desk
    opened again shows them at once)."""
    try:
        proof = (folder / PROOF).stat()
        kept = {name: getattr(shown, name) for name in KEPT_FIELDS}
        made = (KEPT_FORMAT, str(Path(root).resolve()), proof.st_size, proof.st_mtime_ns)
        write_atomically(folder / KEPT, pickle.dumps((made, kept)))
    except (OSError, pickle.PicklingError):
        pass                     # the next start only waits for its first proof


def kept_state(folder: Path, root: Path) -> Shown | None:
    """The state :func:`keep_state` kept, if it is of the book ``root`` and the proof and every page image
    it shows are still those it was drawn from (written by a desk only, in its own folder: not a file
    anyone sends)."""
    try:
        made, kept = pickle.loads((folder / KEPT).read_bytes())
        proof = (folder / PROOF).stat()
        shown = Shown(**kept)
    except Exception:            # noqa: BLE001  none, an older desk's, damaged: the first proof is awaited
        return None
    if made != (KEPT_FORMAT, str(Path(root).resolve()), proof.st_size, proof.st_mtime_ns):
        return None
    if not all((folder / image_name(n)).is_file() for n in range(1, shown.pages + 1)):
        return None
    return shown


def image_name(number: int) -> str:
    return f"page-{number:04d}.jpg"


def words_of(layout: bytes) -> list[Words]:
    """Each page's words from ``pdftotext -bbox`` (XHTML: a <page> with its <word>s and their boxes)."""
    pages = []
    for page in lxml.html.fromstring(layout.decode("utf-8", "replace")).iter("page"):
        words = tuple((word.text or "", float(word.get("xmin")), float(word.get("ymin")), float(word.get("xmax")),
                       float(word.get("ymax"))) for word in page.iter("word"))
        pages.append(Words(float(page.get("width")), float(page.get("height")), words))
    return pages


def page_stamps(pdf: Path) -> list[str]:
    """What each page shows, in short: its content and the drawings laid over it (the sheets; not the
    stamp, blanked in the PDF the images are drawn from, whose length changes with the version)."""
    out = []
    for page in PdfReader(pdf).pages:
        digest = hashlib.sha256()
        contents = page.get_contents()
        digest.update(contents.get_data() if contents is not None else b"")
        drawings = page["/Resources"].get("/XObject") or {}
        for name in sorted(set(drawings) - {f"/{STAMP_NAME}"}):
            drawing = drawings[name].get_object()
            digest.update(name.encode() + (drawing.get_data() if hasattr(drawing, "get_data") else b""))
        out.append(digest.hexdigest()[:16])
    return out


def latest_save(root: Path) -> float:
    """When a file of the book was last saved (its hidden folders — .git, .proofs, .desk — are not the book)."""
    times = [stamp for stamp, _ in snapshot(Path(root)).values()]
    return max(times) / 1e9 if times else time.time()

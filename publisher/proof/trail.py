"""The map of a proof: which source line each line of each page shows, and where its words are.

It is true only for the build that made the proof, so the proof carries an identifier of its
own (in its document information and its XMP metadata, which PDF readers keep when they save
annotations) and the map is kept under it in the book folder, ``book/.proofs/<id>.json``
(out of git: the folder has its own .gitignore). ``publisher collect`` finds it from an
annotated copy alone, after ``build/`` has been cleaned.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from ..atomic import write_atomically
from ..diagnostics import PublisherError, error
from ..model import Book, SourceLocation
from .geometry import SAME_LINE_PX

INFO_KEY = "/PublisherProof"          # in the PDF's document information
XMP_TAG = "publisher:proof"
XMP_NS = "https://cai-namur.be/ns/publisher/1.0/"
FOLDER = ".proofs"
MAP_VERSION = 1


@dataclass(frozen=True)
class Run:
    left: float
    width: float
    text: str
    lefts: tuple[float, ...] = ()   # where each character starts, from ``left``

    def span(self, k: int) -> tuple[float, float]:
        """Where character ``k`` lies, left and right."""
        if len(self.lefts) == len(self.text):
            ends = self.lefts[1:] + (self.width,)
            return self.left + self.lefts[k], self.left + max(ends[k], self.lefts[k])
        n = len(self.text)
        return self.left + self.width * k / n, self.left + self.width * (k + 1) / n


@dataclass(frozen=True)
class MapLine:
    top: float
    height: float
    src: str                       # « fiches/x.md:12 », relative to the book folder ("" for none)
    runs: tuple[Run, ...]


@dataclass(frozen=True)
class MapPage:
    index: int                     # the page in the proof PDF, from 0 (the questions' pages come first)
    folio: int                     # the book's page number, as printed
    width: float                   # CSS pixels, from the top left corner, as WeasyPrint lays out
    height: float
    text_left: float
    text_right: float
    counted: tuple[float, ...]     # the tops of the lines a proofreader counts (l. 1, l. 2…)
    lines: tuple[MapLine, ...]

    def page_line(self, y: float) -> int:
        """The line a proofreader counts at height ``y`` (as the margin's numbers say)."""
        number = 1
        for i, top in enumerate(self.counted, start=1):
            if top <= y + SAME_LINE_PX:
                number = i
        return number


@dataclass(frozen=True)
class ProofMap:
    id: str
    stamp: str
    fiches: dict[str, str]         # « fiches/x.md » → sha256 of the file when the proof was made
    pages: dict[int, MapPage]      # by index in the proof PDF

    def changed(self, root: Path) -> list[str]:
        """The fiches that are no longer what the proof shows."""
        return sorted(name for name, digest in self.fiches.items()
                      if not (root / name).is_file() or sha256((root / name).read_bytes()) != digest)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def map_of(book: Book, pages, geometry, stamp: str, front: int) -> dict:
    """The map as JSON data; ``pages``: the laid-out pages (layout.pages.Page), ``front``: the
    pages put before the book's first (the questions)."""
    counted = {g.number: tuple(line.top for line in g.lines) for g in geometry.pages}
    widths = {g.number: g.width for g in geometry.pages}           # the proof's page, its notes' column included
    fiches = {f.location.in_book(book.root).rpartition(":")[0]: sha256(Path(f.location.path).read_bytes())
              for f in book.fiches}
    return {"version": MAP_VERSION, "stamp": stamp, "fiches": fiches, "pages": [
        {"index": front + k, "folio": page.number, "width": widths.get(page.number, page.width), "height": page.height,
         "text_left": page.text_left, "text_right": page.text_right, "counted": counted.get(page.number, ()),
         "lines": [{"top": line.top, "height": line.height, "src": line.source,
                    "runs": [[left, width, text, lefts] for left, width, text, lefts in line.fragments]}
                   for line in page.lines if line.text and not line.margin]}
        for k, page in enumerate(pages)]}


def encoded(data: dict) -> tuple[str, bytes]:
    """The map's identifier (a digest of what it says) and its file, the map written once: it holds every
    character's place, a megabyte for a book of 66 pages (its order is the order map_of builds it in)."""
    text = json.dumps(data, ensure_ascii=False).encode("utf-8")
    proof_id = sha256(text)[:20]
    return proof_id, b'{"id": "' + proof_id.encode() + b'", ' + text[1:]


def keep(root: Path, proof_id: str, text: bytes) -> Path:
    folder = Path(root) / FOLDER
    folder.mkdir(exist_ok=True)
    ignore = folder / ".gitignore"
    if not ignore.exists():
        ignore.write_text("# les plans des épreuves (publisher collect) : propres à cette machine\n*\n",
                          encoding="utf-8")
    target = folder / f"{proof_id}.json"
    write_atomically(target, text)
    return target


def xmp(proof_id: str) -> bytes:
    return (f'<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
            f'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
            f'<rdf:Description rdf:about="" xmlns:publisher="{XMP_NS}"><{XMP_TAG}>{proof_id}</{XMP_TAG}>'
            f'</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>').encode("utf-8")


def load(root: Path, proof_id: str, where: SourceLocation) -> ProofMap:
    path = Path(root) / FOLDER / f"{proof_id}.json"
    if not path.is_file():
        raise PublisherError(error(where, "proof-unknown",
                                   f"cette épreuve ({proof_id}) n'a pas été faite à partir de ce livre, ou son plan "
                                   f"a été effacé ({FOLDER}/ du dossier du livre) : refaites une épreuve, faites-la "
                                   "annoter, et relancez collect sur cette copie"))
    data = json.loads(path.read_text(encoding="utf-8"))
    pages = {p["index"]: MapPage(p["index"], p["folio"], p["width"], p["height"], p["text_left"], p["text_right"],
                                 tuple(p["counted"]),
                                 tuple(MapLine(line["top"], line["height"], line["src"],
                                               tuple(Run(r[0], r[1], r[2], tuple(r[3])) for r in line["runs"]))
                                       for line in p["lines"]))
             for p in data["pages"]}
    return ProofMap(proof_id, data["stamp"], data["fiches"], pages)

"""Who changed what in the desk: each save, import and applied annotation, with its author and the
fiches it touched, one line of JSON each in ``BOOK/.desk/journal.jsonl`` (beside the accounts,
out of git; the history of the book itself is the next step's).

Also the locks the writes take: one per fiche, so that two people saving one fiche at once are
answered one after the other (the second sees the first's change and is refused, never lost)."""

from __future__ import annotations

import json
import threading
import time
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from .people import Person, folder_of

FILE = "journal.jsonl"
SHOWN = 200                     # the journal's page shows the last changes, not a year of them


@dataclass(frozen=True)
class Entry:
    at: float
    name: str
    email: str
    what: str                   # « texte modifié », « importée d'un document Word »…
    fiches: tuple[str, ...]

    @property
    def when(self) -> str:
        return time.strftime("%d/%m/%Y %H:%M", time.localtime(self.at))


class Journal:
    def __init__(self, root: Path):
        self.root = Path(root)
        self.lock = threading.Lock()

    @property
    def path(self) -> Path:
        return self.root / ".desk" / FILE

    def record(self, person: Person, what: str, fiches: list[str] | tuple[str, ...]) -> None:
        line = json.dumps({"at": round(time.time(), 3), "name": person.name, "email": person.email, "what": what,
                           "fiches": sorted(fiches)}, ensure_ascii=False)
        with self.lock:
            folder_of(self.root)
            with self.path.open("a", encoding="utf-8") as out:
                out.write(line + "\n")

    def entries(self, fiche: str | None = None, last: int = SHOWN) -> list[Entry]:
        """The latest first; ``fiche``: those that touched it."""
        try:
            lines = self.path.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            return []
        found: list[Entry] = []
        for line in reversed(lines):
            try:
                data = json.loads(line)
                entry = Entry(float(data["at"]), str(data["name"]), str(data["email"]), str(data["what"]),
                              tuple(data["fiches"]))
            except (ValueError, KeyError, TypeError):          # a line cut by a full disk: the others stay
                continue
            if fiche is None or fiche in entry.fiches:
                found.append(entry)
                if len(found) >= last:
                    break
        return found


class Locks:
    """One lock per fiche; what writes many fiches (an import, annotations applied) takes them all."""

    def __init__(self) -> None:
        self.guard = threading.Lock()
        self.held: dict[str, threading.Lock] = {}

    def of(self, fiche: str) -> threading.Lock:
        with self.guard:
            return self.held.setdefault(fiche, threading.Lock())

    @contextmanager
    def fiche(self, fiche: str):
        with self.of(fiche):
            yield

    @contextmanager
    def book(self, root: Path):
        """Every fiche's lock, in one order (two of these never wait for each other), and the lock of
        a fiche not yet written (an import's)."""
        names = sorted({p.stem for p in (Path(root) / "fiches").glob("*.md")} | {""})
        with ExitStack() as stack:
            for name in names:
                stack.enter_context(self.of(name))
            yield

"""Who has which fiche open in the editor, for « Marc Leroy modifie aussi cette fiche »: a person is
there while the editor's event stream is open (a closed tab, a lost network: gone)."""

from __future__ import annotations

import itertools
import threading

from .people import Person


class Presence:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.open: dict[int, tuple[str, Person]] = {}       # each open editor → its fiche and person
        self.numbers = itertools.count()

    def enter(self, fiche: str, person: Person) -> int:
        with self.lock:
            key = next(self.numbers)
            self.open[key] = (fiche, person)
            return key

    def leave(self, key: int) -> None:
        with self.lock:
            self.open.pop(key, None)

    def others(self, fiche: str, person: Person) -> list[str]:
        """The names of the other people who have ``fiche`` open (the same person in two tabs: not another)."""
        with self.lock:
            return sorted({p.name for f, p in self.open.values() if f == fiche and p.email != person.email})


def said(names: list[str]) -> str:
    if not names:
        return ""
    who = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " et " + names[-1]
    return f"{who} modifie{'nt' if len(names) > 1 else ''} aussi cette fiche"

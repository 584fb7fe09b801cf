"""What a proof draws with WeasyPrint — the sheets laid over the pages, the stamp, the « Questions
ouvertes » pages —, kept by what they show: in memory from one proof to the next (``proof --watch``,
the desk), and in the parts' cache, so that a desk opened again draws only the sheets of the pages
that changed since it was closed (drawing the sheets of a whole book takes seconds)."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

import pikepdf

from ..layout.cache import PartCache


@dataclass(frozen=True)
class Drawn:
    """Pages ``first`` to ``first + count`` of ``document``: a page does not keep its PDF open, this does
    (the sheets drawn together share one PDF, and their fonts are copied once into the proof)."""

    document: pikepdf.Pdf
    first: int = 0
    count: int = 1

    @property
    def pages(self) -> list[pikepdf.Page]:
        return self.document.pages[self.first:self.first + self.count]


class Drawings:
    """``memory``: key → pages drawn, kept by the caller between proofs; ``cache``: the parts' cache (None:
    memory only). A key says all that the pages show (their marks, the stamp's text)."""

    def __init__(self, memory: dict[str, Drawn], cache: PartCache | None):
        self.memory = memory
        self.cache = cache
        self.used: set[str] = set()

    def get(self, key: str) -> Drawn | None:
        self.used.add(key)
        if key in self.memory:
            if self.cache:
                self.cache.keep_using(name_of(key))
            return self.memory[key]
        data = self.cache.drawing(name_of(key)) if self.cache else None
        if data is None:
            return None
        try:
            document = pikepdf.open(io.BytesIO(data))
        except Exception:            # noqa: BLE001  a damaged copy in the cache is drawn again
            return None
        self.memory[key] = Drawn(document, 0, len(document.pages))
        return self.memory[key]

    def put(self, key: str, drawn: Drawn) -> None:
        self.used.add(key)
        self.memory[key] = drawn
        if self.cache:
            self.cache.keep_drawing(name_of(key), pdf_of(drawn.pages))

    def of(self, key: str, draw) -> Drawn:
        """The pages kept under ``key``, or those ``draw()`` makes, kept."""
        drawn = self.get(key)
        if drawn is None:
            drawn = draw()
            self.put(key, drawn)
        return drawn

    def forget_unused(self) -> None:
        """Memory holds what this proof used, no more (the cache forgets the rest when it is saved)."""
        for gone in set(self.memory) - self.used:
            del self.memory[gone]


def name_of(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def pdf_of(pages: list[pikepdf.Page]) -> bytes:
    alone = pikepdf.new()
    alone.pages.extend(pages)
    out = io.BytesIO()
    alone.save(out, deterministic_id=True)
    return out.getvalue()

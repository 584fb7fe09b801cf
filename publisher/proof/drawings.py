"""What a proof draws with WeasyPrint — the sheets laid over the pages, the stamp, the « Questions
ouvertes » pages —, kept by what they show: in memory from one proof to the next (``proof --watch``,
the desk), and in the parts' cache, so that a desk opened again draws only the sheets of the pages
that changed since it was closed (drawing the sheets of a whole book takes seconds)."""

from __future__ import annotations

import hashlib
import io

from pypdf import PdfReader, PdfWriter
from pypdf import PageObject

from ..layout.cache import PartCache


class Drawings:
    """``memory``: key → pages, kept by the caller between proofs; ``cache``: the parts' cache (None:
    memory only). A key says all that the pages show (their marks, the stamp's text)."""

    def __init__(self, memory: dict[str, list[PageObject]], cache: PartCache | None):
        self.memory = memory
        self.cache = cache
        self.used: set[str] = set()

    def get(self, key: str) -> list[PageObject] | None:
        self.used.add(key)
        if key in self.memory:
            if self.cache:
                self.cache.keep_using(name_of(key))
            return self.memory[key]
        data = self.cache.drawing(name_of(key)) if self.cache else None
        if data is None:
            return None
        try:
            pages = list(PdfReader(io.BytesIO(data)).pages)
        except Exception:            # noqa: BLE001  a damaged copy in the cache is drawn again
            return None
        self.memory[key] = pages
        return pages

    def put(self, key: str, pages: list[PageObject]) -> None:
        self.used.add(key)
        self.memory[key] = pages
        if self.cache:
            self.cache.keep_drawing(name_of(key), pdf_of(pages))

    def of(self, key: str, draw) -> list[PageObject]:
        """The pages kept under ``key``, or those ``draw()`` makes, kept."""
        pages = self.get(key)
        if pages is None:
            pages = draw()
            self.put(key, pages)
        return pages

    def forget_unused(self) -> None:
        """Memory holds what this proof used, no more (the cache forgets the rest when it is saved)."""
        for gone in set(self.memory) - self.used:
            del self.memory[gone]


def name_of(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def pdf_of(pages: list[PageObject]) -> bytes:
    writer = PdfWriter()
    for page in pages:
        writer.add_page(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()

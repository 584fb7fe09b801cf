"""Arbitrary text never crashes the pipeline: the importer, the fiche loader and the
checks raise nothing but the project's own located errors; what the importer writes
loads back with the same titles, leads and paragraphs."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from publisher.checks.check import check
from publisher.diagnostics import PublisherError
from publisher.enrich import enrich
from publisher.importer import import_exports
from publisher.model import Critic
from publisher.source.load import load_book
from publisher.tree import plain

from .conftest import MINIBOOK

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Text an editor could type, and the characters of the export's own structure.
ALPHABET = st.sampled_from(list("abcdeéèàçôœ ABCÉ0123456789.,;:!?«»\"'’()[]*_-–—•☑☐#>`~{}=+^/\\\n\t|<&%"))
messy = st.text(ALPHABET, max_size=400) | st.text(max_size=200)


def fresh_book() -> Path:
    root = Path(tempfile.mkdtemp(prefix="fuzz-")) / "book"
    shutil.copytree(MINIBOOK, root)
    return root


@FUZZ
@given(messy)
def test_the_importer_raises_only_located_errors(text):
    root = Path(tempfile.mkdtemp(prefix="fuzz-"))
    export = root / "export.txt"
    export.write_text(text, encoding="utf-8")
    try:
        import_exports([export], root / "fiches", write=True)
    except PublisherError as exc:
        assert all(d.location.line >= 1 for d in exc.diagnostics)
    finally:
        shutil.rmtree(root)


@FUZZ
@given(front=messy, body=messy)
def test_the_loader_and_the_checks_raise_only_located_errors(front, body):
    root = fresh_book()
    (root / "fiches" / "beta.md").write_text(f"---\n{front}\n---\n{body}", encoding="utf-8")
    try:
        book, _ = load_book(root)
        check(enrich(book))
    except PublisherError as exc:
        assert all(d.location.path.endswith(("beta.md", "book.yaml")) for d in exc.diagnostics), exc
    finally:
        shutil.rmtree(root.parent)


def said(runs) -> str:
    """The words of runs, an editor's question included: the importer turns a note to self
    (« A vérifier. ») into an open question, {>> A vérifier <<}, which keeps its words."""
    return "".join(r.text if isinstance(r, Critic) else plain((r,)) for r in runs)


sentence = st.text(st.sampled_from(list("abcdefghijklmnopqrstuvwxyzéèàô ,;")), min_size=8, max_size=80).map(
    lambda s: " ".join(s.split()).strip(" ,;")).filter(lambda s: len(s) >= 5 and s[0].isalpha())


@FUZZ
@given(year=st.integers(1984, 2024), title=sentence, lead=sentence,
       paragraphs=st.lists(sentence, min_size=1, max_size=4))
def test_import_write_load_round_trips(year, title, lead, paragraphs):
    title, lead = title.capitalize(), lead.capitalize() + "."
    paragraphs = [p.capitalize() + "." for p in paragraphs]
    root = fresh_book()
    export = root.parent / "export.txt"
    export.write_text(f"{year} – {title}\n\n{year} – {title}\n\n{lead}\n\n" + "\n\n".join(paragraphs) + "\n",
                      encoding="utf-8")
    try:
        for old in (root / "fiches").glob("*.md"):
            old.unlink()
        (root / "book.yaml").write_text((root / "book.yaml").read_text(encoding="utf-8")
                                        .replace("order: [alpha, beta, gamma]", "order: chronological"),
                                        encoding="utf-8")
        import_exports([export], root / "fiches", write=True)
        book, _ = load_book(root)
        [fiche] = book.fiches
        assert (fiche.year, fiche.title, said(fiche.lead)) == (year, title, lead)
        assert [said(b.children) for b in fiche.blocks] == paragraphs
    finally:
        shutil.rmtree(root.parent)

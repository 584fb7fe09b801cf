"""A warm process (proof --watch, the desk) prepares again only the fiche that was edited, and
prepares it exactly as a cold process would; so does a command after the last one on the book (what that one
prepared kept on disk)."""

from __future__ import annotations

import functools
import importlib
import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from publisher.build import prepare
from publisher.layout import PreparedCache
from publisher.memo import SPREAD_FROM, Memo
from publisher.model import Fiche
from publisher.source import fichefile

from .conftest import MINIBOOK, VOLUME


def about(args: tuple) -> str:
    """The fiche a stage was computed for: its file or the fiche itself."""
    first = args[0]
    return first.id if isinstance(first, Fiche) else Path(first).stem


def test_after_an_edit_only_that_fiche_is_read_typeset_and_checked_again(tmp_path):
    root = tmp_path / "book"
    shutil.copytree(MINIBOOK, root)
    memo = Memo()
    first, said = prepare(root, memo)
    assert {about(args) for _, args in memo.last} == {f.id for f in first.fiches}
    assert prepare(root, memo) == (first, said) and memo.last == []       # nothing changed: nothing computed
    gamma = root / "fiches" / "gamma.md"
    gamma.write_text(gamma.read_text(encoding="utf-8") + "\nUne phrase ajoutée en relecture.\n", encoding="utf-8")
    edited, diagnostics = prepare(root, memo)
    assert {stage for stage, _ in memo.last} == {"parse_fiche", "number_footnotes", "typeset_fiche", "fiche_checks"}
    assert {about(args) for _, args in memo.last} == {"gamma"}
    assert "ajoutée en relecture" in str(next(f for f in edited.fiches if f.id == "gamma").blocks)
    assert (edited, diagnostics) == prepare(root)                          # as a cold process prepares it


def test_a_long_book_typeset_and_checked_side_by_side_is_the_book_prepared_in_one_process(tmp_path):
    """A command that runs once (a process of its own, without threads: never forked otherwise) shares a long
    book's fiches out among processes: the same fiches, the same diagnostics, in the same order, as one process
    gives; and the fiches were typeset and checked in other processes than the command's."""
    root = tmp_path / "book"
    shutil.copytree(VOLUME, root)
    fiches = sorted((root / "fiches").glob("*.md"))
    for k in range(2, 2 + -(-SPREAD_FROM // len(fiches))):           # copies, until the book is long enough
        for path in fiches:
            fiche = fichefile.read(path)
            copy = fichefile.rewrite(fiche, {"number": None, "title": f"{fiche.values()['title']} ({k})"})
            (root / "fiches" / f"{path.stem}-{k}.md").write_text(copy, encoding="utf-8")
    out = tmp_path / "prepared.pickle"
    subprocess.run([sys.executable, "-c", COMMAND, str(root), str(out), str(tmp_path / "ran")], check=True,
                   cwd=Path(__file__).parent.parent)
    book, diagnostics, command = pickle.loads(out.read_bytes())
    assert len(book.fiches) >= SPREAD_FROM
    where = [line.split() for line in (tmp_path / "ran").read_text().splitlines()]
    assert {stage for stage, pid in where if int(pid) != command} == {"typeset_fiche", "fiche_checks"}
    assert (book, diagnostics) == prepare(root, Memo()) and diagnostics


COMMAND = """
import functools, importlib, os, pickle, sys
from contextlib import closing
from pathlib import Path
from publisher import typography
from publisher.build import prepare
from publisher.memo import Spread
root, out, ran = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
def telling(stage):
    # forked after it is patched, the processes run it too, and write down where
    @functools.wraps(stage)
    def told(*args):
        with ran.open("a") as written:
            written.write(f"{stage.__name__} {os.getpid()}\\n")
        return stage(*args)
    return told
check = importlib.import_module("publisher.checks.check")
typography.typeset_fiche, check.fiche_checks = telling(typography.typeset_fiche), telling(check.fiche_checks)
with closing(Spread(2)) as spread:
    book, diagnostics = prepare(root, spread)
out.write_bytes(pickle.dumps((book, diagnostics, os.getpid())))
"""


def test_the_glossary_and_the_index_are_read_again_only_when_their_files_change(tmp_path):
    root = tmp_path / "book"
    shutil.copytree(VOLUME, root)
    memo = Memo()
    first, _ = prepare(root, memo)
    assert {"glossary_of", "index_of"} <= {stage for stage, _ in memo.last}
    fiche = sorted((root / "fiches").glob("*.md"))[0]
    fiche.write_text(fiche.read_text(encoding="utf-8") + "\nUne phrase ajoutée.\n", encoding="utf-8")
    prepare(root, memo)
    assert not {"glossary_of", "index_of"} & {stage for stage, _ in memo.last}
    glossary = root / "glossary.yaml"
    glossary.write_text(glossary.read_text(encoding="utf-8").replace("long:", "long:  ", 1), encoding="utf-8")
    again = prepare(root, memo)
    assert {stage for stage, _ in memo.last} & {"glossary_of", "index_of"} == {"glossary_of"}
    assert again == prepare(root)


@pytest.fixture
def computed(monkeypatch) -> list[tuple[str, str]]:
    """The fiches' stages a command computes (not found kept): (stage, fiche), as they run."""
    import publisher.source.load as load
    import publisher.typography as typography

    check = importlib.import_module("publisher.checks.check")        # the package's name is its function's

    ran: list[tuple[str, str]] = []
    for module, name in ((load, "parse_fiche"), (typography, "typeset_fiche"), (check, "fiche_checks")):
        stage = getattr(module, name)

        @functools.wraps(stage)              # the same name: the same keys as the stage's own
        def told(*args, stage=stage):
            ran.append((stage.__name__, about(args)))
            return stage(*args)
        monkeypatch.setattr(module, name, told)
    return ran


def test_a_command_prepares_again_only_the_fiche_edited_since_the_last_command_on_the_book(tmp_path, computed):
    root = tmp_path / "book"
    shutil.copytree(MINIBOOK, root)
    first = prepare(root)                                                  # `make book`: everything computed
    ids = {f.id for f in first[0].fiches}
    assert {stage for stage, _ in computed} == {"parse_fiche", "typeset_fiche", "fiche_checks"}
    assert {fiche for _, fiche in computed} == ids
    computed.clear()
    folder = PreparedCache.of(root).folder
    os.utime(folder, (0, 0))                                               # as if unused for long
    assert prepare(root) == first and computed == []                      # `make booklets`: nothing computed
    assert folder.stat().st_mtime > 0                                      # used: not forgotten in 30 days
    gamma = root / "fiches" / "gamma.md"
    gamma.write_text(gamma.read_text(encoding="utf-8") + "\nUne phrase ajoutée en relecture.\n", encoding="utf-8")
    edited = prepare(root)
    assert sorted(computed) == [("fiche_checks", "gamma"), ("parse_fiche", "gamma"), ("typeset_fiche", "gamma")]
    assert "ajoutée en relecture" in str(next(f for f in edited[0].fiches if f.id == "gamma").blocks)
    assert edited == prepare(root, Memo())                                 # as computed from nothing
    computed.clear()
    assert prepare(root) == edited and computed == []                     # read back, found again


def test_what_was_kept_damaged_or_from_other_code_only_costs_time(tmp_path, computed, monkeypatch):
    root = tmp_path / "book"
    shutil.copytree(MINIBOOK, root)
    first = prepare(root)
    kept = PreparedCache.of(root).folder / PreparedCache.FILE
    kept.write_bytes(kept.read_bytes()[: len(kept.read_bytes()) // 2])      # a disk full, a copy cut short
    computed.clear()
    assert prepare(root) == first and {fiche for _, fiche in computed} == {f.id for f in first[0].fiches}
    import publisher.layout.cache as cache
    monkeypatch.setattr(cache, "code_digest", lambda: b"publisher, another version")
    computed.clear()
    assert prepare(root) == first and {fiche for _, fiche in computed} == {f.id for f in first[0].fiches}

"""A warm process (proof --watch, the desk) prepares again only the fiche that was edited, and
prepares it exactly as a cold process would."""

from __future__ import annotations

import pickle
import shutil
import subprocess
import sys
from pathlib import Path

from publisher.build import prepare
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

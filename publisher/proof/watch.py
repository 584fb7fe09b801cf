"""``publisher proof --watch``: the proof made again each time a file of the book changes.

The process stays warm — WeasyPrint loaded, the parts already laid out kept in
memory — and a proof is cut into one part per fiche: after an edit, only that
fiche is laid out again, and what follows it only if its page count changed.
"""

from __future__ import annotations

import gc
import time
from pathlib import Path
from typing import Callable

from ..atomic import disk_refusal
from ..diagnostics import PublisherError, error, relative
from ..model import SourceLocation
from ..layout import EACH_FICHE
from ..memo import Memo
from ..source.resources import files_of
from . import ProofResult, build_proof, cache_of

POLL_SECONDS = 0.1          # a look at the files costs a millisecond: the save is seen at once


def snapshot(root: Path) -> dict[Path, tuple[int, int]]:
    """Each file of the book with its modification time and size: a change to either is an edit."""
    out: dict[Path, tuple[int, int]] = {}
    try:
        paths = list(files_of(root))
    except OSError:                     # the book's folder unreadable: seen as empty, the build says why
        return out
    for path in paths:
        try:
            stat = path.stat()
        except OSError:                 # deleted while we looked
            continue
        out[path] = (stat.st_mtime_ns, stat.st_size)
    return out


def watch(root: Path, output: Path, fiches: tuple[str, ...], since: str | None,
          report: Callable[[ProofResult | PublisherError, float], None],
          keep_going: Callable[[], bool] = lambda: True,
          starting: Callable[[list[str]], None] = lambda changed: None) -> None:
    """Make the proof, then again after each change, until ``keep_going`` says no (or Ctrl-C).
    ``starting`` is told before each build what changed (nothing: the first build). No error ends
    the watch: it is reported, and the next change is awaited."""
    import weasyprint  # noqa: F401  loaded once here, not in every part's process

    cache = cache_of(output)
    drawn: dict = {}                                # the sheets laid over the pages, by what they show
    memo = Memo()                                   # the fiches read, typeset and checked
    seen: dict[Path, tuple[int, int]] | None = None
    while keep_going():
        now = snapshot(root)
        if now == seen:
            time.sleep(POLL_SECONDS)
            continue
        changed = [] if seen is None else sorted(relative(p, root) for p in set(now) | set(seen)
                                                 if now.get(p) != seen.get(p))
        seen = now
        starting(changed)
        started = time.perf_counter()
        try:
            result: ProofResult | PublisherError = build_proof(root, output, fiches, since, cache=cache,
                                                              runs=EACH_FICHE, drawn=drawn, memo=memo)
            cache.save()
        except PublisherError as refused:          # a fiche saved half-written: say so, and wait for the next save
            result = refused
        except OSError as failed:                  # a file renamed under us, a full disk, a read-only folder
            where = SourceLocation(str(failed.filename or Path(root) / "book.yaml"), 1)
            result = PublisherError(error(where, "proof-failed", "l'épreuve n'a pas pu être faite : "
                                          + disk_refusal(failed) + " ; elle se refera au prochain enregistrement"))
        except Exception as failed:                # noqa: BLE001  a fault of ours must not stop the proofs for good
            result = PublisherError(error(SourceLocation(str(Path(root) / "book.yaml"), 1), "proof-failed",
                                          f"l'épreuve n'a pas pu être faite (erreur interne : {type(failed).__name__} "
                                          f"{failed}) ; elle se refera au prochain enregistrement — signalez-le"))
        report(result, time.perf_counter() - started)
        # this proof's young garbage collected now, while nobody waits, not by the next proof: a collection of the
        # older generation (0,07 s) landed in one proof or the next as its counter stood (measured, BENCHMARKS.md)
        gc.collect(1)

"""What an upload sets going — a Word document converted, annotated proofs read and applied — done
in a process of its own, bounded in memory and time: the desk keeps answering meanwhile, and a
bound reached is said in French (« document trop complexe : … »), never a 500.

A fresh process (``spawn``), not a fork of the desk's: the desk has threads (the proof's watcher)
whose locks a fork would copy mid-use.
"""

from __future__ import annotations

import asyncio
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from ..diagnostics import PublisherError, error
from ..internals.futures import processes_of
from ..model import SourceLocation

MEMORY_BYTES = 3_000_000_000    # the worker's address space; pandoc's own heap is bounded under it (1.5 GB)
SECONDS = 300


def bounded_memory(limit: int) -> None:
    import resource

    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


async def bounded(function, *args, shown: str, memory: int = MEMORY_BYTES, seconds: float = SECONDS):
    """``function(*args)`` in a process of its own; a bound reached: a PublisherError naming ``shown``."""
    pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"), initializer=bounded_memory,
                               initargs=(memory,))
    try:
        return await asyncio.wait_for(asyncio.wrap_future(pool.submit(function, *args)), seconds)
    except asyncio.TimeoutError:
        raise too_complex(shown, f"son traitement a dépassé {seconds:.0f} secondes") from None
    except (MemoryError, BrokenProcessPool):
        raise too_complex(shown, f"son traitement demandait plus de {memory // 1_000_000} Mo de mémoire") from None
    finally:
        for process in processes_of(pool):
            process.kill()
        pool.shutdown(wait=False, cancel_futures=True)


def too_complex(shown: str, what: str) -> PublisherError:
    return PublisherError(error(SourceLocation(shown, 1), "desk-too-complex",
                                f"document trop complexe : {what} ; enregistrez-le à nouveau (ou copiez son texte "
                                "dans un nouveau document) et envoyez-le encore"))


# ── what runs in the worker (module-level: a spawned process imports them by name) ──

def import_word(documents: list[Path], into: Path, force: bool):
    from ..word import import_documents

    return import_documents(documents, into, force=force)


def read_proofs(copies: list[Path], root: Path, apply: bool):
    from ..collect import collect
    from ..collect.apply import apply as write

    found = collect(copies, root)
    return found, (write(found, root) if apply else [])

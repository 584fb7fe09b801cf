"""What a pure stage gave for the same arguments, kept from one build to the next in a warm process
(``proof --watch``, the desk): after an edit, only the edited fiche is read, typeset and checked again.
A command that runs once on a long book shares the fiches' stages out among processes instead (:class:`Spread`),
and finds those the last command on the book computed on disk (:class:`Stored`).

A stage is memoised on its arguments, frozen values that say all it depends on (a fiche's file and
its bytes, a fiche, the typography's settings); its result must be frozen too. What a build did not
ask for is forgotten when it is done, so the memory holds one book, not its whole history; a build
that stops on an error forgets nothing."""

from __future__ import annotations

import multiprocessing
import os
import threading
from concurrent.futures import ProcessPoolExecutor
from itertools import repeat
from typing import Any, Callable, Protocol, TypeVar

T = TypeVar("T")


class Memo:
    def __init__(self) -> None:
        self.kept: dict[tuple, Any] = {}
        self.asked: dict[tuple, Any] = {}
        self.computed: list[tuple[str, tuple]] = []      # this build's stages not found: (stage, arguments)
        self.last: list[tuple[str, tuple]] = []          # those of the last build done

    def __call__(self, stage: Callable[..., T], *args) -> T:
        key = (stage.__module__, stage.__qualname__, args)
        if key not in self.asked:
            if key in self.kept:
                self.asked[key] = self.kept[key]
            else:
                self.asked[key] = stage(*args)
                self.computed.append((stage.__qualname__, args))
        return self.asked[key]

    def each(self, stage: Callable[..., T], calls: list[tuple]) -> list[T]:
        """``stage(*args)`` for each ``args`` of ``calls``, in order (every fiche of the book)."""
        return [self(stage, *args) for args in calls]

    def done(self) -> None:
        """A build went through: what it asked for is what the next may ask again."""
        self.kept, self.asked, self.last, self.computed = self.asked, {}, self.computed, []


class Once(Memo):
    """No memory: each stage computed when asked (a command that runs once)."""

    def __call__(self, stage: Callable[..., T], *args) -> T:
        return stage(*args)


SPREAD_FROM = 24          # fiches: fewer are typeset and checked in less time than processes take to start


class Spread(Once):
    """No memory; a stage asked for every fiche of a long book shared out among ``processes`` forked processes
    (measured: typesetting and checking the 208 fiches of an 800-page book, 4.0 s in one process; see
    BENCHMARKS.md). Close it when the book is prepared (:func:`contextlib.closing`)."""

    def __init__(self, processes: int, pool: ProcessPoolExecutor | None = None):
        super().__init__()
        self.processes = processes
        self.pool = pool                   # processes forked already (a volume's layout processes), not closed here
        self.owned = pool is None

    def each(self, stage: Callable[..., T], calls: list[tuple]) -> list[T]:
        return self.spread_out(stage, calls)

    def spread_out(self, stage: Callable[..., T], calls: list[tuple]) -> list[T]:
        # few, or no pool yet in a process with threads (the desk: a fork would hold their locks mid-use): here
        if self.processes < 2 or len(calls) < SPREAD_FROM or (self.pool is None and threading.active_count() > 1):
            return [stage(*args) for args in calls]
        if self.pool is None:
            from .layout.worker import started      # as a layout process: dies with this one, stops quietly

            self.pool = ProcessPoolExecutor(self.processes, mp_context=multiprocessing.get_context("fork"),
                                            initializer=started, initargs=("", os.getpid()))
        return list(self.pool.map(applied, repeat(stage), calls, chunksize=max(1, len(calls) // (4 * self.processes))))

    def close(self) -> None:
        if self.pool is not None and self.owned:
            self.pool.shutdown(cancel_futures=True)
        self.pool = None


def applied(stage: Callable[..., T], args: tuple) -> T:
    return stage(*args)


class Store(Protocol):
    """Where a :class:`Stored` finds what the last command computed (layout/cache.py, ``PreparedCache``)."""

    def key(self, stage: Callable, args: tuple) -> str | None: ...
    def get(self, key: str | None) -> Any: ...              # MISSING when not there
    def put(self, key: str | None, value: Any) -> None: ...


MISSING = object()


class Stored(Spread):
    """A command that runs once: a stage asked with the arguments the last command on this book gave it, by the
    same code, is read from ``store``, not computed; the others are computed (side by side, as :class:`Spread`) and
    put in it. An edit prepares that fiche again, not the book."""

    def __init__(self, processes: int, pool: ProcessPoolExecutor | None, store: Store):
        super().__init__(processes, pool)
        self.store = store

    def __call__(self, stage: Callable[..., T], *args) -> T:
        return self.each(stage, [args])[0]

    def each(self, stage: Callable[..., T], calls: list[tuple]) -> list[T]:
        keys = [self.store.key(stage, args) for args in calls]
        found = [self.store.get(key) for key in keys]
        missing = [n for n, value in enumerate(found) if value is MISSING]
        for n, value in zip(missing, self.spread_out(stage, [calls[n] for n in missing])):
            self.store.put(keys[n], value)
            found[n] = value
        return found

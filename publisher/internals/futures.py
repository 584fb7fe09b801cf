"""The standard library's ``concurrent.futures`` internals that the layout uses (checked with Python 3.11).

A process pool has no public way to stop the processes working on parts that are of no use
any more (an error, Ctrl-C): ``shutdown(cancel_futures=True)`` waits for them.
"""

from __future__ import annotations

import platform

LIBRARY = "python"
CHECKED_WITH = "3.11"


def installed() -> str:
    return ".".join(platform.python_version_tuple()[:2])


def processes_of(executor) -> list:
    """The processes of a ``ProcessPoolExecutor`` (none before its first task)."""
    return list((executor._processes or {}).values())


def let_go_of_results(executor) -> None:
    """This side's end of the pool's result pipe closed. A process stopped while it sent its result (a part's PDF)
    left the pool's own thread reading the rest of that message for good, and ``shutdown`` waiting for that
    thread (a stopped build that never ended, seen in CI); with no writer left, the thread reads the end of
    the pipe and stops."""
    queue = getattr(executor, "_result_queue", None)
    if queue is not None:
        queue._writer.close()

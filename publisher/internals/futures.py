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

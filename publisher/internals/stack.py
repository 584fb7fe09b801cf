"""A deep computation given a stack of its own, where CPython's frames never cross a chunk boundary.

Since 3.11 CPython keeps its frames in chunks of 16 kB (the « data stack »), allocating a chunk with mmap
when a call does not fit in the current one and giving it back as soon as that call returns. A computation
that goes up and down around the same depth, as WeasyPrint's layout does (a block, its lines, their inline
boxes, the text: for every line of the book), crosses the boundary of two chunks again and again when the
boundary happens to fall there: an mmap and a munmap each time. Measured on the Index of a 200-page book:
100 000 of each for one layout, 1,45 s; with a stack of its own, 150 and 0,81 s, the same PDF to the byte.
CPython keeps one chunk in its 3.13 and 3.14 releases since March 2026 (python/cpython#142183); 3.11 and 3.12
(Debian 12's Python, the office server's) do not.

:func:`roomy` calls a function from a frame that asks for a large stack (``co_stacksize``): CPython gives it a
chunk of its own, twice as large, and the calls beneath it run in the half left free — there is no boundary
near them. The space is reserved, not touched: only the pages the frames use are ever in memory.
"""

from __future__ import annotations

import platform
import types
from functools import lru_cache
from typing import Callable, TypeVar

LIBRARY = "python"
CHECKED_WITH = "3.11"

T = TypeVar("T")

ROOM = 65_536           # stack slots asked (512 kB): the chunk is 1 MB, the layout's frames use some 100 kB of it


def roomy(function: Callable[..., T], *args, **kwargs) -> T:
    """``function(*args, **kwargs)``, its calls in a stack chunk of their own (see the module's docstring)."""
    return _caller()(function, *args, **kwargs)


def _call(function, *args, **kwargs):
    return function(*args, **kwargs)


@lru_cache(maxsize=1)
def _caller() -> Callable:
    code = _call.__code__
    return types.FunctionType(code.replace(co_stacksize=code.co_stacksize + ROOM), _call.__globals__, "_call")


def installed() -> str:
    return ".".join(platform.python_version_tuple()[:2])

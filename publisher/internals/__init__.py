"""What publisher reaches inside other libraries, beyond their documented API: one module per
library, each naming the version it was checked with.

- :mod:`.weasyprint`: the laid-out box tree of a page, and Pango's place of each character;
- :mod:`.futures`: the processes of a process pool, to stop them at once;
- :mod:`.stack`: CPython's stack of frames, where a deep computation's calls are allocated.

``constraints.txt`` pins these libraries (``make lock`` moves them on); ``tests/test_internals.py``
fails, naming the library and its version, as soon as an installed version is not the one a
module was checked with, or a use no longer works.
"""

from __future__ import annotations

from . import futures, stack, weasyprint

__all__ = ["futures", "stack", "weasyprint", "CHECKED"]

CHECKED = {module.__name__.rsplit(".", 1)[-1]: module for module in (weasyprint, futures, stack)}

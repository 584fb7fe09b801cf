"""Where a process that seems stuck is, and its children: what a test that waited too long prints."""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path


def processes() -> dict[int, tuple[str, int, int]]:
    """Every process of the machine: its state letter (Z: ended, not yet reaped), its parent and its process
    group (read from /proc)."""
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            state, parent, group = stat.read_text().rpartition(")")[2].split()[:3]
        except (OSError, ValueError):
            continue                               # ended meanwhile
        found[int(stat.parent.name)] = (state, int(parent), int(group))
    return found


def name_of(pid: int) -> str:
    """The process's command name (« python », « chromium »), empty when it is gone."""
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return ""


def descendants(pid: int) -> list[int]:
    """The processes ``pid`` started, and theirs."""
    children: dict[int, list[int]] = {}
    for child, (_, parent, _) in processes().items():
        children.setdefault(parent, []).append(child)
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def tell_where(pid: int) -> None:
    """Each thread's Python stack of ``pid`` and of its Python children, on their standard error (the command
    and the tests register faulthandler on SIGUSR1: publisher/cli.py, tests/conftest.py); a moment to write it.
    Never the browser's processes: SIGUSR1 ends chromium and opens Node's debugger (Playwright's driver)."""
    for process in [pid, *filter(is_python, descendants(pid))]:
        try:
            os.kill(process, signal.SIGUSR1)
        except ProcessLookupError:
            pass
    time.sleep(1)


def is_python(pid: int) -> bool:
    name = name_of(pid)
    return name.startswith("python") or name == "publisher"


def greenlet_stacks() -> str:
    """The Python stack of every suspended greenlet: a test driving Playwright's synchronous API waits in
    one, which the threads' stacks (faulthandler) do not show."""
    import gc
    import traceback

    from greenlet import greenlet

    out = []
    for item in gc.get_objects():
        if isinstance(item, greenlet) and item.gr_frame is not None:
            out.append("".join(traceback.format_stack(item.gr_frame)))
    return "\n".join(out)


def end_stuck_browser(pid: int) -> None:
    """A browser test stuck for good (a Playwright call without a timeout that never returns): where it waits,
    on standard error, then the browser killed, so that the call fails and the suite goes on."""
    sys.__stderr__.write(f"\nA browser test is stuck; where its greenlets wait:\n{greenlet_stacks()}\n")
    sys.__stderr__.flush()
    for process in descendants(pid):
        if "chrom" in name_of(process):
            try:
                os.kill(process, signal.SIGKILL)
            except ProcessLookupError:
                pass

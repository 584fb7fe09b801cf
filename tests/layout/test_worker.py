"""The layout processes stop when the command stops: even one that cannot take SIGTERM (stuck in C, a lock of
GLib held at the fork) does not keep the command waiting for it."""

from __future__ import annotations

import os
import signal
import time

from publisher.internals.futures import processes_of
from publisher.layout.worker import STOP_GRACE_S, Workers


def deaf() -> int:
    """A process that no longer hears SIGTERM, and never ends its task."""
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    time.sleep(600)
    return os.getpid()


def test_a_process_deaf_to_sigterm_is_killed_and_stop_returns():
    running = Workers(2)
    assert running.executor is not None
    running.executor.submit(deaf)
    time.sleep(0.5)                               # the task has begun in one of them
    processes = processes_of(running.executor)
    started = time.monotonic()
    running.stop()
    assert time.monotonic() - started < STOP_GRACE_S * len(processes) + 5
    assert not any(p.is_alive() for p in processes)

"""Work that goes past the desk's bounds, run in its bounded worker (a spawned process imports this)."""

from __future__ import annotations

import time


def eat_memory(megabytes: int) -> int:
    held = [bytearray(1_000_000) for _ in range(megabytes)]
    return len(held)


def take_time(seconds: float) -> float:
    time.sleep(seconds)
    return seconds

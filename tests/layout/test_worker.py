"""The layout processes stop when the command stops: even one that cannot take SIGTERM (stuck in C, a lock of
GLib held at the fork) does not keep the command waiting for it."""

from __future__ import annotations

import gc
import os
import signal
import struct
import threading
import time

from publisher.internals.futures import processes_of
from publisher.layout.worker import LAYOUT_GC, STOP_GRACE_S, Workers, collecting_less

from ..stacks import processes


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


def test_a_process_stopped_while_it_sent_its_result_does_not_keep_stop_waiting():
    """As when a process is stopped in the middle of sending a part's PDF: the pool's thread has read the length of a
    result and waits for the rest, which will never come."""
    running = Workers(2)
    assert running.executor is not None
    running.executor.submit(int).result()           # the pool's own thread is running
    writer = running.executor._result_queue._writer
    os.write(writer.fileno(), struct.pack("!i", 45387) + b"\x80")     # a message begun, never ended
    time.sleep(0.3)
    stopping = threading.Thread(target=running.stop, daemon=True)
    stopping.start()
    stopping.join(STOP_GRACE_S * 2 + 10)
    assert not stopping.is_alive(), "stop() still waits for a result that will never come"


def test_layouts_run_with_fewer_collections_and_leave_the_collector_as_it_was():
    before = gc.get_threshold()
    with collecting_less():
        assert gc.get_threshold() == LAYOUT_GC
        entered, inner_done = threading.Event(), threading.Event()

        def another_layout() -> None:               # the desk: a booklet laid out while a proof is
            with collecting_less():
                entered.set()
                inner_done.wait(5)

        other = threading.Thread(target=another_layout)
        other.start()
        assert entered.wait(5)
    assert gc.get_threshold() == before            # the first one out sets it back
    inner_done.set()
    other.join(5)
    assert gc.get_threshold() == before            # and the other one, ending later, does not raise it again


ORPHANED = """
import sys, time
from publisher.internals.futures import processes_of
from publisher.layout.worker import Workers
running = Workers(2)
print(*[p.pid for p in processes_of(running.executor)], flush=True)
time.sleep(600)
"""


def test_the_layout_processes_die_with_the_command_however_it_ends():
    """Killed outright (or stopped before it knew of them), the command leaves no layout process behind, waiting
    for work for good with its terminal or its pipe."""
    import subprocess
    import sys

    command = subprocess.Popen([sys.executable, "-c", ORPHANED], stdout=subprocess.PIPE, text=True)
    workers = [int(pid) for pid in command.stdout.readline().split()]
    assert len(workers) == 2
    command.kill()
    command.wait()
    deadline = time.monotonic() + 10
    while any(processes().get(pid, ("Z",))[0] != "Z" for pid in workers):     # Z: ended, not yet reaped
        assert time.monotonic() < deadline, "a layout process outlived its command"
        time.sleep(0.1)



def lets_go_of_every_style_sheet() -> int:
    """In a layout process: what it does when it has parsed more style sheets than it keeps."""
    from publisher.layout.paginate import process_styles

    process_styles().known.clear()
    gc.collect()
    return os.getpid()


def test_a_layout_process_leaves_the_commands_fonts_where_they_are(tmp_path):
    """The command has laid a page out here (the desk, a part alone): its style sheets are kept, WeasyPrint's
    copies of their fonts in a folder. A layout process forked from it, letting go of the style sheets it
    inherited, must not delete that folder: the next page laid out here would have text without width."""
    from publisher.build import prepare
    from publisher.layout.paginate import paginate, process_styles
    from publisher.render.html import render_page_css

    from ..conftest import MINIBOOK

    book, _ = prepare(MINIBOOK)
    page = ("<!DOCTYPE html><html lang=\"fr\"><head><meta charset=\"utf-8\"><title>T</title></head><body>"
            "<h1 class=\"fiche-title\">Un titre</h1></body></html>")
    paginate(page, render_page_css(book), MINIBOOK)
    folders = [font_config._folder for font_config, _, _ in process_styles().known.values()]
    assert folders and all(folder.is_dir() for folder in folders)
    running = Workers(2)
    assert running.executor is not None
    try:
        assert running.executor.submit(lets_go_of_every_style_sheet).result(timeout=60) != os.getpid()
    finally:
        running.stop()
    assert all(folder.is_dir() for folder in folders)
    laid = paginate(page, render_page_css(book), MINIBOOK)
    widths = [line.width for p in laid.pages for line in p.lines if line.text and not line.margin]
    assert widths and all(width > 0 for width in widths)

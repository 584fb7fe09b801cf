"""Outputs a printer and a script can trust: the same sources give the same bytes; a build
that fails, is interrupted or runs beside another never leaves a half-written PDF."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from publisher import atomic
from publisher.build import build_volume

from .stacks import processes

PUBLISHER = Path(sys.executable).parent / "publisher"


def run_build(book: Path, out: Path, **env) -> subprocess.Popen:
    """``publisher build`` as from a terminal, where Ctrl-C reaches it: a suite run in the background by a
    shell without job control would hand it a SIGINT ignored, as it does to every command it starts."""
    return subprocess.Popen([str(PUBLISHER), "build", str(book), "-o", str(out)],
                            env={**os.environ, **env}, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL), process_group=0)


def ended(build: subprocess.Popen, seconds: float) -> bytes:
    """What the build wrote on its standard error once it and its layout processes (its process group) ended;
    if they do not end in ``seconds``, where each is (their stacks: SIGUSR1), in the failure."""
    try:
        return build.communicate(timeout=seconds)[1]
    except subprocess.TimeoutExpired:
        os.killpg(build.pid, signal.SIGUSR1)
        time.sleep(1)
        os.killpg(build.pid, signal.SIGKILL)
        raise AssertionError(f"the build did not end in {seconds} s: {build.communicate()[1].decode()}") from None


def left_running(group: int, seconds: float = 5) -> list[int]:
    """The processes of the process group ``group`` still running after ``seconds`` at most."""
    deadline = time.monotonic() + seconds
    while True:
        running = [pid for pid, (state, _, pgrp) in processes().items() if pgrp == group and state != "Z"]
        if not running or time.monotonic() > deadline:
            return running
        time.sleep(0.1)


def leftovers(folder: Path) -> list[Path]:
    return [p for p in folder.iterdir() if p.name.startswith(".") and p.suffix == ".part"]


def test_two_builds_of_the_same_sources_are_identical(book_copy, tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    first = build_volume(book_copy, tmp_path / "a.pdf").output.read_bytes()
    time.sleep(1.1)                                   # another second: the date comes from the sources, not the clock
    second = build_volume(book_copy, tmp_path / "b.pdf").output.read_bytes()
    assert first == second
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    third = build_volume(book_copy, tmp_path / "c.pdf").output.read_bytes()
    assert third == build_volume(book_copy, tmp_path / "d.pdf").output.read_bytes()
    assert PdfReader(str(tmp_path / "c.pdf")).metadata["/CreationDate"].startswith("D:20231114221320")


def test_an_interrupted_write_leaves_the_previous_pdf(book_copy, tmp_path, monkeypatch):
    out = tmp_path / "v.pdf"
    out.write_bytes(b"%PDF-1.7 previous\n")

    def interrupted(_fd):
        raise KeyboardInterrupt            # Ctrl-C right in the middle of writing the new file

    monkeypatch.setattr(atomic.os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        build_volume(book_copy, out)
    assert out.read_bytes() == b"%PDF-1.7 previous\n" and not leftovers(tmp_path)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_stopped_build_leaves_the_previous_pdf_and_no_partial_file(book_copy, tmp_path, sig):
    out = tmp_path / "v.pdf"
    out.write_bytes(b"%PDF-1.7 previous\n")
    interrupted = 0
    for delay in (0.5, 1.2, 2.0):
        build = run_build(book_copy, out)
        time.sleep(delay)
        build.send_signal(sig)
        err = ended(build, 120)
        assert not left_running(build.pid), (delay, "a layout process outlived the stopped build")
        assert b"Traceback" not in err, err
        assert not leftovers(tmp_path), (delay, err)
        if out.read_bytes() == b"%PDF-1.7 previous\n":
            interrupted += 1
            assert build.returncode != 0, (delay, err)
        else:
            # the signal came after the new PDF was in place (maybe while the process was exiting):
            # then it is the whole new PDF, never a part of it
            assert len(PdfReader(str(out)).pages) == 16, (delay, build.returncode, err)
            out.write_bytes(b"%PDF-1.7 previous\n")
    assert interrupted, "no build was stopped before its end: the test says nothing of a stopped build"


def test_two_builds_into_the_same_file_at_once(book_copy, tmp_path):
    out = tmp_path / "build" / "v.pdf"
    builds = [run_build(book_copy, out, SOURCE_DATE_EPOCH="1700000000") for _ in range(2)]
    for build in builds:
        err = ended(build, 300)
        assert build.returncode == 0, err
    alone = tmp_path / "alone.pdf"
    solo = run_build(book_copy, alone, SOURCE_DATE_EPOCH="1700000000")
    ended(solo, 300)
    assert out.read_bytes() == alone.read_bytes()
    assert not leftovers(out.parent)


FINALIZER = """
import os, signal, sys, time
from publisher.cli import stop_again, stopped
signal.signal(signal.SIGTERM, stopped)
sys.unraisablehook = stop_again

class Busy:
    def __del__(self):                       # the signal lands while Python runs a finalizer
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(0.2)

busy = Busy()
del busy
time.sleep(2)
print("went on")
"""


def test_a_stop_that_lands_in_a_finalizer_still_stops():
    done = subprocess.run([sys.executable, "-c", FINALIZER], capture_output=True, text=True, timeout=60)
    assert done.returncode == 128 + signal.SIGTERM, done
    assert "went on" not in done.stdout and "Traceback" not in done.stderr, done

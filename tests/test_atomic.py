"""Files written whole or not at all, with the permissions of any file the user makes, and
without touching the process's umask (the desk's threads and the layout's processes share it)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from publisher import atomic
from publisher.atomic import write_atomically

WRITE = "import os, sys; os.umask(int(sys.argv[2], 8)); from publisher.atomic import write_atomically; " \
        "from pathlib import Path; write_atomically(Path(sys.argv[1]), b'%PDF')"


@pytest.mark.parametrize("umask, mode", [("022", 0o644), ("027", 0o640), ("077", 0o600)])
def test_the_file_has_the_mode_the_users_umask_gives(tmp_path, umask, mode):
    target = tmp_path / "volume.pdf"
    subprocess.run([sys.executable, "-c", WRITE, str(target), umask], check=True)
    assert target.read_bytes() == b"%PDF"
    assert target.stat().st_mode & 0o777 == mode


def test_the_umask_is_never_changed(tmp_path, monkeypatch):
    def forbidden(_mask):
        raise AssertionError("os.umask changes the mask of every thread of the process")

    monkeypatch.setattr(atomic.os, "umask", forbidden)
    write_atomically(tmp_path / "a" / "b.pdf", b"whole")
    write_atomically(tmp_path / "a" / "b.pdf", b"whole again")
    assert (tmp_path / "a" / "b.pdf").read_bytes() == b"whole again"
    assert [p.name for p in (tmp_path / "a").iterdir()] == ["b.pdf"]


def test_a_failed_write_leaves_the_previous_file_and_no_temporary(tmp_path, monkeypatch):
    target = tmp_path / "v.pdf"
    target.write_bytes(b"previous")

    def full_disk(_fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic.os, "fsync", full_disk)
    with pytest.raises(OSError):
        write_atomically(target, b"new")
    assert target.read_bytes() == b"previous" and [p.name for p in tmp_path.iterdir()] == ["v.pdf"]


def test_the_disk_refusing_is_said_for_an_editor():
    import errno

    from publisher.atomic import disk_refusal

    full = OSError(errno.ENOSPC, "No space left on device", "/livre/fiches/alpha.md")
    assert disk_refusal(full).startswith("le disque est plein")
    locked = OSError(errno.EROFS, "Read-only file system", "/livre/fiches/alpha.md")
    assert "lecture seule" in disk_refusal(locked) and "alpha.md ne peut pas être écrit" in disk_refusal(locked)
    assert "alpha.md ne peut pas être lu" in disk_refusal(locked, writing=False)
    gone = FileNotFoundError(errno.ENOENT, "No such file or directory", "/livre/fiches/alpha.md")
    assert "alpha.md a disparu" in disk_refusal(gone)

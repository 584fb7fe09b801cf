"""The layout cache keeps and forgets only its own folders, wherever $PUBLISHER_CACHE points."""

from __future__ import annotations

import os
import time
from datetime import date

from publisher.build import build_volume
from publisher.layout.cache import MARKER, PartCache, forget_old

from ..conftest import MINIBOOK

LONG_AGO = time.time() - 90 * 86400


def aged(folder):
    os.utime(folder, (LONG_AGO, LONG_AGO))
    return folder


def test_only_the_caches_own_old_folders_are_deleted(tmp_path, monkeypatch):
    home = tmp_path / "home"                       # as if PUBLISHER_CACHE were someone's home folder
    monkeypatch.setenv("PUBLISHER_CACHE", str(home))
    photos = home / "Photos"
    photos.mkdir(parents=True)
    (photos / "vacances.jpg").write_bytes(b"\xff\xd8\xff")
    lookalike = home / ("0123456789abcdef0123")      # named like a cache folder, but not made by it
    lookalike.mkdir()
    (lookalike / "notes.txt").write_text("à garder", encoding="utf-8")
    build_volume(MINIBOOK, tmp_path / "old" / "v.pdf", today=date(2025, 1, 15))
    old = PartCache.of(tmp_path / "old" / "v.pdf").folder
    assert (old / MARKER).is_file() and list(old.glob("*.part"))
    for folder in (photos, lookalike, old):
        aged(folder)

    build_volume(MINIBOOK, tmp_path / "new" / "v.pdf", today=date(2025, 1, 15))   # a build tidies the cache

    assert (photos / "vacances.jpg").read_bytes() == b"\xff\xd8\xff"
    assert (lookalike / "notes.txt").read_text(encoding="utf-8") == "à garder"
    assert not old.exists()                        # the cache's own folder, unused for 90 days
    assert PartCache.of(tmp_path / "new" / "v.pdf").folder.is_dir()


def test_a_symbolic_link_named_like_a_cache_folder_is_not_followed(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / MARKER).write_text("", encoding="utf-8")
    (elsewhere / "precious.txt").write_text("x", encoding="utf-8")
    home = tmp_path / "cache"
    home.mkdir()
    link = home / "fedcba9876543210fedc"
    link.symlink_to(elsewhere, target_is_directory=True)
    os.utime(link, (LONG_AGO, LONG_AGO), follow_symlinks=False)
    aged(elsewhere)
    forget_old(home)
    assert (elsewhere / "precious.txt").exists() and link.is_symlink()

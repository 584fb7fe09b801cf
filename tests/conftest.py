"""Shared fixtures: books built once per session, and readers of their PDF text."""

from __future__ import annotations

import contextlib
import faulthandler
import functools
import html
import re
import shutil
import signal
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from publisher.build import BuildResult, build_volume

ROOT = Path(__file__).resolve().parent.parent
BOOK = ROOT / "book"            # the live book, that editors change: only tests/test_live_book.py reads it
FIXTURES = Path(__file__).resolve().parent / "fixtures"
CHROMIUM = Path("/usr/bin/chromium")
# A frozen copy of the real book (13 fiches, December 2026), its text put; only its first and last
# fiches have a sentence more, a link to each other (a « voir p. N » between the first and last parts).
VOLUME = FIXTURES / "volume"
MINIBOOK = FIXTURES / "minibook"
SEEDS = ROOT / "sources" / "export"     # the two website exports the fiches were imported from


# A desk laid out in the tests' own process (and its layout processes, forked) says where it is on SIGUSR1,
# as the command does: tests/stacks.py asks it when a test waited too long.
faulthandler.register(signal.SIGUSR1, file=sys.__stderr__, all_threads=True)


@pytest.fixture(autouse=True, scope="session")
def part_cache(tmp_path_factory):
    """The layout cache of the tests' builds in a folder of their own, not the user's ~/.cache."""
    folder = tmp_path_factory.mktemp("cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PUBLISHER_CACHE", str(folder))
        yield folder


def normalise(text: str) -> str:
    """PDF text as a reader sees it: hyphenated line ends joined, spaces folded."""
    text = re.sub(r"[\u2010\u00ad]\n\s*", "", text)            # a word the layout cut: whole again
    text = re.sub(r"(?<=\w)-\n\s*(?=\w)", "-", text)            # a line ending after a compound's own hyphen
    text = re.sub(r"[\s\u00a0\u202f\u2009]+", " ", text)
    return text.strip()


class Pdf:
    def __init__(self, path: Path):
        self.path = path
        self.reader = PdfReader(str(path))
        # poppler reads in position order (running head first), as a preflight tool does
        out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True,
                             capture_output=True, text=True).stdout
        self.raw = out.split("\f")[: len(self.reader.pages)]
        self.text = [normalise(t) for t in self.raw]

    @functools.cached_property
    def layer(self) -> list[str]:
        """Each page's text as pypdf reads it: the characters themselves, U+202F
        and U+00A0 included (pdftotext turns every space into U+0020)."""
        return [page.extract_text() for page in self.reader.pages]

    def foot(self, number: int, height_mm: float = 18) -> str:
        """The text in the bottom ``height_mm`` of page ``number``'s trimmed page: where the folio is
        (read by position, so that a two-column page cannot put it anywhere else)."""
        page = self.reader.pages[number - 1]
        box = page.trimbox
        media = page.mediabox
        height = height_mm * 72 / 25.4
        top = float(media.top) - float(box.bottom) - height       # pdftotext measures from the top
        out = subprocess.run(["pdftotext", "-enc", "UTF-8", "-f", str(number), "-l", str(number),
                              "-x", str(int(float(box.left))), "-y", str(int(top)),
                              "-W", str(int(float(box.width))), "-H", str(int(height)), str(self.path), "-"],
                             check=True, capture_output=True, text=True).stdout
        return normalise(out)

    def read_through(self, top_mm: float = 20, bottom_mm: float = 22) -> str:
        """The pages' text blocks one after the other, without their running heads and folios (the margins
        of book.yaml): a sentence a page turn cuts reads whole."""
        parts = []
        for number, page in enumerate(self.reader.pages, start=1):
            box, media = page.trimbox, page.mediabox
            top = float(media.top) - float(box.top) + top_mm * 72 / 25.4
            height = float(box.height) - (top_mm + bottom_mm) * 72 / 25.4
            out = subprocess.run(["pdftotext", "-enc", "UTF-8", "-f", str(number), "-l", str(number),
                                  "-x", str(int(float(box.left) - float(media.left))), "-y", str(int(top)),
                                  "-W", str(int(float(box.width))), "-H", str(int(height)), str(self.path), "-"],
                                 check=True, capture_output=True, text=True).stdout
            parts.append(out)
        return normalise("\n".join(parts))

    def __len__(self) -> int:
        return len(self.text)

    def words(self, number: int) -> list[tuple[float, float, float, float, str]]:
        """(left, top, right, bottom, word) of each word of page ``number``, in points from the trimmed
        page's top left corner, as poppler reads them (a glyph's box: its advance, not its ink)."""
        page = self.reader.pages[number - 1]
        dx = float(page.trimbox.left) - float(page.mediabox.left)
        dy = float(page.mediabox.top) - float(page.trimbox.top)
        out = subprocess.run(["pdftotext", "-bbox", "-f", str(number), "-l", str(number), str(self.path), "-"],
                             check=True, capture_output=True, text=True).stdout
        return [(float(a) - dx, float(b) - dy, float(c) - dx, float(d) - dy, html.unescape(w)) for a, b, c, d, w in
                re.findall(r'<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)">([^<]*)</word>',
                           out)]

    def pages_with(self, words: str) -> list[int]:
        needle = normalise(words)
        return [i + 1 for i, t in enumerate(self.text) if needle in t]


@pytest.fixture(scope="session")
def volume(tmp_path_factory, worker_id) -> tuple[BuildResult, Pdf]:
    out = tmp_path_factory.mktemp("volume") / "volume.pdf"
    with laid_out_once(tmp_path_factory, worker_id, "volume", out):
        # The real book still has its editors' open questions: a working print, as `make book` makes.
        result = build_volume(VOLUME, out, today=date(2025, 1, 15), allow_open_questions=True)
    return result, Pdf(out)


@contextlib.contextmanager
def laid_out_once(tmp_path_factory, worker_id: str, name: str, out: Path):
    """With the tests spread over processes (``make test``: pytest-xdist), a book that several of
    them build is laid out by the first one only: the others find its parts in the layout cache,
    and build exactly the same PDF, joined from them."""
    if worker_id == "master":                            # one process: nothing to share
        yield
        return
    from filelock import FileLock

    from publisher.layout import PartCache

    shared = tmp_path_factory.getbasetemp().parent / f"parts-{name}"
    with FileLock(f"{shared}.lock"):
        mine = PartCache.of(out).folder
        if shared.is_dir():
            shutil.copytree(shared, mine, dirs_exist_ok=True)
        yield
        if not shared.is_dir():
            shutil.copytree(mine, shared)


@pytest.fixture(scope="session")
def minibook(tmp_path_factory) -> tuple[BuildResult, Pdf]:
    out = tmp_path_factory.mktemp("mini") / "mini.pdf"
    result = build_volume(MINIBOOK, out, today=date(2025, 1, 15))
    return result, Pdf(out)


STUCK_S = 240          # a browser test still running after this is stuck (the longest take about a minute)


@pytest.fixture(autouse=True)
def stuck_browser_ends(request):
    """A browser test stuck in a Playwright call that has no timeout (a mouse click, an evaluate) says where
    and fails, instead of holding the suite for good (tests/stacks.py)."""
    if "browser" not in request.fixturenames:
        yield
        return
    import os
    import threading

    from .stacks import end_stuck_browser

    watchdog = threading.Timer(STUCK_S, end_stuck_browser, (os.getpid(),))
    watchdog.daemon = True
    watchdog.start()
    yield
    watchdog.cancel()


@pytest.fixture(scope="module")
def browser():
    """Debian's chromium driven by Playwright (never a downloaded browser), one per test file."""
    if not CHROMIUM.exists():
        pytest.fail("Debian's chromium is missing: make test installs it (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield launched
        launched.close()


@pytest.fixture
def book_copy(tmp_path) -> Path:
    """A writable copy of the mini book, for tests that break it."""
    target = tmp_path / "book"
    shutil.copytree(MINIBOOK, target)
    return target


# The longest files of the suite (measured with --durations), started first: with two workers given the
# files in the order collected (pytest-xdist --dist loadfile), the long ones at the end would leave one
# worker running them alone.
LONGEST_FIRST = ("tests/desk/test_office.py", "tests/desk/test_marks_browser.py", "tests/render/test_epub.py",
                 "tests/collect/test_readers.py", "tests/layout/test_tagged.py", "tests/proof/test_proof.py")


def pytest_collection_modifyitems(items):
    rank = {name: k for k, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::")[0], len(rank)))

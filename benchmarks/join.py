"""Benchmark: the book's parts joined into one PDF (joined.joining, pikepdf), time and memory.

    .venv/bin/python benchmarks/join.py [--size 800]

The book of about ``size`` pages (bench.make_book) is laid out once, its parts' PDFs kept; the project's own
``joined.joining`` then joins them in a new process and writes the book: every part's pages appended, structure
trees, bookmarks and named destinations merged, font subsets named apart, each page with its folio laid over
as a form, blank pages, the layout's findings. Before issue 30 the join was pypdf's: 5,4 s and +172 Mo at
800 pages (BENCHMARKS.md, measure I). Nothing here is a test.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from bench import make_book

LAY = """
import pickle, sys
from pathlib import Path
import publisher.layout.parts as parts
from publisher.build import prepare
from publisher.layout import PartCache, lay_out
joining = parts.joining
def kept(*args):
    with open(sys.argv[2], "wb") as out:
        pickle.dump(args, out)
    return joining(*args)
parts.joining = kept
book, _ = prepare(Path(sys.argv[1]))
lay_out(book, cache=PartCache(None))
"""

JOIN = """
import gc, pickle, sys, time
from publisher.layout.joined import joining
def rss():
    with open("/proc/self/status") as status:
        return next(int(row.split()[1]) // 1024 for row in status if row.startswith("VmRSS"))
with open(sys.argv[1], "rb") as kept:
    args = pickle.load(kept)
laid = args[0]
gc.collect()
before, started = rss(), time.perf_counter()
written = joining(*args)().pdf
print(time.perf_counter() - started, rss() - before, len(written) / 1e6, len(laid))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=800)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="publisher-join-") as work:
        kept = Path(work) / "parts.pickle"
        subprocess.run([sys.executable, "-c", LAY, str(make_book(args.size, Path(work))), str(kept)],
                       capture_output=True, check=True)
        done = subprocess.run([sys.executable, "-c", JOIN, str(kept)], capture_output=True, text=True)
        if done.returncode:
            raise SystemExit(f"échec de la réunion :\n{done.stderr[-2000:]}")
        seconds, mb, size, parts = done.stdout.split()
        print(f"réunion ({args.size}) : {float(seconds):5.2f} s, +{mb} Mo, {float(size):.1f} Mo écrits, {parts} parties",
              flush=True)


if __name__ == "__main__":
    main()

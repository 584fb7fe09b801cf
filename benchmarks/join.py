"""Benchmark: the book's parts joined by pypdf (parts.join) and by pikepdf (qpdf), time and memory.

    .venv/bin/python benchmarks/join.py [--size 800]

The book of about ``size`` pages (bench.make_book) is laid out once, its parts' PDFs kept; each tool then
joins them in a new process of its own and writes the book: every part's pages appended, each page with its
folio laid over as a form. pypdf is the project's own ``parts.join`` (structure trees merged, font subsets
named apart, links, blank pages, the layout's findings); the pikepdf side does the appending and the folios
only — what it would take to do the rest is what issue 30 (point 3) asks to weigh. Nothing here is a test.
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
joining = parts.join
def kept(*args):
    with open(sys.argv[2], "wb") as out:
        pickle.dump(args, out)
    return joining(*args)
parts.join = kept
book, _ = prepare(Path(sys.argv[1]))
lay_out(book, cache=PartCache(None))
"""

JOIN = """
import gc, io, pickle, sys, time
def rss():
    with open("/proc/self/status") as status:
        return next(int(row.split()[1]) // 1024 for row in status if row.startswith("VmRSS"))
with open(sys.argv[2], "rb") as kept:
    args = pickle.load(kept)
laid, folios = args[0], args[3]
gc.collect()
before, started = rss(), time.perf_counter()
out = io.BytesIO()
if sys.argv[1] == "pypdf":
    from publisher.layout.parts import join
    join(*args).writer.write(out)
else:
    import pikepdf
    book = pikepdf.new()
    opened = [pikepdf.open(io.BytesIO(part.pdf)) for part in [*laid, folios]]      # open until the book is saved
    for part, source in zip(laid, opened):
        book.pages.extend(source.pages[:part.page_count])
    for page, folio in zip(book.pages, opened[-1].pages):
        name = page.add_resource(book.copy_foreign(folio.as_form_xobject()), pikepdf.Name.XObject, prefix="Folio")
        page.contents_add(pikepdf.Stream(book, f"q /Artifact BMC {name} Do EMC Q".encode()), prepend=False)
    book.save(out)
print(time.perf_counter() - started, rss() - before, len(out.getvalue()) / 1e6, len(laid))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=800)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="publisher-join-") as work:
        kept = Path(work) / "parts.pickle"
        subprocess.run([sys.executable, "-c", LAY, str(make_book(args.size, Path(work))), str(kept)],
                       capture_output=True, check=True)
        for tool in ("pypdf", "pikepdf"):
            done = subprocess.run([sys.executable, "-c", JOIN, tool, str(kept)], capture_output=True, text=True)
            if done.returncode:
                raise SystemExit(f"échec de la réunion par {tool} :\n{done.stderr[-2000:]}")
            seconds, mb, size, parts = done.stdout.split()
            print(f"réunion ({args.size}) par {tool:<8} : {float(seconds):5.2f} s, +{mb} Mo, "
                  f"{float(size):.1f} Mo écrits, {parts} parties", flush=True)


if __name__ == "__main__":
    main()

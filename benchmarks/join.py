"""Benchmark: the book's parts joined by pypdf (as parts.join does) and by pikepdf (qpdf), time and memory.

    .venv/bin/python benchmarks/join.py [--size 800]

The book of about ``size`` pages (bench.make_book) is laid out once, its parts' PDFs kept; each tool then
joins them in a new process of its own and writes the book: every part's pages appended, each page with its
folio laid over as a form. pypdf does it with the project's own helpers (structure trees merged, font
subsets named apart); the pikepdf side does the appending and the folios only — what it would take to do
the rest is what issue 30 (point 3) asks to weigh. Nothing here is a test.
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
def kept(laid, starts, layouts, folios, pad_to, root):
    with open(sys.argv[2], "wb") as out:
        pickle.dump(([p.pdf for p in laid], [p.page_count for p in laid], folios.pdf), out)
    return joining(laid, starts, layouts, folios, pad_to, root)
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
    pdfs, counts, folios = pickle.load(kept)
gc.collect()
before, started = rss(), time.perf_counter()
if sys.argv[1] == "pypdf":
    from pypdf import PdfReader, PdfWriter
    from publisher.layout.pdf import lay_over, merge_structure, tidy_fonts
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdfs[0])))
    for number in reversed(range(counts[0], len(writer.pages))):
        writer.remove_page(number)
    tidy_fonts(writer.pages, None)
    for k, (pdf, count) in enumerate(zip(pdfs[1:], counts[1:]), start=1):
        first, reader = len(writer.pages), PdfReader(io.BytesIO(pdf))
        writer.append(reader, pages=(0, count))
        merge_structure(writer, reader, writer.pages[first:], reader.pages[:count])
        tidy_fonts(writer.pages[first:], str(k))
    folio_pages = PdfReader(io.BytesIO(folios)).pages
    tidy_fonts(folio_pages, "folios")
    for number, (page, folio) in enumerate(zip(writer.pages, folio_pages), start=1):
        lay_over(writer, page, folio, f"Folio{number}")
    out = io.BytesIO()
    writer.write(out)
else:
    import pikepdf
    book = pikepdf.new()
    opened = [pikepdf.open(io.BytesIO(pdf)) for pdf in [*pdfs, folios]]     # open until the book is saved
    for part, count in zip(opened, counts):
        book.pages.extend(part.pages[:count])
    for page, folio in zip(book.pages, opened[-1].pages):
        name = page.add_resource(book.copy_foreign(folio.as_form_xobject()), pikepdf.Name.XObject, prefix="Folio")
        page.contents_add(pikepdf.Stream(book, f"q /Artifact BMC {name} Do EMC Q".encode()), prepend=False)
    out = io.BytesIO()
    book.save(out)
print(time.perf_counter() - started, rss() - before, len(out.getvalue()) / 1e6, len(pdfs))
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

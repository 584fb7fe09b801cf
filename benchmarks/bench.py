"""Benchmark: how long the volume takes to build, at 200 and 800 pages, against one WeasyPrint document.

    make bench                      # or: .venv/bin/python benchmarks/bench.py [--sizes 200 800]

Books of about 200 and 800 pages are made from the real fiches (the book/ folder
repeated: footnotes, glossary, index and cross-references included) in a
temporary folder. For each size it prints, one line per measure:

- the cold build: ``publisher build`` in a new process (wall time, pages, s/page, peak memory);
- the rebuild with nothing changed, then after one fiche is edited;
- the baseline: the same HTML and CSS as one WeasyPrint document in one process — the volume's HTML, its
  contents, Glossaire, Index and « voir p. N » printing the pages the volume found (given it, untimed);
  and, for the figures of BENCHMARKS.md's measures A to R, the same without those numbers;
- the ratio cold / baseline, and the targets of issue 7 beside each figure;
- at the first size, the line breaker's share of a cold build (in one process, where its own computing
  is timed; the same build without it, for what the page-turn rule's layouts add)
  and the colour of the volume's pages (colour.py), issue 29's targets.

Nothing here is a test: the figures depend on the machine (see BENCHMARKS.md).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path


from publisher.proof.watch import POLL_SECONDS
from publisher.source import fichefile

ROOT = Path(__file__).resolve().parent.parent
BOOK = ROOT / "book"
BIN = Path(sys.executable).parent
PAGES_PER_COPY = 50          # the volume's fiches fill about 50 pages; the front and back matter the rest


def make_book(target_pages: int, into: Path) -> Path:
    """book/ with its fiches repeated until the volume has about ``target_pages`` pages."""
    copies = max(1, math.ceil((target_pages - 14) / PAGES_PER_COPY))
    root = into / f"livre-{target_pages}"
    shutil.copytree(BOOK, root)
    fiches = sorted((root / "fiches").glob("*.md"))
    for k in range(2, copies + 1):
        for path in fiches:
            fiche = fichefile.read(path)
            title = f"{fiche.values()['title']} ({k})"
            copy = fichefile.rewrite(fiche, {"number": None, "title": title})      # numbers stay unique
            (root / "fiches" / f"{path.stem}-{k}.md").write_text(copy, encoding="utf-8")
    return root


def measured(command: list[str]) -> tuple[float, int, str]:
    """Wall time, peak memory (MB) of ``command`` in its own process, and what it printed."""
    probe = ("import resource, subprocess, sys, time\n"
             "t = time.perf_counter()\n"
             "r = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
             "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, r.returncode)\n"
             "sys.stderr.write(r.stderr)\n")
    done = subprocess.run([sys.executable, "-c", probe, *command], capture_output=True, text=True)
    seconds, kb, code = done.stdout.split()
    if code != "0":
        raise SystemExit(f"échec de {' '.join(command)} :\n{done.stderr[-2000:]}")
    return float(seconds), int(kb) // 1024, done.stderr


BASELINE = """
import json, sys, time
from pathlib import Path
from publisher.build import prepare
from publisher.paths import LAYOUTS
from publisher.render.html import render_html, render_page_css
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
book, _ = prepare(Path(sys.argv[1]))
pages = json.loads(Path(sys.argv[3]).read_text()) if len(sys.argv) > 3 else None
html, page_css = render_html(book, pages=pages), render_page_css(book)
started = time.perf_counter()
fonts = FontConfiguration()
css = [CSS(filename=str(LAYOUTS / "print.css"), font_config=fonts), CSS(string=page_css, font_config=fonts)]
document = HTML(string=html, base_url=str(book.root) + "/").render(stylesheets=css, font_config=fonts)
document.write_pdf(sys.argv[2])
print(len(document.pages))
"""


NUMBERS = """
import json, sys
from pathlib import Path
from publisher.build import prepare
from publisher.layout import PartCache, lay_out
book, _ = prepare(Path(sys.argv[1]))
laid = lay_out(book, cache=PartCache.of(Path(sys.argv[2])))      # the volume just built: from its cache
Path(sys.argv[3]).write_text(json.dumps(laid.anchor_pages()))
"""


WARM_PROOF = """
import gc, shutil, sys, time
from pathlib import Path
from publisher.layout import EACH_FICHE, PartCache
from publisher.memo import Memo
from publisher.proof import build_proof
import weasyprint  # noqa: F401  as publisher proof --watch: loaded once
root, out = Path(sys.argv[1]), Path(sys.argv[2])
cache, drawn, memo = PartCache.of(out), {}, Memo()        # what proof --watch keeps from one proof to the next
started = time.perf_counter()
first = build_proof(root, out, cache=cache, runs=EACH_FICHE, drawn=drawn, memo=memo)
cache.save()
cold = time.perf_counter() - started
gc.collect(1)
fiche = root / "fiches" / sys.argv[3]
for text in (" Une phrase ajoutée en relecture.", " Et une autre, ajoutée ensuite."):
    fiche.write_text(fiche.read_text(encoding="utf-8") + text, encoding="utf-8")
    started = time.perf_counter()
    again = build_proof(root, out, cache=cache, runs=EACH_FICHE, drawn=drawn, memo=memo)
    cache.save()
    print(cold, time.perf_counter() - started, again.laid_out, again.pages)
    gc.collect(1)                                         # as proof --watch does while it waits (proof/watch.py)
"""


BREAKER = """
import importlib, os, sys, tempfile, time
from pathlib import Path
import publisher.build as build
import publisher.layout as layout
from publisher.build import build_volume
paginate = importlib.import_module("publisher.layout.paginate")
build.cores = layout.cores = lambda: 1    # the whole layout in this process: its breaking is timed
breaking, spent = paginate.set_justified, [0.0]
def timed(*args, **kwargs):
    started = time.perf_counter()
    try:
        return breaking(*args, **kwargs)
    finally:
        spent[0] += time.perf_counter() - started
paginate.set_justified = timed
if sys.argv[2] == "sans":
    paginate.measure_of = lambda root: None                                 # no measure: no breaker
os.environ["PUBLISHER_CACHE"] = tempfile.mkdtemp()                          # cold: an empty cache
started = time.perf_counter()
done = build_volume(Path(sys.argv[1]), Path(tempfile.mkdtemp()) / "volume.pdf", allow_open_questions=True)
print(time.perf_counter() - started, done.pages, spent[0], sum(done.paginated.layouts))
"""


def breaker_share(root: Path, size: int) -> None:
    """The line breaker's cost in a cold build (``publisher build`` with an empty cache, in one process):
    its own computing — measuring, hyphenating, choosing the breaks, writing the lines — timed where it
    runs; and, apart, what the rule « no word cut at the foot of a right-hand page » adds: the parts laid
    out again once their page turns are known, a cost of that rule, not of the breaking (with WeasyPrint's
    own breaking the rule would need them too)."""
    times = {}
    for label in ("avec", "sans"):                  # each a cold build: a new process, an empty cache
        done = subprocess.run([sys.executable, "-c", BREAKER, str(root), label], capture_output=True, text=True,
                              check=True)
        seconds, pages, breaking, layouts = done.stdout.split()
        times[label] = (float(seconds), int(pages), float(breaking), int(layouts))
    (with_it, pages, computing, layouts), (without, _, _, before) = times["avec"], times["sans"]
    share = 100 * computing / with_it
    said = lambda value: f"{value:.1f}".replace(".", ",")          # noqa: E731
    print(f"fabrication à froid ({size}), un processus : avec la coupure {said(with_it)} s, sans {said(without)} s ; "
          f"la coupure elle-même {said(computing)} s, {said(computing / pages * 1000)} ms/page ; "
          f"avec les mises en page refaites pour les pieds de belles pages ({layouts} parties mises en page au "
          f"lieu de {before}, et les passes) {said(100 * (with_it - without) / with_it)} %", flush=True)
    print(f"cible part de la coupure dans la fabrication à froid ({size}): {said(share)} % (≤ 10 %) "
          f"{'tenue' if share <= 10 else 'manquée'}", flush=True)


def colour_of(pdf: Path, size: int) -> None:
    """issue 29's targets on the volume's pages (colour.py)."""
    done = subprocess.run([sys.executable, str(Path(__file__).parent / "colour.py"), str(pdf)],
                          capture_output=True, text=True)
    for row in done.stdout.split("\n"):
        if row.startswith("cible "):
            print(row.replace("cible ", f"cible ({size}) ", 1), flush=True)


def site_of(root: Path, into: Path, size: int) -> None:
    """``publisher site`` after the volume (as `make site` after `make book`): its time and its size."""
    seconds, mb, _ = measured([str(BIN / "publisher"), "site", str(root), "-o", str(into)])
    files = [p for p in into.rglob("*") if p.is_file()]
    pages = sum(1 for p in files if p.suffix == ".html" and "pagefind" not in p.parts)
    print(f"site ({size}) : {pages} pages HTML en {seconds:.2f} s, {sum(p.stat().st_size for p in files) / 1e6:.1f} Mo "
          f"sur disque (dont l'index de recherche {sum(p.stat().st_size for p in files if 'pagefind' in p.parts) / 1e6:.1f}"
          f" Mo), pic {mb} Mo", flush=True)


def target(what: str, figure: str, goal: str, held: bool) -> None:
    """One target of issue 30 beside its figure, as BENCHMARKS.md quotes them."""
    print(f"cible {what}: {figure} ({goal}) {'tenue' if held else 'manquée'}", flush=True)


def ratio(value: float, limit: float) -> tuple[str, str, bool]:
    return f"{value:.2f}".replace(".", ","), f"≤ {limit:g}".replace(".", ","), value <= limit


def pages_of(pdf: Path) -> int:
    from pypdf import PdfReader
    return len(PdfReader(str(pdf)).pages)


def line(name: str, seconds: float, pages: int, mb: int | None, note: str = "") -> dict:
    peak = f"pic {mb:4d} Mo" if mb is not None else "pic    — "
    print(f"{name:<28} {pages:>5} pages  {seconds:7.2f} s  {seconds / pages:6.3f} s/page  {peak}  {note}",
          flush=True)
    return {"name": name, "pages": pages, "seconds": round(seconds, 2), "peak_mb": mb}


def bench(sizes: list[int], keep: Path | None) -> list[dict]:
    work = Path(tempfile.mkdtemp(prefix="publisher-bench-"))
    os.environ.update(SOURCE_DATE_EPOCH="1700000000", PUBLISHER_CACHE=str(work / "cache"))   # cold: empty cache
    results, cold, peaks = [], {}, {}
    print(f"machine : {os.cpu_count()} cœurs, Python {sys.version.split()[0]}", flush=True)
    try:
        for size in sizes:
            root = make_book(size, work)
            out = work / str(size) / "volume.pdf"
            build = [str(BIN / "publisher"), "build", str(root), "--allow-open-questions", "-o", str(out)]
            seconds, mb, _ = measured(build)
            pages = pages_of(out)
            cold[size], peaks[size] = seconds, mb
            results.append(line(f"volume {size} (à froid)", seconds, pages, mb))
            seconds, mb, _ = measured(build)
            results.append(line(f"volume {size} (rien changé)", seconds, pages, mb))
            target(f"rien changé ({size})", f"{seconds:.2f} s".replace(".", ","), "≤ 0,5 s", seconds <= 0.5)
            edit_one_fiche(root)
            seconds, mb, _ = measured(build)
            results.append(line(f"volume {size} (une fiche modifiée)", seconds, pages_of(out), mb))
            base = work / f"baseline-{size}.pdf"
            seconds, mb, _ = measured([sys.executable, "-c", BASELINE, str(root), str(base)])
            before = f"{cold[size] / seconds:.2f}".replace(".", ",")
            results.append(line(f"référence {size} (sans numéros)", seconds, pages_of(base), mb,
                                f"volume à froid / elle : {before} (la référence des mesures A à R)"))
            numbers = work / f"numbers-{size}.json"
            subprocess.run([sys.executable, "-c", NUMBERS, str(root), str(out), str(numbers)], check=True,
                           capture_output=True)
            seconds, mb, _ = measured([sys.executable, "-c", BASELINE, str(root), str(base), str(numbers)])
            results.append(line(f"référence {size} (1 document)", seconds, pages_of(base), mb))
            target(f"volume à froid / un document ({size})", *ratio(cold[size] / seconds, 0.8 if size <= 200 else 0.7))
            if size == sizes[0]:
                colour_of(out, size)
                breaker_share(root, size)
                site_of(root, out.parent / "site", size)
                results += booklets(root, out, work, size, cold[size])
                results += proofs(root, out, work, size)
        results += warm_proof(work)
        results += desk_opening(work)
        if len(sizes) > 1:
            target(f"{sizes[-1]} pages / {sizes[0]} pages", *ratio(cold[sizes[-1]] / cold[sizes[0]], 4))
            target(f"pic de mémoire par processus ({sizes[-1]})", f"{peaks[sizes[-1]]} Mo", "≤ 200 Mo",
                   peaks[sizes[-1]] <= 200)
    finally:
        if keep:
            shutil.copytree(work, keep, dirs_exist_ok=True)
        shutil.rmtree(work, ignore_errors=True)
    return results


def booklets(root: Path, volume: Path, work: Path, size: int, cold: float) -> list[dict]:
    """Every booklet after the volume (as `make booklets` after `make book`), then from an empty cache."""
    out = []
    for label, cache in (("après le volume", os.environ["PUBLISHER_CACHE"]), ("cache vide", str(work / "vide"))):
        into = volume.parent / f"livrets-{len(out)}"
        seconds, mb, _ = measured(["env", f"PUBLISHER_CACHE={cache}", str(BIN / "publisher"), "booklet", str(root),
                                   "--all", "--allow-open-questions", "--into", str(into)])
        out.append(line(f"tous les livrets ({size}, {label})", seconds, sum(pages_of(p) for p in into.glob("*.pdf")), mb))
        target(f"tous les livrets, {label} / volume à froid ({size})",
               *ratio(seconds / cold, 0.3 if label == "après le volume" else 1.2))
    return out


def proofs(root: Path, volume: Path, work: Path, size: int) -> list[dict]:
    """The proof after the volume (as `publisher proof` after `make book`: the volume's pages are its own), then
    from an empty cache."""
    out = []
    for label, cache in (("après le volume", os.environ["PUBLISHER_CACHE"]), ("cache vide", str(work / "vide-epreuve"))):
        proof = volume.with_name("epreuve-vide.pdf" if out else "epreuve.pdf")      # beside the volume
        seconds, mb, _ = measured(["env", f"PUBLISHER_CACHE={cache}", str(BIN / "publisher"), "proof", str(root),
                                   "-o", str(proof)])
        out.append(line(f"épreuve ({size}, {label})", seconds, pages_of(proof), mb))
    return out


def warm_proof(work: Path) -> list[dict]:
    """``publisher proof --watch`` on the real book: the proof after one fiche of at most 6 pages is edited."""
    root = work / "epreuve" / "book"
    shutil.copytree(BOOK, root)
    fiche = sorted((root / "fiches").glob("*.md"))[len(list((root / "fiches").glob("*.md"))) // 2].name
    done = subprocess.run([sys.executable, "-c", WARM_PROOF, str(root), str(work / "epreuve" / "epreuve.pdf"), fiche],
                          capture_output=True, text=True, check=True)
    out = []
    for row in done.stdout.split("\n"):
        if not row.strip():
            continue
        cold, seconds, laid, pages = row.split()
        out.append(line(f"épreuve, fiche {fiche[:4]} modifiée", float(seconds), int(pages), None,
                        f"{laid} partie(s) refaite(s) ; épreuve entière à froid {float(cold):.1f} s"))
    worst = max(row["seconds"] for row in out)
    target("épreuve après une fiche modifiée, processus chaud", f"{worst:.2f} s".replace(".", ","),
           f"≤ 0,8 s, + au plus {POLL_SECONDS} s pour voir l'enregistrement", worst <= 0.8)
    return out


def desk_opening(work: Path) -> list[dict]:
    """``publisher serve`` on the real book, opened a second time with nothing changed: the seconds from the
    command to a state (``GET /etat``) that has pages."""
    root = work / "bureau" / "book"
    shutil.copytree(BOOK, root)
    done = subprocess.run([sys.executable, "-c", DESK_OPENING, str(root), str(work / "bureau" / "dossier")],
                          capture_output=True, text=True, check=True)
    first, again, pages = done.stdout.split()
    row = line("bureau rouvert, livre inchangé", float(again), int(pages), None,
               f"la première fois {float(first):.1f} s")
    target("bureau, première page d'un livre inchangé", f"{float(again):.2f} s".replace(".", ","), "≤ 2 s",
           float(again) <= 2)
    return [row]


DESK_OPENING = """
import http.cookiejar, json, os, re, signal, subprocess, sys, time, urllib.request
root, folder = sys.argv[1], sys.argv[2]
def opened() -> tuple[float, int]:
    started = time.perf_counter()
    serve = subprocess.Popen([os.path.join(os.path.dirname(sys.executable), "publisher"), "serve", root, "--port", "0",
                              "--no-browser"], cwd=folder, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        address = re.search(r"http://\\S+", serve.stdout.readline()).group(0)
        client = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        client.open(address, timeout=10).read()
        while True:
            state = json.load(client.open(address.split("/?")[0] + "/etat", timeout=10))
            if state["pages"]:
                seconds = time.perf_counter() - started
                while state["building"]:                    # the proof brought up to date before it stops
                    time.sleep(0.1)
                    state = json.load(client.open(address.split("/?")[0] + "/etat", timeout=10))
                return seconds, state["pages"]
            time.sleep(0.02)
    finally:
        serve.send_signal(signal.SIGINT)
        serve.wait(60)
os.makedirs(folder, exist_ok=True)
first, _ = opened()
again, pages = opened()
print(first, again, pages)
"""


def edit_one_fiche(root: Path) -> None:
    """A sentence added at the end of the fiche in the middle of the book, as an editor would."""
    fiches = sorted((root / "fiches").glob("*.md"))
    middle = fiches[len(fiches) // 2]
    middle.write_text(middle.read_text(encoding="utf-8") + "\n\nUne phrase ajoutée en relecture.\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 800])
    parser.add_argument("--json", type=Path, help="écrire aussi les mesures dans ce fichier")
    parser.add_argument("--keep", type=Path, help="garder les livres et PDF produits dans ce dossier")
    args = parser.parse_args()
    results = bench(args.sizes, args.keep)
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()

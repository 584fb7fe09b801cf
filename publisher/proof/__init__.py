"""Proofreaders' drafts: ``publisher proof [BOOK] [FICHE…] [--since PREVIOUS]``.

The book (or the named fiches) on the volume's own pages — laid out once for both: a fiche
without an editor's comment comes from the volume's cache when ``make book`` ran —, cut to
the page (no bleed) and widened by a column for notes, with « ÉPREUVE — date — version »
on every page, line numbers counted per page (« p. 12, l. 8 »), every open question — the editors'
CriticMarkup and the diagnostics of ``publisher check`` — as a note in the
margin at its line, and in front, the « Questions ouvertes » pages that list
them all with page and line. With ``--since``, bars mark the paragraphs that
changed since an earlier proof. A data file beside the PDF (``.json``) is what
the next ``--since`` compares with.
"""

from __future__ import annotations

import io
import os
import subprocess
from dataclasses import dataclass, replace
from datetime import date, datetime, timezone
from pathlib import Path

from babel.dates import format_date
import pikepdf

from ..atomic import write_atomically
from ..build import layout_notes, prepare
from ..diagnostics import Diagnostic, PublisherError, error, relative
from ..enrich import enrich
from ..layout.paginate import process_styles
from ..layout.worker import collecting_less
from ..layout import PartCache, Progress, get_ready, lay_out, volume_page_numbers
from ..layout.pdf import blank_page, draw_over, form_of, lay_over, trimmed
from ..memo import Memo
from ..model import Book, Fiche, PrintSetup
from ..paths import FONTS, LAYOUTS
from ..render.booklet import concerning, keep_fiches, refers_outside
from ..render.html import environment, render_page_css
from ..source.load import load_book
from ..source.resources import Allowed
from . import trail
from .changes import Changes, changes_since, sidecar
from .drawings import Drawings, Drawn
from .geometry import PT_PER_PX, Geometry, geometry_of
from .glyphs import with_lefts
from .questions import Question, gather, place
from .sheets import MM, NOTES_MM, Sheet, sheets

__all__ = ["STAMP_NAME", "ProofResult", "blank_stamp", "build_proof"]

STAMP_MARKER = b"%publisher: the proof's stamp"     # opens the stamp's drawing in the PDF (blank_stamp)
STAMP_NAME = "Stamp"                                # the stamp's drawing among each page's XObjects


@dataclass(frozen=True)
class ProofResult:
    output: Path
    pages: int                      # the proof's pages, the questions' pages in front included
    questions: tuple[Question, ...]
    changes: Changes | None
    diagnostics: tuple[Diagnostic, ...]
    geometry: Geometry              # where lines, paragraphs and questions are on the book's pages
    laid_out: int = 0               # parts laid out by WeasyPrint (the others came from the cache)
    proof_id: str = ""              # its map's name in book/.proofs (collect finds it there)
    stamp: str = ""                 # « ÉPREUVE — 6 décembre 2026 — version 3956a4e », on every page


@collecting_less()     # a warm process's heap is large: a full collection mid-proof cost 50–70 ms
def build_proof(root: Path, output: Path, fiches: tuple[str, ...] = (), since: str | None = None,
                today: date | None = None, cache: PartCache | None = None, runs: int | None = None,
                drawn: dict | None = None, progress: Progress | None = None, memo: Memo | None = None) -> ProofResult:
    """``cache``: the parts already laid out (by default, the proof's cache, which reads the volume's beside
    ``output`` too), ``drawn``: the sheets already drawn, ``memo``: the fiches already prepared (``--watch``
    keeps all three from one proof to the next); ``runs``: how many parts of fiches (one per core by default;
    one per fiche when watching)."""
    first_in_process = memo is not None and not memo.kept         # a warm process's first proof
    own_cache = cache is None
    if cache is None:
        cache = cache_of(output)
    book, diagnostics = prepare(root, memo)                        # load · enrich · check
    book, diagnostics = chosen(book, diagnostics, fiches, today, cache)   # the named fiches only
    book = for_proof(book)
    # dated the day of the proof, not the last edit: an edit leaves the front matter in the cache
    day = datetime.combine(today or date.today(), datetime.min.time(), tzinfo=timezone.utc)
    laid = lay_out(book, today, proof=True, cache=cache, runs=runs, made=day,   # html · paginate: the volume's pages
                   progress=progress, warm=memo is not None)
    diagnostics = diagnostics + layout_notes(laid, book)
    document = laid.opened()
    laid_pages = with_lefts(document, laid.pages, memo)            # each character's place, read before the sheets
    for page in document.pages:
        trimmed(document, page, NOTES_MM * MM * PT_PER_PX)         # no bleed; the notes' column, in points
    geometry = geometry_of(laid_pages, NOTES_MM * MM)
    questions = place(gather(book, diagnostics), geometry)         # each open question at its page and line
    changes = changes_since(book, since, load_enriched) if since else None
    stamp = stamp_of(book, today)
    kept: list[tuple[str, bytes]] = []

    def mark(front: int) -> str:
        data = trail.map_of(book, laid_pages, geometry, stamp, front)
        kept.append(trail.encoded(data))
        return kept[-1][0]

    pdf, pages = assemble(document, book, geometry, questions, changes, stamp, drawn, mark, cache)
    trail.keep(book.root, *kept[-1])                # the map first: a proof without its map is no use
    write_atomically(output, pdf)
    if own_cache:
        cache.save()
    write_atomically(Path(output).with_suffix(".json"), sidecar(book, stamp).encode("utf-8"))
    if first_in_process:                            # the next edit is laid out here
        get_ready(book, today, proof=True)
    return ProofResult(Path(output), pages, tuple(questions), changes, tuple(diagnostics), geometry,
                       sum(laid.layouts), kept[-1][0], stamp)


def cache_of(output: Path) -> PartCache:
    """The proof's parts' cache, which reads the volume's beside ``output`` too (`make book`'s): its pages."""
    return PartCache.of(output, also=(Path(output).with_name("volume.pdf"),))


def chosen(book: Book, diagnostics: list[Diagnostic], names: tuple[str, ...], today: date | None,
           cache: PartCache) -> tuple[Book, list[Diagnostic]]:
    """``FICHE…``: fiches by file name (without .md) or CAI number; the others' diagnostics set aside. A « voir
    p. N » to a fiche left out prints its page in the volume (laid out for it: from ``cache``, the volume's)."""
    if not names:
        return book, diagnostics
    by_name = {f.id: f for f in book.fiches} | {str(f.number): f for f in book.fiches if f.number is not None}
    unknown = [n for n in names if n not in by_name]
    if unknown:
        raise PublisherError(error(book.config.location, "unknown-fiche",
                                   f"pas de fiche « {unknown[0]} » : donnez le nom d'un fichier de fiches/ (sans .md) "
                                   "ou un numéro de fiche, par ex. " + ", ".join(f.id for f in book.fiches[:2])))
    wanted = {by_name[n].id for n in names}
    picked: tuple[Fiche, ...] = tuple(f for f in book.fiches if f.id in wanted)
    volume_pages = volume_page_numbers(book, today, cache=cache) if refers_outside(picked) else {}
    return keep_fiches(book, picked, volume_pages), concerning(diagnostics, book, picked)


def for_proof(book: Book) -> Book:
    """No blank pages added: a proof is read, not printed. Its pages are otherwise the volume's (bleed, crop marks and
    PDF variant included: the same layout), cut to the page as they are drawn on (:func:`unprinted`)."""
    return replace(book, config=replace(book.config, printing=replace(book.config.printing, pad_to=1)))


def unprinted(book: Book) -> Book:
    """No bleed, no crop marks, no PDF variant: the proof's own pages (its sheets, the questions in front)."""
    return replace(book, config=replace(book.config, printing=PrintSetup(bleed_mm=0, pad_to=1)))


def load_enriched(root: Path) -> Book:
    return enrich(load_book(root)[0])


def stamp_of(book: Book, today: date | None) -> str:
    day = format_date(today or date.today(), format="long", locale="fr_BE")     # the day of the proof
    return f"ÉPREUVE — {day} — {version(book.root)}"


def version(root: Path) -> str:
    """The git version of the sources (« modifiée » when they differ from it), or « hors git »."""
    try:
        # no optional lock: a proof made while the desk commits must not take git's index from it
        described = subprocess.run(["git", "-C", str(root), "describe", "--always", "--dirty=+modifiée"],
                                   check=True, capture_output=True, text=True,
                                   env={**os.environ, "GIT_OPTIONAL_LOCKS": "0"}).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "sources hors git"
    return f"version {described}"


def assemble(document: pikepdf.Pdf, book: Book, geometry: Geometry, questions: list[Question], changes: Changes | None,
             stamp: str, drawn: dict | None = None, mark=None, cache: PartCache | None = None) -> tuple[bytes, int]:
    """The book's pages (``document``, changed here) with their sheets and the stamp laid over, behind the
    « Questions ouvertes » pages.

    ``drawn``: sheets and question pages already drawn, by what they show (``--watch`` keeps
    them: after an edit, only the sheets of the pages that changed are drawn again); ``cache``:
    where they are also kept between processes (drawings.py). The stamp (its version changes
    with every commit) is drawn once, apart from the sheets, and laid over every page."""
    from weasyprint import HTML  # heavy import: only when we really render

    drawings = Drawings({} if drawn is None else drawn, cache if cache is not None and cache.folder else None)
    env = environment(LAYOUTS)
    page_css = render_page_css(unprinted(book), NOTES_MM)
    fonts, fetcher, styles = process_styles().of(("proof-sheets", page_css), lambda: sheet_styles(page_css))

    def render(template: str, **values) -> Drawn:
        html = env.get_template(template).render(**values)
        drawn = pikepdf.open(io.BytesIO(HTML(string=html, base_url=str(LAYOUTS) + "/", url_fetcher=fetcher)
                                        .write_pdf(stylesheets=list(styles), font_config=fonts)))
        return Drawn(drawn, 0, len(drawn.pages))

    page_sheets = sheets(geometry, questions, changes)
    keys = [repr(sheet) for sheet in page_sheets]
    missing = {key: sheet for key, sheet in zip(keys, page_sheets) if drawings.get(key) is None}
    if missing:
        together = render("proof-sheets.html.j2", sheets=list(missing.values()), stamp="").document
        for k, key in enumerate(missing):
            drawings.put(key, Drawn(together, k))
    height = page_sheets[0].height if page_sheets else 0
    [stamp_page] = drawings.of(repr(("stamp", stamp, height)), lambda: render(
        "proof-sheets.html.j2", sheets=[Sheet(height, (), (), ())], stamp=stamp)).pages
    listed = dict(in_text=[q for q in questions if q.page], elsewhere=[q for q in questions if not q.page],
                  changes=changes)
    inserted = drawings.of(repr(("questions", stamp, listed)), lambda: render(
        "proof-questions.html.j2", **listed, stamp=stamp,
        source=lambda q: f"{relative(Path(q.location.path), book.root)}:{q.location.line}")).pages
    drawings.forget_unused()

    stamped = form_of(document, stamp_page, STAMP_MARKER)
    for number, (page, key) in enumerate(zip(document.pages, keys), start=1):
        [sheet] = drawings.memory[key].pages
        lay_over(document, page, sheet, f"Sheet{number}")
        draw_over(document, page, stamped, STAMP_NAME)
    for index, page in enumerate(inserted):
        document.pages.insert(index, page)
    if len(inserted) % 2:               # the book's right-hand pages stay on the right
        document.pages.insert(len(inserted), blank_page(document, document.pages[0]))
    if mark is not None:
        identify(document, mark(len(document.pages) - len(keys)))
    out = io.BytesIO()
    # streams as they are: the stamp's drawing stays uncompressed behind its marker (blank_stamp)
    document.save(out, compress_streams=False, deterministic_id=True)
    return out.getvalue(), len(document.pages)


def sheet_styles(page_css: str) -> tuple:
    """The style sheets of the sheets laid over a proof's pages, parsed once in a process that makes proof
    after proof (layout/paginate.py, Styles): fonts, fetcher, sheets."""
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    from ..layout.sandbox import SandboxFetcher

    fonts = FontConfiguration()
    fetcher = SandboxFetcher(Allowed.of((LAYOUTS, FONTS)))
    styles = [CSS(filename=str(LAYOUTS / name), font_config=fonts, url_fetcher=fetcher)
              for name in ("fonts.css", "proof.css")]
    styles.insert(1, CSS(string=page_css, font_config=fonts, url_fetcher=fetcher))
    return fonts, fetcher, tuple(styles)


def blank_stamp(pdf: bytes) -> bytes:
    """The proof without its stamp, byte for byte the same length (the stamp's drawing, left
    uncompressed behind its marker, turned into spaces): the desk draws its page images from it,
    so that a new version — each commit — does not change every page's image."""
    start = pdf.find(STAMP_MARKER)
    if start < 0:
        return pdf
    end = pdf.index(b"endstream", start)
    return pdf[:start] + b" " * (end - start) + pdf[end:]


def identify(document: pikepdf.Pdf, proof_id: str) -> None:
    """The proof's identifier, where PDF readers keep it: the document information and the XMP (neither says any
    longer that the pages are a PDF/X: they are cut from their bleed)."""
    for key in ("/GTS_PDFXVersion", "/GTS_PDFXConformance"):
        if key in document.docinfo:
            del document.docinfo[key]
    document.docinfo[trail.INFO_KEY] = proof_id
    metadata = pikepdf.Stream(document, trail.xmp(proof_id))
    metadata.Type, metadata.Subtype = pikepdf.Name.Metadata, pikepdf.Name.XML
    document.Root.Metadata = metadata

"""The accessible PDF (--variant pdf/ua-1) as a screen reader meets it, on the frozen volume and a booklet:
tagged on every page, nothing painted outside marked content, the structure tree's text in reading order
the text layer's, one hierarchy of headings, the contents as TOC, the notes as Note reached from their calls.

The text is read by pdfminer, not by the libraries that wrote the file (WeasyPrint, pypdf, pikepdf)."""

from __future__ import annotations

import io
import re
import struct
import subprocess
import sys
import zlib
from dataclasses import dataclass, field
from datetime import date

import pikepdf
import pytest
from pdfminer.pdfdevice import PDFDevice
from pdfminer.pdffont import PDFUnicodeNotDefined
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage

from publisher.build import build_booklets, build_volume, plan_booklets
from publisher.enrich import enrich
from publisher.layout.tagged import kids
from publisher.model import FootnoteRef
from publisher.source.load import load_book
from publisher.tree import all_runs

from ..conftest import VOLUME

TODAY = date(2025, 1, 15)
ARTIFACT = "artifact"


@dataclass
class Painted:
    """What a page paints, in the order it paints it: (page, MCID or ARTIFACT or None, text)."""

    pieces: list = field(default_factory=list)
    tagged_in_artifact: list = field(default_factory=list)


class MarkedContent(PDFDevice):
    def __init__(self, resources, painted: Painted):
        super().__init__(resources)
        self.painted, self.stack, self.page = painted, [], 0

    def begin_page(self, page, ctm):
        self.page += 1

    def begin_tag(self, tag, props=None):
        mcid = props.get("MCID") if isinstance(props, dict) else None
        if mcid is not None and ARTIFACT in self.stack:
            self.painted.tagged_in_artifact.append((self.page, mcid))
        self.stack.append(ARTIFACT if tag.name == "Artifact" else mcid)

    def end_tag(self):
        self.stack.pop()

    def where(self):
        if ARTIFACT in self.stack:
            return ARTIFACT
        return next((m for m in reversed(self.stack) if m is not None), None)

    def render_string(self, textstate, seq, ncs, graphicstate):
        text = ""
        for chunk in seq:
            for cid in textstate.font.decode(chunk) if isinstance(chunk, bytes) else ():
                try:
                    text += textstate.font.to_unichr(cid)
                except PDFUnicodeNotDefined:
                    text += "\ufffd"
        self.painted.pieces.append((self.page, self.where(), text))

    def render_image(self, name, stream):
        self.painted.pieces.append((self.page, self.where(), "<image>"))


def painted(data: bytes) -> Painted:
    out, resources = Painted(), PDFResourceManager()
    interpreter = PDFPageInterpreter(resources, MarkedContent(resources, out))
    for page in PDFPage.get_pages(io.BytesIO(data)):
        interpreter.process_page(page)
    return out


def squash(text: str) -> str:
    """Text without its spaces (a line break, a no-break space, a plain one: all the same to a listener)."""
    return re.sub(r"\s+", "", text)


def elements(pdf) -> list:
    """The structure elements in reading order (depth first), each as (element, its page number)."""
    number = {page.obj.objgen: n for n, page in enumerate(pdf.pages, start=1)}
    out = []

    def walk(element, page):
        page = number[element.Pg.objgen] if "/Pg" in element else page
        out.append((element, page))
        for kid in kids(element):
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                walk(kid, page)

    for top in kids(pdf.Root.StructTreeRoot):
        walk(top, None)
    return out


def ancestors(element) -> list:
    out, parent = [], element.get("/P")
    while parent is not None and "/S" in parent:
        out.append(parent)
        parent = parent.get("/P")
    return out


def marks_in(element, page: int, number: dict):
    """(page, MCID) of everything an element marks, its own and its descendants', in reading order."""
    page = number[element.Pg.objgen] if "/Pg" in element else page
    for kid in kids(element):
        if isinstance(kid, int):
            yield page, int(kid)
        elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
            yield number[kid.Pg.objgen] if "/Pg" in kid else page, int(kid.MCID)
        elif isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            yield from marks_in(kid, page, number)


@dataclass
class Tagged:
    pdf: pikepdf.Pdf
    painted: Painted
    tree: list                 # (element, page), in reading order
    text: dict                 # (page, MCID) → text

    def roles(self, role: str) -> list:
        return [e for e, _ in self.tree if e.S == role]

    def marks(self, element=None) -> list:
        number = {page.obj.objgen: n for n, page in enumerate(self.pdf.pages, start=1)}
        tops = [element] if element is not None else [k for k in kids(self.pdf.Root.StructTreeRoot)]
        return [mark for top in tops for mark in marks_in(top, None, number)]

    def text_of(self, element=None) -> str:
        return "".join(self.text.get(mark, "") for mark in self.marks(element))


def tagged(path) -> Tagged:
    data = path.read_bytes()
    pdf = pikepdf.open(io.BytesIO(data))
    seen = painted(data)
    text: dict = {}
    for page, mark, piece in seen.pieces:
        text[(page, mark)] = text.get((page, mark), "") + piece
    return Tagged(pdf, seen, elements(pdf), text)


@pytest.fixture(scope="module")
def volume_ua(tmp_path_factory):
    out = tmp_path_factory.mktemp("ua") / "volume-numerique.pdf"
    result = build_volume(VOLUME, out, today=TODAY, variant="pdf/ua-1", allow_open_questions=True)
    return result, tagged(out)


@pytest.fixture(scope="module")
def booklet_ua(tmp_path_factory):
    plan = plan_booklets(VOLUME, "Lutte contre le racisme", variant="pdf/ua-1", allow_open_questions=True)
    [(_, result)] = list(build_booklets(plan, tmp_path_factory.mktemp("livret-ua") / "livrets", TODAY))
    return result, tagged(result.output)


@pytest.fixture(params=["volume", "booklet"])
def either(request, volume_ua, booklet_ua):
    return volume_ua if request.param == "volume" else booklet_ua


def test_every_page_has_its_structure_parents(either):
    _, doc = either
    nums = doc.pdf.Root.StructTreeRoot.ParentTree.Nums
    known = {int(nums[i]) for i in range(0, len(nums), 2)}
    keys = [int(page.obj.StructParents) for page in doc.pdf.pages if "/StructParents" in page.obj]
    assert len(keys) == len(doc.pdf.pages) == len(set(keys)) and set(keys) <= known


def test_nothing_is_painted_outside_marked_content(either):
    """Every glyph and image is either tagged content or an artifact (folios, running heads), and no
    tagged content hides inside an artifact."""
    _, doc = either
    loose = [(page, text) for page, mark, text in doc.painted.pieces if mark is None]
    assert not loose and not doc.painted.tagged_in_artifact
    assert sum(1 for _, mark, _ in doc.painted.pieces if mark != ARTIFACT) > 500


def test_the_structure_tree_reads_as_the_text_layer(either):
    """The tree's text in reading order is the text layer, artifacts aside: a screen reader reads
    what the page shows, in the order a sighted reader does, every word once."""
    _, doc = either
    layer = "".join(text for _, mark, text in doc.painted.pieces if mark != ARTIFACT)
    assert doc.text_of() == layer
    reached = doc.marks()
    assert len(reached) == len(set(reached))
    assert all((page, mark) in reached for page, mark, _ in doc.painted.pieces if mark != ARTIFACT)


def test_folios_and_running_heads_are_artifacts(volume_ua):
    result, doc = volume_ua
    fiche = result.book.fiches[1]
    [opening] = [page for e, page in doc.tree if e.S == "/H2" and squash(doc.text_of(e)) == squash(fiche.title)]
    artifacts: dict[int, str] = {}
    for page, mark, text in doc.painted.pieces:
        if mark == ARTIFACT:
            artifacts[page] = artifacts.get(page, "") + text
    assert artifacts[opening].strip() == str(opening)                         # its folio only
    assert squash(result.book.config.title) + str(opening + 1) == squash(artifacts[opening + 1])   # a left page


def test_headings_form_one_hierarchy(volume_ua):
    """H1 the book's title; H2 the contents, every fiche's title, the Glossaire, the Index; their
    sub-headings below; no level skipped, none empty."""
    result, doc = volume_ua
    headings = [(int(str(e.S)[2:]), squash(doc.text_of(e))) for e, _ in doc.tree if re.fullmatch(r"/H[1-6]", str(e.S))]
    assert [text for level, text in headings if level == 1] == [squash(result.book.config.title)]
    assert [text for level, text in headings if level == 2] == [squash(t) for t in (
        ["Sommaire"] + [f.title for f in result.book.fiches] + ["Glossaire des sigles", "Index"])]
    assert len([1 for level, _ in headings if level == 3]) > 10          # the Index's letters, sub-headings
    assert headings[0][0] == 1 and all(b <= a + 1 for (a, _), (b, _) in zip(headings, headings[1:]))
    assert all(text for _, text in headings)


def test_the_contents_are_a_toc_each_entry_leading_to_its_fiche(volume_ua):
    result, doc = volume_ua
    [toc] = doc.roles("/TOC")
    items = [k for k in kids(toc) if isinstance(k, pikepdf.Dictionary) and "/S" in k]
    assert [str(i.S) for i in items] == ["/TOCI"] * (len(result.book.fiches) + 2)
    destinations = dict(zip(*[iter(doc.pdf.Root.Names.Dests.Names)] * 2))
    number = {page.obj.objgen: n for n, page in enumerate(doc.pdf.pages, start=1)}
    for item, fiche in zip(items, result.book.fiches):
        [reference] = [k for k in kids(item) if "/S" in k]
        [link] = [k for k in kids(reference) if "/S" in k]
        assert reference.S == "/Reference" and link.S == "/Link"
        annotations = [k.Obj for k in kids(link) if isinstance(k, pikepdf.Dictionary) and "/Obj" in k]
        assert annotations and len({str(a.Dest) for a in annotations}) == 1     # a title on two lines: one link
        annotation = annotations[0]
        target = number[destinations[str(annotation.Dest)][0].objgen]
        text = doc.text_of(item).replace("\xa0", " ")
        assert str(fiche.year) in text and text.rstrip().endswith(str(target))      # the page it prints
        assert fiche.title[:20] in "".join(t for p, m, t in doc.painted.pieces if p == target).replace("\xa0", " ")


def test_notes_are_notes_reached_from_their_calls(volume_ua):
    _, doc = volume_ua
    book = enrich(load_book(VOLUME)[0])
    notes = doc.roles("/Note")
    assert len(notes) == sum(len(f.footnotes) for f in book.fiches) > 0
    assert len({str(n.ID) for n in notes}) == len(notes)
    destinations = dict(zip(*[iter(doc.pdf.Root.Names.Dests.Names)] * 2))
    nums = doc.pdf.Root.StructTreeRoot.ParentTree.Nums
    parents = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
    called = {}                      # the notes' ids → how many calls the fiches make of each
    for fiche in book.fiches:
        for run in all_runs(fiche):
            if isinstance(run, FootnoteRef):
                first = run.first or run.location
                key = f"fn-{fiche.id}-{first.line}-{run.number}"
                called[key] = called.get(key, 0) + 1
    for note in notes:
        number = re.match(r"(\d+)\.", doc.text_of(note)).group(1)
        calls = [a for p in doc.pdf.pages for a in p.obj.get("/Annots", [])
                 if str(a.get("/Dest", "")).startswith("fn-") and str(a.Dest).endswith(f"-{number}")
                 and destinations[str(a.Dest)][0].objgen == note.Pg.objgen]
        assert calls, (number, doc.text_of(note)[:40])
        dest = str(calls[0].Dest)
        assert all(str(call.Dest) == dest and str(call.get("/Contents", "")).strip() for call in calls), dest
        # one Link element per call (WeasyPrint may give one call two annotations: one Link holds both),
        # a repeated call too
        links = {parents[int(call.StructParent)].objgen for call in calls}
        assert len(links) == called[dest], (dest, len(links), called[dest])


def test_every_link_annotation_has_its_link_element(either):
    _, doc = either
    nums = doc.pdf.Root.StructTreeRoot.ParentTree.Nums
    parents = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
    links = [a for p in doc.pdf.pages for a in p.obj.get("/Annots", []) if a.Subtype == "/Link"]
    assert links and all(parents[int(a.StructParent)].S == "/Link" and str(a.Contents) for a in links)
    for a in links:                   # the element the parent tree names holds the annotation
        held_by = kids(parents[int(a.StructParent)])
        assert a.objgen in {k.Obj.objgen for k in held_by if isinstance(k, pikepdf.Dictionary) and "/Obj" in k}
    held = [[k for k in kids(e) if isinstance(k, pikepdf.Dictionary) and "/Obj" in k] for e in doc.roles("/Link")]
    assert all(held) and sum(map(len, held)) == len(links)
    inside = [e for e in doc.roles("/Link") if any(p.S == "/Link" for p in ancestors(e))]
    assert not inside                 # one Link per link, not one per span of it


def test_title_shown_language_and_file_identifier(either):
    result, doc = either
    root = doc.pdf.Root
    assert root.ViewerPreferences.DisplayDocTitle and root.MarkInfo.Marked and str(root.Lang) == "fr"
    assert squash(str(doc.pdf.docinfo.Title)) == squash(result.book.config.title) and len(doc.pdf.trailer.ID) == 2


def test_pdfua_finds_no_error(either):
    result, _ = either
    out = subprocess.run([sys.executable, "-m", "pdfua", "check", str(result.output)], capture_output=True, text=True)
    assert "errors=0" in out.stdout, out.stdout[-2000:]


def png(width: int, height: int) -> bytes:
    """A grey RGB image, as a PNG."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\x00" + b"\x80" * width * 3 for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def test_figures_say_what_they_show(book_copy, tmp_path):
    """A figure's Alt: the image's alt, else its caption's text; the image painted inside its Figure."""
    from ..checks.test_check import append

    (book_copy / "images").mkdir()
    (book_copy / "images" / "plan.png").write_bytes(png(1200, 900))
    append(book_copy, "beta", "\n::: figure\n![Le plan des locaux](images/plan.png)\n\nLes locaux en 2002.\n:::\n\n"
                              "::: figure\n![](images/plan.png)\n\nLe plan du quartier.\n:::\n")
    build_volume(book_copy, tmp_path / "ua.pdf", today=TODAY, variant="pdf/ua-1", allow_open_questions=True)
    doc = tagged(tmp_path / "ua.pdf")
    assert [str(f.Alt) for f in doc.roles("/Figure")] == ["Le plan des locaux", "Le plan du quartier."]
    images = [(page, mark) for page, mark, text in doc.painted.pieces if text == "<image>"]
    assert sorted(images) == sorted(m for f in doc.roles("/Figure") for m in doc.marks(f))    # each in its Figure

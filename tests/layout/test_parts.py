"""Pagination in parts gives the book a reader would get from one document, page for page."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from dataclasses import replace
from datetime import date, datetime, timezone

import pytest
from pypdf import PdfReader

from publisher.build import prepare
from publisher.layout import EACH_FICHE, PartCache, lay_out, lay_out_whole, layout_of
from publisher.layout.parts import cut, first_pages, page_numbers

from ..conftest import VOLUME

TODAY = date(2025, 1, 15)
MADE = datetime(2025, 1, 15, tzinfo=timezone.utc)     # the PDF's date, else that of the last edit (html.source_date)


def text_per_page(pdf: bytes) -> list[str]:
    out = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True).stdout
    # A glyph has one character in the text layer, the first WeasyPrint meets: the hyphen reads « ‐ »
    # (U+2010, a hyphenation) or « - » depending on where a document starts; the join makes it « - ».
    return out.decode().replace("\u2010", "-").split("\f")[:-1]


@pytest.fixture(scope="module")
def in_parts(volume):
    """The frozen real book as a build lays it out: in parts, one process per core, one part per fiche.
    Its first and last fiches refer to each other (« voir p. N » across parts, both ways)."""
    result, _ = volume
    return result.book, result.paginated


@pytest.fixture(scope="module")
def one_document(in_parts):
    """The same book as one document. It prints the pages the parts found; had its own layout put
    one elsewhere, it would lay the book out again with its own (layout.lay_out_whole)."""
    book, laid = in_parts
    whole = lay_out_whole(book, TODAY, pages=laid.anchor_pages())
    return book, whole, whole.pdf


def in_text(pages):
    """The pages without their margin boxes (a part's folios are drawn over it from another document)."""
    return [replace(page, lines=tuple(line for line in page.lines if not line.margin)) for page in pages]


@pytest.mark.parametrize("runs", [EACH_FICHE, 5])
def test_parts_give_the_pages_of_one_document(one_document, in_parts, runs):
    """(Also in runs of fiches; the folios, drawn from their model pages, read as the document prints them.)"""
    book, whole, pdf = one_document
    laid = in_parts[1] if runs == EACH_FICHE else lay_out(book, TODAY, workers=3, runs=runs)
    runs = min(runs, len(book.fiches))
    assert len(cut(book, runs)) == runs + 3                           # front, runs of fiches, glossary, index
    assert len(laid.layouts) == runs + 3
    assert text_per_page(laid.pdf) == text_per_page(pdf)             # folios, contents, index, glossary, « voir p. N »
    assert laid.anchor_pages() == whole.anchor_pages()
    assert set(laid.pushed) == set(whole.pushed) and set(laid.unhyphenated) == set(whole.unhyphenated)
    assert in_text(laid.pages) == in_text(whole.pages)               # every line, note, image, at the same place
    assert laid.diagnostics == whole.diagnostics


def test_parts_look_like_one_document(one_document, in_parts, tmp_path):
    """Every page drawn alike (folios, running heads, notes, contents): rasterized, not one pixel apart."""
    from PIL import Image, ImageChops

    _, _, whole = one_document
    for name, pdf in (("whole", whole), ("parts", in_parts[1].pdf)):
        (tmp_path / f"{name}.pdf").write_bytes(pdf)
        subprocess.run(["pdftoppm", "-gray", "-r", "30", str(tmp_path / f"{name}.pdf"), str(tmp_path / name)],
                       check=True)
    whole_pages, part_pages = sorted(tmp_path.glob("whole-*.pgm")), sorted(tmp_path.glob("parts-*.pgm"))
    assert len(whole_pages) == len(part_pages) > 60
    differ = [n for n, (a, b) in enumerate(zip(whole_pages, part_pages), start=1)
              if ImageChops.difference(Image.open(a), Image.open(b)).getbbox()]
    assert differ == []


def test_a_book_written_lets_its_pdf_documents_go_and_keeps_what_it_told(volume):
    """Once written, the joined document is let go (qpdf's memory, for the printer's checks that read the PDF
    again; each part was let go as soon as its pages were copied); the PDF written, its pages and anchors stay."""
    result, pdf = volume
    laid = result.paginated
    assert laid.document is None
    assert laid.pdf == result.output.read_bytes() and len(pdf) == laid.pdf_pages
    assert laid.page_of(result.book.fiches[-1].anchor) > 40 and laid.pages[0].number == 1
    with pytest.raises(ValueError):
        laid.opened()


def test_a_reference_to_another_part_prints_its_page(in_parts):
    book, laid = in_parts
    text = " ".join(text_per_page(laid.pdf))
    first, last = laid.page_of(book.fiches[0].anchor), laid.page_of(book.fiches[-1].anchor)
    assert last > 40
    assert re.search(rf"plus loin \(p\.\s{last}\)", text) and re.search(rf"ici \(p\.\s{first}\)", text)


def test_links_between_parts_stay_internal(in_parts):
    book, laid = in_parts
    reader = PdfReader(io.BytesIO(laid.pdf))
    number = next(n for n, text in enumerate(text_per_page(laid.pdf), start=1) if "plus loin" in text)
    page = reader.pages[number - 1]
    links = [a.get_object() for a in page.get("/Annots", [])]
    assert book.fiches[-1].anchor in {str(link.get("/Dest")) for link in links}
    assert not [link for link in links if "/A" in link and "publisher-anchor" in str(link["/A"].get("/URI", ""))]
    assert book.fiches[-1].anchor in reader.named_destinations


def test_the_volume_joined_in_a_process_of_its_own_is_the_book_joined_here(volume):
    """`publisher build` joins the parts in a process forked before the book was prepared, which holds none of
    it (each process's memory: BENCHMARKS.md); its PDF is the one the join makes here, byte for byte."""
    result, _ = volume
    assert result.paginated.document is None                      # written by the other process, never opened here
    here = lay_out(result.book, TODAY, cache=PartCache.of(result.output))
    assert not any(here.layouts)                                   # every part from the build's cache
    assert here.document is not None and here.pdf == result.output.read_bytes()


def test_the_parts_share_a_font_dictionary_per_face_each_subset_named_apart(in_parts):
    """A face (« Source Serif 4 Italic »…) is drawn by one font dictionary for all the parts — two where parts
    read a glyph apart (the space, « » or « \u00a0 »: faces.py) —, not one per part; each name, one program."""
    _, laid = in_parts
    reader = PdfReader(io.BytesIO(laid.pdf))
    programs: dict[str, set] = {}
    dictionaries: dict[str, set] = {}
    for page in reader.pages:
        for reference in ((page.get("/Resources") or {}).get("/Font") or {}).values():
            font = reference.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            program = next(descriptor[k] for k in ("/FontFile", "/FontFile2", "/FontFile3") if k in descriptor)
            programs.setdefault(str(font["/BaseFont"]), set()).add(program.indirect_reference.idnum)
            face = str(font["/BaseFont"]).partition("+")[2]
            dictionaries.setdefault(face, set()).add(reference.indirect_reference.idnum)
    assert all(len(found) == 1 for found in programs.values()), programs   # one name, one font program
    assert len(laid.layouts) > 10 and len(dictionaries) >= 4                 # many parts, several faces
    assert all(len(found) <= 2 for found in dictionaries.values()), dictionaries
    assert len(programs) == sum(len(found) for found in dictionaries.values())   # each dictionary its own name


def test_a_rebuild_lays_out_only_what_changed(book_copy, tmp_path):
    book, _ = prepare(book_copy)
    cache = PartCache(tmp_path / "cache")
    cold = lay_out(book, TODAY, workers=2, runs=2, cache=cache, made=MADE)
    cache.save()
    assert all(cold.layouts) and len(cold.layouts) == 3         # front, two parts of fiches (alpha beta, gamma)

    cache = PartCache(tmp_path / "cache")
    warm = lay_out(book, TODAY, workers=2, runs=2, cache=cache, made=MADE)
    cache.save()
    assert warm.layouts == (0, 0, 0)                              # every part from the cache
    assert text_per_page(warm.pdf) == text_per_page(cold.pdf)

    # The last fiche gets a sentence: its part is laid out again; the front and the first part of fiches are not.
    gamma = book_copy / "fiches" / "gamma.md"
    gamma.write_text(gamma.read_text(encoding="utf-8") + "\nUne phrase ajoutée en relecture.\n", encoding="utf-8")
    edited, _ = prepare(book_copy)
    laid = lay_out(edited, TODAY, workers=2, runs=2, cache=PartCache(tmp_path / "cache"), made=MADE)
    assert laid.layouts == (0, 0, 1)
    assert "Une phrase ajoutée en relecture" in " ".join(text_per_page(laid.pdf))


def test_a_fiche_prints_the_new_page_of_the_fiche_it_points_to_without_being_laid_out_again(book_copy, tmp_path):
    """Alpha points to gamma (« plus loin (p. N) »); beta, between them, grows by pages: gamma moves on, alpha
    prints gamma's new page, written on alpha's page as laid out before — alpha is not laid out again, nor the
    contents — and the book is the one a single document gives, page for page."""
    alpha = book_copy / "fiches" / "alpha.md"
    alpha.write_text(alpha.read_text(encoding="utf-8").replace(
        "Paragraphe alpha numéro 3.", "Paragraphe alpha numéro 3, [plus loin](fiche:gamma)."), encoding="utf-8")
    book, _ = prepare(book_copy)
    cache = PartCache(tmp_path / "cache")
    cold = lay_out(book, TODAY, workers=2, cache=cache, made=MADE)
    cache.save()
    before = cold.page_of(book.fiches[-1].anchor)
    assert f"plus loin (p. {before})" in " ".join(text_per_page(cold.pdf))

    beta = book_copy / "fiches" / "beta.md"
    sentence = "Une phrase de plus dans beta, qui s'allonge de page en page au fil de la relecture des fiches. "
    beta.write_text(beta.read_text(encoding="utf-8") + "".join(f"\n{sentence * 6}\n" for _ in range(14)),
                    encoding="utf-8")
    edited, _ = prepare(book_copy)
    laid = lay_out(edited, TODAY, workers=2, cache=PartCache(tmp_path / "cache"), made=MADE)
    after = laid.page_of(edited.fiches[-1].anchor)
    assert after >= before + 2 and len(str(after)) == len(str(before))
    assert [edited.fiches[k].anchor for k in range(3)] == [f.anchor for f in book.fiches]
    front, alpha_part, beta_part, gamma_part, *_ = laid.layouts
    assert (alpha_part, beta_part, gamma_part) == (0, 1, 0)          # only the fiche that changed
    assert front == 0                                   # the contents too: their numbers written, as wide as before
    text = " ".join(text_per_page(laid.pdf))
    assert f"plus loin (p. {after})" in text and f"plus loin (p. {before})" not in text
    assert text_per_page(laid.pdf) == text_per_page(lay_out_whole(edited, TODAY).pdf)


def test_the_volumes_pages_a_booklet_prints_are_found_without_its_back_matter(volume):
    """A booklet's « p. N du volume »: the volume's fiches and contents, from the volume's cache; its Glossaire and
    Index, after every fiche, neither laid out nor asked for (at 200 pages, the Index alone was 0,9 s)."""
    result, _ = volume
    layout = layout_of(result.book, PartCache.of(result.output), TODAY, proof=False, runs=None, made=None)
    numbers = page_numbers(layout, workers=2)
    assert {f.anchor: numbers[f.anchor] for f in result.book.fiches} == \
        {f.anchor: result.paginated.page_of(f.anchor) for f in result.book.fiches}
    back = [i for i, part in enumerate(layout.parts) if part.back]
    assert back and all(layout.laid[i] is None for i in back)
    assert not any(layout.layouts)                                 # the rest from the volume's cache


def test_a_first_build_lays_out_the_contents_beside_the_back_matter(in_parts):
    """With no page known yet (an empty cache), the contents' lines would print guessed numbers and be laid out
    again once the fiches are: like the Glossaire and the Index, they wait for the fiches' first round."""
    book, _ = in_parts
    layout = layout_of(book, PartCache(None), TODAY, proof=False, runs=None, made=MADE)
    first = [i for i in layout.jobs() if i >= 0]
    assert [layout.parts[i].fiches[0] for i in first] == list(book.fiches)      # the fiches only, every one
    front, *_ = layout.parts
    assert front.front and len(layout.parts) == len(book.fiches) + 3 and layout.parts[-1].back


def test_parts_open_on_right_pages():
    assert first_pages([6, 20, 13, 9]) == [1, 7, 27, 41]


def test_the_back_matter_has_a_part_for_each_list_the_book_prints(tmp_path):
    """An Index of plain terms (no « voir »), in a book without a glossary, is printed from a part of its own,
    as one document prints it; a book whose index finds nothing has no Index part."""
    from publisher.enrich.index import index_letters

    root = tmp_path / "book"
    shutil.copytree(VOLUME, root)
    (root / "glossary.yaml").unlink()
    (root / "index.yaml").write_text("terms:\n  Namur:\n  Bruxelles:\n", encoding="utf-8")
    book, _ = prepare(root)
    every_page_one = type("Pages", (dict,), {"get": lambda self, anchor, default=None: 1})()
    assert index_letters(book, every_page_one)                          # one document prints an Index
    assert [p.back for p in cut(book, EACH_FICHE) if p.back] == [("index",)]
    (root / "index.yaml").write_text("terms:\n  Zanzibar:\n", encoding="utf-8")
    book, _ = prepare(root)
    assert not index_letters(book, every_page_one) and not [p for p in cut(book, EACH_FICHE) if p.back]


def crash(job):
    import os
    os._exit(1)                    # as the kernel's OOM killer would end a process


def test_a_layout_process_that_dies_is_an_error_not_a_hang(book_copy, monkeypatch):
    import publisher.layout.worker
    from publisher.diagnostics import PublisherError

    monkeypatch.setattr(publisher.layout.worker, "lay_out_part", crash)
    book, _ = prepare(book_copy)
    with pytest.raises(PublisherError) as stopped:
        lay_out(book, TODAY, workers=2, runs=2)
    assert stopped.value.diagnostics[0].code == "layout-process"


def test_every_id_of_the_book_is_unique(tmp_path):
    """Two fiches with a note of the same number on the same line: still two anchors (WeasyPrint
    keeps one of a repeated id, and a part's links and notes go by them)."""
    from publisher.render.html import render_html

    root = tmp_path / "book"
    shutil.copytree(VOLUME, root)
    noted = next(p for p in sorted((root / "fiches").glob("*.md")) if "[^" in p.read_text(encoding="utf-8"))
    twin = re.sub(r"\nnumber: .*", "\nnumber: null", noted.read_text(encoding="utf-8"), count=1)
    twin = twin.replace("\ntitle: ", "\ntitle: Copie de ", 1)
    (root / "fiches" / f"{noted.stem}-copie.md").write_text(twin, encoding="utf-8")
    book, _ = prepare(root)
    ids = re.findall(r'\bid="([^"]+)"', render_html(book, today=TODAY))
    assert [i for i in ids if i.startswith("fn-")] and len(ids) == len(set(ids))


def test_joining_tagged_parts_keeps_their_role_maps():
    """A part's own structure types (a /RoleMap: what they stand for) are kept in the joined tree."""
    import pikepdf
    import weasyprint

    from publisher.layout.pdf import merge_structure

    def part(text: str, roles: dict) -> pikepdf.Pdf:
        pdf = weasyprint.HTML(string=f'<html lang="fr"><title>t</title><p>{text}</p></html>').write_pdf(
            pdf_variant="pdf/ua-1")
        tagged = pikepdf.open(io.BytesIO(pdf))
        tagged.Root.StructTreeRoot.RoleMap = pikepdf.Dictionary({k: pikepdf.Name(v) for k, v in roles.items()})
        return tagged

    book, other = part("Un", {"/Chapitre": "/Sect"}), part("Deux", {"/Encadre": "/Div"})
    book.pages.extend(other.pages)
    merge_structure(book, other, book.pages[1:], other.pages)
    out = io.BytesIO()
    book.save(out)
    joined = PdfReader(out)
    roles = joined.root_object["/StructTreeRoot"]["/RoleMap"]
    assert {k: str(v) for k, v in roles.items()} == {"/Chapitre": "/Sect", "/Encadre": "/Div"}
    assert [int(p["/StructParents"]) for p in joined.pages] == [0, 1]


def test_laying_out_in_several_processes_leaves_nothing_in_the_temporary_folder(book_copy, tmp_path, monkeypatch):
    """The layout processes are stopped, not left to end: what they put in the temporary folder (WeasyPrint's
    copy of the fonts, 2 MB a layout) is removed by the command, or a desk making proofs all day fills its disk."""
    import tempfile

    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setenv("TMPDIR", str(scratch))
    monkeypatch.setattr(tempfile, "tempdir", None)             # read TMPDIR again, here and in the processes
    book, _ = prepare(book_copy)
    laid = lay_out(book, TODAY, workers=2, runs=2, cache=PartCache(tmp_path / "cache"), made=MADE)
    assert all(laid.layouts) and "Paragraphe alpha" in " ".join(text_per_page(laid.pdf))
    assert [p.name for p in scratch.iterdir()] == []

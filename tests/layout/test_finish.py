"""The printer's file: trim and bleed boxes, padding, crop marks, PDF variants, metadata."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import date

import pytest
from pypdf import PdfReader

from publisher.build import build_volume

from ..conftest import Pdf

MM = 72 / 25.4


def build(root, tmp_path, name="x.pdf", **options):
    out = tmp_path / name
    result = build_volume(root, out, today=date(2025, 1, 15), **options)
    return result, Pdf(out)


def set_print(root, text: str) -> None:
    with open(root / "book.yaml", "a", encoding="utf-8") as handle:
        handle.write("\nprint:\n" + text)


def box_mm(box) -> list[float]:
    return [round(float(v) / MM, 1) for v in (box.left, box.bottom, box.right, box.top)]


def test_every_page_has_its_trim_and_bleed_boxes(minibook):
    _, pdf = minibook
    for page in pdf.reader.pages:
        trim, bleed, media = box_mm(page.trimbox), box_mm(page.bleedbox), box_mm(page.mediabox)
        assert trim[2] - trim[0] == 170 and trim[3] - trim[1] == 240
        assert bleed == [trim[0] - 3, trim[1] - 3, trim[2] + 3, trim[3] + 3]
        assert media == bleed


def test_bleed_is_configurable(book_copy, tmp_path):
    set_print(book_copy, "  bleed_mm: 5\n")
    _, pdf = build(book_copy, tmp_path)
    for page in pdf.reader.pages:
        trim, media = box_mm(page.trimbox), box_mm(page.mediabox)
        assert media == [trim[0] - 5, trim[1] - 5, trim[2] + 5, trim[3] + 5]
        assert box_mm(page.bleedbox) == media          # WeasyPrint alone stops it 10 pt from the trim


def dark_pixels_outside_trim(pdf: Pdf, number: int, tmp_path) -> int:
    """Rendered at 150 dpi: ink in the bleed, outside the trim box (where crop marks go)."""
    from PIL import Image

    subprocess.run(["pdftoppm", "-png", "-r", "150", "-f", str(number), "-l", str(number), str(pdf.path),
                    str(tmp_path / "page")], check=True)
    image = Image.open(next(tmp_path.glob("page*.png"))).convert("L")
    page = pdf.reader.pages[number - 1]
    scale = 150 / 72
    left = (float(page.trimbox.left) - float(page.mediabox.left)) * scale
    right = (float(page.trimbox.right) - float(page.mediabox.left)) * scale
    top = (float(page.mediabox.top) - float(page.trimbox.top)) * scale
    bottom = (float(page.mediabox.top) - float(page.trimbox.bottom)) * scale
    return sum(1 for x in range(image.width) for y in range(image.height)
               if image.getpixel((x, y)) < 200 and not (left <= x <= right and top <= y <= bottom))


def test_crop_marks_only_when_asked(book_copy, tmp_path):
    _, plain = build(book_copy, tmp_path, "plain.pdf")
    (tmp_path / "a").mkdir()
    assert dark_pixels_outside_trim(plain, 7, tmp_path / "a") == 0
    _, marked = build(book_copy, tmp_path, "marks.pdf", crop_marks=True)
    (tmp_path / "b").mkdir()
    assert dark_pixels_outside_trim(marked, 7, tmp_path / "b") > 0


def test_page_count_is_padded_with_blank_pages(book_copy, tmp_path):
    set_print(book_copy, "  pad_to: 16\n")
    result, pdf = build(book_copy, tmp_path)
    assert len(pdf) % 16 == 0 and result.pages == len(pdf)
    natural = result.paginated.page_count
    assert natural < len(pdf)
    for number in range(natural + 1, len(pdf) + 1):         # no running head, no folio, nothing
        assert pdf.text[number - 1] == ""
        assert box_mm(pdf.reader.pages[number - 1].trimbox) == box_mm(pdf.reader.pages[0].trimbox)


def test_the_volume_page_count_is_a_multiple_of_four(volume):
    result, pdf = volume
    assert len(pdf) % 4 == 0


def content_colour_operators(reader: PdfReader) -> set[str]:
    ops = set()
    for page in reader.pages:
        if page.get_contents() is None:                  # a blank page added at the end
            continue
        data = page.get_contents().get_data().decode("latin-1")
        for match in re.finditer(r"(?:^|\n)([^\n]*?) ?(rg|RG|k|K|sc|SC|scn|SCN|g|G)\n", data):
            ops.add(f"{match.group(1)} {match.group(2)}")
    return ops


def test_pdf_x4_has_an_output_intent_and_only_pure_black(book_copy, tmp_path):
    _, pdf = build(book_copy, tmp_path, variant="pdf/x-4")
    root = pdf.reader.trailer["/Root"]
    [intent] = [i.get_object() for i in root["/OutputIntents"]]
    assert intent["/S"] == "/GTS_PDFX" and "/DestOutputProfile" in intent
    profile = intent["/DestOutputProfile"].get_object()
    assert profile["/N"] == 4                                     # a CMYK profile
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert "<pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>" in xmp
    assert content_colour_operators(pdf.reader) <= {"0 0 0 1 scn", "0 0 0 1 SCN"}
    assert pdf.reader.metadata["/Trapped"] == "/False"
    # the same sources, built again elsewhere: the same file (WeasyPrint draws the XMP DocumentID at random)
    again = tmp_path / "again"
    again.mkdir()
    _, twice = build(book_copy, again, variant="pdf/x-4")
    assert twice.path.read_bytes() == pdf.path.read_bytes()
    assert "xmp.did:" in xmp


def test_pdf_a2b_declares_itself(book_copy, tmp_path):
    _, pdf = build(book_copy, tmp_path, variant="pdf/a-2b")
    root = pdf.reader.trailer["/Root"]
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert 'pdfaid:part="2"' in xmp and 'pdfaid:conformance="B"' in xmp
    assert "Petit livre d’essai" in xmp                         # title in XMP, as in the document information
    assert [i.get_object()["/S"] for i in root["/OutputIntents"]] == ["/GTS_PDFA1"]
    assert root["/Lang"] == "fr"


def test_pdf_ua1_is_tagged_with_title_and_language(book_copy, tmp_path):
    _, pdf = build(book_copy, tmp_path, variant="pdf/ua-1")
    root = pdf.reader.trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
    assert root["/ViewerPreferences"]["/DisplayDocTitle"]
    assert root["/Lang"] == "fr" and pdf.reader.metadata.title == "Petit livre d’essai"
    assert 'pdfuaid:part="1"' in root["/Metadata"].get_object().get_data().decode()


def test_pdf_ua1_passes_pdfua_check(book_copy, tmp_path):
    """A checker, not only declarations: pdfua (PyPI) finds no error on the rules it implements
    (the folios laid over every page are artifacts)."""
    _, pdf = build(book_copy, tmp_path, variant="pdf/ua-1")
    checked = subprocess.run([sys.executable, "-m", "pdfua", "check", str(pdf.path)], capture_output=True, text=True)
    assert "errors=0" in checked.stdout, checked.stdout[-2000:]


def test_dates_come_from_source_date_epoch(book_copy, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")         # 2023-11-14 22:13:20 UTC
    _, pdf = build(book_copy, tmp_path)
    assert pdf.reader.metadata["/CreationDate"].startswith("D:20231114221320")
    assert pdf.reader.metadata["/ModDate"].startswith("D:20231114221320")


@pytest.mark.parametrize("text, key", [("  pad_to: 5\n", "pad_to"), ("  variant: pdf/x-1a\n", "variant"),
                                       ("  bleed_mm: beaucoup\n", "bleed_mm"), ("  bleeding: 3\n", "bleeding")])
def test_bad_print_settings_name_their_line(book_copy, text, key):
    from publisher.diagnostics import PublisherError
    from publisher.source.load import load_book

    set_print(book_copy, text)
    lines = (book_copy / "book.yaml").read_text(encoding="utf-8").splitlines()
    with pytest.raises(PublisherError) as caught:
        load_book(book_copy)
    [d] = caught.value.diagnostics
    assert d.location.line == len(lines) and f"print.{key}" in d.message


def test_the_joined_volume_is_tagged_on_every_page(tmp_path):
    """The parts' structure trees joined in reading order (the real book is laid out in several parts):
    every page has its own /StructParents, which the parent tree knows, and pdfua finds no error."""
    import pikepdf

    from ..conftest import VOLUME

    out = tmp_path / "ua.pdf"
    build_volume(VOLUME, out, today=date(2025, 1, 15), variant="pdf/ua-1", allow_open_questions=True)
    with pikepdf.open(out) as pdf:
        keys = [int(page.obj.StructParents) for page in pdf.pages if "/StructParents" in page.obj]
        tree = pdf.Root.StructTreeRoot
        nums = tree.ParentTree.Nums
        known = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
        def content(page) -> bytes:
            streams = page.obj.Contents
            return b"".join(s.read_bytes() for s in (streams if isinstance(streams, pikepdf.Array) else [streams]))
        painted = [k for k, page in enumerate(pdf.pages) if b"BDC" in content(page)]     # pages with tagged text
        assert len(keys) == len(set(keys)) >= len(painted) > 40
        assert set(keys) <= set(known)
        for k, page in enumerate(pdf.pages):      # the elements of a page's marked content are on that page
            if "/StructParents" in page.obj:
                elements = [e for e in known[int(page.obj.StructParents)] if isinstance(e, pikepdf.Dictionary)]
                assert elements or k not in painted, k
                assert all(e.Pg.objgen == page.obj.objgen for e in elements if "/Pg" in e), k
        document = tree.K[0] if isinstance(tree.K, pikepdf.Array) else tree.K
        assert len(document.K) > 30                                  # every part's elements, not the first's
    checked = subprocess.run([sys.executable, "-m", "pdfua", "check", str(out)], capture_output=True, text=True)
    assert "errors=0" in checked.stdout, checked.stdout[-2000:]


def test_the_joined_volume_is_a_pdf_a2b_as_far_as_pikepdf_can_tell(tmp_path):
    """Fonts embedded (the folios' too), the output intent and XMP identification of the first part kept by
    the join, a file identifier, no JavaScript, no encryption, nothing outside the file: no « pdf-a » finding."""
    import pikepdf

    from publisher.layout.preflight import archival

    from ..conftest import VOLUME

    out = tmp_path / "a.pdf"
    result = build_volume(VOLUME, out, today=date(2025, 1, 15), variant="pdf/a-2b", allow_open_questions=True)
    assert not [d for d in result.diagnostics if d.code in ("pdf-a", "font-not-embedded")]
    assert archival(out.read_bytes(), "a.pdf") == []
    with pikepdf.open(out) as pdf:
        descriptors = [o for o in pdf.objects if isinstance(o, pikepdf.Dictionary) and o.get("/Type") == "/FontDescriptor"]
        assert len(descriptors) > 3 and len(pdf.trailer.ID) == 2
        pdf.Root.OpenAction = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)"))
        del pdf.Root.OutputIntents
        pdf.save(tmp_path / "spoilt.pdf")
    found = [d.message for d in archival((tmp_path / "spoilt.pdf").read_bytes(), "spoilt.pdf")]
    assert any("JavaScript" in m for m in found) and any("intention de sortie" in m for m in found)

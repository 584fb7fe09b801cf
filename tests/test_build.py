"""The volume as a reader and a printer check it: pages, contents, notes, fonts."""

from __future__ import annotations

import re
from datetime import date
from statistics import median

import pytest

from publisher.build import build_volume
from publisher.enrich import enrich
from publisher.model import FootnoteRef
from publisher.source.load import load_book
from publisher.tree import all_runs, plain

from .conftest import MINIBOOK, VOLUME, Pdf, normalise

MM = 72 / 25.4


@pytest.fixture(scope="module", params=["volume", "minibook"])
def built(request):
    root = VOLUME if request.param == "volume" else MINIBOOK
    result, pdf = request.getfixturevalue(request.param)
    book, _ = load_book(root)
    return enrich(book), result, pdf


def opening_pages(book, pdf) -> list[int]:
    """The page where each fiche starts, found in the PDF text: year, then title."""
    pages = []
    for fiche in book.fiches:
        head = normalise(f"{fiche.year} {' '.join(fiche.title.split()[:5])}")
        found = [i + 1 for i, t in enumerate(pdf.text) if t.startswith(head)]
        assert len(found) == 1, f"{fiche.id}: opening page not found once ({found})"
        pages.append(found[0])
    return pages


def test_page_count_is_the_pdf_page_count(built):
    book, result, pdf = built
    assert result.pages == len(pdf)
    last = opening_pages(book, pdf)[-1]
    back = result.paginated.page_of("glossaire") or result.paginated.page_of("index")
    assert last < (back or result.paginated.page_count + 1)      # the last fiche opens before the back matter
    # the layout's last page has text; after it, only the printer's blank pages (test_finish)
    assert pdf.text[result.paginated.page_count - 1]
    assert len(pdf) - result.paginated.page_count < 4


def test_every_fiche_opens_on_a_right_hand_page(built):
    book, result, pdf = built
    pages = opening_pages(book, pdf)
    assert pages == sorted(pages)
    assert all(p % 2 == 1 for p in pages), pages
    # WeasyPrint's own anchors agree with what the reader sees
    assert pages == [result.paginated.page_of(f.anchor) for f in book.fiches]


def test_contents_page_numbers_are_the_real_pages(built):
    book, result, pdf = built
    toc_pages = pdf.pages_with("Sommaire")
    assert toc_pages, "no contents page"
    numbers = []
    for page in toc_pages[:1]:
        numbers += [int(n) for n in re.findall(r"(?:\. ?){2,}(\d+)", pdf.text[page - 1])]
    expected = opening_pages(book, pdf)
    if book.glossary.entries:
        expected.append(glossary_pages(result, pdf)[0])
    if result.paginated.page_of("index"):
        expected.append(result.paginated.page_of("index"))
    assert numbers == expected


def glossary_pages(result, pdf) -> list[int]:
    """The pages of the Glossaire: from the one that opens with its title to the Index (or the end)."""
    first = result.paginated.page_of("glossaire")
    assert pdf.text[first - 1].startswith("Glossaire des sigles")
    index = result.paginated.page_of("index")
    return [p for p in range(first, (index or len(pdf) + 1)) if pdf.text[p - 1]]


def test_footnotes_are_on_the_page_of_their_call(built):
    """Each note's first call is a link to the note, as a reader clicks it: the note it leads to is on the
    call's own page, printed with its number and its first words; every note called has its link."""
    book, _, pdf = built
    reader = pdf.reader
    first_calls: dict[str, int] = {}                         # the note's id → the page of its first call
    for number, page in enumerate(reader.pages, start=1):
        for annotation in page.get("/Annots") or []:
            dest = str(annotation.get_object().get("/Dest", ""))
            if dest.startswith("fn-"):
                first_calls.setdefault(dest, number)
    destinations = {name: reader.get_destination_page_number(d) + 1 for name, d in reader.named_destinations.items()}
    expected = {}
    for fiche in book.fiches:
        notes = {n.label: n for n in fiche.footnotes}
        for run in all_runs(fiche):
            if isinstance(run, FootnoteRef) and run.first is None and run.label in notes:
                words = " ".join(plain(tuple(all_runs_of(notes[run.label]))).split()[:5])
                expected[f"fn-{fiche.id}-{run.location.line}-{run.number}"] = f"{run.number}. {words}"
    assert len(expected) >= 3 and set(first_calls) == set(expected)
    for note, page in first_calls.items():
        assert destinations[note] == page, (note, page, destinations[note])
        assert normalise(expected[note]) in pdf.text[page - 1], (note, page, expected[note])


def all_runs_of(note):
    for block in note.blocks:
        yield from getattr(block, "children", ())


def test_footnotes_are_numbered_from_one_in_each_fiche():
    book, _ = load_book(MINIBOOK)
    book = enrich(book)
    for fiche in book.fiches:
        numbers = [r.number for r in all_runs(fiche) if isinstance(r, FootnoteRef)]
        assert numbers == list(range(1, len(numbers) + 1)), fiche.id


def test_outline_has_one_entry_per_fiche(built):
    book, result, pdf = built
    titles = [item["/Title"] for item in pdf.reader.outline]
    expected = [f"{f.year} – {f.title}" for f in book.fiches]
    if book.glossary.entries:
        expected.append("Glossaire des sigles")
    if result.paginated.page_of("index"):
        expected.append("Index")
    assert titles == expected


def test_only_the_shipped_fonts_are_embedded(built):
    _, _, pdf = built
    names = set()
    for page in pdf.reader.pages:
        fonts = page["/Resources"].get("/Font", {})
        for ref in fonts.values():
            font = ref.get_object()
            names.add(str(font["/BaseFont"]).split("+", 1)[-1])
            descendant = font["/DescendantFonts"][0].get_object()
            descriptor = descendant["/FontDescriptor"].get_object()
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), font["/BaseFont"]
    assert names
    assert all(n.startswith(("Source-Serif-4", "Source-Sans-3")) for n in names), names


def test_trim_size_and_metadata(volume):
    result, pdf = volume
    box = pdf.reader.pages[0].trimbox
    assert round(float(box.width) / MM) == 170 and round(float(box.height) / MM) == 240
    meta = pdf.reader.metadata
    assert meta.title == "40 ans d’action interculturelle en province de Namur"
    assert "CAI" in meta.author
    assert meta.subject == "Le Centre d’action interculturelle de la province de Namur, 1984–2024"
    assert meta["/Keywords"] == "interculturalité, intégration, Namur, primo-arrivants, CAI"
    assert pdf.reader.trailer["/Root"]["/Lang"] == "fr"


def test_running_heads_and_folios(built):
    book, result, pdf = built
    openings = set(opening_pages(book, pdf))
    first = min(openings)
    shorts = {normalise(f.short_title) for f in book.fiches}
    glossary_opening = None
    if book.glossary.entries:
        glossary_opening = glossary_pages(result, pdf)[0]
        shorts.add("Glossaire des sigles")
    index_opening = result.paginated.page_of("index")
    if index_opening:
        shorts.add("Index")
    title = normalise(book.config.title)
    for number in range(first, len(pdf) + 1):
        text = pdf.text[number - 1]
        if not text:                       # blank page: no head, no folio
            continue
        if number == glossary_opening:     # its title, and no running head above it
            assert text.count("Glossaire des sigles") == 1 and not text.startswith(title)
        elif number == index_opening:      # the same for the Index
            assert text.startswith("Index A ") and not text.startswith(title)
        elif number in openings:
            assert not text.startswith(title) and not any(text.startswith(s) for s in shorts)
        elif number % 2 == 0:
            assert text.startswith(title), (number, text[:60])
        else:
            assert any(text.startswith(s) for s in shorts), (number, text[:60])
        assert pdf.foot(number) == str(number), (number, pdf.foot(number))


def test_the_text_block_is_the_pages_margins(built):
    """The text's lines start on the page's margin and full lines end on the other; the running heads
    and the folios stand on the same edges (book.yaml's margins; a left page has its inner margin right)."""
    book, result, pdf = built
    page = book.config.page
    first, starts, ends = min(opening_pages(book, pdf)), [], []
    for number in range(first, len(pdf) + 1):
        left_mm, right_mm = (page.inner_mm, page.outer_mm) if number % 2 else (page.outer_mm, page.inner_mm)
        left, right = left_mm * MM, (page.width_mm - right_mm) * MM
        words = pdf.words(number)
        body = [w for w in words if page.top_mm * MM - 1 < w[1] < (page.height_mm - page.bottom_mm) * MM]
        if len(body) < 40:                 # a blank page, an opening's few lines, a figure
            continue
        starts.append(min(w[0] for w in body) - left)
        ends.append(max(w[2] for w in body) - right)
        assert starts[-1] >= -0.5 and ends[-1] <= 0.5, number                  # nothing in the margins
        edges = [w for w in words if w[1] < page.top_mm * MM - 1 or w[1] > (page.height_mm - page.bottom_mm) * MM]
        assert edges, number
        if number % 2:                     # a right page: the head and the folio end on its right margin
            assert abs(max(w[2] for w in edges) - right) <= 0.5, number
        else:
            assert abs(min(w[0] for w in edges) - left) <= 0.5, number
    # most pages: lines start on the margin, justified lines reach the other (a page of a list is indented)
    assert starts and abs(median(starts)) <= 0.5 and abs(median(ends)) <= 0.5, (median(starts), median(ends))


def test_front_matter_has_no_folios(built):
    book, _, pdf = built
    first = min(opening_pages(book, pdf))
    for number in range(1, first):
        assert not re.search(rf"\b{number}$", pdf.text[number - 1]), number


def test_no_line_is_cut_short_after_a_hyphenated_one(volume):
    result, pdf = volume
    # WeasyPrint 70 printed « …les préjugés qui ali- / mentent / le discours dominant… » on its own line
    lines = [line.strip() for page in pdf.raw for line in page.splitlines()]
    assert "mentent" not in lines
    assert result.paginated.broken == ()          # read from the laid-out pages (layout/pages.py)
    # where WeasyPrint does cut a line short, the paragraph is set again: tests/proof, test_the_real_volume_proof


def test_a_note_called_twice_is_printed_once_with_one_number(book_copy, tmp_path):
    beta = book_copy / "fiches" / "beta.md"
    beta.write_text(beta.read_text(encoding="utf-8") + "\nUne note dite[^d] puis redite plus loin[^d], une autre[^e].\n"
                    "\n[^d]: La source commune.\n\n[^e]: Une autre source.\n", encoding="utf-8")
    out = tmp_path / "v.pdf"
    result = build_volume(book_copy, out, today=date(2025, 1, 15))
    pdf = Pdf(out)
    [page] = pdf.pages_with("redite plus loin")
    text = pdf.layer[page - 1]
    assert "dite2 puis redite plus loin2, une autre3." in text        # the second call: the same number
    assert " ".join(pdf.text).count("La source commune") == 1          # the note: once, at the foot of that page
    assert "2. La source commune." in pdf.text[page - 1] and "3. Une autre source." in pdf.text[page - 1]
    links = [a.get_object() for a in pdf.reader.pages[page - 1].get("/Annots", [])]
    assert any(str(link.get("/Dest", "")).startswith("fn-beta-") for link in links)  # it leads to the note
    assert not [d for d in result.diagnostics if d.code.startswith("footnote")]

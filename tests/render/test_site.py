"""The web edition of the frozen volume, as a reader's browser finds it: served from 127.0.0.1 and opened from
the disk, every page loading without an error or a request outside the site, every link landing, axe-core
finding nothing, a search finding the fiche it should, the printed pages citable where they begin, a
phone's width read without scrolling sideways; and the same files from the same sources."""

from __future__ import annotations

import functools
import http.server
import re
import socketserver
import threading
from collections import Counter
from datetime import date
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

import pytest
from lxml import html as lxml_html

from publisher.build import build_site, prepare
from publisher.diagnostics import PublisherError
from publisher.render.site import MARK

from ..conftest import VOLUME

AXE = Path(__file__).resolve().parents[2] / ".venv" / "node" / "node_modules" / "axe-core" / "axe.min.js"
WAIT_MS = 20_000


@pytest.fixture(scope="module")
def site(volume):
    """The site beside the volume's PDF, as `make site` after `make book`: the volume's layout, kept in its
    cache, gives the printed pages without laying the book out again."""
    out = volume[1].path.with_name("site")
    result = build_site(VOLUME, out, today=date(2025, 1, 15))
    return result, out


@pytest.fixture(scope="module")
def pages(site):
    """Every HTML page of the site: its path from the root → its parsed tree."""
    _, out = site
    return {p.relative_to(out).as_posix(): lxml_html.parse(str(p)).getroot() for p in sorted(out.rglob("*.html"))
            if not p.relative_to(out).as_posix().startswith("pagefind/")}


@pytest.fixture(scope="module")
def served(site):
    """The site's folder served on a random 127.0.0.1 port, as any static host would."""
    _, out = site

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(out)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()
    thread.join(10)


def opened(browser, url: str, width: int = 1280):
    """A tab on ``url``, and what it asked for and complained of."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    requests, errors = [], []
    page.on("request", lambda request: requests.append(request.url))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url)
    return page, requests, errors


# ── What the site holds ──────────────────────────────────────────────────────

def test_one_page_per_fiche_theme_glossary_index_and_search_all_in_french(site, pages):
    result, out = site
    book, _ = prepare(VOLUME)
    expected = {"index.html", "glossaire/index.html", "index/index.html", "recherche/index.html"}
    expected |= {f"{f.id}/index.html" for f in book.fiches}
    grouped = {t for f in book.fiches for t in (*f.themes, *f.axes)}
    assert len(grouped) >= 3
    themes = {p for p in pages if p.startswith("themes/")}
    assert expected | themes == set(pages) and len(themes) == len(grouped)
    assert result.pages == len(pages) and result.searchable == len(book.fiches) + 1   # the fiches, the Glossaire
    assert all(doc.get("lang") == "fr" for doc in pages.values())
    home = pages["index.html"]
    assert book.config.site.presentation.split()[0] in home.find_class("presentation")[0].text_content()
    years = [h.text_content() for h in home.iter("h3")]
    assert years == sorted(set(years)) and years == list(dict.fromkeys(str(f.year) for f in book.fiches))
    listed = [a.get("href") for a in home.get_element_by_id("sommaire").iter("a") if a.get("href").endswith("/")]
    assert listed[:len(book.fiches)] == [f"{f.id}/" for f in book.fiches]


def test_a_fiche_reads_as_in_the_volume_its_notes_linked_both_ways(site, pages, volume):
    book, _ = prepare(VOLUME)
    noted = [f for f in book.fiches if f.footnotes]
    assert noted
    for fiche in noted:
        doc = pages[f"{fiche.id}/index.html"]
        assert doc.get_element_by_id(f"titre-{fiche.id}").text_content() == fiche.title
        ids = {e.get("id") for e in doc.iter() if e.get("id")}
        calls = [a for a in doc.iter("a") if a.get("role") == "doc-noteref"]
        assert calls
        for call in calls:
            note = doc.get_element_by_id(call.get("href")[1:])
            assert note.get("role") == "doc-footnote"
            back = [a for a in note.iter("a") if a.get("role") == "doc-backlink"][0]
            assert back.get("href")[1:] in ids
    # a cross-reference: a link to the fiche, with the page of the printed volume, as the PDF prints it
    opened_at = volume[0].paginated.anchor_pages()
    crossed = [(page, a) for page, doc in pages.items() for a in doc.find_class("xref")]
    assert crossed
    for page, a in crossed:
        target = urlparse(a.get("href")).fragment
        assert a.text_content().endswith(f"p.\u00a0{opened_at[target]}"), (page, a.text_content())


def test_each_printed_page_is_marked_where_it_begins(site, pages, volume):
    """« p. 38 » can be cited: the mark #page-38 stands in the fiche at the paragraph the printed page 38
    begins in (its first words are that paragraph's), and every page of the volume a fiche is on has its mark."""
    result, pdf = volume
    book, _ = prepare(VOLUME)
    body_top = 17 * 72 / 25.4         # 3 mm above the top margin of book.yaml (a glyph's box rises above its line)
    checked = 0
    for fiche in book.fiches:
        doc = pages[f"{fiche.id}/index.html"]
        numbers = [p.number for p in result.paginated.pages if fiche.anchor in p.anchors and p.kind != "blank"]
        assert [int(a.get("id").removeprefix("page-")) for a in doc.find_class("folio")] == numbers, fiche.id
        for n in numbers[1:]:
            holder = doc.get_element_by_id(f"page-{n}").getparent()
            if holder.tag not in ("p", "figure"):
                continue
            body = sorted((w for w in pdf.words(n) if w[1] > body_top), key=lambda w: (round(w[1]), w[0]))
            words = [w[4] for w in body if round(w[1]) == round(body[0][1])]        # the page's first line
            paragraph = " ".join(holder.text_content().split())
            opening = [w for w in (w.strip(".,;:!?()«»\u2019\u2010-") for w in words) if len(w) > 3]   # a cut word: its part
            assert opening and all(w in paragraph for w in opening), (fiche.id, n, words[:6])
            checked += 1
    assert checked >= 5 and "figure" in {doc.get_element_by_id(f"page-{n}").getparent().tag
                                           for doc in pages.values() for n in range(1, 70)
                                           if doc.get_element_by_id(f"page-{n}", None) is not None}


def test_the_glossary_leads_to_each_first_use_and_the_index_to_its_places(pages):
    book, _ = prepare(VOLUME)
    glossary = pages["glossaire/index.html"]
    firsts = [a.get("href") for a in glossary.iter("a") if a.text_content() == "première occurrence"]
    assert len(firsts) == len(glossary.findall(".//dt")) > 5
    index = pages["index/index.html"]
    section = index.get_element_by_id("index-titre").getparent()
    places = [a.get("href") for a in section.iter("a") if not a.get("href").startswith("#")]
    assert len(places) > 20 and all(re.fullmatch(r"\.\./[\w-]+/#[\w-]+", href) for href in places)


def test_every_internal_link_and_resource_lands(site, pages):
    """Each link, image, style sheet and script of every page names a file of the site, and its fragment
    an element of that page."""
    _, out = site
    ids = {path: {e.get("id") for e in doc.iter() if e.get("id")} for path, doc in pages.items()}
    missing = []
    checked = 0
    for path, doc in pages.items():
        base = f"https://site.test/{path}"
        for element in doc.iter():
            for attribute in ("href", "src", "action"):
                value = element.get(attribute)
                if value is None or value.startswith(("data:", "mailto:")) or (
                        re.match(r"[a-z]+:", value) and not value.startswith("https://site.test/")):
                    continue
                url = urlparse(urljoin(base, value))
                target = unquote(url.path.removeprefix("/"))
                target = target + "index.html" if target.endswith("/") or not target else target
                checked += 1
                if not (out / target).is_file():
                    missing.append((path, value))
                elif url.fragment and target in ids and url.fragment not in ids[target]:
                    missing.append((path, value))
    assert missing == [] and checked > 500


def test_nothing_outside_the_book_and_our_fonts_is_copied(site):
    _, out = site
    kinds = Counter(p.suffix for p in out.rglob("*") if p.is_file() and "pagefind" not in p.parts)
    assert set(kinds) <= {".html", ".css", ".js", ".otf", ".xml", ".txt", ".png", ".jpg", ".jpeg", ".svg", ".webp",
                          ".gif", ""}
    assert (out / MARK).is_file()


def test_sitemap_and_shared_links_use_the_address_of_book_yaml(site, pages):
    _, out = site
    book, _ = prepare(VOLUME)
    url = book.config.site.url
    sitemap = (out / "sitemap.xml").read_text(encoding="utf-8")
    locs = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    assert sorted(locs) == sorted(url + p.removesuffix("index.html") for p in pages)
    fiche = book.fiches[0]
    doc = pages[f"{fiche.id}/index.html"]
    meta = {m.get("property"): m.get("content") for m in doc.iter("meta") if m.get("property")}
    assert meta["og:url"] == f"{url}{fiche.id}/" and meta["og:type"] == "article"
    assert meta["og:title"].startswith(fiche.title.replace("\u00a0", " ").replace("\u202f", " "))
    assert [link.get("href") for link in doc.iter("link") if link.get("rel") == "canonical"] == [meta["og:url"]]


def test_two_builds_of_the_same_sources_are_the_same_files(site, tmp_path):
    _, out = site
    again = out.with_name("site-encore")
    build_site(VOLUME, again, today=date(2025, 1, 15))
    first = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    second = {p.relative_to(again): p.read_bytes() for p in again.rglob("*") if p.is_file()}
    assert first.keys() == second.keys() and all(first[k] == second[k] for k in first)


def test_the_site_of_a_theme_holds_its_fiches_and_sends_the_others_to_the_volume(site, volume):
    """``--theme``: a theme whose fiches refer to one outside it (chosen from the sources): only its fiches
    have a page, and the reference reads « p. N du volume », N the page of the printed volume."""
    from publisher.model import CrossRef
    from publisher.render.booklet import fiches_of, refers_outside, theme_booklet
    from publisher.tree import all_runs

    _, out = site
    book, _ = prepare(VOLUME)
    theme = next(t for t in book.config.themes if refers_outside(fiches_of(book, theme_booklet(book, t))))
    fiches = fiches_of(book, theme_booklet(book, theme))
    subset = out.with_name("site-theme")
    build_site(VOLUME, subset, theme=theme, today=date(2025, 1, 15))
    assert {p.parent.name for p in subset.glob("*/index.html")} - {"glossaire", "index", "recherche"} \
        == {f.id for f in fiches}
    inside = {f.anchor for f in fiches}
    opened_at = volume[0].paginated.anchor_pages()
    outside = [(f, r) for f in fiches for r in all_runs(f) if isinstance(r, CrossRef) and r.target
               and r.target not in inside]
    for fiche, ref in outside:
        text = re.sub(r"[ \t\r\n]+", " ", lxml_html.parse(str(subset / fiche.id / "index.html")).getroot().text_content())
        assert f"p.\u00a0{opened_at[ref.target]} du volume" in text, (fiche.id, ref.target)


def test_a_folder_that_is_not_a_site_is_never_written_over(tmp_path):
    mine = tmp_path / "documents"
    mine.mkdir()
    (mine / "lettre.txt").write_text("à garder", encoding="utf-8")
    with pytest.raises(PublisherError) as refused:
        build_site(VOLUME, mine, today=date(2025, 1, 15))
    assert refused.value.diagnostics[0].code == "site-folder"
    assert [p.name for p in mine.iterdir()] == ["lettre.txt"]


# ── In the browser ───────────────────────────────────────────────────────────

def test_every_page_loads_without_an_error_or_a_request_outside_the_site(browser, served, pages):
    page, requests, errors = opened(browser, served)
    problems = {}
    for path in pages:
        requests.clear()
        errors.clear()
        page.goto(served + path.removesuffix("index.html"))
        page.evaluate("() => document.fonts.ready.then(() => true)")      # the book's fonts asked for, and got
        outside = [u for u in requests if not u.startswith(served) and not u.startswith("data:")]
        if outside or errors:
            problems[path] = outside + errors
    page.context.close()
    assert problems == {}


def test_axe_finds_nothing_on_the_home_page_a_fiche_the_glossary_and_the_index(browser, served, tmp_path):
    """At 1280 px and at a phone's 375 px (nothing to scroll sideways there); screenshots in tmp_path."""
    if not AXE.is_file():
        pytest.fail("axe-core is missing: make test installs it (tests/node/package.json)")
    book, _ = prepare(VOLUME)
    found = {}
    for width in (1280, 375):
        for path in ("", f"{book.fiches[0].id}/", "glossaire/", "index/"):
            page, _, _ = opened(browser, served + path, width)
            page.add_script_tag(path=str(AXE))
            found[(width, path)] = page.evaluate(
                "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
                ".map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))")
            wide = page.evaluate("document.documentElement.scrollWidth")
            if wide > width:
                found[(width, path)].append(f"{wide} px wide")
            page.screenshot(path=str(tmp_path / f"{width}-{path.strip('/') or 'accueil'}.png"), full_page=True)
            page.context.close()
    assert {k: v for k, v in found.items() if v} == {}


def test_a_search_for_a_word_of_a_fiche_finds_that_fiche(browser, served, site):
    """A word of one fiche only, which that fiche writes after an elision (« l’alternance »: Pagefind cuts words
    at ' but not at the typographer's ’), taken from the pages, not written here, searched from the box at the
    top of a page: the first result is that fiche."""
    book, _ = prepare(VOLUME)
    _, out = site
    indexed, elided = {}, {}                    # what Pagefind reads: each page's data-pagefind-body
    for path in out.rglob("index.html"):
        body = lxml_html.parse(str(path)).getroot().xpath("//*[@data-pagefind-body]")
        if body:
            text = body[0].text_content()
            indexed[path.parent.name] = {w.lower() for w in re.findall(r"[^\W\d_]+", text)}
            elided[path.parent.name] = {w.lower() for w in re.findall(r"\b(?:[ldjnmtsc]|qu)\u2019([^\W\d_]+)", text,
                                                                     re.IGNORECASE)}
    # its stem in no other page (Pagefind stems French: « accompagnateur » finds « accompagnateurs »)
    others = {name: {w[:6] for n, words in indexed.items() if n != name for w in words} for name in indexed}
    fiche, word = next((f, w) for f in book.fiches for w in sorted(elided[f.id])
                       if len(w) >= 8 and w[:6] not in others[f.id])
    page, _, errors = opened(browser, served)
    page.fill("#q", word)
    page.click("form.search button")
    page.wait_for_selector(".pagefind-ui__result-link")
    links = page.eval_on_selector_all(".pagefind-ui__result-link", "links => links.map(a => a.href)")
    assert not page.locator("form.offline").is_visible()        # the search from the disk: only from the disk
    assert links and urlparse(links[0]).path.rstrip("/").endswith(fiche.id), (word, links)
    page.click(".pagefind-ui__result-link")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text().replace("\u00a0", " ") == fiche.title.replace("\u00a0", " ")
    assert errors == []


def test_opened_from_the_disk_links_lead_to_pages_and_the_search_still_finds(browser, site):
    """From the folder itself (file://, where Pagefind cannot run): a fiche's link opens the fiche, not the
    folder, and the search page finds a fiche's words in the book's text and leads to it."""
    _, out = site
    book, _ = prepare(VOLUME)
    page, requests, errors = opened(browser, (out / "index.html").as_uri())
    first = book.fiches[0]
    page.click(f"a[href^='{first.id}/']")
    page.wait_for_load_state()
    assert page.url.endswith(f"{first.id}/index.html")
    assert page.locator("h1").inner_text().replace("\u00a0", " ") == first.title.replace("\u00a0", " ")
    fiche = book.fiches[-1]
    words = " ".join(w for w in re.findall(r"[^\W\d_]{6,}", fiche.title)[:2])
    page.fill("#q", words)
    page.click("form.search button")
    page.wait_for_selector(".found a")
    assert page.locator(".note").is_visible()
    page.click(f".found a[href*='{fiche.id}/']")
    page.wait_for_load_state()
    assert page.url.endswith(f"{fiche.id}/index.html")
    assert [u for u in requests if not u.startswith("file://") and not u.startswith("data:")] == []
    assert errors == []

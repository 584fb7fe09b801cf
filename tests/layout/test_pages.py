"""The laid-out pages as the layout reads them once (publisher/layout/pages.py): each line, paragraph
and note where a reader sees it, each source line found again in its fiche, from any folder."""

from __future__ import annotations

import pickle
import re
from datetime import date

from publisher.build import prepare
from publisher.layout import PartCache, lay_out
from publisher.model import SourceLocation
from publisher.render.html import render_html

from ..conftest import MINIBOOK

TODAY = date(2025, 1, 15)


def test_each_paragraph_is_on_the_page_that_shows_it_and_knows_its_line(minibook):
    result, pdf = minibook
    first_page: dict[str, int] = {}
    for page in result.paginated.pages:
        for src in page.paragraphs:
            first_page.setdefault(src, page.number)
    for src, number in first_page.items():
        where = SourceLocation.from_src(src, result.book.root)
        assert where.path.endswith(src.rpartition(":")[0]), src
        lines = (MINIBOOK / src.rpartition(":")[0]).read_text(encoding="utf-8").splitlines()
        source = lines[where.line - 1]
        if source.startswith("lead:"):               # the chapeau carries its line of the front matter
            source = source[5:]
        word = next(w for w in re.findall(r"[^\W\d_]{4,}", source))
        assert word in pdf.text[number - 1], (src, number, word)
    assert len(first_page) >= 8


def test_every_footnote_is_printed_on_the_page_of_its_call(minibook):
    result, _ = minibook
    called = [page for page in result.paginated.pages if page.calls]
    assert called and all(page.calls <= page.bodies for page in called)


def test_lines_are_counted_top_to_bottom_and_the_folio_is_apart(minibook):
    result, pdf = minibook
    page = next(p for p in result.paginated.pages if p.paragraphs and p.kind == "")
    text = [line for line in page.lines if not line.margin]
    assert [line.top for line in text] == sorted(line.top for line in text)
    assert all(page.text_left < page.text_right <= page.width for _ in text)
    assert pdf.foot(page.number) == str(page.number)          # the folio sits in a margin box


def test_pages_travel_between_processes_unchanged(minibook):
    result, _ = minibook
    assert pickle.loads(pickle.dumps(result.paginated.pages)) == result.paginated.pages


def test_the_html_and_the_cache_do_not_depend_on_the_folder_the_command_runs_from(tmp_path, monkeypatch):
    book, _ = prepare(MINIBOOK)
    html = render_html(book, today=TODAY)
    assert 'data-src="fiches/alpha.md:' in html
    cache = PartCache(tmp_path / "cache")
    cold = lay_out(book, TODAY, workers=1, cache=cache)
    cache.save()
    elsewhere = tmp_path / "ailleurs"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    moved, _ = prepare(MINIBOOK)
    assert moved.fiches[0].location.path != book.fiches[0].location.path      # an editor sees another path…
    assert render_html(moved, today=TODAY) == html                            # … the layout the same HTML
    warm = lay_out(moved, TODAY, workers=1, cache=PartCache(tmp_path / "cache"))
    assert set(warm.layouts) == {0} and warm.pages == cold.pages

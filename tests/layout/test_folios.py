"""The folios drawn from their model pages: each page as WeasyPrint would print its folio and running head."""

from __future__ import annotations

import io
import subprocess
from dataclasses import replace

import pikepdf
import pytest
from PIL import Image, ImageChops

from publisher.build import prepare
from publisher.layout import PartCache, layout_of
from publisher.layout.folios import Folios, model_first, model_html
from publisher.layout.pdf import blank_page
from publisher.layout.worker import lay_out_part
from publisher.render.html import render_folios

from ..conftest import MINIBOOK

FIRSTS = (7, 97, 997)         # six pages from each: the folios gain a figure on the way (10, 100, 1000)


@pytest.fixture(scope="module")
def folios(tmp_path_factory):
    """The mini book's folios: their model documents (one to four figures), and the pages 7–12, 97–102 and
    997–1002 as WeasyPrint lays out the folios of a book, page after page (what a book in one document prints)."""
    book, _ = prepare(MINIBOOK)
    layout = layout_of(book, PartCache(None), None, proof=False, runs=None, made=None)
    job = replace(layout.template, page_css=layout.folio_css, last=True, also=(), pdf_options=())
    models = tuple(lay_out_part(replace(job, html=model_html(book, figures))).pdf for figures in range(1, 5))
    printed = {first: lay_out_part(replace(job, html=render_folios(book, ("",) * 6, first))).pdf for first in FIRSTS}
    return models, printed


def drawn(models: tuple[bytes, ...], numbers: range, like: pikepdf.Page) -> bytes:
    """Blank pages numbered ``numbers``, each given its folio from the models."""
    book = pikepdf.new()
    for _ in numbers:
        book.pages.append(blank_page(book, like))
    folios = Folios(book, models)
    for page, number in zip(book.pages, numbers):
        folios.draw(page, number)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def rasterized(pdf: bytes, into, name: str) -> list[Image.Image]:
    (into / f"{name}.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-gray", "-r", "100", str(into / f"{name}.pdf"), str(into / name)], check=True)
    return [Image.open(path) for path in sorted(into.glob(f"{name}-*.pgm"))]


def text_per_page(pdf: bytes) -> list[str]:
    out = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True).stdout
    return [" ".join(page.split()) for page in out.decode().split("\f")[:-1]]


@pytest.mark.parametrize("first", FIRSTS)
def test_a_folio_drawn_from_its_model_is_the_one_weasyprint_prints(folios, first, tmp_path):
    """Right and left pages, one figure more on the way: the same text (the number, the book's title over a
    left page) and not one pixel apart."""
    models, printed = folios
    with pikepdf.open(io.BytesIO(printed[first])) as reference:
        ours = drawn(models, range(first, first + 6), reference.pages[0])
    expected = text_per_page(printed[first])
    assert [page.split()[-1] for page in expected] == [str(n) for n in range(first, first + 6)]
    assert text_per_page(ours) == expected
    for mine, theirs in zip(rasterized(ours, tmp_path, "ours"), rasterized(printed[first], tmp_path, "printed"),
                            strict=True):
        assert ImageChops.difference(mine, theirs).getbbox() is None


def test_a_model_is_a_right_page_then_a_left_one_with_as_many_figures():
    assert [(model_first(f), model_first(f) + 1) for f in (1, 2, 3)] == [(1, 2), (11, 12), (101, 102)]
    assert all(len(str(model_first(f))) == len(str(model_first(f) + 1)) == f and model_first(f) % 2
               for f in range(1, 6))

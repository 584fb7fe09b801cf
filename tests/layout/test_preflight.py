"""Preflight: fonts, image resolution, overflow and page count, each finding naming its page."""

from __future__ import annotations

import io
import re

import pikepdf
from click.testing import CliRunner
from pikepdf import Array, Dictionary, Name

from publisher.build import preflight_volume
from publisher.cli import main
from publisher.layout.preflight import fonts, page_count
from publisher.paths import FONTS

GAMMA_EXTRA = """

::: figure
![Basse définition](images/petite.png)

Une image trop petite.
:::

::: figure
![Définition moyenne](images/moyenne.png)

Une image un peu juste.
:::

::: figure
![Bonne définition](images/grande.png)

Une image assez fine.
:::

Une adresse impossible à couper : `{word}`.
"""


def planted(book_copy):
    from PIL import Image

    images = book_copy / "images"
    images.mkdir()
    # A small image keeps its CSS size (1 px = 1/96 in): 96 dpi. Wider ones are scaled down to the
    # text width (131 mm = 5.16 in): 1200 px → 232 dpi, 2000 px → 388 dpi.
    for name, width in (("petite", 100), ("moyenne", 1200), ("grande", 2000)):
        Image.new("RGB", (width, width // 2), "white").save(images / f"{name}.png")
    gamma = book_copy / "fiches" / "gamma.md"
    gamma.write_text(gamma.read_text(encoding="utf-8") + GAMMA_EXTRA.format(word="x" * 120), encoding="utf-8")
    lines = gamma.read_text(encoding="utf-8").splitlines()
    return {name: next(i for i, line in enumerate(lines, start=1) if text in line)
            for name, text in (("petite", "::: figure"), ("code", "impossible"))} | {
        "moyenne": [i for i, line in enumerate(lines, start=1) if line == "::: figure"][1]}


def test_low_resolution_images_and_overflow_are_found_with_their_page_and_line(book_copy):
    lines = planted(book_copy)
    diagnostics = [d for d in preflight_volume(book_copy) if d.code in ("image-resolution", "overflow")]
    images = sorted((d.location.line, d.severity.value, d.message) for d in diagnostics if d.code == "image-resolution")
    assert [(line, severity) for line, severity, _ in images] == [(lines["petite"], "error"),
                                                                  (lines["moyenne"], "warning")]
    assert "petite.png n'a que 96 dpi" in images[0][2]
    assert 150 <= int(re.search(r"moyenne.png n'a que (\d+) dpi", images[1][2]).group(1)) < 300
    assert all(message.startswith("page ") for *_, message in images)
    [overflow] = [d for d in diagnostics if d.code == "overflow"]
    assert overflow.location.line == lines["code"] and overflow.location.path.endswith("gamma.md")
    assert overflow.severity.value == "error" and "xxxxxxxx" in overflow.message


def test_build_reports_preflight_errors_and_exits_non_zero(book_copy, tmp_path):
    planted(book_copy)
    out = tmp_path / "x.pdf"
    run = CliRunner().invoke(main, ["build", str(book_copy), "-o", str(out)])
    assert run.exit_code == 1
    assert "[image-resolution]" in run.output and "[overflow]" in run.output
    assert out.exists()                   # written so that the editor can look at the pages named


def test_check_preflight_on_a_clean_book_finds_nothing(book_copy):
    run = CliRunner().invoke(main, ["check", "--preflight", str(book_copy)])
    assert run.exit_code == 0, run.output
    assert not any(code in run.output for code in ("[font-", "[image-resolution]", "[overflow]", "[page-count]"))


def test_only_shipped_and_embedded_fonts_pass(tmp_path):
    from fontTools.ttLib import TTFont
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    font = TTFont(str(FONTS / "SourceSans3-Regular.otf"))
    for record in font["name"].names:
        if record.nameID == 6:
            record.string = "Intruse-Regular"
    font.save(str(tmp_path / "intruse.otf"))
    config = FontConfiguration()
    css = CSS(string=f'@font-face {{ font-family: X; src: url("{(tmp_path / "intruse.otf").as_uri()}"); }}'
                     ' body { font-family: X; }', font_config=config)
    pdf = HTML(string="<p>Bonjour</p>").write_pdf(stylesheets=[css], font_config=config)
    [finding] = fonts(pikepdf.open(io.BytesIO(pdf)), "x.pdf")
    assert finding.code == "font-not-shipped" and "Intruse-Regular" in finding.message
    assert finding.message.startswith("page 1 :")

    def one_page(resources: Dictionary, pdf: pikepdf.Pdf | None = None) -> pikepdf.Pdf:
        pdf = pdf or pikepdf.new()
        pdf.add_blank_page(page_size=(200, 200))
        pdf.pages[0].Resources = resources
        bare = io.BytesIO()
        pdf.save(bare)
        return pikepdf.open(bare)

    helvetica = Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica)
    [finding] = fonts(one_page(Dictionary(Font=Dictionary(F1=helvetica))), "x.pdf")
    assert finding.code == "font-not-embedded" and "Helvetica" in finding.message

    # the same font in a form the page draws (as the folios are laid over every page): found there too
    pdf = pikepdf.new()
    form = pikepdf.Stream(pdf, b"", Type=Name.XObject, Subtype=Name.Form, BBox=Array([0, 0, 200, 200]),
                          Resources=Dictionary(Font=Dictionary(F1=helvetica)))
    [finding] = fonts(one_page(Dictionary(XObject=Dictionary(Folio=form)), pdf), "x.pdf")
    assert finding.code == "font-not-embedded" and finding.message.startswith("page 1 :")


def test_the_volume_passes_preflight(volume):
    result, _ = volume
    codes = {d.code for d in result.diagnostics}
    assert not codes & {"font-not-embedded", "font-not-shipped", "image-resolution", "overflow", "page-count"}


def test_page_count_finding(book_copy):
    from publisher.source.load import load_book

    book, _ = load_book(book_copy)                # pad_to: 4 by default
    five = pikepdf.new()
    for _ in range(5):
        five.add_blank_page(page_size=(100, 100))
    [finding] = page_count(five, book.config)
    assert finding.code == "page-count" and "5 pages, pas un multiple de 4" in finding.message

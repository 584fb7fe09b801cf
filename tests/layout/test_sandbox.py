"""A build reads the book's own files and nothing else: no file outside it, no device, no network.

Each case plants a reference to something outside the book and checks what an
editor is told (file, line, code) and that none of it reaches the PDF.
"""

from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from publisher.build import prepare
from publisher.cli import main
from publisher.layout.paginate import paginate
from publisher.paths import FONTS, LAYOUTS
from publisher.render.html import render_html, render_page_css
from publisher.source.resources import Allowed

SECRET = Path("/etc/passwd")
SECRET_WORDS = "root:x:0:0"          # what /etc/passwd holds on every Debian machine


def add_figure(book: Path, src: str) -> int:
    """A figure at the end of gamma; returns the line of its « ::: figure »."""
    gamma = book / "fiches" / "gamma.md"
    text = gamma.read_text(encoding="utf-8")
    line = text.count("\n") + 2
    gamma.write_text(text + f"\n::: figure\n![Une image]({src})\n\nUne image de test.\n:::\n", encoding="utf-8")
    return line


def add_text(book: Path, text: str) -> int:
    gamma = book / "fiches" / "gamma.md"
    before = gamma.read_text(encoding="utf-8")
    gamma.write_text(before + "\n" + text + "\n", encoding="utf-8")
    return before.count("\n") + 2


def found(book: Path, code: str):
    _, diagnostics = prepare(book)
    return [d for d in diagnostics if d.code == code]


def build(book: Path, tmp_path: Path, *extra: str):
    out = tmp_path / "v.pdf"
    run = CliRunner().invoke(main, ["build", str(book), "-o", str(out), *extra])
    return run, out


def nothing_leaked(pdf: Path) -> None:
    reader = PdfReader(str(pdf))
    text = "".join(page.extract_text() for page in reader.pages)
    assert SECRET_WORDS not in text and "root:" not in text
    assert not reader.attachments
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            uri = annot.get_object().get("/A", {}).get("/URI", "")
            assert not str(uri).startswith(("file:", "/", "..")), uri


@pytest.mark.parametrize("src", [
    "file:///etc/passwd",                   # a local file by URL
    "/etc/passwd",                          # by absolute path
    "../../../../../../../../etc/passwd",   # out of the book by ../
    "https://example.invalid/photo.jpg",    # the network
    "/dev/urandom",                         # a device that never ends
])
def test_an_image_from_outside_the_book_is_refused_at_its_line(book_copy, tmp_path, src):
    line = add_figure(book_copy, src)
    [d] = found(book_copy, "forbidden-resource")
    # the « ::: figure » line, or the image's own line just below it
    assert d.location.path.endswith("gamma.md") and d.location.line in (line, line + 1) and d.severity.value == "error"
    run, out = build(book_copy, tmp_path)
    assert run.exit_code == 1 and "[forbidden-resource]" in run.output and not out.exists()


def test_a_symbolic_link_out_of_the_book_is_refused(book_copy, tmp_path):
    (book_copy / "images").mkdir()
    (book_copy / "images" / "photo.jpg").symlink_to(SECRET)
    (book_copy / "images" / "bruit.png").symlink_to("/dev/urandom")
    add_figure(book_copy, "images/photo.jpg")
    add_figure(book_copy, "images/bruit.png")
    assert len(found(book_copy, "forbidden-resource")) == 2
    run, out = build(book_copy, tmp_path)
    assert run.exit_code == 1 and not out.exists()


def test_a_file_that_is_not_an_image(book_copy, tmp_path):
    (book_copy / "images").mkdir()
    (book_copy / "images" / "photo.jpg").write_text("Ceci n'est pas une image.", encoding="utf-8")
    line = add_figure(book_copy, "images/photo.jpg")
    [d] = found(book_copy, "not-an-image")
    assert d.location.line in (line, line + 1) and "PNG, JPEG" in d.message


SVG = """<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="300" height="200">
<rect width="300" height="200" fill="#999"/>
<image href="file:///etc/passwd" width="10" height="10"/>
<image xlink:href="https://example.invalid/tracker.png" width="10" height="10"/>
</svg>
"""


def test_what_an_svg_image_refers_to_is_refused_and_located(book_copy, tmp_path):
    (book_copy / "images").mkdir()
    (book_copy / "images" / "schema.svg").write_text(SVG, encoding="utf-8")
    add_figure(book_copy, "images/schema.svg")
    assert not found(book_copy, "forbidden-resource")          # the SVG itself is a file of the book
    run, out = build(book_copy, tmp_path)
    assert run.exit_code == 1, run.output                       # the PDF is written, the error stops the print
    assert re.search(r"images/schema\.svg:3: error: « file:///etc/passwd » est hors du livre", run.output)
    assert re.search(r"images/schema\.svg:4: error: « https://example\.invalid/tracker\.png »", run.output)
    nothing_leaked(out)


LOCAL_LINKS = [("Voir [le fichier](file:///etc/passwd).", "file:///etc/passwd"),
               ("Voir [le fichier](/etc/passwd).", "/etc/passwd"),
               ("Voir [le script](javascript:alert(1)).", "javascript:alert(1")]


def test_a_link_to_a_local_file_is_refused(book_copy, tmp_path):
    lines = {add_text(book_copy, markdown): shown for markdown, shown in LOCAL_LINKS}    # one paragraph each
    said = found(book_copy, "forbidden-link")
    assert len(said) == len(LOCAL_LINKS)
    for d in said:
        assert lines[d.location.line] in d.message, d.format()
    run, out = build(book_copy, tmp_path)                      # one build for the three: none is a link
    assert run.exit_code == 0, run.output
    nothing_leaked(out)


def test_raw_html_never_reaches_the_document(book_copy, tmp_path):
    line = add_text(book_copy, '<script>alert(1)</script> <img src="x" onerror="alert(1)"> '
                               '<link rel="attachment" href="file:///etc/passwd"> <span style="color:red">rouge</span>')
    raw = found(book_copy, "raw-html")
    assert raw and all(d.location.line == line for d in raw)
    book, _ = prepare(book_copy)
    html = render_html(book)
    # the tags are text (escaped), none is a tag of the document
    assert "<script" not in html and "<link" not in html and "<img" not in html and "&lt;script&gt;" in html
    assert not re.search(r"<[^<>]*\s(?:onerror|style)=", html)
    run, out = build(book_copy, tmp_path)
    assert run.exit_code == 0, run.output
    nothing_leaked(out)


def test_stylesheets_cannot_import_or_load_from_outside(book_copy):
    book, _ = prepare(book_copy)
    hostile = ("@import url(file:///etc/passwd);\n" + render_page_css(book) +
               "\nbody { background: url(file:///etc/hostname); }\n"
               "@font-face { font-family: X; src: url(https://example.invalid/x.woff); }\n")
    paginated = paginate(render_html(book, today=date(2025, 1, 15)), hostile, book.root)
    assert set(paginated.refused) >= {"file:///etc/passwd", "file:///etc/hostname", "https://example.invalid/x.woff"}
    assert SECRET_WORDS.encode() not in paginated.pdf_bytes()


def test_a_non_icc_output_profile_is_refused_at_its_line(book_copy):
    with (book_copy / "book.yaml").open("a", encoding="utf-8") as f:
        f.write("print:\n  output_profile: /etc/passwd\n")
    run = CliRunner().invoke(main, ["check", str(book_copy)])
    assert run.exit_code == 1 and re.search(r"book\.yaml:15: error: « print\.output_profile » doit être un profil ICC",
                                            run.output)


def test_the_allowed_places(tmp_path):
    book = tmp_path / "book"
    (book / "images").mkdir(parents=True)
    (book / "images" / "a.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (book / "images" / "out.png").symlink_to(SECRET)
    allowed = Allowed.of((book, LAYOUTS, FONTS))
    assert allowed.allows((book / "images" / "a.png").as_uri())
    assert allowed.allows((LAYOUTS / "print.css").as_uri())
    assert allowed.allows("data:image/png;base64,iVBORw0KGgo=")
    for url in (SECRET.as_uri(), (book / "images" / "out.png").as_uri(), "file:///dev/urandom",
                (book / "images").as_uri(), "https://example.invalid/a.png", "http://127.0.0.1/a.png",
                "ftp://example.invalid/a", f"file://{os.uname().nodename}/etc/passwd"):
        assert not allowed.allows(url), url


def test_the_real_book_builds_without_any_refusal(volume):
    result, _ = volume
    assert result.paginated.refused == ()
    assert not [d for d in result.diagnostics if d.code in ("forbidden-resource", "forbidden-link", "raw-html")]

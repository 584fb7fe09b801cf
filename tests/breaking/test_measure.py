"""Widths known before the layout are the layout's: every piece of text WeasyPrint sets on a page of the
book's own style sheets — roman, italic, bold, small capitals of an acronym, superior letters, a note,
a title — is as wide as the shipped fonts shaped by HarfBuzz say, within a fiftieth of a pixel."""

from __future__ import annotations

from publisher.breaking.measure import Fonts, Style, faces_of
from publisher.build import prepare
from publisher.layout.paginate import paginate
from publisher.paths import FONTS, LAYOUTS
from publisher.render.html import render_page_css

from ..conftest import MINIBOOK

PAGE = """<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Mesures</title></head><body>
<article class="fiche"><header><p class="fiche-year">1984</p><h1 class="fiche-title">Les premières années du
CAI</h1></header><p class="lead">Un chapeau en italique, où le <abbr>CPAS</abbr> garde ses capitales.</p>
<p>Le <abbr title="Centre d’action interculturelle">CAI</abbr> ouvre le 1<sup>er</sup> mai, au XIX<sup>e</sup>
siècle disait-on, <em>une permanence</em> et <strong>un bureau</strong>\u202f; «\u202fenfin\u202f!\u202f»
dit-on à Namur, où 12\u00a0000 personnes et le <abbr>CPAS</abbr> l’attendaient depuis longtemps déjà.</p>
<p>Un second paragraphe, justifié comme le premier, long assez pour tenir sur plusieurs lignes et montrer
que l’espacement ajouté par la justification n’est pas compté dans la largeur naturelle des mots.</p>
</article></body></html>"""


def boxes_of(box):
    from weasyprint.formatting_structure import boxes

    if isinstance(box, boxes.TextBox):
        yield box
    for child in getattr(box, "children", None) or ():
        yield from boxes_of(child)


def test_every_piece_of_text_is_as_wide_as_harfbuzz_says():
    book, _ = prepare(MINIBOOK)
    laid = paginate(PAGE, render_page_css(book), MINIBOOK)
    fonts = Fonts()
    seen, worst, which = set(), 0.0, None
    for page in laid.document.pages:
        for box in boxes_of(page._page_box):
            style = Style.of(box.style)
            spaces = box.text.count(" ") + box.text.count("\u00a0")
            natural = box.width - (box.justification_spacing or 0) * spaces      # the justification set aside
            off = abs(natural - fonts.width(box.text, style))
            if off > worst:
                worst, which = off, (box.text, style, box.width, box.justification_spacing, box.element_tag)
            seen.add((style.family, style.weight, style.italic, round(style.size, 1), dict(style.features).get("smcp", 0),
                      dict(style.features).get("sups", 0)))
    assert worst < 0.05, which
    assert {("Source Serif 4", 400, True), ("Source Serif 4", 700, False), ("Source Sans 3", 600, False)} <= \
        {s[:3] for s in seen}                                           # italic, bold, a title's sans serif
    assert any(s[4] for s in seen) and any(s[5] for s in seen)       # small capitals, superior letters


def test_the_faces_are_the_shipped_files_the_style_sheet_names():
    faces = faces_of(LAYOUTS / "fonts.css")
    assert faces[("Source Serif 4", 400, True)] == (FONTS / "SourceSerif4SmText-It.otf").resolve()
    assert all(path.is_file() and path.parent == FONTS.resolve() for path in faces.values())
    fonts = Fonts()
    assert fonts.face(Style("Source Serif 4", 500)).name == "SourceSerif4SmText-Regular.otf"     # the nearest weight
    assert fonts.width("mm", Style("Source Serif 4")) > fonts.width("ii", Style("Source Serif 4")) > 0

"""Paragraphs set line by line by the breaker, then laid out by WeasyPrint with the book's style sheets:
WeasyPrint prints exactly the chosen lines — with italics, bold, an acronym in small capitals, superior
letters, an indented first line, a word cut by a hyphen, a line whose spaces shrink — justified to the
measure, the last line not stretched; a footnote's call kept whole; a paragraph with a line break of its
own is left to WeasyPrint."""

from __future__ import annotations

from xml.etree import ElementTree

from publisher.breaking.measure import Fonts
from publisher.breaking.setting import set_paragraph
from publisher.build import prepare
from publisher.layout.paginate import paginate
from publisher.paths import LAYOUTS
from publisher.render.html import render_page_css

from ..conftest import MINIBOOK

TEXT = ("Toutes ces modifications bouleversent la façon de mettre en œuvre l’accompagnement du public. En lien avec "
        "son projet politique, le <abbr title=\"Centre d’action interculturelle\">CAI</abbr> décide d’utiliser le "
        "terme «\u202f<em>accompagnateur interculturel</em>\u202f» pour nommer la fonction de première ligne "
        "responsable de cet accompagnement<a class=\"fn-call\" href=\"#n1\"><span class=\"fn\" data-n=\"1\">Une "
        "note en bas de page.</span></a>, depuis le 1<sup>er</sup> janvier, au XXI<sup>e</sup> siècle. "
        "<strong>Cette posture</strong> est définie dans un document officiel intitulé «\u202fLe métier "
        "d’accompagnateur interculturel au <abbr>CAI</abbr>\u202f»\u202f: tout au long de l’accompagnement, elle "
        "implique un sens de l’ouverture, la prise en compte de l’autre dans ce qu’il est.")
PAGE = ("<!DOCTYPE html><html lang=\"fr\"><head><meta charset=\"utf-8\"><title>Lignes</title></head><body>"
        "<article class=\"fiche\"><p>{0}</p><p>{0} Elle prône de considérer la personne comme actrice de son "
        "parcours.</p><p>Une note<a class=\"fn-call\"><span class=\"fn\" data-n=\"1\">La note.</span></a> ici,<br>"
        "et une ligne forcée là.</p>"
        "</article></body></html>").format(TEXT)
MM = 96 / 25.4


def lines_of(box, out):
    from weasyprint.formatting_structure import boxes

    if isinstance(box, boxes.LineBox):
        texts = [b for b in box.descendants() if isinstance(b, boxes.TextBox)]
        out.append(("".join(b.text for b in texts), texts[-1]))          # the line, and its last piece of text
        return out
    for child in getattr(box, "children", None) or ():
        lines_of(child, out)
    return out


def as_printed(element) -> str:
    """The element's text as the page prints it: a footnote's call as its number, not the note; a line
    break as a new line; a cross-reference with the number its style sheet prints after it."""
    if element.get("class") == "fn-call":
        return element.find("span").get("data-n")
    if element.tag == "br":
        return "\n"
    after = element.get("data-page", "") if "xref" in (element.get("class") or "") else ""
    return (element.text or "") + "".join(as_printed(child) + (child.tail or "") for child in element) + after


def chosen_lines(p) -> list[str]:
    """The lines the breaker wrote into the paragraph, as printed."""
    return as_printed(p).split("\n")


def test_weasyprint_prints_the_lines_the_breaker_chose():
    from weasyprint import CSS, HTML
    from weasyprint.css import get_all_computed_styles
    from weasyprint.text.fonts import FontConfiguration

    book, _ = prepare(MINIBOOK)
    page_css = render_page_css(book)
    fonts, config = Fonts(), FontConfiguration()
    html = HTML(string=PAGE, base_url=str(LAYOUTS) + "/")
    style_for = get_all_computed_styles(html, [CSS(filename=str(LAYOUTS / "print.css"), font_config=config),
                                               CSS(string=page_css, font_config=config)], font_config=config)
    width = (book.config.page.width_mm - book.config.page.inner_mm - book.config.page.outer_mm) * MM
    paragraphs = list(html.etree_element.iter("p"))
    assert [set_paragraph(p, style_for, fonts, width) for p in paragraphs] == [True, True, False]
    chosen = [line for p in paragraphs[:2] for line in chosen_lines(p)]
    assert any("word-spacing: -" in p.get("style", "") for p in paragraphs[:2])                # a line shrinks
    assert any(line.endswith("\u2010") for line in chosen)                          # a word cut by the breaker

    laid = paginate(ElementTree.tostring(html.etree_element, encoding="unicode", method="html"), page_css, MINIBOOK)
    printed = [line for page in laid.document.pages for line in lines_of(page._page_box, [])]
    assert [text.strip() for text, _ in printed[:len(chosen)]] == [line.strip() for line in chosen]
    ends = [last.position_x + last.width for _, last in printed[:len(chosen)]]
    right = max(ends)
    last_lines = {len(chosen) // 2 - 1, len(chosen) - 1}
    assert all(abs(end - right) < 0.5 for k, end in enumerate(ends) if k not in last_lines)   # justified
    assert all(ends[k] < right - 20 for k in last_lines)                                    # the last: not stretched


def test_a_cross_reference_cut_across_two_lines_prints_its_number_once():
    """« voir / p. 37 »: the breaker measures the number the style sheet prints after the link (its
    ``data-slot``, as wide as the number written there); where a line ends inside the link, the number is printed
    once, after its last line."""
    from weasyprint import CSS, HTML
    from weasyprint.css import get_all_computed_styles
    from weasyprint.text.fonts import FontConfiguration

    book, _ = prepare(MINIBOOK)
    page_css = render_page_css(book)
    text = ("Le décret prévoit une série de mesures pour faciliter leur intégration (<a class=\"xref\" "
            "href=\"#ailleurs\" data-slot=\"37\">voir p.\u00a0</a>), un accueil initial, des formations en langue "
            "française, des modules de participation citoyenne et une orientation socioprofessionnelle.")
    page = ("<!DOCTYPE html><html lang=\"fr\"><head><meta charset=\"utf-8\"><title>Renvoi</title></head>"
            "<body><article class=\"fiche\"><p>{}</p><p id=\"ailleurs\">Ailleurs.</p>"
            "</article></body></html>").format(text)
    config = FontConfiguration()
    for width in range(200, 495, 3):
        html = HTML(string=page, base_url=str(LAYOUTS) + "/")
        style_for = get_all_computed_styles(html, [CSS(filename=str(LAYOUTS / "print.css"), font_config=config),
                                                   CSS(string=page_css, font_config=config)], font_config=config)
        p = next(html.etree_element.iter("p"))
        assert set_paragraph(p, style_for, Fonts(), width)
        xref = next(a for a in p.iter("a") if "xref" in a.get("class", ""))
        if "\n" in as_printed(xref):
            break
    assert "\n" in as_printed(xref)                               # cut inside: « voir / p. »
    laid = paginate(ElementTree.tostring(html.etree_element, encoding="unicode", method="html"), page_css, MINIBOOK)
    printed = [text.strip() for page in laid.document.pages for text, _ in lines_of(page._page_box, [])]
    joined = " ".join(printed)
    assert joined.count("37") == 1 and "(voir p.\u00a037)," in joined
    ending = next(k for k, line in enumerate(printed) if line.endswith("voir"))
    assert printed[ending + 1].startswith("p.\u00a037),")


def test_a_ragged_paragraph_keeps_a_one_letter_word_and_a_number_with_the_next_word():
    """A chapeau, set ragged by WeasyPrint: the spaces after « a », « à » and a number that counts are made
    no-break ones, nothing else changes; a paragraph with none is left as it was."""
    from publisher.breaking.setting import bind_refused

    p = ElementTree.fromstring("<p>Le <abbr>CAI</abbr> a développé  45 projets à Namur, en 2016, dans la ville.</p>")
    assert bind_refused(p)
    assert "".join(p.itertext()) == "Le CAI a\u00a0développé 45\u00a0projets à\u00a0Namur, en 2016, dans la ville."
    plain = ElementTree.fromstring("<p>Rien   ici.</p>")
    assert not bind_refused(plain) and plain.text == "Rien   ici."

"""The Index as a reader checks it: each entry lists exactly the pages where its term is printed."""

from __future__ import annotations

import re
from datetime import date

import pytest

from publisher.build import build_volume, prepare
from publisher.diagnostics import PublisherError
from publisher.enrich.index import PageRef, index_letters, page_refs

from ..conftest import VOLUME, Pdf, normalise


def body_pages(result, pdf, book) -> dict[int, str]:
    """Text of the fiches' pages, without running heads and folios."""
    pages = result.paginated.anchor_pages()
    first, last = pages[book.fiches[0].anchor], pages["glossaire"] - 1
    heads = {normalise(book.config.title)} | {normalise(f.short_title) for f in book.fiches}
    out = {}
    for number in range(first, last + 1):
        lines = [normalise(line) for line in pdf.raw[number - 1].splitlines()]
        lines = [line for line in lines if line and line not in heads and not line.isdigit()]
        # words inside a web address (wallex.wallonie.be) are no occurrence of a term
        out[number] = re.sub(r"(?:https?://|www\.)\S+", " ", normalise("\n".join(lines)))
    return out


def variant_regex(variants) -> re.Pattern:
    def one(v: str) -> str:
        v = normalise(v)
        head = f"[{re.escape(v[0].upper())}{re.escape(v[0].lower())}]"
        return head + "".join(r"\s+" if c == " " else "['’]" if c in "'’" else re.escape(c) for c in v[1:])
    return re.compile(r"(?<![\w-])(?:" + "|".join(one(v) for v in sorted(variants, key=len, reverse=True)) + r")(?![\w])")


def fold(text: str) -> str:
    text = re.sub(r"\s+", " ", text).replace("’", "'")
    return text[:1].lower() + text[1:]


@pytest.fixture(scope="module")
def printed_index(volume):
    result, pdf = volume
    book, _ = prepare(VOLUME)
    return book, result, pdf, index_letters(book, result.paginated.anchor_pages())


def test_every_entry_lists_the_pages_where_its_term_is_printed(printed_index):
    assert entries_match_the_text_layer(*printed_index) >= 60


def entries_match_the_text_layer(book, result, pdf, letters) -> int:
    """Asserts that every entry lists exactly the pages where its term is printed; returns how many were checked."""
    texts = body_pages(result, pdf, book)
    # What a reader looks for under each entry: the words of index.yaml, and an acronym's own letters.
    looked_for: dict[str, tuple[str, ...]] = {}
    for term in book.index.terms:
        if not term.see:
            for variant in (term.term, *term.variants):
                looked_for.setdefault(fold(normalise(variant)), (normalise(term.term),))
        for sub in term.sub:
            for variant in sub.variants:
                looked_for[fold(normalise(variant))] = (normalise(term.term), normalise(sub.term))
    # An acronym's long form is one name: « province de Namur » inside the CAI's name is not
    # the province; with « index: false » it is in no entry at all.
    for acr in book.glossary.entries:
        long = normalise(acr.long_form[:1].upper() + acr.long_form[1:])
        for variant in (acr.long_form, acr.plural, acr.acronym):
            if variant:
                looked_for.setdefault(fold(normalise(variant)), (long,) if acr.index else None)
    finder = variant_regex(looked_for)
    # the pages one after the other: a name a page turn parts is printed on both pages
    really: dict[tuple[str, ...], set[int]] = {}
    starts, joined = [], ""
    for number, text in texts.items():
        starts.append((len(joined), number))
        joined += text + " "
    for match in finder.finditer(joined):
        if looked_for[fold(match.group(0))]:
            on = {number for start, number in starts if start < match.end()}
            first = max(number for start, number in starts if start <= match.start())
            really.setdefault(looked_for[fold(match.group(0))], set()).update(n for n in on if n >= first)

    def pages(refs) -> set[int]:
        out = set()
        for ref in refs:
            first, _, last = ref.label.removesuffix("\u00a0n").partition("–")
            out |= set(range(int(first), int(last or first) + 1))
        return out

    checked = 0
    for letter in letters:
        for row in letter.rows:
            if row.pages:
                assert pages(row.pages) == really.get((normalise(row.term),), set()), row.term
                checked += 1
            for sub in row.sub:
                assert pages(sub.pages) == really.get((normalise(row.term), normalise(sub.term)), set()), sub.term
    return checked


def test_the_printed_index_is_the_computed_one(printed_index):
    book, result, pdf, letters = printed_index
    start = result.paginated.page_of("index")
    # a line may break at the hyphen of « primo-arrivants »: compare without hyphens
    printed = normalise(" ".join(pdf.text[start - 1:])).replace("-", "")
    for letter in letters:
        for row in letter.rows:
            line = row.term + "".join(f", {ref.label}" for ref in row.pages)
            assert normalise(line).replace("-", "") in printed, line


def test_index_is_in_french_alphabetical_order_under_letter_headings(printed_index):
    book, result, pdf, letters = printed_index
    headings = [group.letter for group in letters]
    assert headings == sorted(headings) and len(set(headings)) == len(headings)
    for group in letters:
        for row in group.rows:
            assert normalise(row.term)[0].upper().translate(str.maketrans("ÉÈÊÀÂÎÔŒ", "EEEAAIOO")) == group.letter
    assert "Œ" not in headings and "É" not in headings
    names = [row.term for group in letters for row in group.rows]
    # É sorts with E (Europe after École would be wrong), case is ignored
    assert names.index("Dispositif d’accueil des primo-arrivants") < names.index("Europe") < names.index("Fedasil")
    assert names.index("Fédération Wallonie-Bruxelles") < names.index("Flandre")


def test_acronyms_are_indexed_under_their_long_form_with_a_see_reference(printed_index):
    *_, letters = printed_index
    rows = {row.term: row for group in letters for row in group.rows}
    assert rows["CPAS"].see == "Centre public d’action sociale" and not rows["CPAS"].pages
    assert rows["Centre public d’action sociale"].pages
    assert "CAI" not in rows      # index: false in glossary.yaml


def test_the_real_book_has_a_useful_index(printed_index):
    *_, letters = printed_index
    rows = {row.term: row for group in letters for row in group.rows}
    for name in ("Sambreville", "Namur (province de)", "Fedasil", "Haute École Henallux",
                 "Tillieux, Eliane", "Code de la nationalité belge", "Parcours d’intégration"):
        assert rows[name].pages, name
    assert rows["Code de la nationalité belge"].see_also == ("Parcours d’intégration",)
    assert rows["Nationalité belge"].see == "Code de la nationalité belge"
    refs = sum(len(row.pages) + sum(len(s.pages) for s in row.sub) for row in rows.values())
    assert len(rows) >= 100 and refs >= 200


def test_page_ranges_and_notes():
    occ = [("a", False), ("b", False), ("c", False), ("d", True), ("e", False), ("f", True), ("g", False)]
    pages = {"a": 12, "b": 13, "c": 14, "d": 17, "e": 20, "f": 20, "g": 12}
    assert page_refs(occ, pages) == (PageRef("12–14", "a"), PageRef("17\u00a0n", "d"), PageRef("20", "e"))


INDEX = """terms:
  École:
  Eau:
  Œuvre: [œuvres]
  Ordre:
  Parcours:
    sub:
      long: [parcours long]
  Rien:
  Voir ici:
    see: Eau
"""

TEXT = """

L'eau et l'École{index: Marque > à la main}. Une œuvre, des œuvres. Un ordre et un parcours long.
"""


def test_a_small_book_index_in_the_pdf(book_copy, tmp_path):
    (book_copy / "index.yaml").write_text(INDEX, encoding="utf-8")
    gamma = book_copy / "fiches" / "gamma.md"
    gamma.write_text(gamma.read_text(encoding="utf-8") + TEXT, encoding="utf-8")
    out = tmp_path / "x.pdf"
    result = build_volume(book_copy, out, today=date(2025, 1, 15))
    pdf = Pdf(out)
    page = pdf.pages_with("Un ordre et un parcours long")[0]
    letters = index_letters(prepare(book_copy)[0], result.paginated.anchor_pages())
    assert [(g.letter, [(r.term, [p.label for p in r.pages], [s.term for s in r.sub], r.see) for r in g.rows])
            for g in letters] == [
        ("E", [("Eau", [str(page)], [], ""), ("École", [str(page)], [], "")]),
        ("M", [("Marque", [], ["à la main"], "")]),
        ("O", [("Œuvre", [str(page)], [], ""), ("Ordre", [str(page)], [], "")]),
        ("P", [("Parcours", [], ["long"], "")]),
        ("V", [("Voir ici", [], [], "Eau")])]
    index = pdf.text[result.paginated.page_of("index") - 1]
    for line in (f"Eau, {page}", f"École, {page}", f"Œuvre, {page}", f"à la main, {page}", f"long, {page}",
                 "Voir ici, voir Eau"):
        assert line in index
    assert "Rien" not in index
    _, diagnostics = prepare(book_copy)
    assert [d.message[:6] for d in diagnostics if d.code == "index-term-not-found"] == ["« Rien"]
    toc = pdf.text[pdf.pages_with("Sommaire")[0] - 1]
    assert re.search(rf"Index[ .]+{result.paginated.page_of('index')}\b", toc)


def test_a_bad_index_file_names_its_line(book_copy):
    (book_copy / "index.yaml").write_text("terms:\n  Namur:\n    varients: [namurois]\n", encoding="utf-8")
    with pytest.raises(PublisherError) as caught:
        prepare(book_copy)
    [d] = caught.value.diagnostics
    assert (d.location.line, d.code) == (2, "unknown-key") and "varients" in d.message

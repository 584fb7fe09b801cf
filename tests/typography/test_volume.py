"""French typography and the Glossaire, as a reader (or a preflight tool) finds them in the volume."""

from __future__ import annotations

import re

from publisher.build import prepare
from publisher.enrich.glossary import glossary_rows
from publisher.tree import plain, run_sequences

from ..conftest import VOLUME, normalise

URL = re.compile(r"(?:https?://|www\.)\S+")


def prose(pdf) -> str:
    """The text layer of the whole volume, URLs left out (they keep their own characters)."""
    return URL.sub(" ", "\n".join(pdf.layer))


def around(text: str, match) -> str:
    return text[max(0, match.start() - 40):match.end() + 10]


def test_narrow_no_break_space_before_high_punctuation(volume):
    _, pdf = volume
    text = prose(pdf)
    marks = list(re.finditer(r"(.)([;!?])", text))
    assert len(marks) > 20
    wrong = [around(text, m) for m in marks if m.group(1) != "\u202f" and m.group(1) not in "!?"]
    assert not wrong, wrong[:5]


def test_narrow_no_break_space_inside_guillemets(volume):
    _, pdf = volume
    text = prose(pdf)
    opening = list(re.finditer(r"«(.)", text))
    closing = list(re.finditer(r"(.)»", text))
    assert len(opening) > 50 and len(closing) > 50
    assert not [around(text, m) for m in opening if m.group(1) != "\u202f"]
    assert not [around(text, m) for m in closing if m.group(1) != "\u202f"]


def test_no_straight_quotes_in_prose(volume):
    _, pdf = volume
    text = prose(pdf)
    assert not [around(text, m) for m in re.finditer(r"['\"]", text)]
    assert text.count("’") > 300


def test_no_ungrouped_quantity_of_five_digits_or_more(volume):
    _, pdf = volume
    # pdftotext: reading order; anything with a slash is a URL or a reference, not a quantity
    words = " ".join(pdf.text).split()
    assert not [w for w in words if re.search(r"(?<!\d)\d{5,}", w) and "/" not in w]
    assert "22\u202f417" in "".join(pdf.layer) or "81\u202f880" in "".join(pdf.layer)


def test_colon_takes_a_no_break_space():
    # In the PDF, U+00A0 and U+0020 share one glyph, so this one is read from the model.
    book, _ = prepare(VOLUME)
    texts = [plain(runs) for fiche in book.fiches for runs, _holder in run_sequences(fiche)]
    colons = [m for text in texts for m in re.finditer(r"(.):(?=[\s\u00a0]|$)", text)]
    assert len(colons) > 50
    assert not [m.string[max(0, m.start() - 30):m.end()] for m in colons if m.group(1) != "\u00a0"]


# ── Glossaire ───────────────────────────────────────────────────────────────

def printed_glossary(result, pdf) -> dict[str, list[int]]:
    """Acronym → pages, read from the printed Glossaire (entries in the order of the model)."""
    first = result.paginated.page_of("glossaire")
    text = " ".join(pdf.text[first - 1:])
    book, _ = prepare(VOLUME)
    out, at = {}, 0
    for row in glossary_rows(book, {}):
        at = text.index(f"{row.acronym} ", at)
        match = re.compile(r"— p\. ((?:\d+(?:–\d+)?)(?:, \d+(?:–\d+)?)*)").search(text, at)
        pages = []
        for part in match.group(1).split(", "):
            start, _, end = part.partition("–")
            pages += range(int(start), int(end or start) + 1)
        out[row.acronym] = pages
        at = match.end()
    return out


def test_every_page_listed_in_the_glossary_shows_the_acronym(volume):
    result, pdf = volume
    listed = printed_glossary(result, pdf)
    assert len(listed) >= 40
    for acronym, pages in listed.items():
        word = re.compile(rf"(?<![\w-]){re.escape(acronym)}(?![\w’'])")
        for page in pages:
            assert word.search(pdf.text[page - 1]), (acronym, page)


def test_the_glossary_misses_no_page_of_the_text(volume):
    """Every page of the fiches that prints an acronym of the glossary is listed under it: its running
    head and the titles of the fiches that open on it set aside (a title is no use of the acronym)."""
    result, pdf = volume
    listed = printed_glossary(result, pdf)
    book, _ = prepare(VOLUME)
    heads = {normalise(book.config.title)} | {normalise(f.short_title) for f in book.fiches}
    first_fiche = min(result.paginated.page_of(f.anchor) for f in book.fiches)
    glossary = result.paginated.page_of("glossaire")
    opening: dict[int, list[str]] = {}
    for fiche in book.fiches:
        opening.setdefault(result.paginated.page_of(fiche.anchor), []).append(normalise(f"{fiche.year} {fiche.title}"))
    checked = 0
    for number in range(first_fiche, glossary):
        body = normalise(pdf.raw[number - 1])
        head = next((h for h in heads if body.startswith(h)), "")
        body = body[len(head):]                                          # not the running head
        for title in opening.get(number, []):
            assert title in body, (number, title)
            body = body.replace(title, " ", 1)                           # nor the title of a fiche opening here
        for acronym, pages in listed.items():
            if re.search(rf"(?<![\w-]){re.escape(acronym)}(?![\w’'])", body):
                assert number in pages, (acronym, number)
                checked += 1
    assert checked > 100 and {"CAI", "CRI", "ISP"} <= {a for a, pages in listed.items() if len(pages) > 3}


def test_first_use_in_each_fiche_is_spelled_out(volume):
    _, pdf = volume
    text = " ".join(pdf.text)
    # spelled out by the glossary, not by the fiche's author
    assert "centre public d’action sociale (CPAS)" in text
    assert "avec les centres publics d’action sociale (CPAS) et les plans de cohésion sociale (PCS)" in \
        pdf.read_through()                                     # wherever a page turn cuts it
    # written out by the author already: not twice
    assert "Fonds social européen (Fonds social européen" not in text
    assert text.count("Dispositif d’accueil des primo-arrivants (DAPA)") >= 1

"""Nothing lost between the fiches and the printed page: every word of every title, lead,
paragraph and note of the real book is in the volume's text layer, in its order, within
the pages of its fiche (hyphenation and typographic spaces allowed for)."""

from __future__ import annotations

import re

from publisher.build import prepare
from publisher.model import Heading, Paragraph, Superscript
from publisher.tree import walk_blocks, walk_runs

from .conftest import VOLUME, normalise

WORD = re.compile(r"[^\W\d_]+|\d+")      # letters, or digits: a note call « tous1 » is « tous » then 1


def words(text: str) -> list[str]:
    # « primo-arrivants » broken at its own hyphen reads « primoarrivants » once the line is joined:
    # hyphens are left out on both sides
    text = re.sub(r"[-\u2010\u2011]", "", text.replace("’", "'"))
    return [w.casefold() for w in WORD.findall(text)]


def source_words(runs) -> list[str]:
    """The words of runs as the source has them (an acronym without the long form the text adds)."""
    out = []
    for run in walk_runs(runs):
        if isinstance(run, Superscript):
            out.append(run.text)
        elif run.kind in ("text", "smallcaps", "address", "index", "code", "abbr"):
            out.append(run.text)
    return words("".join(out))


def in_order(needles: list[str], haystack: list[str]) -> list[str]:
    """The needles not found in order in the haystack (empty: all there)."""
    position = 0
    for i, word in enumerate(needles):
        try:
            position = haystack.index(word, position) + 1
        except ValueError:
            return needles[i:i + 8]
    return []


def test_every_word_of_every_fiche_is_printed_in_its_order(volume):
    result, pdf = volume
    book, _ = prepare(VOLUME)
    pages = result.paginated.anchor_pages()
    starts = [pages[f.anchor] for f in book.fiches] + [pages["glossaire"]]
    heads = {normalise(book.config.title)} | {normalise(f.short_title) for f in book.fiches}
    checked = 0
    for fiche, first, after in zip(book.fiches, starts, starts[1:]):
        lines = [line for page in pdf.raw[first - 1:after - 1] for line in page.splitlines()
                 if normalise(line) not in heads and not line.strip().isdigit()]
        printed = words(normalise("\n".join(lines)))       # hyphenated line ends joined, across pages too
        blocks = [(fiche.location, words(fiche.title)), (fiche.location, source_words(fiche.lead))]
        blocks += [(b.location, source_words(b.children)) for b in walk_blocks(fiche.blocks)
                   if isinstance(b, (Paragraph, Heading))]
        blocks += [(b.location, source_words(b.children)) for note in fiche.footnotes
                   for b in walk_blocks(note.blocks) if isinstance(b, Paragraph)]
        for where, needed in blocks:
            assert not in_order(needed, printed), (str(where), in_order(needed, printed))
            checked += len(needed)
    assert checked > 10000          # the whole book was read, not a few blocks

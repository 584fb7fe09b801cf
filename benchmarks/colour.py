"""The colour of the printed page, measured from the PDF as a typographer reads it (issue 29's targets).

    make print-quality              # or: .venv/bin/python benchmarks/colour.py build/volume.pdf

Read with PyMuPDF (MuPDF: each character's box), on the body pages: from the first bookmark to the
one before « Glossaire ». Body lines are the lines in the most common size (not headings, chapeaux,
notes, captions, running heads, folios). A line that reaches the right edge of the text is justified;
its word spaces are compared with the natural space, the median space of the lines that do not (the
last lines of paragraphs, set at their natural spacing). Spaces next to « » ; : ! ? ( ) / and
narrow no-break spaces are left out: French typography sets them otherwise.

Counted: the mean of each justified line's spaces (÷ the natural space), lines over 2× and over 1.5×,
the loosest line; hyphen ladders (3 line ends in a row); a word cut at the foot of a right-hand page
(odd page: the reader turns the leaf inside the word); a line ending on a one-letter word (« à »)
or on a number the next line's word belongs to (« 8 / mai »).

Each target of issue 29 is printed as ``cible <what>: <figure> (<goal>) tenue`` (or ``manquée``).
The suite measures the frozen volume with :func:`measure` (tests/breaking/test_volume.py).
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

RIGHT_SLACK = 1.5        # pt: a line ending this close to the right edge is justified
SAME_LINE = 5.0          # pt: characters whose baselines differ less are on one line (lines are 10 pt apart
                         # at least; a footnote's call is raised by 3)
FRENCH = set("«»;:!?()/\u202f")
HYPHENS = ("\u2010", "-", "\u00ad")
NUMBER = re.compile(r"^\d[\d\u202f]*(?:er|re|e)?$")


@dataclass(frozen=True)
class BodyLine:
    page: int                       # from 1, as the PDF counts
    text: str
    right: float                    # where its last character ends (pt)
    gaps: tuple[float, ...]         # its word spaces (pt), those French typography sets otherwise left out


@dataclass(frozen=True)
class Colour:
    pages: int                      # in the whole PDF
    body_lines: int
    justified: int
    natural: float                  # the natural word space, pt
    mean: float                     # of the justified lines' mean spaces, in natural spaces
    over_2: float                   # share of justified lines whose spaces are over 2× (in %)
    over_1_5: float
    loosest: float
    loosest_line: str
    ladders: tuple[str, ...]        # the first line of each run of 3+ hyphenated line ends
    recto_cuts: tuple[str, ...]     # the last line of a right-hand page ending in a cut word
    one_letter: tuple[str, ...]
    numbers: tuple[str, ...]

    def targets(self) -> list[tuple[str, str, str, bool]]:
        """(what, figure, goal, held) of each target."""
        return [
            ("espaces des lignes justifiées, moyenne", f"{self.mean:.3f}", "≤ 1,22", self.mean <= 1.22),
            ("lignes aux espaces de plus de 2×", f"{self.over_2:.2f} %", "≤ 1,5 %", self.over_2 <= 1.5),
            ("ligne la plus lâche", f"{self.loosest:.2f}×", "≤ 2,4×", self.loosest <= 2.4),
            ("échelles de 3 césures ou plus", str(len(self.ladders)), "0", not self.ladders),
            ("mot coupé au pied d'une belle page", str(len(self.recto_cuts)), "0", not self.recto_cuts),
            ("ligne finie par un mot d'une lettre", str(len(self.one_letter)), "0", not self.one_letter),
            ("nombre séparé de son mot", str(len(self.numbers)), "0", not self.numbers),
        ]


def measure(pdf: Path) -> Colour:
    import pymupdf

    with pymupdf.open(pdf) as document:
        first, last = body_pages(document)
        lines = [line for number in range(first, last + 1) for line in page_lines(document[number - 1], number)]
        pages = document.page_count
    size = Counter(s for s, _ in lines).most_common(1)[0][0]
    body = [line for s, line in lines if abs(s - size) < 0.1]
    edge = {page: right_edge([line.right for line in body if line.page == page]) for page in {line.page for line in body}}
    justified = [line for line in body if line.right >= edge[line.page] - RIGHT_SLACK and line.gaps]
    natural = statistics.median(g for line in body if line.right < edge[line.page] - RIGHT_SLACK for g in line.gaps)
    ratios = [statistics.mean(line.gaps) / natural for line in justified]
    loosest = max(range(len(ratios)), key=ratios.__getitem__)
    return Colour(pages, len(body), len(justified), natural, statistics.mean(ratios),
                  100 * sum(r > 2 for r in ratios) / len(ratios), 100 * sum(r > 1.5 for r in ratios) / len(ratios),
                  ratios[loosest], f"p. {justified[loosest].page} : {justified[loosest].text}",
                  *breaks_refused(body))


def right_edge(rights: list[float]) -> float:
    """Where a page's justified lines end: the most common line end (a line that overflows does not move it)."""
    return max(Counter(round(r * 2) / 2 for r in rights).most_common(1)[0][0], statistics.median(rights))


def body_pages(document) -> tuple[int, int]:
    """From the first bookmark's page to the page before the Glossaire's (or the last)."""
    toc = document.get_toc()
    glossary = [page for _, title, page in toc if title.strip().lower().startswith("glossaire")]
    return toc[0][2], (glossary[0] - 1 if glossary else document.page_count)


def page_lines(page, number: int) -> list[tuple[float, BodyLine]]:
    """(size, line) of each line of text on the page, its characters gathered by baseline (a footnote's
    call, raised, with its line)."""
    chars = sorted((char["origin"][1], order, char["bbox"][0], char["bbox"][2], char["c"], span["size"])
                   for order, (span, char) in enumerate(
                       (span, char) for block in page.get_text("rawdict")["blocks"]
                       for line in block.get("lines", ()) for span in line["spans"] for char in span["chars"]))
    rows: list[list[tuple[float, int, float, float, str, float]]] = []
    for char in chars:
        if rows and char[0] - rows[-1][-1][0] < SAME_LINE:
            rows[-1].append(char)
        else:
            rows.append([char])
    out = []
    for row in rows:
        row.sort(key=lambda c: c[1])          # the order MuPDF reads them in (a ligature's letters kept in order)
        row = [(y, left, right, c, size) for y, _, left, right, c, size in row]
        ink = [c for c in row if c[3].strip()]
        if ink:
            size = Counter(round(c[4], 1) for c in ink).most_common(1)[0][0]
            text = "".join(c[3] for c in row).strip()
            out.append((size, BodyLine(number, text, ink[-1][2], tuple(gaps_of(row)))))
    return out


def gaps_of(row) -> list[float]:
    """The word spaces of a line: from the end of a word to the start of the next. A space and a
    no-break space are one glyph, which the text layer gives as whichever it met first: both count
    (both stretch when a line is justified); MuPDF may add spaces of its own in a wide gap: one gap."""
    out = []
    ink = [k for k, char in enumerate(row) if char[3].strip()]
    for k, j in zip(ink, ink[1:]):
        between = "".join(c[3] for c in row[k + 1:j])
        if j == k + 1 or between.strip(" \u00a0") or row[k][3] in FRENCH or row[j][3] in FRENCH:
            continue
        out.append(row[j][1] - row[k][2])
    return out


def breaks_refused(body: list[BodyLine]) -> tuple[tuple[str, ...], ...]:
    """The ladders, the words cut at the foot of a right-hand page, the one-letter words and the
    numbers at a line's end."""
    ladders, recto, one_letter, numbers = [], [], [], []
    run = 0
    for k, line in enumerate(body):
        cut = line.text.endswith(HYPHENS)
        run = run + 1 if cut and k and body[k - 1].page == line.page else int(cut)
        if run == 3:
            ladders.append(f"p. {line.page} : {body[k - 2].text}")
        after = body[k + 1] if k + 1 < len(body) else None
        if cut and line.page % 2 and (after is None or after.page != line.page):
            recto.append(f"p. {line.page} : {line.text}")
        if after is None or not after.text[:1].isalpha():
            continue
        word = line.text.split()[-1]
        if len(word) == 1 and word.isalpha() and after.text[:1].islower():
            one_letter.append(f"p. {line.page} : {line.text} / {after.text.split()[0]}")
        if NUMBER.match(word):
            numbers.append(f"p. {line.page} : {line.text} / {after.text.split()[0]}")
    return tuple(ladders), tuple(recto), tuple(one_letter), tuple(numbers)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("pdf", type=Path, nargs="?", default=Path("build/volume.pdf"))
    pdf = parser.parse_args().pdf
    colour = measure(pdf)
    print(f"{pdf} : {colour.pages} pages, {colour.body_lines} lignes de texte, {colour.justified} justifiées, "
          f"espace naturelle {colour.natural:.2f} pt ; lignes aux espaces de plus de 1,5× : {colour.over_1_5:.1f} %")
    print(f"la ligne la plus lâche : {colour.loosest_line}")
    for what, figure, goal, held in colour.targets():
        print(f"cible {what}: {figure} ({goal}) {'tenue' if held else 'manquée'}")
    for name, found in (("échelle", colour.ladders), ("pied de belle page", colour.recto_cuts),
                        ("mot d'une lettre", colour.one_letter), ("nombre", colour.numbers)):
        for example in found:
            print(f"  {name} — {example}")
    sys.exit(0 if all(held for *_, held in colour.targets()) else 1)


if __name__ == "__main__":
    main()

"""Annotating a proof as PDF readers do, with pikepdf: the words are found where poppler's
pdftotext says they are (not through publisher's own map)."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pikepdf

WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')
PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">')


@dataclass(frozen=True)
class Word:
    page: int               # from 0
    left: float             # PDF points, y upwards from the page's bottom
    bottom: float
    right: float
    top: float
    text: str


def words(pdf: Path) -> list[Word]:
    xml = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    out, page, height = [], -1, 0.0
    for chunk in re.split(r"(?=<page )", xml):
        match = PAGE.search(chunk)
        if not match:
            continue
        page, height = page + 1, float(match.group(2))
        for x0, y0, x1, y1, text in WORD.findall(chunk):
            out.append(Word(page, float(x0), height - float(y1), float(x1), height - float(y0),
                            text.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")))
    return out


HYPHENS = ("-", "\u2010")


def find(found: list[Word], phrase: str, nth: int = 0) -> list[Word]:
    """The printed words of ``phrase`` (spaces between words), the nth time it appears — a word of it cut
    at a line's end (« sanction- » then « nateur ») read as the one word it is, wherever the layout cuts it."""
    wanted = phrase.split()
    hits = [words for i in range(len(found)) if (words := matched(found, i, wanted))]
    if len(hits) <= nth:
        raise AssertionError(f"« {phrase} » is not printed (or not {nth + 1} times)")
    return hits[nth]


def matched(found: list[Word], i: int, wanted: list[str]) -> list[Word]:
    """The printed words from ``i`` that read ``wanted``, or []."""
    out: list[Word] = []
    for word in wanted:
        while out and i < len(found) and found[i].text != word and in_margin(found[i], out[-1]):
            i += 1                       # a proof's line number, read between two lines of the phrase
        if i >= len(found):
            return []
        here = found[i]
        if here.text == word:
            out.append(here)
            i += 1
            continue
        j = i + 1
        while j < len(found) and in_margin(found[j], here):
            j += 1
        after = found[j] if j < len(found) else None
        if after is None or not here.text.endswith(HYPHENS) or abs(after.top - here.top) < 1:
            return []
        head = here.text[:-1]
        if word not in (head + after.text, here.text + after.text, f"{head}-{after.text}"):
            return []
        out += [here, after]
        i = j + 1
    return out


def page_and_line(found: list[Word], marked: list[Word]) -> tuple[str, str]:
    """The page number printed at the foot of the page of ``marked``, and the line number the proof prints
    in the margin beside its first word."""
    page = [w for w in found if w.page == marked[0].page and w.text.isdigit()]
    folio = min(page, key=lambda w: w.bottom)
    margin = min((w for w in page if abs(w.top - marked[0].top) < 4), key=lambda w: w.left)
    return folio.text, margin.text


def in_margin(word: Word, before: Word) -> bool:
    """A number printed left of the text, on another line than the word before it: a line number."""
    return word.text.isdigit() and abs(word.top - before.top) >= 1 and word.right < before.left


def quads(ws: list[Word], clockwise: bool = False) -> list[float]:
    """One quadrilateral per line: (TL, TR, BL, BR) as the spec has it, or as some readers write
    (BL, BR, TR, TL, going round)."""
    out = []
    for line in {round(w.top): None for w in ws}:
        row = [w for w in ws if round(w.top) == line]
        x0, x1 = min(w.left for w in row), max(w.right for w in row)
        y0, y1 = min(w.bottom for w in row), max(w.top for w in row)
        out += [x0, y0, x1, y0, x1, y1, x0, y1] if clockwise else [x0, y1, x1, y1, x0, y0, x1, y0]
    return out


def annotate(pdf: pikepdf.Pdf, page: int, subtype: str, rect: list[float], *, text: str = "", author: str = "",
             quad: list[float] | None = None, name: str = "", utf16: bool = False, irt=None, group: bool = False,
             orphan: bool = False, date: str = "D:20261120103000+01'00'") -> pikepdf.Dictionary:
    entries = {"/Type": pikepdf.Name.Annot, "/Subtype": pikepdf.Name(subtype), "/Rect": rect,
               "/P": pdf.pages[page].obj, "/M": date}
    if text:
        entries["/Contents"] = pikepdf.String(("\ufeff" + text).encode("utf-16-be")) if utf16 else pikepdf.String(text)
    if author:
        entries["/T"] = pikepdf.String(author)
    if quad:
        entries["/QuadPoints"] = quad
    if name:
        entries["/NM"] = pikepdf.String(name)
    if irt is not None:
        entries["/IRT"] = irt
        if group:
            entries["/RT"] = pikepdf.Name.Group
    annot = pdf.make_indirect(pikepdf.Dictionary(entries))
    if orphan:
        # in the file, on no page's /Annots (as Preview leaves some): a reader's own bookkeeping
        # keeps it there; here a key of the catalogue does, or saving would drop it
        if "/KeptAnnotations" not in pdf.Root:
            pdf.Root["/KeptAnnotations"] = pikepdf.Array()
        pdf.Root["/KeptAnnotations"].append(annot)
    else:
        page_obj = pdf.pages[page].obj
        if "/Annots" not in page_obj:
            page_obj["/Annots"] = pdf.make_indirect(pikepdf.Array())
        page_obj["/Annots"].append(annot)
    return annot


def box(ws: list[Word]) -> list[float]:
    return [min(w.left for w in ws), min(w.bottom for w in ws), max(w.right for w in ws), max(w.top for w in ws)]

"""How each reader's annotations come back: for MuPDF, poppler and pdf.js, the marks of
``MARKS`` made on a proof of the frozen volume, then counted: made, on the right fiche, on the right
line, with exactly the words, applied cleanly (the words marked once in the fiche, the comment after
them, the fiche read back without a finding caused by the markup).

    .venv/bin/python -m tests.collect.readers.tally

It prints a table (the figures of a closing note); the tests assert the same marks one by one.
"""

from __future__ import annotations

import itertools
import shutil
import sys
import tempfile
from dataclasses import dataclass
from datetime import date
from difflib import SequenceMatcher
from operator import and_
from pathlib import Path

from publisher.build import prepare
from publisher.collect import collect
from publisher.collect.apply import apply
from publisher.model import Critic
from publisher.proof import build_proof
from publisher.tree import all_runs

from ..annotate import HYPHENS, in_margin, words
from . import mupdf, pdfjs, poppler

VOLUME = Path(__file__).parents[2] / "fixtures" / "volume"
READERS = {"MuPDF (SumatraPDF)": mupdf, "poppler (Evince, Okular)": poppler, "pdf.js (Firefox)": pdfjs}
PARCOURS = "fiches/2016-du-parcours-d-accueil-au-parcours.md"
UKRAINE = "fiches/2022-accueil-des-refugies-ukrainiens.md"
SOLIDARITE = "fiches/2018-la-solidarite-citoyenne-et-associative-s.md"
NOTE_LINE = "29 septembre 2022 – Arrêté"
NAMED = {"note": ("note", "freetext")}     # pdf.js's note is a text box


@dataclass(frozen=True)
class Aimed:
    """A mark to make (``kind``, the ``words`` as printed, its comment) and where it must land: the
    fiche, a phrase of its source line, the source words it must cover ("" for a note)."""

    what: str
    kind: str
    words: str
    text: str
    fiche: str
    line: str
    covers: str


MARKS = [
    Aimed("the chapeau, across a line break", "highlight", "impact important sur", "Lequel ?", PARCOURS,
          "impact important sur", "impact important sur"),
    Aimed("a narrow first letter", "highlight", "informatisée", "Numérique ?", PARCOURS, "informatisée",
          "informatisée"),
    Aimed("a strike-out", "strikeout", "nouveau fonctionnement", "", PARCOURS, "nouveau fonctionnement",
          "nouveau fonctionnement"),
    Aimed("a footnote", "highlight", "Arrêté du Gouvernement wallon", "Lequel ?", UKRAINE, NOTE_LINE,
          "Arrêté du Gouvernement wallon"),
    Aimed("an expanded acronym", "highlight", "centres publics d’action sociale (CPAS)", "Lesquels ?", SOLIDARITE,
          "avec l’inspection des CPAS", "CPAS"),
    Aimed("a list item", "highlight", "pool de volontaires interprètes", "Combien ?", UKRAINE,
          "3. Développement d’un pool", "pool de volontaires interprètes"),
    Aimed("a note on the chapeau", "note", "de l’Ukraine, mais", "Virgule ?", UKRAINE, "de l’Ukraine, mais", ""),
    Aimed("a caption", "highlight", "Brochure CAI", "Quelle année ?", SOLIDARITE, "Brochure CAI", "Brochure CAI"),
]
PROOF_FICHES = tuple(Path(name).stem for name in (PARCOURS, UKRAINE, SOLIDARITE))


def marks_on(out: Path, root: Path) -> list[Aimed]:
    """``MARKS``, and a word the proof cuts at a line's end: found on the proof, wherever its layout cuts."""
    return [MARKS[0], cut_word(out, root, PARCOURS), *MARKS[1:]]


def cut_word(out: Path, root: Path, fiche: str) -> Aimed:
    """The first word of ``fiche`` hyphenated at a line's end (« tour- », then « nant »), with the word
    before it on its line: as printed, and as its source line has it."""
    text = (root / fiche).read_text(encoding="utf-8")
    printed = words(out)
    for i in range(1, len(printed) - 1):
        before, cut = printed[i - 1], printed[i]
        after = next((w for w in printed[i + 1:] if not in_margin(w, cut)), None)
        if after is None or not cut.text.endswith(HYPHENS) or abs(before.top - cut.top) >= 1 or not before.text.isalpha():
            continue
        phrase = f"{before.text} {cut.text[:-1]}{after.text.rstrip('.,;:!?»)')}"
        if phrase.split()[1].isalpha() and text.count(phrase) == 1:      # a word cut, not a compound
            return Aimed("a word cut by hyphenation", "highlight", phrase, "Virage ?", fiche, phrase, phrase)
    raise AssertionError(f"the proof cuts no word of {fiche} at a line's end")


def made_by(reader, aimed: list[Aimed]) -> list[Aimed]:
    return [a for a in aimed if a.kind in getattr(reader, "KINDS", (a.kind,))]


def line_of(root: Path, name: str, phrase: str) -> int:
    lines = (root / name).read_text(encoding="utf-8").split("\n")
    return next(i for i, line in enumerate(lines, start=1) if phrase in line)


def proof_of(folder: Path) -> tuple[Path, Path]:
    root = folder / "book"
    shutil.copytree(VOLUME, root)
    out = folder / "epreuve.pdf"
    build_proof(root, out, fiches=PROOF_FICHES, today=date(2026, 11, 20))
    return root, out


def landed(findings, a: Aimed, said: bool):
    """The finding made of ``a``: the one of its comment on its page's words (pdf.js's highlights say
    nothing: the one nearest its words)."""
    same = [f for f in findings if f.annotation.text == (a.text if said or a.kind == "note" else "")
            and (a.kind == "note") == (f.place.covered == "") and f.annotation.kind in NAMED.get(a.kind, (a.kind,))]
    near = sorted(same, key=lambda f: -SequenceMatcher(None, a.words, f.place.covered or f.place.printed).ratio())
    return (near or [None])[0]


def tally(name: str, reader, root: Path, out: Path, work: Path) -> dict[str, int]:
    asked = made_by(reader, marks_on(out, root))
    said = getattr(reader, "COMMENTS", True)
    copy = reader.annotate(out, work / f"{name.split()[0]}.pdf", "Anne Dupont",
                           [reader.Mark(a.kind, a.words, a.text) for a in asked])
    found = collect([copy], root)
    counts = dict.fromkeys(("made", "right fiche", "right line", "exact words", "applied cleanly"), 0)
    counts["made"] = len(asked)
    for a in asked:
        hit = landed(found.findings, a, said)
        right = [hit is not None and hit.location.path.endswith(a.fiche),
                 hit is not None and hit.location.line == line_of(root, a.fiche, a.line),
                 hit is not None and hit.place.covered.rstrip(")") == ("" if a.kind == "note" else a.words.rstrip(")"))]
        for key, good in zip(("right fiche", "right line", "exact words"), itertools.accumulate(right, and_)):
            counts[key] += good
        if not all(right):
            sys.stderr.write(f"{name}, {a.what}: " + (f"{hit.location.path}:{hit.location.line} « {hit.place.covered} »\n"
                                                       if hit else "not read\n"))
    before = {a.fiche: (root / a.fiche).read_text(encoding="utf-8") for a in asked}
    apply(found, root)
    runs = [r for f in prepare(root)[0].fiches for r in all_runs(f) if isinstance(r, Critic)]
    broken = [r for r in runs if any(m in r.text + r.replacement for m in ("{", "}", "<<", ">>", "=="))]
    for a in asked:
        text = (root / a.fiche).read_text(encoding="utf-8")
        who = " — Anne Dupont" if said else ""
        mark = {"strikeout": f"{{-- {a.covers} --}}", "note": f"{{>> {a.text}{who} <<}}"}.get(
            a.kind, f"{{== {a.covers} ==}}" + (f"{{>> {a.text}{who} <<}}" if said else ""))
        same_words = not a.covers or before[a.fiche].count(a.covers) == text.count(a.covers)
        if text.count(mark) == 1 and same_words and not broken:
            counts["applied cleanly"] += 1
        else:
            sys.stderr.write(f"{name}, not applied cleanly: {a.what}: {mark} ×{text.count(mark)}, {len(broken)} broken\n")
    return counts


def main() -> None:
    rows = []
    with tempfile.TemporaryDirectory(prefix="tally-") as tmp:
        for name, reader in READERS.items():
            work = Path(tmp) / name.split()[0]
            work.mkdir()
            root, out = proof_of(work)
            rows.append((name, tally(name, reader, root, out, work)))
    heads = list(rows[0][1])
    sys.stdout.write("| lecteur | " + " | ".join(heads) + " |\n|---|" + "---|" * len(heads) + "\n")
    for name, counts in rows:
        sys.stdout.write(f"| {name} | " + " | ".join(str(counts[h]) for h in heads) + " |\n")
    sys.stdout.write("\n" + "\n".join(f"- {a.what} : « {a.words} »" for a in marks_on(out, root)) + "\n")


if __name__ == "__main__":
    main()

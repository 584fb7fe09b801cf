"""Cross-references between fiches: « cf. Fiche 38 – … » becomes « voir p. N ».

The CAI's export refers to other fiches by its internal number
(« (Cf. Fiche 37 – Parcours obligatoire) », « cf. Fiche 38 – Modification Code
nationalité »). A reader has no use for those numbers: each reference is
resolved to the fiche that carries that ``number:`` in its front matter and
printed as a clickable « voir p. N » (the page comes from the layout, through
CSS ``target-counter``). A Markdown link to ``fiche:38`` or ``fiche:ID`` keeps
its own words and gets « (p. N) » after them.

A reference to a fiche that is not in the book is printed as written and
reported (``broken-xref``), so no internal number reaches print unflagged.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..diagnostics import Diagnostic, warning
from ..model import Book, CrossRef, Fiche, Inline, Link, SourceLocation, Text
from ..source.sourcelines import SourceLines
from ..tree import CONTAINERS, all_runs, map_fiche
from ..typography import typeset_text

_END = r"[()\[\].,;:!?]"
REFERENCE = re.compile(
    r"(?P<see>\b(?:[Cc]f\.|[Vv]oir(?:\s+(?:la|aussi))?)\s+)?"
    r"\b(?P<fiche>[Ff]iche\s+(?:n°\s*)?(?P<number>\d+))"
    # « – Titre » as the CAI wrote it, up to the end of the parenthesis or sentence,
    # or up to the next « et Fiche N ».
    r"(?:\s*[–—-]\s*(?P<label>[^()\[\].,;:!?]*?)"
    r"(?=\s+et\s+(?:la\s+)?[Ff]iche\s+(?:n°\s*)?\d|\s*" + _END + r"|\s*$)"
    r"|(?!\d))")
AND = re.compile(r"\s+et\s+(?:la\s+)?$")
SENTENCE_START = re.compile(r"(?:^|[.!?…]\s+)$")
LINK = re.compile(r"^(?:fiche:|#(?:fiche-)?)(?P<target>[\w-]+)$")


def resolve_xrefs(book: Book) -> Book:
    """Every reference to a fiche, by number or by link, turned into a CrossRef run."""
    targets: dict[str, Fiche] = {f.id: f for f in book.fiches}
    targets.update({str(f.number): f for f in book.fiches if f.number is not None})
    lines = SourceLines()

    def fiche_with_refs(fiche: Fiche) -> Fiche:
        return map_fiche(fiche, lambda runs, holder: _runs(runs, holder.location, targets, lines))

    return replace(book, fiches=tuple(fiche_with_refs(f) for f in book.fiches))


def _runs(runs: tuple[Inline, ...], where: SourceLocation, targets: dict[str, Fiche],
          lines: SourceLines) -> tuple[Inline, ...]:
    out: list[Inline] = []
    for run in runs:
        if isinstance(run, Link) and LINK.match(run.href):
            out.extend(_link(run, where, targets, lines))
        elif isinstance(run, CONTAINERS):
            out.append(replace(run, children=_runs(run.children, where, targets, lines)))
        elif isinstance(run, Text):
            out.extend(_split(run.text, where, targets, lines))
        else:
            out.append(run)
    return tuple(out)


def _split(text: str, where: SourceLocation, targets: dict[str, Fiche], lines: SourceLines) -> list[Inline]:
    out: list[Inline] = []
    done = 0
    after_see = False       # the previous reference opened with « cf. » / « voir »
    for match in REFERENCE.finditer(text):
        between = text[done:match.start()]
        if match.group("see"):
            style = "see"
        elif after_see and out and AND.search(between):
            style = "page"
        else:
            style = "title"
        after_see = style in ("see", "page")
        if between:
            out.append(Text(between))
        target = targets.get(match.group("number"))
        ref = CrossRef(
            number=match.group("number"), written=match.group(0),
            location=lines.find(where, match.group("fiche")), style=style,
            target=target.anchor if target else "", title=typeset_text(target.title) if target else "",
            capital=bool(SENTENCE_START.search(text[:match.start()])) and not (out and style == "page"))
        # A missing fiche: the words stay ordinary text (typeset, indexed), the reference a mark for check.
        out.extend([ref] if target else [ref, Text(match.group(0))])
        done = match.end()
    if done < len(text):
        out.append(Text(text[done:]))
    return out


def _link(link: Link, where: SourceLocation, targets: dict[str, Fiche], lines: SourceLines) -> list[Inline]:
    key = LINK.match(link.href).group("target")
    target = targets.get(key)
    ref = CrossRef(number=key, written="", location=lines.find(where, key), style="after-link",
                   target=target.anchor if target else "", title=typeset_text(target.title) if target else "")
    return [replace(link, href=f"#{target.anchor}" if target else ""), ref]


def check_xrefs(book: Book) -> list[Diagnostic]:
    out = []
    for fiche in book.fiches:
        for run in all_runs(fiche):
            if isinstance(run, CrossRef) and not run.target:
                out.append(warning(run.location, "broken-xref", _broken_message(run)))
    return out


def _broken_message(ref: CrossRef) -> str:
    if ref.number.isdigit():
        return (f"renvoi à la fiche {ref.number}, qui n'est pas dans le livre : le texte « {ref.written.strip()} » "
                "ne serait imprimé que tel quel (un tirage de travail le garde, l'imprimeur non) ; retirez le "
                f"renvoi, ou ajoutez la fiche (avec « number: {ref.number} » dans son en-tête)")
    return (f"lien vers la fiche « {ref.number} », introuvable : mettez le nom d'un fichier de fiches/ "
            "(sans « .md ») ou le numéro de la fiche, par ex. (fiche:38)")

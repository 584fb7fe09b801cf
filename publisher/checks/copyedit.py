"""What a copy editor catches in sloppy copy: a word typed twice, two sentences glued together,
« 1ème » (premier or première?), a « never closed, a paragraph of one word or none. Each finding
at its source line, with the fix in its message.

Checked on the text as it will be printed (after typography), web addresses and code left out.
"""

from __future__ import annotations

import re

from ..diagnostics import Diagnostic, warning
from ..model import Address, Code, Critic, Fiche, Footnote, Heading, Paragraph, SourceLocation, Text
from ..source.sourcelines import SourceLines
from ..tree import run_sequences, walk_runs

# Words that French does double: « nous nous sommes vus », « vous vous trompez ».
DOUBLES_ALLOWED = frozenset({"nous", "vous"})
DOUBLED = re.compile(r"(?<![\w’'-])([^\W\d_]+)[\s\u00a0\u202f]+(\1)(?![\w’'-])", re.IGNORECASE)
# « 1ème »: premier or première? Typography cannot tell, so it is left as typed and reported.
FIRST = re.compile(r"(?<![\w])1(?:ème|eme|ième|ieme|éme)(s?)(?![\w])", re.IGNORECASE)
# A sentence end right against the next capital: « en 2012.Il », « positif !Les ». Not an initial
# (« C.A.I. », « J.-C. »: the letter before the full stop is a capital), nor a number (« 3.5 »),
# nor an address (left out).
GLUED = re.compile(r"(?:(?<=[a-zà-ÿœ0-9»)])[.!?…]+|(?<=\s)[!?]+)(?=[A-ZÀ-ÝŒ])")


def copy_checks(fiche: Fiche, lines: SourceLines) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    for runs, holder in run_sequences(fiche):
        if isinstance(holder, Heading):
            continue
        text = printed_text(runs)
        where = holder.location
        for match in DOUBLED.finditer(text):
            if match.group(1).lower() in DOUBLES_ALLOWED:
                continue
            here = lines.find(where, f"{match.group(1)} {match.group(2)}")
            out.append(warning(here, "doubled-word",
                               f"mot répété : « {match.group(0)} » ; supprimez l'un des deux"))
        for match in GLUED.finditer(text):
            before = re.search(r"\S*$", text[:match.start()]).group(0)
            after = re.match(r"\S*", text[match.end():]).group(0)
            glued = before + match.group(0) + after
            out.append(warning(lines.find(where, before or after), "missing-space",
                               f"deux phrases collées : « {glued} » ; ajoutez une espace après « {match.group(0)} »"))
        for match in FIRST.finditer(text):
            out.append(warning(lines.find(where, match.group(0)), "ordinal",
                               f"« {match.group(0)} » : écrivez « 1er » (premier) ou « 1re » (première)"))
    out.extend(short_paragraphs(fiche))
    out.extend(unclosed_quotations(fiche, lines))
    return out


def unclosed_quotations(fiche: Fiche, lines: SourceLines) -> list[Diagnostic]:
    """A « that no » closes before the fiche ends. A quotation may run over several paragraphs,
    each opening with a « of continuation (French usage): those do not open another one."""
    opened: list[tuple[str, SourceLocation]] = []      # (what follows the «, where)
    for runs, holder in run_sequences(fiche):
        if isinstance(holder, Footnote):
            continue
        text = printed_text(runs)
        for i, char in enumerate(text):
            if char == "«" and not (opened and not text[:i].strip()):
                opened.append((text[i + 1:], holder.location))
            elif char == "»" and opened:
                opened.pop()
    if not opened:
        return []
    after, where = opened[0]
    words = after.split()
    return [warning(lines.find(where, words[0]) if words and words[0].isalnum() else where, "unbalanced-quotes",
                    f"guillemet ouvert et jamais fermé : « {' '.join(words[:6])}… » ; ajoutez le » qui ferme "
                    "la citation (ou retirez le « en trop)")]


def printed_text(runs) -> str:
    """The words of ``runs``; a web address or code is a blank, never checked."""
    out = []
    for run in walk_runs(runs):
        if isinstance(run, (Address, Code)):
            out.append(" ")
        elif isinstance(run, Text):
            out.append(run.text)
        elif run.kind in ("abbr", "index", "smallcaps", "sup"):
            out.append(run.text)
    return "".join(out)


def short_paragraphs(fiche: Fiche) -> list[Diagnostic]:
    """A paragraph of the text with one word or none: a title typed as text, or a leftover."""
    out = []
    for block in fiche.blocks:
        if not isinstance(block, Paragraph) or any(isinstance(r, Critic) for r in walk_runs(block.children)):
            continue
        words = re.findall(r"[^\W_]+", printed_text(block.children))
        if len(words) <= 1:
            message = (f"paragraphe « {words[0]} » : si c'est un intertitre, écrivez « ### {words[0]} » ; "
                       "sinon complétez-le ou supprimez-le") if words else "paragraphe vide : supprimez-le"
            out.append(warning(block.location, "short-paragraph", message))
    return out


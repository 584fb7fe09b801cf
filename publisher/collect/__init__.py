"""``publisher collect ANNOTATED.pdf…``: proofreaders' PDF comments back to the fiche and line.

Each annotated copy names its proof (:mod:`publisher.proof.trail`); the proof's map gives, for
every annotation (:mod:`.read`), the source line it sits on and the words it covers
(:mod:`.place`). Several copies, one per proofreader, make one list sorted by fiche and line.
``--apply`` (:mod:`.apply`) writes them into the fiches as CriticMarkup.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..diagnostics import Diagnostic, PublisherError, Severity, error, relative, warning
from ..model import SourceLocation
from ..proof import trail
from .okular import is_archive, read_archive
from .place import Place, locate
from .read import Annotation, read

__all__ = ["collect", "Finding", "Collected"]

XMP_ID = re.compile(rb"<publisher:proof>([0-9a-f]{8,64})</publisher:proof>")
LABELS = {"note": "note", "highlight": "surlignage", "underline": "soulignement", "squiggly": "soulignement ondulé",
          "strikeout": "texte barré", "caret": "insertion", "replace": "remplacement", "freetext": "zone de texte"}


@dataclass(frozen=True)
class Finding:
    annotation: Annotation
    copy: str                           # the annotated PDF, as the editor named it
    proof: str                          # the identifier of the proof it annotates
    place: Place
    location: SourceLocation            # the fiche and line (the PDF and its page when outside the text)
    kind: str                           # the annotation's type, « replace » for a strike-out and its caret
    inserted: str = ""                  # a caret's text (a replacement's new words)
    replies: tuple[Annotation, ...] = ()

    @property
    def key(self) -> str:
        """What tells this annotation from any other: its proof, its page and what it is. Not its name alone:
        a name is unique on its page only (every page's first annotation in MuPDF is « fitz-A0 »), and
        two proofreaders' copies made by the same reader name theirs alike. The same copy given twice
        (or passed on under another name) gives the same key: it is counted once."""
        return f"{self.proof}:{self.annotation.page}:{self.annotation.digest}"

    @property
    def code(self) -> str:
        if not self.place.src:
            return "annotation-outside"
        return f"annotation-{'note' if self.kind == 'freetext' else self.kind}"

    def message(self) -> str:
        a, p = self.annotation, self.place
        who = f" — {a.author}" if a.author else ""
        where = f", p. {p.folio} l. {p.page_line}" if p.folio else ""
        if self.kind == "replace":
            said = f"« {p.covered} » → « {self.inserted} »"
        elif self.kind == "strikeout":
            said = f"à supprimer : « {p.covered} »"
        elif self.kind == "caret":
            said = f"à insérer : « {self.inserted or a.text} »"
        elif p.covered:
            said = f"« {a.text} » sur « {p.covered} »" if a.text else f"{LABELS[self.kind]} de « {p.covered} »"
        else:
            said = f"« {a.text} »" if a.text else f"{LABELS.get(self.kind, self.kind)} sans texte"
        if self.kind in ("strikeout", "replace") and a.text:
            said += f" (« {a.text} »)"
        if not p.src:
            said += " (hors du texte)"
        answers = "".join(f" ; réponse{' de ' + r.author if r.author else ''} : « {r.text} »" for r in self.replies)
        return f"{said}{who}{where}{answers}"

    def diagnostic(self) -> Diagnostic:
        return Diagnostic(self.location, Severity.NOTE, self.code, self.message())

    def as_json(self) -> dict:
        a = self.annotation
        return {**self.diagnostic().as_json(), "page": self.place.folio, "page_line": self.place.page_line,
                "author": a.author, "date": a.date, "type": self.kind, "text": a.text, "covered": self.place.covered,
                "inserted": self.inserted, "copy": self.copy, "key": self.key, "name": a.name,
                "replies": [{"author": r.author, "date": r.date, "text": r.text} for r in self.replies]}


@dataclass
class Collected:
    findings: list[Finding] = field(default_factory=list)
    notes: list[Diagnostic] = field(default_factory=list)
    maps: dict[str, trail.ProofMap] = field(default_factory=dict)   # the copy → its proof's map


def proof_id(pdf) -> str:
    found = str(pdf.docinfo.get(trail.INFO_KEY, "")) if pdf.docinfo is not None else ""
    if re.fullmatch(r"[0-9a-f]{8,64}", found):
        return found
    metadata = pdf.Root.get("/Metadata")
    if metadata is not None:
        match = XMP_ID.search(metadata.read_bytes())
        if match:
            return match.group(1).decode()
    return ""


def collect(paths: list[Path], root: Path) -> Collected:
    out = Collected()
    seen: set[str] = set()
    for path in paths:
        shown = relative(path)
        if not path.is_file():
            raise PublisherError(error(SourceLocation(shown, 1), "missing-file", "PDF introuvable : vérifiez le chemin"))
        pdf, annotations = read_archive(path, shown) if is_archive(path) else read(path, shown)
        found = proof_id(pdf)
        if not found:
            raise PublisherError(error(SourceLocation(shown, 1), "not-a-proof",
                                       "ce PDF n'est pas une épreuve de publisher (il ne porte pas d'identifiant "
                                       "d'épreuve) : faites annoter un PDF produit par « publisher proof »"))
        proof = trail.load(root, found, SourceLocation(shown, 1))
        out.maps[shown] = proof
        for name in proof.changed(root):
            out.notes.append(warning(SourceLocation(relative(root / name), 1), "proof-outdated",
                                     f"cette fiche a changé depuis l'épreuve annotée ({shown}) : les numéros de ligne "
                                     "des annotations peuvent avoir bougé"))
        for finding in findings(annotations, proof, root, shown):
            if finding.key not in seen:                    # the same copy given twice, or passed on
                seen.add(finding.key)
                out.findings.append(finding)
    out.findings.sort(key=lambda f: (f.location.path, f.location.line, f.place.folio, f.place.page_line))
    return out


def findings(annotations: list[Annotation], proof: trail.ProofMap, root: Path, shown: str) -> list[Finding]:
    by_ref = {a.ref: a for a in annotations}
    replies: dict[tuple[int, int], list[Annotation]] = {}
    grouped: dict[tuple[int, int], list[Annotation]] = {}
    for a in annotations:
        if a.reply_to in by_ref:
            (grouped if a.grouped else replies).setdefault(a.reply_to, []).append(a)
    out = []
    for a in annotations:
        if a.reply_to in by_ref:
            continue
        place = locate(a, proof.pages.get(a.page) if a.page is not None else None)
        carets = [g for g in grouped.get(a.ref, []) if g.kind == "caret"]
        kind, inserted = a.kind, ""
        if a.kind == "strikeout" and carets:
            kind, inserted = "replace", carets[0].text
        elif a.kind == "caret":
            inserted = a.text
        if place.src:
            location = SourceLocation.from_src(place.src, root)
        else:
            location = SourceLocation(shown, (a.page or 0) + 1)
        thread = sorted(replies.get(a.ref, []), key=lambda r: r.date)
        out.append(Finding(a, shown, proof.id, place, location, kind, inserted, tuple(thread)))
    return out

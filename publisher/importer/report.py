"""The import report: for every input line, where it went or why it was dropped."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from ..diagnostics import Diagnostic
from .read import Line, clean


@dataclass(frozen=True)
class Entry:
    path: str
    line: int
    action: str          # what the line became: "titre", "paragraphe", "note", …
    text: str
    fiche: str = ""      # the fiche file it went to ("" when dropped)
    dropped: bool = False
    reason: str = ""

    def as_json(self) -> dict:
        return {"path": self.path, "line": self.line, "action": self.action,
                "fiche": self.fiche, "dropped": self.dropped, "reason": self.reason,
                "text": self.text}


@dataclass
class Report:
    """Collected while importing; one entry per input line."""

    entries: dict[tuple[str, int], Entry] = field(default_factory=dict)
    notes: list[Diagnostic] = field(default_factory=list)
    fiches: list[str] = field(default_factory=list)
    vocabulary: dict[str, list[str]] = field(default_factory=dict)

    def put(self, line: Line, action: str, fiche: str = "", *, dropped: bool = False,
            reason: str = "", part: int = 0) -> None:
        """``part``: a second thing said about one line (a Word paragraph's comments and changes)."""
        self.entries[(line.path, line.number, part)] = Entry(
            line.path, line.number, action, clean(line.text), fiche, dropped, reason)

    def drop(self, line: Line, reason: str, action: str = "supprimé", part: int = 0) -> None:
        self.put(line, action, dropped=True, reason=reason, part=part)

    def ordered(self) -> list[Entry]:
        return [self.entries[k] for k in sorted(self.entries)]

    def dropped(self) -> list[Entry]:
        return [e for e in self.ordered() if e.dropped]

    def add_vocabulary(self, group: str, label: str) -> None:
        labels = self.vocabulary.setdefault(group, [])
        if label not in labels:
            labels.append(label)

    # ── output ──

    def as_json(self) -> str:
        return json.dumps({
            "fiches": self.fiches,
            "vocabulary": self.vocabulary,
            "notes": [d.as_json() for d in self.notes],
            "lines": [e.as_json() for e in self.ordered()],
        }, ensure_ascii=False, indent=2)

    def as_text(self) -> str:
        out = []
        blank = 0
        for e in self.ordered():
            if e.action == "vide":
                blank += 1
                continue
            where = f"{e.path}:{e.line}"
            excerpt = e.text if len(e.text) <= 60 else e.text[:57] + "…"
            if e.dropped:
                out.append(f"{where}: supprimé ({e.reason}) : « {excerpt} »")
            else:
                out.append(f"{where}: {e.action} → {e.fiche} : « {excerpt} »")
        kept = sum(1 for e in self.entries.values() if not e.dropped and e.action != "vide")
        out.append("")
        out.append(f"{len(self.fiches)} fiche(s) écrite(s) ; {kept} ligne(s) reprise(s), "
                   f"{len(self.dropped())} ligne(s) supprimée(s), {blank} ligne(s) vide(s).")
        for group, labels in self.vocabulary.items():
            out.append(f"Vocabulaire « {group} » trouvé dans l'export : {', '.join(labels)}")
        return "\n".join(out)

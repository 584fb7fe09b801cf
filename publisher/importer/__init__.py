"""``publisher import``: the CAI website export → one Markdown fiche per fiche.

Lossless by contract: every input line is accounted for in the :class:`Report`
(where it went, or why it was dropped), and importing twice writes the same files.
"""

from __future__ import annotations

import difflib
from pathlib import Path

from ..atomic import write_atomically
from ..diagnostics import PublisherError, error, info, relative, warning
from ..model import SourceLocation
from ..source import fichefile
from .convert import Converted, convert, slug
from .read import normalise_title, read_export, split_fiches
from .report import Report

__all__ = ["import_exports", "Report"]


def front_of(c: Converted, source: str) -> dict:
    """The fiche's front matter, as the export tells it."""
    return {
        "number": None,
        "year": c.year,
        "title": c.title,
        "short_title": c.short_title,
        "themes": list(c.themes),
        "axes": list(c.axes),
        "lead": c.lead,
        "source": source,
    }


def import_exports(paths: list[Path], into: Path, *, force: bool = False,
                   write: bool = True) -> Report:
    report = Report()
    kept: dict[tuple[int, str], tuple[Converted, str]] = {}
    order: list[tuple[int, str]] = []
    ids: dict[str, tuple[int, str]] = {}
    for path in paths:
        shown = relative(path)
        if not path.is_file():
            raise PublisherError(error(SourceLocation(shown, 1), "missing-file",
                                       "fichier d'export introuvable : vérifiez le chemin"))
        lines, notes = read_export(path, shown)
        report.notes.extend(notes)
        before, fiches = split_fiches(lines, shown)
        for line in before:
            if line.blank:
                report.put(line, "vide")
            else:
                report.drop(line, "texte avant la première fiche (pas de ligne de titre « ANNÉE – Titre » au-dessus)")
                report.notes.append(warning(line.location, "text-before-first-fiche",
                                            "ce texte précède la première fiche et n'a pas été importé"))
        for raw in fiches:
            key = (raw.year, normalise_title(raw.title))
            fiche_id = kept[key][1] if key in kept else unique_id(slug(raw.year, raw.title), ids, key)
            target = f"{fiche_id}.md"
            copy = convert(raw, target, report)
            between = range(raw.title_lines[0].number + 1, raw.title_lines[1].number)
            for number in between:
                report.put(lines[number - 1], "vide", target)
            if key not in kept:
                kept[key] = (copy, fiche_id)
                order.append(key)
                continue
            first, _ = kept[key]
            chosen, dropped = (copy, first) if copy.words > first.words else (first, copy)
            kept[key] = (chosen, fiche_id)
            diff = list(difflib.unified_diff(first.body.splitlines(), copy.body.splitlines(), lineterm="", n=0))
            why = ("les deux copies sont identiques ; la première rencontrée est gardée" if not diff else
                   f"les copies diffèrent ({len([d for d in diff if d[:1] in '+-' and d[:3] not in ('+++', '---')])} "
                   "ligne(s)) ; la plus complète est gardée")
            report.notes.append(info(copy.location, "duplicate-fiche",
                                     f"fiche déjà présente dans {first.location}"
                                     f" ; copie gardée : {chosen.location} ; {why}"))
            for line in dropped.lines:
                entry = report.entries.get((line.path, line.number, 0))
                if entry and entry.action != "vide":
                    report.drop(line, f"doublon : fiche importée depuis {chosen.location}", action="doublon")
    into.mkdir(parents=True, exist_ok=True)
    for key in order:
        copy, fiche_id = kept[key]
        target = into / f"{fiche_id}.md"
        front = front_of(copy, f"{Path(copy.location.path).name}:{copy.location.line}")
        report.fiches.append(relative(target))
        if write:
            write_fiche(target, front, copy.body, force, report)
    return report


def unique_id(base: str, ids: dict[str, tuple[int, str]], key: tuple[int, str]) -> str:
    candidate, n = base, 2
    while candidate in ids and ids[candidate] != key:
        candidate, n = f"{base}-{n}", n + 1
    ids[candidate] = key
    return candidate


def write_fiche(target: Path, front: dict, body: str, force: bool, report: Report) -> None:
    """Never overwrite an editor's work silently. A fiche imported again is written over the one
    there in its own layout: what did not change stays the same bytes."""
    text = fichefile.new_fiche(front, body)
    if target.exists():
        try:
            text = fichefile.rewrite(fichefile.read(target), front, body)
        except (fichefile.UnreadableFront, PublisherError):
            pass
    if target.exists() and target.read_text(encoding="utf-8") != text and not force:
        report.notes.append(warning(SourceLocation(relative(target), 1), "fiche-exists",
                                    "cette fiche existe déjà et a été modifiée depuis l'import ; elle n'est pas "
                                    "écrasée (relancez avec --force pour la remplacer)"))
        return
    write_atomically(target, text.encode("utf-8"))

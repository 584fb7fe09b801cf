"""Turning one fiche of the export into Markdown with YAML front matter."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from ..checks.leftovers import PLACEHOLDER, leftovers
from ..diagnostics import info, warning
from ..model import SourceLocation
from ..source import critic
from . import rules
from .read import Line, RawFiche, clean
from .report import Report


@dataclass
class Unit:
    """A run of export lines that make one thing: a paragraph, a bullet…"""

    kind: str                 # para | bullet | number | image | caption
    lines: list[Line]
    captions: list[Line] = field(default_factory=list)
    continuation: list[Line] = field(default_factory=list)
    after_blank: bool = False     # a blank line separates it from the unit before

    @property
    def text(self) -> str:
        return join_lines([line.text for line in self.lines])


@dataclass(frozen=True)
class Converted:
    year: int
    title: str
    short_title: str
    lead: str
    body: str
    axes: tuple[str, ...]
    themes: tuple[str, ...]
    location: SourceLocation
    lines: tuple[Line, ...]

    @property
    def words(self) -> int:
        return len(re.findall(r"\w+", self.lead + " " + self.body))


def join_lines(texts: list[str]) -> str:
    out = ""
    for t in texts:
        t = clean(t)
        if not out:
            out = t
        elif out.endswith("-"):          # a word cut at the end of a line
            out += t
        else:
            out += " " + t
    return out


def slug(year: int, title: str, words: int = 6) -> str:
    head = re.split(r"\s[:–—]\s|\s:|:\s", title)[0]
    head = re.sub(r"['’]", " ", head)
    ascii_ = unicodedata.normalize("NFKD", head).encode("ascii", "ignore").decode()
    parts = re.findall(r"[a-z0-9]+", ascii_.lower())
    return f"{year}-" + "-".join(parts[:words])


def short_title(title: str) -> str:
    head = re.split(r"[\s\u00a0]+:[\s\u00a0]+|:[\s\u00a0]", title)[0].strip()
    return head if len(head) <= 60 else head[:57].rsplit(" ", 1)[0] + "…"


# ── Markdown text ───────────────────────────────────────────────────────────

_ESCAPE = re.compile(r"([\\`*_\[\]<>])")
_ENTITY = re.compile(r"&(?=#?\w+;)")
_LINE_START = re.compile(r"^(#|>|[-+=]\s|\d+[.)]\s)")


def escape(text: str) -> str:
    text = _ESCAPE.sub(r"\\\1", text)
    text = critic.escape(text)
    return _ENTITY.sub(r"\\&", text)


def escape_start(text: str) -> str:
    """Keep a paragraph that starts like a list or a heading a paragraph."""
    return _LINE_START.sub(lambda m: "\\" + m.group(1), text)


def comment(text: str) -> str:
    """An editor's question of the export, as an open question of the fiche."""
    return critic.comment(clean(text))


def inline(text: str, calls: set[str]) -> str:
    """Markdown for one run of export text: footnote calls and notes to check marked up."""
    text = clean(text)
    marks = [(m.start(), m.end(), "[^" + m.group(1) + "]") for m in rules.FOOTNOTE_CALL.finditer(text)]
    for m in marks:
        calls.add(m[2][2:-1])
    # a question to the editors or a note to self, whole, wherever it stands (publisher/checks/leftovers.py)
    marks += [(f.start, f.end, comment(text[f.start:f.end])) for f in leftovers(text) if f.kind != PLACEHOLDER]
    out, pos = [], 0
    for start, end, mark in sorted(marks, key=lambda m: (m[0], -m[1])):
        if start < pos:
            continue
        out.append(escape(text[pos:start]))
        out.append(mark)
        pos = end
    out.append(escape(text[pos:]))
    return escape_start("".join(out))


def is_question(text: str) -> bool:
    """The whole line is a remark to the editors: a question about the text, a note to self."""
    text = clean(text).strip()
    found = [f for f in leftovers(text) if f.kind != PLACEHOLDER]
    return len(found) == 1 and (found[0].start, found[0].end) == (0, len(text))


def is_heading(text: str) -> bool:
    text = clean(text)
    return len(text) <= rules.HEADING_MAX and (
        text.endswith(":") or not text.endswith(rules.SENTENCE_END))


def is_short_heading(text: str) -> bool:
    """A lone short line with no sentence punctuation, like « Rédaction d'une note »."""
    text = clean(text)
    return len(text.split()) <= rules.SHORT_HEADING_WORDS and not text.endswith(rules.SENTENCE_END + (",", "…", ":"))


def heading_text(text: str) -> str:
    return clean(re.sub(r"[\s\u00a0]*:$", "", clean(text)))


# ── From lines to units to Markdown ─────────────────────────────────────────


def units_of(lines: list[Line], report: Report, fiche: str) -> list[Unit]:
    units: list[Unit] = []
    i = 0
    blank_before = False
    while i < len(lines):
        line = lines[i]
        text = line.text
        if line.blank:
            report.put(line, "vide", fiche)
            blank_before = True
            i += 1
            continue
        if rules.IMAGE.match(text):
            unit = Unit("image", [line])
            i += 1
            while i < len(lines) and (lines[i].blank or rules.CAPTION.match(lines[i].text)):
                if lines[i].blank:
                    report.put(lines[i], "vide", fiche)
                else:
                    unit.captions.append(lines[i])
                i += 1
            units.append(unit)
            continue
        if rules.BULLET.match(text):
            units.append(Unit("bullet", [line], after_blank=blank_before))
            blank_before = False
        elif rules.NUMBERED.match(text):
            unit = Unit("number", [line])
            i += 1
            while i < len(lines) and not lines[i].blank and rules.CONTINUATION.match(lines[i].text) \
                    and not rules.BULLET.match(lines[i].text) and not rules.NUMBERED.match(lines[i].text):
                unit.continuation.append(lines[i])
                i += 1
            units.append(unit)
            blank_before = False
            continue
        elif rules.CAPTION.match(text):
            units.append(Unit("caption", [line]))
        else:
            unit = Unit("para", [line])
            i += 1
            while i < len(lines) and not lines[i].blank and not any(
                    r.match(lines[i].text) for r in (rules.BULLET, rules.NUMBERED, rules.CAPTION, rules.IMAGE)):
                unit.lines.append(lines[i])
                i += 1
            units.append(unit)
            blank_before = False
            continue
        blank_before = False
        i += 1
    return units


def body_markdown(units: list[Unit], report: Report, fiche: str, calls: set[str],
                  book_images: str = "images") -> list[str]:
    """Markdown blocks for the body units, reporting what each line became."""
    blocks: list[str] = []
    i = 0
    while i < len(units):
        unit = units[i]
        if unit.kind == "bullet":
            group = [unit]
            # a list's items stand on consecutive lines; a blank line ends it
            while i + 1 < len(units) and units[i + 1].kind == "bullet" and not units[i + 1].after_blank:
                i += 1
                group.append(units[i])
            text = rules.BULLET.match(unit.lines[0].text).group(1)
            if len(group) == 1 and is_heading(text):
                report.put(unit.lines[0], "sous-titre", fiche)
                blocks.append("### " + inline(heading_text(text), calls))
            else:
                items = []
                for u in group:
                    report.put(u.lines[0], "puce", fiche)
                    items.append("- " + inline(rules.BULLET.match(u.lines[0].text).group(1), calls))
                blocks.append("\n".join(items))
        elif unit.kind == "number":
            group = [unit]
            while i + 1 < len(units) and units[i + 1].kind == "number":
                i += 1
                group.append(units[i])
            loose = any(u.continuation for u in group)
            items = []
            for u in group:
                match = rules.NUMBERED.match(u.lines[0].text)
                report.put(u.lines[0], "élément numéroté", fiche)
                marker = f"{match.group(1)}. "
                item = marker + inline(match.group(2), calls)
                if u.continuation:
                    for c in u.continuation:
                        report.put(c, "suite d'élément numéroté", fiche)
                    item += "\n\n" + " " * len(marker) + inline(join_lines([c.text for c in u.continuation]), calls)
                items.append(item)
            blocks.append(("\n\n" if loose else "\n").join(items))
        elif unit.kind == "image":
            year, label = rules.IMAGE.match(unit.lines[0].text).groups()
            report.put(unit.lines[0], "image", fiche)
            original = clean(unit.lines[0].text).replace('"', "'")
            name = slug(int(year), label, 8)
            parts = [f'::: figure\n![{escape(clean(label))}]({book_images}/{name}.jpg "{original}")']
            for c in unit.captions:
                caption = rules.CAPTION.match(c.text).group(1)
                if clean(caption).lower() in rules.PLACEHOLDERS:
                    report.drop(c, "légende à écrire (espace réservé du site)")
                    continue
                report.put(c, "légende", fiche)
                parts.append(inline(caption, calls))
            blocks.append("\n\n".join(parts) + "\n:::")
        elif unit.kind == "caption":
            caption = rules.CAPTION.match(unit.lines[0].text).group(1)
            if clean(caption).lower() in rules.PLACEHOLDERS or not clean(caption):
                report.drop(unit.lines[0], "légende d'image vide (espace réservé du site, sans image)")
            else:
                report.put(unit.lines[0], "légende sans image", fiche)
                blocks.append(inline(caption, calls) + " " + comment("légende sans image : à placer"))
        else:
            text = unit.text
            if len(unit.lines) == 1 and is_short_heading(text) and i + 1 < len(units):
                report.put(unit.lines[0], "sous-titre", fiche)
                blocks.append("### " + inline(heading_text(text), calls))
            elif is_question(text):
                for line in unit.lines:
                    report.put(line, "commentaire éditorial", fiche)
                blocks.append(comment(text))
            else:
                for line in unit.lines:
                    report.put(line, "paragraphe", fiche)
                blocks.append(inline(text, calls))
        i += 1
    return blocks


def section_of(line: Line) -> str | None:
    key = clean(re.sub(r"[\s\u00a0]*:[\s\u00a0]*$", "", clean(line.text))).lower()
    return rules.SECTIONS.get(key)


def convert(raw: RawFiche, fiche: str, report: Report) -> Converted:
    """One fiche of the export → front matter fields and Markdown body."""
    first, second = raw.title_lines
    report.put(first, "titre", fiche)
    report.put(second, "titre répété", fiche)
    if clean(re.sub(r"\s+", " ", first.text)) != clean(re.sub(r"\s+", " ", second.text)):
        report.notes.append(info(second.location, "title-variant",
                                 f"les deux lignes de titre diffèrent ; la première est gardée : « {raw.title} »"))

    body: list[Line] = []
    sections: dict[str, list[Line]] = {}
    current = None
    for line in raw.lines:
        name = section_of(line)
        if name:
            current = name
            report.put(line, "rubrique du site", fiche)
            sections.setdefault(name, [])
            continue
        (body if current is None else sections[current]).append(line)

    calls: set[str] = set()
    units = units_of(body, report, fiche)
    lead = ""
    if units and units[0].kind == "para" and not is_question(units[0].text):
        for line in units[0].lines:
            report.put(line, "chapeau", fiche)
        lead = clean(inline(units[0].text, calls))
        units = units[1:]
    blocks = body_markdown(units, report, fiche, calls)

    extra, definitions = boilerplate(raw, sections, report, fiche, calls)
    axes, themes, stray = categories(raw, sections, report, fiche)
    extra += stray
    for label in sorted(calls - set(definitions), key=int):
        report.notes.append(warning(raw.location, "footnote-without-source",
                                    f"l'appel de note [{label}] n'a pas de source sous « Sources : » ; "
                                    "une note à compléter a été ajoutée"))
        definitions[label] = comment("Source manquante dans l'export : à compléter")
    for label in sorted(set(definitions) - calls, key=int):
        report.notes.append(warning(raw.location, "footnote-without-call",
                                    f"la source [{label}] n'est appelée nulle part dans le texte"))
    notes = [f"[^{k}]: {v}" for k, v in sorted(definitions.items(), key=lambda kv: int(kv[0]))]
    markdown = "\n\n".join(blocks + extra + notes) + "\n"
    return Converted(raw.year, raw.title, short_title(raw.title), lead, markdown,
                     axes, themes, raw.location, (first, second) + raw.lines)


def boilerplate(raw: RawFiche, sections: dict[str, list[Line]], report: Report, fiche: str,
                calls: set[str]) -> tuple[list[str], dict[str, str]]:
    """Ressources, jargon and sources: placeholders dropped, real content kept."""
    extra: list[str] = []
    definitions: dict[str, str] = {}
    titles = {"ressources": "Ressources à télécharger", "jargon": "Jargon, abréviations, sigles et acronymes"}
    for name in ("ressources", "jargon", "sources"):
        lines = sections.get(name)
        if lines is None:
            continue
        items: list[str] = []
        for line in lines:
            if line.blank:
                report.put(line, "vide", fiche)
                continue
            match = rules.BULLET.match(line.text)
            text = clean(match.group(1) if match else line.text)
            if text.lower() in rules.PLACEHOLDERS:
                report.drop(line, f"espace réservé du site « {text} » sous « {name} »")
                continue
            note = rules.SOURCE_NOTE.match(text)
            if name == "sources" and note:
                report.put(line, "note (source)", fiche)
                definitions[note.group(1)] = inline(note.group(2), set())
                continue
            report.put(line, "ressource" if name != "sources" else "source sans numéro", fiche)
            items.append("- " + inline(text, calls))
        if name == "sources" and not any(not line.blank for line in lines):
            report.notes.append(info(raw.location, "empty-sources",
                                     "la rubrique « Sources : » est vide dans l'export ; elle n'est pas reprise"))
        if items:
            extra.append(f"## {titles.get(name, 'Sources')}\n\n" + "\n".join(items))
    return extra, definitions


def categories(raw: RawFiche, sections: dict[str, list[Line]], report: Report,
               fiche: str) -> tuple[tuple[str, ...], tuple[str, ...], list[str]]:
    """Tick boxes → axes and themes, unless every box is ticked (a template artefact)."""
    found: dict[str, list[tuple[str, bool, Line]]] = {"axes": [], "themes": []}
    stray: list[str] = []
    for group in ("categories", "axes", "themes"):
        for line in sections.get(group, []):
            tick = rules.TICK.match(line.text)
            if line.blank:
                report.put(line, "vide", fiche)
            elif tick and group in found:
                label = clean(tick.group(2))
                found[group].append((label, tick.group(1) in rules.TICKED, line))
                report.add_vocabulary(group, label)
            else:
                report.put(line, "commentaire (texte inattendu sous « Catégories »)", fiche)
                stray.append(comment("Sous « Catégories » : " + line.text))
    boxes = found["axes"] + found["themes"]
    if boxes and all(ticked for _, ticked, _ in boxes):
        for _, _, line in boxes:
            report.drop(line, "case cochée comme toutes les autres : artefact du modèle du site, "
                              "thèmes laissés vides pour un éditeur", action="catégorie")
        report.notes.append(info(raw.location, "all-categories-ticked",
                                 "toutes les cases « Catégories » sont cochées (artefact du site) ; "
                                 "thèmes et axes laissés vides : choisissez-les dans la fiche"))
        return (), (), stray
    for _, ticked, line in boxes:
        if ticked:
            report.put(line, "catégorie cochée", fiche)
        else:
            report.drop(line, "case non cochée", action="catégorie")
    return (tuple(label for label, ticked, _ in found["axes"] if ticked),
            tuple(label for label, ticked, _ in found["themes"] if ticked), stray)

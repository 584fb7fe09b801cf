"""``publisher collect --apply``: the annotations written into the fiches as CriticMarkup.

A note → ``{>> … — Author <<}`` where it points; a highlight (underline, squiggly) →
``{== words ==}{>> comment — Author <<}``; a strike-out → ``{-- … --}``; a caret →
``{++ … ++}``; a strike-out with its caret → ``{~~ old ~> new ~~}``. The printed words are
found in the source line with typography and markup set aside (letters only). Never twice:
``book/.proofs/applied.json`` remembers each annotation applied; and only into fiches that
are still what the proof showed (or what the last --apply left).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path

from ..atomic import write_atomically
from ..diagnostics import Diagnostic, error, info, relative
from ..model import SourceLocation
from ..proof.trail import FOLDER, sha256
from ..source import critic, fichefile
from ..source.yamlfile import load_mapping
from . import Collected, Finding

RECORD = "applied.json"
# In the source, what the print does not show at its place: an editor's comment, an index marker.
PUNCTUATION = "()[].,;:!?«»“”\"'’…-–— \u00a0\u202f"
NOT_LETTERS = PUNCTUATION + "0123456789%°"
HIDDEN = re.compile(critic.COMMENT.pattern + r"|\{index:[^{}]*\}|\[\^[^\]\s]+\]", re.DOTALL)
# What opens a line of Markdown (a list's marker, a heading's #, a quotation's >, a note's « [^1]: »): a mark
# written before it would undo the block.
BLOCK_START = re.compile(r"(?:[ \t]*(?:[-+*][ \t]+|\d+[.)][ \t]+|#{1,6}[ \t]+|>[ \t]?|\[\^[^\]\s]+\]:[ \t]*))*")
# A line that is a figure's structure, no text: its fence, its image.
FIGURE_LINE = re.compile(r"^\s*(?::::|!\[[^\]]*\]\([^)]*\)\s*$)")


def letters(text: str) -> tuple[str, list[int]]:
    """The letters of a text, casefolded, with where each one is in ``text``: what a printed line
    and its source line share, whatever the typography and the Markdown did."""
    out, where = [], []
    hidden = [(m.start(), m.end()) for m in HIDDEN.finditer(text)]
    k = 0
    for i, c in enumerate(text):
        while k < len(hidden) and hidden[k][1] <= i:
            k += 1
        if k < len(hidden) and hidden[k][0] <= i < hidden[k][1]:
            continue
        if c.isalpha():
            for folded in c.casefold():
                out.append(folded)
                where.append(i)
    return "".join(out), where


def position(source: str, printed: str, offset: int, covered: str, at_word: bool = False) -> tuple[int, int] | None:
    """Where the covered words are in the source line; for a point (``covered`` ""), where it is:
    between two words (a caret), or ``at_word``, after the word it points at (a note)."""
    src, where = letters(source)
    line, _ = letters(printed)
    before, _ = letters(printed[:offset])
    words, _ = letters(covered)
    start = src.find(line) if line else -1
    span: tuple[int, int] | None = None                  # in the source's letters
    if start >= 0 and (not words or src.startswith(words, start + len(before))):
        at = start + len(before)
        span = (at, at + len(words))
    elif words and src.count(words) == 1:
        at = src.find(words)
        span = (at, at + len(words))
    elif not words and before and src.count(before[-12:]) == 1:
        at = src.find(before[-12:]) + len(before[-12:])
        span = (at, at)
    elif words:
        span = aligned(src, line, len(before), words)
    else:
        return aligned_point(src, where, source, line, len(before), at_word)
    if span is None:
        return None
    at, stop = span
    if not words:
        if at_word and at < len(where):
            end = where[at]
            while end < len(source) and (source[end].isalnum() or source[end] in "’'-"):
                end += 1
        else:
            end = where[at - 1] + 1 if at > 0 else 0
            end = past_the_same(source, end, printed[:offset])
        return end, end
    first, last = where[at], where[stop - 1] + 1
    # what the covered words begin or end with that is no letter (« (Bomel). », « en 2010 »), as the source has it
    text = covered.strip()
    for c in reversed(text[:len(text) - len(text.lstrip(NOT_LETTERS))]):
        if first > 0 and alike(source[first - 1], c):
            first -= 1
        else:
            break
    for c in text[len(text.rstrip(NOT_LETTERS)):]:
        if last < len(source) and alike(source[last], c):
            last += 1
        else:
            break
    return first, last


def past_the_same(source: str, end: int, before: str) -> int:
    """``end`` moved past what the print has between its last letter and the point, when the source
    has the same there: numbers and punctuation (« CAI, 2014, | 40 p. »), which letters alone skip."""
    tail = before[len(before.rstrip(NOT_LETTERS)):]
    k = 0
    while k < len(tail) and end + k < len(source) and alike(source[end + k], tail[k]):
        k += 1
    return end + k if k == len(tail) else end


def alike(a: str, b: str) -> bool:
    """The same character, any kind of space for any other (the print has the typography's spaces)."""
    return a == b or (a.isspace() or a in "\u00a0\u202f") and (b.isspace() or b in "\u00a0\u202f")


MIN_SHARED = 3          # letters in a row that printed and source lines must share to be taken as the same


def shared_letters(line: str, src: str) -> dict[int, int]:
    """The printed line's letters that are the source line's (``src``), in runs of at least MIN_SHARED,
    found near the place of the longest run the two share that the source has once: a printed line is a
    small window on a paragraph, whose other words share letters with it by chance."""
    blocks = SequenceMatcher(None, line, src, autojunk=False).get_matching_blocks()
    anchors = [b for b in blocks if b.size >= MIN_SHARED and src.count(line[b.a:b.a + b.size]) == 1]
    if not anchors:
        return {}
    anchor = max(anchors, key=lambda b: b.size)
    low = max(0, anchor.b - anchor.a - len(line))
    window = src[low:anchor.b + (len(line) - anchor.a) + len(line)]
    local = SequenceMatcher(None, line, window, autojunk=False).get_matching_blocks()
    return {b.a + k: low + b.b + k for b in local if b.size >= MIN_SHARED for k in range(b.size)}


def aligned(src: str, line: str, at: int, words: str) -> tuple[int, int] | None:
    """For what the pipeline printed that the source does not say as such — an acronym's first use spelled
    out (« organisation de jeunesse (OJ) » for « OJ »), « voir p. 37 » for « cf. Fiche 38 – … », a
    typographic change — the source letters (a span of ``src``) of the covered ``words``, which start at the
    printed line's letter ``at``: those their own letters align with; words the pipeline wrote whole
    (« voir p. 37 ») are the source words between their neighbours. ``line`` is the paragraph as printed
    on the page, so that its letters around the covered words pin them down."""
    to_src = shared_letters(line, src)
    end = at + len(words)
    before = [to_src[i] for i in range(min(at, len(line)) - 1, -1, -1) if i in to_src][:1]
    after = [to_src[i] for i in range(end, len(line)) if i in to_src][:1]
    inside = together(to_src, at, min(end, len(line)), before, after)
    if inside:
        return inside[0], inside[-1] + 1
    first, last = (before[0] + 1 if before else 0), (after[0] if after else len(src))
    return (first, last) if first < last and (before or after) else None


def together(to_src: dict[int, int], start: int, end: int, before: list[int], after: list[int]) -> list[int]:
    """The source letters of the printed letters ``start``…``end`` that are one place in the source: where
    the source jumps far between two printed neighbours (« sociale (CPAS) » printed at a page's top for
    « CPAS », « sociale » matched by chance to a « locales » further up), the run that touches the words'
    printed neighbours (the letters before or after them), else the longest."""
    runs: list[list[int]] = []
    last = None
    for i in range(start, end):
        if i not in to_src:
            continue
        if runs and last is not None and 0 < to_src[i] - runs[-1][-1] <= i - last + MIN_SHARED:
            runs[-1].append(to_src[i])
        else:
            runs.append([to_src[i]])
        last = i
    if len(runs) <= 1:
        return runs[0] if runs else []
    touching = [r for r in runs if (after and 0 <= after[0] - r[-1] <= MIN_SHARED + 1) or
                (before and 0 <= r[0] - before[0] <= MIN_SHARED + 1)]
    return max(touching or runs, key=len)


def aligned_point(src: str, where: list[int], source: str, line: str, at: int, at_word: bool) -> tuple[int, int] | None:
    """A caret or a note at the printed line's letter ``at``, in a line the pipeline changed: a note after
    the word it points at; a caret right after the source letter its previous letter is, or, when that
    one is the pipeline's (« voir p. 37 »), right before the next letter the source has."""
    to_src = shared_letters(line, src)
    if at_word and at in to_src:
        end = where[to_src[at]]
        while end < len(source) and (source[end].isalnum() or source[end] in "’'-"):
            end += 1
        return end, end
    if at - 1 in to_src:
        end = where[to_src[at - 1]] + 1
        return end, end
    after = next((to_src[k] for k in range(at, len(line)) if k in to_src), None)
    return None if after is None else (where[after], where[after])


def lead_line(fiche: fichefile.FicheText, name: str) -> int:
    """The line of the front matter's « lead: » (0 if none): where the proof's map puts the chapeau,
    however many lines its value takes."""
    return load_mapping(fiche.front or "", name, first_line=2).lines.get("lead", 0) if fiche.head else 0


@dataclass(frozen=True)
class Edit:
    """What is written at one place of a line: the annotations on the same words (several reviewers',
    merged), or a plain comment when their words were not found (``said``)."""

    start: int
    end: int
    findings: tuple[Finding, ...]
    said: str = ""


def merged(words: str, fs: tuple[Finding, ...]) -> str:
    """One mark for the words, whoever marked them, then each reviewer's comment in turn; never a mark
    inside another. A replacement wins over a strike-out, a strike-out over a highlight; a second
    replacement is said as a comment naming it."""
    replacing = [f for f in fs if f.kind == "replace"]
    striking = [f for f in fs if f.kind == "strikeout"]
    if replacing:
        mark = critic.substitution(words, replacing[0].inserted)
    elif striking:
        mark = critic.deletion(words)
    elif words:
        mark = critic.highlight(words)
    else:                                  # a point: a note, a text box, a caret
        return "".join(point(f) for f in fs)
    asked = []
    for f in fs:
        a = f.annotation
        if f.kind == "replace" and f is not replacing[0]:
            asked.append(comment(f"remplacer par « {f.inserted} »" + (f" : {a.text}" if a.text else ""), a.author))
        elif f.kind == "caret":
            asked.append(comment(f"insérer « {f.inserted or a.text} »", a.author))
        elif a.text:
            asked.append(comment(a.text, a.author))
        asked += [comment(r.text, r.author) for r in f.replies]
    return mark + "".join(dict.fromkeys(asked))


STRENGTH = {"highlight": 0, "deletion": 1, "substitution": 2}


def joined(group: critic.Group, words: str, fs: tuple[Finding, ...]) -> str:
    """Annotations on words already marked: one group still — the stronger mark (a replacement over a
    strike-out over a highlight), the comments there, then the new ones (naming their words when they
    are not all of the group's)."""
    kept = group.mark
    new = merged(kept.text, fs)
    fresh = critic.mark_at(new, 0)
    mark = fresh if fresh is not None and STRENGTH[fresh.op] > STRENGTH[kept.op] else kept
    written = new[fresh.end:] if fresh is not None else new
    if letters(words)[0] != letters(kept.text)[0]:
        written = critic.COMMENT.sub(lambda m: m.group(0).replace("{>> ", f"{{>> « {words.strip()} » : ", 1), written)
    said = "".join(m.group(0) for m in critic.COMMENT.finditer(written) if m.group(0) not in group.comments)
    return {"highlight": critic.highlight, "deletion": critic.deletion}.get(mark.op, lambda w: critic.substitution(
        w, mark.replacement))(mark.text) + group.comments + said


def point(f: Finding) -> str:
    a = f.annotation
    said = "".join(comment(r.text, r.author) for r in f.replies)
    if f.kind == "caret":
        return critic.addition(f.inserted or a.text) + said
    return comment(a.text or "(annotation sans texte)", a.author) + said


def closing_fence(lines: list[str], number: int) -> int:
    """The line after the figure block that holds line ``number`` (its closing « ::: »), from 1."""
    for k in range(number - 1, len(lines)):
        if lines[k].strip() == ":::":
            return k + 1
    return len(lines)


def marked(line: str, edits: list[Edit]) -> str:
    """``line`` with its edits written. Where they overlap, the longest words win (the one that counts
    most of them: the first reviewer's when the same); the others are said at the end of the line, as
    plain comments: never a mark inside another."""
    chosen: list[Edit] = []
    tail: list[Edit] = []
    for edit in sorted(edits, key=lambda e: (-(e.end - e.start), e.start)):
        (tail if any(clash(edit, other) for other in chosen) else chosen).append(edit)
    for edit in sorted(chosen, key=lambda e: (e.start, e.end), reverse=True):      # the rightmost first
        group = next((g for g in critic.groups(line) if g.start <= edit.start and edit.end <= g.end
                      and edit.start < edit.end), None)
        if group is not None and not edit.said:       # words marked already (another reviewer, an earlier --apply)
            line = line[:group.start] + joined(group, line[edit.start:edit.end], edit.findings) + line[group.end:]
            continue
        text = edit.said or merged(line[edit.start:edit.end], edit.findings)
        start = end = edit.start if edit.start == edit.end else None
        if start is not None and text.startswith("{++"):            # words inserted: a space from the words beside
            if start and not line[start - 1].isalnum() and line[start:start + 1] == " ":
                start = end = start + 1                     # « 2014,| 40 » : after the space, as one types
            if start and line[start - 1].isalnum():
                text = " " + text
            elif start < len(line) and line[start].isalnum():
                text = text + " "
        line = line[:edit.start if start is None else start] + text + line[edit.end if end is None else end:]
    said = [comment(f"[{f.message()}]", "") for edit in sorted(tail, key=lambda e: e.start) for f in edit.findings]
    return line.rstrip() + "".join(said) if said else line


def clash(a: Edit, b: Edit) -> bool:
    """Whether writing both would put one inside the other (two points at one place do not clash)."""
    if a.start == a.end and b.start == b.end:
        return False
    if a.start == a.end:
        return b.start < a.start < b.end
    if b.start == b.end:
        return a.start < b.start < a.end
    return a.start < b.end and b.start < a.end


def comment(text: str, author: str) -> str:
    """A proofreader's words as one comment: on one line, whatever the PDF reader kept of its lines."""
    return critic.comment(" ".join(text.split()), author)


def record_of(f: Finding, fiche: str, line: int, found: Collected) -> dict:
    return {"proof": f.proof, "fiche": fiche, "line": line, "when": found.maps[f.copy].stamp}


def applied_before(applied: dict, f: Finding, stamp: str) -> dict | None:
    """What the ledger says of this annotation: under its key (proof, page, what it is); or, as ledgers
    written before those keys named an annotation (by /NM alone), under that name for this very proof
    and fiche: a name is unique on its page only, the proof's stamp and the fiche tell them apart."""
    if f.key in applied:
        return applied[f.key]
    old = applied.get(f.annotation.legacy)
    fiche = f.place.src.rpartition(":")[0]
    if old and "proof" not in old and old.get("when") == stamp and old.get("fiche") == fiche:
        return old
    return None


def applied_keys(root: Path) -> set[str]:
    """The annotations the ledger says were written, by their key."""
    try:
        return set(json.loads((Path(root) / FOLDER / RECORD).read_text(encoding="utf-8")).get("applied", {}))
    except (OSError, ValueError, AttributeError):
        return set()


def apply(found: Collected, root: Path) -> list[Diagnostic]:
    root = Path(root)
    record_path = root / FOLDER / RECORD
    record = json.loads(record_path.read_text(encoding="utf-8")) if record_path.is_file() else {}
    applied: dict = record.setdefault("applied", {})
    left_by_us: dict = record.setdefault("fiches", {})
    notes: list[Diagnostic] = []
    by_fiche: dict[str, list[Finding]] = {}
    for f in found.findings:
        if not f.place.src:
            notes.append(info(f.location, "annotation-not-applied",
                              "annotation hors du texte : à reporter à la main"))
            continue
        done = applied_before(applied, f, found.maps[f.copy].stamp)
        if done:
            notes.append(info(f.location, "annotation-applied-already",
                              f"annotation déjà appliquée ({done['when']}) : rien n'est changé"))
            continue
        by_fiche.setdefault(f.place.src.rpartition(":")[0], []).append(f)
    for name, mine in sorted(by_fiche.items()):
        path = root / name
        shown = relative(path)
        proof = found.maps[mine[0].copy]
        current = sha256(path.read_bytes()) if path.is_file() else ""
        if current not in (proof.fiches.get(name), left_by_us.get(name)):
            notes.append(error(SourceLocation(shown, 1), "fiche-changed-since-proof",
                               f"cette fiche a changé depuis l'épreuve annotée ({mine[0].copy}) : ses "
                               f"{len(mine)} annotation(s) ne sont pas appliquées ; reportez-les à la main "
                               "(publisher collect les liste), ou refaites une épreuve"))
            continue
        written = path.read_text(encoding="utf-8")
        fiche = fichefile.split(written)
        lines = written.split("\n")
        front, lead = fiche.front_lines, lead_line(fiche, shown)
        chapeau = str(fiche.values().get("lead") or "")
        places: dict[int, dict[tuple[int, int], list[Finding]]] = {}
        said: dict[int, list[Edit]] = {}
        heading: list[str] = []          # about the title: said at the top of the text
        after_figure: dict[int, list[str]] = {}
        for f in mine:
            number = f.location.line
            if number <= front and number != lead:
                heading.append(comment(f"[en-tête de la fiche] {f.message()}", ""))
                applied[f.key] = record_of(f, name, number, found)
                continue
            source = chapeau if number == lead else lines[number - 1] if 0 < number <= len(lines) else ""
            if number != lead and FIGURE_LINE.match(source):     # an image's frame: said after the figure
                after_figure.setdefault(closing_fence(lines, number), []).append(comment(f"[{f.message()}]", ""))
                applied[f.key] = record_of(f, name, number, found)
                continue
            found_at = position(source, f.place.printed, f.place.offset, f.place.covered,
                                at_word=f.kind in ("note", "freetext"))
            if found_at is not None and number != lead:
                opening = BLOCK_START.match(source).end()
                found_at = (max(found_at[0], opening), max(found_at[1], opening))
            if found_at is None:
                end = len(source.rstrip())
                said.setdefault(number, []).append(Edit(end, end, (f,), comment(f"[{f.message()}]", "")))
                notes.append(info(f.location, "annotation-at-line-end",
                                  "les mots annotés n'ont pas été retrouvés dans la ligne : l'annotation est "
                                  "notée en fin de paragraphe"))
            else:
                places.setdefault(number, {}).setdefault(found_at, []).append(f)
            applied[f.key] = record_of(f, name, number, found)
        for number in sorted(set(places) | set(said)):
            edits = [Edit(start, end, tuple(fs)) for (start, end), fs in places.get(number, {}).items()]
            line = marked(chapeau if number == lead else lines[number - 1], edits + said.get(number, []))
            if number == lead:
                chapeau = line
            else:
                lines[number - 1] = line
        for closing, said in sorted(after_figure.items(), reverse=True):     # a paragraph of its own
            lines.insert(closing, "\n" + "".join(said) + ("\n" if closing < len(lines) and lines[closing].strip() else ""))
        if heading:
            lines.insert(front + 1, "\n".join(heading) + "\n")
        text = "\n".join(lines)
        if lead in places or lead in said:     # the chapeau's value set in the front matter, however written
            text = fichefile.rewrite(text, {"lead": chapeau})
        data = text.encode("utf-8")
        write_atomically(path, data)
        left_by_us[name] = sha256(data)
        notes.append(info(SourceLocation(shown, 1), "annotations-applied",
                          f"{len(mine)} annotation(s) écrite(s) dans la fiche en CriticMarkup"))
    (root / FOLDER).mkdir(exist_ok=True)
    write_atomically(record_path, json.dumps(record, ensure_ascii=False, indent=1).encode("utf-8"))
    return notes

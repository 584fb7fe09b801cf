"""CriticMarkup, the marks editors leave in a fiche, read and written here only.

    {>> a comment, a question — Author <<}     {++ words added ++}     {-- words struck --}
    {~~ old words ~> new words ~~}             {== words highlighted ==}

The Markdown reader (:mod:`.markdown`) finds them in a fiche's text; the importers
(website export, Word) and ``collect --apply`` write them; the Word export and the
comparison of a corrected copy read them back. A comment's text never holds « <<} »:
it would close the comment early, so it is written « << } ».
"""

from __future__ import annotations

import re
from dataclasses import dataclass

OPS = {">>": "comment", "++": "addition", "--": "deletion", "==": "highlight", "~~": "substitution"}
CLOSERS = {">>": "<<", "++": "++", "--": "--", "==": "==", "~~": "~~"}
MARK = re.compile(r"\{(>>|\+\+|--|==|~~)(.*?)(<<|\+\+|--|==|~~)\}", re.DOTALL)
COMMENT = re.compile(r"\{>>.*?<<\}", re.DOTALL)
CHANGE = re.compile(r"\{(\+\+|--|~~)\s?(.*?)\s?(\+\+|--|~~)\}", re.DOTALL)
OPENING = re.compile(r"\{(?=>>|--|\+\+|~~|==)")      # what must be escaped in text that is no mark
SUBSTITUTE = "~>"


@dataclass(frozen=True)
class Mark:
    op: str              # comment, addition, deletion, highlight, substitution
    text: str            # stripped; for a substitution, the old words
    replacement: str     # a substitution's new words ("" otherwise)
    start: int
    end: int


def mark_at(text: str, pos: int) -> Mark | None:
    """The mark that opens at ``pos``, if one does (closed by its own closer)."""
    match = MARK.match(text, pos)
    if not match or CLOSERS[match.group(1)] != match.group(3):
        return None
    op = OPS[match.group(1)]
    inside, replacement = match.group(2), ""
    if op == "substitution":
        inside, _, replacement = inside.partition(SUBSTITUTE)
    return Mark(op, inside.strip(), replacement.strip(), match.start(), match.end())


@dataclass(frozen=True)
class Group:
    """Marked words and the comments after them: « {== words ==}{>> … <<}{>> … <<} »."""

    mark: Mark
    comments: str        # as written, one after the other
    start: int
    end: int


def groups(text: str) -> list[Group]:
    """The marked words of ``text`` (highlighted, struck, replaced) with their comments."""
    out: list[Group] = []
    for match in re.finditer(r"\{(?:==|--|~~)", text):
        mark = mark_at(text, match.start())
        if mark is None or mark.op not in ("highlight", "deletion", "substitution") or \
                (out and match.start() < out[-1].end):
            continue
        end = mark.end
        while (said := COMMENT.match(text, end)) is not None:
            end = said.end()
        out.append(Group(mark, text[mark.end:end], mark.start, end))
    return out


# ── Writing ─────────────────────────────────────────────────────────────────

def comment(text: str, author: str = "") -> str:
    return f"{{>> {text.replace('<<}', '<< }')}{' — ' + author if author else ''} <<}}"


def addition(words: str) -> str:
    return f"{{++ {words} ++}}"


def deletion(words: str) -> str:
    return f"{{-- {words} --}}"


def substitution(old: str, new: str) -> str:
    return f"{{~~ {old} {SUBSTITUTE} {new} ~~}}"


def highlight(words: str) -> str:
    return f"{{== {words} ==}}"


def change(kind: str, words: str) -> str:
    """A tracked change: ``kind`` « insertion » or « deletion », as Word names them."""
    return addition(words) if kind == "insertion" else deletion(words)


def is_whole_change(text: str, kind: str) -> bool:
    """``text`` is one tracked change of that kind from end to end (a paragraph inserted or struck whole)."""
    mark = change(kind, "")
    return text.startswith(mark[:3]) and text.endswith(mark[-3:])


def escape(text: str) -> str:
    """Text that must not read as a mark: its « { » before a mark's opener escaped."""
    return OPENING.sub(r"\\{", text)


# ── Reading back ────────────────────────────────────────────────────────────

def before_changes(text: str) -> str:
    """The text as it read before its changes (all rejected); comments and highlights stay."""
    def reject(m: re.Match[str]) -> str:
        op, body = str(m.group(1)), str(m.group(2))
        if op == "++":
            return ""
        return body.split(f" {SUBSTITUTE} ")[0] if op == "~~" else body
    return CHANGE.sub(reject, text)


def without_comments(text: str, by: str = " ") -> str:
    return COMMENT.sub(by, text)

"""A paragraph's text runs seen as one string, so that rules can look across them.

« *mot* » is three runs (« , *mot*, ») but one typographic context: the space
after « lives in the first run, the word in the second. A :class:`Buffer`
concatenates the text runs, puts one placeholder character for each inline
that is not text (footnote call, code, superscript…), and remembers for every
character which run owns it. Rules rewrite the string; :meth:`Buffer.rebuild`
gives every run back its own characters, so the run tree keeps its shape.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from ..model import Address, Emphasis, FootnoteRef, Inline, LineBreak, Link, SmallCaps, Strong, Superscript, Text

# Placeholders, from the Unicode private use area: no real text contains them.
NOTE_CALL = "\ue000"   # a footnote call: glued to the word before it
WORDLIKE = "\ue001"    # code, superscript, small caps, acronym: behaves as a word
BREAK = "\ue002"       # a hard line break
OPAQUE = "\ue003"      # an editorial comment: leave its surroundings alone

CONTAINERS = (Emphasis, Strong, Link)

# Web and e-mail addresses: never touched, never hyphenated (set as their own run).
ADDRESS = re.compile(
    r"""(?:https?|ftp)://[^\s«»"<>]*[^\s«»"<>.,;:!?)\]]    # URLs
      | www\.[^\s«»"<>]*[^\s«»"<>.,;:!?)\]]
      | [\w.+-]+@[\w-]+(?:\.[\w-]+)+                       # e-mail addresses
    """,
    re.VERBOSE,
)
# What typography must never touch, even inside a text run.
PROTECTED = re.compile(
    ADDRESS.pattern + r"""
      | (?<!\d)\d{1,2}:\d{2}(?::\d{2})?(?!\d)              # times 10:30, ratios 1:3
      | \b[A-Za-z]:\\[^\s«»"]*                             # Windows paths C:\…
      | (?<![\w/])(?:\.{0,2}/)?(?:[\w.-]+/)+[\w.-]+/?      # paths a/b/c, ./x, ../x
    """,
    re.VERBOSE,
)


@dataclass
class Buffer:
    chars: list[str]
    owners: list[int]       # index of the owning text leaf; -1: not ours to change
    # the characters as one string, kept until they change: most of the rules find nothing in most
    # paragraphs, and joining the characters for each was a third of the typography's time
    joined: str | None = field(default=None, repr=False, compare=False)

    @classmethod
    def of(cls, runs: tuple[Inline, ...]) -> "Buffer":
        buffer = cls([], [])
        leaf = 0

        def walk(items):
            nonlocal leaf
            for run in items:
                if isinstance(run, Text):
                    buffer.chars.extend(run.text)
                    buffer.owners.extend([leaf] * len(run.text))
                    leaf += 1
                elif isinstance(run, CONTAINERS):
                    walk(run.children)
                elif isinstance(run, (Superscript, SmallCaps, Address)):
                    # Already set by an earlier pass: seen as the letters they were, never changed.
                    letters = run.plain or run.text if isinstance(run, Superscript) else run.text
                    buffer.chars.extend(letters)
                    buffer.owners.extend([-1] * len(letters))
                else:
                    buffer.chars.append(placeholder(run))
                    buffer.owners.append(-1)

        walk(runs)
        return buffer

    @property
    def text(self) -> str:
        if self.joined is None:
            self.joined = "".join(self.chars)
        return self.joined

    def protected(self) -> list[bool]:
        text = self.text
        mask = [owner < 0 for owner in self.owners]
        for match in PROTECTED.finditer(text):
            mask[match.start():match.end()] = [True] * (match.end() - match.start())
        return mask

    def substitute(self, pattern: re.Pattern, replacement) -> None:
        """Like ``pattern.sub``, skipping matches that touch protected characters.

        ``replacement`` is a function of the match (and its ordinal among the
        kept matches) returning the new text of the match.
        """
        text = self.text
        matches = list(pattern.finditer(text))
        if not matches:                  # most rules find nothing in most paragraphs: no mask to compute
            return
        mask = self.protected()
        chars: list[str] = []
        owners: list[int] = []
        done = kept = 0
        for match in matches:
            start, end = match.span()
            if any(mask[start:end]):
                continue
            new = replacement(match, kept)
            kept += 1
            chars.extend(self.chars[done:start])
            owners.extend(self.owners[done:start])
            self._splice(start, end, new, chars, owners)
            done = end
        chars.extend(self.chars[done:])
        owners.extend(self.owners[done:])
        self.chars, self.owners, self.joined = chars, owners, None

    def _splice(self, start: int, end: int, new: str, chars: list[str], owners: list[int]) -> None:
        """Append ``new`` in place of [start, end), keeping owners where text is kept.

        Characters common to the start and the end of old and new keep their
        owner; the changed middle belongs to the first changed old character,
        or, for a pure insertion, to the neighbour that is not a letter (the
        space after « belongs with «, the space before ; with ;).
        """
        old = self.chars[start:end]
        prefix = 0
        while prefix < min(len(old), len(new)) and old[prefix] == new[prefix]:
            prefix += 1
        suffix = 0
        while (suffix < min(len(old), len(new)) - prefix
               and old[len(old) - 1 - suffix] == new[len(new) - 1 - suffix]):
            suffix += 1
        middle_new = new[prefix:len(new) - suffix]
        middle_owner = (self.owners[start + prefix] if len(old) - suffix > prefix
                        else self._insertion_owner(start + prefix))
        chars.extend(new)
        owners.extend(self.owners[start:start + prefix]
                      + [middle_owner] * len(middle_new)
                      + self.owners[end - suffix:end])

    def _insertion_owner(self, at: int) -> int:
        before = self.owners[at - 1] if at > 0 else -1
        after = self.owners[at] if at < len(self.owners) else -1
        if before < 0 or after < 0:
            return max(before, after)
        before_is_word = self.chars[at - 1].isalnum()
        after_is_word = self.chars[at].isalnum()
        return after if before_is_word and not after_is_word else before

    def rebuild(self, runs: tuple[Inline, ...]) -> tuple[Inline, ...]:
        texts: dict[int, list[str]] = {}
        for char, owner in zip(self.chars, self.owners):
            if owner >= 0:
                texts.setdefault(owner, []).append(char)
        leaf = 0

        def walk(items):
            nonlocal leaf
            out = []
            for run in items:
                if isinstance(run, Text):
                    text = "".join(texts.get(leaf, []))
                    leaf += 1
                    if text:
                        out.append(replace(run, text=text))
                elif isinstance(run, CONTAINERS):
                    out.append(replace(run, children=walk(run.children)))
                else:
                    out.append(run)
            return tuple(out)

        return walk(runs)


def placeholder(run: Inline) -> str:
    if isinstance(run, FootnoteRef):
        return NOTE_CALL
    if isinstance(run, LineBreak):
        return BREAK
    if run.kind == "critic":
        return OPAQUE
    return WORDLIKE

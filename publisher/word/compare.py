"""A corrected copy against the fiche it was exported from: what the editor changed without
« Suivi des modifications » is marked too, so that no correction slips in unseen."""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from ..source import critic

# Words with the spaces after them (matching on bare spaces would pair the wrong words); a comment is one word.
WORDS = re.compile(critic.COMMENT.pattern + r"\s*|[^\s{]+\s*|\{\s*|\s+", re.DOTALL)
# Blocks whose first characters are Markdown syntax: CriticMarkup cannot wrap them whole.
STRUCTURED = re.compile(r"^(#|-\s|\d+\.\s|:::|\[\^|>)")
UNTRACKED = critic.comment("modifié sans le suivi des modifications : vérifiez")


def words(old: str, new: str) -> str:
    """``new``, with the words that differ from ``old`` in CriticMarkup."""
    a, b = WORDS.findall(old), WORDS.findall(new)
    out = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        written = "".join(b[j1:j2])
        if op == "equal":
            out.append(written)
            continue
        # a comment the editor added is a question, not a change to the text: it stays as it is
        asked = "".join(t.strip() for t in b[j1:j2] if critic.COMMENT.match(t))
        gone = "".join(a[i1:i2]).strip()
        came = "".join(t for t in b[j1:j2] if not critic.COMMENT.match(t)).strip()
        chunk = written or "".join(a[i1:i2])
        tail = chunk[len(chunk.rstrip()):]
        if gone and came:
            out.append(critic.substitution(gone, came) + asked + tail)
        elif gone:
            out.append(critic.deletion(gone) + asked + tail)
        elif came:
            out.append(critic.addition(came) + asked + tail)
        else:
            out.append(written)
    return "".join(out)


def key(block: str) -> str:
    """What two blocks must share to read alike: the words, without comments; spaces do not count
    (a tracked change leaves one more around it, the print folds them)."""
    return " ".join(critic.without_comments(block).split())


def mark_untracked(old: str, new: str) -> tuple[str, int]:
    """``new`` (a fiche body read from Word, tracked changes already in CriticMarkup) with what
    differs from ``old`` and no tracked change explains marked as well; and how many blocks.
    Comments are left out of the comparison: an editor's question changes no text."""
    old_blocks, new_blocks = old.split("\n\n"), new.split("\n\n")
    was_key = [key(b) for b in old_blocks]
    now_key = [key(critic.before_changes(b)) for b in new_blocks]
    out, count = [], 0
    for op, i1, i2, j1, j2 in SequenceMatcher(None, was_key, now_key, autojunk=False).get_opcodes():
        if op == "equal":
            out += new_blocks[j1:j2]
            continue
        count += max(i2 - i1, j2 - j1)
        pairs = min(i2 - i1, j2 - j1) if op == "replace" else 0
        for k in range(pairs):
            was, now = old_blocks[i1 + k], new_blocks[j1 + k]
            tracked = key(now) != now_key[j1 + k]
            if not tracked and not STRUCTURED.match(now) and not STRUCTURED.match(was):
                out.append(words(was, now))
            else:
                out.append(now + UNTRACKED)
        for was in old_blocks[i1 + pairs:i2]:
            if not STRUCTURED.match(was):
                out.append(critic.deletion(was))
        for now in new_blocks[j1 + pairs:j2]:
            out.append(now if STRUCTURED.match(now) else critic.addition(now))
    return "\n\n".join(out), count

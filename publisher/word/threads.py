"""Which comment answers which. Word links a reply to its comment (commentsExtended.xml);
LibreOffice only puts the reply on the same words. Either way it is one thread, written
where the commented words end."""

from __future__ import annotations

from dataclasses import dataclass, field

from .package import Comment


@dataclass
class Threads:
    starts: dict[str, int] = field(default_factory=dict)     # comment id → position where its words start
    ends: dict[str, int] = field(default_factory=dict)
    reply_of: dict[str, str] = field(default_factory=dict)   # a reply's id → its thread's first comment
    threads: dict[str, list[Comment]] = field(default_factory=dict)

    def thread(self, cid: str, comments: dict[str, Comment]) -> list[Comment]:
        """The comment and its replies, in order; empty for a reply (written with its thread)."""
        if cid in self.reply_of or cid not in self.threads:
            return []
        first = comments.get(cid)
        return sorted(self.threads[cid], key=lambda c: (c is not first, c.date))


def plan(blocks: list, comments: dict[str, Comment]) -> Threads:
    found = Threads()
    positions(blocks, found, [0])
    by_para = {c.para_id: c for c in comments.values() if c.para_id}
    roots: dict[tuple[int, int], str] = {}
    order = sorted(found.starts, key=lambda i: (found.starts[i], comments[i].date if i in comments else "", i))
    for cid in order:
        c = comments.get(cid)
        if c is None:
            continue
        parent = by_para.get(c.parent)
        if parent is not None:
            root = parent.id
            while root in found.reply_of:
                root = found.reply_of[root]
        else:
            root = roots.setdefault((found.starts[cid], found.ends.get(cid, -1)), cid)
        if root != cid:
            found.reply_of[cid] = root
        found.threads.setdefault(root, []).append(c)
    return found


def positions(node, found: Threads, atoms: list[int]) -> None:
    """Where each comment starts and ends, counted in words and spaces (comment marks not counted,
    so that a reply's marks, written beside its comment's, are at the same place)."""
    if isinstance(node, list):
        for n in node:
            positions(n, found, atoms)
        return
    if not isinstance(node, dict):
        return
    kind = node.get("t")
    if kind == "Span":
        (_, classes, attrs), _ = node["c"]
        cid = dict(attrs).get("id", "")
        if "comment-start" in classes:
            found.starts.setdefault(cid, atoms[0])
            return              # its content is the comment's text, not the document's
        if "comment-end" in classes:
            found.ends.setdefault(cid, atoms[0])
    elif kind in ("Str", "Space", "Image", "Note", "LineBreak", "SoftBreak"):
        atoms[0] += 1
    if "c" in node:
        positions(node["c"], found, atoms)

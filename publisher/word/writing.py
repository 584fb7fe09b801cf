"""A fiche → pandoc's JSON tree of a Word document an editor can correct.

The front matter goes to the document's properties, the chapeau to a paragraph in the
« Chapeau » style, notes to Word footnotes, open questions ({>> <<}) to Word comments,
{++ ++} and {-- --} to tracked changes. :mod:`publisher.word.reading` reads all of it back.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from ..model import (Block, Code, Critic, Emphasis, Fiche, Figure, FootnoteRef, Heading, IndexMark, Inline, LineBreak,
                     Link, ListBlock, Paragraph, Quote, Strong, Text)
from .reading import EXPORT_AUTHOR

FICHE_PROPERTY, DIGEST_PROPERTY, IMAGES_PROPERTY = "publisher-fiche", "publisher-sha256", "publisher-images"


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def meta_text(text: str) -> dict:
    return {"t": "MetaInlines", "c": [{"t": "Str", "c": text}]}


@dataclass
class Picture:
    src: str            # as the fiche writes it
    path: Path          # the file pandoc embeds (the image, or a frame « image à fournir »)


class _Writer:
    def __init__(self, fiche: Fiche, lines: list[str], pictures: dict[str, Picture], source: str = ""):
        self.fiche, self.lines, self.pictures, self.source = fiche, lines, pictures, source
        self.notes = {n.label: n for n in fiche.footnotes}
        self.ids = 0
        self.date = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        self.images: list[tuple[str, str]] = []

    def tree(self, api: list[int], source: bytes) -> dict:
        f = self.fiche
        blocks = []
        if f.lead:
            blocks.append({"t": "Div", "c": [["", [], [["custom-style", "Chapeau"]]],
                                             [{"t": "Para", "c": self.inlines(f.lead)}]]})
        blocks += [self.block(b) for b in f.blocks]
        meta = {"title": meta_text(f"{f.year} – {f.title}" if f.year is not None else f.title),
                "lang": {"t": "MetaString", "c": "fr-BE"},
                "keywords": {"t": "MetaList", "c": [meta_text(k) for k in f.themes + f.axes]},
                "short_title": {"t": "MetaString", "c": f.short_title},
                FICHE_PROPERTY: {"t": "MetaString", "c": f.id},
                DIGEST_PROPERTY: {"t": "MetaString", "c": digest(source)},
                IMAGES_PROPERTY: {"t": "MetaString", "c": " ".join(f"{src}={h}" for src, h in self.images)}}
        if self.source:
            meta["source"] = {"t": "MetaString", "c": self.source}
        if f.number is not None:
            meta["number"] = {"t": "MetaString", "c": str(f.number)}
        if f.year is not None:
            meta["year"] = {"t": "MetaString", "c": str(f.year)}
        return {"pandoc-api-version": api, "meta": meta, "blocks": blocks}

    def block(self, b: Block) -> dict:
        if isinstance(b, Paragraph):
            return {"t": "Para", "c": self.inlines(b.children) + self.trailing(b)}
        if isinstance(b, Heading):
            return {"t": "Header", "c": [b.level, ["", [], []], self.inlines(b.children)]}
        if isinstance(b, ListBlock):
            items = [[self.plain(x) for x in item.blocks] for item in b.items]
            if b.ordered:
                return {"t": "OrderedList", "c": [[b.start, {"t": "Decimal"}, {"t": "Period"}], items]}
            return {"t": "BulletList", "c": items}
        if isinstance(b, Quote):
            return {"t": "BlockQuote", "c": [self.block(x) for x in b.blocks]}
        if isinstance(b, Figure):
            return self.figure(b)
        raise TypeError(b)

    def plain(self, b: Block) -> dict:
        """A list item's paragraph: Plain, so that Word does not space the items apart."""
        out = self.block(b)
        if out["t"] == "Para":
            out["t"] = "Plain"
        return out

    def trailing(self, b: Paragraph) -> list[dict]:
        """The spaces after a paragraph's last word, which Markdown ignores but the file has."""
        line = self.lines[b.location.line - 1] if 0 < b.location.line <= len(self.lines) else ""
        spaces = line[len(line.rstrip(" ")):]
        return [{"t": "Str", "c": spaces}] if spaces and line.strip() else []

    def figure(self, b: Figure) -> dict:
        picture = self.pictures[b.src]
        self.images.append((b.src, digest(picture.path.read_bytes())))
        image = {"t": "Image", "c": [["", [], []], [{"t": "Str", "c": b.alt}] if b.alt else [],
                                     [str(picture.path), b.title]]}
        caption = [self.plain(x) for x in b.caption]
        return {"t": "Figure", "c": [["", [], []], [None, caption], [{"t": "Plain", "c": [image]}]]}

    def inlines(self, runs: tuple[Inline, ...]) -> list[dict]:
        out: list[dict] = []
        for r in runs:
            out.extend(self.inline(r))
        return out

    def inline(self, r: Inline) -> list[dict]:
        if isinstance(r, Text):
            return [{"t": "Str", "c": r.text}] if r.text else []
        if isinstance(r, Code):
            return [{"t": "Code", "c": [["", [], []], r.text]}]
        if isinstance(r, LineBreak):
            return [{"t": "LineBreak"}]
        if isinstance(r, (Emphasis, Strong)):
            return [{"t": "Emph" if isinstance(r, Emphasis) else "Strong", "c": self.inlines(r.children)}]
        if isinstance(r, Link):
            return [{"t": "Link", "c": [["", [], []], self.inlines(r.children), [r.href, ""]]}]
        if isinstance(r, FootnoteRef):
            note = self.notes.get(r.label)
            return [{"t": "Note", "c": [self.block(b) for b in note.blocks] if note else []}]
        if isinstance(r, IndexMark):
            key = " > ".join(r.key)
            return [{"t": "Str", "c": f"{{index: {key}}}"}]
        if isinstance(r, Critic):
            return self.critic(r)
        return [{"t": "Str", "c": getattr(r, "text", "")}]

    def critic(self, r: Critic) -> list[dict]:
        text, author = r.text, EXPORT_AUTHOR
        if r.op == "comment":
            words, sep, who = text.rpartition(" — ")
            if sep and who and len(who) <= 60:
                text, author = words, who
            self.ids += 1
            cid = str(self.ids)
            return [{"t": "Span", "c": [["", ["comment-start"], [["id", cid], ["author", author],
                                                                  ["date", self.date]]],
                                        [{"t": "Str", "c": text}]]},
                    {"t": "Span", "c": [["", ["comment-end"], [["id", cid]]], []]}]
        if r.op == "highlight":
            return [{"t": "Str", "c": text}]
        change = []
        if r.op in ("deletion", "substitution"):
            change.append(self.change("deletion", text))
        if r.op in ("addition", "substitution"):
            change.append(self.change("insertion", r.replacement if r.op == "substitution" else text))
        return change

    def change(self, kind: str, text: str) -> dict:
        return {"t": "Span", "c": [["", [kind], [["author", EXPORT_AUTHOR], ["date", self.date]]],
                                   [{"t": "Str", "c": text}]]}

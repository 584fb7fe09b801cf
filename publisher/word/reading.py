"""pandoc's reading of a Word document (its JSON tree) → the Markdown of a fiche.

Comments and tracked changes become CriticMarkup at their place; with ``accept`` the changes
are applied instead. French as Word writes it is tidied on the way (soft hyphens, manual line
breaks, empty paragraphs, a bold line for a heading); its no-break spaces stay, the typography
makes them right. Every paragraph, comment and change is accounted for in the :class:`Report`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..diagnostics import info, warning
from ..importer.convert import comment as critic_comment
from ..importer.convert import escape, escape_start
from ..importer.read import Line, clean
from ..importer.report import Report
from ..source import critic
from .ooxml import KEPT_SPACE, LINKED, PARA_MARK, WEB_LINK
from .package import Package
from .threads import Threads, plan

# Styles, as LibreOffice and Word (in English or in French) name them.
LEAD_STYLES = {"chapeau", "lead", "abstract", "résumé"}
CAPTION_STYLES = {"caption", "image caption", "légende", "illustration"}
QUOTE_STYLES = {"quote", "block text", "intense quote", "citation", "citation intense", "quotations"}
EXPORT_AUTHOR = "publisher"        # the author of the comments ``publisher export`` writes: not repeated back
HEADING_WORDS = 14                 # a bold line longer than this is a bold paragraph, not a heading


@dataclass
class Reading:
    """What :meth:`_Reader.document` found, before the front matter is settled."""

    title: str = ""
    title_paragraph: int = 0
    lead: str = ""
    blocks: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)         # footnote definitions, in order


class _Reader:
    def __init__(self, package: Package, report: Report, fiche: str, accept: bool):
        self.package, self.report, self.fiche, self.accept = package, report, fiche, accept
        self.paragraph = 1                   # the Word paragraph being read
        self.parts: dict[int, int] = {}      # report lines said about each paragraph
        self.seen: set[int] = set()
        self.footnotes: dict[str, str] = {}  # a note's text → its label: a note Word repeats is one note
        self.definitions: list[str] = []      # each note, « [^label]: text », in order
        self.threads = Threads()
        self.pending: list[str] | None = None  # comments met inside a change: written after it
        self.eat_space = False
        self.join_next = False               # with accept: the paragraph mark before was deleted
        self.lead_styled = False             # a paragraph has the « Chapeau » style
        self.mark: tuple[str, str, int, int] | None = None   # a tracked paragraph mark, until the next paragraph
        self.out: list[str] = []
        self.images: list[tuple[str, str, str]] = []
        self.goes_on = False                 # the paragraph read goes on a list item (a blank bullet)
        self.indent = 0                      # the width of the last list item's marker
        self.image_path = lambda target: target
        self.soft_hyphens = self.line_breaks = self.equations = 0

    # ── report ──

    def say(self, action: str, text: str, *, dropped: bool = False, reason: str = "", number: int = 0) -> None:
        number = number or self.paragraph
        part = self.parts.get(number, 0)
        self.parts[number] = part + 1
        line = Line(self.package.shown, number, text)
        self.report.put(line, action, "" if dropped else self.fiche, dropped=dropped, reason=reason, part=part)

    def thread_text(self, cid: str) -> str:
        """A comment and its replies, where the commented words end."""
        out = []
        thread = self.threads.thread(cid, self.package.comments)
        if not thread:
            return ""
        resolved = thread[0].done
        for k, c in enumerate(thread):
            what = "commentaire" if k == 0 else "réponse"
            who = f" ({c.author})" if c.author else ""
            if resolved or c.done:
                self.say(f"{what}{who}", c.text, dropped=True,
                         reason="commentaire marqué résolu" if c.done or k == 0 else "réponse à un commentaire résolu")
                self.report.notes.append(info(self.package.at(self.paragraph), "resolved-comment",
                                              f"commentaire résolu non repris : « {excerpt(c.text)} »"))
                continue
            self.say(f"{what}{who}", c.text)
            text = re.sub(r"[ \t\r\n]+", " ", c.text.replace(KEPT_SPACE, " ")).strip(" ")
            if c.author and c.author != EXPORT_AUTHOR:
                text += f" — {c.author}"
            out.append(critic_comment(text))
        return "".join(out)

    # ── inlines ──

    def inlines(self, items: list) -> str:
        out: list[str] = []
        i = 0
        while i < len(items):
            item = items[i]
            nxt = items[i + 1] if i + 1 < len(items) else None
            if is_change(item, "deletion") and is_change(nxt, "insertion") and not self.accept:
                (old, waiting), (new, more) = self.change_text(item), self.change_text(nxt)
                self.say(f"remplacement{author_of(item)}", f"{old} → {new}")
                out.append(critic.substitution(old, new) + waiting + more)
                i += 2
                continue
            out.append(self.inline(item))
            i += 1
        return "".join(out)

    def inline(self, item: dict) -> str:
        kind, content = item.get("t"), item.get("c")
        if kind == "Str":
            return self.text(content)
        if kind in ("Space", "SoftBreak"):
            if self.eat_space:
                self.eat_space = False
                return ""
            return " "
        self.eat_space = False
        if kind == "LineBreak":
            self.line_breaks += 1
            return " "
        if kind in ("Emph", "Strong"):
            mark = "*" if kind == "Emph" else "**"
            return around(self.inlines(content), mark)
        if kind in ("Underline", "SmallCaps", "Superscript", "Subscript", "Strikeout"):
            return self.inlines(content)
        if kind == "Quoted":
            quote, inner = content
            return ("“" + self.inlines(inner) + "”") if quote["t"] == "DoubleQuote" else ("‘" + self.inlines(inner) + "’")
        if kind == "Cite":
            return self.inlines(content[1])
        if kind == "Code":
            return "`" + content[1] + "`"
        if kind == "Math":               # pandoc gives an equation as TeX: a question, not text to print
            self.equations += 1
            self.say("équation", content[1], dropped=True, reason="équation : à refaire dans la fiche")
            return critic_comment(f"équation à refaire : {content[1]}")
        if kind == "Link":
            _, text, (target, _) = content
            label = self.inlines(text)
            if not target or target.startswith("#"):
                return label
            if not WEB_LINK.match(target):       # a file on someone's disk: package.py has said so
                return label
            return f"[{label}]({target})"
        if kind == "Image":
            return self.image(item)
        if kind == "Note":
            return self.note(content)
        if kind == "Span":
            return self.span(item)
        if kind == "RawInline":
            self.say("code brut", content[1], dropped=True, reason="code propre au traitement de texte")
            return ""
        return ""

    def text(self, s: str) -> str:
        match = PARA_MARK.match(s)
        if match:
            self.paragraph = int(match.group(1))
            self.seen.add(self.paragraph)
            self.goes_on = bool(match.group(2))
            s = s[match.end():]
        if "\u00ad" in s:
            self.soft_hyphens += s.count("\u00ad")
            s = s.replace("\u00ad", "")
        while s.count(LINKED) >= 2:               # an image linked, not embedded: a frame to provide
            before, target, s = s.split(LINKED, 2)
            self.images.append((LINKED + target, "Image liée à fournir", ""))
            s = before + s
        return escape(s).replace(KEPT_SPACE, " ")

    def span(self, item: dict) -> str:
        (_, classes, attrs), content = item["c"]
        attrs = dict(attrs)
        if "comment-start" in classes:
            return ""
        if "comment-end" in classes:
            inner = self.inlines(content)
            thread = self.thread_text(attrs.get("id", ""))
            if self.pending is not None:
                self.pending.append(thread)
                return inner
            return thread + inner
        if "insertion" in classes or "deletion" in classes:
            kind = "insertion" if "insertion" in classes else "deletion"
            text, waiting = self.change_text(item)
            name = "insertion" if kind == "insertion" else "suppression"
            if self.accept:
                self.say(f"{name} acceptée{author_of(item)}", text)
                if kind == "deletion":
                    self.eat_space = True
                    return waiting
                return text + waiting
            self.say(f"{name}{author_of(item)}", text)
            return critic.change(kind, text) + waiting
        if "paragraph-insertion" in classes or "paragraph-deletion" in classes:
            return ""                    # seen by the block reader
        return self.inlines(content)

    def change_text(self, item: dict) -> tuple[str, str]:
        """The words of a change, and the comments inside it: CriticMarkup does not nest,
        so they are written after the change is closed."""
        outer, self.pending = self.pending, []
        text = self.inlines(item["c"][1]).strip()
        waiting, self.pending = "".join(self.pending), outer
        if outer is not None:
            outer.append(waiting)
            waiting = ""
        return text.replace("++}", "++ }").replace("--}", "-- }").replace("~~}", "~~ }"), waiting

    def note(self, blocks: list) -> str:
        here = self.paragraph
        parts = [self.block_text(b) for b in blocks]
        self.paragraph = here
        text = "\n\n    ".join(p for p in parts if p)
        label = self.footnotes.get(text) if text else None       # an empty note is no other note
        if label is None:
            label = str(len(self.definitions) + 1)
            if text:
                self.footnotes[text] = label
            self.definitions.append(f"[^{label}]: " + (text or critic_comment("note vide dans le document Word : "
                                                                              "à écrire ou à retirer")))
            self.say("note", text)
        return f"[^{label}]"

    def image(self, item: dict) -> str:
        (_, _, _), alt, (target, title) = item["c"]
        self.images.append((target, self.inlines(alt).strip(), title))
        return ""

    # ── blocks ──

    def document(self, tree: dict) -> Reading:
        blocks = tree["blocks"]
        title = tree["meta"].get("title")
        self.threads = plan(([title] if title else []) + blocks, self.package.comments)
        reading = Reading()
        if title:
            reading.title = self.plain(title["c"] if title["t"] == "MetaInlines" else [])
            reading.title_paragraph = self.paragraph
            self.say("titre", reading.title)
        out: list[str] = []
        self.out = out
        self.lead_styled = any(style in LEAD_STYLES for style, _ in flatten(blocks))
        for style, block in flatten(blocks):
            self.read_block(style, block, out, reading)
        self.settle_mark("")
        reading.blocks = out
        reading.notes = list(self.definitions)
        for number, paragraph in enumerate(self.package.paragraphs, start=1):
            if number in self.seen:
                continue
            if paragraph.empty:                   # an empty paragraph of the layout: nothing dropped
                self.say("vide", "", number=number)
            else:
                self.say("paragraphe", paragraph.text, dropped=True, number=number,
                         reason="non lu par le convertisseur (zone de texte, forme ou champ)")
        for kind, text in self.package.margins:
            self.say(kind, text, dropped=True, number=1,
                     reason="en-tête ou pied de page du document : le livre fait les siens")
        for cid, c in self.package.comments.items():
            if cid not in self.threads.starts:
                self.say(f"commentaire ({c.author})", c.text, dropped=True, number=1,
                         reason="commentaire hors du texte (en-tête, pied de page ou note)")
        return reading

    def plain(self, inlines: list) -> str:
        """Text without Markdown: the title, for the front matter."""
        out = []
        for item in inlines:
            kind = item.get("t")
            if kind == "Str":
                match = PARA_MARK.match(item["c"])
                if match:
                    self.paragraph = int(match.group(1))
                    self.seen.add(self.paragraph)
                out.append(PARA_MARK.sub("", item["c"]).replace(KEPT_SPACE, " ").replace("\u00ad", ""))
            elif kind in ("Space", "SoftBreak", "LineBreak"):
                out.append(" ")
            elif kind in ("Emph", "Strong", "Underline", "SmallCaps", "Superscript", "Subscript", "Strikeout"):
                out.append(self.plain(item["c"]))
            elif kind in ("Span", "Link"):
                out.append(self.plain(item["c"][1]))
        return re.sub(r"\s+", " ", "".join(out)).strip()

    def read_block(self, style: str, block: dict, out: list[str], reading: Reading) -> None:
        kind, content = block.get("t"), block.get("c")
        self.images = []
        if kind in ("Para", "Plain"):
            self.paragraph_block(style, content, out, reading)
        elif kind == "Header":
            level, _, inlines = content
            text = self.inlines(inlines).strip()
            if not text:
                self.say("vide", "")
            elif not reading.title and not out and not reading.lead:
                reading.title, reading.title_paragraph = self.plain(inlines), self.paragraph
                self.say("titre", reading.title)
            else:
                self.say("intertitre", text)
                out.append("#" * max(level, 2) + " " + text)
        elif kind in ("BulletList", "OrderedList"):
            start = content[0][0] if kind == "OrderedList" else 1
            items = content[1] if kind == "OrderedList" else content
            lines = []
            for k, item in enumerate(items):
                marker = f"{start + k}. " if kind == "OrderedList" else "- "
                self.goes_on = False
                text = self.item_text(item, marker, kind)
                if self.goes_on and out and self.indent:
                    # a list item's second paragraph, which pandoc wrote with a blank bullet
                    self.say("suite d'élément de liste", text)
                    out[-1] += "".join("\n\n" + " " * self.indent + part.strip() for part in text.split("\n\n"))
                    continue
                lines.append(marker + text)
                self.indent = len(marker)
            if lines:
                out.append("\n".join(lines))
            return
        elif kind == "BlockQuote":
            for _, inner in flatten(content):
                self.read_block("quote", inner, out, reading)
        elif kind == "Figure":
            _, (_, caption), inner = content
            for _, b in flatten(inner):
                self.read_block("", b, out, reading)
            text = " ".join(self.block_text(b) for b in caption).strip()
            if text and out and out[-1].startswith("::: figure"):
                self.say("légende", text)
                out[-1] = out[-1][: -len("\n:::")] + f"\n\n{text}\n:::"
        elif kind == "Table":
            self.say("tableau", "", reason="")
            self.report.notes.append(warning(self.package.at(self.paragraph), "docx-table",
                                             "un tableau : ses cases sont reprises une par paragraphe ; "
                                             "mettez-le en forme à la main dans la fiche"))
            for _, b in flatten(cells(content)):
                self.read_block("", b, out, reading)
        elif kind == "CodeBlock":
            self.say("paragraphe", content[1])
            out.append(escape_start(escape(content[1])))
        elif kind == "LineBlock":
            self.paragraph_block(style, [x for line in content for x in line + [{"t": "Space"}]], out, reading)
        elif kind == "DefinitionList":
            for term, definitions in content:
                self.paragraph_block(style, term, out, reading)
                for d in definitions:
                    for _, b in flatten(d):
                        self.read_block(style, b, out, reading)
        elif kind == "HorizontalRule":
            self.say("trait horizontal", "", dropped=True, reason="un trait de séparation n'a pas de place dans une fiche")
        elif kind == "RawBlock":
            self.say("code brut", content[1], dropped=True, reason="code propre au traitement de texte")
        self.indent = 0

    def paragraph_block(self, style: str, content: list, out: list[str], reading: Reading) -> None:
        text = self.inlines(content).strip(" ")
        mark = paragraph_mark(content)
        if self.images:
            for target, alt, title in self.images:
                self.say("image", f"{alt} ({target})")
                out.append(self.figure(target, alt, title))
            if text:
                self.say("paragraphe", text)
                out.append(escape_start(text))
            return
        if not text:
            self.say("vide", "")
            return
        if self.join_next and out:
            self.join_next = False
            self.say("paragraphe joint au précédent", text)
            out[-1] += " " + text
            return
        if style in CAPTION_STYLES and out and out[-1].startswith("::: figure"):
            self.say("légende", text)
            out[-1] = out[-1][: -len("\n:::")] + f"\n\n{text}\n:::"
        elif not reading.lead and (style in LEAD_STYLES or not self.lead_styled and not out
                                   and not critic.COMMENT.match(text) and not is_bold_line(content)):
            self.say("chapeau", text)       # the « Chapeau » paragraph, or else the first one
            reading.lead = text
        elif style == "quote" or style in QUOTE_STYLES:
            self.say("citation", text)
            out.append("> " + text)
        elif is_bold_line(content):
            heading = text.strip("*").strip()
            self.say("intertitre (ligne en gras)", heading)
            out.append("### " + heading)
        else:
            self.say("paragraphe", text)
            out.append(escape_start(text))
        self.settle_mark(text)
        if mark and not self.accept:
            self.mark = (*mark, len(out) - 1, self.paragraph)
        elif mark and mark[0] == "deletion" and out:
            self.join_next = True

    def settle_mark(self, following: str) -> None:
        """A tracked paragraph mark, told once the next paragraph is known: if that one is itself
        all inserted (or all deleted), its own CriticMarkup says it; otherwise a comment does."""
        if self.mark is None:
            return
        change, author, index, number = self.mark
        self.mark = None
        if index >= len(self.out) or any(critic.is_whole_change(t, change) for t in (following, self.out[index])):
            return
        what = "nouveau paragraphe à partir d'ici" if change == "insertion" else "paragraphe à joindre au suivant"
        who = f" — {author}" if author and author != EXPORT_AUTHOR else ""
        self.say(f"marque de paragraphe {'insérée' if change == 'insertion' else 'supprimée'}", what, number=number)
        self.out[index] += critic_comment(what + who)

    def figure(self, target: str, alt: str, title: str) -> str:
        path = self.image_path(target)
        title = title.replace('"', "'")
        title = f' "{title}"' if title else ""
        return f"::: figure\n![{alt}]({path}{title})\n:::"

    def item_text(self, item: list, marker: str, kind: str) -> str:
        """A list item's Markdown, after its marker: its paragraphs, and a list inside it indented."""
        out = ""
        for b in item:
            if b.get("t") in ("BulletList", "OrderedList"):
                nested = self.block_text(b)
                out += "\n" + "\n".join(" " * len(marker) + row if row else row for row in nested.split("\n"))
                continue
            text = self.block_text(b)
            if not text:
                continue
            if not out:
                self.say("élément numéroté" if kind == "OrderedList" else "puce", text)
                out = text
            else:
                out += "\n\n" + " " * len(marker) + text
        return out

    def block_text(self, block: dict) -> str:
        """A block inside a note or a list item, as Markdown."""
        kind = block.get("t")
        if kind in ("Para", "Plain"):
            return self.inlines(block["c"]).strip()
        if kind in ("Div", "BlockQuote"):         # a note's text inside a quotation or a styled block
            inner = block["c"][1] if kind == "Div" else block["c"]
            return "\n\n".join(t for t in (self.block_text(b) for b in inner) if t)
        if kind == "LineBlock":
            return " ".join(self.inlines(line).strip() for line in block["c"])
        if kind == "Header":
            return self.inlines(block["c"][2]).strip()
        if kind in ("BulletList", "OrderedList"):
            start = block["c"][0][0] if kind == "OrderedList" else 1
            items = block["c"][1] if kind == "OrderedList" else block["c"]
            return "\n".join((f"{start + k}. " if kind == "OrderedList" else "- ")
                             + self.item_text(item, f"{start + k}. " if kind == "OrderedList" else "- ", kind)
                             for k, item in enumerate(items))
        return ""


def flatten(blocks: list, style: str = ""):
    """The blocks inside the Divs pandoc wraps around each styled paragraph, with the style."""
    for block in blocks:
        if block.get("t") == "Div":
            (_, _, attrs), inner = block["c"]
            yield from flatten(inner, dict(attrs).get("custom-style", style).casefold())
        else:
            yield style, block


def cells(table: list) -> list:
    """A table's cells, row by row, as blocks."""
    found = []

    def walk(node):
        if isinstance(node, dict):
            if node.get("t") in ("Para", "Plain"):
                found.append(node)
                return
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)
    walk(table)
    return found


def paragraph_mark(content: list) -> tuple[str, str] | None:
    """A tracked change to the paragraph's own mark (its end): pandoc puts an empty span there."""
    for item in reversed(content):
        if item.get("t") == "Span":
            (_, classes, attrs), _ = item["c"]
            for change in ("insertion", "deletion"):
                if f"paragraph-{change}" in classes:
                    return change, dict(attrs).get("author", "")
        elif item.get("t") not in ("Space",):
            return None
    return None


def is_bold_line(content: list) -> bool:
    """A short line all in bold, with no final full stop: a heading made by hand."""
    items = [i for i in content if not (i.get("t") == "Str" and not PARA_MARK.sub("", i["c"]))
             and i.get("t") not in ("Space",)]
    if len(items) != 1 or items[0].get("t") != "Strong":
        return False
    words = [i for i in items[0]["c"] if i.get("t") == "Str"]
    last = words[-1]["c"] if words else ""
    return 0 < len(words) <= HEADING_WORDS and not last.endswith((".", ",", ";"))


def is_change(item, kind: str) -> bool:
    return isinstance(item, dict) and item.get("t") == "Span" and kind in item["c"][0][1]


def author_of(item: dict) -> str:
    author = dict(item["c"][0][2]).get("author", "")
    return f" ({author})" if author else ""


def around(text: str, mark: str) -> str:
    """``*text*``, the spaces outside the marks (« * x * » is no emphasis)."""
    core = text.strip(" ")
    if not core:
        return text
    lead, tail = text[: len(text) - len(text.lstrip(" "))], text[len(text.rstrip(" ")):]
    return f"{lead}{mark}{core}{mark}{tail}"


def excerpt(text: str, size: int = 60) -> str:
    text = clean(re.sub(r"\s+", " ", text))
    return text if len(text) <= size else text[: size - 1] + "…"

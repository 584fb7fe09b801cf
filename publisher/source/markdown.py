"""Markdown (CommonMark + footnotes + CriticMarkup + figures) → model blocks.

Raw HTML is off: a fiche can only say what Markdown can say.
"""

from __future__ import annotations

import re
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.tree import SyntaxTreeNode
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.footnote import footnote_plugin

from ..diagnostics import Diagnostic, error, warning
from ..model import (Block, Code, Critic, Emphasis, Figure, Footnote, FootnoteRef, Heading, IndexMark, Inline,
                     LineBreak, Link, ListBlock, ListItem, Paragraph, Quote, SourceLocation, Strong, Text)
from . import critic, images

UNDEFINED_CALL = re.compile(r"\[\^([^\]\s]+)\]")
# Raw HTML is not interpreted (markdown-it's html option is off): it would be printed as written.
RAW_HTML = re.compile(r"</?[a-zA-Z][\w-]*(?:\s[^<>]*)?/?>")
# A link markdown-it refused to make (file:, javascript:…): it stays as text, and we say why.
REFUSED_LINK = re.compile(r"!?\[[^\]]*\]\(\s*(?P<href>(?:file|javascript|vbscript|data):[^)\s]*)")
LINK_SCHEMES = re.compile(r"^(?:https?://|mailto:|fiche:|#)")
# A hand-placed index entry: {index: Terme} or {index: Terme > sous-entrée}
_INDEX_MARKER = re.compile(r"\{index:\s*([^{}>]+?)\s*(?:>\s*([^{}]+?)\s*)?\}")


def _critic(state: StateInline, silent: bool) -> bool:
    if state.src[state.pos] != "{":
        return False
    mark = critic.mark_at(state.src, state.pos)
    if mark is None:
        return False
    if not silent:
        token = state.push("critic", "", 0)
        token.meta = {"op": mark.op, "text": mark.text, "replacement": mark.replacement,
                      "offset": state.src.count("\n", 0, state.pos)}
    state.pos = mark.end
    return True


def _index_marker(state: StateInline, silent: bool) -> bool:
    if not state.src.startswith("{index:", state.pos):
        return False
    match = _INDEX_MARKER.match(state.src, state.pos)
    if not match:
        return False
    if not silent:
        token = state.push("index_marker", "", 0)
        token.meta = {"key": tuple(k for k in match.groups() if k)}
    state.pos = match.end()
    return True


@lru_cache(maxsize=1)
def parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "typographer": False})
    md.use(footnote_plugin).use(container_plugin, "figure")
    # The tail rule drops definitions nobody calls and moves the others away
    # from their lines: we keep every definition where it is written instead.
    md.core.ruler.disable("footnote_tail")
    md.inline.ruler.before("emphasis", "critic", _critic)
    md.inline.ruler.before("critic", "index_marker", _index_marker)
    return md


class _Converter:
    """Walks markdown-it's syntax tree; every block gets its file:line."""

    def __init__(self, path: str, first_line: int):
        self.path = path
        self.first_line = first_line
        self.diagnostics: list[Diagnostic] = []
        self.marks: dict[int, int] = {}          # a source line → the CriticMarkup marks read on it

    def at(self, node: SyntaxTreeNode, fallback: int = 0) -> SourceLocation:
        line = node.map[0] if node.map else fallback
        return SourceLocation(self.path, self.first_line + line)

    def blocks(self, nodes, fallback: int = 0) -> tuple[Block, ...]:
        out: list[Block] = []
        for node in nodes:
            block = self.block(node, fallback)
            if block is not None:
                out.append(block)
        return tuple(out)

    def block(self, node: SyntaxTreeNode, fallback: int) -> Block | None:
        loc = self.at(node, fallback)
        kind = node.type
        if kind == "paragraph":
            return Paragraph(self.inlines(node.children[0], loc), loc)
        if kind == "heading":
            return Heading(int(node.tag[1]), self.inlines(node.children[0], loc), loc)
        if kind in ("bullet_list", "ordered_list"):
            items = tuple(ListItem(self.blocks(item.children, loc.line - self.first_line), self.at(item))
                          for item in node.children)
            start = int(node.attrs.get("start", 1)) if kind == "ordered_list" else 1
            return ListBlock(kind == "ordered_list", items, loc, start)
        if kind == "blockquote":
            return Quote(self.blocks(node.children), loc)
        if kind == "container_figure":
            return self.figure(node, loc)
        if kind in ("footnote_reference", "hr"):
            return None
        if kind in ("code_block", "fence"):
            return Paragraph((Code(node.content),), loc)
        self.diagnostics.append(warning(loc, "unsupported-markdown",
                                        f"élément Markdown non pris en charge ({kind}) : il n'est pas imprimé"))
        return None

    def figure(self, node: SyntaxTreeNode, loc: SourceLocation) -> Figure:
        children = list(node.children)
        src = alt = title = ""
        if children and children[0].type == "paragraph":
            inline = children[0].children[0]
            if len(inline.children) == 1 and inline.children[0].type == "image":
                image = inline.children[0]
                src = str(image.attrs.get("src", ""))
                alt = image.content
                title = str(image.attrs.get("title") or "")
                children = children[1:]
        if not src:
            self.diagnostics.append(warning(loc, "figure-without-image",
                                            "ce bloc « ::: figure » ne commence pas par une image "
                                            "![texte](images/fichier.jpg)"))
        return Figure(src, alt, self.blocks(children), loc, title)

    def inlines(self, node: SyntaxTreeNode, loc: SourceLocation) -> tuple[Inline, ...]:
        """The runs of a paragraph (or heading) that starts at ``loc``."""
        return self.runs(node, loc, loc.line)[0]

    def runs(self, node: SyntaxTreeNode, loc: SourceLocation, line: int) -> tuple[tuple[Inline, ...], int]:
        """The runs of ``node``, which starts on ``line`` of a paragraph that starts at ``loc``; and the line
        its end is on. A paragraph may span lines, and so may its emphasis or its links: what they hold
        (a note's call, a word a check names) is on the line its own line breaks lead to."""
        out: list[Inline] = []
        for child in node.children:
            kind = child.type
            if kind in ("softbreak", "hardbreak"):
                line += 1
            here = SourceLocation(loc.path, line)
            if kind == "text":
                self.check_text(child.content, here)
                out.append(Text(child.content))
            elif kind == "softbreak":
                out.append(Text(" "))
            elif kind == "hardbreak":
                out.append(LineBreak())
            elif kind in ("em", "strong"):
                inside, line = self.runs(child, loc, line)
                out.append(Emphasis(inside) if kind == "em" else Strong(inside))
            elif kind == "link":
                href = str(child.attrs.get("href", ""))
                inside, line = self.runs(child, loc, line)
                if LINK_SCHEMES.match(href):
                    out.append(Link(href, inside))
                else:                       # a path on this computer, ../…: the words stay, not the link
                    out.extend(inside)
                    self.refused_link(href, here)
            elif kind == "code_inline":
                out.append(Code(child.content))
            elif kind == "image":
                out.append(Text(child.content))
                self.diagnostics.append(warning(here, "inline-image",
                                                "image au milieu d'un paragraphe : placez-la dans un bloc « ::: figure »"))
            elif kind == "footnote_ref":
                out.append(FootnoteRef(child.meta["label"], here))
            elif kind == "critic":          # its offset counts the lines from the paragraph's start
                meta = child.meta
                number = loc.line + meta["offset"]
                self.marks[number] = self.marks.get(number, -1) + 1
                out.append(Critic(meta["op"], meta["text"], SourceLocation(loc.path, number), meta["replacement"],
                                  order=self.marks[number]))
            elif kind == "index_marker":
                out.append(IndexMark(child.meta["key"], "", ""))
            elif kind == "footnote_anchor":
                continue
            else:
                out.append(Text(child.content))
        return tuple(out), line

    def refused_link(self, href: str, loc: SourceLocation) -> None:
        self.diagnostics.append(warning(loc, "forbidden-link",
                                        f"lien vers « {href} » refusé : seuls les liens web (https://…), les courriels "
                                        "(mailto:…) et les renvois vers une fiche (fiche:38) sont permis"))

    def check_text(self, text: str, loc: SourceLocation) -> None:
        for match in RAW_HTML.finditer(text):
            self.diagnostics.append(warning(loc, "raw-html",
                                            f"balise HTML « {match.group(0)[:60]} » : le HTML n'est pas interprété dans "
                                            "les fiches, elle serait imprimée telle quelle ; retirez-la ou écrivez "
                                            "en Markdown"))
        for match in REFUSED_LINK.finditer(text):
            if match.group(0).startswith("!"):
                self.diagnostics.append(error(loc, "forbidden-resource", images.outside_message(match.group("href"))))
            else:
                self.refused_link(match.group("href"), loc)
        for match in UNDEFINED_CALL.finditer(text):
            self.diagnostics.append(warning(
                loc, "footnote-without-source",
                f"l'appel de note [^{match.group(1)}] n'a pas de définition : ajoutez en fin de fiche "
                f"une ligne « [^{match.group(1)}]: source »"))


def parse_body(text: str, path: str, first_line: int) -> tuple[tuple[Block, ...], tuple[Footnote, ...],
                                                                dict, list[Diagnostic]]:
    """Parse a fiche body. ``first_line`` is the file line of the body's first line."""
    env: dict = {}
    tokens = parser().parse(text, env)
    tree = SyntaxTreeNode(tokens)
    conv = _Converter(path, first_line)
    blocks = conv.blocks(tree.children)
    footnotes = tuple(Footnote(node.meta["label"], conv.blocks(node.children), conv.at(node))
                      for node in tree.children if node.type == "footnote_reference")
    return blocks, footnotes, env, conv.diagnostics


def parse_inline(text: str, env: dict, loc: SourceLocation) -> tuple[tuple[Inline, ...], list[Diagnostic]]:
    """Parse a one-paragraph string (a lead) with the body's footnote definitions in ``env``."""
    tokens = parser().parse(text, env)
    tree = SyntaxTreeNode(tokens)
    conv = _Converter(loc.path, loc.line)
    out: list[Inline] = []
    for node in tree.children:
        if node.type == "paragraph":
            out.extend(conv.inlines(node.children[0], loc))
    return tuple(out), conv.diagnostics

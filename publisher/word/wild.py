"""What Word documents from the wild hold that pandoc would drop without a word, set right in the copy it
reads, each thing said with its paragraph.

- runs inside bidirectional (``w:dir``, ``w:bdo``), custom XML (``w:customXml``) or smart-tag elements:
  the runs are kept, their wrapper goes;
- a ruby annotation: its base and, in brackets, the text Word prints above it;
- a field (a date, a document property, a mail-merge field, a page reference…): what Word displays is
  kept, its code goes (a hyperlink's field to the web stays: pandoc makes it a link);
- a link to a file on someone's disk (a link or a hyperlink field): its words kept, not the link; an
  image linked, not embedded: an « Image à fournir » frame in its place (nothing outside is ever read);
- a comment whose range ends between two paragraphs: it ends with the paragraph before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from .ooxml import LINKED, MC, PACKAGE_RELS, A, R, W, WEB_LINK, paragraph_of

WRAPPERS = ("dir", "bdo", "customXml", "smartTag")
HYPERLINK_TARGET = re.compile(r'^\s*HYPERLINK\s+(?:"([^"]*)"|(\S+))', re.IGNORECASE)


@dataclass(frozen=True)
class Found:
    paragraph: int
    kind: str                           # field, ruby, link, image
    what: str                           # the field's code, the link's or the image's target
    text: str                           # what is displayed


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def tidy(document, rels: bytes | None) -> list[Found]:
    """Set ``document`` (the body pandoc will read, its paragraphs numbered) right; what was there."""
    found: list[Found] = []
    for tag in WRAPPERS:
        for wrapper in list(document.iter(w(tag))):
            unwrap(wrapper)
    found += rubies(document)
    found += fields(document)
    found += outside(document, rels)
    comment_ends(document)
    return found


def unwrap(element) -> None:
    """``element`` replaced by what it holds (its properties dropped)."""
    parent = element.getparent()
    if parent is None:
        return
    at = parent.index(element)
    for child in [c for c in element if not c.tag.endswith("Pr")]:
        parent.insert(at, child)
        at += 1
    parent.remove(element)


def runs_text(node) -> str:
    return "".join(t.text or "" for t in node.iter(w("t")))


def rubies(document) -> list[Found]:
    out = []
    for ruby in list(document.iter(w("ruby"))):
        base, above = ruby.find(w("rubyBase")), ruby.find(w("rt"))
        run = ruby.getparent()                  # a ruby stands in a run of its own
        said, over = runs_text(base) if base is not None else "", runs_text(above) if above is not None else ""
        out.append(Found(paragraph_of(ruby), "ruby", over, said))
        replacement = etree.Element(w("r"))
        etree.SubElement(replacement, w("t"), {"{http://www.w3.org/XML/1998/namespace}space": "preserve"}).text = \
            said + (f" ({over})" if over else "")
        if run is not None and run.tag == w("r") and run.getparent() is not None:
            run.getparent().replace(run, replacement)
    return out


def fields(document) -> list[Found]:
    """Simple and complex fields: their displayed result kept, their code and markers gone."""
    out = []
    for simple in list(document.iter(w("fldSimple"))):
        code = (simple.get(w("instr")) or "").strip()
        if web_link(code):
            continue
        out.append(field(paragraph_of(simple), code, runs_text(simple)))
        unwrap(simple)
    stack: list[dict] = []
    for run in list(document.iter(w("r"))):
        char, instr = run.find(w("fldChar")), run.find(w("instrText"))
        if char is not None:
            kind = char.get(w("fldCharType"))
            if kind == "begin":
                stack.append({"code": "", "runs": [run], "shown": [], "result": False, "at": paragraph_of(run)})
            elif stack and kind == "separate":
                stack[-1]["result"] = True
                stack[-1]["runs"].append(run)
            elif stack and kind == "end":
                this = stack.pop()
                this["runs"].append(run)
                code = this["code"].strip()
                if web_link(code):
                    continue
                out.append(field(this["at"], code, "".join(this["shown"])))
                for marker in this["runs"]:
                    if marker.getparent() is not None:
                        marker.getparent().remove(marker)
            continue
        if stack and instr is not None and not stack[-1]["result"]:
            stack[-1]["code"] += instr.text or ""
            stack[-1]["runs"].append(run)
        elif stack and stack[-1]["result"]:
            stack[-1]["shown"].append(runs_text(run))
    return out


def web_link(code: str) -> bool:
    """A hyperlink field to the web (or within the document): pandoc makes it a link; kept."""
    match = HYPERLINK_TARGET.match(code)
    return bool(match) and (" \\l" in code or bool(WEB_LINK.match(match.group(1) or match.group(2) or "")))


def field(paragraph: int, code: str, shown: str) -> Found:
    match = HYPERLINK_TARGET.match(code)
    if match:                        # a link to a file, made by a field
        return Found(paragraph, "link", match.group(1) or match.group(2) or "", shown)
    return Found(paragraph, "field", code, shown)


def outside(document, rels: bytes | None) -> list[Found]:
    """Links to files and linked images: never followed; the words stay, the image is a frame to provide."""
    targets = {}
    if rels:
        for rel in etree.fromstring(rels).iter(f"{{{PACKAGE_RELS}}}Relationship"):
            if rel.get("TargetMode") == "External":
                targets[rel.get("Id")] = (rel.get("Type", "").rsplit("/", 1)[-1], rel.get("Target", ""))
    out = []
    for link in list(document.iter(w("hyperlink"))):
        kind, target = targets.get(link.get(f"{{{R}}}id"), ("", ""))
        if kind == "hyperlink" and not WEB_LINK.match(target):
            out.append(Found(paragraph_of(link), "link", target, runs_text(link)))
            unwrap(link)                  # its runs stay; a link without its target, pandoc would drop
    for blip in list(document.iter(f"{{{A}}}blip")):
        kind, target = targets.get(blip.get(f"{{{R}}}link"), ("", ""))
        if blip.get(f"{{{R}}}embed") or kind != "image":
            continue
        drawing = next((a for a in blip.iterancestors(w("drawing"), w("pict"), f"{{{MC}}}AlternateContent")), None)
        run = next(blip.iterancestors(w("r")), None)
        if drawing is None or run is None:
            continue
        out.append(Found(paragraph_of(blip), "image", target, ""))
        frame = etree.Element(w("r"))
        etree.SubElement(frame, w("t")).text = f"{LINKED}{target}{LINKED}"
        run.getparent().replace(run, frame)
    return out


def comment_ends(document) -> None:
    """A comment's range that ends between two paragraphs (its end in the body, not in a paragraph) ends
    with the paragraph before: pandoc would lose the comment."""
    body = document.find(w("body"))
    if body is None:
        return
    for end in [c for c in body if c.tag in (w("commentRangeEnd"), w("commentReference"))]:
        before = end.getprevious()
        while before is not None and before.tag != w("p"):
            before = before.getprevious()
        if before is None:
            continue
        body.remove(end)
        if end.tag == w("commentRangeEnd"):
            before.append(end)
            reference = etree.SubElement(before, w("r"))
            etree.SubElement(reference, w("commentReference"), {w("id"): end.get(w("id"), "")})

"""The fixture notation: Markdown in, a visible serialisation of runs out.

Invisible characters are written so a reader can see them:
``~`` is U+00A0 NO-BREAK SPACE, ``‿`` is U+202F NARROW NO-BREAK SPACE, ``⁀`` is U+2060 WORD JOINER.
Out: ``^er^`` superior letters, ``[XIX]{.sc}`` small capitals, ``<https://…>``
a web or e-mail address (never hyphenated), ``*x*``
emphasis, ``**x**`` strong, ``[^1]`` a footnote call, `` `x` `` code.
"""

from __future__ import annotations

from publisher.model import Paragraph
from publisher.source.markdown import parse_body

VISIBLE = {"\u00a0": "~", "\u202f": "‿", "\u2060": "⁀"}


def unescape(line: str) -> str:
    for char, mark in VISIBLE.items():
        line = line.replace(mark, char)
    return line


def escape(text: str) -> str:
    for char, mark in VISIBLE.items():
        text = text.replace(char, mark)
    return text


def parse(line: str):
    blocks, _notes, _env, _diags = parse_body(unescape(line) + "\n\n[^1]: Une note.\n", "case.md", 1)
    assert isinstance(blocks[0], Paragraph), line
    return blocks[0].children


def serialise(runs) -> str:
    out = []
    for run in runs:
        kind = run.kind
        if kind == "text":
            out.append(escape(run.text))
        elif kind == "em":
            out.append(f"*{serialise(run.children)}*")
        elif kind == "strong":
            out.append(f"**{serialise(run.children)}**")
        elif kind == "sup":
            out.append(f"^{run.text}^")
        elif kind == "smallcaps":
            out.append(f"[{run.text}]{{.sc}}")
        elif kind == "footnote_ref":
            out.append(f"[^{run.label}]")
        elif kind == "code":
            out.append(f"`{run.text}`")
        elif kind == "address":
            out.append(f"<{run.text}>")
        elif kind == "link":
            out.append(f"[{serialise(run.children)}]({run.href})")
        else:
            out.append(f"<{kind}>")
    return "".join(out)

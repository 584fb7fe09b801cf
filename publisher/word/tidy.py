"""Finishing touches on the documents pandoc writes."""

from __future__ import annotations

import io
import zipfile

from lxml import etree

from ..paths import FONTS
from .ooxml import W

NOTE_PARTS = ("word/document.xml", "word/footnotes.xml", "word/endnotes.xml")


def number_changes(docx: bytes) -> bytes:
    """pandoc gives every tracked change of a paragraph the same w:id; Word wants each its own
    (or repairs the document, or loses changes). Renumber them after every other id."""
    source = zipfile.ZipFile(io.BytesIO(docx))
    trees = {name: etree.fromstring(source.read(name)) for name in NOTE_PARTS if name in source.namelist()}
    changes = [node for tree in trees.values() for node in tree.iter(f"{{{W}}}ins", f"{{{W}}}del")]
    moved = set(changes)
    others = [int(v) for tree in trees.values() for node in tree.iter()
              if node not in moved and (v := node.get(f"{{{W}}}id", "")).lstrip("-").isdigit()]
    first = max(others, default=0) + 1
    for k, node in enumerate(changes):
        node.set(f"{{{W}}}id", str(first + k))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename in trees:
                data = etree.tostring(trees[item.filename], xml_declaration=True, encoding="UTF-8", standalone=True)
            target.writestr(item, data)
    return out.getvalue()


def placeholder_png(src: str) -> bytes:
    """A grey frame saying « Image à fournir » and which, for a figure the book has no image for yet."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", (900, 600), (236, 236, 236))
    draw = ImageDraw.Draw(image)
    draw.rectangle((6, 6, 893, 593), outline=(150, 150, 150), width=6)
    for text, size, y in (("Image à fournir", 64, 230), (src, 30, 330)):
        font = ImageFont.truetype(str(FONTS / "SourceSans3-Regular.otf"), size)
        width = draw.textlength(text, font=font)
        draw.text(((900 - width) / 2, y), text, fill=(80, 80, 80), font=font)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()

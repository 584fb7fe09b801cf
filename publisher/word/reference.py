"""Makes ``layouts/reference.docx``, the styles of the Word documents ``publisher export`` writes:
pandoc's own reference document, in the book's fonts and in French, with a « Chapeau » style.

Run ``python -m publisher.word.reference`` after changing it; the result is committed.
"""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile

from lxml import etree

from ..paths import LAYOUTS
from .ooxml import W
from .pandoc import binary

BODY_FONT, HEADING_FONT = "Source Serif 4", "Source Sans 3"
HEADINGS = {"Title", "Subtitle", "Heading1", "Heading2", "Heading3", "Heading4", "Heading5", "Heading6",
            "AbstractTitle", "TOCHeading"}
CHAPEAU = f"""<w:style xmlns:w="{W}" w:type="paragraph" w:customStyle="1" w:styleId="Chapeau">
  <w:name w:val="Chapeau"/><w:basedOn w:val="BodyText"/><w:next w:val="BodyText"/><w:qFormat/>
  <w:pPr><w:spacing w:before="120" w:after="360"/></w:pPr>
  <w:rPr><w:i/><w:iCs/><w:sz w:val="26"/><w:szCs w:val="26"/></w:rPr>
</w:style>"""


def w(name: str) -> str:
    return f"{{{W}}}{name}"


def fonts(rpr, font: str) -> None:
    node = rpr.find(w("rFonts"))
    if node is None:
        node = etree.Element(w("rFonts"))
        rpr.insert(0, node)
    for key in list(node.attrib):
        del node.attrib[key]
    for key in ("ascii", "hAnsi", "cs", "eastAsia"):
        node.set(w(key), font)


def styles(xml: bytes) -> bytes:
    root = etree.fromstring(xml)
    default = root.find(f"{w('docDefaults')}/{w('rPrDefault')}/{w('rPr')}")
    fonts(default, BODY_FONT)
    default.find(w("lang")).set(w("val"), "fr-BE")
    for style in root.iter(w("style")):
        if style.get(w("styleId")) in HEADINGS:
            rpr = style.find(w("rPr"))
            if rpr is None:
                rpr = etree.SubElement(style, w("rPr"))
            fonts(rpr, HEADING_FONT)
    root.append(etree.fromstring(CHAPEAU))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def make() -> bytes:
    default = subprocess.run([binary(), "--print-default-data-file", "reference.docx"],
                             capture_output=True, check=True).stdout
    source = zipfile.ZipFile(io.BytesIO(default))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in sorted(source.infolist(), key=lambda i: i.filename):
            data = source.read(item)
            if item.filename == "word/styles.xml":
                data = styles(data)
            item.date_time = (2025, 1, 1, 0, 0, 0)     # the same bytes each time it is made
            target.writestr(item, data)
    return out.getvalue()


if __name__ == "__main__":
    path = LAYOUTS / "reference.docx"
    path.write_bytes(make())
    sys.stderr.write(f"{path} écrit\n")

"""How wide WeasyPrint will set a piece of text, known before it lays anything out: the shipped font files
(as ``layouts/fonts.css`` names them) shaped by HarfBuzz — the shaper Pango hands WeasyPrint's text to —
with the OpenType features the style asks for (kerning and ligatures by default, small capitals for an
acronym, superior letters for « 1er »), computed by WeasyPrint's own function from the same style.

Widths are in CSS pixels, as WeasyPrint's boxes have them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

import tinycss2
import uharfbuzz as hb

from ..paths import LAYOUTS

FEATURE_KEYS = ("font_kerning", "font_variant_ligatures", "font_variant_position", "font_variant_caps",
                "font_variant_numeric", "font_variant_alternates", "font_variant_east_asian",
                "font_feature_settings")


@dataclass(frozen=True)
class Style:
    family: str
    weight: int = 400
    italic: bool = False
    size: float = 40 / 3                 # CSS pixels (10 pt)
    features: tuple[tuple[str, int], ...] = ()

    @classmethod
    def of(cls, computed: Mapping[str, Any]) -> "Style":
        """The style of a box as WeasyPrint computed it (``box.style``)."""
        from weasyprint.text.fonts import font_features

        features = font_features(**{key: computed[key] for key in FEATURE_KEYS})
        return cls(computed["font_family"][0], int(computed["font_weight"]),
                   computed["font_style"] in ("italic", "oblique"), float(computed["font_size"]),
                   tuple(sorted(features.items())))


@dataclass
class Fonts:
    """The faces ``css`` declares, opened once; each width measured once; each word's items and each
    paragraph's items (its runs made into boxes, glue and penalties: words.items_of) made once for all the
    passes of a layout and the layouts after it (:data:`KEPT` of them, the oldest forgotten first)."""

    css: Path = LAYOUTS / "fonts.css"
    faces: dict[tuple[str, int, bool], Path] = field(default_factory=dict)
    opened: dict[Path, tuple[hb.Font, int]] = field(default_factory=dict)
    known: dict[tuple[str, Style], float] = field(default_factory=dict)
    paragraphs: dict[tuple, tuple[list, list]] = field(default_factory=dict)
    words: dict[tuple, tuple] = field(default_factory=dict)      # a word's items, where each starts in it

    def __post_init__(self) -> None:
        self.faces = self.faces or faces_of(self.css)

    def width(self, text: str, style: Style) -> float:
        key = (text, style)
        if key not in self.known:
            font, upem = self.font(style)
            buffer = hb.Buffer()
            buffer.add_str(text)
            buffer.guess_segment_properties()
            buffer.language = "fr"
            hb.shape(font, buffer, dict(style.features))
            self.known[key] = sum(p.x_advance for p in buffer.glyph_positions) * style.size / upem
        return self.known[key]

    def font(self, style: Style) -> tuple[hb.Font, int]:
        path = self.face(style)
        if path not in self.opened:
            face = hb.Face(hb.Blob.from_file_path(str(path)))
            self.opened[path] = (hb.Font(face), face.upem)
        return self.opened[path]

    def face(self, style: Style) -> Path:
        """The file of the family's face nearest the style: its slant, then its weight (CSS's matching)."""
        mine = [(weight, italic, path) for (family, weight, italic), path in self.faces.items()
                if family == style.family]
        if not mine:
            raise KeyError(f"no face of « {style.family} » in {self.css}")
        return min(mine, key=lambda f: (f[1] != style.italic, abs(f[0] - style.weight)))[2]


KEPT = 20_000                  # paragraphs a process remembers (their items here, their setting: paragraphs.py)


def kept(store: dict, key: Any, value: Any) -> None:
    """``store[key] = value``, the oldest entry forgotten first past :data:`KEPT` of them."""
    if len(store) >= KEPT:
        del store[next(iter(store))]
    store[key] = value


@lru_cache(maxsize=1)
def process_fonts() -> Fonts:
    """The measures of this process: a part laid out again, the next part, the desk's next proof find the
    widths and the paragraphs already measured (a memo: what it holds never changes a result)."""
    return Fonts()


def faces_of(css: Path) -> dict[tuple[str, int, bool], Path]:
    """Each ``@font-face`` of the stylesheet: (family, weight, italic) → its file."""
    out = {}
    for rule in tinycss2.parse_stylesheet(css.read_text(encoding="utf-8"), skip_comments=True,
                                          skip_whitespace=True):
        if rule.type != "at-rule" or rule.lower_at_keyword != "font-face":
            continue
        said = {d.lower_name: [t for t in d.value if t.type not in ("whitespace", "comment")]
                for d in tinycss2.parse_blocks_contents(rule.content, skip_comments=True, skip_whitespace=True)
                if d.type == "declaration"}
        family = said["font-family"][0].value
        url = next(t for t in said["src"] if t.type in ("url", "function"))
        source = url.value if url.type == "url" else url.arguments[0].value
        weight = int(said["font-weight"][0].value) if "font-weight" in said else 400
        italic = "font-style" in said and said["font-style"][0].value in ("italic", "oblique")
        out[(family, weight, italic)] = (css.parent / source).resolve()
    return out

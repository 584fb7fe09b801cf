"""The exact source line of a word, for diagnostics inside multi-line paragraphs.

The model knows the line where each paragraph starts; a finding inside it
(an undefined acronym, a broken cross-reference) is reported at the line that
really holds the word, searched from there.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..model import SourceLocation


class SourceLines:
    def __init__(self):
        self.files: dict[str, list[str]] = {}

    def find(self, where: SourceLocation, token: str) -> SourceLocation:
        if where.path not in self.files:
            try:
                self.files[where.path] = Path(where.path).read_text(encoding="utf-8-sig").splitlines()
            except OSError:
                self.files[where.path] = []
        word = re.compile(r"(?<![\w])" + re.escape(token) + r"(?![\w])")
        for number, line in enumerate(self.files[where.path][where.line - 1:], start=where.line):
            if word.search(line):
                return SourceLocation(where.path, number)
        return where

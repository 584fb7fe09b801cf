"""The vocabularies of a Word package (WordprocessingML and its companions), and the marks publisher puts
in the copy pandoc reads: shared by the modules that open a document and read it back."""

from __future__ import annotations

import re

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
W15 = "http://schemas.microsoft.com/office/word/2012/wordml"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"

# Marks put into the copy pandoc reads, outside any text a document can hold (Private Use Area):
# the number of each paragraph at its start, the spaces pandoc would fold, an image linked, not embedded.
PARA_OPEN, PARA_CLOSE, KEPT_SPACE, GOES_ON, LINKED = "\ue001", "\ue002", "\ue000", "\ue003", "\ue004"
PARA_MARK = re.compile(f"{PARA_OPEN}(\\d+)({GOES_ON}?){PARA_CLOSE}")
# Links that leave the document; anything else (file:, a path) would point at a file on someone's disk.
WEB_LINK = re.compile(r"^(?:https?://|mailto:|fiche:|#)", re.IGNORECASE)


def paragraph_of(node) -> int:
    """The number mark_paragraphs gave the paragraph holding ``node`` (1 if none)."""
    for p in node.iterancestors(f"{{{W}}}p"):
        for t in p.iter(f"{{{W}}}t"):
            match = PARA_MARK.match(t.text or "")
            if match:
                return int(match.group(1))
    return 1

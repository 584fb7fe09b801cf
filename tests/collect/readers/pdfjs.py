"""Annotations as pdf.js writes them (Firefox's reader): its own viewer and annotation editors, in Debian's
chromium driven by Playwright, the reviewer's mouse doing what a reviewer's does.

A highlight is a drag over the words in the page's text layer with the highlight editor on (pdf.js makes its
quadrilaterals from the glyphs' own boxes); a comment is a text box (the free-text editor) clicked above the
words and typed in; the copy is what ``saveDocument()`` gives. pdf.js writes no author and no name.
pdf.js is ``pdfjs-dist`` from npm (tests/node/, installed by make test); nothing is downloaded at run time:
the test serves pdf.js and the proof to the page itself.

    python tests/collect/readers/pdfjs.py epreuve.pdf annotee.pdf "mots à surligner" …
"""

from __future__ import annotations

import base64
import sys
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent / "pdfjs"
PDFJS = Path(__file__).resolve().parents[3] / ".venv" / "node" / "node_modules" / "pdfjs-dist"
CHROMIUM = Path("/usr/bin/chromium")
BASE = "http://pdfjs.test"
TYPES = {".mjs": "text/javascript", ".js": "text/javascript", ".css": "text/css", ".html": "text/html",
         ".svg": "image/svg+xml", ".pdf": "application/pdf"}
WAIT_MS = 60_000
KINDS = ("highlight", "note")      # what pdf.js's editors make (a note: a text box)
COMMENTS = False                   # a highlight of pdf.js says nothing


@dataclass(frozen=True)
class Mark:
    kind: str                      # highlight, or note (a text box)
    words: str
    text: str = ""
    nth: int = 0
    inside: float = 0.25           # how far into the first letter the drag starts


def letters(text: str) -> str:
    return "".join(c for c in text.casefold() if c.isalnum())


def annotate(source: Path, target: Path, author: str, marks: list[Mark]) -> Path:
    """``author`` is not written: pdf.js has no author for its annotations."""
    if not (PDFJS / "build" / "pdf.mjs").is_file():
        raise FileNotFoundError(f"pdf.js is missing ({PDFJS}): make test installs it (npm ci, tests/node)")
    from playwright.sync_api import sync_playwright

    proof = Path(source).read_bytes()

    def serve(route) -> None:
        path = route.request.url[len(BASE):].split("?")[0]
        if path == "/proof.pdf":
            body = proof
        else:
            base, name = (PDFJS, path[len("/pdfjs/"):]) if path.startswith("/pdfjs/") else (HERE, path.lstrip("/"))
            file = (base / name).resolve()
            body = file.read_bytes() if file.is_file() and file.is_relative_to(base) else None
        if body is None:
            route.fulfill(status=404, body="")
        else:
            route.fulfill(status=200, body=body, headers={"Content-Type": TYPES.get(Path(path).suffix, "text/plain")})

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": 1000, "height": 1200})
            page.set_default_timeout(WAIT_MS)
            page.route(f"{BASE}/**", serve)
            page.goto(f"{BASE}/viewer.html")
            page.wait_for_function("window.ready === true")
            for mark in marks:
                write(page, mark)
            data = base64.b64decode(page.evaluate("saved()"))
        finally:
            browser.close()
    Path(target).write_bytes(data)
    return Path(target)


def write(page, mark: Mark) -> None:
    number, here = page.evaluate("([w, n]) => pageOf(w, n)", [letters(mark.words), mark.nth])
    found = page.evaluate("([p, w, n]) => wordsAt(p, w, n)", [number, letters(mark.words), here]) if number >= 0 else None
    if not found:
        raise AssertionError(f"pdf.js does not print « {mark.words} » ({mark.nth + 1} time(s))")
    first, last = found
    if mark.kind == "highlight":
        page.evaluate("editorMode('HIGHLIGHT')")
        page.mouse.move(first[0] + (first[2] - first[0]) * mark.inside, (first[1] + first[3]) / 2)
        page.mouse.down()
        page.mouse.move(last[2] + 1, (last[1] + last[3]) / 2, steps=8)
        page.mouse.up()
    else:
        page.evaluate("editorMode('FREETEXT')")
        page.mouse.click(first[0], first[1] - 2)
        # the text box takes the keys once it has the focus (a busy machine gives it later than the click)
        page.wait_for_function("() => document.activeElement && document.activeElement.isContentEditable")
        page.keyboard.type(mark.text)
        page.keyboard.press("Escape")
    page.wait_for_function("editorsSettled()")


if __name__ == "__main__":
    source, target, *phrases = sys.argv[1:]
    annotate(Path(source), Path(target), "", [Mark("highlight", p) for p in phrases])

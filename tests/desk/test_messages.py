"""What the desk says is written for the desk: no temporary folder, no command-line option, French
severities, no markup to type; a refused import is headed as refused and says what to do in the desk."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import lxml.html
from starlette.testclient import TestClient

import publisher
from publisher.desk import make_app
from publisher.desk.messages import for_the_desk, said
from publisher.diagnostics import error, warning
from publisher.model import SourceLocation

from ..conftest import FIXTURES
from .running import TOKEN

ORIGIN = "http://127.0.0.1"
TERMINAL = re.compile(r"--[a-z]|&shy;|verify: true|relancez|publisher (?:check|proof|collect|build|import)\b")
NOT_SAID = ("cli.py", "codes.py", "messages.py")          # the terminal's own help, the README's table


def messages_of_the_package() -> list[tuple[str, str]]:
    """Every text of the package that could be a message: its string constants, f-strings' constant parts
    joined, but not its docstrings."""
    found = []
    root = Path(publisher.__file__).parent
    for path in sorted(root.rglob("*.py")):
        if path.name in NOT_SAID:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                      if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef))
                      and node.body and isinstance(node.body[0], ast.Expr)
                      and isinstance(node.body[0].value, ast.Constant)}
        for node in ast.walk(tree):
            if isinstance(node, ast.JoinedStr):
                text = "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
            elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
                text = node.value
            else:
                continue
            if TERMINAL.search(text) and not text.startswith(("--", "#")):     # not a program's argument, a file
                found.append((f"{path.relative_to(root)}:{node.lineno}", text))
    return found


def test_every_message_meant_for_a_terminal_is_said_otherwise_in_the_desk():
    found = messages_of_the_package()
    assert found                                                  # there are some: the test reads them
    left = [(where, TERMINAL.search(for_the_desk(text)).group(0)) for where, text in found
            if TERMINAL.search(for_the_desk(text))]
    assert left == []


def test_a_diagnostic_is_said_with_the_file_as_sent_and_in_french(tmp_path):
    sent = tmp_path / "0" / "Ma fiche.docx"
    d = warning(SourceLocation(str(sent), 3), "docx-external", "un lien vers un fichier")
    assert said(d, tmp_path / "book", {str(sent): "Ma fiche.docx"}) == \
        "Ma fiche.docx, paragraphe 3 : avertissement : un lien vers un fichier"
    inside = error(SourceLocation(str(tmp_path / "book" / "fiches" / "x.md"), 4), "yaml-syntax", "YAML illisible")
    assert said(inside, tmp_path / "book") == "fiches/x.md, ligne 4 : erreur : YAML illisible"


def test_a_refused_reimport_is_headed_as_refused_and_says_what_to_do_here(served):
    desk, _ = served
    document = (FIXTURES / "word" / "notes-et-image.docx").read_bytes()
    with TestClient(make_app(desk, TOKEN), base_url=ORIGIN, headers={"origin": ORIGIN},
                    cookies={"publisher-bureau": TOKEN}) as client:
        token = lxml.html.fromstring(client.get("/envoyer").text).xpath(
            "//form[@action='/envoyer/word']//input[@name='csrf']/@value")[0]

        def send(**more):
            return client.post("/envoyer/word", data={"csrf": token, **more},
                               files={"fichier": ("notes-et-image.docx", document)})
        assert send().status_code == 200
        fiche = desk.root / "fiches" / "2021-notes-image-et-listes.md"
        fiche.write_text(fiche.read_text(encoding="utf-8") + "\nUne phrase ajoutée depuis.\n", encoding="utf-8")
        again = send()
        assert again.status_code == 422
        page = lxml.html.fromstring(again.text)
        assert page.findtext(".//h1") == "Document Word refusé" and page.findtext(".//title").startswith("Document")
        lines = [li.text_content() for li in page.xpath("//ul[@class='lines']/li")]
        assert any("remplacer la fiche déjà là" in line and ": erreur :" in line for line in lines), lines
        assert not [line for line in lines if TERMINAL.search(line) or "/tmp" in line or "error:" in line]
        assert "Une phrase ajoutée depuis." in fiche.read_text(encoding="utf-8")
        replaced = send(remplacer="oui")
        assert replaced.status_code == 200 and "Document Word importé" in replaced.text
    assert "Une phrase ajoutée depuis." not in fiche.read_text(encoding="utf-8")

"""Every diagnostic code the code uses is in the registry (publisher/codes.py), with the severity it is
used with, and the README's table of codes is the registry's."""

from __future__ import annotations

import ast
import re

from publisher.checks.leftovers import EDITOR_QUESTION, NOTE_TO_SELF, PLACEHOLDER
from publisher.codes import CODES, OPEN_QUESTIONS, Severity, readme_rows
from publisher.collect import LABELS

from .conftest import ROOT

PACKAGE = ROOT / "publisher"
MAKERS = {"error": (Severity.ERROR,), "warning": (Severity.WARNING,), "info": (Severity.INFO,),
          "refuse": (Severity.ERROR,)}                       # word/package.py: an error that stops the import
# Where a code is passed on rather than written: the makers themselves, a record read back, the leftovers'
# kinds and the annotations' codes (both checked below).
PASSED_ON = {("diagnostics.py", "error"), ("diagnostics.py", "warning"), ("diagnostics.py", "info"),
             ("word/package.py", "refuse"), ("layout/uptodate.py", "previous"), ("collect/__init__.py", "diagnostic"),
             ("checks/check.py", "editorial_leftovers"), ("source/load.py", "tags")}


def names_of(func) -> list[str]:
    if isinstance(func, ast.Name):
        return [func.id]
    if isinstance(func, ast.Attribute):
        return [func.attr]
    if isinstance(func, ast.IfExp):                    # (warning if … else error)(…)
        return names_of(func.body) + names_of(func.orelse)
    return []


class Made(ast.NodeVisitor):
    """Every diagnostic made in a file: the code (a string, or the expression), its severities, its function."""

    def __init__(self, shown: str):
        self.shown, self.stack, self.found = shown, ["<module>"], []

    def visit_FunctionDef(self, node):
        self.stack.append(node.name)
        self.generic_visit(node)
        self.stack.pop()

    def visit_Call(self, node):
        makers = [n for n in names_of(node.func) if n in MAKERS or n == "Diagnostic"]
        if "refuse" in makers and self.shown != "word/package.py":
            makers = []                                      # build.refuse stops a build, it makes no code
        if isinstance(node.func, ast.Attribute) and getattr(node.func.value, "id", "") == "log":
            makers = []                                      # log.info, log.warning: a log line
        wanted = 3 if makers == ["Diagnostic"] else 2
        if makers and len(node.args) >= wanted:
            code = node.args[wanted - 1]
            self.found.append((self.shown, node.lineno, self.stack[-1],
                               code.value if isinstance(code, ast.Constant) else f"<{ast.unparse(code)}>",
                               tuple(s for m in makers for s in MAKERS.get(m, ()))))
        self.generic_visit(node)


def uses() -> list[tuple[str, int, str, object, tuple[Severity, ...]]]:
    """(file, line, enclosing function, code, severities) of every diagnostic the package makes."""
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        made = Made(path.relative_to(PACKAGE).as_posix())
        made.visit(ast.parse(path.read_text(encoding="utf-8")))
        out += made.found
    return out


def compared() -> list[tuple[str, int, str]]:
    """Codes a diagnostic's code is compared with (``d.code == "…"``, ``d.code in (…)``)."""
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Compare) and isinstance(node.left, ast.Attribute) and node.left.attr == "code":
                for other in node.comparators:
                    items = other.elts if isinstance(other, (ast.Tuple, ast.List, ast.Set)) else [other]
                    out += [(path.relative_to(PACKAGE).as_posix(), node.lineno, item.value) for item in items
                            if isinstance(item, ast.Constant) and isinstance(item.value, str)]
    return out


def constants() -> set[str]:
    return {node.value for path in PACKAGE.rglob("*.py") for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(node, ast.Constant) and isinstance(node.value, str)}


def test_every_code_written_is_registered_with_its_severity():
    found = uses()
    literal = [u for u in found if isinstance(u[3], str) and re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", u[3])]
    assert len(literal) > 150
    unknown = [f"{f}:{line}: {code}" for f, line, _, code, _ in literal if code not in CODES]
    assert not unknown, unknown
    wrong = [f"{f}:{line}: {code} as {[s.value for s in sev]}, registered {[s.value for s in CODES[code].severities]}"
             for f, line, _, code, sev in literal if sev and not set(sev) <= set(CODES[code].severities)]
    assert not wrong, wrong


def test_every_code_compared_with_is_registered():
    found = compared()
    assert len(found) >= 3
    assert not [f"{f}:{line}: {code}" for f, line, code in found if code not in CODES]


def test_a_code_is_never_computed_where_it_is_written():
    """A code made of pieces (f"unknown-{key}") could name no code at all: only literals, or a code passed on."""
    found = uses()
    computed = [f"{f}:{line} ({name}): {code}" for f, line, name, code, _ in found
                if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", str(code)) and (f, name) not in PASSED_ON]
    assert not computed, computed


def test_the_codes_passed_on_are_registered():
    for kind in (EDITOR_QUESTION, NOTE_TO_SELF, PLACEHOLDER):
        assert CODES[kind].stops_print
    for kind in LABELS:
        assert f"annotation-{'note' if kind == 'freetext' else kind}" in CODES
    assert "annotation-outside" in CODES


def test_what_stops_a_print_build_is_the_registrys_open_questions():
    assert set(OPEN_QUESTIONS) == {"editorial-note", "editor-question", "note-to-self", "footnote-without-source",
                                   "placeholder", "broken-xref"}
    assert all(CODES[c].severity is Severity.WARNING for c in OPEN_QUESTIONS)
    unused = sorted(set(CODES) - constants() - {c for c in CODES if c.startswith("annotation-")})
    assert not unused, f"registered but never used: {unused}"


def test_the_readme_lists_every_code_as_the_registry_does():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Les codes des remarques", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    expected = readme_rows()
    missing = [row for row in expected if row not in rows]
    assert not missing, "README.md, « Les codes des remarques », should have:\n" + "\n".join(missing)
    assert len(rows) == len(expected), sorted(set(rows) - set(expected))

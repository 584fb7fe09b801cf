"""Diagnostics: what the pipeline tells editors, one line per finding.

Format (a contract other tools rely on)::

    path:line: severity: message [code]

Messages are written for francophone editors: plain French, naming what to do. Every code, its
severity and whether it stops a build for the printer: :mod:`publisher.codes`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from typing import Iterable

from .codes import CODES, OPEN_QUESTIONS, Severity
from .model import SourceLocation, relative


@dataclass(frozen=True)
class Diagnostic:
    location: SourceLocation
    severity: Severity
    code: str
    message: str

    def format(self) -> str:
        return f"{self.location}: {self.severity.value}: {self.message} [{self.code}]"

    def as_json(self) -> dict:
        return {
            "path": self.location.path,
            "line": self.location.line,
            "severity": self.severity.value,
            "code": self.code,
            "message": self.message,
        }


def error(location: SourceLocation, code: str, message: str) -> Diagnostic:
    return Diagnostic(location, Severity.ERROR, code, message)


def warning(location: SourceLocation, code: str, message: str) -> Diagnostic:
    return Diagnostic(location, Severity.WARNING, code, message)


def info(location: SourceLocation, code: str, message: str) -> Diagnostic:
    return Diagnostic(location, Severity.INFO, code, message)


class PublisherError(Exception):
    """An error the user can fix; carries the diagnostics that explain it."""

    def __init__(self, diagnostics: Diagnostic | Iterable[Diagnostic]):
        if isinstance(diagnostics, Diagnostic):
            diagnostics = [diagnostics]
        self.diagnostics = tuple(diagnostics)
        super().__init__("\n".join(d.format() for d in self.diagnostics))

    def __reduce__(self) -> tuple:         # whole across processes (the desk's bounded workers)
        return (type(self), (self.diagnostics,))


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    return any(d.severity is Severity.ERROR for d in diagnostics)


def blocking(diagnostics: Iterable[Diagnostic], strict: bool = False) -> list[Diagnostic]:
    """What stops a build: errors, and warnings too with ``--strict``."""
    return [d for d in diagnostics if d.severity is Severity.ERROR
            or (strict and d.severity is Severity.WARNING)]


def open_questions(diagnostics: Iterable[Diagnostic], location: SourceLocation) -> list[Diagnostic]:
    """The open questions, as errors, and one line that says why the print build stops."""
    found = [replace(d, severity=Severity.ERROR) for d in diagnostics if d.code in OPEN_QUESTIONS]
    if not found:
        return []
    return found + [error(location, "open-questions",
                          f"{len(found)} question(s) encore ouverte(s) dans les fiches : tranchez-les avant "
                          "l'impression (publisher proof les montre à leur place), ou ajoutez --allow-open-questions "
                          "pour un tirage de travail")]


def sort_key(d: Diagnostic) -> tuple:
    return (d.location.path, d.location.line, d.code)


def render(diagnostics: Iterable[Diagnostic], fmt: str = "text") -> str:
    ordered = sorted(diagnostics, key=sort_key)
    if fmt == "json":
        return json.dumps([d.as_json() for d in ordered], ensure_ascii=False, indent=2)
    return "\n".join(d.format() for d in ordered)


__all__ = ["CODES", "Diagnostic", "Severity", "PublisherError", "error", "warning", "info",
           "has_errors", "blocking", "open_questions", "OPEN_QUESTIONS", "render", "relative"]

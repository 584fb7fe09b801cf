"""The one path every write of the desk takes: the locks of what it writes, what changed outside
the desk committed first under its own name, the write, then one commit under the name of who asked,
and a line of the journal. A history git refuses stops the write (nothing half-recorded)."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

from starlette.requests import Request

from ..diagnostics import PublisherError
from ..source import fichefile
from .history import ALONE, HistoryError
from .pages import Refused, desk_of


@contextmanager
def signed(request: Request, held):
    """``with signed(request, locks):`` … ``write`` … then :func:`record`. ``held``: the locks' context.
    :class:`HistoryError` when git cannot record: nothing is written then."""
    history = request.app.state.history
    with held, history.lock:
        history.commit_outside()
        yield


def record(request: Request, what: str, fiches: list[str], paths: list[Path] | None = None,
           subject: str = "") -> None:
    """The change made: one commit under the person's name (« 2016 – Réforme du Code : texte modifié »;
    ``subject`` when it is no fiche's: « Glossaire »), and the journal's line."""
    state, root = request.app.state, desk_of(request).root
    person = request.state.person
    state.journal.record(person, f"{subject} : {what}" if subject and not fiches else what, fiches)
    subject = subject or (label_of(root, fiches[0]) if len(fiches) == 1 else f"{len(fiches)} fiches")
    try:
        state.history.commit(person if person.email else ALONE, f"{subject} : {what}", paths)
    except HistoryError as refused:         # written: the next write of the desk records it « hors du bureau »
        raise Refused(503, "Enregistré, mais pas dans l'historique", f"{refused} ; prévenez la personne qui a "
                      "installé le bureau") from None


def label_of(root: Path, fiche_id: str) -> str:
    """« 2016 – Réforme du Code »: the fiche's year and title, or its name."""
    try:
        values = fichefile.read(Path(root) / "fiches" / f"{fiche_id}.md", fiche_id).values()
    except (OSError, ValueError, PublisherError):
        return fiche_id
    title, year = values.get("title"), values.get("year")
    return f"{year} – {title}" if year and title else str(title or fiche_id)

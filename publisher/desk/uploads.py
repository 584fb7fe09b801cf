"""Files sent to the desk: a Word document becomes a fiche, annotated proofs give the proofreaders'
comments (written into the fiches by whoever may write). Converted in a bounded process of their own
(:mod:`.work`); each file named as it was sent."""

from __future__ import annotations

import asyncio
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

from starlette.requests import Request
from starlette.responses import RedirectResponse

from ..collect.apply import applied_keys
from ..diagnostics import PublisherError
from ..model import relative
from . import annotated, work
from .messages import said
from .pages import Refused, desk_of, posted, render
from .history import HistoryError
from .signed import record, signed


def uploads_page(request: Request):
    return render(request, "envoyer.html.j2")


async def word(request: Request):
    fields = await posted(request)
    with received(request, fields) as sent:
        return await imported(request, sent, fields.get("remplacer") == "oui")


async def proofs(request: Request):
    fields = await posted(request)
    apply = fields.get("appliquer") == "oui"
    # one form for everyone: writing the comments into the fiches is the writers' part of it
    if apply and not request.app.state.allowed(request.state.person, "/envoyer/word", "POST"):
        raise Refused(403, "Accès refusé", "votre rôle ne permet pas d'écrire dans les fiches : envoyez les épreuves "
                      "sans cocher « les écrire aussi dans les fiches »")
    with received(request, fields) as sent:
        return await collected(request, sent, apply)


@contextmanager
def received(request: Request, fields):
    """The files sent, each in a folder of its own under its name as sent, removed afterwards; a file
    that could not be read is said with its name."""
    with tempfile.TemporaryDirectory(prefix="publisher-bureau-") as tmp:
        sent: dict[str, str] = {}                  # where each file was put → its name as sent
        for k, item in enumerate(fields.getlist("fichier")):
            if not getattr(item, "filename", ""):
                continue
            name = Path(item.filename.replace("\\", "/")).name or "document"
            target = Path(tmp) / str(k) / name
            target.parent.mkdir()
            with target.open("wb") as out:
                shutil.copyfileobj(item.file, out)
            sent[str(target)] = name
        if not sent:
            raise Refused(400, "Rien à envoyer", "choisissez un fichier")
        try:
            yield sent
        except PublisherError as failed:
            raise Refused(422, "Envoi refusé", "le fichier n'a pas été lu ; rien n'a été écrit",
                          tuple(said(d, desk_of(request).root, sent) for d in failed.diagnostics)) from None


async def imported(request: Request, sent: dict[str, str], force: bool):
    from ..word import is_word_file

    desk = desk_of(request)
    saved = [Path(p) for p in sent]
    if not all(is_word_file(p) for p in saved):
        raise Refused(415, "Envoi refusé", "ce n'est pas un document Word (.docx)")
    report, _ = await written(request, lambda: work.bounded(work.import_word, saved, desk.root / "fiches", force,
                                                                  shown=", ".join(sent.values())),
                                    "importée d'un document Word")
    problems = [d for d in report.notes if d.severity.value == "error"]
    lines = [said(d, desk.root, sent) for d in report.notes]
    return render(request, "envoi.html.j2", 422 if problems else 200,
                  title="Document Word refusé" if problems else "Document Word importé", lines=lines,
                  problem="des documents n'ont pas été importés : voyez ci-dessous" if problems else "",
                  fiches=[] if problems else [Path(f).stem for f in report.fiches])


async def collected(request: Request, sent: dict[str, str], apply: bool):
    desk = desk_of(request)
    saved = [Path(p) for p in sent]
    if not all(p.read_bytes()[:5] == b"%PDF-" or p.suffix == ".okular" for p in saved):
        raise Refused(415, "Envoi refusé", "ce n'est pas une épreuve PDF annotée")
    (found, notes), _ = await written(request, lambda: work.bounded(work.read_proofs, saved, desk.root, apply,
                                                                    shown=", ".join(sent.values())),
                                      "annotations des relecteurs écrites")
    lines = [said(f.diagnostic(), desk.root, sent) for f in found.findings] + \
        [said(d, desk.root, sent) for d in list(found.notes) + list(notes)]
    kept = await asyncio.to_thread(kept_copies, request, sent, found.findings)
    return render(request, "envoi.html.j2", title="Annotations des relecteurs" + (" appliquées" if apply else ""),
                  lines=lines, problem="", findings=found.findings, applied=apply, fiches=[], kept=kept)


def kept_copies(request: Request, sent: dict[str, str], findings) -> list[annotated.Received]:
    """The copies whose annotations in the text are not all written: kept, listed with the questions."""
    root = desk_of(request).root
    done = applied_keys(root)
    kept = []
    for path, name in sent.items():
        mine = [f for f in findings if f.copy == relative(Path(path))]
        if any(f.place.src and f.key not in done for f in mine):
            copy = annotated.keep(root, Path(path), name, request.state.person, mine)
            request.app.state.journal.record(request.state.person, f"épreuve annotée reçue ({name}, "
                                             f"{len(mine)} annotation(s) de {copy.reviewers})",
                                             sorted({r["fiche"] for r in copy.rows if r["fiche"]}))
            kept.append(copy)
    return kept


async def write_received(request: Request):
    """A kept copy's annotations written into the fiches, in one click; it leaves the list once all are."""
    root = desk_of(request).root
    await posted(request)
    copy = received_copy(request)
    (found, notes), _ = await written(request, lambda: work.bounded(work.read_proofs, [copy.file], root, True,
                                                                    shown=copy.name),
                                      f"annotations de {copy.reviewers} écrites ({copy.name})")
    sent = {str(copy.file): copy.name, relative(copy.file): copy.name}
    lines = [said(d, root, sent) for d in list(found.notes) + list(notes)]
    left = copy.waiting(applied_keys(root))
    if not left:
        await asyncio.to_thread(annotated.drop, root, copy.id)
    return render(request, "envoi.html.j2", title=f"Annotations de {copy.reviewers} écrites dans les fiches",
                  lines=lines, problem="", findings=found.findings, applied=True, fiches=[],
                  kept=[copy] if left else [])


async def drop_received(request: Request):
    """A copy taken off the list by an editor (its annotations reported by hand, or not wanted)."""
    await posted(request)
    copy = received_copy(request)
    await asyncio.to_thread(annotated.drop, desk_of(request).root, copy.id)
    request.app.state.journal.record(request.state.person, f"épreuve annotée retirée de la liste ({copy.name})",
                                     sorted({r["fiche"] for r in copy.rows if r["fiche"]}))
    return RedirectResponse("/questions", status_code=303)


def received_copy(request: Request) -> annotated.Received:
    copy = annotated.get(desk_of(request).root, request.path_params["copy"])
    if copy is None:
        raise Refused(404, "Épreuve introuvable", "cette épreuve annotée n'est plus dans la liste (déjà écrite "
                      "ou retirée) : rouvrez la page des questions")
    return copy


async def written(request: Request, job, what: str):
    """``job`` (a bounded conversion that may write fiches) on the signed path, every fiche's lock held:
    its answer, and the fiches it changed."""
    root = desk_of(request).root
    path = signed(request, request.app.state.locks.book(root))
    try:
        await asyncio.to_thread(path.__enter__)
    except HistoryError as refused:
        raise Refused(503, "Rien n'est enregistré", str(refused)) from None
    try:
        before = fiche_files(root)
        answer = await job()
        changed = [name for name, data in fiche_files(root).items() if before.get(name) != data]
        if changed:          # the fiches, and the images an import brought
            await asyncio.to_thread(record, request, what, changed)
    finally:
        await asyncio.to_thread(path.__exit__, None, None, None)
    return answer, changed


def fiche_files(root: Path) -> dict[str, bytes]:
    return {p.stem: p.read_bytes() for p in sorted((root / "fiches").glob("*.md"))}

"""The book's fiches as a whole: a new fiche from a blank form, a fiche taken out (its history kept)
and put back (:mod:`.revisions`), and their order when book.yaml gives one. Each change is one
commit, through the signed path."""

from __future__ import annotations

import asyncio
from pathlib import Path

from starlette.requests import Request
from starlette.responses import RedirectResponse

from ..atomic import write_atomically
from ..diagnostics import PublisherError
from ..importer.convert import slug
from ..source import fichefile
from ..source.config import parse_config
from ..source.yamledit import Block, rewrite_mapping
from ..source.yamlfile import load_yaml_file
from .editing import Form, from_fields, label
from .pages import Refused, book, config, desk_of, posted, render
from .signed import label_of, record, signed

BOOK_FILE = "book.yaml"


# ── book.yaml's order ───────────────────────────────────────────────────────

def listed_order(root: Path) -> list[str] | None:
    """The fiches in book.yaml's ``order``; None when the book is chronological (or does not read)."""
    try:
        order = parse_config(load_yaml_file(Path(root) / BOOK_FILE)).order
    except PublisherError:
        return None
    return list(order) if isinstance(order, tuple) else None


def write_order(root: Path, order: list[str]) -> list[Path]:
    path = Path(root) / BOOK_FILE
    old = path.read_text(encoding="utf-8")
    new = rewrite_mapping(old, {"order": Block(order)})
    if new == old:
        return []
    write_atomically(path, new.encode("utf-8"))
    return [path]


def year_of(root: Path, fiche_id: str) -> int:
    try:
        year = fichefile.read(Path(root) / "fiches" / f"{fiche_id}.md").values().get("year")
    except (OSError, PublisherError):
        return 0
    return year if isinstance(year, int) else 0


def put_in_order(root: Path, fiche_id: str) -> list[Path]:
    """A fiche new in the book, in an explicit order: before the first fiche of a later year."""
    order = listed_order(root)
    if order is None or fiche_id in order:
        return []
    year = year_of(root, fiche_id)
    at = next((k for k, other in enumerate(order) if year and year_of(root, other) > year), len(order))
    return write_order(root, order[:at] + [fiche_id] + order[at:])


def take_out_of_order(root: Path, fiche_id: str) -> list[Path]:
    order = listed_order(root)
    return write_order(root, [f for f in order if f != fiche_id]) if order and fiche_id in order else []


# ── A new fiche ─────────────────────────────────────────────────────────────

def new_page(request: Request):
    return render(request, "nouvelle.html.j2", form=Form("", "", {}, ""), config=config(request), label=label)


async def create(request: Request):
    fields = await posted(request)
    root = desk_of(request).root
    form = from_fields("", fields, config(request))
    year = form.front.get("year")
    if not form.problem and not isinstance(year, int):
        form = Form("", "", form.front, form.body, "l'année est nécessaire : elle place la fiche dans le livre", "year")
    fiche_id = slug(year, form.front["title"]) if not form.problem else ""
    if fiche_id and (root / "fiches" / f"{fiche_id}.md").exists():
        form = Form("", "", form.front, form.body, f"une fiche de ce titre existe déjà ({fiche_id}) : ouvrez-la, "
                    "ou changez le titre", "title")
    if form.problem:
        return render(request, "nouvelle.html.j2", 409, form=form, config=config(request), label=label)

    def write():
        path = root / "fiches" / f"{fiche_id}.md"
        with signed(request, request.app.state.locks.fiche(fiche_id)):
            if path.exists():
                raise Refused(409, "Fiche déjà là", f"la fiche {fiche_id} vient d'être créée par quelqu'un d'autre")
            values = {k: form.front[k] for k in fichefile.KEYS if form.front.get(k) not in (None, "", [])}
            write_atomically(path, fichefile.new_fiche(values, form.body.rstrip() + "\n").encode("utf-8"))
            record(request, "fiche créée", [fiche_id], [path, *put_in_order(root, fiche_id)])
        return RedirectResponse(f"/fiches/{fiche_id}?enregistre=1", status_code=303)
    return await asyncio.to_thread(write)


# ── Taken out ───────────────────────────────────────────────────────────────

async def take_out(request: Request):
    fields = await posted(request)
    fiche_id = request.path_params["id"]
    root = desk_of(request).root
    path = root / "fiches" / f"{fiche_id}.md"
    if not fichefile.ID.match(fiche_id) or not path.is_file():
        raise Refused(404, "Fiche introuvable", f"il n'y a pas de fiche « {fiche_id} »")
    if fields.get("confirmer") != "oui":
        raise Refused(400, "Rien n'est retiré", "cochez « Je retire cette fiche du livre » pour confirmer")

    def write():
        with signed(request, request.app.state.locks.fiche(fiche_id)):
            subject = label_of(root, fiche_id)
            path.unlink()
            record(request, "retirée du livre (gardée dans l'historique)", [fiche_id],
                   [path, *take_out_of_order(root, fiche_id)], subject=subject)
        return RedirectResponse("/fiches", status_code=303)
    return await asyncio.to_thread(write)


# ── The order ───────────────────────────────────────────────────────────────

def order_page(request: Request):
    root = desk_of(request).root
    order = listed_order(root)
    if order is None:                           # by year: the order the book has them in
        loaded = book(request)
        order = [f.id for f in loaded.fiches] if loaded else []
        chronological = True
    else:
        chronological = False
    return render(request, "ordre.html.j2", order=[(f, label_of(root, f)) for f in order], chronological=chronological)


async def move(request: Request):
    """A fiche one place up or down (« haut », « bas »); or, from a chronological book, the order listed."""
    fields = await posted(request)
    root = desk_of(request).root

    def write():
        with signed(request, request.app.state.locks.fiche(BOOK_FILE)):
            order = listed_order(root)
            if fields.get("choisir") == "oui":
                loaded = book(request)
                if order is None and loaded is not None:
                    record_order(request, [f.id for f in loaded.fiches], "ordre choisi à la main (d'abord celui des années)")
                return RedirectResponse("/ordre", status_code=303)
            fiche_id, way = str(fields.get("fiche", "")), fields.get("sens")
            if order is None or fiche_id not in order or way not in ("haut", "bas"):
                raise Refused(409, "Ordre inchangé", "cette fiche n'est pas (ou plus) dans l'ordre de book.yaml : "
                              "rouvrez la page")
            k = order.index(fiche_id)
            other = k - 1 if way == "haut" else k + 1
            if 0 <= other < len(order):
                order[k], order[other] = order[other], order[k]
                record_order(request, order, f"« {label_of(root, fiche_id)} » "
                             f"{'avant' if way == 'haut' else 'après'} « {label_of(root, order[k])} »")
        return RedirectResponse(f"/ordre#rang-{fiche_id}", status_code=303)
    return await asyncio.to_thread(write)


def record_order(request: Request, order: list[str], what: str) -> None:
    changed = write_order(desk_of(request).root, order)
    if changed:
        record(request, what, [], changed, subject="Ordre des fiches")

"""What the desk gives to take away: the proof it shows, at once; and, made in the background one at
a time (:mod:`.jobs`), a proof « since the last one I downloaded » (each person's own), the volume,
the EPUB, each booklet — each in a folder of its own, its progress on its own page."""

from __future__ import annotations

import hashlib
import secrets
import shutil
from pathlib import Path

from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, PlainTextResponse, RedirectResponse

from . import maps, making
from .jobs import DONE, FAILED, Job
from .messages import said
from .pages import book, desk_of, posted, render

LAST_PROOF = "telechargee.json"      # the data of the last proof one person downloaded: « since the last proof »


def own_folder(request: Request) -> Path:
    """This person's corner of the desk's folder (what is personal: the last proof downloaded)."""
    email = owner(request)
    name = hashlib.sha256(email.encode()).hexdigest()[:16] if email else "vous"
    folder = desk_of(request).folder / "personnes" / name
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def owner(request: Request) -> str:
    return request.state.person.email


def downloads(request: Request):
    loaded = book(request)
    specs = []
    if loaded is not None:
        from ..render.booklet import all_booklets

        specs = list(all_booklets(loaded))
    jobs = desk_of(request).jobs
    mine = sorted((j for j in list(jobs.jobs.values()) if j.owner == owner(request)), key=lambda j: -j.number)
    return render(request, "telecharger.html.j2", booklets=specs, last=(own_folder(request) / LAST_PROOF).is_file(),
                  jobs=mine)


def proof_pdf(request: Request):
    """The proof the desk shows; its map is kept (a proofreader may annotate it), and its data, for
    « since the last proof »."""
    desk = desk_of(request)
    result = desk.shown.result
    if result is None or not desk.proof.is_file():
        return PlainTextResponse("L'épreuve n'est pas encore faite.", status_code=404)
    # a copy of its own: the next proof may replace the desk's while this one is being sent
    made = desk.folder / "faits" / secrets.token_hex(8)
    made.mkdir(parents=True)
    shutil.copyfile(desk.proof, made / "epreuve.pdf")
    shutil.copyfile(desk.proof.with_suffix(".json"), own_folder(request) / LAST_PROOF)
    maps.given(desk.root, result.proof_id)
    return FileResponse(made / "epreuve.pdf", media_type="application/pdf", filename="epreuve.pdf",
                        background=BackgroundTask(shutil.rmtree, made, ignore_errors=True))


async def start_since(request: Request):
    await posted(request)
    last = own_folder(request) / LAST_PROOF
    if not last.is_file():
        return PlainTextResponse("Vous n'avez pas encore téléchargé d'épreuve depuis le bureau.", status_code=404)
    kept = last.with_name("depuis.json")           # the one asked for, even if another is downloaded meanwhile
    shutil.copyfile(last, kept)
    return started(request, "L'épreuve depuis la dernière téléchargée", "epreuve-depuis-la-derniere.pdf",
                   making.proof_since, desk_of(request).root, desk_of(request).proof, kept)


async def start_volume(request: Request):
    await posted(request)
    return started(request, "Le volume", "volume.pdf", making.volume, desk_of(request).root, desk_of(request).proof)


async def start_epub(request: Request):
    await posted(request)
    return started(request, "L'EPUB", "volume.epub", making.epub, desk_of(request).root, desk_of(request).proof)


async def start_booklet(request: Request):
    from ..render.booklet import all_booklets

    await posted(request)
    slug = request.path_params["slug"]
    loaded = book(request)
    spec = next((s for s in (all_booklets(loaded) if loaded else []) if s.slug == slug), None)
    if loaded is None or spec is None:
        return PlainTextResponse("Livret introuvable.", status_code=404)
    name = spec.slug if spec in loaded.config.booklets else spec.themes[0]
    return started(request, f"Le livret « {spec.title} »", f"{slug}.pdf", making.booklet, desk_of(request).root,
                   desk_of(request).proof, name)


def started(request: Request, what: str, filename: str, make, *args) -> RedirectResponse:
    job = desk_of(request).jobs.submit(owner(request), what, filename, make, *args)
    return RedirectResponse(f"/travaux/{job.id}", status_code=303)


def job_of(request: Request) -> Job | None:
    return desk_of(request).jobs.get(request.path_params["job"], owner(request))


def job_page(request: Request):
    job = job_of(request)
    if job is None:
        return PlainTextResponse("Travail introuvable (il est peut-être ancien).", status_code=404)
    return render(request, "travail.html.j2", job=job, **job_state(request, job))


def job_json(request: Request):
    job = job_of(request)
    if job is None:
        return PlainTextResponse("Travail introuvable.", status_code=404)
    return JSONResponse(job_state(request, job))


def job_state(request: Request, job: Job) -> dict:
    """What the job's page shows, and its script updates."""
    jobs = desk_of(request).jobs
    if job.state == DONE:
        said_now = f"Fait : {job.done} pages." if job.total else "Fait."
    elif job.state == FAILED:
        said_now = "Refusé : " + " ; ".join(said(d, desk_of(request).root) for d in job.problem)
    elif job.total and job.done >= job.total:
        said_now = f"Mise en pages faite ({job.total} pages) : contrôle et écriture du fichier…"
    elif job.total:
        said_now = f"Mise en pages : {job.done} pages sur {job.total}…"
    else:
        ahead = jobs.ahead(job)
        said_now = f"En attente : {ahead} travail(s) avant celui-ci…" if ahead else "Préparation…"
    return {"state": job.state, "done": job.done, "total": job.total, "said": said_now,
            "file": f"/travaux/{job.id}/fichier" if job.state == DONE else ""}


def job_file(request: Request):
    job = job_of(request)
    if job is None or job.state != DONE or not Path(job.path).is_file():
        return PlainTextResponse("Fichier introuvable (pas encore fait, ou ancien).", status_code=404)
    kind = "application/epub+zip" if job.filename.endswith(".epub") else "application/pdf"
    return FileResponse(job.path, media_type=kind, filename=job.filename)

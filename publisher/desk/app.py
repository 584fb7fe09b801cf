"""The desk's pages: the book, the questions, the fiches and their editor, uploads, downloads.

Every request needs the run's token (in the URL first, then a cookie); only the book's own
files are read or written; the pages run the desk's own script only (Content-Security-Policy).
"""

from __future__ import annotations

import asyncio
import json
import secrets
import shutil
import tempfile
from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.requests import Request
from starlette.responses import (FileResponse, HTMLResponse, PlainTextResponse, RedirectResponse, Response,
                                 StreamingResponse)
from starlette.routing import Route

from ..diagnostics import PublisherError, relative
from ..paths import LAYOUTS
from ..render.html import environment
from ..source.load import load_book
from .editing import from_fields, label, open_form, save
from .state import Desk

COOKIE = "publisher-bureau"
MAX_UPLOAD = 50_000_000
LAST_PROOF = "telechargee.json"      # the data of the last proof downloaded: « since the last proof »
ASSETS = {"desk.js": "text/javascript", "desk.css": "text/css"}
POLICY = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
          "form-action 'self'; frame-ancestors 'none'; base-uri 'none'")


class Guard(BaseHTTPMiddleware):
    """The token of this run, or its cookie; and the pages' security headers."""

    def __init__(self, app, token: str):
        super().__init__(app)
        self.token = token

    async def dispatch(self, request: Request, call_next):
        given = request.query_params.get("token", "")
        if not (secrets.compare_digest(given, self.token)
                or secrets.compare_digest(request.cookies.get(COOKIE, ""), self.token)):
            return PlainTextResponse("Accès refusé : ouvrez le bureau par l'adresse que « publisher serve » a "
                                     "affichée (elle contient le jeton de cette session).", status_code=403)
        response = await call_next(request)
        if given:
            response.set_cookie(COOKIE, self.token, httponly=True, samesite="strict")
        response.headers["Content-Security-Policy"] = POLICY
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response


def make_app(desk: Desk, token: str) -> Starlette:
    env = environment(LAYOUTS)

    def page(template: str, request: Request, status: int = 200, **values) -> HTMLResponse:
        shown = desk.shown
        html = env.get_template(f"desk/{template}").render(shown=shown, here=request.url.path, **values)
        return HTMLResponse(html, status_code=status)

    def book():
        try:
            return load_book(desk.root)[0]
        except PublisherError:
            return None

    async def home(request: Request):
        return RedirectResponse("/livre", status_code=303)

    async def pages(request: Request):
        geometry = desk.shown.result.geometry.pages if desk.shown.result else ()
        ratio = geometry[0].height / geometry[0].width if geometry else 1.414
        return page("livre.html.j2", request, page_height=round(425 * ratio))

    async def page_image(request: Request):
        number = request.path_params["number"]
        path = desk.page_image(number)
        if not 1 <= number <= desk.shown.pages or not path.is_file():
            return PlainTextResponse("Page introuvable.", status_code=404)
        # its address carries what it shows (?v=): a browser may keep it, and asks again when it changes
        return FileResponse(path, media_type="image/png", headers={"Cache-Control": "private, max-age=86400"})

    async def questions(request: Request):
        result = desk.shown.result
        listed = []
        for q in (result.questions if result else ()):
            where = relative(Path(q.location.path), desk.root)
            fiche = Path(where).stem if where.startswith("fiches/") else ""
            listed.append({"q": q, "where": f"{where}:{q.location.line}", "fiche": fiche,
                           "page": q.page, "line": q.line, "sheet": q.page and q.page + desk.shown.front})
        return page("questions.html.j2", request, listed=listed)

    async def fiches(request: Request):
        loaded = book()
        counts: dict[str, int] = {}
        result = desk.shown.result
        for q in (result.questions if result else ()):
            counts[Path(q.location.path).stem] = counts.get(Path(q.location.path).stem, 0) + 1
        listed = list(loaded.fiches) if loaded else []
        known = {f.id for f in listed}
        others = sorted(p.stem for p in (desk.root / "fiches").glob("*.md") if p.stem not in known)
        return page("fiches.html.j2", request, fiches=listed, others=others, counts=counts, loaded=loaded is not None)

    async def fiche(request: Request):
        form = open_form(desk.root, request.path_params["id"])
        if form is None:
            return PlainTextResponse("Fiche introuvable.", status_code=404)
        return editor(request, form)

    def editor(request: Request, form, status: int = 200):
        saved = status == 200 and request.query_params.get("enregistre") == "1"
        loaded = book()
        config = loaded.config if loaded else None
        line = request.query_params.get("ligne", "")
        return page("fiche.html.j2", request, status, form=form, config=config, label=label, saved=saved,
                    line=int(line) if line.isdigit() else 0, body_line=form.body_line)

    async def save_fiche(request: Request):
        loaded = book()
        if loaded is None:
            return PlainTextResponse("Le livre ne se charge pas : voyez les questions.", status_code=409)
        fields = await request.form()
        form = save(desk.root, from_fields(request.path_params["id"], fields, loaded.config))
        if form.problem:
            return editor(request, form, status=409)
        return RedirectResponse(f"/fiches/{form.id}?enregistre=1", status_code=303)

    async def events(request: Request):
        async def stream():
            version = -1
            while not await request.is_disconnected():
                shown = await asyncio.to_thread(desk.wait, version, 15.0)
                if shown.version != version:
                    version = shown.version
                    yield f"data: {json.dumps(state_of(shown))}\n\n"
                else:
                    yield ": encore là\n\n"
        return StreamingResponse(stream(), media_type="text/event-stream", headers={"Cache-Control": "no-store"})

    async def state(request: Request):
        return Response(json.dumps(state_of(desk.shown)), media_type="application/json")

    async def upload(request: Request):
        length = int(request.headers.get("content-length") or 0)
        if length > MAX_UPLOAD:
            return page("envoi.html.j2", request, 413, title="Envoi refusé", lines=[],
                        problem=f"fichier trop gros (plus de {MAX_UPLOAD // 1_000_000} Mo)")
        fields = await request.form(max_files=20, max_fields=20)
        kind = request.path_params["kind"]
        with tempfile.TemporaryDirectory(prefix="publisher-bureau-") as tmp:
            saved = []
            for item in fields.getlist("fichier"):
                if not getattr(item, "filename", ""):
                    continue
                name = Path(item.filename).name or "document"
                target = Path(tmp) / name
                with target.open("wb") as out:
                    shutil.copyfileobj(item.file, out)
                saved.append(target)
            if not saved:
                return page("envoi.html.j2", request, 400, title="Rien à envoyer", lines=[],
                            problem="choisissez un fichier")
            try:
                if kind == "word":
                    return imported(request, saved)
                return collected(request, saved, fields.get("appliquer") == "oui")
            except PublisherError as refused:
                return page("envoi.html.j2", request, 422, title="Envoi refusé", lines=[],
                            problem="\n".join(d.format() for d in refused.diagnostics))

    def imported(request: Request, saved: list[Path]):
        from ..word import import_documents, is_word_file

        if not all(is_word_file(p) for p in saved):
            return page("envoi.html.j2", request, 415, title="Envoi refusé", lines=[],
                        problem="ce n'est pas un document Word (.docx)")
        report = import_documents(saved, desk.root / "fiches")
        problems = [d.format() for d in report.notes if d.severity.value == "error"]
        fiches = [Path(f).stem for f in report.fiches]
        return page("envoi.html.j2", request, 422 if problems else 200, title="Document Word importé",
                    lines=[d.format() for d in report.notes], problem="\n".join(problems), fiches=fiches)

    def collected(request: Request, saved: list[Path], apply: bool):
        from ..collect import collect

        if not all(p.read_bytes()[:5] == b"%PDF-" or p.suffix == ".okular" for p in saved):
            return page("envoi.html.j2", request, 415, title="Envoi refusé", lines=[],
                        problem="ce n'est pas une épreuve PDF annotée")
        found = collect(saved, desk.root)
        notes = list(found.notes)
        if apply:
            from ..collect.apply import apply as write

            notes += write(found, desk.root)
        return page("envoi.html.j2", request, title="Annotations des relecteurs" + (" appliquées" if apply else ""),
                    lines=[f.diagnostic().format() for f in found.findings] + [d.format() for d in notes],
                    problem="", findings=found.findings, applied=apply, fiches=[])

    async def uploads_page(request: Request):
        return page("envoyer.html.j2", request)

    async def downloads(request: Request):
        loaded = book()
        specs = []
        if loaded is not None:
            from ..render.booklet import all_booklets

            specs = [s for s in all_booklets(loaded)]
        return page("telecharger.html.j2", request, booklets=specs, last=(desk.folder / LAST_PROOF).is_file())

    async def proof_pdf(request: Request):
        """The proof the desk shows; the data of the one downloaded is kept, for « since the last proof »."""
        if not desk.proof.is_file():
            return PlainTextResponse("L'épreuve n'est pas encore faite.", status_code=404)
        kept = desk.folder / "telechargee.pdf"
        shutil.copyfile(desk.proof, kept)
        shutil.copyfile(desk.proof.with_suffix(".json"), desk.folder / LAST_PROOF)
        return FileResponse(kept, media_type="application/pdf", filename="epreuve.pdf")

    async def proof_since(request: Request):
        from ..proof import build_proof

        last = desk.folder / LAST_PROOF
        if not last.is_file():
            return PlainTextResponse("Aucune épreuve n'a encore été téléchargée depuis le bureau.", status_code=404)
        def make() -> Path:
            return build_proof(desk.root, desk.folder / "depuis" / "epreuve-depuis.pdf", (), str(last)).output
        return await made(request, make, "epreuve-depuis-la-derniere.pdf", "Épreuve non faite")

    async def booklet_pdf(request: Request):
        from ..build import build_booklets, plan_booklets

        slug = request.path_params["slug"]
        loaded = book()
        from ..render.booklet import all_booklets

        spec = next((s for s in (all_booklets(loaded) if loaded else []) if s.slug == slug), None)
        if spec is None:
            return PlainTextResponse("Livret introuvable.", status_code=404)
        into = desk.folder / "livrets"
        name = spec.slug if spec in loaded.config.booklets else spec.themes[0]

        def make() -> Path:
            plan = plan_booklets(desk.root, name, allow_open_questions=True)
            return [result.output for _, result in build_booklets(plan, into)][0]
        return await made(request, make, f"{slug}.pdf", "Livret non fait")

    async def volume_pdf(request: Request):
        from ..build import build_volume

        out = desk.folder / "volume.pdf"
        return await made(request, lambda: build_volume(desk.root, out, allow_open_questions=True).output,
                          "volume.pdf", "Volume non fait")

    async def made(request: Request, work, filename: str, failed: str):
        """A PDF made on demand (in a thread: the desk stays responsive), or why not."""
        try:
            path = await asyncio.to_thread(work)
        except PublisherError as refused:
            return page("envoi.html.j2", request, 422, title=failed, lines=[],
                        problem="\n".join(d.format() for d in refused.diagnostics))
        return FileResponse(path, media_type="application/pdf", filename=filename)

    async def asset(request: Request):
        name = request.path_params["name"]
        if name not in ASSETS:
            return PlainTextResponse("Introuvable.", status_code=404)
        return FileResponse(LAYOUTS / "desk" / name, media_type=ASSETS[name])

    async def not_found(request: Request, exc):
        return PlainTextResponse("Introuvable.", status_code=404)

    routes = [
        Route("/", home), Route("/livre", pages), Route("/livre/page/{number:int}.png", page_image),
        Route("/questions", questions), Route("/fiches", fiches),
        Route("/fiches/{id}", fiche, methods=["GET"]), Route("/fiches/{id}", save_fiche, methods=["POST"]),
        Route("/envoyer/{kind:str}", upload, methods=["POST"]), Route("/envoyer", uploads_page),
        Route("/telecharger", downloads), Route("/telecharger/epreuve.pdf", proof_pdf),
        Route("/telecharger/volume.pdf", volume_pdf), Route("/telecharger/epreuve-depuis.pdf", proof_since),
        Route("/telecharger/livret/{slug:str}.pdf", booklet_pdf),
        Route("/evenements", events), Route("/etat", state), Route("/static/{name:str}", asset),
    ]
    return Starlette(routes=routes, middleware=[Middleware(Guard, token=token)],
                     exception_handlers={404: not_found})


def state_of(shown) -> dict:
    return {"version": shown.version, "building": shown.building, "pages": shown.pages,
            "refused": [d.format() for d in shown.refused], "seconds": round(shown.seconds, 1),
            "saved_at": shown.saved_at}

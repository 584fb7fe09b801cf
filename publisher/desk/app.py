"""The desk's pages: the book, the questions, the fiches and their editor, uploads, downloads.

Who may reach them and how much they may send: :mod:`.guard`, in front of every route. Only the
book's own files are read or written; uploads are converted in a bounded process of their own
(:mod:`.work`); what the desk says, it says for the desk (:mod:`.messages`).
"""

from __future__ import annotations

import asyncio
import json
import shutil
import tempfile
from dataclasses import replace
from pathlib import Path

from starlette.applications import Starlette
from starlette.formparsers import MultiPartException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.responses import StreamingResponse
from starlette.routing import Route

from ..diagnostics import PublisherError, relative
from ..paths import LAYOUTS
from ..render.html import environment
from ..source.config import parse_config
from ..source.load import load_book
from ..source.yamlfile import load_yaml_file
from . import maps, work
from .editing import from_fields, label, open_form, save
from .guard import FORM_FIELD, Guard, TooLarge, form_token, form_token_ok
from .messages import for_the_desk, said
from .state import Desk

MAX_UPLOAD = 50_000_000         # a Word document with its photos, several annotated proofs
MAX_SAVE = 16_000_000           # a fiche's form, URL-encoded: 2 MB of French text is well under
LAST_PROOF = "telechargee.json"      # the data of the last proof downloaded: « since the last proof »
ASSETS = {"desk.js": "text/javascript", "desk.css": "text/css"}


def limit(path: str) -> int:
    return MAX_UPLOAD if path.startswith("/envoyer/") else MAX_SAVE


class Refused(Exception):
    """A request the desk answers with a page that says why (never a bare error)."""

    def __init__(self, status: int, title: str, problem: str, lines: tuple[str, ...] = ()):
        super().__init__(problem)
        self.status, self.title, self.problem, self.lines = status, title, problem, lines


def make_app(desk: Desk, token: str) -> Starlette:
    env = environment(LAYOUTS)

    def page(template: str, request: Request, status: int = 200, **values) -> HTMLResponse:
        html = env.get_template(f"desk/{template}").render(
            shown=desk.shown, here=request.url.path, jeton=lambda action: form_token(token, action),
            refused=[said(d, desk.root) for d in desk.shown.refused], max_save=MAX_SAVE, **values)
        return HTMLResponse(html, status_code=status)

    def book():
        try:
            return load_book(desk.root)[0]
        except PublisherError:
            return None

    def config():
        """The book's settings alone: a fiche that does not load does not stop the others' saves."""
        try:
            return parse_config(load_yaml_file(desk.root / "book.yaml"))
        except PublisherError:
            return None

    async def posted(request: Request):
        """The form sent, read within the route's limit, from a page of the desk (its form's token)."""
        try:
            fields = await request.form(max_files=20, max_fields=200, max_part_size=MAX_SAVE)
        except TooLarge as over:
            raise Refused(413, "Envoi refusé", f"trop gros : la limite est de {over.limit // 1_000_000} Mo ; "
                          "rien n'a été enregistré") from None
        except MultiPartException:
            raise Refused(400, "Envoi refusé", "le formulaire envoyé est illisible : rouvrez la page et "
                          "recommencez") from None
        if not form_token_ok(token, request.url.path, str(fields.get(FORM_FIELD, ""))):
            raise Refused(403, "Accès refusé", "ce formulaire ne vient pas d'une page du bureau ouverte maintenant : "
                          "rouvrez la page et recommencez")
        return fields

    async def refused(request: Request, exc: Refused):
        return page("envoi.html.j2", request, exc.status, title=exc.title, lines=list(exc.lines), problem=exc.problem)

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
            listed.append({"q": q, "text": for_the_desk(q.text), "where": f"{where}:{q.location.line}", "fiche": fiche,
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
        line = request.query_params.get("ligne", "")
        return page("fiche.html.j2", request, status, form=form, config=config(), label=label, saved=saved,
                    refusal=status != 200,
                    line=int(line) if line.isdigit() else 0, body_line=form.body_line)

    async def save_fiche(request: Request):
        fiche_id = request.path_params["id"]
        try:
            fields = await posted(request)
        except Refused as refusal:             # the text could not be read: the fiche as it is, and why
            form = open_form(desk.root, fiche_id)
            if form is None or refusal.status != 413:
                raise
            return editor(request, replace(form, problem=refusal.problem), 413)
        form = save(desk.root, from_fields(fiche_id, fields, config()))
        if form.problem:
            return editor(request, form, status=503 if form.disk else 409)
        return RedirectResponse(f"/fiches/{form.id}?enregistre=1", status_code=303)

    async def events(request: Request):
        async def stream():
            version = -1
            while desk.running and not await request.is_disconnected():
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
        fields = await posted(request)
        kind = request.path_params["kind"]
        with tempfile.TemporaryDirectory(prefix="publisher-bureau-") as tmp:
            sent: dict[str, str] = {}                  # where each file was put → its name as sent
            for k, item in enumerate(fields.getlist("fichier")):
                if not getattr(item, "filename", ""):
                    continue
                name = Path(item.filename).name or "document"
                target = Path(tmp) / str(k) / name
                target.parent.mkdir()
                with target.open("wb") as out:
                    shutil.copyfileobj(item.file, out)
                sent[str(target)] = name
            if not sent:
                raise Refused(400, "Rien à envoyer", "choisissez un fichier")
            try:
                if kind == "word":
                    return await imported(request, sent, fields.get("remplacer") == "oui")
                return await collected(request, sent, fields.get("appliquer") == "oui")
            except PublisherError as failed:
                raise Refused(422, "Envoi refusé", "le fichier n'a pas été lu ; rien n'a été écrit",
                              tuple(said(d, desk.root, sent) for d in failed.diagnostics)) from None

    async def imported(request: Request, sent: dict[str, str], force: bool):
        from ..word import is_word_file

        saved = [Path(p) for p in sent]
        if not all(is_word_file(p) for p in saved):
            raise Refused(415, "Envoi refusé", "ce n'est pas un document Word (.docx)")
        report = await work.bounded(work.import_word, saved, desk.root / "fiches", force, shown=", ".join(sent.values()))
        problems = [d for d in report.notes if d.severity.value == "error"]
        lines = [said(d, desk.root, sent) for d in report.notes]
        fiches = [Path(f).stem for f in report.fiches]
        return page("envoi.html.j2", request, 422 if problems else 200,
                    title="Document Word refusé" if problems else "Document Word importé", lines=lines,
                    problem="des documents n'ont pas été importés : voyez ci-dessous" if problems else "",
                    fiches=[] if problems else fiches)

    async def collected(request: Request, sent: dict[str, str], apply: bool):
        saved = [Path(p) for p in sent]
        if not all(p.read_bytes()[:5] == b"%PDF-" or p.suffix == ".okular" for p in saved):
            raise Refused(415, "Envoi refusé", "ce n'est pas une épreuve PDF annotée")
        found, notes = await work.bounded(work.read_proofs, saved, desk.root, apply, shown=", ".join(sent.values()))
        lines = [said(f.diagnostic(), desk.root, sent) for f in found.findings] + \
            [said(d, desk.root, sent) for d in list(found.notes) + list(notes)]
        return page("envoi.html.j2", request, title="Annotations des relecteurs" + (" appliquées" if apply else ""),
                    lines=lines, problem="", findings=found.findings, applied=apply, fiches=[])

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
        """The proof the desk shows; its map is kept (a proofreader may annotate it), and its data, for
        « since the last proof »."""
        result = desk.shown.result
        if result is None or not desk.proof.is_file():
            return PlainTextResponse("L'épreuve n'est pas encore faite.", status_code=404)
        kept = desk.folder / "telechargee.pdf"
        shutil.copyfile(desk.proof, kept)
        shutil.copyfile(desk.proof.with_suffix(".json"), desk.folder / LAST_PROOF)
        maps.given(desk.root, result.proof_id)
        return FileResponse(kept, media_type="application/pdf", filename="epreuve.pdf")

    async def proof_since(request: Request):
        from ..proof import build_proof

        last = desk.folder / LAST_PROOF
        if not last.is_file():
            return PlainTextResponse("Aucune épreuve n'a encore été téléchargée depuis le bureau.", status_code=404)

        def make() -> Path:
            made = build_proof(desk.root, desk.folder / "depuis" / "epreuve-depuis.pdf", (), str(last))
            maps.given(desk.root, made.proof_id)
            return made.output
        return await made(request, make, "epreuve-depuis-la-derniere.pdf", "Épreuve non faite")

    async def booklet_pdf(request: Request):
        from ..build import build_booklets, plan_booklets
        from ..render.booklet import all_booklets

        slug = request.path_params["slug"]
        loaded = book()
        spec = next((s for s in (all_booklets(loaded) if loaded else []) if s.slug == slug), None)
        if loaded is None or spec is None:
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

    async def made(request: Request, job, filename: str, failed: str):
        """A PDF made on demand (in a thread: the desk stays responsive), or why not."""
        try:
            path = await asyncio.to_thread(job)
        except PublisherError as refusal:
            raise Refused(422, failed, "le livre n'a pas pu être mis en pages",
                          tuple(said(d, desk.root) for d in refusal.diagnostics)) from None
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
    return Starlette(routes=routes, middleware=[Middleware(Guard, token=token, limit=limit)],
                     exception_handlers={404: not_found, Refused: refused})


def state_of(shown) -> dict:
    return {"version": shown.version, "drawn": shown.drawn, "building": shown.building, "status": shown.status,
            "pages": shown.pages, "refused": len(shown.refused), "seconds": round(shown.seconds, 1),
            "saved_at": shown.saved_at}

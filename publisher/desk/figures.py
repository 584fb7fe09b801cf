"""An image put into a fiche as a figure, from the browser: checked before anything is written — a
PNG or JPEG, not too large a file, and enough pixels for the size it is printed at (the preflight's
own rule and message: refused below its minimum, accepted with its warning below print quality)."""

from __future__ import annotations

import asyncio
import io
import re
import unicodedata
from pathlib import Path

from PIL import Image, UnidentifiedImageError
from starlette.requests import Request
from starlette.responses import RedirectResponse

from ..atomic import write_atomically
from ..layout.preflight import CSS_PX_PER_INCH, MINIMUM_DPI, PRINT_DPI, too_coarse
from ..source import fichefile
from .editing import fiche_path
from .pages import Refused, config, desk_of, posted, render
from .signed import record, signed

MAX_IMAGE = 25_000_000          # bytes: a photo from a good camera, not a scan at 1200 dpi
KINDS = {"PNG": ".png", "JPEG": ".jpg"}
MM_PER_INCH = 25.4


def printed_dpi(width: int, text_width_mm: float) -> float:
    """The page prints an image at its CSS size (96 pixels an inch), never wider than the text."""
    printed_in = min(width / CSS_PX_PER_INCH, text_width_mm / MM_PER_INCH)
    return width / printed_in


def file_name(fiche_id: str, sent: str, suffix: str, folder: Path) -> str:
    stem = unicodedata.normalize("NFKD", Path(sent).stem).encode("ascii", "ignore").decode().lower()
    stem = "-".join(re.findall(r"[a-z0-9]+", stem))[:40] or "image"
    name, n = f"{fiche_id}-{stem}{suffix}", 2
    while (folder / name).exists():                 # never over another image
        name, n = f"{fiche_id}-{stem}-{n}{suffix}", n + 1
    return name


def checked(data: bytes, sent: str, text_width_mm: float) -> tuple[str, str]:
    """The image's suffix, and the warning to give (""); :class:`Refused` with why when it will not do."""
    if len(data) > MAX_IMAGE:
        raise Refused(413, "Image refusée", f"« {sent} » pèse {len(data) // 1_000_000} Mo ; la limite est de "
                      f"{MAX_IMAGE // 1_000_000} Mo : enregistrez-la en JPEG de qualité 90")
    try:
        with Image.open(io.BytesIO(data)) as image:
            kind, (width, height) = image.format, image.size
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise Refused(415, "Image refusée", f"« {sent} » n'est pas une image lisible (PNG ou JPEG)") from None
    if kind not in KINDS:
        raise Refused(415, "Image refusée", f"« {sent} » est une image {kind} : enregistrez-la en JPEG (photo) ou "
                      "PNG (dessin, schéma) pour l'imprimeur")
    dpi = printed_dpi(width, text_width_mm)
    said = too_coarse(sent, dpi, width, height) if dpi < PRINT_DPI else ""
    if dpi < MINIMUM_DPI:
        raise Refused(422, "Image refusée", said)
    return KINDS[kind], said


async def add_image(request: Request):
    fields = await posted(request)
    root = desk_of(request).root
    fiche_id = request.path_params["id"]
    path = fiche_path(root, fiche_id)
    if path is None:
        raise Refused(404, "Fiche introuvable", f"il n'y a pas de fiche « {fiche_id} »")
    item = fields.get("fichier")
    if not getattr(item, "filename", ""):
        raise Refused(400, "Rien à envoyer", "choisissez une image")
    caption = " ".join(str(fields.get("legende", "")).split())
    alt = " ".join(str(fields.get("alt", "")).split()).replace("]", ")").replace("[", "(")
    if not alt:
        raise Refused(400, "Image refusée", "décrivez ce que montre l'image (pour qui ne la voit pas)")
    sent = Path(item.filename.replace("\\", "/")).name
    data = await item.read()
    setup = config(request).page if config(request) else None
    text_width = setup.width_mm - setup.inner_mm - setup.outer_mm if setup else 126.0
    suffix, warning = checked(data, sent, text_width)

    def write():
        folder = root / "images"
        with signed(request, request.app.state.locks.fiche(fiche_id)):
            folder.mkdir(exist_ok=True)
            name = file_name(fiche_id, sent, suffix, folder)
            write_atomically(folder / name, data)
            current = fichefile.read(path, fiche_id)
            body = current.body.rstrip("\n") + f"\n\n::: figure\n![{alt}](images/{name})\n"
            body += f"\n{caption}\n:::\n" if caption else ":::\n"
            write_atomically(path, (current.head + body).encode("utf-8"))
            record(request, f"image ajoutée ({name})", [fiche_id], [path, folder / name])
        if warning:                 # accepted: the printer's preflight will say it again
            return render(request, "envoi.html.j2", title="Image ajoutée, à remplacer avant l'impression",
                          lines=[warning], problem="", fiches=[fiche_id])
        return RedirectResponse(f"/fiches/{fiche_id}?enregistre=1", status_code=303)
    return await asyncio.to_thread(write)

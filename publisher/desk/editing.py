"""A fiche in the desk's editor: its front matter as a form, its text as Markdown, and a save
that never loses anything — refused, with the editor's text kept, if the file changed on disk
since it was opened, or if a field is wrong (the field named)."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..atomic import write_atomically
from ..model import BookConfig
from ..source.load import FRONT_MATTER, ID
from ..source.yamlfile import read_text

ORDER = ("number", "year", "title", "short_title", "themes", "axes", "lead", "source")


@dataclass(frozen=True)
class Form:
    """What the editor shows, and what it sends back."""

    id: str
    digest: str                     # of the file when it was opened
    front: dict                     # the front matter, as YAML read it
    body: str
    problem: str = ""               # why a save was refused
    field: str = ""                 # the field at fault
    body_line: int = 1              # the file's line of the text's first line (« ligne N » of a question)


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def fiche_path(root: Path, fiche_id: str) -> Path | None:
    """The fiche's file, only for a name a fiche may have and a file inside fiches/."""
    if not ID.match(fiche_id):
        return None
    path = (root / "fiches" / f"{fiche_id}.md")
    folder = (root / "fiches").resolve()
    try:
        resolved = path.resolve(strict=True)
    except OSError:
        return None
    return path if resolved.parent == folder and resolved.is_file() else None


def open_form(root: Path, fiche_id: str) -> Form | None:
    path = fiche_path(root, fiche_id)
    if path is None:
        return None
    data = path.read_bytes()
    text = read_text(path, fiche_id)
    match = FRONT_MATTER.match(text)
    front = yaml.safe_load(match.group(1) or "") if match else {}
    rest = text[match.end():] if match else text
    body = rest.lstrip("\n")
    first = (text.count("\n", 0, match.end()) if match else 0) + len(rest) - len(body) + 1
    return Form(fiche_id, digest(data), front if isinstance(front, dict) else {}, body, body_line=first)


def from_fields(fiche_id: str, fields, config: BookConfig) -> Form:
    """The form as the browser sent it (a multipart form: repeated keys for themes and axes)."""
    front: dict = {}
    problem = field_ = ""
    for key in ("year", "number"):
        raw = str(fields.get(key, "")).strip()
        if raw and not raw.isdigit():
            problem, field_ = f"« {label(key)} » doit être un nombre (ou rester vide)", key
        front[key] = int(raw) if raw.isdigit() else None
    for key in ("title", "short_title", "lead", "source"):
        front[key] = re.sub(r"[\r\n]+", " ", str(fields.get(key, ""))).strip(" ")
    front["themes"] = [t for t in fields.getlist("themes") if t in config.themes]
    front["axes"] = [a for a in fields.getlist("axes") if a in config.axes]
    if not front["title"]:
        problem, field_ = "le titre ne peut pas rester vide", "title"
    body = str(fields.get("body", "")).replace("\r\n", "\n")
    return Form(fiche_id, str(fields.get("digest", "")), front, body, problem, field_)


def label(key: str) -> str:
    return {"year": "Année", "number": "Numéro", "title": "Titre", "short_title": "Titre court",
            "lead": "Chapeau", "themes": "Thèmes", "axes": "Axes", "source": "Source"}.get(key, key)


def text_of(form: Form, kept: dict) -> str:
    """The file: the form's fields in the usual order, the other keys of the front matter as they were."""
    front = {key: form.front.get(key, kept.get(key)) for key in ORDER if key in form.front or key in kept}
    front.update({k: v for k, v in kept.items() if k not in ORDER})
    if not front.get("short_title"):
        front.pop("short_title", None)
    head = yaml.safe_dump(front, allow_unicode=True, sort_keys=False, width=100_000, default_flow_style=None)
    return f"---\n{head}---\n\n{form.body.rstrip()}\n"


def save(root: Path, form: Form) -> Form:
    """Write the fiche, or say why not (``problem``); nothing the editor typed is lost either way."""
    if form.problem:
        return form
    path = fiche_path(root, form.id)
    if path is None:
        return Form(form.id, form.digest, form.front, form.body, "cette fiche n'existe plus sur le disque")
    if digest(path.read_bytes()) != form.digest:
        return Form(form.id, form.digest, form.front, form.body,
                    "la fiche a été modifiée sur le disque depuis que vous l'avez ouverte (par quelqu'un d'autre, "
                    "ou dans un autre onglet) : votre version n'est pas enregistrée. Elle est ci-dessous : copiez "
                    "votre texte, rouvrez la fiche, et reportez vos changements")
    current = open_form(root, form.id)
    kept = current.front if current else {}
    for key in ("themes", "axes"):            # the order the fiche had, the new ones after
        was = list(kept.get(key) or [])
        form.front[key] = sorted(form.front[key], key=lambda t: was.index(t) if t in was else len(was))
    text = text_of(form, kept)
    data = text.encode("utf-8")
    write_atomically(path, data)
    return Form(form.id, digest(data), form.front, form.body)

"""A fiche in the desk's editor: its front matter as a form, its text as Markdown, and a save
that never loses anything: merged with what was saved meanwhile when the two touch different lines,
refused, with the editor's text kept and the other version beside it, when they touch the same
ones, or when a field is wrong (the field named)."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, replace
from pathlib import Path

from ..atomic import disk_refusal, write_atomically
from ..diagnostics import PublisherError, error
from ..model import BookConfig, SourceLocation
from ..source import fichefile
from ..source.yamlfile import load_mapping
from .merging import Merged, merge

ORDER = fichefile.KEYS


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
    raw: bool = False               # the whole file in one box: its front matter does not read as fields
    disk: bool = False              # the problem is the disk's (full, read-only), not the form's
    changed: bool = False           # the save wrote something new
    base: str = ""                  # the file when it was opened: what a save meanwhile is merged from
    conflict: Merged | None = None  # two saves that changed the same lines
    merged: bool = False            # the save was merged with another made meanwhile


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def fiche_path(root: Path, fiche_id: str) -> Path | None:
    """The fiche's file, only for a name a fiche may have and a file inside fiches/."""
    if not fichefile.ID.match(fiche_id):
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
    try:
        written = fichefile.read(path, fiche_id)
        if written.front is None:
            raise PublisherError(error(SourceLocation(f"{fiche_id}.md", 1), "missing-front-matter",
                                       "la fiche ne commence pas par son en-tête entre deux lignes « --- »"))
        load_mapping(written.front, f"{fiche_id}.md", first_line=2)
    except PublisherError as unreadable:       # the whole file, to set right here: the rest of the book goes on
        said = unreadable.diagnostics[0]
        whole = data.decode("utf-8", "replace").replace("\r\n", "\n")
        return Form(fiche_id, digest(data), {}, whole, f"l'en-tête ne se lit pas, ligne {said.location.line} : "
                    f"{said.message}", raw=True, body_line=1, base=whole)
    first = written.body_line + written.body.count("\n", 0, written.text_start)
    return Form(fiche_id, digest(data), written.values(), written.body[written.text_start:], body_line=first,
                base=written.text.replace("\r\n", "\n"))


def from_fields(fiche_id: str, fields, config: BookConfig | None) -> Form:
    """The form as the browser sent it (a multipart form: repeated keys for themes and axes); ``config``
    None: book.yaml does not read, the themes and axes are taken as they come."""
    body = str(fields.get("body", "")).replace("\r\n", "\n")
    base = str(fields.get("base", "")).replace("\r\n", "\n")
    if fields.get("raw") == "1":
        return Form(fiche_id, str(fields.get("digest", "")), {}, body, raw=True, body_line=1, base=base)
    front: dict = {}
    problem = field_ = ""
    for key in ("year", "number"):
        raw = str(fields.get(key, "")).strip()
        if raw and not raw.isdigit():
            problem, field_ = f"« {label(key)} » doit être un nombre (ou rester vide)", key
        front[key] = int(raw) if raw.isdigit() else raw or None      # what was typed stays in the form
    for key in ("title", "short_title", "lead", "source"):
        front[key] = re.sub(r"[\r\n]+", " ", str(fields.get(key, ""))).strip(" ")
    front["themes"] = [t for t in fields.getlist("themes") if config is None or t in config.themes]
    front["axes"] = [a for a in fields.getlist("axes") if config is None or a in config.axes]
    if not front["title"]:
        problem, field_ = "le titre ne peut pas rester vide", "title"
    return Form(fiche_id, str(fields.get("digest", "")), front, body, problem, field_, base=base)


def label(key: str) -> str:
    return {"year": "Année", "number": "Numéro", "title": "Titre", "short_title": "Titre court",
            "lead": "Chapeau", "themes": "Thèmes", "axes": "Axes", "source": "Source"}.get(key, key)


def text_of(form: Form, current: fichefile.FicheText) -> str:
    """The file: the form's fields set in the front matter as it was written (a field left empty that
    the fiche did not have is not added; an empty short title is removed), the text after it; what
    the editor did not change is the same bytes."""
    kept = current.values()
    changes: dict = {}
    for key in ORDER:
        if key not in form.front:
            continue
        value = form.front[key]
        if key not in kept and value in (None, "", []):
            continue
        changes[key] = fichefile.REMOVE if key == "short_title" and not value else value
    text = current.body[current.text_start:]
    body = None if form.body.rstrip() == text.rstrip() else form.body.rstrip() + "\n"
    return fichefile.rewrite(current, changes, body)


def save(root: Path, form: Form) -> Form:
    """Write the fiche, or say why not (``problem``); nothing the editor typed is lost either way."""
    if form.problem:
        return form
    try:
        return write(root, form)
    except OSError as refused:                # a full disk, a read-only book: said, the text kept
        return replace(form, problem="rien n'est enregistré : " + disk_refusal(refused), disk=True)


def write(root: Path, form: Form) -> Form:
    path = fiche_path(root, form.id)
    if path is None:
        return replace(form, problem="cette fiche n'existe plus sur le disque")
    old = path.read_bytes()
    try:
        if digest(old) == form.digest:
            data = composed(form, fichefile.read(path, form.id)).encode("utf-8")
        elif form.base:                       # saved meanwhile: both kept when they changed different lines
            theirs = old.decode("utf-8", "replace").replace("\r\n", "\n")
            merged = merge(form.base, composed(form, fichefile.split(form.base)), theirs)
            if merged.text is None:
                return replace(form, problem="quelqu'un a enregistré cette fiche depuis que vous l'avez ouverte, et "
                               "vous avez tous deux changé les mêmes lignes : votre version n'est pas enregistrée. "
                               "La sienne est à gauche, la vôtre à droite, les lignes en conflit marquées ; votre "
                               "texte est toujours dans le formulaire : reportez-y ses changements, puis enregistrez",
                               conflict=merged, digest=digest(old), base=theirs)
            data = merged.text.encode("utf-8")
        else:
            return replace(form, problem="la fiche a été modifiée sur le disque depuis que vous l'avez ouverte : "
                           "votre version n'est pas enregistrée. Elle est ci-dessous : copiez votre texte, rouvrez "
                           "la fiche, et reportez vos changements")
    except fichefile.UnreadableFront:
        return replace(form, problem="l'en-tête de la fiche (entre les lignes « --- ») n'est plus du YAML "
                       "lisible sur le disque : rouvrez la fiche pour le corriger ici")
    if data != old:
        write_atomically(path, data)
    text = data.decode("utf-8")
    return replace(form, digest=digest(data), changed=data != old, base=text, merged=digest(old) != form.digest)


def composed(form: Form, current: fichefile.FicheText) -> str:
    """The file the form makes of ``current``."""
    if form.raw:                              # the whole file, as the editor set it right
        return form.body.rstrip("\n") + "\n"
    kept = current.values()
    for key in ("themes", "axes"):            # the order the fiche had, the new ones after
        was = list(kept.get(key) or [])
        form.front[key] = sorted(form.front[key], key=lambda t: was.index(t) if t in was else len(was))
    return text_of(form, current)

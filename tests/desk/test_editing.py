"""The editor's form, without a browser: a fiche opened and saved unchanged is the same file."""

from __future__ import annotations

import shutil

from starlette.datastructures import FormData

from publisher.desk.editing import from_fields, open_form, save
from publisher.source.load import load_book

from ..conftest import VOLUME


def as_sent(form) -> FormData:
    """What the browser sends for the form as the editor shows it."""
    front = form.front
    items = [("digest", form.digest), ("year", str(front.get("year") or "")),
             ("number", "" if front.get("number") is None else str(front["number"])),
             ("title", front.get("title") or ""), ("short_title", front.get("short_title") or ""),
             ("lead", front.get("lead") or ""), ("source", front.get("source") or ""),
             ("body", form.body.replace("\n", "\r\n"))]
    items += [("themes", t) for t in front.get("themes") or []] + [("axes", a) for a in front.get("axes") or []]
    return FormData(items)


def test_every_real_fiche_saved_unchanged_is_the_same_file(tmp_path):
    root = tmp_path / "book"
    shutil.copytree(VOLUME, root)
    config = load_book(root)[0].config
    for path in sorted((root / "fiches").glob("*.md")):
        before = path.read_bytes()
        form = open_form(root, path.stem)
        saved = save(root, from_fields(path.stem, as_sent(form), config))
        assert not saved.problem, (path.name, saved.problem)
        assert path.read_bytes() == before, path.name


def test_names_outside_the_fiches_are_no_fiche(tmp_path):
    root = tmp_path / "book"
    shutil.copytree(VOLUME, root)
    (tmp_path / "secret.md").write_text("---\ntitle: x\n---\n", encoding="utf-8")
    (root / "fiches" / "lien.md").symlink_to(tmp_path / "secret.md")
    for name in ("../secret", "..%2Fsecret", "/etc/passwd", "lien", "Majuscules", ""):
        assert open_form(root, name) is None, name

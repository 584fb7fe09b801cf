"""Theme booklets: the fiches of one theme (or axis), as a book of their own.

A booklet is cut from the enriched volume, so its fiches read exactly as in
the volume (same typography, same first uses of acronyms, same notes); its
contents, Glossaire and Index are computed from its own fiches only. A
reference to a fiche left out of the booklet cannot point to a page of the
booklet: it is printed « p. N du volume », N being the page in the volume.

``book.yaml``::

    booklets:
      - title: Lutte contre le racisme
        themes: [Lutte contre le racisme, Lutte contre les discriminations]
        subtitle: Quarante ans de combat contre les préjugés     # optional
        slug: racisme                                             # optional: build/livrets/racisme.pdf
"""

from __future__ import annotations

from dataclasses import replace

from ..diagnostics import Diagnostic, PublisherError, error
from ..model import Book, BookletSpec, CrossRef, Fiche, Inline
from ..source.config import slugify
from ..tree import all_runs, map_fiche, map_leaves

KIND = "Livret thématique"


# ── Which booklets ──────────────────────────────────────────────────────────

def booklet_for(book: Book, name: str) -> BookletSpec:
    """``--theme NAME``: a booklet of book.yaml (by title or slug), else the fiches of that theme or axis."""
    for spec in book.config.booklets:
        if name in (spec.title, spec.slug):
            return spec
    config = book.config
    known = {t.casefold(): t for t in (*config.themes, *config.axes)}
    theme = known.get(name.strip().casefold())
    if theme is None:
        raise PublisherError(error(config.location, "unknown-theme",
                                   f"« {name} » n'est ni un thème, ni un axe, ni un livret de book.yaml ; "
                                   "thèmes possibles : " + ", ".join(config.themes)))
    return theme_booklet(book, theme)


def all_booklets(book: Book) -> list[BookletSpec]:
    """``--all``: the booklets of book.yaml, then one per theme that has a fiche and no booklet of its own."""
    specs = [spec for spec in book.config.booklets if fiches_of(book, spec)]
    covered = {spec.themes for spec in specs}
    for theme in book.config.themes:
        spec = theme_booklet(book, theme)
        if (theme,) not in covered and fiches_of(book, spec):
            specs.append(spec)
    return specs


def theme_booklet(book: Book, theme: str) -> BookletSpec:
    return BookletSpec(theme, (theme,), slugify(theme), book.config.location)


def fiches_of(book: Book, spec: BookletSpec) -> tuple[Fiche, ...]:
    wanted = set(spec.themes)
    return tuple(f for f in book.fiches if wanted & {*f.themes, *f.axes})


def empty_booklet(spec: BookletSpec) -> Diagnostic:
    return error(spec.location, "empty-booklet",
                 f"aucune fiche n'a le thème ou l'axe {' ou '.join(spec.themes)} : le livret « {spec.title} » "
                 "serait vide ; ajoutez ce thème à l'en-tête des fiches concernées")


# ── The booklet as a book ───────────────────────────────────────────────────

def cut_booklet(book: Book, spec: BookletSpec, volume_pages: dict[str, int]) -> Book:
    """The booklet's own book: its fiches, its title, references outside it sent to the volume.

    ``volume_pages`` maps each fiche's anchor to the page where it opens in the volume."""
    fiches = fiches_of(book, spec)
    if not fiches:
        raise PublisherError(empty_booklet(spec))
    config = book.config
    subtitle = spec.subtitle or f"Fiches extraites du volume « {config.title} »"
    book = replace(book, config=replace(config, title=f"{KIND} — {spec.title}", subtitle=subtitle,
                                        keywords=(*config.keywords, *spec.themes)))
    return keep_fiches(book, fiches, volume_pages)


def keep_fiches(book: Book, fiches: tuple[Fiche, ...], volume_pages: dict[str, int]) -> Book:
    """``book`` with only ``fiches``; a reference to any other gives its page in the volume."""
    inside = {f.anchor for f in fiches}

    def outside_to_volume(run: Inline) -> list[Inline]:
        if isinstance(run, CrossRef) and run.target and run.target not in inside:
            return [replace(run, volume_page=volume_pages[run.target])]
        return [run]

    return replace(book, fiches=tuple(map_fiche(f, lambda runs, _holder: map_leaves(runs, outside_to_volume))
                                      for f in fiches))


def refers_outside(fiches: tuple[Fiche, ...]) -> bool:
    """Whether these fiches need the volume's page numbers at all (laying out the volume costs seconds)."""
    inside = {f.anchor for f in fiches}
    return any(isinstance(r, CrossRef) and r.target and r.target not in inside for f in fiches for r in all_runs(f))


def concerning(diagnostics: list[Diagnostic], book: Book, fiches: tuple[Fiche, ...]) -> list[Diagnostic]:
    """The diagnostics of these fiches and of the book's other files; those of the fiches left out set aside."""
    printed = {f.location.path for f in fiches}
    everything = {f.location.path for f in book.fiches}
    return [d for d in diagnostics if d.location.path in printed or d.location.path not in everything]

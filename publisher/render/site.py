"""``publisher site``: the volume as a static web site, from the same enriched book as the PDF and the EPUB.

One folder, nothing to run on the server: a home page (the title, the CAI's words of ``site.presentation``,
the contents by year), one page per fiche at a clean address (``2016-reforme-du-code-de-la-nationalite/``),
the Glossaire, the Index, one page per theme and axis, a search page (Pagefind, its index made here, in
French), a sitemap. The same typography, acronyms and cross-references as the volume; each page of the
printed volume marked where it begins (``#page-37``), so that a reader can cite « p. 37 ». The links are
written relative, to work from any folder of any host; opened from the disk (``file://``), site.js sends
them to the folders' ``index.html``, and the search page, where Pagefind cannot run, searches the pages' text
itself (``static/textes.js``). Only the book's own images and our fonts are copied.
Two builds of the same sources are the same files, byte for byte: no date is written.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..diagnostics import Diagnostic, PublisherError, error, warning
from ..enrich.glossary import glossary_rows
from ..layout.pages import Page, anchor_pages
from ..model import Book, Fiche, SourceLocation
from ..paths import FONTS, LAYOUTS
from ..source import images
from ..tree import plain, walk_blocks
from .booklet import fiches_of, theme_booklet
from .epub import FONT_FILES, calls_of, first_uses, index_places, page_starts, printed_pages
from .html import book_environment, footnotes_of, heading_levels

MARK = ".publisher-site"          # in a folder this command made: the next build may replace it
PAGEFIND_TIMEOUT_S = 300


@dataclass(frozen=True)
class SiteResult:
    output: Path
    pages: int                        # HTML pages written
    searchable: int                   # pages in the search index
    diagnostics: tuple[Diagnostic, ...]


@dataclass(frozen=True)
class Grouping:
    """A theme or an axis, as the booklets group the fiches: its page lists them."""

    name: str
    kind: str                         # « Thème » or « Axe »
    slug: str
    fiches: tuple[Fiche, ...]


def address(fiche: Fiche) -> str:
    """A fiche's page, from the site's root: its identifier, the name of its file."""
    return f"{fiche.id}/"


def groupings(book: Book) -> list[Grouping]:
    """Each theme and axis that has fiches, as its booklet would hold them."""
    out = []
    for kind, names in (("Thème", book.config.themes), ("Axe", book.config.axes)):
        for spec in (theme_booklet(book, name) for name in names):
            if fiches := fiches_of(book, spec):
                out.append(Grouping(spec.title, kind, f"themes/{spec.slug}/", fiches))
    return out


def write_site(book: Book, output: Path, pages: tuple[Page, ...], diagnostics=(), title: str | None = None
               ) -> SiteResult:
    """An enriched and checked book → its site in the folder ``output`` (made anew: the folder of an
    earlier build replaced, any other folder refused); ``pages``: the printed volume's layout."""
    output = Path(output)
    refuse_foreign(output)
    env = book_environment(LAYOUTS)
    config = book.config
    pages_of = anchor_pages(pages)
    printed = printed_pages(book, pages)
    starts = page_starts(book, pages, printed)
    by_anchor = {f.anchor: address(f) for f in book.fiches}
    themes = groupings(book)
    pictures = images.Copied(book.root)
    notes: list[Diagnostic] = list(diagnostics)
    documents: dict[str, str] = {}                     # path in the site → its HTML

    def render(path: str, template: str, **values) -> None:
        root = "../" * path.count("/")

        def link_to(anchor: str) -> str:
            return f"{root}{by_anchor[anchor]}#{anchor}" if anchor in by_anchor else f"#{anchor}"

        documents[path] = env.get_template(f"site/{template}").render(
            config=config, root=root, canonical=config.site.url + path.removesuffix("index.html"),
            title_of_site=title or config.title, themes=themes, glossary=bool(rows), index=bool(index),
            image=lambda src: root + name if (name := pictures.name_of(src)) else None,
            alternative_text=images.alternative_text, link_to=link_to, proof=False, epub=True,
            page_number=lambda anchor: pages_of.get(anchor), src=lambda location: location.in_book(book.root),
            page_starts=lambda place: starts.get(place, []), address=address, plain=plain, site=True,
            **values)

    rows = glossary_rows(book, pages_of)
    index = index_places(book, lambda f: f"../{address(f)}")
    render("index.html", "home.html.j2", years=by_year(book.fiches))
    for k, fiche in enumerate(book.fiches):
        notes_of = footnotes_of(fiche)
        render(f"{address(fiche)}index.html", "fiche.html.j2", f=fiche, notes=notes_of,
               calls=calls_of(fiche, notes_of), heading_level=heading_levels([fiche], 2),
               printed=printed[fiche.anchor],
               before=book.fiches[k - 1] if k else None,
               after=book.fiches[k + 1] if k + 1 < len(book.fiches) else None,
               grouped=[t for t in themes if fiche in t.fiches])
    if rows:
        render("glossaire/index.html", "glossaire.html.j2", rows=rows,
               first_use=first_uses(book, lambda f: f"../{address(f)}"))
    if index:
        render("index/index.html", "index.html.j2", index_letters=index)
    for theme in themes:
        render(f"{theme.slug}index.html", "theme.html.j2", theme=theme)
    render("recherche/index.html", "recherche.html.j2")
    if not config.site.url:
        notes.append(warning(config.location, "site-url",
                             "le site n'a pas d'adresse : le plan du site (sitemap.xml) et les liens partagés "
                             "en ont besoin ; indiquez-la dans book.yaml, « site: url: https://… »"))
    files = {path: text.encode("utf-8") for path, text in documents.items()}
    files["sitemap.xml"] = env.get_template("site/sitemap.xml.j2").render(
        url=config.site.url, paths=[p.removesuffix("index.html") for p in documents]).encode("utf-8")
    files["robots.txt"] = (f"Sitemap: {config.site.url}sitemap.xml\n" if config.site.url else "").encode()
    files.update((f"static/{name}", (LAYOUTS / "site" / name).read_bytes()) for name in ("site.css", "site.js"))
    files.update((f"static/fonts/{name}", (FONTS / name).read_bytes()) for name in FONT_FILES)
    files.update((name, (book.root / src).read_bytes()) for name, src in pictures.names.items())
    files["static/textes.js"] = texts_for_the_disk(book, rows)
    return SiteResult(output, len(documents), write_folder(files, output), tuple(notes))


def write_folder(files: dict[str, bytes], output: Path) -> int:
    """The site's files and its search index made beside ``output``, then put in its place; how many pages
    the search holds."""
    with tempfile.TemporaryDirectory(prefix=".site-", dir=output.parent if output.parent.exists() else None) as tmp:
        made = Path(tmp) / "site"
        for path, data in files.items():
            write(made / path, data)
        searchable = index_for_search({p: d for p, d in files.items() if p.endswith(".html")}, made / "pagefind")
        write(made / MARK, b"Site fait par publisher site : la prochaine fabrication le remplace.\n")
        replace_folder(made, output)
    return searchable


def texts_for_the_disk(book: Book, rows) -> bytes:
    """The text of each page Pagefind indexes, for the search of a site opened from the disk (site.js)."""
    def text(blocks) -> str:
        return " ".join(plain(b.children) for b in walk_blocks(blocks) if hasattr(b, "children"))

    pages = [{"url": address(f), "titre": f.title,
              "texte": " ".join([f.title, plain(f.lead), text(f.blocks), *(text(n.blocks) for n in f.footnotes)])}
             for f in book.fiches]
    if rows:
        pages.append({"url": "glossaire/", "titre": "Glossaire des sigles",
                      "texte": " ".join(f"{r.acronym} {r.long_form} {r.definition}" for r in rows)})
    return f"window.LIVRE = {json.dumps(pages, ensure_ascii=False, indent=0)};\n".encode("utf-8")


def by_year(fiches: tuple[Fiche, ...]) -> list[tuple[str, list[Fiche]]]:
    """The contents by year, in book order (a fiche still without a year: « à dater »)."""
    out: list[tuple[str, list[Fiche]]] = []
    for fiche in fiches:
        year = str(fiche.year) if fiche.year else "À dater"
        if out and out[-1][0] == year:
            out[-1][1].append(fiche)
        else:
            out.append((year, [fiche]))
    return out


def write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    os.utime(path, (0, 0))            # the same sources, the same files: dates included


def refuse_foreign(output: Path) -> None:
    """Never write over a folder this command did not make (a copy of the book, someone's documents)."""
    if output.exists() and (not output.is_dir() or (any(output.iterdir()) and not (output / MARK).is_file())):
        raise PublisherError(error(SourceLocation(str(output), 0), "site-folder",
                                   f"« {output} » existe et n'est pas un site fait par publisher : rien n'y est "
                                   "écrit ; choisissez un autre dossier (-o) ou videz celui-ci"))


def replace_folder(made: Path, output: Path) -> None:
    """The new site in place of the old one, the old one removed only once the new one is whole."""
    output.parent.mkdir(parents=True, exist_ok=True)
    old = output.with_name(f".{output.name}.ancien")
    shutil.rmtree(old, ignore_errors=True)
    if output.exists():
        output.rename(old)
    shutil.move(str(made), str(output))
    shutil.rmtree(old, ignore_errors=True)


def index_for_search(pages: dict[str, bytes], output: Path) -> int:
    """Pagefind's index, written in ``output``, of the pages that say ``data-pagefind-body`` (the fiches, the
    Glossaire), in French; how many pages it holds. Pagefind cuts words at the typewriter's apostrophe, not
    at the typographer's: it reads the pages with ’ made ' (« l’alternance » found by « alternance »), the
    site shows them as they are (site.js puts ’ back in the excerpts it shows)."""
    with tempfile.TemporaryDirectory(prefix=".recherche-") as tmp:
        for path, data in pages.items():
            write(Path(tmp) / path, data.replace("\u2019".encode(), b"'"))
        command = [sys.executable, "-m", "pagefind", "--site", tmp, "--output-path", str(output),
                   "--force-language", "fr", "--quiet"]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=PAGEFIND_TIMEOUT_S)
        except (OSError, subprocess.TimeoutExpired) as failure:
            raise PublisherError(error(SourceLocation(str(output), 0), "search-index",
                                       f"l'index de recherche n'a pas pu être fait ({failure}) : réinstallez avec "
                                       "« make » (le paquet pagefind)")) from None
    if done.returncode != 0:
        raise PublisherError(error(SourceLocation(str(output), 0), "search-index",
                                   "l'index de recherche n'a pas pu être fait : " + (done.stderr or done.stdout)[-500:]))
    entry = output / "pagefind-entry.json"
    languages = json.loads(entry.read_text(encoding="utf-8")).get("languages", {})
    return sum(int(lang.get("page_count", 0)) for lang in languages.values())


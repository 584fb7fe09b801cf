"""What the layout tells an editor, as diagnostics at the source line of the paragraph concerned.

The layout corrects what it can (a paragraph sent to the next page to keep a
note with its call, a paragraph set again without hyphenation); what it cannot
prevent, or only at a cost an editor should know, is said here.
"""

from __future__ import annotations

from pathlib import Path

from ..diagnostics import Diagnostic, info, warning
from ..model import SourceLocation
from .pages import Page, hyphen_ladders


def findings(pages: tuple[Page, ...], root: Path, *, unhyphenated: tuple[str, ...] = (),
             displaced: tuple[str, ...] = (), unset: tuple[str, ...] = ()) -> list[Diagnostic]:
    """``pages`` numbered as in the book; ``unhyphenated``, ``displaced``: data-src of the paragraphs
    set without hyphenation, and of those whose note stayed on a later page after every pass."""
    out = [info(SourceLocation.from_src(src, root), "hyphen-ladder",
                f"{lines} lignes de suite finissent par une césure (page {page}) : reformulez une de ces lignes, "
                "ou imposez ailleurs la coupure d’un des mots avec &shy;")
           for src, page, lines in hyphen_ladders(pages)]
    pages_of = first_pages_of(pages)
    out += [info(SourceLocation.from_src(src, root), "unhyphenated",
                 f"paragraphe composé sans césure{on_page(pages_of, src)} : avec elles, WeasyPrint coupait une ligne "
                 "trop court ; si l'espacement des mots vous gêne, imposez la coupure d'un mot long avec &shy;")
            for src in dict.fromkeys(unhyphenated)]
    out += [warning(SourceLocation.from_src(src, root), "footnote-away",
                    f"une note de ce paragraphe{on_page(pages_of, src)} n'est pas sur la page de son appel, même "
                    "après avoir envoyé le paragraphe à la page suivante : raccourcissez la note ou le paragraphe")
            for src in dict.fromkeys(displaced)]
    out += [info(SourceLocation.from_src(src, root), "line-breaking-left",
                 f"paragraphe coupé ligne après ligne par WeasyPrint{on_page(pages_of, src)}, non sur tout le paragraphe : "
                 "il contient ce que la coupure ne sait pas mesurer (une image, une question encadrée, un retour à la "
                 "ligne, un renvoi dont la page n'est pas encore connue) ; ses espaces peuvent être moins égaux")
            for src in dict.fromkeys(unset)]
    return out


def unsettled(location: SourceLocation, what: str) -> Diagnostic:
    """The page numbers printed by the contents, references or back matter did not settle."""
    return warning(location, "pages-unsettled",
                   f"les numéros de page {what} n'ont pas pu être stabilisés : vérifiez-les dans le PDF "
                   "(sommaire, « voir p. N », glossaire, index)")


def first_pages_of(pages: tuple[Page, ...]) -> dict[str, int]:
    found: dict[str, int] = {}
    for page in pages:
        for src in page.paragraphs:
            found.setdefault(src, page.number)
    return found


def on_page(pages_of: dict[str, int], src: str) -> str:
    return f" (page {pages_of[src]})" if src in pages_of else ""

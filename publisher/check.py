"""Diagnostics over a loaded book: what an editor must look at before printing."""

from __future__ import annotations

from .diagnostics import Diagnostic, warning
from .glossary import check_glossary
from .index import check_index
from .model import Book, Critic, Fiche, Figure, FootnoteRef
from .tree import all_runs, walk_blocks
from .xref import check_xrefs


def check(book: Book) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    for fiche in book.fiches:
        out.extend(editorial_notes(fiche))
        out.extend(missing_images(book, fiche))
        out.extend(footnote_balance(fiche))
    out.extend(check_glossary(book))
    out.extend(check_xrefs(book))
    out.extend(check_index(book))
    return out


def editorial_notes(fiche: Fiche) -> list[Diagnostic]:
    labels = {"comment": "question ou remarque éditoriale", "addition": "ajout proposé",
              "deletion": "suppression proposée", "substitution": "remplacement proposé",
              "highlight": "passage surligné"}
    return [warning(r.location, "editorial-note",
                    f"{labels[r.op]} encore ouvert(e) : « {r.text} » — tranchez puis retirez la marque {{>> <<}}")
            for r in all_runs(fiche) if isinstance(r, Critic)]


def missing_images(book: Book, fiche: Fiche) -> list[Diagnostic]:
    out = []
    for block in walk_blocks(fiche.blocks):
        if isinstance(block, Figure) and block.src and not (book.root / block.src).is_file():
            out.append(warning(block.location, "missing-image",
                               f"image introuvable : {block.src} ; déposez le fichier dans le dossier du livre "
                               "(un cadre « Image à fournir » est imprimé à sa place)"))
    return out


def footnote_balance(fiche: Fiche) -> list[Diagnostic]:
    called = {r.label for r in all_runs(fiche) if isinstance(r, FootnoteRef)}
    return [warning(note.location, "footnote-without-call",
                    f"la note [^{note.label}] n'est appelée nulle part dans le texte : ajoutez l'appel ou supprimez-la")
            for note in fiche.footnotes if note.label not in called]

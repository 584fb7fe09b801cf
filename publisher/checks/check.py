"""Diagnostics over a loaded book: what an editor must look at before printing."""

from __future__ import annotations

from pathlib import Path

from ..diagnostics import Diagnostic, error, warning
from ..enrich.glossary import check_glossary
from ..enrich.index import check_index
from ..enrich.xref import check_xrefs
from ..memo import Memo, Once
from ..model import READY, Book, Critic, Fiche, Figure, FootnoteRef
from ..source import images
from ..source.sourcelines import SourceLines
from ..tree import all_runs, plain, run_sequences, walk_blocks
from .copyedit import copy_checks
from .leftovers import EDITOR_QUESTION, NOTE_TO_SELF, PLACEHOLDER, leftovers
from .repeats import repeated_passages, start_of



def check(book: Book, memo: Memo | None = None) -> list[Diagnostic]:
    """``memo``: each fiche's own checks already made, by the fiche and its file's text (publisher.memo)."""
    memo = memo or Once()
    out: list[Diagnostic] = []
    own = memo.each(fiche_checks, [(fiche, source_text(fiche)) for fiche in book.fiches])
    for fiche, notes in zip(book.fiches, own):
        out.extend(notes)
        out.extend(figure_images(book, fiche))         # the images' files may change, not the fiche
    out.extend(check_glossary(book))
    out.extend(check_xrefs(book))
    out.extend(check_index(book))
    return out


def fiche_checks(fiche: Fiche, _text: str) -> tuple[Diagnostic, ...]:
    """What the fiche alone tells (``_text``, the file's as the lines are read, is in the memo's key)."""
    lines = SourceLines()
    return (*editorial_notes(fiche), *footnote_balance(fiche), *repeated_passages(fiche, lines),
            *editorial_leftovers(fiche, lines), *copy_checks(fiche, lines))


def source_text(fiche: Fiche) -> str:
    try:
        return Path(fiche.location.path).read_text(encoding="utf-8-sig")
    except OSError:
        return ""


def editorial_notes(fiche: Fiche) -> list[Diagnostic]:
    labels = {"comment": "question ou remarque éditoriale", "addition": "ajout proposé",
              "deletion": "suppression proposée", "substitution": "remplacement proposé",
              "highlight": "passage surligné"}
    return [warning(r.location, "editorial-note",
                    f"{labels[r.op]} encore ouvert(e) : « {r.text} » — tranchez puis retirez la marque {{>> <<}}")
            for r in all_runs(fiche) if isinstance(r, Critic)]


def figure_images(book: Book, fiche: Fiche) -> list[Diagnostic]:
    """Every figure's image: a file of the book that is an image, or a data: image; nothing from elsewhere."""
    out = []
    for block in walk_blocks(fiche.blocks):
        if not isinstance(block, Figure) or not block.src:
            continue
        if not images.alternative_text(block):
            out.append(warning(block.location, "missing-alt",
                               "image sans texte de remplacement ni légende : un lecteur d'écran n'en dirait rien ; "
                               "décrivez-la entre les crochets, ![Ce que montre l'image](…), ou ajoutez une légende"))
        kind = images.classify(book.root, block.src)
        if kind == images.MISSING:
            out.append(warning(block.location, "missing-image",
                               f"image introuvable : {block.src} ; déposez le fichier dans le dossier du livre "
                               "(un cadre « Image à fournir » est imprimé à sa place)"))
        elif kind in (images.REMOTE, images.OUTSIDE):
            out.append(error(block.location, "forbidden-resource", images.outside_message(block.src)))
        elif kind == images.NOT_AN_IMAGE:
            out.append(error(block.location, "not-an-image",
                             f"« {block.src} » n'est pas une image (PNG, JPEG, GIF, WebP ou SVG) : "
                             "remplacez le fichier ou corrigez le nom"))
    return out


def footnote_balance(fiche: Fiche) -> list[Diagnostic]:
    called = {r.label for r in all_runs(fiche) if isinstance(r, FootnoteRef)}
    return [warning(note.location, "footnote-without-call",
                    f"la note [^{note.label}] n'est appelée nulle part dans le texte : ajoutez l'appel ou supprimez-la")
            for note in fiche.footnotes if note.label not in called]


def editorial_leftovers(fiche: Fiche, lines: SourceLines) -> list[Diagnostic]:
    """Questions to the editors, notes to self and placeholders left in the text, worded any way
    (publisher/checks/leftovers.py), at the line that holds each."""
    messages = {
        EDITOR_QUESTION: "question aux éditeurs laissée dans le texte : « {} » ; répondez-y dans le texte puis "
                         "supprimez-la (ou écrivez-la {{>> … <<}} pour la garder en question ouverte)",
        NOTE_TO_SELF: "note de travail laissée dans le texte : « {} » ; faites ce qu'elle demande puis "
                      "supprimez-la (ou écrivez-la {{>> … <<}})",
        PLACEHOLDER: "texte d'attente « {} » : écrivez le texte prévu, ou supprimez la ligne",
    }
    out = []
    for runs, holder in run_sequences(fiche):
        for found in leftovers(plain(runs, expanded=False)):
            first = found.text.split()[0] if found.text.split() else ""
            here = lines.find(holder.location, first) if first.isalnum() else holder.location
            out.append(warning(here, found.kind, messages[found.kind].format(start_of(found.text, 12))))
    return out


def not_ready(book: Book) -> list[Diagnostic]:
    """For the printer: the fiches whose stage is said and is not « prête » (a warning, an error with
    --strict). A book whose fiches say no stage has not taken the board up: nothing is said."""
    return [warning(f.location, "fiche-not-ready",
                    f"fiche à l'étape « {f.status} », pas « {READY} » : la finir avant l'impression, "
                    "ou la retirer du livre")
            for f in book.fiches if f.status and f.status != READY]

"""Diagnostics over a loaded book: what an editor must look at before printing."""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from ..diagnostics import Diagnostic, error, warning
from ..enrich.glossary import check_glossary
from ..enrich.index import check_index
from ..enrich.xref import check_xrefs
from ..model import Book, Critic, Fiche, Figure, Footnote, FootnoteRef, SourceLocation
from ..source import images
from ..source.sourcelines import SourceLines
from ..tree import all_runs, plain, run_sequences, walk_blocks
from .copyedit import copy_checks
from .leftovers import EDITOR_QUESTION, NOTE_TO_SELF, PLACEHOLDER, leftovers

SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[«\"A-ZÀ-Ý0-9])")
MIN_REPEATED_WORDS = 8     # shorter sentences (« Le CAI y participe. ») may well be said twice
NEARLY_THE_SAME = 0.85     # difflib ratio: a word or two changed
SHARED_WORDS = 0.5         # below this share of their words in common, two sentences are not alike


def check(book: Book) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    lines = SourceLines()
    for fiche in book.fiches:
        out.extend(editorial_notes(fiche))
        out.extend(figure_images(book, fiche))
        out.extend(footnote_balance(fiche))
        out.extend(repeated_passages(fiche, lines))
        out.extend(editorial_leftovers(fiche, lines))
        out.extend(copy_checks(fiche, lines))
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


def repeated_passages(fiche: Fiche, lines: SourceLines) -> list[Diagnostic]:
    """A sentence or a paragraph said twice in a fiche, word for word or nearly (a copy left
    behind after rewording it): the export has several."""
    seen: list[tuple[str, frozenset[str], SourceLocation]] = []
    out = []
    for runs, holder in run_sequences(fiche):
        if isinstance(holder, Footnote):
            continue
        sentences = [s for s in SENTENCE_END.split(plain(runs, expanded=False).strip()) if s]
        repeats = []
        for sentence in sentences:
            words = re.findall(r"\w+", sentence.lower())
            if len(words) < MIN_REPEATED_WORDS:
                continue
            key, bag = " ".join(words), frozenset(words)
            here = lines.find(holder.location, sentence.split()[0])
            first = next((where for earlier, earlier_bag, where in seen if _alike(key, bag, earlier, earlier_bag)),
                         None)
            if first:
                repeats.append((sentence, first, here))
            seen.append((key, bag, here))
        if repeats and len(repeats) == len(sentences) > 1:
            out.append(warning(repeats[0][2], "duplicate-passage",
                               f"paragraphe répété : il redit ce qui est déjà écrit ligne {repeats[0][1].line} "
                               f"(« {_start(repeats[0][0])} ») ; supprimez l'une des deux versions"))
            continue
        for sentence, first, here in repeats:
            out.append(warning(here, "duplicate-passage",
                               f"phrase répétée : « {_start(sentence)} » figure déjà ligne {first.line} ; "
                               "gardez-en une seule"))
    return out


def _alike(a: str, a_words: frozenset[str], b: str, b_words: frozenset[str]) -> bool:
    # Most pairs share few words: that test is cheap, difflib's is not (hundreds of pairs per fiche).
    if len(a_words & b_words) < SHARED_WORDS * len(a_words | b_words):
        return False
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    return matcher.real_quick_ratio() >= NEARLY_THE_SAME and matcher.ratio() >= NEARLY_THE_SAME


def _start(sentence: str, words: int = 8) -> str:
    cut = sentence.split()
    return " ".join(cut[:words]) + ("…" if len(cut) > words else "")


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
            out.append(warning(here, found.kind, messages[found.kind].format(_start(found.text, 12))))
    return out

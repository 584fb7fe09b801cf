"""``book/`` → :class:`Book`: book.yaml, then every fiche, each item with its file:line."""

from __future__ import annotations

from pathlib import Path

from babel.numbers import format_decimal

from ..atomic import disk_refusal
from ..diagnostics import Diagnostic, PublisherError, error, has_errors, info, relative, warning
from ..memo import Memo, Once
from ..model import STAGES, Book, BookConfig, Fiche, SourceLocation
from . import fichefile
from .config import parse_config
from .markdown import parse_body, parse_inline
from .terms import load_glossary, load_index
from .yamlfile import Mapping, load_mapping, load_yaml_file

MAX_FICHE_BYTES = 4_000_000     # a fiche of the CAI is 5 to 30 kB; the desk saves up to 2 MB of text and more


def load_book(root: Path, memo: Memo | None = None) -> tuple[Book, list[Diagnostic]]:
    """Read a book folder. Fatal problems raise :class:`PublisherError`; the rest are returned.
    ``memo``: the fiches already parsed, by their text (a warm process: :mod:`publisher.memo`)."""
    root, memo = Path(root), memo or Once()
    config_path = root / "book.yaml"
    shown = relative(config_path)
    if not config_path.is_file():
        raise PublisherError(error(SourceLocation(shown, 1), "missing-book-yaml",
                                   f"pas de book.yaml dans {relative(root) or '.'} : est-ce bien le dossier du livre ?"))
    mapping = load_yaml_file(config_path)
    config = parse_config(mapping)
    diagnostics: list[Diagnostic] = []
    fiches = []
    errors: list[Diagnostic] = []
    for path in fiche_files(root, config, mapping, errors):
        try:
            fiche, notes = load_fiche(path, config, memo)
        except PublisherError as exc:
            errors.extend(exc.diagnostics)
            continue
        fiches.append(fiche)
        diagnostics.extend(notes)
    errors.extend(duplicate_numbers(fiches))
    if has_errors(errors):
        raise PublisherError(errors)
    diagnostics.extend(errors)            # warnings only
    if config.order == "chronological":
        fiches.sort(key=lambda f: (f.year is None, f.year or 0, f.id))
    if config.themes_are_proposals:
        diagnostics.append(info(mapping.at("themes_are_proposals"), "themes-to-confirm",
                                "les thèmes et axes des fiches sont une proposition éditoriale à confirmer"))
    return Book(root, config, tuple(fiches), load_glossary(root, memo), load_index(root, memo)), diagnostics


def fiche_files(root: Path, config: BookConfig, m: Mapping, errors: list[Diagnostic]) -> list[Path]:
    """The fiches' files, in the order book.yaml gives (any order for a chronological book)."""
    folder = root / "fiches"
    if not folder.is_dir():
        errors.append(error(SourceLocation(relative(root / "book.yaml"), 1), "missing-fiches",
                            f"le dossier des fiches {relative(folder)} n'existe pas"))
        return []
    present = {p.stem: p for p in sorted(folder.glob("*.md"))}
    for other in sorted(folder.iterdir()):
        if other.suffix != ".md" and not other.name.startswith("."):
            errors.append(warning(SourceLocation(relative(other), 1), "not-a-fiche",
                                  f"{other.name} n'est pas une fiche (.md) : il est ignoré ; rangez les images "
                                  "dans images/ et les autres documents hors du livre"))
    if config.order == "chronological":
        return list(present.values())
    chosen = []
    seen: set[str] = set()
    for i, fiche_id in enumerate(config.order):
        where = m.at(f"order[{i}]")
        if fiche_id in seen:
            errors.append(error(where, "duplicate-fiche", f"la fiche « {fiche_id} » est citée deux fois dans « order »"))
        elif fiche_id not in present:
            errors.append(error(where, "missing-fiche",
                                f"la fiche « {fiche_id} » n'existe pas : il n'y a pas de fichier "
                                f"{relative(folder / (fiche_id + '.md'))}"))
        else:
            chosen.append(present[fiche_id])
        seen.add(fiche_id)
    for stem in sorted(set(present) - seen):
        errors.append(warning(m.at("order"), "fiche-not-in-order",
                              f"la fiche {relative(present[stem])} n'est pas dans « order » : elle n'est pas "
                              f"imprimée ; ajoutez « {stem} » à la liste (ou retirez le fichier)"))
    return chosen


def load_fiche(path: Path, config: BookConfig, memo: Memo | None = None) -> tuple[Fiche, list[Diagnostic]]:
    shown = relative(path)
    try:
        size = path.stat().st_size
    except OSError as exc:             # listed a moment ago, gone now (saved by renaming): said, not a crash
        raise PublisherError(error(SourceLocation(shown, 1), "file-unreadable",
                                   "ce fichier ne se lit pas : " + disk_refusal(exc, writing=False))) from None
    if size > MAX_FICHE_BYTES:
        megabytes = format_decimal(round(size / 1e6, 1), locale="fr_BE")
        raise PublisherError(error(SourceLocation(shown, 1), "fiche-too-large",
                                   f"cette fiche fait {megabytes} Mo, bien plus qu'une fiche (quelques dizaines de ko) : "
                                   f"est-ce le bon fichier ? La limite est de {MAX_FICHE_BYTES // 1_000_000} Mo"))
    return (memo or Once())(parse_fiche, path, fichefile.read(path, shown), config)


def parse_fiche(path: Path, written: fichefile.FicheText, config: BookConfig) -> tuple[Fiche, list[Diagnostic]]:
    """A fiche from its text (memoised on it: :mod:`publisher.memo`)."""
    shown = relative(path)
    if written.front is None:
        raise PublisherError(error(SourceLocation(shown, 1), "missing-front-matter",
                                   "la fiche doit commencer par un bloc « --- » (year, title…) suivi de « --- »"))
    front = load_mapping(written.front, shown, first_line=2)
    body_line = written.body_line
    notes: list[Diagnostic] = []

    def required(key: str, kind: type):
        value = front.get(key)
        if value is None or (kind is str and not str(value).strip()):
            raise PublisherError(error(front.at(key), "missing-key", f"la clé « {key} » manque dans l'en-tête de la fiche"))
        if not isinstance(value, kind):
            raise PublisherError(error(front.at(key), "bad-value",
                                       f"« {key} » n'a pas le bon type ({kind.__name__} attendu)"))
        return value

    year = front.get("year")
    if year is not None and not isinstance(year, int):
        raise PublisherError(error(front.at("year"), "bad-value", "« year » doit être une année (2016) ou null"))
    if year is None:
        notes.append(error(front.at("year"), "missing-year",
                           "la fiche n'a pas d'année (« year: null ») : écrivez l'année de l'événement, par ex. year: 2016"))
    title = required("title", str).strip()
    number = front.get("number")
    if number is not None and not isinstance(number, int):
        raise PublisherError(error(front.at("number"), "bad-value", "« number » doit être un nombre entier (ou null)"))
    themes = tags(front, "themes", config.themes, "unknown-theme", notes)
    axes = tags(front, "axes", config.axes, "unknown-axe", notes)
    blocks, footnotes, env, diags = parse_body(written.body, shown, body_line)
    notes.extend(diags)
    lead_text = str(front.get("lead") or "").strip()
    lead, diags = parse_inline(lead_text, env, front.at("lead")) if lead_text else ((), [])
    notes.extend(diags)
    if not blocks and not lead:
        notes.append(warning(SourceLocation(shown, body_line), "empty-fiche", "cette fiche n'a pas de texte"))
    status = front.get("status")
    if status is not None and str(status).strip() not in STAGES:
        notes.append(warning(front.at("status"), "unknown-status",
                             f"« status: {status} » : l'étape d'une fiche est l'une de : {', '.join(STAGES)}"))
    fiche = Fiche(id=path.stem, year=year, title=title,
                  short_title=str(front.get("short_title") or title).strip(), number=number,
                  themes=themes, axes=axes, lead=lead, blocks=blocks, footnotes=footnotes,
                  location=SourceLocation(shown, 1), body_line=body_line,
                  lead_location=front.at("lead") if lead else None,
                  status=str(status).strip() if status is not None and str(status).strip() in STAGES else "")
    if not fichefile.ID.match(fiche.id):
        notes.append(warning(fiche.location, "bad-fiche-name",
                             "nom de fichier à éviter : utilisez des minuscules, chiffres et tirets"))
    return fiche, notes


def tags(front: Mapping, key: str, vocabulary: tuple[str, ...], code: str, notes: list[Diagnostic]) -> tuple[str, ...]:
    values = front.get(key) or []
    if not isinstance(values, list):
        raise PublisherError(error(front.at(key), "bad-value", f"« {key} » doit être une liste, par ex. [Intégration]"))
    for value in values:
        if value not in vocabulary:
            notes.append(warning(front.at(key), code,
                                 f"« {value} » n'est pas dans la liste « {key} » de book.yaml : "
                                 "corrigez l'orthographe ou ajoutez-le à book.yaml"))
    return tuple(str(v) for v in values)


def duplicate_numbers(fiches: list[Fiche]) -> list[Diagnostic]:
    seen: dict[int, Fiche] = {}
    out = []
    for fiche in fiches:
        if fiche.number is None:
            continue
        if fiche.number in seen:
            out.append(error(fiche.location, "duplicate-number",
                             f"le numéro de fiche {fiche.number} est déjà pris par {seen[fiche.number].location.path} : "
                             "chaque fiche doit avoir son propre numéro"))
        else:
            seen[fiche.number] = fiche
    return out

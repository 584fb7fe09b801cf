"""``book/`` → :class:`Book`: book.yaml, then every fiche, each item with its file:line."""

from __future__ import annotations

import re
from pathlib import Path

from babel.numbers import format_decimal

from .booklet import parse_booklets
from .diagnostics import Diagnostic, PublisherError, error, has_errors, info, relative, warning
from .glossary import load_glossary
from .index import load_index
from .markdown import parse_body, parse_inline
from .model import PDF_VARIANTS, Book, BookConfig, Fiche, PageSetup, PrintSetup, SourceLocation
from .yamlfile import Mapping, load_mapping, load_yaml_file, read_text

MAX_FICHE_BYTES = 1_000_000     # a fiche of the CAI is 5 to 30 kB; a megabyte is some 300 pages
FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?---[ \t]*\n", re.DOTALL)
ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def load_book(root: Path) -> tuple[Book, list[Diagnostic]]:
    """Read a book folder. Fatal problems raise :class:`PublisherError`; the rest are returned."""
    root = Path(root)
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
    for path, where in fiche_files(root, config, mapping, errors):
        try:
            fiche, notes = load_fiche(path, config)
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
    return Book(root, config, tuple(fiches), load_glossary(root), load_index(root)), diagnostics


def parse_config(m: Mapping) -> BookConfig:
    def text(key: str, default: str | None = None) -> str:
        value = m.get(key, default)
        if value is None:
            raise PublisherError(error(m.at(key), "missing-key",
                                       f"la clé « {key} » manque dans book.yaml"))
        if not isinstance(value, (str, int)):
            raise PublisherError(error(m.at(key), "bad-value", f"« {key} » doit être un texte"))
        return str(value)

    def words(key: str) -> tuple[str, ...]:
        value = m.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise PublisherError(error(m.at(key), "bad-value", f"« {key} » doit être une liste de textes"))
        return tuple(value)

    page = m.get("page", {}) or {}
    if not isinstance(page, dict):
        raise PublisherError(error(m.at("page"), "bad-value", "« page » doit contenir width, height, marges…"))
    sizes = {}
    for key, value in page.items():
        if key not in PageSetup.__dataclass_fields__:
            raise PublisherError(error(m.at("page"), "unknown-key",
                                       f"clé « page.{key} » inconnue ; clés possibles : "
                                       + ", ".join(PageSetup.__dataclass_fields__)))
        try:
            sizes[key] = float(str(value).removesuffix("mm").strip())
        except ValueError:
            raise PublisherError(error(m.at("page"), "bad-value",
                                       f"« page.{key} » doit être une mesure en millimètres, par ex. 170mm")) from None
    setup = PageSetup(**sizes)
    if setup.inner_mm < 19:
        raise PublisherError(error(m.at("page"), "bad-value",
                                   "la marge intérieure (page.inner_mm) doit faire au moins 19 mm pour une reliure collée"))
    order = m.get("order", "chronological")
    if isinstance(order, list):
        order = tuple(str(o) for o in order)
    elif order != "chronological":
        raise PublisherError(error(m.at("order"), "bad-value",
                                   "« order » vaut « chronological » ou une liste d'identifiants de fiches"))
    typography = m.get("typography", {}) or {}
    colon = typography.get("colon", "nbsp") if isinstance(typography, dict) else None
    if colon not in ("nbsp", "nnbsp"):
        raise PublisherError(error(m.at("typography"), "bad-value",
                                   "« typography.colon » vaut nbsp (espace insécable) ou nnbsp (espace fine)"))
    year = m.get("year", 2024)
    printing = parse_print(m)
    return BookConfig(
        title=text("title"), subtitle=text("subtitle", ""), author=text("author"),
        publisher=text("publisher", ""), year=int(year), language=text("language", "fr"),
        page=setup, order=order, axes=words("axes"), themes=words("themes"),
        themes_are_proposals=bool(m.get("themes_are_proposals", False)),
        location=SourceLocation(m.path, 1), colophon=text("colophon", ""), edition=text("edition", ""),
        keywords=words("keywords"), colon_space="\u00a0" if colon == "nbsp" else "\u202f", printing=printing,
        booklets=parse_booklets(m, words("themes") + words("axes")))


def parse_print(m: Mapping) -> PrintSetup:
    """``print:`` in book.yaml: bleed, crop marks, padding, PDF variant."""
    values = m.get("print", {}) or {}
    if not isinstance(values, dict):
        raise PublisherError(error(m.at("print"), "bad-value", "« print » doit contenir bleed_mm, pad_to, variant…"))
    fields = PrintSetup.__dataclass_fields__
    for key in values:
        if key not in fields:
            raise PublisherError(error(m.at(f"print.{key}"), "unknown-key",
                                       f"clé « print.{key} » inconnue ; clés possibles : " + ", ".join(fields)))
    setup = PrintSetup(**{k: v for k, v in values.items() if v is not None})
    try:
        bleed = float(str(setup.bleed_mm).removesuffix("mm").strip())
    except ValueError:
        bleed = -1.0
    if not 0 <= bleed <= 10:
        raise PublisherError(error(m.at("print.bleed_mm"), "bad-value",
                                   "« print.bleed_mm » est le fond perdu en millimètres, entre 0 et 10 (souvent 3)"))
    if setup.pad_to not in (1, 2, 4, 8, 16):
        raise PublisherError(error(m.at("print.pad_to"), "bad-value",
                                   "« print.pad_to » vaut 4, 8 ou 16 (le cahier de l'imprimeur), ou 1 pour ne rien ajouter"))
    variant = str(setup.variant or "").lower()
    if variant not in PDF_VARIANTS:
        raise PublisherError(error(m.at("print.variant"), "bad-value",
                                   "« print.variant » vaut pdf/x-4 (imprimeur), pdf/a-2b ou pdf/ua-1 (édition numérique), "
                                   "ou rien"))
    if "output_profile" in values:
        check_profile(Path(str(setup.output_profile)), Path(m.path).parent, m.at("print.output_profile"))
    return PrintSetup(bleed, bool(setup.crop_marks), int(setup.pad_to), variant, str(setup.output_profile))


def check_profile(profile: Path, root: Path, where: SourceLocation) -> None:
    """The printer's ICC profile is the one file outside the book a build may read: it must be one."""
    path = profile if profile.is_absolute() else root / profile
    try:
        with path.open("rb") as handle:
            header = handle.read(40) if path.is_file() else b""
    except OSError:
        header = b""
    if header[36:40] != b"acsp":                  # the signature of every ICC profile
        raise PublisherError(error(where, "bad-value",
                                   f"« print.output_profile » doit être un profil ICC (.icc) ; « {profile} » n'en est "
                                   "pas un ou n'existe pas : demandez le profil à l'imprimeur"))


def fiche_files(root: Path, config: BookConfig, m: Mapping, errors: list[Diagnostic]):
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
        return [(p, None) for p in present.values()]
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
            chosen.append((present[fiche_id], where))
        seen.add(fiche_id)
    for stem in sorted(set(present) - seen):
        errors.append(warning(m.at("order"), "fiche-not-in-order",
                              f"la fiche {relative(present[stem])} n'est pas dans « order » : elle n'est pas "
                              f"imprimée ; ajoutez « {stem} » à la liste (ou retirez le fichier)"))
    return chosen


def load_fiche(path: Path, config: BookConfig) -> tuple[Fiche, list[Diagnostic]]:
    shown = relative(path)
    size = path.stat().st_size
    if size > MAX_FICHE_BYTES:
        megabytes = format_decimal(round(size / 1e6, 1), locale="fr_BE")
        raise PublisherError(error(SourceLocation(shown, 1), "fiche-too-large",
                                   f"cette fiche fait {megabytes} Mo, bien plus qu'une fiche (quelques dizaines de ko) : "
                                   f"est-ce le bon fichier ? La limite est de {MAX_FICHE_BYTES // 1_000_000} Mo"))
    text = read_text(path, shown)
    match = FRONT_MATTER.match(text)
    if not match:
        raise PublisherError(error(SourceLocation(shown, 1), "missing-front-matter",
                                   "la fiche doit commencer par un bloc « --- » (year, title…) suivi de « --- »"))
    front = load_mapping(match.group(1) or "", shown, first_line=2)
    body_line = text.count("\n", 0, match.end()) + 1
    notes: list[Diagnostic] = []

    def required(key: str, kind: type):
        value = front.get(key)
        if value is None or (kind is str and not str(value).strip()):
            raise PublisherError(error(front.at(key), "missing-key", f"la clé « {key} » manque dans l'en-tête de la fiche"))
        if not isinstance(value, kind):
            raise PublisherError(error(front.at(key), "bad-value", f"« {key} » n'a pas le bon type ({kind.__name__} attendu)"))
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
    themes, axes = tags(front, "themes", config.themes, notes), tags(front, "axes", config.axes, notes)
    blocks, footnotes, env, diags = parse_body(text[match.end():], shown, body_line)
    notes.extend(diags)
    lead_text = str(front.get("lead") or "").strip()
    lead, diags = parse_inline(lead_text, env, front.at("lead")) if lead_text else ((), [])
    notes.extend(diags)
    if not blocks and not lead:
        notes.append(warning(SourceLocation(shown, body_line), "empty-fiche", "cette fiche n'a pas de texte"))
    fiche = Fiche(id=path.stem, year=year, title=title,
                  short_title=str(front.get("short_title") or title).strip(), number=number,
                  themes=themes, axes=axes, lead=lead, blocks=blocks, footnotes=footnotes,
                  location=SourceLocation(shown, 1), body_line=body_line,
                  lead_location=front.at("lead") if lead else None)
    if not ID.match(fiche.id):
        notes.append(warning(fiche.location, "bad-fiche-name",
                             "nom de fichier à éviter : utilisez des minuscules, chiffres et tirets"))
    return fiche, notes


def tags(front: Mapping, key: str, vocabulary: tuple[str, ...], notes: list[Diagnostic]) -> tuple[str, ...]:
    values = front.get(key) or []
    if not isinstance(values, list):
        raise PublisherError(error(front.at(key), "bad-value", f"« {key} » doit être une liste, par ex. [Intégration]"))
    for value in values:
        if value not in vocabulary:
            notes.append(warning(front.at(key), f"unknown-{key[:-1]}",
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

"""Word in and out: ``publisher import FICHE.docx`` and ``publisher export FICHE --to docx``.

pandoc reads and writes the documents (:mod:`.pandoc`); around it, :mod:`.package` opens a
document with care, :mod:`.reading` turns pandoc's tree into a fiche with CriticMarkup, and
:mod:`.writing` makes the tree of a fiche. A fiche exported then imported unchanged comes
back byte for byte; the document remembers its fiche (properties), so that importing a
corrected copy never overwrites a fiche edited since.
"""

from __future__ import annotations

import dataclasses
import re
import tempfile
from pathlib import Path

from ..atomic import write_atomically
from ..diagnostics import Diagnostic, PublisherError, error, info, relative, warning
from ..importer.convert import short_title, slug
from ..importer.read import TITLE
from ..importer.report import Report
from ..model import BookConfig, Figure, ListBlock, Quote, SourceLocation
from ..paths import LAYOUTS
from ..source import critic
from ..source import images as book_images
from ..source.config import parse_config
from ..source import fichefile
from ..source.load import load_fiche
from ..source.yamlfile import load_yaml_file
from .compare import mark_untracked, words
from .ooxml import LINKED
from .package import is_word_file, open_docx
from .pandoc import api_version, read_docx, write_docx
from .reading import EXPORT_AUTHOR, _Reader
from .tidy import number_changes, placeholder_png
from .writing import DIGEST_PROPERTY, FICHE_PROPERTY, IMAGES_PROPERTY, Picture, _Writer, digest

__all__ = ["import_documents", "export_fiches", "is_word_file", "EXPORT_AUTHOR"]

REFERENCE = LAYOUTS / "reference.docx"
PENDING = "\ue010"          # the fiche's name in the report, until the title gives it


def book_config(root: Path) -> BookConfig | None:
    config = root / "book.yaml"
    return parse_config(load_yaml_file(config)) if config.is_file() else None


# ── import ──────────────────────────────────────────────────────────────────


def import_documents(paths: list[Path], into: Path, *, force: bool = False, accept: bool = False,
                     write: bool = True) -> Report:
    """One fiche per document; a document that cannot be read stops the import before anything is written."""
    report = Report()
    root = into.parent
    config = book_config(root)
    planned = [import_document(path, into, root, config, report, accept, force) for path in paths]
    first_of: dict[Path, Path] = {}
    for path, plan in zip(paths, planned):
        first = first_of.setdefault(plan.target, path)
        if first != path:             # two documents of the same title and year: never one over the other
            clash = error(SourceLocation(relative(path), 1), "docx-same-fiche",
                          f"ce document donne la même fiche que {relative(first)} ({relative(plan.target)}) : il "
                          "n'est pas importé ; changez son titre (ou son année) et importez-le à nouveau")
            plan.notes.append(clash)
            report.notes.append(clash)
    for plan in planned:
        if relative(plan.target) not in report.fiches:
            report.fiches.append(relative(plan.target))
        if not write or has_blocking(plan.notes):
            continue
        for place, data in plan.pictures:
            write_atomically(place, data)
        write_atomically(plan.target, plan.text.encode("utf-8"))
    return report


def has_blocking(notes: list[Diagnostic]) -> bool:
    return any(d.code in ("fiche-changed-since-export", "fiche-exists", "docx-same-fiche") for d in notes)


@dataclasses.dataclass(frozen=True)
class Planned:
    """What importing one document will write, once every document has been read."""

    target: Path
    text: str
    pictures: list[tuple[Path, bytes]]
    notes: list[Diagnostic]
    recorded: str                    # the digest of the fiche it was exported from ("" if none)


def import_document(path: Path, into: Path, root: Path, config: BookConfig | None, report: Report,
                    accept: bool, force: bool) -> Planned:
    shown = relative(path)
    package = open_docx(path, shown)
    tree = read_docx(package.prepared, shown)
    reader = _Reader(package, report, PENDING, accept)
    found: list[str] = []
    reader.image_path = lambda target: found.append(target) or f"{PENDING}{len(found) - 1}{PENDING}"
    reading = reader.document(tree)
    props = package.properties
    notes: list[Diagnostic] = list(package.notes)

    year, title = title_of(reading.title or props.title, props.custom.get("year", ""))
    if not title:
        title = path.stem
        notes.append(warning(package.at(1), "missing-title", "le document n'a ni titre ni premier intertitre : "
                             f"la fiche prend le nom du fichier, « {title} » ; corrigez « title » dans la fiche"))
    where = package.at(reading.title_paragraph or 1)
    if year is None:
        notes.append(warning(where, "missing-year", "pas d'année dans le titre (« 2016 – Titre ») ni dans les "
                             "propriétés du document : la fiche est écrite avec « year: null », à compléter"))
    fiche_id = props.custom.get(FICHE_PROPERTY, "")
    if not fichefile.ID.match(fiche_id):
        fiche_id = name_of(year, title, path)
    target = into / f"{fiche_id}.md"
    name = relative(target)
    report.entries = {k: dataclasses.replace(e, fiche=name) if e.fiche == PENDING else e
                      for k, e in report.entries.items()}

    pictures, body = place_images(found, reading.blocks, package, root, fiche_id, props.custom.get(IMAGES_PROPERTY, ""))
    for place, data in pictures:
        if not book_images.is_image_data(data[:1024]):
            notes.append(warning(package.at(1), "docx-image-format",
                                 f"l'image {relative(place)} n'est ni PNG, ni JPEG, ni GIF, ni SVG (un dessin Word, "
                                 "EMF ou WMF ?) : le livre ne pourra pas l'imprimer ; enregistrez-la en PNG sous ce nom"))
    themes, axes = keywords(props.keywords, config, where, notes)
    front = {"number": number_of(props.custom.get("number", "")), "year": year, "title": title,
             "short_title": props.custom.get("short_title") or short_title(title),
             "themes": themes, "axes": axes, "lead": reading.lead, "source": props.custom.get("source") or path.name}
    text = "\n\n".join(body + reading.notes)
    if not accept and as_exported(target, props.custom):
        text, front["lead"], count = against_fiche(target, text, front["lead"])
        if count:
            notes.append(warning(package.at(1), "untracked-changes",
                                 f"{count} paragraphe(s) modifié(s) sans le suivi des modifications : les différences "
                                 "avec la fiche sont marquées {++ ++} {-- --} comme les autres"))
    text = written_over(target, front, text + "\n")

    if reader.equations:
        notes.append(warning(package.at(1), "docx-equation", f"{reader.equations} équation(s) que la fiche ne sait "
                             "pas imprimer : chacune est gardée en question ouverte, à refaire dans le texte"))
    if package.margins:
        notes.append(info(package.at(1), "docx-header", "en-têtes et pieds de page du document non repris (le "
                          "livre fait les siens) : « " + " » ; « ".join(text for _, text in package.margins)[:200]
                          + " »"))
    if reader.soft_hyphens:
        notes.append(info(package.at(1), "soft-hyphens", f"{reader.soft_hyphens} césure(s) conditionnelle(s) "
                          "retirée(s) : la mise en page coupe les mots elle-même"))
    if reader.line_breaks:
        notes.append(info(package.at(1), "line-breaks", f"{reader.line_breaks} saut(s) de ligne manuel(s) "
                          "(Maj+Entrée) remplacé(s) par une espace : un paragraphe se compose d'un bloc"))
    if not force:
        notes += guard(target, text, props.custom.get(DIGEST_PROPERTY, ""), props.custom.get(FICHE_PROPERTY, ""))
    report.notes.extend(notes)
    return Planned(target, text, pictures, notes, props.custom.get(DIGEST_PROPERTY, ""))


def name_of(year: int | None, title: str, path: Path) -> str:
    """The fiche's file name: from its year and title, else from the document's name, else « fiche »: never
    empty, never hidden (a title in other letters than Latin ones, or only signs, gives no slug)."""
    for said in (title, path.stem, "fiche"):
        made = slug(year, said) if year is not None else slug(0, said)[2:]
        if year is None and made or year is not None and made != f"{year}-":
            return made
    return "fiche"


def title_of(text: str, year_property: str) -> tuple[int | None, str]:
    text = re.sub(r"\s+", " ", text).strip()
    match = TITLE.match(text)
    if match:
        return int(match.group(1)), match.group(2).strip()
    return (int(year_property) if year_property.isdigit() else None), text


def number_of(text: str) -> int | None:
    return int(text) if text.strip().isdigit() else None


def keywords(text: str, config: BookConfig | None, where: SourceLocation,
             notes: list[Diagnostic]) -> tuple[list[str], list[str]]:
    """Themes and axes from the document's keywords (« Intégration ; Accompagnement »), checked
    against book.yaml. LibreOffice joins them with spaces: the words are matched to the vocabulary."""
    if not text.strip():
        return [], []
    vocabulary = (config.themes + config.axes) if config else ()
    themes, axes = [], []
    for piece in re.split(r"\s*[,;]\s*", text.strip()):
        rest = piece
        while rest:
            known = next((v for v in sorted(vocabulary, key=len, reverse=True)
                          if rest.casefold().startswith(v.casefold())
                          and rest[len(v):len(v) + 1] in ("", " ")), None)
            if known is None:
                notes.append(warning(where, "unknown-theme",
                                     f"mot-clé « {rest} » des propriétés du document : ce n'est ni un thème ni un axe "
                                     "de book.yaml ; il est mis dans « themes », à corriger"))
                themes.append(rest)
                break
            (axes if config and known in config.axes else themes).append(known)
            rest = rest[len(known):].strip()
    return themes, axes


def place_images(found: list[str], blocks: list[str], package, root: Path, fiche_id: str, recorded: str):
    """Each image of the document into images/: the one the fiche had if the bytes are those
    exported, else a new file (never over another image)."""
    exported = [tuple(pair.rsplit("=", 1)) for pair in recorded.split() if "=" in pair]
    pictures, names = [], []
    for k, target in enumerate(found):
        if target.startswith(LINKED):          # linked, not embedded: nothing to write, a frame to provide
            names.append(f"images/{fiche_id}-{k + 1}{Path(target[1:]).suffix.lower() or '.png'}")
            continue
        data = package.media.get(target, b"")
        h = digest(data)
        same = next((i for i, (_, d) in enumerate(exported) if d == h), None)
        if same is not None:
            names.append(exported.pop(same)[0])
            continue
        suffix = Path(target).suffix.lower() or ".png"
        n, src = k + 1, f"images/{fiche_id}-{k + 1}{suffix}"
        while (root / src).exists() and (root / src).read_bytes() != data:
            n += 1
            src = f"images/{fiche_id}-{n}{suffix}"
        names.append(src)
        pictures.append((root / src, data))
    body = []
    for block in blocks:
        for k, src in enumerate(names):
            block = block.replace(f"{PENDING}{k}{PENDING}", src)
        body.append(block)
    return pictures, body


def written_over(target: Path, front: dict, body: str) -> str:
    """The fiche's file: over the fiche already there, in its own layout (what did not change
    stays the same bytes); else a new one."""
    if target.is_file():
        try:
            return fichefile.rewrite(fichefile.read(target), front, body)
        except (fichefile.UnreadableFront, PublisherError):
            pass                          # not a fiche one can write over: guard() says so
    return fichefile.new_fiche(front, body)


def as_exported(target: Path, custom: dict[str, str]) -> bool:
    """The document was exported from this fiche, which has not changed since."""
    recorded = custom.get(DIGEST_PROPERTY, "")
    return bool(recorded) and custom.get(FICHE_PROPERTY) == target.stem and target.is_file() \
        and digest(target.read_bytes()) == recorded


def against_fiche(target: Path, body: str, lead: str) -> tuple[str, str, int]:
    """The body and lead read from Word, with what was changed without tracking marked."""
    old = fichefile.read(target)
    old_lead = str(old.values().get("lead") or "")
    body, count = mark_untracked(old.body.strip("\n") if old.head else "", body)
    if lead != old_lead and lead == critic.before_changes(lead):
        lead, count = words(old_lead, lead), count + 1
    return body, lead, count


def guard(target: Path, text: str, recorded: str, exported_id: str) -> list[Diagnostic]:
    """Never overwrite a fiche an editor changed: since the export, or at all when the document
    is not an export of this fiche."""
    if not target.exists() or target.read_text(encoding="utf-8") == text:
        return []
    shown = SourceLocation(relative(target), 1)
    if recorded and exported_id == target.stem:
        if digest(target.read_bytes()) == recorded:
            return []
        return [error(shown, "fiche-changed-since-export",
                      "cette fiche a été modifiée depuis que le document Word en a été tiré : elle n'est pas "
                      "écrasée. Reportez les corrections à la main, ou relancez avec --force pour la remplacer")]
    return [error(shown, "fiche-exists", "cette fiche existe déjà et ce document n'en est pas un export : "
                  "elle n'est pas écrasée (relancez avec --force pour la remplacer)")]


# ── export ──────────────────────────────────────────────────────────────────


def export_fiches(paths: list[Path], out: Path, *, force: bool = False) -> tuple[list[Path], list[Diagnostic]]:
    written, notes = [], []
    planned = []
    for path in paths:
        shown = relative(path)
        if not path.is_file():
            raise PublisherError(error(SourceLocation(shown, 1), "missing-file", "fiche introuvable : vérifiez le chemin"))
        root = path.resolve().parent.parent
        config = book_config(root)
        if config is None:
            raise PublisherError(error(SourceLocation(shown, 1), "not-in-book",
                                       "cette fiche n'est pas dans le dossier fiches/ d'un livre (pas de book.yaml "
                                       "au-dessus) : exportez-la depuis book/fiches/"))
        fiche, found = load_fiche(path, config)
        notes += found
        target = out / f"{fiche.id}.docx"
        if target.exists() and not force and not untouched(target, path, config):
            raise PublisherError(error(SourceLocation(relative(target), 1), "docx-exists",
                                       "ce document Word existe déjà et contient des corrections (il ne redonne pas "
                                       "la fiche) : il n'est pas écrasé ; importez-le d'abord, ou relancez avec --force"))
        planned.append((path, root, fiche, target))
    api = api_version()
    with tempfile.TemporaryDirectory(prefix="publisher-export-") as tmp:
        for path, root, fiche, target in planned:
            pictures = {}
            for figure in figures(fiche.blocks):
                if book_images.classify(root, figure.src) == book_images.OK:
                    pictures[figure.src] = Picture(figure.src, (root / figure.src).resolve())
                else:
                    frame = Path(tmp) / f"image-a-fournir-{len(pictures)}.png"
                    frame.write_bytes(placeholder_png(figure.src))
                    pictures[figure.src] = Picture(figure.src, frame)
                    notes.append(info(figure.location, "image-to-provide",
                                      f"l'image « {figure.src} » n'est pas dans le livre : le document Word montre "
                                      "un cadre « image à fournir » à sa place"))
            source = path.read_bytes()
            lines = source.decode("utf-8-sig").splitlines()
            tree = _Writer(fiche, lines, pictures, front_source(source)).tree(api, source)
            data = number_changes(write_docx(tree, REFERENCE, root))
            write_atomically(target, data)
            written.append(target)
    return written, notes


def untouched(docx: Path, fiche: Path, config: BookConfig) -> bool:
    """A document already exported may be written again if it still reads as the fiche it was
    made from (its recorded digest): no one has corrected it."""
    try:
        plan = import_document(docx, fiche.parent, fiche.parent.parent, config, Report(), False, True)
    except PublisherError:
        return False
    return bool(plan.recorded) and digest(plan.text.encode("utf-8")) == plan.recorded


def front_source(source: bytes) -> str:
    """The fiche's « source: » (where it was imported from), which the model does not keep."""
    return str(fichefile.split(source.decode("utf-8-sig")).values().get("source") or "")


def figures(blocks) -> list[Figure]:
    out = []
    for b in blocks:
        if isinstance(b, Figure):
            out.append(b)
        elif isinstance(b, Quote):
            out += figures(b.blocks)
        elif isinstance(b, ListBlock):
            for item in b.items:
                out += figures(item.blocks)
    return out

"""``book.yaml`` → :class:`BookConfig`: the book's title and people, its page, its order, its
vocabulary of themes and axes, what the printer asks for (``print:``) and the booklets
(``booklets:``); every wrong value named with its key and line.

``booklets:``::

    booklets:
      - title: Lutte contre le racisme
        themes: [Lutte contre le racisme, Lutte contre les discriminations]
        subtitle: Quarante ans de combat contre les préjugés     # optional
        slug: racisme                                             # optional: build/livrets/racisme.pdf
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from ..diagnostics import PublisherError, error
from ..model import PDF_VARIANTS, BookConfig, BookletSpec, PageSetup, PrintSetup, SiteSetup, SourceLocation
from .yamlfile import Mapping

BOOKLET_KEYS = ("title", "themes", "subtitle", "slug")


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
        booklets=parse_booklets(m, words("themes") + words("axes")), site=parse_site(m))


def parse_site(m: Mapping) -> SiteSetup:
    """``site:`` in book.yaml: the web edition's address and the words of its home page."""
    values = m.get("site", {}) or {}
    if not isinstance(values, dict):
        raise PublisherError(error(m.at("site"), "bad-value", "« site » doit contenir url et presentation"))
    fields = SiteSetup.__dataclass_fields__
    for key, value in values.items():
        if key not in fields:
            raise PublisherError(error(m.at(f"site.{key}"), "unknown-key",
                                       f"clé « site.{key} » inconnue ; clés possibles : " + ", ".join(fields)))
        if not isinstance(value, str):
            raise PublisherError(error(m.at(f"site.{key}"), "bad-value", f"« site.{key} » doit être un texte"))
    url = values.get("url", "").strip()
    if url and not re.fullmatch(r"https?://[^\s/]+(/\S*)?", url):
        raise PublisherError(error(m.at("site.url"), "bad-value",
                                   f"« site.url » doit être l'adresse complète du site, par ex. "
                                   f"https://www.exemple.be/40-ans/ (et non « {url} »)"))
    return SiteSetup(url=url.rstrip("/") + "/" if url else "", presentation=values.get("presentation", "").strip())


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


def parse_booklets(m: Mapping, vocabulary: tuple[str, ...]) -> tuple[BookletSpec, ...]:
    values = m.get("booklets") or []
    if not isinstance(values, list):
        raise PublisherError(error(m.at("booklets"), "bad-value",
                                   "« booklets » est une liste de livrets, chacun commençant par « - title: … »"))
    specs = []
    for i, value in enumerate(values):
        key = f"booklets[{i}]"
        where = m.at(key)
        if not isinstance(value, dict) or not isinstance(value.get("title"), str) or not value["title"].strip():
            raise PublisherError(error(where, "bad-value", "chaque livret a un titre : « - title: Nom du livret »"))
        unknown = sorted(set(value) - set(BOOKLET_KEYS))
        if unknown:
            raise PublisherError(error(m.at(f"{key}.{unknown[0]}"), "unknown-key",
                                       f"clé « {unknown[0]} » inconnue pour un livret ; clés possibles : "
                                       + ", ".join(BOOKLET_KEYS)))
        title = value["title"].strip()
        themes = value.get("themes") or [title]
        if not isinstance(themes, list) or not all(isinstance(t, str) for t in themes):
            raise PublisherError(error(m.at(f"{key}.themes"), "bad-value",
                                       f"« themes » du livret « {title} » est une liste, par ex. [{title}]"))
        for theme in themes:
            if theme not in vocabulary:
                raise PublisherError(error(m.at(f"{key}.themes") if "themes" in value else where, "unknown-theme",
                                           f"le livret « {title} » demande le thème « {theme} », qui n'est ni dans "
                                           "« themes » ni dans « axes » de book.yaml : corrigez l'orthographe"))
        specs.append(BookletSpec(title, tuple(themes), str(value.get("slug") or slugify(title)), where,
                                 str(value.get("subtitle") or "")))
    return tuple(specs)


def slugify(title: str) -> str:
    """« Enseignement / formation / emploi » → ``enseignement-formation-emploi``."""
    ascii_ = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_.lower()).strip("-") or "livret"

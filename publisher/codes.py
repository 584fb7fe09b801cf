"""Every diagnostic code, once: its severity, whether it stops a build for the printer, what it means.

Codes are a contract (``--format json``, the desk, other tools): stable kebab-case names. A code
is used with the first of its severities, or with another of them where a stage says so (an
export read in Windows-1252 is a warning of the importer, a fiche not in UTF-8 an error of the
loader). ``stops_print``: an open question — a warning for ``check`` and the proofs, but a build
for the printer stops on it unless ``--allow-open-questions``; any error stops that build too.
``tests/test_codes.py`` checks that every code the code uses is here, and that the README's table
(« Les codes des remarques ») is this one.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"
    NOTE = "note"          # what a proofreader wrote on a proof (publisher collect)


ERROR, WARNING, INFO, NOTE = Severity.ERROR, Severity.WARNING, Severity.INFO, Severity.NOTE


@dataclass(frozen=True)
class Code:
    name: str
    severities: tuple[Severity, ...]      # the usual one first
    description: str                      # one line, in French, for the README and the tools
    stops_print: bool = False

    @property
    def severity(self) -> Severity:
        return self.severities[0]


def _table(*codes: Code) -> dict[str, Code]:
    return {code.name: code for code in codes}


CODES = _table(
    # ── The book's files (source/) ──
    Code("missing-book-yaml", (ERROR,), "pas de book.yaml : ce n'est pas le dossier d'un livre"),
    Code("missing-fiches", (ERROR,), "le dossier fiches/ du livre n'existe pas"),
    Code("yaml-syntax", (ERROR,), "YAML illisible, dans book.yaml, glossary.yaml, index.yaml ou l'en-tête d'une fiche"),
    Code("yaml-not-mapping", (ERROR,), "un bloc YAML qui n'est pas une liste de « clé: valeur »"),
    Code("missing-key", (ERROR,), "une clé obligatoire manque, dans book.yaml ou l'en-tête d'une fiche"),
    Code("unknown-key", (ERROR,), "une clé inconnue, dans book.yaml, glossary.yaml ou index.yaml"),
    Code("bad-value", (ERROR,), "une valeur qui n'a pas le bon type ou sort des bornes permises"),
    Code("not-utf8", (ERROR, WARNING), "un fichier qui n'est pas en UTF-8 (un export du site est lu en Windows-1252)"),
    Code("binary-file", (ERROR,), "un fichier binaire (image, document renommé) à la place d'une fiche"),
    Code("fiche-too-large", (ERROR,), "une fiche de plus d'1 Mo : sans doute pas le bon fichier"),
    Code("missing-front-matter", (ERROR,), "une fiche qui ne commence pas par son en-tête entre deux « --- »"),
    Code("missing-year", (ERROR, WARNING), "une fiche sans année (year: null)"),
    Code("unknown-status", (WARNING,), "une fiche dont « status: » n'est pas une des étapes (à écrire … prête)"),
    Code("fiche-not-ready", (WARNING,), "une fiche imprimée pour l'imprimeur alors que son étape n'est pas « prête »"),
    Code("missing-fiche", (ERROR,), "une fiche nommée dans « order » n'a pas de fichier"),
    Code("duplicate-fiche", (ERROR, INFO),
         "une fiche citée deux fois dans « order » (à l'import : présente dans deux exports)"),
    Code("fiche-not-in-order", (WARNING,), "une fiche absente de « order » : elle n'est pas imprimée"),
    Code("duplicate-number", (ERROR,), "deux fiches portent le même numéro du CAI"),
    Code("not-a-fiche", (WARNING,), "un autre fichier qu'une fiche (.md) dans fiches/"),
    Code("bad-fiche-name", (WARNING,), "un nom de fichier de fiche à éviter (majuscules, espaces, accents)"),
    Code("empty-fiche", (WARNING,), "une fiche sans texte"),
    Code("unknown-theme", (WARNING, ERROR),
         "un thème absent de book.yaml (une erreur dans un livret, ou pour --theme)"),
    Code("unknown-axe", (WARNING,), "un axe absent de book.yaml"),
    Code("themes-to-confirm", (INFO,), "les thèmes et axes des fiches sont une proposition à confirmer"),
    Code("unsupported-markdown", (WARNING,), "un élément Markdown que le livre n'imprime pas"),
    Code("raw-html", (WARNING,), "une balise HTML dans une fiche : elle serait imprimée telle quelle"),
    Code("forbidden-link", (WARNING,), "un lien qui n'est ni web, ni courriel, ni renvoi à une fiche"),
    Code("inline-image", (WARNING,), "une image au milieu d'un paragraphe, hors d'un bloc « ::: figure »"),
    Code("figure-without-image", (WARNING,), "un bloc « ::: figure » qui ne commence pas par une image"),
    Code("forbidden-resource", (ERROR,), "une image ou un fichier hors du livre, jamais lu"),
    Code("footnote-without-source", (WARNING,), "un appel de note sans sa note", stops_print=True),
    Code("file-unreadable", (ERROR,), "un fichier du livre qui ne se lit pas (disparu un instant, protégé)"),
    # ── What an editor must look at (checks/, enrich/) ──
    Code("editorial-note", (WARNING,), "une marque CriticMarkup encore ouverte : question, ajout, suppression…",
         stops_print=True),
    Code("editor-question", (WARNING,), "une question aux éditeurs laissée dans le texte", stops_print=True),
    Code("note-to-self", (WARNING,), "une note de travail laissée dans le texte (« à vérifier »…)", stops_print=True),
    Code("placeholder", (WARNING,), "un texte d'attente (« Ajouter liens »…)", stops_print=True),
    Code("broken-xref", (WARNING,), "un renvoi à une fiche que le livre n'a pas", stops_print=True),
    Code("open-questions", (ERROR,), "la fabrication pour l'imprimeur s'arrête : des questions restent ouvertes"),
    Code("footnote-without-call", (WARNING,), "une note que rien n'appelle dans le texte"),
    Code("duplicate-passage", (WARNING,), "une phrase ou un paragraphe dit deux fois dans la fiche"),
    Code("missing-image", (WARNING,), "une image introuvable : un cadre « Image à fournir » est imprimé"),
    Code("not-an-image", (ERROR,), "un fichier d'image qui n'est pas une image"),
    Code("missing-alt", (WARNING,), "une image sans texte de remplacement ni légende"),
    Code("doubled-word", (WARNING,), "un mot tapé deux fois"),
    Code("missing-space", (WARNING,), "deux phrases collées, sans espace après le point"),
    Code("ordinal", (WARNING,), "un ordinal mal abrégé (1ère, 1ier…)"),
    Code("unbalanced-quotes", (WARNING,), "un guillemet ouvert et jamais fermé"),
    Code("short-paragraph", (WARNING,), "un paragraphe d'un ou deux mots, sans doute un reste"),
    Code("undefined-acronym", (WARNING,), "un sigle absent du glossaire"),
    Code("unused-glossary-entry", (WARNING,), "une entrée du glossaire qu'aucune fiche n'emploie"),
    Code("glossary-to-verify", (INFO,), "une forme développée du glossaire à confirmer (verify: true)"),
    Code("index-see-unknown", (WARNING,), "un renvoi de l'index vers un terme qu'il n'a pas"),
    Code("index-term-not-found", (INFO,), "un terme de l'index qu'aucune fiche n'écrit"),
    Code("empty-booklet", (ERROR,), "un livret sans fiche"),
    # ── The web edition (render/site.py) ──
    Code("site-url", (WARNING,), "le site n'a pas d'adresse (site: url: dans book.yaml) : pas de plan du site complet"),
    Code("site-folder", (ERROR,), "le dossier du site existe et n'a pas été fait par publisher site : rien n'y est écrit"),
    Code("search-index", (ERROR,), "l'index de recherche du site n'a pas pu être fait (Pagefind)"),
    # ── The layout and the printer's checks (layout/) ──
    Code("hyphen-ladder", (INFO,), "plus de trois lignes de suite finissent par une césure"),
    Code("unhyphenated", (INFO,), "un paragraphe composé sans césure, qui coupait une ligne trop court"),
    Code("line-breaking-left", (INFO,), "un paragraphe justifié coupé ligne à ligne par WeasyPrint, pas sur tout "
         "le paragraphe : il contient ce que la coupure ne sait pas mesurer"),
    Code("footnote-away", (WARNING,), "une note imprimée sur une autre page que son appel"),
    Code("pages-unsettled", (WARNING,), "des numéros de page (sommaire, renvois, index) qui n'ont pas pu se stabiliser"),
    Code("layout-process", (ERROR,), "un processus de mise en page s'est arrêté (mémoire épuisée ?)"),
    Code("font-not-embedded", (ERROR,), "une police non incorporée au PDF"),
    Code("font-not-shipped", (ERROR,), "une police qui n'est pas dans fonts/"),
    Code("image-resolution", (WARNING, ERROR), "une image de trop faible résolution à la taille imprimée"),
    Code("overflow", (ERROR,), "un texte ou une image qui dépasse de la zone de texte"),
    Code("page-count", (ERROR,), "un nombre de pages qui n'est pas un multiple du cahier de l'imprimeur"),
    Code("pdf-a", (ERROR,), "le PDF ne peut pas être un PDF/A-2b (une erreur de publisher)"),
    # ── The website export (importer/) ──
    Code("empty-export", (ERROR,), "un fichier d'export vide"),
    Code("no-fiche", (ERROR,), "un fichier sans fiche du site (pas de titre « ANNÉE – Titre » répété)"),
    Code("text-before-first-fiche", (WARNING,), "du texte avant la première fiche de l'export, non importé"),
    Code("all-categories-ticked", (INFO,), "toutes les cases « Catégories » cochées : thèmes laissés vides"),
    Code("empty-sources", (INFO,), "une rubrique « Sources : » vide dans l'export"),
    Code("title-variant", (INFO,), "les deux lignes de titre d'une fiche diffèrent dans l'export"),
    Code("fiche-exists", (ERROR, WARNING), "une fiche déjà là, modifiée depuis : pas écrasée sans --force"),
    # ── Word (word/) ──
    Code("missing-file", (ERROR,), "un fichier introuvable"),
    Code("not-in-book", (ERROR,), "une fiche hors du dossier fiches/ d'un livre"),
    Code("docx-corrupt", (ERROR,), "un document Word abîmé ou qui n'en est pas un"),
    Code("docx-too-large", (ERROR,), "un document Word trop gros, ou qui se décompresse en trop gros"),
    Code("docx-encrypted", (ERROR,), "un document Word protégé par un mot de passe"),
    Code("docx-macros", (WARNING,), "un document Word avec des macros : jamais lancées, seul le texte est importé"),
    Code("docx-empty", (ERROR,), "un document Word sans texte"),
    Code("docx-external", (WARNING,), "un lien vers un fichier ou une image liée hors du document : les mots "
         "gardés, pas le lien ; l'image est à fournir"),
    Code("docx-too-complex", (ERROR,), "un document Word trop complexe pour le convertisseur (taille, mémoire, temps)"),
    Code("docx-same-fiche", (ERROR,), "deux documents importés ensemble qui donnent la même fiche (même année, "
         "même titre) : le second n'est pas importé"),
    Code("docx-strict", (INFO,), "un document enregistré au format « Strict Open XML », lu comme un autre"),
    Code("docx-field", (INFO,), "un champ (date, propriété, publipostage, renvoi) : ce qu'il affiche gardé comme texte"),
    Code("docx-ruby", (INFO,), "une annotation ruby, gardée entre parenthèses après son texte"),
    Code("docx-header", (INFO,), "les en-têtes et pieds de page du document, non repris (le livre fait les siens)"),
    Code("docx-equation", (WARNING,), "une équation que la fiche ne sait pas imprimer, gardée en question ouverte"),
    Code("doc-binary", (ERROR,), "un document Word 97-2003 (.doc), à enregistrer en .docx"),
    Code("rtf-file", (ERROR,), "un document RTF, à enregistrer en .docx"),
    Code("odt-file", (ERROR,), "un document OpenDocument (.odt), à enregistrer en .docx"),
    Code("docx-exists", (ERROR,), "un document Word déjà exporté et corrigé : pas écrasé sans --force"),
    Code("docx-image-format", (WARNING,), "une image du document que le livre ne sait pas imprimer (EMF, WMF)"),
    Code("docx-table", (WARNING,), "un tableau, repris une case par paragraphe"),
    Code("missing-title", (WARNING,), "un document sans titre : la fiche prend le nom du fichier"),
    Code("untracked-changes", (WARNING,), "des paragraphes modifiés sans le suivi des modifications, marqués quand même"),
    Code("fiche-changed-since-export", (ERROR,), "la fiche a changé depuis l'export du document : pas écrasée"),
    Code("soft-hyphens", (INFO,), "des césures conditionnelles retirées"),
    Code("line-breaks", (INFO,), "des sauts de ligne manuels remplacés par une espace"),
    Code("image-to-provide", (INFO,), "une image absente du livre : un cadre « image à fournir » dans le document"),
    Code("resolved-comment", (INFO,), "un commentaire résolu dans Word, non repris"),
    # ── The desk (desk/) ──
    Code("desk-too-complex", (ERROR,), "un fichier envoyé au bureau trop complexe pour être traité (mémoire, temps)"),
    Code("desk-job-failed", (ERROR,), "un travail du bureau (volume, livret, EPUB, épreuve) arrêté par le disque "
         "(plein, en lecture seule) ou par une erreur interne"),
    # ── Proofs and proofreaders' annotations (proof/, collect/) ──
    Code("unknown-fiche", (ERROR,), "une fiche demandée pour l'épreuve que le livre n'a pas"),
    Code("proof-failed", (ERROR,), "une épreuve (du bureau, de --watch) qui n'a pas pu être faite : un fichier "
         "disparu, un disque plein ou en lecture seule ; elle se refait au prochain enregistrement"),
    Code("bad-since", (ERROR,), "un --since qui n'est ni une épreuve précédente ni une révision git"),
    Code("proof-unknown", (ERROR,), "une épreuve qui n'a pas été faite à partir de ce livre (ou son plan effacé)"),
    Code("not-a-proof", (ERROR,), "un PDF qui n'est pas une épreuve de publisher"),
    Code("pdf-encrypted", (ERROR,), "un PDF protégé par un mot de passe"),
    Code("pdf-unreadable", (ERROR,), "un fichier qui n'est pas un PDF lisible"),
    Code("okular-unreadable", (ERROR,), "une archive Okular illisible"),
    Code("proof-outdated", (WARNING,), "la fiche a changé depuis l'épreuve annotée : les lignes ont pu bouger"),
    Code("fiche-changed-since-proof", (ERROR,), "la fiche a changé depuis l'épreuve : annotations non appliquées"),
    Code("annotation-note", (NOTE,), "une note d'un relecteur (ou une zone de texte)"),
    Code("annotation-highlight", (NOTE,), "un passage surligné par un relecteur"),
    Code("annotation-underline", (NOTE,), "un passage souligné par un relecteur"),
    Code("annotation-squiggly", (NOTE,), "un passage souligné d'une vague par un relecteur"),
    Code("annotation-strikeout", (NOTE,), "un passage barré par un relecteur"),
    Code("annotation-caret", (NOTE,), "des mots à insérer, selon un relecteur"),
    Code("annotation-replace", (NOTE,), "des mots barrés et leur remplacement, selon un relecteur"),
    Code("annotation-outside", (NOTE,), "une annotation hors du texte des fiches"),
    Code("annotations-applied", (INFO,), "des annotations écrites dans la fiche en CriticMarkup"),
    Code("annotation-applied-already", (INFO,), "une annotation déjà appliquée, pas deux fois"),
    Code("annotation-at-line-end", (INFO,), "une annotation dont les mots n'ont pas été retrouvés, notée en fin de ligne"),
    Code("annotation-not-applied", (INFO,), "une annotation hors du texte, à reporter à la main"),
)

OPEN_QUESTIONS = tuple(code.name for code in CODES.values() if code.stops_print)
SEVERITY_WORDS = {ERROR: "erreur", WARNING: "avertissement", INFO: "remarque", NOTE: "note"}


def readme_rows() -> list[str]:
    """The README's table of codes, a row each, as this registry says them."""
    return [f"| `{c.name}` | {' ou '.join(SEVERITY_WORDS[s] for s in c.severities)} | "
            f"{'oui' if c.stops_print else ''} | {c.description} |" for c in CODES.values()]

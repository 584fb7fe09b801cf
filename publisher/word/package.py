"""A Word document opened with care: is it one we may read, and what pandoc will not tell us.

pandoc reads the text; from the package itself we take what it leaves out: the document's
properties, the thread and the resolved state of each comment, every paragraph (pandoc drops
the empty ones, and the report must name them), and runs of spaces (pandoc folds them).
:func:`open_docx` refuses, with a located error, what we must not read: a Word 97 file, an
encrypted, corrupt, huge or too complex one. What it reads with a word of warning (macros never run,
links to files, fields, Strict Open XML…) it says in ``Package.notes``; ``wild`` sets the copy right.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from ..diagnostics import Diagnostic, PublisherError, error, info, warning
from ..model import SourceLocation
from . import wild
from .pandoc import too_complex
from .ooxml import GOES_ON, KEPT_SPACE, MC, PACKAGE_RELS, PARA_CLOSE, PARA_OPEN, W, W14, W15

CORE = {"cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
        "dc": "http://purl.org/dc/elements/1.1/"}
CUSTOM = {"c": "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"}

MAX_BYTES = 50_000_000          # a fiche with its photos is well under 10 MB
MAX_UNPACKED = 300_000_000      # what a .docx may unpack to (a zip can hide a lot)
CFB = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"     # Word 97-2003, and encrypted Office files
ZIP = b"PK\x03\x04"
RTF = b"{\\rtf"
WORD_SUFFIXES = {".docx", ".docm", ".dotx", ".dotm", ".doc", ".dot", ".odt", ".rtf"}

# A document saved as « Strict Open XML » names its vocabularies otherwise: read as the usual ones.
STRICT = re.compile(rb"http://purl\.oclc\.org/ooxml/([A-Za-z]+)/")
MAX_DOCUMENT_XML = 20_000_000   # a fiche's text is under 1 MB of XML; pandoc would need some 1.6 GB for this


@dataclass(frozen=True)
class Comment:
    id: str
    author: str
    date: str
    text: str
    para_id: str          # the w14:paraId of its last paragraph, which commentsExtended names
    parent: str           # the para_id of the comment it answers ("" for a thread's first)
    done: bool            # marked resolved


@dataclass(frozen=True)
class Paragraph:
    number: int           # 1 for the document's first paragraph
    text: str             # as it reads, with tracked deletions, for the report

    @property
    def empty(self) -> bool:
        return not self.text.strip(" \t\u00a0\u202f\u2009")


@dataclass(frozen=True)
class Properties:
    title: str
    keywords: str
    custom: dict[str, str]


@dataclass(frozen=True)
class Package:
    shown: str
    properties: Properties
    comments: dict[str, Comment]
    paragraphs: tuple[Paragraph, ...]
    media: dict[str, bytes]           # "media/image1.png" (as pandoc names it) → bytes
    prepared: bytes                   # the copy pandoc reads: paragraph numbers and kept spaces marked
    notes: tuple[Diagnostic, ...] = ()           # what opening it found to say (macros, fields, links…)
    margins: tuple[tuple[str, str], ...] = ()    # (« en-tête » or « pied de page », its words), not imported

    def at(self, number: int = 1) -> SourceLocation:
        return SourceLocation(self.shown, number)


def is_word_file(path: Path) -> bool:
    """A word processor's file rather than a website export: by its first bytes, or its name."""
    try:
        with open(path, "rb") as f:
            head = f.read(8)
    except OSError:
        return path.suffix.lower() in WORD_SUFFIXES
    return head.startswith((ZIP, CFB, RTF)) or path.suffix.lower() in WORD_SUFFIXES


def refuse(shown: str, code: str, message: str, number: int = 1) -> PublisherError:
    return PublisherError(error(SourceLocation(shown, number), code, message))


def open_docx(path: Path, shown: str) -> Package:
    if not path.is_file():
        raise refuse(shown, "missing-file", "document introuvable : vérifiez le chemin")
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise refuse(shown, "docx-too-large",
                     f"ce document fait {size // 1_000_000} Mo (limite : {MAX_BYTES // 1_000_000} Mo) : "
                     "réduisez ses images (Fichier › Compresser les images) et réessayez")
    data = path.read_bytes()
    if data.startswith(CFB):
        if "EncryptionInfo".encode("utf-16-le") in data or "EncryptedPackage".encode("utf-16-le") in data:
            raise refuse(shown, "docx-encrypted", "ce document est protégé par un mot de passe : "
                         "enregistrez-en une copie sans mot de passe (Fichier › Informations › Protéger) et importez-la")
        raise refuse(shown, "doc-binary", "c'est un document Word 97-2003 (.doc), que publisher ne lit pas : "
                     "ouvrez-le dans Word ou LibreOffice et enregistrez-le au format .docx")
    if data.startswith(RTF):
        raise refuse(shown, "rtf-file", "c'est un document RTF : ouvrez-le et enregistrez-le au format .docx")
    if not data.startswith(ZIP):
        raise refuse(shown, "docx-corrupt", "ce fichier n'est pas un document Word (.docx) lisible : "
                     "il est peut-être abîmé ; ouvrez-le dans Word et enregistrez-le à nouveau")
    notes: list[Diagnostic] = []
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
        if any(i.filename.endswith(".xml") and i.file_size > MAX_DOCUMENT_XML for i in archive.infolist()):
            largest = max(i.file_size for i in archive.infolist())
            raise too_complex(shown, f"une de ses parties fait {largest // 1_000_000} Mo de XML (le texte d'une fiche, "
                              "moins d'un)")
        if sum(i.file_size for i in archive.infolist()) > MAX_UNPACKED:
            raise refuse(shown, "docx-too-large", "ce document se décompresse en plus de "
                         f"{MAX_UNPACKED // 1_000_000} Mo : ce n'est pas une fiche ; vérifiez le fichier")
        if "content.xml" in names and "[Content_Types].xml" not in names:
            raise refuse(shown, "odt-file", "c'est un document OpenDocument (.odt) : ouvrez-le dans "
                         "LibreOffice et enregistrez-le au format Word (.docx)")
        parts = {name: archive.read(name) for name in names if not name.endswith("/")}
    except zipfile.BadZipFile:
        raise refuse(shown, "docx-corrupt", "ce document Word est abîmé (archive illisible) : "
                     "ouvrez-le dans Word, qui proposera de le réparer, et enregistrez-le à nouveau") from None
    except (zipfile.LargeZipFile, NotImplementedError, RuntimeError, EOFError, ValueError, OSError):
        raise refuse(shown, "docx-corrupt", "ce document Word est abîmé (une partie ne se décompresse pas) : "
                     "ouvrez-le dans Word et enregistrez-le à nouveau") from None
    if any(STRICT.search(parts[name]) for name in parts if name.endswith((".xml", ".rels"))):
        parts = {name: STRICT.sub(rb"http://schemas.openxmlformats.org/\1/2006/", content)
                 if name.endswith((".xml", ".rels")) else content for name, content in parts.items()}
        notes.append(info(SourceLocation(shown, 1), "docx-strict", "document enregistré au format « Strict Open "
                          "XML » : lu comme un document Word ordinaire"))
    parts = main_part_at_its_usual_name(parts, shown)
    if "word/vbaProject.bin" in parts or b"document.macroEnabled" in parts.get("[Content_Types].xml", b""):
        parts.pop("word/vbaProject.bin", None)
        parts["[Content_Types].xml"] = parts.get("[Content_Types].xml", b"").replace(b".macroEnabled.main+xml",
                                                                                       b".main+xml")
        notes.append(warning(SourceLocation(shown, 1), "docx-macros", "ce document contient des macros : elles "
                             "ne sont jamais lancées, seul son texte est importé"))
    if len(parts["word/document.xml"]) > MAX_DOCUMENT_XML:
        raise too_complex(shown, f"son texte fait {len(parts['word/document.xml']) // 1_000_000} Mo de XML "
                          "(celui d'une fiche, moins d'un)")
    document = xml(parts, "word/document.xml", shown)
    paragraphs = mark_paragraphs(document, blank_bullets(parts, shown))
    for found in wild.tidy(document, parts.get("word/_rels/document.xml.rels")):
        notes.append(said_of(found, shown))
    notes_text = any(runs(xml(parts, name, shown)) for name in ("word/footnotes.xml", "word/endnotes.xml")
                     if name in parts)
    if all(p.empty for p in paragraphs) and next(document.iter(f"{{{W}}}drawing"), None) is None and not notes_text:
        raise refuse(shown, "docx-empty", "ce document n'a pas de texte : est-ce le bon fichier ?")
    prepared = dict(parts)
    prepared["word/document.xml"] = etree.tostring(document, xml_declaration=True, encoding="UTF-8",
                                                   standalone=True)
    for name in ("word/footnotes.xml", "word/endnotes.xml"):
        if name in parts:
            notes_xml = xml(parts, name, shown)
            for p in notes_xml.iter(f"{{{W}}}p"):
                keep_spaces(p)
            prepared[name] = etree.tostring(notes_xml, xml_declaration=True, encoding="UTF-8", standalone=True)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
        for name, content in prepared.items():
            copy.writestr(name, content)
    media = {name[len("word/"):]: content for name, content in parts.items() if name.startswith("word/media/")}
    return Package(shown, properties(parts, shown), comments(parts, shown), tuple(paragraphs), media,
                   out.getvalue(), tuple(notes), margins(parts, shown))


def main_part_at_its_usual_name(parts: dict[str, bytes], shown: str) -> dict[str, bytes]:
    """The document's main part under ``word/document.xml``, where the package's relationships
    (``_rels/.rels``) may have put it elsewhere (« word/document2.xml »)."""
    if "word/document.xml" in parts:
        return parts
    main = ""
    if "_rels/.rels" in parts:
        for rel in etree.fromstring(parts["_rels/.rels"]).iter(f"{{{PACKAGE_RELS}}}Relationship"):
            if rel.get("Type", "").endswith("/officeDocument"):
                main = rel.get("Target", "").lstrip("/")
    if not main or main not in parts:
        raise refuse(shown, "docx-corrupt", "ce fichier compressé n'est pas un document Word : "
                     "il lui manque le texte (word/document.xml)")
    folder, name = main.rsplit("/", 1) if "/" in main else ("", main)
    moved = dict(parts)
    moved["word/document.xml"] = moved.pop(main)
    if f"{folder}/_rels/{name}.rels" in moved:
        moved["word/_rels/document.xml.rels"] = moved.pop(f"{folder}/_rels/{name}.rels")
    moved["_rels/.rels"] = moved["_rels/.rels"].replace(main.encode(), b"word/document.xml")
    moved["[Content_Types].xml"] = moved.get("[Content_Types].xml", b"").replace(f"/{main}".encode(),
                                                                                 b"/word/document.xml")
    return moved


def runs(root) -> bool:
    """Whether a part has text (a note's own, not its separators)."""
    return any((t.text or "").strip() for t in root.iter(f"{{{W}}}t"))


def said_of(found, shown: str) -> Diagnostic:
    where = SourceLocation(shown, found.paragraph)
    if found.kind == "field":
        return info(where, "docx-field", f"un champ ({found.what.split(' ')[0]}) ; ce qu'il affiche, « {found.text} », "
                    "est gardé comme texte")
    if found.kind == "ruby":
        return info(where, "docx-ruby", f"« {found.text} » porte une annotation (ruby) « {found.what} », gardée "
                    "entre parenthèses")
    if found.kind == "link":
        return warning(where, "docx-external", "un lien vers un fichier hors du "
                       f"document ({found.what}) : ses mots « {found.text} » sont gardés, pas le lien ; donnez une "
                       "adresse web (https://…) si elle existe")
    return warning(where, "docx-external", "une image liée, pas incorporée "
                   f"({found.what}), que publisher ne va pas chercher : un cadre « Image à fournir » est à sa place ; "
                   "déposez l'image dans images/ sous le nom que la fiche lui donne")


def margins(parts: dict[str, bytes], shown: str) -> tuple[tuple[str, str], ...]:
    """The words of the page headers and footers, which a fiche does not take (the book makes its own)."""
    out = []
    for name in sorted(parts):
        kind = "en-tête" if re.fullmatch(r"word/header\d*\.xml", name) else \
            "pied de page" if re.fullmatch(r"word/footer\d*\.xml", name) else ""
        if kind:
            text = " ".join(" ".join(t.text or "" for t in p.iter(f"{{{W}}}t")).strip()
                            for p in xml(parts, name, shown).iter(f"{{{W}}}p")).strip()
            if text:
                out.append((kind, " ".join(text.split())))
    return tuple(out)


def xml(parts: dict[str, bytes], name: str, shown: str):
    try:
        return etree.fromstring(parts[name], etree.XMLParser(resolve_entities=False, no_network=True,
                                                              huge_tree=False))
    except etree.XMLSyntaxError as exc:
        raise refuse(shown, "docx-corrupt", f"ce document Word est abîmé ({name}, ligne {exc.lineno}) : "
                     "ouvrez-le dans Word et enregistrez-le à nouveau") from None


def own_texts(p):
    """The text nodes of a paragraph, not those of a paragraph inside it (a text box)."""
    for node in p.iter(f"{{{W}}}t", f"{{{W}}}delText"):
        if next(node.iterancestors(f"{{{W}}}p")) is p:
            yield node


def keep_spaces(p) -> str:
    """Mark the spaces pandoc would fold (a second space, spaces at either end); returns the text."""
    nodes = list(own_texts(p))
    text = "".join(n.text or "" for n in nodes)
    end = len(text.rstrip(" "))
    pos, before = 0, " "            # a paragraph's first space is one to keep
    for n in nodes:
        chars = list(n.text or "")
        for i, c in enumerate(chars):
            if c == " " and (before in (" ", KEPT_SPACE) or pos >= end):
                chars[i] = KEPT_SPACE
            before = chars[i]
            pos += 1
        if n.text:
            n.text = "".join(chars)
    return text


def blank_bullets(parts: dict[str, bytes], shown: str) -> set[tuple[str, str]]:
    """The (list, level) pairs whose bullet is blank: the second paragraph of a list item
    (pandoc writes it so, and reads it back as a list of its own)."""
    if "word/numbering.xml" not in parts:
        return set()
    numbering = xml(parts, "word/numbering.xml", shown)
    blank = set()
    for abstract in numbering.iter(f"{{{W}}}abstractNum"):
        for lvl in abstract.iter(f"{{{W}}}lvl"):
            fmt, text = lvl.find(f"{{{W}}}numFmt"), lvl.find(f"{{{W}}}lvlText")
            if fmt is not None and fmt.get(f"{{{W}}}val") == "bullet" and (
                    text is None or not (text.get(f"{{{W}}}val") or "").strip()):
                blank.add((abstract.get(f"{{{W}}}abstractNumId"), lvl.get(f"{{{W}}}ilvl")))
    out = set()
    for num in numbering.iter(f"{{{W}}}num"):
        abstract = num.find(f"{{{W}}}abstractNumId")
        for key, level in blank:
            if abstract is not None and abstract.get(f"{{{W}}}val") == key:
                out.add((num.get(f"{{{W}}}numId"), level))
    return out


def mark_paragraphs(document, blank: set[tuple[str, str]]) -> list[Paragraph]:
    """Number every paragraph of the body, in the copy pandoc reads: it will tell us where each went."""
    out = []
    for p in document.iter(f"{{{W}}}p"):
        if any(a.tag == f"{{{MC}}}Fallback" for a in p.iterancestors()):
            continue                 # the old drawing of a text box Word keeps beside the new one
        text = keep_spaces(p)
        number = len(out) + 1
        goes_on = list_level(p) in blank
        run = etree.Element(f"{{{W}}}r")
        etree.SubElement(run, f"{{{W}}}t").text = f"{PARA_OPEN}{number}{GOES_ON if goes_on else ''}{PARA_CLOSE}"
        properties_ = p.find(f"{{{W}}}pPr")
        p.insert(0 if properties_ is None else p.index(properties_) + 1, run)
        out.append(Paragraph(number, text.replace(KEPT_SPACE, " ")))
    return out


def list_level(p) -> tuple[str, str]:
    """The (list, level) a paragraph belongs to, ("", "") if none."""
    num = p.find(f"{{{W}}}pPr/{{{W}}}numPr")
    if num is None:
        return "", ""
    values = [num.find(f"{{{W}}}{k}") for k in ("numId", "ilvl")]
    return tuple(v.get(f"{{{W}}}val", "") if v is not None else "0" for v in values)  # type: ignore[return-value]


def properties(parts: dict[str, bytes], shown: str) -> Properties:
    title = keywords = ""
    if "docProps/core.xml" in parts:
        core = xml(parts, "docProps/core.xml", shown)
        title = core.findtext("dc:title", "", CORE).strip()
        keywords = core.findtext("cp:keywords", "", CORE).strip()
    custom = {}
    if "docProps/custom.xml" in parts:
        for prop in xml(parts, "docProps/custom.xml", shown).iterfind("c:property", CUSTOM):
            custom[prop.get("name", "")] = "".join(prop.itertext()).strip()
    return Properties(title, keywords, custom)


def comments(parts: dict[str, bytes], shown: str) -> dict[str, Comment]:
    """Every comment, with the thread and resolved state Word keeps beside it (commentsExtended)."""
    if "word/comments.xml" not in parts:
        return {}
    extended = {}
    if "word/commentsExtended.xml" in parts:
        for ex in xml(parts, "word/commentsExtended.xml", shown).iter(f"{{{W15}}}commentEx"):
            extended[ex.get(f"{{{W15}}}paraId")] = (ex.get(f"{{{W15}}}paraIdParent", ""),
                                                    ex.get(f"{{{W15}}}done") in ("1", "true"))
    out = {}
    for c in xml(parts, "word/comments.xml", shown).iter(f"{{{W}}}comment"):
        paras = c.findall(f"{{{W}}}p")
        para_id = paras[-1].get(f"{{{W14}}}paraId", "") if paras else ""
        parent, done = extended.get(para_id, ("", False))
        text = "\n".join("".join(t.text or "" for t in p.iter(f"{{{W}}}t")) for p in paras)
        cid = c.get(f"{{{W}}}id", "")
        out[cid] = Comment(cid, c.get(f"{{{W}}}author", ""), c.get(f"{{{W}}}date", ""), text.strip(),
                           para_id, parent, done)
    return out

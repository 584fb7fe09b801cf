"""A Word document opened with care: is it one we may read, and what pandoc will not tell us.

pandoc reads the text; from the package itself we take what it leaves out: the document's
properties, the thread and the resolved state of each comment, every paragraph (pandoc drops
the empty ones, and the report must name them), and runs of spaces (pandoc folds them).
:func:`open_docx` refuses, with a located error, what we must not read: a Word 97 file, an
encrypted, corrupt or huge one, one with macros, one that points outside itself.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from ..diagnostics import PublisherError, error
from ..model import SourceLocation

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
W15 = "http://schemas.microsoft.com/office/word/2012/wordml"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
CORE = {"cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
        "dc": "http://purl.org/dc/elements/1.1/"}
CUSTOM = {"c": "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"}

MAX_BYTES = 50_000_000          # a fiche with its photos is well under 10 MB
MAX_UNPACKED = 300_000_000      # what a .docx may unpack to (a zip can hide a lot)
CFB = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"     # Word 97-2003, and encrypted Office files
ZIP = b"PK\x03\x04"
RTF = b"{\\rtf"
WORD_SUFFIXES = {".docx", ".docm", ".dotx", ".dotm", ".doc", ".dot", ".odt", ".rtf"}

# Marks put into the copy pandoc reads, outside any text a document can hold (Private Use Area):
# the number of each paragraph at its start, and the spaces pandoc would fold.
PARA_OPEN, PARA_CLOSE, KEPT_SPACE, GOES_ON = "\ue001", "\ue002", "\ue000", "\ue003"
PARA_MARK = re.compile(f"{PARA_OPEN}(\\d+)({GOES_ON}?){PARA_CLOSE}")
# Links that leave the document; anything else (file:, a path) would point at a file on someone's disk.
WEB_LINK = re.compile(r"^(?:https?://|mailto:|fiche:|#)", re.IGNORECASE)
EXTERNAL_FIELD = re.compile(r"\b(INCLUDEPICTURE|INCLUDETEXT|LINK|RD)\b")


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
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
        if sum(i.file_size for i in archive.infolist()) > MAX_UNPACKED:
            raise refuse(shown, "docx-too-large", "ce document se décompresse en plus de "
                         f"{MAX_UNPACKED // 1_000_000} Mo : ce n'est pas une fiche ; vérifiez le fichier")
        if "word/document.xml" not in names:
            if "content.xml" in names:
                raise refuse(shown, "odt-file", "c'est un document OpenDocument (.odt) : ouvrez-le dans "
                             "LibreOffice et enregistrez-le au format Word (.docx)")
            raise refuse(shown, "docx-corrupt", "ce fichier compressé n'est pas un document Word : "
                         "il lui manque le texte (word/document.xml)")
        if "word/vbaProject.bin" in names or b"macroEnabled" in archive.read("[Content_Types].xml"):
            raise refuse(shown, "docx-macros", "ce document contient des macros, que publisher n'ouvre pas : "
                         "enregistrez-le comme « Document Word (.docx) », sans macros, et importez cette copie")
        parts = {name: archive.read(name) for name in names if not name.endswith("/")}
    except zipfile.BadZipFile:
        raise refuse(shown, "docx-corrupt", "ce document Word est abîmé (archive illisible) : "
                     "ouvrez-le dans Word, qui proposera de le réparer, et enregistrez-le à nouveau") from None
    except (zipfile.LargeZipFile, NotImplementedError, RuntimeError, EOFError, ValueError, OSError):
        raise refuse(shown, "docx-corrupt", "ce document Word est abîmé (une partie ne se décompresse pas) : "
                     "ouvrez-le dans Word et enregistrez-le à nouveau") from None
    document = xml(parts, "word/document.xml", shown)
    paragraphs = mark_paragraphs(document, blank_bullets(parts, shown))
    check_outside(parts, document, shown)
    if all(p.empty for p in paragraphs) and next(document.iter(f"{{{W}}}drawing"), None) is None:
        raise refuse(shown, "docx-empty", "ce document n'a pas de texte : est-ce le bon fichier ?")
    prepared = dict(parts)
    prepared["word/document.xml"] = etree.tostring(document, xml_declaration=True, encoding="UTF-8",
                                                   standalone=True)
    for name in ("word/footnotes.xml", "word/endnotes.xml"):
        if name in parts:
            notes = xml(parts, name, shown)
            for p in notes.iter(f"{{{W}}}p"):
                keep_spaces(p)
            prepared[name] = etree.tostring(notes, xml_declaration=True, encoding="UTF-8", standalone=True)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
        for name, content in prepared.items():
            copy.writestr(name, content)
    media = {name[len("word/"):]: content for name, content in parts.items() if name.startswith("word/media/")}
    return Package(shown, properties(parts, shown), comments(parts, shown), tuple(paragraphs), media,
                   out.getvalue())


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


def paragraph_of(node) -> int:
    """The number mark_paragraphs gave the paragraph holding ``node`` (1 if none)."""
    for p in node.iterancestors(f"{{{W}}}p"):
        for t in p.iter(f"{{{W}}}t"):
            match = PARA_MARK.match(t.text or "")
            if match:
                return int(match.group(1))
    return 1


def check_outside(parts: dict[str, bytes], document, shown: str) -> None:
    """Nothing is ever fetched; a document that needs something from outside is refused, located."""
    rels = parts.get("word/_rels/document.xml.rels")
    outside = {}
    if rels:
        for rel in etree.fromstring(rels).iter(f"{{{PACKAGE_RELS}}}Relationship"):
            if rel.get("TargetMode") != "External":
                continue
            kind, target = rel.get("Type", "").rsplit("/", 1)[-1], rel.get("Target", "")
            if kind == "hyperlink" and WEB_LINK.match(target):
                continue
            outside[rel.get("Id")] = (kind, target)
    for node in document.iter():
        for attribute in (f"{{{R}}}id", f"{{{R}}}link", f"{{{R}}}embed"):
            found = outside.get(node.get(attribute))
            if found:
                kind, target = found
                what, fix = (("un lien vers un fichier", "remplacez-le par une adresse web (https://…), ou retirez-le")
                             if kind == "hyperlink" else
                             ("une image liée (non incorporée)", "incorporez-la (Insertion › Image, sans « Lier au "
                              "fichier »)"))
                raise refuse(shown, "docx-external",
                             f"paragraphe {paragraph_of(node)} : {what} hors du document ({target}), que publisher "
                             f"n'ira pas chercher : {fix}", paragraph_of(node))
    for node in document.iter(f"{{{W}}}instrText", f"{{{W}}}fldSimple"):
        code = node.text if node.tag == f"{{{W}}}instrText" else node.get(f"{{{W}}}instr")
        if code and EXTERNAL_FIELD.search(code):
            raise refuse(shown, "docx-external",
                         f"paragraphe {paragraph_of(node)} : un champ qui va chercher un fichier ailleurs "
                         f"({code.strip()[:60]}) : remplacez-le par son contenu (Ctrl+Maj+F9)", paragraph_of(node))


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

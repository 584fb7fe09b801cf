"""Word documents of the kinds found in the wild, made here with python-docx and a few lines of
WordprocessingML, as Word writes them: each function saves one document under ``folder`` and
returns its path. Nothing is copied from elsewhere; run this module to write them all to a folder
and open them in Word or LibreOffice (``python -m tests.word.wild /tmp/wild``)."""

from __future__ import annotations

import io
import re
import sys
import zipfile
from pathlib import Path

import docx
from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
M = "http://schemas.openxmlformats.org/officeDocument/2006/math"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
NS = f'xmlns:w="{W}" xmlns:m="{M}" xmlns:r="{R}"'
TITLE = "2019 – Une fiche venue d’ailleurs"
LEAD = "Le premier paragraphe de la fiche, qui sert de chapeau."


def t(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


def new(title: str = TITLE, *paragraphs: str) -> docx.document.Document:
    """A document with its title, its chapeau, then ``paragraphs`` (the inside of each ``w:p``)."""
    d = docx.Document()
    if title:
        d.add_heading(title, level=1)
        d.add_paragraph(LEAD)
    body = d.element.body
    for inside in paragraphs:
        body.insert(len(body) - 1, etree.fromstring(f"<w:p {NS}>{inside}</w:p>"))
    return d


def saved(d, path: Path, parts: dict[str, bytes] | None = None, rename=None) -> Path:
    """Save ``d``, then add ``parts`` (name → content, with their relationship and content type) and
    pass every part through ``rename(name, data) → (name, data)``."""
    buffer = io.BytesIO()
    d.save(buffer)
    with zipfile.ZipFile(buffer) as z:
        contents = {name: z.read(name) for name in z.namelist()}
    for name, data in (parts or {}).items():
        contents[name] = data
        kind = name.rsplit("/", 1)[-1].removesuffix(".xml")
        contents["word/_rels/document.xml.rels"] = contents["word/_rels/document.xml.rels"].replace(
            b"</Relationships>", f'<Relationship Id="rIdWild{kind}" Type="{R}/{kind}" Target="{kind}.xml"/>'
                                  "</Relationships>".encode())
        contents["[Content_Types].xml"] = contents["[Content_Types].xml"].replace(
            b"</Types>", f'<Override PartName="/{name}" ContentType="application/vnd.openxmlformats-'
                         f'officedocument.wordprocessingml.{kind}+xml"/></Types>'.encode())
    if rename:
        contents = dict(rename(name, data) for name, data in contents.items())
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in contents.items():
            z.writestr(name, data)
    return path


# ── the kinds ──

def wrapped_runs(folder: Path) -> Path:
    """Runs inside bidirectional, custom XML and smart-tag elements."""
    return saved(new(TITLE,
                     t("Avant ") + '<w:dir w:val="rtl">' + t("texte de droite à gauche") + "</w:dir>" + t(" après."),
                     t("Un ") + '<w:bdo w:val="rtl">' + t("passage bidirectionnel") + "</w:bdo>" + t(" ici."),
                     '<w:customXml w:element="lieu">' + t("Texte dans un élément personnalisé") + "</w:customXml>"
                     + t(" et la suite."),
                     t("Rendez-vous à ") + '<w:smartTag w:uri="urn:schemas:contacts" w:element="City">'
                     + t("Namur") + "</w:smartTag>" + t(" en mai.")),
                 folder / "enveloppes.docx")


def ruby(folder: Path) -> Path:
    return saved(new(TITLE, t("Le mot ") + '<w:r><w:ruby><w:rubyPr><w:rubyAlign w:val="center"/></w:rubyPr>'
                     + "<w:rt>" + t("furigana") + "</w:rt><w:rubyBase>" + t("kanji") + "</w:rubyBase></w:ruby></w:r>"
                     + t(" porte sa lecture.")),
                 folder / "ruby.docx")


def complex_field(code: str, shown: str) -> str:
    return ('<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
            f'<w:r><w:instrText xml:space="preserve"> {code} </w:instrText></w:r>'
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r>' + t(shown)
            + '<w:r><w:fldChar w:fldCharType="end"/></w:r>')


def fields(folder: Path) -> Path:
    """A creation date, a document property, a page reference (complex fields), a mail-merge field
    (a simple one) and a hyperlink made by a field."""
    return saved(new(TITLE,
                     t("Daté du ") + complex_field('CREATEDATE \\@ "d MMMM yyyy"', "3 mars 2019")
                     + t(", par ") + f'<w:fldSimple w:instr=" AUTHOR ">{t("Anne Dupont")}</w:fldSimple>' + t("."),
                     t("Voir la page ") + complex_field("PAGEREF _Toc1 \\h", "12") + t(" du rapport annuel."),
                     t("Chère ") + f'<w:fldSimple w:instr=" MERGEFIELD Prenom ">{t("Mariette")}</w:fldSimple>'
                     + t(", merci."),
                     t("Le site ") + complex_field('HYPERLINK "https://www.cainamur.be"', "du Centre")
                     + t(" dit tout."),
                     t("Le compte rendu ") + complex_field('HYPERLINK "file:///C:/Users/anne/compte-rendu.docx"',
                                                           "est sur mon disque") + t(".")),
                 folder / "champs.docx")


def with_macros(folder: Path, of_an_object_only: bool = False) -> Path:
    """A .docm with its VBA project, or a .docx holding a spreadsheet with macros (the document has none)."""
    d = new(TITLE, t("Un paragraphe ordinaire dans un document à macros."))

    def rename(name, data):
        if name == "[Content_Types].xml":
            if of_an_object_only:
                data = data.replace(b"</Types>", b'<Default Extension="xlsm" ContentType="application/'
                                    b'vnd.ms-excel.sheet.macroEnabled.12"/></Types>')
            else:
                data = data.replace(b"document.main+xml", b"document.macroEnabled.main+xml").replace(
                    b"</Types>", b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
                    b"</Types>")
        return name, data

    extra = {"word/embeddings/classeur.xlsm": b"PK\x05\x06" + bytes(18)} if of_an_object_only else \
        {"word/vbaProject.bin": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 VBA"}
    path = folder / ("objet-a-macros.docx" if of_an_object_only else "macros.docm")
    saved(d, path, rename=rename)
    with zipfile.ZipFile(path, "a") as z:
        for name, data in extra.items():
            z.writestr(name, data)
    return path


TRANSITIONAL_TO_STRICT = [(re.escape(f"http://schemas.openxmlformats.org/{kind}/2006/").encode(),
                           f"http://purl.oclc.org/ooxml/{kind}/".encode())
                          for kind in ("wordprocessingml", "officeDocument", "drawingml")]


def strict(folder: Path) -> Path:
    """Saved as « Strict Open XML »: the same markup under the ISO vocabularies' names."""
    def rename(name, data):
        if name.endswith((".xml", ".rels")):
            for old, new_ in TRANSITIONAL_TO_STRICT:
                data = re.sub(old, new_, data)
        return name, data
    return saved(new(TITLE, t("Un texte enregistré au format strict.")), folder / "strict.docx", rename=rename)


def main_part_elsewhere(folder: Path) -> Path:
    """The body under another name, which the package's relationships declare."""
    def rename(name, data):
        if name in ("_rels/.rels", "[Content_Types].xml"):
            data = data.replace(b"word/document.xml", b"word/corps.xml")
        return {"word/document.xml": "word/corps.xml",
                "word/_rels/document.xml.rels": "word/_rels/corps.xml.rels"}.get(name, name), data
    return saved(new(TITLE, t("Le corps du document porte un autre nom.")), folder / "autre-nom.docx", rename=rename)


def footnotes_part(*notes: str) -> bytes:
    """``notes``: the inside of each note's ``w:footnote`` (its paragraphs)."""
    items = "".join(f'<w:footnote w:id="{k}">{inside}</w:footnote>' for k, inside in enumerate(notes, start=1))
    return (f'<w:footnotes {NS}><w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p>'
            '</w:footnote><w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/>'
            f"</w:r></w:p></w:footnote>{items}</w:footnotes>").encode()


def call(k: int) -> str:
    return f'<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteReference w:id="{k}"/></w:r>'


def note_paragraph(text: str, style: str = "FootnoteText") -> str:
    return (f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr>'
            f'<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteRef/></w:r>{t(text)}</w:p>')


def notes_in_blocks(folder: Path) -> Path:
    """Three notes: one in a quotation's style, two left empty; and two notes of the same words."""
    d = new(TITLE, t("Une citation") + call(1) + t(", une note vide") + call(2) + t(", une autre") + call(3)
            + t(", puis deux fois la même") + call(4) + t(" et") + call(5) + t("."))
    quotation = note_paragraph("Rapport d’activité, p. 4 : « un lieu ouvert à tous ».", "Quote")
    empty = '<w:p><w:pPr><w:pStyle w:val="FootnoteText"/></w:pPr><w:r><w:footnoteRef/></w:r></w:p>'
    same = note_paragraph("Archives du Centre.")
    return saved(d, folder / "notes-citees.docx", {"word/footnotes.xml": footnotes_part(quotation, empty, empty,
                                                                                          same, same)})


def only_a_footnote(folder: Path) -> Path:
    d = new("", call(1))
    return saved(d, folder / "seulement-une-note.docx",
                 {"word/footnotes.xml": footnotes_part(note_paragraph("Tout le texte est dans cette note."))})


def picture(width: int = 40, height: int = 30) -> io.BytesIO:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 120, 40)).save(out, "PNG")
    out.seek(0)
    return out


def title_without_latin_letters(folder: Path, title: str, file_name: str) -> Path:
    d = new(title, t("Un texte sous un titre sans lettres latines."))
    d.add_picture(picture())
    return saved(d, folder / file_name)


def headers_and_footers(folder: Path) -> Path:
    d = new(TITLE, t("Le texte de la fiche."))
    section = d.sections[0]
    section.header.paragraphs[0].text = "Centre d’action interculturelle — brouillon"
    section.footer.paragraphs[0].text = "Document interne, ne pas diffuser"
    return saved(d, folder / "en-tetes.docx")


def comments_part(*comments: tuple[str, str]) -> bytes:
    items = "".join(f'<w:comment w:id="{k}" w:author="{who}" w:date="2026-11-02T10:00:00Z" w:initials="X">'
                    f"<w:p>{t(text)}</w:p></w:comment>" for k, (who, text) in enumerate(comments))
    return f"<w:comments {NS}>{items}</w:comments>".encode()


def comment_ending_between_paragraphs(folder: Path) -> Path:
    """Word ends a comment on a whole paragraph after its paragraph mark: between two paragraphs."""
    d = new(TITLE, '<w:commentRangeStart w:id="0"/>' + t("Le paragraphe commenté en entier."),
            '<w:r><w:commentReference w:id="0"/></w:r>' + t("Le paragraphe suivant."))
    body = d.element.body
    second = body.findall(f"{{{W}}}p")[-1]
    second.addprevious(etree.fromstring(f'<w:commentRangeEnd {NS} w:id="0"/>'))
    return saved(d, folder / "commentaire-entre.docx",
                 {"word/comments.xml": comments_part(("Claire", "Vérifier ce paragraphe avec la direction"))})


def equations(folder: Path) -> Path:
    omml = ('<m:oMath><m:r><m:t>E=m</m:t></m:r><m:sSup><m:e><m:r><m:t>c</m:t></m:r></m:e>'
            '<m:sup><m:r><m:t>2</m:t></m:r></m:sup></m:sSup></m:oMath>')
    return saved(new(TITLE, t("La formule ") + omml + t(" reste célèbre.")), folder / "equation.docx")


def layout_paragraphs(folder: Path, count: int = 60) -> Path:
    """A document laid out with empty paragraphs (the way many space their pages)."""
    return saved(new(TITLE, *([""] * count), t("Le texte, enfin, après la mise en page.")),
                 folder / "mise-en-page.docx")


def large(folder: Path, paragraphs: int = 4000) -> Path:
    d = new(TITLE)
    for i in range(paragraphs):
        p = d.add_paragraph()
        for j in range(3):
            p.add_run(f"mot{j} texte {i} ").bold = j == 1
    return saved(d, folder / "gros.docx")


KINDS = {"enveloppes": wrapped_runs, "ruby": ruby, "champs": fields, "macros": with_macros, "strict": strict,
         "autre-nom": main_part_elsewhere, "notes-citees": notes_in_blocks, "seulement-une-note": only_a_footnote,
         "en-tetes": headers_and_footers, "commentaire-entre": comment_ending_between_paragraphs,
         "equation": equations, "mise-en-page": layout_paragraphs}


if __name__ == "__main__":
    target = Path(sys.argv[1])
    target.mkdir(parents=True, exist_ok=True)
    for make in KINDS.values():
        made = make(target)
        sys.stdout.write(f"{made}\n")

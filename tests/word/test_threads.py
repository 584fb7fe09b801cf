"""Word's own threads: a reply linked to its comment in commentsExtended.xml (as Word writes it;
LibreOffice 7.4 does not), wherever the reply's marks are, and a thread resolved as a whole."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import docx
import pytest
from lxml import etree

from publisher.word import import_documents

from ..conftest import VOLUME

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
W15 = "http://schemas.microsoft.com/office/word/2012/wordml"
EXTENDED = "application/vnd.openxmlformats-officedocument.wordprocessingml.commentsExtended+xml"


def threaded(path: Path, done: bool) -> None:
    """A document in which Marc answers Anne, his reply marked on other words."""
    d = docx.Document()
    d.core_properties.title = "2019 – Un fil de Word"
    p = d.add_paragraph("Premier mot ")
    asked = p.add_run("commenté")
    p.add_run(" puis ")
    answered = p.add_run("ailleurs")
    p.add_run(".")
    d.add_comment(asked, text="Question ?", author="Anne")
    d.add_comment(answered, text="Réponse.", author="Marc")
    d.save(path)
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    comments = etree.fromstring(parts["word/comments.xml"])
    for k, c in enumerate(comments.iter(f"{{{W}}}comment")):
        c.find(f"{{{W}}}p").set(f"{{{W14}}}paraId", f"0000000{k + 1}")
    parts["word/comments.xml"] = etree.tostring(comments)
    parts["word/commentsExtended.xml"] = (
        f'<w15:commentsEx xmlns:w15="{W15}"><w15:commentEx w15:paraId="00000001" w15:done="{int(done)}"/>'
        '<w15:commentEx w15:paraId="00000002" w15:paraIdParent="00000001" w15:done="0"/></w15:commentsEx>').encode()
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>", f'<Override PartName="/word/commentsExtended.xml" ContentType="{EXTENDED}"/></Types>'.encode())
    parts["word/_rels/document.xml.rels"] = parts["word/_rels/document.xml.rels"].replace(
        b"</Relationships>", b'<Relationship Id="rIdX" Type="http://schemas.microsoft.com/office/2011/relationships/'
                             b'commentsExtended" Target="commentsExtended.xml"/></Relationships>')
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)


@pytest.fixture
def book(tmp_path):
    (tmp_path / "fiches").mkdir()
    shutil.copy(VOLUME / "book.yaml", tmp_path / "book.yaml")
    return tmp_path


def test_a_reply_linked_by_word_joins_its_comment(book, tmp_path):
    threaded(tmp_path / "fil.docx", done=False)
    report = import_documents([tmp_path / "fil.docx"], book / "fiches")
    text = (book / "fiches" / "2019-un-fil-de-word.md").read_text(encoding="utf-8")
    assert "Premier mot commenté{>> Question ? — Anne <<}{>> Réponse. — Marc <<} puis ailleurs." in text
    assert [e.action for e in report.ordered() if e.action.startswith(("commentaire", "réponse"))] == \
        ["commentaire (Anne)", "réponse (Marc)"]


def test_a_resolved_thread_is_dropped_with_its_replies_and_reported(book, tmp_path):
    threaded(tmp_path / "fil.docx", done=True)
    report = import_documents([tmp_path / "fil.docx"], book / "fiches")
    text = (book / "fiches" / "2019-un-fil-de-word.md").read_text(encoding="utf-8")
    assert "{>>" not in text and "Premier mot commenté puis ailleurs." in text
    assert sorted(e.text for e in report.dropped()) == ["Question ?", "Réponse."]

"""The desk under faults: a file gone for a moment during a build, a proof that cannot be written, a book
that cannot be written to, a fiche whose front matter does not read, work past its memory or time, SIGTERM
with a page open on the live updates. Each said in French where the editor looks, nothing lost, and the
desk going on."""

from __future__ import annotations

import asyncio
import concurrent.futures.thread  # noqa: F401  loaded before the desk runs as « nobody », who cannot read it
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from contextlib import contextmanager
from pathlib import Path

import httpx2 as httpx
import lxml.html
import pikepdf
import pytest
from starlette.testclient import TestClient

from publisher.desk import Desk, make_app
from publisher.desk import work
from publisher.desk.app import MAX_SAVE
from publisher.desk.state import Shown
from publisher.diagnostics import PublisherError
from publisher.proof.trail import FOLDER

from ..conftest import MINIBOOK
from . import heavy
from .running import TOKEN, WAIT_S, form_fields, until

ORIGIN = "http://127.0.0.1"


@pytest.fixture(scope="module")
def running(served):
    return served[0]


def proof_thread_alive() -> bool:
    return any(t.name == "publisher-desk-proof" and t.is_alive() for t in threading.enumerate())


def touched(path: Path, words: str) -> None:
    """An editor's save: a sentence added at the end of the fiche."""
    path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + f"\n\n{words}\n", encoding="utf-8")


def refreshed_after(desk: Desk, drawn: int) -> None:
    until(lambda: desk.shown.drawn > drawn and not desk.shown.building and not desk.shown.refused,
          "the pages did not come back after the next save")


def test_a_fiche_gone_for_a_moment_during_a_build_is_said_and_the_next_save_refreshes(running):
    desk = running
    beta = desk.root / "fiches" / "beta.md"
    kept = beta.read_bytes()
    drawn = desk.shown.drawn
    beta.unlink()
    beta.symlink_to(desk.root / "fiches" / "beta-en-cours-d-enregistrement.md")    # listed, not readable
    until(lambda: desk.shown.refused, "the desk did not say the fiche was gone")
    [said] = desk.shown.refused
    assert said.code == "file-unreadable" and "beta.md a disparu" in said.message
    assert desk.shown.status == "Dernière mise en pages refusée" and desk.shown.drawn == drawn
    assert proof_thread_alive()
    beta.unlink()
    beta.write_bytes(kept)
    touched(desk.root / "fiches" / "alpha.md", "Une phrase écrite après le retour de beta.")
    refreshed_after(desk, drawn)
    assert any("Une phrase écrite après le retour de beta." in text for text in desk.shown.texts), desk.shown.texts


def test_a_proof_that_cannot_be_written_is_said_and_the_desk_goes_on(running):
    desk = running
    drawn = desk.shown.drawn
    desk.proof.unlink()
    desk.proof.mkdir()                                          # the proof's place taken: no PDF can go there
    try:
        touched(desk.root / "fiches" / "gamma.md", "Une phrase que la première épreuve ne peut pas montrer.")
        until(lambda: desk.shown.refused, "the desk did not say the proof could not be written")
        [said] = desk.shown.refused
        assert said.code == "proof-failed" and "elle se refera au prochain enregistrement" in said.message
        assert proof_thread_alive()
    finally:
        desk.proof.rmdir()
    touched(desk.root / "fiches" / "gamma.md", "Une autre phrase, la suivante.")
    refreshed_after(desk, drawn)
    assert any("Une autre phrase, la suivante." in text for text in desk.shown.texts)


def test_the_status_says_what_is_being_laid_out_and_up_to_date_only_after(running):
    desk = running
    seen: list[Shown] = []

    def follow():
        version = desk.shown.version
        while len(seen) < 50:
            shown = desk.wait(version, 20)
            if shown.version == version:
                return
            version = shown.version
            seen.append(shown)
            if not shown.building:
                return
    listener = threading.Thread(target=follow)
    listener.start()
    time.sleep(0.2)
    drawn = desk.shown.drawn
    touched(desk.root / "fiches" / "alpha.md", "Une phrase pour voir ce que dit la barre.")
    listener.join(WAIT_S)
    assert seen and seen[0].status == "Mise en pages de fiches/alpha.md…" and seen[0].drawn == drawn
    assert all(s.building for s in seen[:-1])
    assert seen[-1].status.startswith("À jour (") and seen[-1].drawn == drawn + 1


def test_only_the_maps_of_the_pages_shown_and_of_the_proofs_downloaded_are_kept(running):
    desk = running
    with TestClient(make_app(desk, TOKEN), base_url=ORIGIN, cookies={"publisher-bureau": TOKEN}) as client:
        downloaded = client.get("/telecharger/epreuve.pdf")
        assert downloaded.status_code == 200
        given = desk.shown.result.proof_id
        for k in range(3):
            drawn = desk.shown.drawn
            touched(desk.root / "fiches" / "beta.md", f"Encore une phrase, la numéro {k}.")
            refreshed_after(desk, drawn)
    maps = sorted(p.stem for p in (desk.root / FOLDER).glob("*.json") if p.stem not in ("bureau", "applied"))
    assert sorted(maps) == sorted({given, desk.shown.result.proof_id})
    # the proof downloaded still reads: its map is there
    from publisher.collect import collect

    copy = desk.folder / "copie.pdf"
    copy.write_bytes(downloaded.content)
    assert collect([copy], desk.root).notes is not None


@contextmanager
def written_by_nobody_else(folder: Path):
    """``folder`` read-only for the desk: its permissions, and, when the tests run as root (who may write
    anywhere), the desk's user switched to « nobody » meanwhile."""
    folder.chmod(0o555)
    root = os.geteuid() == 0
    if root:
        os.seteuid(pwd.getpwnam("nobody").pw_uid)
    try:
        yield
    finally:
        if root:
            os.seteuid(0)
        folder.chmod(0o755)


@pytest.fixture
def book_anyone_reads():
    """A copy of the mini book where another user may read (the tests' own folders are private)."""
    base = Path(tempfile.mkdtemp(prefix="publisher-desk-"))
    base.chmod(0o755)
    root = base / "book"
    shutil.copytree(MINIBOOK, root)
    for path in [root, *root.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    yield Desk(root, base / "bureau")
    shutil.rmtree(base)


def test_a_save_on_a_read_only_book_keeps_the_text_and_says_why(book_anyone_reads):
    desk = book_anyone_reads
    path = desk.root / "fiches" / "alpha.md"
    before = path.read_bytes()
    with TestClient(make_app(desk, TOKEN), base_url=ORIGIN, headers={"origin": ORIGIN},
                    cookies={"publisher-bureau": TOKEN}) as client:
        fields = form_fields(client.get("/fiches/alpha").text)
        fields["body"] = [fields["body"][0] + "\n\nMa phrase tapée qui ne doit pas se perdre.\n"]
        with written_by_nobody_else(path.parent):
            answer = client.post("/fiches/alpha", data=fields)
    assert answer.status_code == 503
    page = lxml.html.fromstring(answer.text)
    problem = page.get_element_by_id("problem").text_content()
    assert "rien n'est enregistré" in problem and "lecture seule" in problem and "Internal" not in answer.text
    assert "Ma phrase tapée qui ne doit pas se perdre." in page.get_element_by_id("body").text
    assert path.read_bytes() == before


def test_a_text_too_long_to_send_is_refused_with_the_limit_and_a_long_fiche_is_saved(book_anyone_reads):
    desk = book_anyone_reads
    path = desk.root / "fiches" / "beta.md"
    with TestClient(make_app(desk, TOKEN), base_url=ORIGIN, headers={"origin": ORIGIN},
                    cookies={"publisher-bureau": TOKEN}) as client:
        fields = form_fields(client.get("/fiches/beta").text)
        long_text = ("Le Centre d’action interculturelle accompagne les personnes étrangères et les associations "
                     "de la province de Namur, en lien avec les communes. ") * 15_000
        assert len(long_text) > 2_000_000
        fields["body"] = [long_text]
        saved = client.post("/fiches/beta", data=fields, follow_redirects=False)
        assert saved.status_code == 303 and long_text.strip() in path.read_text(encoding="utf-8")
        fields = form_fields(client.get("/fiches/beta").text)
        fields["body"] = ["é" * (MAX_SAVE // 5)]                  # 6 bytes each, once URL-encoded
        refused = client.post("/fiches/beta", data=fields)
    assert refused.status_code == 413
    problem = lxml.html.fromstring(refused.text).get_element_by_id("problem").text_content()
    assert f"la limite est de {MAX_SAVE // 1_000_000} Mo" in problem and "Field exceeded" not in refused.text


def test_a_fiche_whose_front_matter_does_not_read_opens_whole_at_its_line_and_its_save_mends_it(
        book_anyone_reads):
    desk = book_anyone_reads
    beta = desk.root / "fiches" / "beta.md"
    good = beta.read_text(encoding="utf-8")
    broken = good.replace("title: Beta", 'title: "Beta : une fiche: cassée', 1)
    beta.write_text(broken, encoding="utf-8")
    line = broken.split("\n").index('title: "Beta : une fiche: cassée') + 1
    with TestClient(make_app(desk, TOKEN), base_url=ORIGIN, headers={"origin": ORIGIN},
                    cookies={"publisher-bureau": TOKEN}) as client:
        opened = client.get("/fiches/beta")
        assert opened.status_code == 200
        page = lxml.html.fromstring(opened.text)
        assert f"ligne {line} :" in page.get_element_by_id("problem").text_content()
        assert page.get_element_by_id("body").text == broken                # the whole file, to set right
        other = form_fields(client.get("/fiches/gamma").text)              # the others stay writable
        other["title"] = ["Gamma, enregistrée pendant que beta est cassée"]
        assert client.post("/fiches/gamma", data=other, follow_redirects=False).status_code == 303
        fields = form_fields(opened.text)
        fields["body"] = [good]
        mended = client.post("/fiches/beta", data=fields, follow_redirects=False)
        assert mended.status_code == 303
        again = lxml.html.fromstring(client.get("/fiches/beta").text)
    assert beta.read_text(encoding="utf-8") == good
    assert again.xpath("//input[@name='title']/@value") == ["Beta"]
    assert "Gamma, enregistrée pendant que beta est cassée" in (desk.root / "fiches" / "gamma.md").read_text(
        encoding="utf-8")


def test_work_past_its_memory_or_its_time_is_said_and_stopped():
    with pytest.raises(PublisherError) as raised:
        asyncio.run(work.bounded(heavy.eat_memory, 800, shown="gros.docx", memory=400_000_000))
    assert raised.value.diagnostics[0].code == "desk-too-complex"
    assert "plus de 400 Mo de mémoire" in raised.value.diagnostics[0].message
    started = time.monotonic()
    with pytest.raises(PublisherError) as raised:
        asyncio.run(work.bounded(heavy.take_time, 60, shown="lent.docx", seconds=3))
    assert "dépassé 3 secondes" in raised.value.diagnostics[0].message and time.monotonic() - started < 20
    assert asyncio.run(work.bounded(heavy.take_time, 0.1, shown="court.docx")) == 0.1


def xml_bomb(path: Path, megabytes: int) -> Path:
    """A small .docx whose text unpacks to ``megabytes`` of valid XML (a paragraph repeated)."""
    import docx

    made = docx.Document()
    made.add_paragraph("2019 – Un document énorme")
    made.save(path)
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist() if name != "word/document.xml"}
    paragraph = b"<w:p><w:r><w:t>Un paragraphe parmi des millions, tous pareils.</w:t></w:r></w:p>" * 10_000
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as bomb:
        for name, data in parts.items():
            bomb.writestr(name, data)
        with bomb.open("word/document.xml", "w") as out:
            out.write(b'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
                      b'wordprocessingml/2006/main"><w:body>')
            for _ in range(megabytes * 1_000_000 // len(paragraph)):
                out.write(paragraph)
            out.write(b"</w:body></w:document>")
    return path


def test_a_small_file_with_hundreds_of_megabytes_of_xml_is_refused_and_the_desk_answers_meanwhile(served, tmp_path):
    desk, base = served
    bomb = xml_bomb(tmp_path / "enorme.docx", 280)
    assert bomb.stat().st_size < 3_000_000
    with httpx.Client(base_url=base, cookies={"publisher-bureau": TOKEN}, timeout=WAIT_S) as client:
        token = lxml.html.fromstring(client.get("/envoyer").text).xpath(
            "//form[@action='/envoyer/word']//input[@name='csrf']/@value")[0]
        answers: dict = {}

        def send():
            answers["upload"] = client.post("/envoyer/word", data={"csrf": token}, headers={"origin": base},
                                            files={"fichier": ("enorme.docx", bomb.read_bytes())})
        sender = threading.Thread(target=send)
        sender.start()
        slowest = 0.0
        while sender.is_alive():
            started = time.monotonic()
            assert client.get("/etat").status_code == 200
            slowest = max(slowest, time.monotonic() - started)
            time.sleep(0.1)
        sender.join()
    upload = answers["upload"]
    assert upload.status_code == 422 and "trop complexe" in upload.text and "Mo de XML" in upload.text
    assert "/tmp/" not in upload.text and "enorme.docx" in upload.text
    assert slowest < 1.0


def test_an_okular_archive_that_unpacks_too_large_or_does_not_read_is_said_in_french(tmp_path):
    from publisher.collect.okular import read_archive

    huge = tmp_path / "epreuve.okular"
    with zipfile.ZipFile(huge, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("epreuve.pdf", b"%PDF-1.4\n")
        with archive.open("metadata.xml", "w") as out:
            for _ in range(40):
                out.write(b"<a>" + b" " * 1_000_000 + b"</a>")
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.save(tmp_path / "une-page.pdf")
    broken = tmp_path / "casse.okular"
    with zipfile.ZipFile(broken, "w") as archive:
        archive.writestr("epreuve.pdf", (tmp_path / "une-page.pdf").read_bytes())
        archive.writestr("metadata.xml", b"<documentInfo><annotationList><annotation")
    for path, words in ((huge, "se décompresse en"), (broken, "illisible")):
        with pytest.raises(PublisherError) as raised:
            read_archive(path, path.name)
        assert raised.value.diagnostics[0].code == "okular-unreadable" and words in raised.value.diagnostics[0].message


def test_sigterm_ends_the_desk_within_two_seconds_with_a_page_listening(tmp_path):
    root = tmp_path / "book"
    shutil.copytree(MINIBOOK, root)
    publisher = Path(sys.executable).parent / "publisher"
    server = subprocess.Popen([str(publisher), "serve", str(root), "--no-browser", "--port", "0"], cwd=tmp_path,
                              stderr=subprocess.PIPE, text=True)
    try:
        address = ""
        deadline = time.monotonic() + WAIT_S
        while not address and time.monotonic() < deadline:
            line = server.stderr.readline()
            found = re.search(r"http://127\.0\.0\.1:(\d+)/\?token=(\S+)", line)
            if found:
                address, token = f"127.0.0.1:{found.group(1)}", found.group(2)
        assert address, "the desk did not say its address"
        host, port = address.split(":")
        with httpx.Client(base_url=f"http://{address}", timeout=WAIT_S) as client:
            until(lambda: '"building": ""' in client.get(f"/etat?token={token}").text, "no first proof")
        listening = socket.create_connection((host, int(port)), timeout=10)     # a page on the live updates
        listening.sendall(f"GET /evenements?token={token} HTTP/1.1\r\nHost: {address}\r\n\r\n".encode())
        received = b""
        while b"data:" not in received:
            received += listening.recv(65536)
        started = time.monotonic()
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=10)
        assert time.monotonic() - started <= 2.0
        listening.close()
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()


def test_a_fault_that_stops_the_watcher_is_said_and_the_proofs_go_on(tmp_path, monkeypatch):
    """Whatever escapes the proof's watcher (here a folder that vanishes under it, once) does not end the
    desk's proofs: it is said in the banner, and the watcher starts again."""
    from publisher.desk import state

    real, calls = state.watch, []

    def failing_once(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise FileNotFoundError(2, "No such file or directory", str(tmp_path / "book" / "fiches"))
        return real(*args, **kwargs)
    monkeypatch.setattr(state, "watch", failing_once)
    said, update = [], state.Desk.update

    def told(self, **values):
        said.extend(d.message for d in values.get("refused", ()))
        update(self, **values)
    monkeypatch.setattr(state.Desk, "update", told)
    from .running import desk_on_a_copy

    desk = desk_on_a_copy(tmp_path)                  # its first proof made: the watcher started again
    try:
        assert len(calls) == 2 and desk.shown.pages > 0 and not desk.shown.refused
        assert said and "l'épreuve n'a pas pu être faite" in said[0] and "elle se refera" in said[0]
    finally:
        desk.stop()

"""The desk as the office runs it: accounts made with ``publisher users``, the command of the systemd
unit in ``deploy/`` (behind Caddy: its name, HTTPS said by its headers), and a bounded load — 20
people reading pages and questions for 60 s while 5 save fiches: no error of the server, every saved
sentence in its file, the 95th percentile of a page view printed. Loopback only; it stops by itself."""

from __future__ import annotations

import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from ..conftest import MINIBOOK
from .office import CADDYFILE, NAME, Person, exec_start, start
from .running import form_fields

PASSWORD = "mot de passe du bureau"
READERS, SAVERS = 20, 5
LOAD_SECONDS = float(os.environ.get("PUBLISHER_LOAD_SECONDS", "60"))
READ = ("/livre", "/questions", "/fiches", "/livre/image/1.jpg", "/fiches/alpha")


def users(book: Path, *args: str, password: str | None = None) -> subprocess.CompletedProcess:
    program = str(Path(sys.executable).with_name("publisher"))
    return subprocess.run([program, "users", *args[:1], str(book), *args[1:]], input=password, text=True,
                          capture_output=True, timeout=60)


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    folder = tmp_path_factory.mktemp("office")
    book = folder / "book"
    shutil.copytree(MINIBOOK, book)
    refused = subprocess.run([str(Path(sys.executable).with_name("publisher")), "serve", str(book), "--team",
                              "--no-browser"], capture_output=True, text=True, timeout=60)
    assert refused.returncode == 2 and "aucun compte" in refused.stderr                     # accounts first
    added = users(book, "add", "--name", "Claire Coordination", "--email", "Claire@CAI.example", "--role",
                  "coordination", "--password-stdin", password=PASSWORD + "\n")
    assert added.returncode == 0, added.stderr
    for role in ("redaction", "relecture"):
        assert users(book, "add", "--name", f"Équipe {role}", "--email", f"{role}@cai.example", "--role", role,
                     "--password-stdin", password=PASSWORD + "\n").returncode == 0
    server, port = start(book, folder)
    yield book, port
    started = time.monotonic()
    server.send_signal(signal.SIGTERM)                      # as systemd stops it
    server.wait(timeout=15)
    assert time.monotonic() - started < 5


def test_accounts_are_made_listed_and_changed_from_the_terminal(office):
    book, _ = office
    listed = users(book, "list")
    assert listed.returncode == 0
    assert "claire@cai.example\tClaire Coordination\tcoordination" in listed.stdout.splitlines()
    _, port = office
    rita = Person(port)
    assert rita.log_in("relecture@cai.example", PASSWORD)[0] == 303 and rita.ask("GET", "/livre")[0] == 200
    changed = users(book, "passwd", "--email", "relecture@cai.example", "--password-stdin",
                    password="un nouveau mot de passe\n")
    assert changed.returncode == 0 and "mot de passe changé" in changed.stdout
    status, headers, _ = rita.ask("GET", "/livre")            # her open session ends with the old password
    assert status == 303 and headers["location"].startswith("/connexion")
    assert users(book, "passwd", "--email", "relecture@cai.example", "--password-stdin",
                 password=PASSWORD + "\n").returncode == 0
    short = users(book, "passwd", "--email", "relecture@cai.example", "--password-stdin", password="court\n")
    assert short.returncode == 1 and "au moins 10 caractères" in short.stderr and "Traceback" not in short.stderr
    twice = users(book, "add", "--name", "Autre", "--email", "claire@cai.example", "--role", "relecture",
                  "--password-stdin", password=PASSWORD + "\n")
    assert twice.returncode == 1 and "déjà un compte" in twice.stderr
    assert PASSWORD not in (book / ".desk" / "comptes.json").read_text(encoding="utf-8")


def test_the_unit_and_caddy_agree_and_the_desk_answers_as_behind_caddy(office):
    words = exec_start()
    assert words[words.index("--host") + 1] == "127.0.0.1" and "--proxy" in words and "--team" in words
    assert f"reverse_proxy 127.0.0.1:{words[words.index('--port') + 1]}" in CADDYFILE.read_text(encoding="utf-8")
    assert re.search(rf"^{re.escape(words[words.index('--name') + 1])} {{", CADDYFILE.read_text(), re.M)
    _, port = office
    someone = Person(port)
    status, headers, _ = someone.ask("GET", "/livre")
    assert status == 303 and headers["location"].startswith("/connexion")
    status, headers, _ = someone.log_in("claire@cai.example", PASSWORD)
    assert status == 303
    cookie = headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" in cookie        # HTTPS, said by Caddy
    status, _, page = someone.ask("GET", "/livre")
    assert status == 200 and "Claire Coordination" in page.decode()


def test_twenty_read_while_five_save(office):
    book, port = office
    stop_at = time.monotonic() + LOAD_SECONDS
    views: list[float] = []
    errors: list[str] = []
    saved: list[tuple[str, str]] = []
    fiches = sorted(p.stem for p in (book / "fiches").glob("*.md"))
    lock = threading.Lock()

    def reader(k: int) -> None:
        person = Person(port)
        assert person.log_in("relecture@cai.example", PASSWORD)[0] == 303
        n = 0
        while time.monotonic() < stop_at:
            path = READ[(k + n) % len(READ)]
            started = time.monotonic()
            status, _, _ = person.ask("GET", path)
            with lock:
                views.append(time.monotonic() - started)
                if status >= 500 or status in (401, 403):
                    errors.append(f"{path}: {status}")
            n += 1

    def saver(k: int) -> None:
        person = Person(port)
        assert person.log_in("redaction@cai.example", PASSWORD)[0] == 303
        fiche, n = fiches[k % len(fiches)], 0
        while time.monotonic() < stop_at:
            status, _, page = person.ask("GET", f"/fiches/{fiche}")
            fields = form_fields(page.decode())
            sentence = f"Phrase {n} de l'éditeur {k}."
            fields["body"] = [fields["body"][0].rstrip() + f"\n\n{sentence}\n"]
            status, _, _ = person.ask("POST", f"/fiches/{fiche}", fields)
            with lock:
                if status == 303:
                    saved.append((fiche, sentence))
                elif status != 409:                       # 409: another saved it first; read again, retry
                    errors.append(f"save {fiche}: {status}")
            n += 1
            time.sleep(1)

    def person(work, k: int) -> None:
        try:
            work(k)
        except Exception as failed:                     # noqa: BLE001  an answer cut short is a failure too
            with lock:
                errors.append(f"{work.__name__} {k}: {type(failed).__name__} {failed}")

    threads = [threading.Thread(target=person, args=(reader, k)) for k in range(READERS)] + \
        [threading.Thread(target=person, args=(saver, k)) for k in range(SAVERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=LOAD_SECONDS + 120)
    assert not any(t.is_alive() for t in threads)
    assert not errors, errors[:10]
    assert saved and views
    for fiche, sentence in saved:
        assert sentence in (book / "fiches" / f"{fiche}.md").read_text(encoding="utf-8"), (fiche, sentence)
    p95 = statistics.quantiles(views, n=20)[-1]
    said = (f"charge du bureau : {READERS} lecteurs et {SAVERS} éditeurs pendant {LOAD_SECONDS:.0f} s sur {NAME} : "
            f"{len(views)} pages vues, 95e centile {p95 * 1000:.0f} ms, médiane {statistics.median(views) * 1000:.0f} ms ; "
            f"{len(saved)} enregistrements, tous dans leur fichier")
    print(said)
    sys.stderr.write(said + "\n")

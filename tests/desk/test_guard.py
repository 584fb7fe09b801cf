"""The desk against other pages and other programs: a request that names another host, a write that
does not come from the desk's own page (another port of 127.0.0.1 is another origin), a form without
its token, a body past its limit whatever its transfer encoding. Each refused, nothing written, and the
refusal carrying the same security headers. Against the desk served on 127.0.0.1 only, bounded."""

from __future__ import annotations

import http.server
import select
import socket
import threading
import time

import pytest
from starlette.testclient import TestClient

from publisher.desk import make_app
from publisher.desk.app import MAX_UPLOAD
from publisher.desk.guard import HEADERS

from .running import TOKEN, form_fields

ORIGIN = "http://127.0.0.1"


@pytest.fixture(scope="module")
def desk(served):
    return served[0]


def client_of(desk, base: str = ORIGIN, **headers) -> TestClient:
    return TestClient(make_app(desk, TOKEN), base_url=base, headers=headers, cookies={"publisher-bureau": TOKEN})


def fields_of(client: TestClient, path: str) -> dict[str, list[str]]:
    return form_fields(client.get(path).text)


def test_another_host_is_refused_with_the_security_headers(desk):
    with client_of(desk, "http://evil.example") as stranger:
        answer = stranger.get(f"/livre?token={TOKEN}")
        assert answer.status_code == 403 and "127.0.0.1" in answer.text
        for name, value in HEADERS.items():
            assert answer.headers[name] == value, name
    with client_of(desk, "http://localhost:8765") as local:             # this machine, by another of its names
        assert local.get("/livre").status_code == 200


def test_a_write_from_elsewhere_or_without_its_forms_token_changes_nothing(desk):
    path = desk.root / "fiches" / "alpha.md"
    before = path.read_bytes()
    with client_of(desk) as mine:
        fields = {**fields_of(mine, "/fiches/alpha"), "title": ["Titre écrit par une autre page"]}
    for origin, referer, token in [(None, None, True),                             # no origin at all
                                   ("http://127.0.0.1:9999", None, True),          # another port
                                   ("null", None, True),                           # a sandboxed page
                                   (None, "http://evil.example/page", True),
                                   (ORIGIN, None, False)]:                         # its own origin, no token
        headers = {k: v for k, v in (("origin", origin), ("referer", referer)) if v}
        sent = dict(fields) if token else {k: v for k, v in fields.items() if k != "csrf"}
        with client_of(desk, **headers) as other:
            answer = other.post("/fiches/alpha", data=sent, follow_redirects=False)
        assert answer.status_code == 403, (origin, referer, token)
        assert answer.headers["Content-Security-Policy"] == HEADERS["Content-Security-Policy"]
        assert path.read_bytes() == before
    with client_of(desk, origin=ORIGIN) as mine:                 # the desk's own page: written
        assert mine.post("/fiches/alpha", data=fields, follow_redirects=False).status_code == 303
    assert "Titre écrit par une autre page" in path.read_text(encoding="utf-8")
    path.write_bytes(before)


def test_a_body_declared_too_large_is_refused_before_it_is_read(desk):
    with client_of(desk, origin=ORIGIN) as mine:
        declared = {"content-length": str(MAX_UPLOAD + 1), "content-type": "multipart/form-data; boundary=x"}
        answer = mine.post("/envoyer/word", content=b"x" * 1000, headers=declared)
    assert answer.status_code == 413 and "la limite est de 50 Mo" in answer.text


def chunked_upload(address: tuple[str, int], megabytes: int) -> tuple[bytes, int]:
    """A multipart upload sent in chunks of 1 MB with no declared length, as some clients send; the
    answer, and how many bytes had been sent when it came."""
    boundary = "----publisher-test"
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"fichier\"; filename=\"gros.docx\"\r\n"
            "Content-Type: application/octet-stream\r\n\r\n").encode()
    with socket.create_connection(address, timeout=30) as s:
        s.sendall((f"POST /envoyer/word HTTP/1.1\r\nHost: {address[0]}:{address[1]}\r\n"
                   f"Origin: http://{address[0]}:{address[1]}\r\nCookie: publisher-bureau={TOKEN}\r\n"
                   f"Content-Type: multipart/form-data; boundary={boundary}\r\nTransfer-Encoding: chunked\r\n\r\n").encode())
        sent = 0
        chunk = b"PK" + b"\0" * (1_000_000 - 2)
        for k in range(megabytes):
            data = head + chunk if k == 0 else chunk
            try:
                s.sendall(f"{len(data):x}\r\n".encode() + data + b"\r\n")
            except (BrokenPipeError, ConnectionResetError):
                break
            sent += len(data)
            if select.select([s], [], [], 0)[0]:
                break
        answer = b""
        deadline = time.monotonic() + 30
        while b"\r\n\r\n" not in answer and time.monotonic() < deadline:
            if not select.select([s], [], [], 1)[0]:
                continue
            got = s.recv(65536)
            if not got:
                break
            answer += got
        return answer, sent


def test_a_chunked_upload_past_the_limit_is_refused_before_it_is_all_read(served):
    desk, base = served
    before = sorted(p.name for p in (desk.root / "fiches").iterdir())
    host, port = base.removeprefix("http://").split(":")
    # Past the 50 MB limit the kernel still takes what fits in the two sockets' buffers (Linux grows a
    # receiving buffer up to tcp_rmem's maximum, 32 MB here) before the desk's answer is seen: 150 MB
    # sent means the desk read on to the end, whatever the machine's load.
    answer, sent = chunked_upload((host, int(port)), 150)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert sent < 150_000_000                                   # the desk stopped reading, the test stopped sending
    assert sorted(p.name for p in (desk.root / "fiches").iterdir()) == before


ATTACK = """<!DOCTYPE html><html><body>
<form id="f" method="post" action="{desk}/fiches/alpha">{inputs}</form>
<script>
const data = new FormData();
data.append("fichier", new Blob([new Uint8Array({docx})]), "2099-piege.docx");
fetch("{desk}/envoyer/word", {{method: "POST", body: data, mode: "no-cors", credentials: "include"}})
  .finally(() => fetch("{desk}/fiches/beta", {{method: "POST", mode: "no-cors", credentials: "include",
      body: new URLSearchParams({fields})}}))
  .finally(() => {{ document.title = "sent"; document.getElementById("f").submit(); }});
</script></body></html>"""


def test_a_page_on_another_port_of_this_computer_cannot_write_to_the_book(served, page):
    """As an attacker's page opened in the editor's own browser (the desk's cookie in it): an auto-submitted
    form with the right digest, a fetch that sends a Word document, a fetch that saves a fiche. Refused, nothing
    written."""
    import json

    from ..conftest import FIXTURES

    desk, base = served
    alpha, beta = desk.root / "fiches" / "alpha.md", desk.root / "fiches" / "beta.md"
    before = {p.name: p.read_bytes() for p in (desk.root / "fiches").iterdir()}
    with client_of(desk, origin=ORIGIN) as mine:
        fields = {k: v[0] for k, v in fields_of(mine, "/fiches/alpha").items()}
    fields.update(title="Écrit par une page étrangère", body="Texte remplacé par une page étrangère.")
    inputs = "".join(f'<input type="hidden" name="{k}" value="{v}">' for k, v in fields.items() if "\n" not in v)
    docx = list((FIXTURES / "word" / "notes-et-image.docx").read_bytes())
    html = ATTACK.format(desk=base, inputs=inputs, docx=json.dumps(docx), fields=json.dumps(fields))

    class Attacker(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(html.encode())

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Attacker)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/")
        page.wait_for_url(f"{base}/fiches/alpha", timeout=30_000)        # the form's post, answered by the desk
        assert "ne vient pas d'une page du bureau" in page.content()
    finally:
        server.shutdown()
    assert {p.name: p.read_bytes() for p in (desk.root / "fiches").iterdir()} == before
    assert alpha.read_bytes() == before["alpha.md"] and beta.read_bytes() == before["beta.md"]

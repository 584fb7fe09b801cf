"""The desk as the office's server runs it: the command of ``deploy/publisher-bureau.service``, its
paths and port replaced, started in a process of its own; and a person talking to it over HTTP as
the browser behind Caddy would (its name, HTTPS said by the proxy's headers)."""

from __future__ import annotations

import http.client
import re
import shlex
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

from ..conftest import ROOT

UNIT = ROOT / "deploy" / "publisher-bureau.service"
CADDYFILE = ROOT / "deploy" / "Caddyfile"
NAME = "livre.cai.lan"


def exec_start() -> list[str]:
    [line] = [x for x in UNIT.read_text(encoding="utf-8").splitlines() if x.startswith("ExecStart=")]
    return shlex.split(line.removeprefix("ExecStart="))


def command(book: Path, port: int) -> list[str]:
    """The unit's command for this book and port: its program the one of this environment."""
    words = exec_start()
    words[0] = str(Path(sys.executable).with_name("publisher"))
    words[words.index("/srv/publisher/book")] = str(book)
    words[words.index("--port") + 1] = str(port)
    return words


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(book: Path, cwd: Path) -> tuple[subprocess.Popen, int]:
    port = free_port()
    server = subprocess.Popen(command(book, port), cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return server, port
        except OSError:
            assert server.poll() is None and time.monotonic() < deadline, server.stdout.read().decode()
            time.sleep(0.2)


class Person:
    """One browser behind the proxy: a connection kept open, the session's cookie."""

    def __init__(self, port: int):
        self.port = port
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookie = ""

    def ask(self, method: str, path: str, fields: dict | None = None) -> tuple[int, dict, bytes]:
        headers = {"Host": NAME, "X-Forwarded-Proto": "https", "X-Forwarded-For": "127.0.0.1"}
        body = None
        if fields is not None:
            body = urlencode(fields, doseq=True).encode()
            headers.update({"Origin": f"https://{NAME}", "Content-Type": "application/x-www-form-urlencoded"})
        if self.cookie:
            headers["Cookie"] = self.cookie
        for attempt in (1, 2):                          # a kept connection the server closed: once more
            try:
                self.connection.request(method, path, body=body, headers=headers)
                answer = self.connection.getresponse()
                data = answer.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.connection.close()
                if attempt == 2:
                    raise
        found = dict((k.lower(), v) for k, v in answer.getheaders())
        if "set-cookie" in found:
            self.cookie = found["set-cookie"].split(";")[0]
        return answer.status, found, data

    def token(self, path: str, action: str) -> str:
        _, _, page = self.ask("GET", path)
        found = re.search(rf'action="{re.escape(action)}"[^>]*>\s*<input type="hidden" name="csrf" value="([^"]+)"',
                          page.decode())
        assert found, (path, action)
        return found.group(1)

    def log_in(self, email: str, password: str) -> tuple[int, dict, bytes]:
        return self.ask("POST", "/connexion", {"csrf": self.token("/connexion", "/connexion"), "email": email,
                                               "password": password, "suite": "/livre"})

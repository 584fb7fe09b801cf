"""Who is logged in: sessions kept by this run of the desk (a cookie of another run, or of another
server, opens nothing), ended after a while without use; and the brake on guessed passwords.
"""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass, field

IDLE_SECONDS = 4 * 3600          # a session unused this long is over
TRIES = 5                        # failed logins for one address before it waits
WAIT_SECONDS = 300
KEPT = 10_000                    # addresses whose failures are remembered, at most (a flood is forgotten)


@dataclass
class Session:
    id: str
    email: str
    secret: str                  # what its forms' tokens are made from (CSRF)
    seen: float
    password: str = ""           # what the password was when it opened (Accounts.current)


@dataclass
class Sessions:
    idle: float = IDLE_SECONDS
    open_: dict[str, Session] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self, email: str, password: str = "") -> Session:
        session = Session(secrets.token_urlsafe(32), email, secrets.token_urlsafe(32), time.monotonic(), password)
        with self.lock:
            self.open_[session.id] = session
        return session

    def get(self, session_id: str) -> Session | None:
        with self.lock:
            session = self.open_.get(session_id)
            if session is None:
                return None
            if time.monotonic() - session.seen > self.idle:
                del self.open_[session_id]
                return None
            session.seen = time.monotonic()
            return session

    def end(self, session_id: str) -> None:
        with self.lock:
            self.open_.pop(session_id, None)

    def end_all_of(self, email: str) -> None:
        with self.lock:
            for sid in [s.id for s in self.open_.values() if s.email == email]:
                del self.open_[sid]


@dataclass
class Brake:
    """Failed logins counted per address (known or not: the answer never says which); past ``TRIES``,
    that address waits ``WAIT_SECONDS`` — the others do not."""

    tries: int = TRIES
    wait: float = WAIT_SECONDS
    failed: dict[str, list[float]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def waiting(self, email: str) -> float:
        """Seconds this address must still wait (0: it may try)."""
        with self.lock:
            recent = [t for t in self.failed.get(email, []) if time.monotonic() - t < self.wait]
            self.failed[email] = recent
            return self.wait - (time.monotonic() - recent[-self.tries]) if len(recent) >= self.tries else 0.0

    def failure(self, email: str) -> None:
        with self.lock:
            if len(self.failed) > KEPT:                  # a flood of made-up addresses: forget the old ones
                now = time.monotonic()
                self.failed = {e: ts for e, ts in self.failed.items() if ts and now - ts[-1] < self.wait}
            self.failed.setdefault(email, []).append(time.monotonic())

    def success(self, email: str) -> None:
        with self.lock:
            self.failed.pop(email, None)

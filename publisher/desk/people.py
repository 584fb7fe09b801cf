"""The team's accounts: who may open the desk, under which role.

Kept in ``BOOK/.desk/comptes.json`` (out of git, like ``.proofs/``): a name, an e-mail address (the
login), a role, and the password's Argon2 hash — never the password. Written whole or not at all, one
writer at a time.
"""

from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from ..atomic import write_atomically

FOLDER = ".desk"
FILE = "comptes.json"
COORDINATION, REDACTION, RELECTURE = "coordination", "redaction", "relecture"
ROLES = (COORDINATION, REDACTION, RELECTURE)
ROLE_NAMES = {COORDINATION: "coordination", REDACTION: "rédaction", RELECTURE: "relecture"}
MIN_PASSWORD = 10


class AccountError(ValueError):
    """What cannot be done to an account, in French."""


@dataclass(frozen=True)
class Person:
    name: str
    email: str
    role: str
    disabled: bool = False


@dataclass(frozen=True)
class Account:
    person: Person
    hash: str


def folder_of(root: Path) -> Path:
    folder = Path(root) / FOLDER
    folder.mkdir(exist_ok=True)
    ignore = folder / ".gitignore"
    if not ignore.exists():
        ignore.write_text("# les comptes du bureau (mots de passe hachés) : jamais dans git\n*\n", encoding="utf-8")
    return folder


def normal(email: str) -> str:
    return email.strip().lower()


class Accounts:
    def __init__(self, root: Path):
        self.root = Path(root)
        self.hasher = PasswordHasher()
        self.lock = threading.Lock()
        self.decoy = self.hasher.hash("un mot de passe que personne n'a")   # an unknown address costs the same

    @property
    def path(self) -> Path:
        return self.root / FOLDER / FILE

    def all(self) -> list[Account]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return []
        return [Account(Person(a["name"], a["email"], a["role"], a.get("disabled", False)), a["hash"])
                for a in data.get("accounts", [])]

    def people(self) -> list[Person]:
        return [a.person for a in self.all()]

    def account(self, email: str) -> Account | None:
        return next((a for a in self.all() if a.person.email == normal(email)), None)

    def find(self, email: str) -> Person | None:
        account = self.account(email)
        return account.person if account else None

    def current(self, email: str) -> tuple[Person, str] | None:
        """The person and what their password is now (a digest of its hash): a session opened under
        another password — changed since, even from the terminal — is over."""
        account = self.account(email)
        return (account.person, hashlib.sha256(account.hash.encode()).hexdigest()[:16]) if account else None

    def write(self, accounts: list[Account]) -> None:
        folder_of(self.root)
        data = {"accounts": [{**asdict(a.person), "hash": a.hash} for a in accounts]}
        write_atomically(self.path, json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))

    def add(self, name: str, email: str, role: str, password: str) -> Person:
        email, name = normal(email), " ".join(name.split())
        if role not in ROLES:
            raise AccountError(f"rôle inconnu « {role} » : {', '.join(ROLES)}")
        if "@" not in email or not name:
            raise AccountError("il faut un nom et une adresse e-mail")
        check_password(password)
        with self.lock:
            accounts = self.all()
            if any(a.person.email == email for a in accounts):
                raise AccountError(f"il y a déjà un compte pour {email}")
            person = Person(name, email, role)
            self.write(accounts + [Account(person, self.hasher.hash(password))])
        return person

    def change(self, email: str, *, password: str | None = None, disabled: bool | None = None,
               role: str | None = None) -> Person:
        with self.lock:
            accounts = self.all()
            found = next((k for k, a in enumerate(accounts) if a.person.email == normal(email)), None)
            if found is None:
                raise AccountError(f"pas de compte pour {normal(email)}")
            account = accounts[found]
            if role is not None and role not in ROLES:
                raise AccountError(f"rôle inconnu « {role} » : {', '.join(ROLES)}")
            if password is not None:
                check_password(password)
                account = replace(account, hash=self.hasher.hash(password))
            person = replace(account.person, **{k: v for k, v in (("disabled", disabled), ("role", role))
                                                if v is not None})
            accounts[found] = replace(account, person=person)
            self.write(accounts)
        return person

    def remove(self, email: str) -> None:
        with self.lock:
            accounts = self.all()
            kept = [a for a in accounts if a.person.email != normal(email)]
            if len(kept) == len(accounts):
                raise AccountError(f"pas de compte pour {normal(email)}")
            self.write(kept)

    def check(self, email: str, password: str) -> Person | None:
        """The person, if the password is theirs and the account open; the same time spent otherwise."""
        account = self.account(email)
        try:
            self.hasher.verify(account.hash if account else self.decoy, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return None
        if account is None or account.person.disabled:
            return None
        return account.person


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"le mot de passe doit avoir au moins {MIN_PASSWORD} caractères")

"""The book's history: every change made in the desk is a git commit whose author is the person
logged in, with a French message saying what changed; changes made outside the desk (a text editor
on the server, ``publisher import`` in a terminal) are committed before the desk's next write, under
a name of their own.

The repository is the one that holds the book's folder when there is one (only the book's files are
ever committed: a commit names its paths), otherwise one made in the book's folder. Through the
``git`` command (Debian's); the CLI never needs it."""

from __future__ import annotations

import difflib
import json
import os
import re
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from ..atomic import write_atomically
from .people import FOLDER, Person, folder_of

OUTSIDE = Person("hors du bureau", "hors-du-bureau@publisher.invalid", "")
SETTINGS = "reglages.json"        # in the book's .desk/: the name the coordinator gives to changes made outside
ALONE = Person("le bureau", "bureau@publisher.invalid", "")        # the desk of one person, without accounts
SEPARATOR = "\x1f"
LOCK_TRIES = 50                  # × 0.1 s: how long another git may hold the index
CONTEXT = 12                     # words (and spaces) shown on each side of a change


class HistoryError(RuntimeError):
    """git refused: why, in French."""


def why(stderr: str) -> str:
    if "Permission denied" in stderr or "Read-only file system" in stderr:
        return "le dossier du livre est en lecture seule pour le bureau (son historique, git, n'a pas pu y écrire)"
    if "No space left" in stderr:
        return "le disque est plein (l'historique du livre, git, n'a pas pu y écrire)"
    last = stderr.strip().splitlines()[-1] if stderr.strip() else "sans dire pourquoi"
    return f"l'historique du livre (git) refuse : {last}"


@dataclass(frozen=True)
class Version:
    commit: str
    name: str
    email: str
    at: float
    message: str

    @property
    def when(self) -> str:
        return time.strftime("%d/%m/%Y %H:%M", time.localtime(self.at))


def outside_name(root: Path) -> str:
    """The name changes made outside the desk are committed under (« hors du bureau » unless the
    coordinator set another)."""
    try:
        name = json.loads((Path(root) / FOLDER / SETTINGS).read_text(encoding="utf-8")).get("outside", "")
    except (OSError, ValueError, AttributeError):
        name = ""
    return str(name).strip() or OUTSIDE.name


def set_outside_name(root: Path, name: str) -> None:
    path = folder_of(root) / SETTINGS
    try:
        settings = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        settings = {}
    settings = settings if isinstance(settings, dict) else {}
    settings["outside"] = " ".join(name.split())
    write_atomically(path, json.dumps(settings, ensure_ascii=False, indent=1).encode("utf-8"))


class History:
    def __init__(self, root: Path):
        self.root = Path(root).resolve()
        self.lock = threading.Lock()           # the desk's writers, one at a time (signed.py)
        self.index = threading.Lock()          # git's index is one: one command that changes it at a time
        self.top: Path | None = None

    def git(self, *args: str, person: Person | None = None, check: bool = True) -> str:
        env = dict(os.environ, GIT_TERMINAL_PROMPT="0", LC_ALL="C", GIT_OPTIONAL_LOCKS="0")
        if person is not None:
            for who in ("AUTHOR", "COMMITTER"):
                env[f"GIT_{who}_NAME"], env[f"GIT_{who}_EMAIL"] = person.name, person.email
        for _ in range(LOCK_TRIES):                # another git (a terminal, a proof) holding the index a moment
            try:
                done = subprocess.run(["git", "-C", str(self.repository()), *args], env=env, capture_output=True,
                                      text=True, timeout=60)
            except (OSError, subprocess.TimeoutExpired) as failed:
                raise HistoryError(f"l'historique du livre (git) ne répond pas : {failed}") from None
            if "index.lock" not in done.stderr:
                break
            time.sleep(0.1)
        if check and done.returncode != 0:
            raise HistoryError(why(done.stderr))
        return done.stdout

    def repository(self) -> Path:
        """The repository's top folder: the one that holds the book, or one made in it."""
        if self.top is None:
            found = subprocess.run(["git", "-C", str(self.root), "rev-parse", "--show-toplevel"],
                                   capture_output=True, text=True)
            if found.returncode != 0:
                made = subprocess.run(["git", "init", "-q", str(self.root)], capture_output=True, text=True)
                if made.returncode != 0:
                    raise HistoryError(why(made.stderr))
                return self.root
            self.top = Path(found.stdout.strip()).resolve()
        return self.top

    def inside(self, path: Path) -> str:
        """``path`` as git names it, from the repository's top."""
        return str(Path(path).resolve().relative_to(self.repository()))

    def commit(self, person: Person, message: str, paths: list[Path] | None = None) -> str | None:
        """Commit what changed in ``paths`` (by default, the whole book) under ``person``'s name;
        None when nothing did."""
        names = [self.inside(p) for p in (paths or [self.root])]
        with self.index:
            self.git("add", "--all", "--", *names)
            if not self.git("status", "--porcelain", "--untracked-files=no", "--", *names).strip():
                return None
            self.git("commit", "-q", "--no-verify", "-m", message, "--", *names, person=person)
            return self.git("rev-parse", "HEAD").strip()

    def commit_outside(self) -> str | None:
        """What changed in the book since the last commit, not made by the desk: under its own name."""
        started = self.git("rev-parse", "--verify", "-q", "HEAD", check=False).strip()
        outside = Person(outside_name(self.root), OUTSIDE.email, "")
        return self.commit(outside, "Modifications faites hors du bureau" if started else
                           "Le livre tel qu'il était avant le bureau")

    def versions(self, path: Path, last: int = 100) -> list[Version]:
        """The commits that changed ``path``, the newest first (across renames)."""
        try:
            out = self.git("log", f"-{last}", "--follow", f"--format=%H{SEPARATOR}%an{SEPARATOR}%ae{SEPARATOR}%at"
                           f"{SEPARATOR}%s", "--", self.inside(path))
        except HistoryError:                        # no commit yet
            return []
        return [Version(c, n, e, float(t), m) for c, n, e, t, m in
                (line.split(SEPARATOR, 4) for line in out.splitlines() if line)]

    def latest(self, folder: Path, last: int = 5000) -> dict[str, Version]:
        """The last commit that changed each file of ``folder`` (by its name without suffix), in one look."""
        try:
            out = self.git("log", f"-{last}", "--name-only", f"--format={SEPARATOR}%H{SEPARATOR}%an{SEPARATOR}%ae"
                           f"{SEPARATOR}%at{SEPARATOR}%s", "--", self.inside(folder))
        except HistoryError:
            return {}
        found: dict[str, Version] = {}
        for block in out.split(f"\n{SEPARATOR}") if out else []:
            head, _, names = block.lstrip(SEPARATOR).partition("\n")
            commit, name, email, at, message = head.split(SEPARATOR, 4)
            for changed in names.split():
                found.setdefault(Path(changed).stem, Version(commit, name, email, float(at), message))
        return found

    def removed(self, folder: Path) -> dict[str, str]:
        """The files of ``folder`` taken out and not back: each name → the last commit that had it."""
        try:
            out = self.git("log", "--diff-filter=D", "--name-only", f"--format={SEPARATOR}%H", "--",
                           self.inside(folder))
        except HistoryError:
            return {}
        found: dict[str, str] = {}
        for block in out.split(SEPARATOR)[1:]:
            commit, *names = block.split()
            for name in names:
                stem = Path(name).stem
                if stem not in found and not (self.repository() / name).exists():
                    found[stem] = self.git("rev-parse", f"{commit}^").strip()
        return found

    def text_at(self, commit: str, path: Path) -> str | None:
        """The file as it was in ``commit`` (None: not there then)."""
        try:
            return self.git("show", f"{commit}:{self.inside(path)}")
        except HistoryError:
            return None


def word_changes(old: str, new: str) -> list[tuple[str, str]]:
    """From ``old`` to ``new``, word by word: (``""`` kept, ``"+"`` added, ``"-"`` removed, text) — the
    words around a change kept short, as the proof's change marks show them."""
    before, after = re.findall(r"\S+|\s+", old), re.findall(r"\S+|\s+", new)
    out: list[tuple[str, str]] = []
    ops = difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes()
    for k, (op, i1, i2, j1, j2) in enumerate(ops):
        if op == "equal":                 # the words around a change: before the first, after the last
            out.append(("", around(before[i1:i2], first=k == 0, last=k == len(ops) - 1)))
            continue
        if i2 > i1:
            out.append(("-", "".join(before[i1:i2])))
        if j2 > j1:
            out.append(("+", "".join(after[j1:j2])))
    return out


def around(kept: list[str], first: bool, last: bool) -> str:
    """Words unchanged between two changes, cut short to :data:`CONTEXT` on each side of a change."""
    head, tail = "".join(kept[:CONTEXT]), "".join(kept[-CONTEXT:])
    if len(kept) <= (CONTEXT if first or last else 2 * CONTEXT) or (first and last):
        return "".join(kept)
    if first:
        return f"[…] {tail}"
    return f"{head} […]" if last else f"{head} […] {tail}"

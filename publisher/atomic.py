"""Files written whole or not at all.

A failed or interrupted build never leaves a half-written PDF (or record, or cache
entry): we write a temporary file beside the target and rename it over the target
at the end; until then, the previous file stays as it was.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

ATTEMPTS = 100


def write_atomically(target: Path, data: bytes) -> None:
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = temporary_beside(target)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def temporary_beside(target: Path) -> tuple[int, Path]:
    """A new file next to ``target``, with the permissions of any file the user creates (a PDF is for
    sharing). Not ``tempfile.mkstemp``: it makes the file private (0600), and learning the umask to
    widen it means setting the umask — for every thread of the process (the desk's, the layout's)."""
    for _ in range(ATTEMPTS):
        tmp = target.parent / f".{target.name}.{secrets.token_hex(4)}.part"
        try:
            # the kernel applies the umask to 0o666 itself; O_EXCL: never someone else's file
            return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666), tmp
        except FileExistsError:
            continue
    raise FileExistsError(f"aucun nom de fichier temporaire libre à côté de {target}")


def disk_refusal(exc: OSError, writing: bool = True) -> str:
    """Why the disk refused to write (or read) a file, in French, and what to do: for an editor."""
    import errno

    name = Path(exc.filename).name if exc.filename else "un fichier"
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return "le disque est plein : libérez de la place (la corbeille, de vieux fichiers de build/), puis recommencez"
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return (f"le dossier du livre est en lecture seule ou protégé ({name} ne peut pas être "
                f"{'écrit' if writing else 'lu'}) : demandez l'accès, ou copiez le livre ailleurs")
    if exc.errno == errno.ENOENT:
        return (f"{name} a disparu pendant qu'on le lisait (un programme l'enregistrait peut-être en le "
                "renommant) : recommencez dans un instant")
    return f"le disque a refusé ({name} : {exc.strerror or exc}) : recommencez, et si cela se répète, signalez-le"

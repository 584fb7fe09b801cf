"""A question's thread, from the questions page: a reply is a further comment after it, signed; an
editor or the coordination resolves it — the comment and its replies taken out of the fiche (kept in
its history), highlighted words left as words — and the journal says who resolved what, and when."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

from starlette.requests import Request
from starlette.responses import RedirectResponse

from ..atomic import write_atomically
from ..source import critic
from .marks import author_of
from .pages import Refused, desk_of, posted
from .signed import record, signed

RESOLVED = "question résolue"
WHERE = re.compile(r"^fiches/([a-z0-9][a-z0-9-]*)\.md:(\d+)$")


def same(a: str, b: str) -> bool:
    """The question as the page showed it (typeset), and a mark of the line: the same letters and digits."""
    def plain(text: str) -> str:                  # the typography's dashes, spaces and quotes set aside
        return "".join(c for c in text.casefold() if c.isalnum())
    return plain(a) == plain(b)


def found(request: Request, fields) -> tuple[Path, list[str], int, critic.Mark]:
    """The fiche, its lines, the line's index and the mark the question is (its words, as shown)."""
    where = WHERE.match(str(fields.get("ou", "")))
    if where is None:
        raise Refused(400, "Question introuvable", "cette question n'est pas dans une fiche")
    path = desk_of(request).root / "fiches" / f"{where.group(1)}.md"
    lines = path.read_text(encoding="utf-8").split("\n") if path.is_file() else []
    number = int(where.group(2)) - 1
    said = str(fields.get("question", ""))
    for match in critic.MARK.finditer(lines[number] if 0 <= number < len(lines) else ""):
        mark = critic.mark_at(lines[number], match.start())
        if mark is not None and same(mark.text, said.split(" → ")[0]):
            return path, lines, number, mark
    raise Refused(409, "Question introuvable", "cette question n'est plus à sa ligne (résolue, ou la fiche a "
                  "changé) : rouvrez la page des questions")


def end_of_thread(line: str, mark: critic.Mark) -> int:
    """Where the thread of ``mark`` ends: after the comments that follow it (its group's, if it has words)."""
    group = next((g for g in critic.groups(line) if g.start == mark.start), None)
    end = group.end if group is not None else mark.end
    while (reply := critic.COMMENT.match(line, end)) is not None:
        end = reply.end()
    return end


def threads_of(line: str) -> list[list[critic.Mark]]:
    """The line's marks by thread: a question and the comments written right after it (its replies)."""
    out: list[list[critic.Mark]] = []
    end = -1
    for match in critic.MARK.finditer(line):
        mark = critic.mark_at(line, match.start())
        if mark is None:
            continue
        if out and mark.op == "comment" and mark.start == end:
            out[-1].append(mark)
        else:
            out.append([mark])
        end = mark.end
    return out


def nested(items: list[dict], root: Path) -> list[dict]:
    """The questions page's items with each reply under the question it answers (``item["replies"]``):
    the fiche's line read again, a reply told from its question by where it is written."""
    lines: dict[str, list[str]] = {}
    used: set[tuple[str, int]] = set()               # (where, the mark's start): each mark read once
    heads: dict[tuple[str, int], dict] = {}          # (where, a thread's start) → its question's item
    out = []
    for item in items:
        item["replies"] = []
        if not item["thread"]:
            out.append(item)
            continue
        path, _, number = item["where"].rpartition(":")
        if path not in lines:
            try:
                lines[path] = (root / path).read_text(encoding="utf-8").split("\n")
            except OSError:
                lines[path] = []
        line = lines[path][int(number) - 1] if 0 < int(number) <= len(lines[path]) else ""
        said = item["q"].text.split(" → ")[0]
        thread = next(((t, m) for t in threads_of(line) for m in t
                       if (item["where"], m.start) not in used and same(m.text, said)), None)
        if thread is None:
            out.append(item)
            continue
        marks, mark = thread
        used.add((item["where"], mark.start))
        head = heads.get((item["where"], marks[0].start))
        if head is not None and mark is not marks[0]:
            head["replies"].append(item)
        else:
            heads[(item["where"], marks[0].start)] = item
            out.append(item)
    return out


async def reply(request: Request):
    fields = await posted(request)
    text = " ".join(str(fields.get("texte", "")).split())
    if not text:
        raise Refused(400, "Réponse vide", "écrivez votre réponse")

    def write():
        with signed(request, request.app.state.locks.book(desk_of(request).root)):
            path, lines, number, mark = found(request, fields)
            end = end_of_thread(lines[number], mark)
            lines[number] = lines[number][:end] + critic.comment(text, author_of(request)) + lines[number][end:]
            write_atomically(path, "\n".join(lines).encode("utf-8"))
            record(request, "réponse à une question", [path.stem], [path])
        return RedirectResponse("/questions", status_code=303)
    return await asyncio.to_thread(write)


async def resolve(request: Request):
    fields = await posted(request)

    def write():
        with signed(request, request.app.state.locks.book(desk_of(request).root)):
            path, lines, number, mark = found(request, fields)
            if mark.op not in ("comment", "highlight"):
                raise Refused(409, "À trancher dans la fiche", "un ajout, une suppression ou un remplacement proposé "
                              "s'accepte ou se refuse en corrigeant la fiche : ouvrez-la à sa ligne")
            line = lines[number]
            end = end_of_thread(line, mark)
            kept, start = (mark.text if mark.op == "highlight" else ""), mark.start
            if not kept and line[start - 1:start] == " " and line[end:end + 1] in (" ", ""):
                start -= 1                                   # « mot {>> … <<} suite » → « mot suite »
            lines[number] = line[:start] + kept + line[end:]
            write_atomically(path, "\n".join(lines).encode("utf-8"))
            record(request, f"{RESOLVED} : « {mark.text} »", [path.stem], [path])
        return RedirectResponse("/questions?etat=resolues", status_code=303)
    return await asyncio.to_thread(write)


def resolved(request: Request) -> list:
    """The questions resolved, from the journal: who, when, which."""
    return [e for e in request.app.state.journal.entries() if e.what.startswith(RESOLVED)]

"""Long work off the request: the volume, a booklet, the EPUB, a proof « since », made one at a time
by one thread of the desk, in a folder of their own, their progress (pages laid out / total) kept
for whoever asked. The desk answers everything else meanwhile, and a save does not wait.

Each job's file stays until that person's next jobs push it out (:data:`KEPT` per person)."""

from __future__ import annotations

import itertools
import multiprocessing
import queue
import secrets
import shutil
import threading
import time
from concurrent.futures import ProcessPoolExecutor, TimeoutError
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable

from ..atomic import disk_refusal
from ..diagnostics import PublisherError, error
from ..model import SourceLocation
from .making import Progress

WAITING, RUNNING, DONE, FAILED = "en attente", "en cours", "fait", "refusé"
KEPT = 5                         # one person's finished jobs kept (and their files)

LOOK_SECONDS = 0.5               # how often a running job's progress is read


@dataclass(frozen=True)
class Job:
    id: str
    owner: str                   # the e-mail of who asked (the one person alone: "")
    what: str                    # « Le volume », « Le livret Lutte contre le racisme »
    filename: str                # the name it is downloaded under
    number: int                  # in the order asked
    state: str = WAITING
    done: int = 0                # pages laid out
    total: int = 0               # pages in all (an estimate until the layout ends)
    path: str = ""               # the file made
    problem: tuple = ()          # why not: the diagnostics
    started: float = 0.0
    ended: float = 0.0

    @property
    def over(self) -> bool:
        return self.state in (DONE, FAILED)


class Jobs:
    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.jobs: dict[str, Job] = {}
        self.makers: dict[str, tuple[Callable, tuple]] = {}
        self.waiting: queue.Queue[str | None] = queue.Queue()
        self.lock = threading.Lock()
        self.numbers = itertools.count(1)
        self.thread: threading.Thread | None = None

    def submit(self, owner: str, what: str, filename: str, make: Callable, *args) -> Job:
        """``make(*args, folder, progress)``, a function of :mod:`.making`: run in a fresh process."""
        """The job, waiting its turn; the same job already waiting or running for this person: that one."""
        with self.lock:
            same = next((j for j in self.jobs.values() if j.owner == owner and j.what == what and not j.over), None)
            if same:
                return same
            job = Job(secrets.token_urlsafe(12), owner, what, filename, next(self.numbers))
            self.jobs[job.id], self.makers[job.id] = job, (make, args)
            self.forget_old(owner)
            if self.thread is None:
                self.thread = threading.Thread(target=self.run, name="publisher-desk-jobs", daemon=True)
                self.thread.start()
        self.waiting.put(job.id)
        return job

    def get(self, job_id: str, owner: str) -> Job | None:
        """A job, for the person who asked for it only."""
        with self.lock:
            job = self.jobs.get(job_id)
        return job if job is not None and job.owner == owner else None

    def ahead(self, job: Job) -> int:
        """Jobs to be done before this one."""
        with self.lock:
            return sum(1 for j in self.jobs.values() if not j.over and j.number < job.number)

    def update(self, job_id: str, **values) -> None:
        with self.lock:
            self.jobs[job_id] = replace(self.jobs[job_id], **values)

    def progressed(self, job_id: str, done: int, total: int) -> None:
        self.update(job_id, done=done, total=total)

    def run(self) -> None:
        while True:
            job_id = self.waiting.get()
            if job_id is None:
                return
            with self.lock:
                maker = self.makers.pop(job_id, None)
            if maker is None:                       # forgotten before its turn
                continue
            into = self.folder / job_id
            into.mkdir(parents=True, exist_ok=True)
            self.update(job_id, state=RUNNING, started=time.time())
            try:
                made = self.apart(job_id, maker[0], (*maker[1], into, Progress(into / "progression")))
                self.update(job_id, state=DONE, path=str(made), ended=time.time())
            except BrokenProcessPool:               # the process died (memory): said, the next job goes on
                self.update(job_id, state=FAILED, ended=time.time(), problem=(
                    error(SourceLocation(str(into), 1), "desk-job-failed", "le travail s'est arrêté (mémoire "
                          "épuisée ?) : recommencez ; si cela se répète, prévenez la personne qui a installé le bureau"),))
            except PublisherError as refused:
                self.update(job_id, state=FAILED, problem=tuple(refused.diagnostics), ended=time.time())
            except OSError as failed:               # a full disk, a read-only folder
                self.update(job_id, state=FAILED, ended=time.time(), problem=(
                    error(SourceLocation(str(failed.filename or into), 1), "desk-job-failed", disk_refusal(failed)),))
            except Exception as failed:             # noqa: BLE001  a fault of ours must not stop the next jobs
                self.update(job_id, state=FAILED, ended=time.time(), problem=(
                    error(SourceLocation(str(into), 1), "desk-job-failed", f"erreur interne ({type(failed).__name__} "
                          f"{failed}) : signalez-le"),))

    def apart(self, job_id: str, make: Callable, args: tuple) -> Path:
        """``make(*args)`` in a fresh process, its progress read from its file meanwhile."""
        progress = args[-1]
        with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
            future = pool.submit(make, *args)
            while True:
                try:
                    made = Path(future.result(timeout=LOOK_SECONDS))
                except TimeoutError:
                    made = None
                told = progress.read()
                if told:
                    self.progressed(job_id, *told)
                if made is not None:
                    return made

    def forget_old(self, owner: str) -> None:
        """Past :data:`KEPT` finished jobs of this person, the oldest go, with their files."""
        finished = sorted((j for j in self.jobs.values() if j.owner == owner and j.over), key=lambda j: j.number)
        for job in finished[:-KEPT] if len(finished) > KEPT else []:
            del self.jobs[job.id]
            shutil.rmtree(self.folder / job.id, ignore_errors=True)

    def stop(self) -> None:
        self.waiting.put(None)

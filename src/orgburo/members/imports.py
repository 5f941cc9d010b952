"""The import page: upload a members file, import it in the background, watch progress.

The upload is saved to a temporary file and imported by a background thread in a unit
of work of its own (all of the file, or nothing), with the uploader as the actor and
the page's body as the subtree every row must fall in. Jobs live in the server process;
the page polls a fragment with htmx (or reloads itself without JavaScript) until the
job ends. Only the uploader and administrators can watch a job.
"""

from __future__ import annotations

import logging
import secrets
import shutil
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, File, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import Engine

from orgburo.actors import Actor
from orgburo.config import get_settings
from orgburo.db import unit_of_work
from orgburo.errors import NotFound, OrgburoError, Problem
from orgburo.members import importer
from orgburo.tabular import ImportResult, file_format
from orgburo.web.deps import ActorDep, SessionDep
from orgburo.web.errors import problems_of
from orgburo.web.pages import render

router = APIRouter(include_in_schema=False)
log = logging.getLogger(__name__)
KEEP_JOBS = 200


@dataclass
class ImportJob:
    """One import: who started it, into which body, how far it has come, how it ended."""

    id: str
    body: str
    file_name: str
    owner: int | None
    done: int = 0
    total: int = 0
    state: str = "reading"  # reading, registering, finished, failed
    result: ImportResult | None = None
    problems: list[dict[str, object]] = field(default_factory=list)

    def advance(self, done: int, total: int) -> None:
        """Progress callback of the reader; the last batch read starts the registering."""
        self.done, self.total = done, total
        if total and done >= total:
            self.state = "registering"

    @property
    def running(self) -> bool:
        """Whether the job is still working."""
        return self.state in ("reading", "registering")


@dataclass
class ImportJobs:
    """The jobs of this server process, newest last."""

    jobs: dict[str, ImportJob] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, job: ImportJob) -> None:
        """Keep a new job, forgetting the oldest finished ones beyond KEEP_JOBS."""
        with self.lock:
            finished = [j.id for j in self.jobs.values() if not j.running]
            for old in finished[: max(0, len(self.jobs) + 1 - KEEP_JOBS)]:
                del self.jobs[old]
            self.jobs[job.id] = job

    def visible(self, job_id: str, actor: Actor) -> ImportJob:
        """The job, if the actor started it or administers the system."""
        job = self.jobs.get(job_id)
        if job is None or not (actor.is_admin or job.owner == actor.user_id):
            raise NotFound(f"job: no import {job_id!r} of yours is known to this server")
        return job


def run(job: ImportJob, engine: Engine, path: Path, actor: Actor) -> None:
    """Import the file in a transaction of its own; record how it ended on the job."""
    try:
        with unit_of_work(engine) as session:
            job.result = importer.import_file(
                session,
                path,
                actor=actor,
                within=job.body,
                progress=job.advance,
                batch_rows=get_settings().import_batch_rows,
            )
        job.state = "finished"
    except OrgburoError as error:
        job.problems, job.state = problems_of(error), "failed"
    except Exception:
        log.exception("import %s stopped", job.id)
        job.problems = [vars(Problem("file", "the import stopped unexpectedly; see the log"))]
        job.state = "failed"
    finally:
        path.unlink(missing_ok=True)


@router.get("/bodies/{code}/import", response_class=HTMLResponse)
def import_page(code: str, request: Request, session: SessionDep, actor: ActorDep) -> Response:
    """The upload form."""
    body = importer.import_scope(session, within=code, actor=actor)
    return render(request, "members/import.html", {"body": body, "errors": {}})


@router.post("/bodies/{code}/import", response_class=HTMLResponse)
def start_import(
    code: str,
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    file: Annotated[UploadFile, File()],
) -> Response:
    """Save the upload and import it in the background; show the job's page."""
    body = importer.import_scope(session, within=code, actor=actor)
    name = Path(file.filename or "upload").name
    try:
        suffix = file_format(Path(name))
    except OrgburoError as error:
        context = {"body": body, "errors": {"file": error.message.partition(": ")[2]}}
        return render(request, "members/import.html", context, status_code=error.http_status)
    path = _saved(file, suffix)
    job = ImportJob(secrets.token_urlsafe(9), body.code, name, actor.user_id)
    request.app.state.imports.add(job)
    thread = threading.Thread(
        target=run, args=(job, request.app.state.engine, path, actor), daemon=True
    )
    thread.start()
    return RedirectResponse(f"/imports/{job.id}", status_code=303)


def _saved(upload: UploadFile, suffix: str) -> Path:
    with tempfile.NamedTemporaryFile(suffix=f".{suffix}", delete=False) as handle:
        shutil.copyfileobj(upload.file, handle, 1 << 20)
    return Path(handle.name)


@router.get("/imports/{job_id}", response_class=HTMLResponse)
def job_page(job_id: str, request: Request, actor: ActorDep) -> Response:
    """How an import is going; the page refreshes itself until the job ends."""
    job = request.app.state.imports.visible(job_id, actor)
    return render(request, "members/import_job.html", {"job": job})


@router.get("/imports/{job_id}/progress", response_class=HTMLResponse)
def job_progress(job_id: str, request: Request, actor: ActorDep) -> Response:
    """The progress fragment the job page polls."""
    job = request.app.state.imports.visible(job_id, actor)
    return render(request, "members/_import_progress.html", {"job": job})

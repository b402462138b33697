"""Running jobs: one at a time, in a thread of the app or from ``manage.py run_jobs``.

The warehouse takes one writer at a time (DuckDB), so jobs run one after another: the
app keeps a single worker thread, started when a job is queued (``SIA_JOBS=thread``, the
default). With ``SIA_JOBS=command`` nothing runs in the app and ``manage.py run_jobs``
(from cron or a service) does the work; tests use it to run a job where they stand.
A job is claimed with a conditional update, so two processes never run the same job.
A job left "running" by a process of this machine that has since stopped (the app was
restarted mid-job) is marked failed, with the reason, before the next job starts.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import traceback
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.utils import timezone

from webapp.jobs.models import Job
from webapp.jobs.registry import KINDS, JobError

log = logging.getLogger(__name__)

_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()


def enqueue(kind: str, user, params: dict[str, Any] | None = None) -> Job:
    """Queue a job of ``kind`` for ``user``; it starts once the request's transaction
    commits (in this process's worker thread unless ``SIA_JOBS`` is ``command``)."""
    if kind not in KINDS:
        raise ValueError(f"unknown job kind {kind!r}; the kinds are {sorted(KINDS)}")
    job = Job.objects.create(kind=kind, params=params or {}, created_by=user)
    if getattr(settings, "SIA_JOBS", "thread") == "thread":
        transaction.on_commit(_wake)
    return job


def _wake() -> None:
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sia-job")
    _pool.submit(_in_thread)


def _in_thread() -> None:
    close_old_connections()
    try:
        run_queued()
    except Exception:  # the thread must not die silently; the job itself is marked failed
        log.exception("the job runner stopped")
    finally:
        connection.close()


#: Why a job left running by a stopped process failed, in words for the person who ran it.
INTERRUPTED = "The app stopped while this job was running, so it did not finish. Run it again."


def _worker() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # a process of another user: it exists
        return True
    return True


def fail_abandoned() -> list[Job]:
    """Mark failed the jobs still "running" in a process of this machine that has stopped.

    Jobs of other machines are left alone: whether their process lives cannot be told
    from here."""
    host = socket.gethostname()
    abandoned = []
    for job in Job.objects.filter(status=Job.RUNNING, worker__startswith=f"{host}:"):
        pid = job.worker.rpartition(":")[2]
        if not pid.isdigit() or _alive(int(pid)):
            continue
        still_left = Job.objects.filter(pk=job.pk, status=Job.RUNNING, worker=job.worker)
        if still_left.update(
            status=Job.FAILED,
            error=INTERRUPTED,
            finished_at=timezone.now(),
            progress="Failed",
            percent=None,
        ):
            abandoned.append(job)
    for job in abandoned:
        log.warning("job %s was left running by %s, which has stopped", job.pk, job.worker)
    return abandoned


def claim_next() -> Job | None:
    """The oldest queued job, now marked running by this process, or None."""
    for pk in (
        Job.objects.filter(status=Job.QUEUED)
        .order_by("created_at")
        .values_list("pk", flat=True)[:10]
    ):
        claimed = Job.objects.filter(pk=pk, status=Job.QUEUED).update(
            status=Job.RUNNING, started_at=timezone.now(), progress="Starting", worker=_worker()
        )
        if claimed:
            return Job.objects.get(pk=pk)
    return None


def run_job(job: Job) -> Job:
    """Run a claimed job to the end; its status, result or error are saved."""

    def progress(text: str, percent: int | None = None) -> None:
        Job.objects.filter(pk=job.pk).update(progress=text[:200], percent=percent)

    try:
        result = KINDS[job.kind].run(job, progress)
    except JobError as exc:
        _finish(job, Job.FAILED, error=str(exc))
    except Exception as exc:
        log.error("job %s failed:\n%s", job.pk, traceback.format_exc())
        _finish(job, Job.FAILED, error=f"The job stopped with an unexpected error: {exc}")
    else:
        _finish(job, Job.DONE, result=result)
    job.refresh_from_db()
    return job


def _finish(job: Job, status: str, result=None, error: str = "") -> None:
    Job.objects.filter(pk=job.pk).update(
        status=status,
        result=result,
        error=error,
        finished_at=timezone.now(),
        progress="Finished" if status == Job.DONE else "Failed",
        percent=100 if status == Job.DONE else None,
    )


def run_queued(limit: int | None = None) -> list[Job]:
    """Run queued jobs, oldest first, until none is left (or ``limit`` have run)."""
    fail_abandoned()
    done: list[Job] = []
    while limit is None or len(done) < limit:
        job = claim_next()
        if job is None:
            break
        done.append(run_job(job))
    return done

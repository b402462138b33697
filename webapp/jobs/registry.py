"""The kinds of job: a name, what people call it, the function that does it, and the page
that shows what it made. The apps that start jobs (loads, reports) register theirs when
Django starts (their ``AppConfig.ready``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from webapp.jobs.models import Job

#: ``progress(text, percent=None)``: tell the job's page what is happening.
Progress = Callable[..., None]


class JobError(Exception):
    """A job that cannot do its work, for a reason the person can act on (shown as is)."""


@dataclass(frozen=True)
class JobKind:
    name: str
    label: str
    #: ``run(job, progress)`` does the work and returns the result (JSON-serialisable).
    run: Callable[[Job, Progress], dict[str, Any]]
    #: The URL of the page that shows what the job made, or None.
    link: Callable[[Job], str | None] = lambda job: None


KINDS: dict[str, JobKind] = {}


def register(kind: JobKind) -> None:
    if kind.name in KINDS and KINDS[kind.name] != kind:
        raise ValueError(f"a job kind named {kind.name!r} is already registered")
    KINDS[kind.name] = kind

"""Background jobs: what a load or an assessment is doing, kept in the app database.

A :class:`Job` is queued by a page, run by :mod:`webapp.jobs.runner` (a thread of the app,
or ``manage.py run_jobs``), and read by the pages that show its progress and result. Its
state lives in the database so any process of the app can show it.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class Job(models.Model):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    STATUSES = [
        (QUEUED, "Waiting to start"),
        (RUNNING, "Running"),
        (DONE, "Finished"),
        (FAILED, "Failed"),
    ]

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=40)
    status = models.CharField(max_length=10, choices=STATUSES, default=QUEUED, db_index=True)
    #: What it is doing now, in words ("Loading: parsing"), and how far, when known.
    progress = models.CharField(max_length=200, blank=True)
    percent = models.PositiveSmallIntegerField(null=True, blank=True)
    params = models.JSONField(default=dict, blank=True)
    result = models.JSONField(null=True, blank=True)
    #: Why it failed, in words for the person who started it.
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    #: Which process runs it ("host:pid"), so a job left running by a process that has
    #: stopped can be told from one still at work.
    worker = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} job {self.id} ({self.status})"

    @property
    def finished(self) -> bool:
        return self.status in (self.DONE, self.FAILED)

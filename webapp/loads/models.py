"""A partner file an analyst uploaded, and the job that loads it.

The file is kept under ``<SIA_DATA_DIR>/uploads/<id>/`` with a name the app makes (never
the one it came with), outside anything the app serves, and it is only ever read as data.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings
from django.db import models

from webapp.jobs.models import Job


def uploads_dir() -> Path:
    """``<SIA_DATA_DIR>/uploads``: outside the static files and the templates."""
    return Path(settings.SIA_DATA_DIR) / "uploads"


class Upload(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    source = models.CharField(max_length=40)
    original_name = models.CharField(max_length=255)
    stored_name = models.CharField(max_length=100)
    #: What the content is: ``csv`` or ``xlsx`` (checked from the bytes, not the name).
    content_kind = models.CharField(max_length=10)
    size = models.BigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    job = models.OneToOneField(Job, null=True, on_delete=models.SET_NULL, related_name="upload")

    class Meta:
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.source})"

    def path(self) -> Path:
        return uploads_dir() / str(self.id) / self.stored_name

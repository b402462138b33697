"""A run of the assessment and its report, and whether it is published.

The files are written under ``<SIA_DATA_DIR>/reports/<id>/`` (never under the static
files) and served only through the download view, which checks the person's role: an
analyst sees every run; everyone else who may read reports sees published runs only.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings
from django.db import models

from webapp.jobs.models import Job

#: The report's files that people download, with what each is (``sia report`` writes them).
FILES = {
    "sia-report.html": ("The report (web page)", "text/html; charset=utf-8"),
    "sia-report.pdf": ("The report (PDF)", "application/pdf"),
    "sia-report.docx": (
        "The report (Word)",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "sia-tables.xlsx": (
        "The report's tables (Excel)",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
}


def reports_dir() -> Path:
    return Path(settings.SIA_DATA_DIR) / "reports"


class ReportRun(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    #: The period asked for (``YYYY-MM:YYYY-MM``), blank for the latest 12 months.
    period = models.CharField(max_length=15, blank=True)
    #: The period the assessment covered, once it has run.
    assessment_period = models.CharField(max_length=15, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    job = models.OneToOneField(Job, null=True, on_delete=models.SET_NULL, related_name="report_run")
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"report run {self.id}"

    @property
    def published(self) -> bool:
        return self.published_at is not None

    def folder(self) -> Path:
        return reports_dir() / str(self.id)

    def files(self) -> list[dict]:
        """The report's files that exist, in :data:`FILES` order."""
        return [
            {"name": name, "label": label, "size": (self.folder() / name).stat().st_size}
            for name, (label, _) in FILES.items()
            if (self.folder() / name).is_file()
        ]

"""Councillor ward meetings and officer sessions typed into the app.

Each model holds the columns of its spreadsheet form (``sia ingest councillor-session``,
``sia ingest officer-session``; ``docs/insight-sources.md``), so that ``sia ingest app``
loads a record typed here exactly as it would load the same row from the spreadsheet.
"""

from __future__ import annotations

from django.db import models
from sia.sources.insight import COUNCILLOR_SESSION, OFFICER_SESSION, ROUTES_KNOWN

from webapp.engagement.models import InsightRecord, _choices

ROUTES_LABELS = {"yes": "Yes", "partly": "Partly", "no": "No"}
ROUTES_CHOICES = _choices(ROUTES_KNOWN, ROUTES_LABELS)


class CouncillorMeeting(InsightRecord):
    """One ward meeting with councillors (section 5.1 of the SIA)."""

    FORMAT = COUNCILLOR_SESSION

    date = models.DateField("date of the meeting")
    ward_code = models.CharField("ward", max_length=9)
    councillors_attending = models.PositiveIntegerField(null=True, blank=True)
    concerns = models.JSONField(default=list, blank=True)
    praise = models.TextField("what works well", blank=True)
    suggestions = models.TextField(blank=True)
    reporting_routes_known = models.CharField(
        "reporting routes known", max_length=6, choices=ROUTES_CHOICES, blank=True
    )

    class Meta(InsightRecord.Meta):
        indexes = [models.Index(fields=("recorded_by", "-date"))]

    def __str__(self) -> str:
        return f"Ward meeting of {self.date:%-d %B %Y} ({self.ward_code})"


class OfficerSession(InsightRecord):
    """One place-based or theme session with officers (sections 3 and 5.2)."""

    FORMAT = OFFICER_SESSION

    date = models.DateField("date of the session")
    place = models.CharField(max_length=100)
    theme = models.CharField(max_length=100, blank=True)
    officers_attending = models.PositiveIntegerField(null=True, blank=True)
    issues = models.JSONField(default=list, blank=True)

    class Meta(InsightRecord.Meta):
        indexes = [models.Index(fields=("recorded_by", "-date"))]

    def __str__(self) -> str:
        return f"Officer session of {self.date:%-d %B %Y} ({self.place})"

"""Community tension reports typed into the app, as the tension spreadsheet form
(``sia ingest tension``; ``docs/insight-sources.md``)."""

from __future__ import annotations

from django.db import models
from sia.sources.insight import EVIDENCE, TENSION, TRIGGERS

from webapp.engagement.models import InsightRecord, _choices

TRIGGER_CHOICES = _choices(
    TRIGGERS, {"local": "Local", "national": "National", "international": "International"}
)
EVIDENCE_CHOICES = _choices(
    EVIDENCE,
    {
        "evidenced": "Evidenced: seen in reports or records",
        "experienced": "Experienced: felt or heard by people locally",
        "potential": "Potential: could arise",
    },
)
#: The tension levels of the form (the loader takes 1 to 5).
LEVEL_CHOICES = [
    (1, "1 – Low"),
    (2, "2 – Guarded"),
    (3, "3 – Elevated"),
    (4, "4 – High"),
    (5, "5 – Critical"),
]


class TensionReport(InsightRecord):
    """One community tension report."""

    FORMAT = TENSION

    date = models.DateField("date of the report")
    place = models.CharField(max_length=100, blank=True)
    ward_code = models.CharField("ward", max_length=9, blank=True)
    category = models.CharField(max_length=100)
    trigger = models.CharField(max_length=13, choices=TRIGGER_CHOICES)
    evidence = models.CharField(max_length=11, choices=EVIDENCE_CHOICES)
    level = models.PositiveSmallIntegerField(choices=LEVEL_CHOICES)
    summary = models.TextField("what is happening", blank=True)
    actions = models.TextField("what is being done", blank=True)

    class Meta(InsightRecord.Meta):
        indexes = [
            models.Index(fields=("recorded_by", "-date")),
            models.Index(fields=("date",)),
        ]

    def __str__(self) -> str:
        return f"Tension report of {self.date:%-d %B %Y} (level {self.level})"

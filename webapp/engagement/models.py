"""Community engagement records typed into the app.

One :class:`Engagement` holds the columns of the engagement spreadsheet form
(``docs/insight-sources.md``), who recorded it and its version (raised on every edit), so
that ``sia ingest app`` can later copy new and changed records into the warehouse by id and
version, exactly as it would load the same rows from the spreadsheet.
"""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.conf import settings
from django.db import models
from sia.sources.insight import ENGAGEMENT, FEELINGS, ORGANISATION_TYPES, TEAMS
from sia.sources.tabular import TabularFormat

#: What people see for each of the loader's values.
TEAM_LABELS = {
    "community_plus": "Community Plus",
    "detached_youth": "Detached youth work",
    "environment": "Community environment support",
    "other": "Another team",
}
ORGANISATION_LABELS = {
    "none": "No organisation: individuals only",
    "mosque": "Mosque",
    "other_faith": "Another faith organisation",
    "womens_group": "Women's group",
    "youth": "Youth group or provision",
    "community_group": "Community group",
    "school": "School or college",
    "food_hub": "Food hub",
    "other": "Another organisation",
}
FEELING_LABELS = {
    "positive": "Positive",
    "ok": "OK",
    "mixed": "Mixed",
    "anxious": "Anxious",
    "concerned": "Concerned",
}


def _choices(values: tuple[str, ...], labels: dict[str, str]) -> list[tuple[str, str]]:
    """The loader's values with their labels; refuses a value without one (or the reverse)."""
    if set(values) != set(labels):
        raise ValueError(f"labels {sorted(labels)} do not match the loader's values {values}")
    return [(v, labels[v]) for v in values]


TEAM_CHOICES = _choices(TEAMS, TEAM_LABELS)
ORGANISATION_CHOICES = _choices(ORGANISATION_TYPES, ORGANISATION_LABELS)
FEELING_CHOICES = _choices(FEELINGS, FEELING_LABELS)

#: The spreadsheet form's columns, in order (``sia ingest engagement``).
ROW_COLUMNS = (
    "engagement_id",
    "date",
    "team",
    "place",
    "ward_code",
    "organisation_type",
    "individuals",
    "groups",
    "feeling",
    "concerns",
    "notes",
    "strengths",
    "locations",
)


class InsightRecord(models.Model):
    """What every insight record typed into the app has: an id that is its key in the
    warehouse (``app-<uuid>``), a version raised on every edit (``sia ingest app`` loads a
    record again when its version is newer), who recorded it, and its date.

    A subclass names its loader format (:attr:`FORMAT`), whose columns :meth:`as_row`
    gives in order, and :meth:`row_values`, the values of those columns as text.
    """

    FORMAT: ClassVar[TabularFormat]

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    date = models.DateField()

    class Meta:
        abstract = True
        ordering = ("-date", "-created_at")

    @property
    def record_id(self) -> str:
        """The record's id in the warehouse (the format's id column)."""
        return f"app-{self.id}"

    def as_row(self) -> dict[str, str]:
        """The record as one row of its spreadsheet form (every value as text), in the
        loader's column order: the id column, then each column from the field of its name."""
        id_column = self.FORMAT.columns[0].header
        row = {id_column: self.record_id, "date": self.date.isoformat()}
        return {
            c.header: row[c.header] if c.header in row else text(getattr(self, c.header))
            for c in self.FORMAT.columns
        }


def text(value) -> str:
    """A value as the spreadsheet cell would hold it: blank for none, ids joined by ``;``."""
    if value is None:
        return ""
    if isinstance(value, list):
        return ";".join(value)
    return str(value)


class Engagement(models.Model):
    """One community engagement, as recorded by an officer."""

    FORMAT: ClassVar[TabularFormat] = ENGAGEMENT

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="engagements"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    date = models.DateField("date of the engagement")
    team = models.CharField(max_length=20, choices=TEAM_CHOICES)
    place = models.CharField(max_length=100, blank=True)
    ward_code = models.CharField("ward", max_length=9, blank=True)
    organisation_type = models.CharField(max_length=20, choices=ORGANISATION_CHOICES, blank=True)
    individuals = models.PositiveIntegerField(null=True, blank=True)
    groups = models.PositiveIntegerField(null=True, blank=True)
    feeling = models.CharField(max_length=10, choices=FEELING_CHOICES, blank=True)
    concerns = models.JSONField(default=list, blank=True)
    notes = models.TextField("what was said", blank=True)
    strengths = models.TextField(blank=True)
    locations = models.TextField("locations mentioned", blank=True)

    class Meta:
        ordering = ("-date", "-created_at")
        indexes = [models.Index(fields=("recorded_by", "-date"))]

    def __str__(self) -> str:
        return f"{self.date:%d %B %Y}, {self.place or self.ward_code} ({self.get_team_display()})"

    @property
    def engagement_id(self) -> str:
        """The record's id in the warehouse (``engagement_id`` of the spreadsheet form)."""
        return f"app-{self.id}"

    @property
    def record_id(self) -> str:
        return self.engagement_id

    def as_row(self) -> dict[str, str]:
        """The record as one row of the spreadsheet form (every value as text)."""
        row = {
            "engagement_id": self.engagement_id,
            "date": self.date.isoformat(),
            "team": self.team,
            "place": self.place,
            "ward_code": self.ward_code,
            "organisation_type": self.organisation_type,
            "individuals": "" if self.individuals is None else str(self.individuals),
            "groups": "" if self.groups is None else str(self.groups),
            "feeling": self.feeling,
            "concerns": ";".join(self.concerns),
            "notes": self.notes,
            "strengths": self.strengths,
            "locations": self.locations,
        }
        return {c: row[c] for c in ROW_COLUMNS}

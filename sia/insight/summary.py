"""The community insight of one period, summarised: reach, concerns, feelings, tensions.

:func:`build_insight` reads the four insight tables of the warehouse (``engagements``,
``councillor_sessions``, ``officer_sessions``, ``tension_reports``), tags every record with
the partnership's concerns (:mod:`sia.insight.tagging`) and summarises the period against
the previous period of equal length: the reach table by place (the SIA's section 5.3), the
concerns raised most often in the district and in each place with their change, the
concerns councillors, officers and communities share, how people feel by place, the wards
and councillors engaged, tension levels by week and by month, and which concerns are
raised together in one record. The aggregations are DuckDB SQL in
``sia/warehouse/sql/insight_*.sql``.

Examples
--------
>>> from datetime import date
>>> from sia.config import load_partnership
>>> from sia.warehouse import Warehouse
>>> partnership = load_partnership("kirklees")
>>> wh = Warehouse.open(partnership, "sia-data/demo", read_only=True)  # doctest: +SKIP
>>> summary = build_insight(wh, partnership, date(2025, 2, 1), date(2026, 1, 1))  # doctest: +SKIP
>>> summary.concerns[0].concern_id  # doctest: +SKIP
'asb'
"""

from __future__ import annotations

import json
from datetime import date
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field

if TYPE_CHECKING:
    from sia.config import Partnership
    from sia.warehouse import Warehouse

#: The sources of insight, as they appear in ``by_source`` and ``CommonConcern.sources``.
INSIGHT_SOURCES: tuple[str, ...] = ("community", "councillor", "officer", "tension")
#: The three sources whose shared concerns the SIA reports (section 5.1-5.3).
VOICES: tuple[str, ...] = ("community", "councillor", "officer")
#: The feelings an engagement records, from best to worst.
FEELINGS: tuple[str, ...] = ("positive", "ok", "mixed", "anxious", "concerned")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class InsightPeriod(_Model):
    """A run of whole months: ``start`` and ``end`` are the first days of the first and
    last month, both included."""

    start: date
    end: date
    months: int


class ConcernMentions(_Model):
    """One concern at one level (the district or a place) in the period."""

    concern_id: str
    name: str
    kind: Literal["priority", "theme"]
    priority_id: str | None = Field(description="The priority's id, for kind == 'priority'")
    mentions: int = Field(description="Records tagged with the concern in the period")
    previous_mentions: int = Field(description="Records tagged with it in the previous period")
    rank: int = Field(description="1 = most raised at that level in the period; ties share")
    by_source: dict[str, int] = Field(
        description="'community' | 'councillor' | 'officer' | 'tension' -> mentions"
    )

    @property
    def change(self) -> int:
        """Mentions now less mentions in the previous period."""
        return self.mentions - self.previous_mentions


class ConcernLink(_Model):
    """Two concerns raised together: ``records`` records were tagged with both (a < b)."""

    a: str
    b: str
    records: int


class TensionChange(_Model):
    """Tension reports tagged with one concern: now against the previous period.

    Levels are the reports' 1-5 levels; ``mean_level`` and ``max_level`` are ``None`` when
    there were no reports."""

    reports: int
    mean_level: float | None
    max_level: int | None
    previous_reports: int
    previous_mean_level: float | None
    previous_max_level: int | None


class ReachRow(_Model):
    """One row of the reach table (SIA section 5.3). ``None`` is "N/A": the place
    recorded no engagement with an organisation of that type."""

    place: str
    engagements: int
    individuals: int
    groups: int
    mosques: int | None
    other_faith: int | None


class FeelingRow(_Model):
    """How people feel in one place: engagements per feeling, and those with none recorded."""

    place: str
    feelings: dict[str, int]
    not_recorded: int
    total: int


class Engagement(_Model):
    """Who was engaged in the period."""

    councillor_sessions: int
    councillor_wards: int = Field(description="Distinct wards with a councillor ward meeting")
    councillors: int = Field(description="Councillors attending, summed over the meetings")
    officer_sessions: int
    officers: int = Field(description="Officers attending, summed over the sessions")
    engagements: int
    engagement_wards: int = Field(description="Distinct wards with a community engagement")
    tension_reports: int


class TensionPoint(_Model):
    """Tension reports in one week (starting Monday) or one month."""

    start: date
    reports: int
    max_level: int
    mean_level: float


class CommonConcern(_Model):
    """A concern raised by more than one of councillors, officers and communities."""

    concern_id: str
    name: str
    sources: list[str]
    by_source: dict[str, int]


class InsightSummary(_Model):
    """The community insight of one period, against the previous period of equal length."""

    partnership_id: str
    period: InsightPeriod
    previous_period: InsightPeriod
    concerns: list[ConcernMentions] = Field(description="District, sorted by rank")
    by_place: dict[str, list[ConcernMentions]] = Field(
        description="Place name -> its concerns raised in either period, sorted by rank"
    )
    links: list[ConcernLink] = Field(description="Concern pairs raised in one record")
    tension_by_concern: dict[str, TensionChange]
    common: list[CommonConcern] = Field(
        description="Concerns raised by at least two of community, councillors and officers"
    )
    reach: list[ReachRow]
    feelings: list[FeelingRow]
    engaged: Engagement
    tension_by_week: list[TensionPoint]
    tension_by_month: list[TensionPoint]
    unmapped_labels: dict[str, int] = Field(
        default_factory=dict,
        description="Recorded concern labels that no concern of the taxonomy claims or "
        "matches, with the records carrying them",
    )

    def to_json(self) -> str:
        return json.dumps(self.model_dump(mode="json"), indent=2, ensure_ascii=False)


def build_insight(
    wh: Warehouse, partnership: Partnership, start: date, end: date
) -> InsightSummary:
    """Summarise the insight of ``start..end`` (first days of months, both included)."""
    raise NotImplementedError("build_insight is being written")

"""Community evidence per priority: the small input the community criteria read.

The rules need, for each priority, how often its concern was raised now and before, its
rank, and the tension reports about it; and, for the cross-cutting test, which concerns
were raised together. :class:`CommunityInput` holds exactly that, so the rules can be
tested on inputs written by hand; :func:`from_insight` builds it from the
:class:`~sia.insight.summary.InsightSummary` of :mod:`sia.insight`.

A count for the previous period is ``None`` when the previous period has no insight at
all (no concern mentioned, no tension report): a change cannot be told from the start of
recording, so nothing is called rising against it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field

if TYPE_CHECKING:
    from sia.insight.summary import InsightSummary

__all__ = ["CommunityEvidence", "CommunityInput", "ConcernPair", "from_insight"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CommunityEvidence(_Model):
    """What communities, councillors and officers said about one priority."""

    priority_id: str
    concerns: list[str] = Field(default_factory=list, description="The concern ids counted")
    mentions: int = 0
    previous_mentions: int | None = Field(
        default=None, description="None: the previous period has no insight to compare with"
    )
    rank: int | None = Field(default=None, description="1 = most raised in the district")
    by_source: dict[str, int] = Field(default_factory=dict)
    tension_reports: int = 0
    tension_max_level: int | None = None
    tension_mean_level: float | None = None
    previous_tension_reports: int | None = None
    previous_tension_mean_level: float | None = None


class ConcernPair(_Model):
    """Two priorities' concerns raised in one record: ``records`` records had both, of
    ``total`` records; ``a_records`` and ``b_records`` had each."""

    a: str
    b: str
    records: int
    a_records: int
    b_records: int
    total: int


class CommunityInput(_Model):
    """The community evidence of one period, per priority, and the concern pairs."""

    period: str = ""
    priorities: dict[str, CommunityEvidence] = Field(default_factory=dict)
    pairs: list[ConcernPair] = Field(default_factory=list)
    theme_pairs: list[ConcernPair] = Field(
        default_factory=list,
        description="A priority (a) raised with a cross-cutting theme (b, its concern id)",
    )
    records: int = Field(default=0, description="Insight records in the period")

    def of(self, priority_id: str) -> CommunityEvidence | None:
        return self.priorities.get(priority_id)


def from_insight(summary: InsightSummary) -> CommunityInput:
    """The :class:`CommunityInput` of an insight summary.

    Concerns of kind ``priority`` count for their priority (several concerns of one
    priority are added up, and its rank is the best of theirs); cross-cutting themes are
    not priorities and are left out. Tension reports count for the priority of the
    concern they were tagged with."""
    previous_any = any(c.previous_mentions for c in summary.concerns)
    tensions_before = any(t.previous_reports for t in summary.tension_by_concern.values())
    priority_of = {c.concern_id: c.priority_id for c in summary.concerns if c.priority_id}
    evidence: dict[str, CommunityEvidence] = {}
    for c in summary.concerns:
        if c.kind != "priority" or not c.priority_id:
            continue
        e = evidence.get(c.priority_id) or CommunityEvidence(
            priority_id=c.priority_id, previous_mentions=0 if previous_any else None
        )
        by_source = dict(e.by_source)
        for source, n in c.by_source.items():
            by_source[source] = by_source.get(source, 0) + n
        evidence[c.priority_id] = e.model_copy(
            update={
                "concerns": [*e.concerns, c.concern_id],
                "mentions": e.mentions + c.mentions,
                "previous_mentions": (
                    e.previous_mentions + c.previous_mentions if previous_any else None
                ),
                "rank": min(r for r in (e.rank, c.rank) if r is not None),
                "by_source": by_source,
            }
        )
    for concern_id, t in summary.tension_by_concern.items():
        priority_id = priority_of.get(concern_id)
        if priority_id is None:
            continue
        e = evidence.get(priority_id) or CommunityEvidence(priority_id=priority_id)
        levels = [x for x in (e.tension_max_level, t.max_level) if x is not None]
        evidence[priority_id] = e.model_copy(
            update={
                "tension_reports": e.tension_reports + t.reports,
                "tension_max_level": max(levels) if levels else None,
                "tension_mean_level": _mean(
                    e.tension_mean_level, e.tension_reports, t.mean_level, t.reports
                ),
                "previous_tension_reports": (
                    (e.previous_tension_reports or 0) + t.previous_reports
                    if tensions_before
                    else None
                ),
                "previous_tension_mean_level": _mean(
                    e.previous_tension_mean_level,
                    e.previous_tension_reports or 0,
                    t.previous_mean_level,
                    t.previous_reports,
                ),
            }
        )
    e = summary.engaged
    total = e.engagements + e.councillor_sessions + e.officer_sessions + e.tension_reports
    mentions = {c.concern_id: c.mentions for c in summary.concerns}
    themes = {c.concern_id for c in summary.concerns if c.kind == "theme"}
    pairs, theme_pairs = [], []
    for link in summary.links:
        pa, pb = priority_of.get(link.a), priority_of.get(link.b)
        if pa is not None and pb is not None and pa != pb:
            pairs.append(
                ConcernPair(
                    a=pa,
                    b=pb,
                    records=link.records,
                    a_records=mentions.get(link.a, 0),
                    b_records=mentions.get(link.b, 0),
                    total=total,
                )
            )
        for concern, priority, theme in ((link.a, pa, link.b), (link.b, pb, link.a)):
            if priority is not None and theme in themes:
                theme_pairs.append(
                    ConcernPair(
                        a=priority,
                        b=theme,
                        records=link.records,
                        a_records=mentions.get(concern, 0),
                        b_records=mentions.get(theme, 0),
                        total=total,
                    )
                )
    period = f"{summary.period.start:%Y-%m}:{summary.period.end:%Y-%m}"
    return CommunityInput(
        period=period,
        priorities=evidence,
        pairs=pairs,
        theme_pairs=theme_pairs,
        records=total,
    )


def _mean(m1: float | None, n1: int, m2: float | None, n2: int) -> float | None:
    parts = [(m, n) for m, n in ((m1, n1), (m2, n2)) if m is not None and n]
    if not parts:
        return None
    return sum(m * n for m, n in parts) / sum(n for _, n in parts)

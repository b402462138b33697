"""from_insight: the insight summary becomes the small input the community rules read."""

from __future__ import annotations

from datetime import date

from sia.insight.summary import (
    ConcernLink,
    ConcernMentions,
    Engagement,
    InsightSummary,
    TensionChange,
)
from sia.months import Period
from sia.prioritise.evidence import from_insight


def _concern(cid, kind, priority, mentions, previous, rank):
    return ConcernMentions(
        concern_id=cid,
        name=cid,
        kind=kind,
        priority_id=priority,
        mentions=mentions,
        previous_mentions=previous,
        rank=rank,
        by_source={"community": mentions},
    )


def _summary(previous: bool) -> InsightSummary:
    before = 10 if previous else 0
    return InsightSummary(
        partnership_id="kirklees",
        period=Period(start=date(2025, 2, 1), end=date(2026, 1, 1), months=12),
        previous_period=Period(start=date(2024, 2, 1), end=date(2025, 1, 1), months=12),
        concerns=[
            _concern("asb", "priority", "asb", 80, before, 1),
            _concern("underreporting", "theme", None, 30, 0, 2),
            _concern("hate-crime", "priority", "hate-crime", 20, before, 3),
            _concern("community-tensions", "priority", "community-tensions", 12, 0, 4),
        ],
        by_place={},
        links=[
            ConcernLink(a="asb", b="hate-crime", records=9),
            ConcernLink(a="hate-crime", b="underreporting", records=12),
        ],
        tension_by_concern={
            "community-tensions": TensionChange(
                reports=6,
                mean_level=2.5,
                max_level=4,
                previous_reports=2 if previous else 0,
                previous_mean_level=1.5 if previous else None,
                previous_max_level=2 if previous else None,
            )
        },
        common=[],
        reach=[],
        feelings=[],
        engaged=Engagement(
            councillor_sessions=22,
            councillor_wards=22,
            councillors=47,
            officer_sessions=12,
            officers=160,
            engagements=400,
            engagement_wards=23,
            tension_reports=6,
        ),
        tension_by_week=[],
        tension_by_month=[],
    )


def test_priorities_themes_links_and_tensions_are_carried_over():
    c = from_insight(_summary(previous=True))
    assert c.records == 22 + 12 + 400 + 6
    asb = c.of("asb")
    assert (asb.mentions, asb.previous_mentions, asb.rank) == (80, 10, 1)
    assert c.of("underreporting") is None  # a theme is not a priority
    [pair] = c.pairs
    assert (pair.a, pair.b, pair.records, pair.a_records, pair.b_records) == (
        "asb",
        "hate-crime",
        9,
        80,
        20,
    )
    [theme] = c.theme_pairs
    assert (theme.a, theme.b, theme.records, theme.a_records, theme.b_records) == (
        "hate-crime",
        "underreporting",
        12,
        20,
        30,
    )
    t = c.of("community-tensions")
    assert (t.tension_reports, t.tension_max_level, t.previous_tension_reports) == (6, 4, 2)
    assert t.previous_tension_mean_level == 1.5


def test_a_previous_period_without_insight_gives_no_previous_counts():
    c = from_insight(_summary(previous=False))
    assert c.of("asb").previous_mentions is None
    assert c.of("community-tensions").previous_tension_reports is None
    assert c.period == "2025-02:2026-01"

"""The insight summary as rich tables, for ``sia insight``.

Each function takes an :class:`~sia.insight.summary.InsightSummary` and returns one
:class:`rich.table.Table`; :func:`insight_tables` returns them all in the order printed.
"""

from __future__ import annotations

from datetime import date

from rich.table import Table

from sia.insight.summary import (
    FEELINGS,
    INSIGHT_SOURCES,
    ConcernMentions,
    InsightSummary,
    TaggedRecord,
)

NOT_APPLICABLE = "N/A"


def _table(title: str, *columns: str, right_from: int = 1) -> Table:
    table = Table(title=title, title_justify="left")
    for i, name in enumerate(columns):
        table.add_column(name, justify="right" if i >= right_from else "left")
    return table


def _change(c: ConcernMentions) -> str:
    return f"{c.change:+d}" if c.change else "0"


def _period(summary: InsightSummary) -> str:
    p, q = summary.period, summary.previous_period
    return f"{p.start:%b %Y} to {p.end:%b %Y} (previous: {q.start:%b %Y} to {q.end:%b %Y})"


def reach_table(summary: InsightSummary) -> Table:
    """The SIA's section 5.3 table; "N/A" where a place recorded no such organisation."""
    table = _table(
        "Reach by place",
        "Place",
        "Engagements",
        "Individuals",
        "Groups",
        "Mosques",
        "Other faith orgs",
    )
    for r in summary.reach:
        table.add_row(
            r.place,
            f"{r.engagements:,}",
            f"{r.individuals:,}",
            f"{r.groups:,}",
            NOT_APPLICABLE if r.mosques is None else f"{r.mosques:,}",
            NOT_APPLICABLE if r.other_faith is None else f"{r.other_faith:,}",
        )
    return table


def concerns_table(summary: InsightSummary, top: int) -> Table:
    """The district's most raised concerns, with the previous period and each source."""
    table = _table(
        f"Most raised concerns, district: {_period(summary)}",
        "Rank",
        "Concern",
        "Kind",
        "Mentions",
        "Previous",
        "Change",
        *INSIGHT_SOURCES,
        right_from=3,
    )
    for c in [c for c in summary.concerns if c.mentions or c.previous_mentions][:top]:
        table.add_row(
            str(c.rank),
            c.name,
            c.kind,
            str(c.mentions),
            str(c.previous_mentions),
            _change(c),
            *(str(c.by_source.get(s, 0)) for s in INSIGHT_SOURCES),
        )
    return table


def places_table(summary: InsightSummary, top: int) -> Table:
    """Each place's most raised concerns: mentions (change on the previous period)."""
    table = _table(
        "Most raised concerns by place",
        "Place",
        *(str(i) for i in range(1, top + 1)),
        right_from=top + 1,
    )
    for place, concerns in summary.by_place.items():
        raised = [c for c in concerns if c.mentions][:top]
        cells = [f"{c.name}: {c.mentions} ({_change(c)})" for c in raised]
        table.add_row(place, *cells, *([""] * (top - len(cells))))
    return table


def common_table(summary: InsightSummary) -> Table:
    table = _table(
        "Concerns shared by community, councillors and officers",
        "Concern",
        "Raised by",
        "community",
        "councillor",
        "officer",
        right_from=2,
    )
    for c in summary.common:
        table.add_row(
            c.name,
            ", ".join(c.sources),
            *(str(c.by_source.get(v, 0)) for v in ("community", "councillor", "officer")),
        )
    return table


def feelings_table(summary: InsightSummary) -> Table:
    table = _table("How people feel, by place", "Place", *FEELINGS, "not recorded", "total")
    for r in summary.feelings:
        table.add_row(
            r.place,
            *(str(r.feelings.get(f, 0)) for f in FEELINGS),
            str(r.not_recorded),
            str(r.total),
        )
    return table


def engaged_table(summary: InsightSummary) -> Table:
    e = summary.engaged
    table = _table("Who was engaged", "What", "Count")
    for label, value in (
        ("Councillor ward meetings", e.councillor_sessions),
        ("Wards with a ward meeting", e.councillor_wards),
        ("Councillors attending", e.councillors),
        ("Officer sessions", e.officer_sessions),
        ("Officers attending", e.officers),
        ("Community engagements", e.engagements),
        ("Wards with a community engagement", e.engagement_wards),
        ("Tension reports", e.tension_reports),
    ):
        table.add_row(label, f"{value:,}")
    return table


def tension_table(summary: InsightSummary) -> Table:
    table = _table("Community tension by month", "Month", "Reports", "Highest level", "Mean level")
    for p in summary.tension_by_month:
        table.add_row(
            f"{p.start:%b %Y}",
            str(p.reports),
            "" if p.max_level is None else str(p.max_level),
            "" if p.mean_level is None else f"{p.mean_level:.1f}",
        )
    return table


def links_table(summary: InsightSummary, top: int) -> Table:
    names = {c.concern_id: c.name for c in summary.concerns}
    table = _table(
        "Concerns raised together in one record", "Concern", "With", "Records", right_from=2
    )
    for link in summary.links[:top]:
        table.add_row(names.get(link.a, link.a), names.get(link.b, link.b), str(link.records))
    return table


def insight_tables(summary: InsightSummary, top: int = 10) -> list[Table]:
    """Every table ``sia insight`` prints, in order."""
    return [
        reach_table(summary),
        engaged_table(summary),
        concerns_table(summary, top),
        places_table(summary, min(top, 5)),
        common_table(summary),
        feelings_table(summary),
        tension_table(summary),
        links_table(summary, top),
    ]


def explain_table(concern_id: str, records: list[TaggedRecord], start: date, end: date) -> Table:
    """The records tagged with one concern and what in each matched (``--explain``)."""
    table = _table(
        f"{len(records):,} records tagged {concern_id}, {start:%b %Y} to {end:%b %Y}",
        "Source",
        "Record",
        "Month",
        "Place",
        "Matched",
        right_from=99,
    )
    for r in records:
        table.add_row(
            r.source, r.record_id, f"{r.month:%b %Y}", r.place or "", "; ".join(r.matches)
        )
    return table

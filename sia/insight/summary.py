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
from collections.abc import Iterator
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from sia.insight.tagging import KeywordTagger, Tag, merge
from sia.months import Period, add_months, month_end, month_range, months_between
from sia.warehouse import sql

if TYPE_CHECKING:
    from sia.config import Partnership
    from sia.config.schema import Concern
    from sia.warehouse import Warehouse

#: The sources of insight, as they appear in ``by_source`` and ``CommonConcern.sources``.
INSIGHT_SOURCES: tuple[str, ...] = ("community", "councillor", "officer", "tension")
#: The three sources whose shared concerns the SIA reports (section 5.1-5.3).
VOICES: tuple[str, ...] = ("community", "councillor", "officer")
#: The feelings an engagement records, from best to worst.
FEELINGS: tuple[str, ...] = ("positive", "ok", "mixed", "anxious", "concerned")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


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
    """Tension reports in one week (starting Monday) or one month; every week and month of
    the period is listed, those without reports with ``reports`` 0 and no levels."""

    start: date
    reports: int
    max_level: int | None
    mean_level: float | None


class CommonConcern(_Model):
    """A concern raised by more than one of councillors, officers and communities."""

    concern_id: str
    name: str
    sources: list[str]
    by_source: dict[str, int]


class InsightSummary(_Model):
    """The community insight of one period, against the previous period of equal length."""

    partnership_id: str
    period: Period
    previous_period: Period
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


class InsightError(Exception):
    """The insight cannot be summarised as asked (no data, or a period that makes no sense)."""


def default_period(wh: Warehouse) -> tuple[date, date]:
    """The period ``sia assess`` uses by default: the 12 months ending with the latest month
    with events; without events, the latest month with any insight record.

    Raises
    ------
    InsightError
        When the warehouse has neither events nor insight records.
    """
    latest = wh.scalar("SELECT max(month) FROM events")
    if latest is None:
        latest = wh.scalar(
            "SELECT max(m) FROM (SELECT max(month) AS m FROM engagements UNION ALL "
            "SELECT max(month) FROM councillor_sessions UNION ALL "
            "SELECT max(month) FROM officer_sessions UNION ALL "
            "SELECT max(month) FROM tension_reports)"
        )
    if latest is None:
        raise InsightError("the warehouse has no events and no insight: load some data first")
    return add_months(latest, -11), latest


def build_insight(
    wh: Warehouse, partnership: Partnership, start: date, end: date
) -> InsightSummary:
    """Summarise the insight of months ``start..end`` against the months just before.

    Parameters
    ----------
    wh
        An open warehouse (read-only is fine: nothing is written).
    partnership
        Its ``concerns`` are the taxonomy records are tagged with.
    start, end
        The first and last month of the period (any day of them), both included. The
        previous period is the run of as many months just before ``start``.

    Raises
    ------
    InsightError
        When ``end`` is before ``start``.
    """
    start, end = date(start.year, start.month, 1), date(end.year, end.month, 1)
    if end < start:
        raise InsightError(f"the period ends ({end:%Y-%m}) before it starts ({start:%Y-%m})")
    months = months_between(start, end)
    period = Period(start=start, end=end, months=months)
    previous = Period(start=add_months(start, -months), end=add_months(start, -1), months=months)
    tagger = KeywordTagger.for_partnership(partnership)
    tags, unmapped = _tag_records(wh, tagger, previous.start, start, end)
    concerns = {c.id: c for c in partnership.concerns}
    now = {"start": start, "end": end}

    wh.con.register("_insight_tags", tags)
    try:
        counts = wh.rows(sql("insight_concern_counts"))
        links = [ConcernLink(**r) for r in wh.rows(sql("insight_links"))]
        tension_rows = wh.rows(sql("insight_tension_by_concern"))
    finally:
        wh.con.unregister("_insight_tags")

    district, by_place = _mentions(counts, concerns, [p.name for p in partnership.places])
    return InsightSummary(
        partnership_id=partnership.id,
        period=period,
        previous_period=previous,
        concerns=district,
        by_place=by_place,
        links=links,
        tension_by_concern={
            r["concern_id"]: TensionChange(**{k: v for k, v in r.items() if k != "concern_id"})
            for r in tension_rows
            if r["reports"] or r["previous_reports"]
        },
        common=_common(district),
        reach=_reach(wh.rows(sql("insight_reach"), now), partnership),
        feelings=_feelings(wh.rows(sql("insight_feelings"), now), partnership),
        engaged=Engagement(**wh.rows(sql("insight_engaged"), now)[0]),
        tension_by_week=_timeline(wh, now, "week", start, end),
        tension_by_month=_timeline(wh, now, "month", start, end),
        unmapped_labels=unmapped,
    )


# -- tagging ----------------------------------------------------------------------------------
_TAG_COLUMNS = ["voice", "record_id", "place", "in_period", "concern_id", "level"]


def _tagged_records(
    wh: Warehouse, tagger: KeywordTagger, first: date, last: date
) -> Iterator[tuple[dict[str, Any], list[Tag], list[str]]]:
    """Each record of months ``first..last`` with its tags and the labels meaning nothing."""
    for r in wh.rows(sql("insight_records"), {"first": first, "last": last}):
        from_labels, unknown = tagger.tag_labels(r["labels"] or [])
        yield r, merge(from_labels, tagger.tag(r["text"])), unknown


def _tag_records(
    wh: Warehouse, tagger: KeywordTagger, first: date, start: date, last: date
) -> tuple[pd.DataFrame, dict[str, int]]:
    """One row per record and concern over ``first..last``; and the labels of the period
    (``start..last``) that mean no concern, with the records carrying each."""
    rows: list[tuple] = []
    unmapped: dict[str, int] = {}
    for r, tags, unknown in _tagged_records(wh, tagger, first, last):
        in_period = r["month"] >= start
        for t in tags:
            rows.append(
                (r["voice"], r["record_id"], r["place"], in_period, t.concern_id, r["level"])
            )
        if in_period:
            for label in dict.fromkeys(unknown):
                unmapped[label] = unmapped.get(label, 0) + 1
    frame = pd.DataFrame(rows, columns=_TAG_COLUMNS).astype(
        {
            "voice": "str",
            "record_id": "str",
            "place": "object",
            "in_period": "bool",
            "concern_id": "str",
            "level": "Int64",
        }
    )
    return frame, dict(sorted(unmapped.items(), key=lambda kv: (-kv[1], kv[0])))


class TaggedRecord(_Model):
    """One record tagged with a concern, and what in it matched (labels or words)."""

    source: str
    record_id: str
    month: date
    place: str | None
    matches: list[str]


def explain_concern(
    wh: Warehouse, partnership: Partnership, start: date, end: date, concern_id: str
) -> list[TaggedRecord]:
    """The records of months ``start..end`` tagged with ``concern_id``, with the labels and
    words that matched: why a concern has the mentions it has.

    Raises
    ------
    InsightError
        When ``concern_id`` is not a concern of the partnership.
    """
    ids = [c.id for c in partnership.concerns]
    if concern_id not in ids:
        raise InsightError(f"{concern_id!r} is not a concern of the partnership; choose from {ids}")
    tagger = KeywordTagger.for_partnership(partnership)
    found = []
    for r, tags, _ in _tagged_records(wh, tagger, start, end):
        for t in tags:
            if t.concern_id == concern_id:
                found.append(
                    TaggedRecord(
                        source=r["voice"],
                        record_id=r["record_id"],
                        month=r["month"],
                        place=r["place"],
                        matches=list(t.matches),
                    )
                )
    return found


# -- concerns -------------------------------------------------------------------------------
def _mentions(
    counts: list[dict[str, Any]], concerns: dict[str, Concern], places: list[str]
) -> tuple[list[ConcernMentions], dict[str, list[ConcernMentions]]]:
    tallies: dict[str | None, dict[str, dict[str, Any]]] = {}
    for r in counts:
        if r["concern_id"] not in concerns:
            continue
        key = None if r["level"] == "district" else r["place"]
        entry = tallies.setdefault(key, {}).setdefault(
            r["concern_id"], {"mentions": 0, "previous": 0, "by_source": {}}
        )
        entry["mentions"] += r["mentions"]
        entry["previous"] += r["previous_mentions"]
        if r["mentions"]:
            entry["by_source"][r["voice"]] = r["mentions"]
    district_tally = tallies.get(None, {})
    for concern_id in concerns:  # the district lists every concern, raised or not
        district_tally.setdefault(concern_id, {"mentions": 0, "previous": 0, "by_source": {}})
    district = _ranked(district_tally, concerns)
    by_place = {place: _ranked(tallies.get(place, {}), concerns) for place in places}
    return district, by_place


def _ranked(
    tally: dict[str, dict[str, Any]], concerns: dict[str, Concern]
) -> list[ConcernMentions]:
    """Ranked by mentions (ties share a rank, the next rank skips: 1, 2, 2, 4), then by the
    previous period's mentions and the taxonomy's order."""
    order = {concern_id: i for i, concern_id in enumerate(concerns)}
    ids = sorted(tally, key=lambda c: (-tally[c]["mentions"], -tally[c]["previous"], order[c]))
    result = []
    for i, concern_id in enumerate(ids):
        t, c = tally[concern_id], concerns[concern_id]
        rank = i + 1
        if result and result[-1].mentions == t["mentions"]:
            rank = result[-1].rank
        result.append(
            ConcernMentions(
                concern_id=concern_id,
                name=c.name,
                kind=c.kind,
                priority_id=c.priority,
                mentions=t["mentions"],
                previous_mentions=t["previous"],
                rank=rank,
                by_source={v: t["by_source"][v] for v in INSIGHT_SOURCES if v in t["by_source"]},
            )
        )
    return result


def _common(district: list[ConcernMentions]) -> list[CommonConcern]:
    """Concerns raised by at least two of the three voices, most voices first."""
    common = [
        CommonConcern(
            concern_id=c.concern_id,
            name=c.name,
            sources=[v for v in VOICES if c.by_source.get(v)],
            by_source={v: c.by_source[v] for v in VOICES if c.by_source.get(v)},
        )
        for c in district
    ]
    common = [c for c in common if len(c.sources) >= 2]
    return sorted(common, key=lambda c: (-len(c.sources), -sum(c.by_source.values())))


# -- reach, feelings, tensions ----------------------------------------------------------------
def _reach(rows: list[dict[str, Any]], partnership: Partnership) -> list[ReachRow]:
    """A row for every place (in the config's order); "N/A" (None) for a type of faith
    organisation the place recorded no engagement with."""
    found = {r["place"]: r for r in rows}
    reach = []
    for place in partnership.places:
        r = found.get(place.name, {})
        reach.append(
            ReachRow(
                place=place.name,
                engagements=r.get("engagements", 0),
                individuals=r.get("individuals", 0),
                groups=r.get("groups", 0),
                mosques=r.get("mosques") or None,
                other_faith=r.get("other_faith") or None,
            )
        )
    return reach


def _feelings(rows: list[dict[str, Any]], partnership: Partnership) -> list[FeelingRow]:
    result = []
    for place in partnership.places:
        mine = [r for r in rows if r["place"] == place.name]
        feelings = {f: 0 for f in FEELINGS}
        not_recorded = 0
        for r in mine:
            if r["feeling"] is None:
                not_recorded += r["engagements"]
            else:
                feelings[r["feeling"]] = feelings.get(r["feeling"], 0) + r["engagements"]
        result.append(
            FeelingRow(
                place=place.name,
                feelings=feelings,
                not_recorded=not_recorded,
                total=sum(r["engagements"] for r in mine),
            )
        )
    return result


def _timeline(
    wh: Warehouse, now: dict[str, date], unit: str, start: date, end: date
) -> list[TensionPoint]:
    found = {
        r["start"]: r for r in wh.rows(sql("insight_tension_timeline"), now) if r["unit"] == unit
    }
    if unit == "month":
        starts = month_range(start, end)
    else:
        first = start - timedelta(days=start.weekday())
        starts = [first + timedelta(weeks=i) for i in range((month_end(end) - first).days // 7 + 1)]
    return [
        TensionPoint(
            start=s,
            reports=found[s]["reports"] if s in found else 0,
            max_level=found[s]["max_level"] if s in found else None,
            mean_level=found[s]["mean_level"] if s in found else None,
        )
        for s in starts
    ]

"""build_insight against counts made independently, in plain Python, over the same records.

A small Kirklees warehouse is filled with seeded random insight records of the four kinds,
in the period (April-June 2025), the previous period (January-March 2025) and outside both.
Each record is built from a snippet whose concerns were assigned by hand, so the expected
figures come from those hand-assigned sets, counted here with dicts and Counters, not from
the tagger or from SQL.
"""

from __future__ import annotations

import random
import statistics
from collections import Counter
from datetime import date, timedelta
from itertools import combinations, pairwise

import pytest

from sia.config import load_partnership
from sia.insight.summary import (
    FEELINGS,
    InsightError,
    InsightSummary,
    build_insight,
    default_period,
    explain_concern,
)
from sia.warehouse import Warehouse

START, END = date(2025, 4, 1), date(2025, 6, 1)
PREVIOUS = (date(2025, 1, 1), date(2025, 3, 1))

#: (labels, free text, the concerns a person assigns to the record)
SNIPPETS: list[tuple[list[str], str | None, set[str]]] = [
    (["asb"], None, {"asb"}),
    (["fly-tipping", "youth-disorder"], "", {"asb"}),
    (["drugs-alcohol", "road-safety"], None, {"drugs-alcohol", "road-safety"}),
    ([], "Speeding cars near the school gates", {"road-safety"}),
    (["cost-of-living"], "Fly-tipping behind the shops", {"deprivation-inequality", "asb"}),
    ([], "No drugs seen this week", set()),
    (["parking-permits"], None, set()),
    (["knife-crime", "youth-provision"], None, {"serious-violence", "youth-provision"}),
    (
        ["Drug-Use"],
        "Lonely older residents",
        {"drugs-alcohol", "loneliness-isolation-neurodiversity"},
    ),
    ([], "Generally feel OK about the area", set()),
    (["hate-crime"], "Racist graffiti on the wall", {"hate-crime", "asb"}),
]
TENSION_SNIPPETS: list[tuple[str, str, set[str]]] = [
    ("hate-incident", "Racist graffiti found on a wall", {"hate-crime", "asb"}),
    (
        "online-rumour",
        "Rumours on social media about new arrivals",
        {"community-tensions", "online-risks", "migration"},
    ),
    ("asb", "Young people throwing stones at buses", {"asb"}),
    ("media-reporting", "National press story", {"community-tensions"}),
    ("far-right-activity", "Far-right stickers by the station", {"prevent"}),
]
ORGANISATIONS = [None, "none", "mosque", "other_faith", "youth", "school", "food_hub"]
TEAMS = ["community_plus", "detached_youth", "environment"]


def _day(rng: random.Random, first: date, last_month: date) -> date:
    last = date(last_month.year + (last_month.month == 12), last_month.month % 12 + 1, 1)
    return first + timedelta(days=rng.randrange((last - first).days))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The warehouse, the records put in it (with their hand-assigned concerns), and the
    summary of April-June 2025."""
    partnership = load_partnership("kirklees")
    wh = Warehouse.open(partnership, tmp_path_factory.mktemp("insight"))
    rng = random.Random(20251)
    wards = {
        p.name: [w.code for w in partnership.wards if w.name in p.wards] for p in partnership.places
    }
    # Rural records no mosque at all, so its mosques column is "N/A"
    places = list(wards)
    records: list[dict] = []
    n = 0
    spans = [
        (date(2024, 12, 1), date(2024, 12, 1)),
        (PREVIOUS[0], PREVIOUS[1]),
        (START, END),
        (START, END),
        (date(2025, 7, 1), date(2025, 7, 1)),
    ]
    for voice, count in (("community", 240), ("councillor", 40), ("officer", 30), ("tension", 60)):
        for _ in range(count):
            n += 1
            first, last = rng.choice(spans)
            day = _day(rng, first, last)
            place = rng.choice(places)
            ward = rng.choice(wards[place])
            r = {
                "voice": voice,
                "id": f"R{n:04d}",
                "day": day,
                "month": date(day.year, day.month, 1),
                "place": place,
                "ward": ward,
            }
            if voice == "tension":
                category, text, expected = rng.choice(TENSION_SNIPPETS)
                if rng.random() < 0.2:
                    r["place"] = r["ward"] = None
                r.update(labels=[category], text=text, expected=expected, level=rng.randint(1, 5))
            else:
                labels, text, expected = rng.choice(SNIPPETS)
                if voice != "community" and text:  # sessions record labels only
                    labels, text, expected = ["asb"], None, {"asb"}
                r.update(labels=labels, text=text, expected=expected)
            if voice == "community":
                organisation = rng.choice(ORGANISATIONS)
                if place == "Rural" and organisation == "mosque":
                    organisation = "other_faith"
                r.update(
                    organisation=organisation,
                    individuals=rng.choice([None, *range(0, 12)]),
                    groups=rng.choice([None, 0, 1, 2, 3]),
                    feeling=rng.choice([None, *FEELINGS]),
                )
            if voice == "councillor":
                r["attending"] = rng.choice([None, 1, 2, 3])
            if voice == "officer":
                r["attending"] = rng.randint(3, 20)
            records.append(r)
    common = "'test', ?, 1, ?, ?, NULL"
    for r in records:
        head = [r["id"], r["month"], r["day"]]
        if r["voice"] == "community":
            wh.con.execute(
                f"INSERT INTO engagements VALUES ({common}, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                "NULL, NULL)",
                [
                    *head,
                    r["ward"],
                    r["place"],
                    r["id"],
                    rng.choice(TEAMS),
                    r["organisation"],
                    r["individuals"],
                    r["groups"],
                    r["feeling"],
                    r["labels"],
                    r["text"],
                ],
            )
        elif r["voice"] == "councillor":
            wh.con.execute(
                f"INSERT INTO councillor_sessions VALUES ({common}, ?, ?, ?, ?, ?, "
                "NULL, NULL, NULL)",
                [*head, r["ward"], r["place"], r["id"], r["attending"], r["labels"]],
            )
        elif r["voice"] == "officer":
            wh.con.execute(
                f"INSERT INTO officer_sessions VALUES ({common}, NULL, ?, ?, NULL, ?, ?)",
                [*head, r["place"], r["id"], r["attending"], r["labels"]],
            )
        else:
            wh.con.execute(
                f"INSERT INTO tension_reports VALUES ({common}, ?, ?, ?, ?, 'local', "
                "'experienced', ?, ?, NULL)",
                [*head, r["ward"], r["place"], r["id"], r["labels"][0], r["level"], r["text"]],
            )
    summary = build_insight(wh, partnership, START, END)
    yield wh, partnership, records, summary
    wh.close()


def _now(r: dict) -> bool:
    return START <= r["month"] <= END


def _before(r: dict) -> bool:
    return PREVIOUS[0] <= r["month"] <= PREVIOUS[1]


def test_periods(built):
    *_, s = built
    assert (s.period.start, s.period.end, s.period.months) == (START, END, 3)
    assert (s.previous_period.start, s.previous_period.end) == PREVIOUS


def test_district_mentions_by_source_and_previous(built):
    _, partnership, records, s = built
    now, before = Counter(), Counter()
    by_source: dict[str, Counter] = {}
    for r in records:
        for c in r["expected"]:
            if _now(r):
                now[c] += 1
                by_source.setdefault(c, Counter())[r["voice"]] += 1
            elif _before(r):
                before[c] += 1
    assert [c.concern_id for c in s.concerns] and len(s.concerns) == len(partnership.concerns)
    for c in s.concerns:
        assert c.mentions == now[c.concern_id], c.concern_id
        assert c.previous_mentions == before[c.concern_id], c.concern_id
        assert c.by_source == dict(by_source.get(c.concern_id, {})), c.concern_id
        assert c.rank == 1 + sum(1 for m in now.values() if m > c.mentions)
    assert [c.rank for c in s.concerns] == sorted(c.rank for c in s.concerns)
    asb = next(c for c in s.concerns if c.concern_id == "asb")
    assert (asb.kind, asb.priority_id, asb.name) == ("priority", "asb", "Anti-social behaviour")
    theme = next(c for c in s.concerns if c.concern_id == "deprivation-inequality")
    assert (theme.kind, theme.priority_id) == ("theme", None)


def test_mentions_by_place(built):
    _, partnership, records, s = built
    assert list(s.by_place) == [p.name for p in partnership.places]
    for place, concerns in s.by_place.items():
        now = Counter(c for r in records if r["place"] == place and _now(r) for c in r["expected"])
        before = Counter(
            c for r in records if r["place"] == place and _before(r) for c in r["expected"]
        )
        assert {c.concern_id for c in concerns} == set(now) | set(before), place
        for c in concerns:
            assert (c.mentions, c.previous_mentions) == (now[c.concern_id], before[c.concern_id])
            assert c.rank == 1 + sum(1 for m in now.values() if m > c.mentions)


def test_links_are_pairs_of_concerns_on_one_record(built):
    _, _, records, s = built
    pairs = Counter(
        pair for r in records if _now(r) for pair in combinations(sorted(r["expected"]), 2)
    )
    assert {(x.a, x.b): x.records for x in s.links} == dict(pairs)
    assert all(x.a < x.b for x in s.links)
    assert [x.records for x in s.links] == sorted((x.records for x in s.links), reverse=True)


def test_tension_by_concern(built):
    _, _, records, s = built
    tension = [r for r in records if r["voice"] == "tension"]
    concerns = {c for r in tension if _now(r) or _before(r) for c in r["expected"]}
    assert set(s.tension_by_concern) == concerns
    for concern, change in s.tension_by_concern.items():
        now = [r["level"] for r in tension if _now(r) and concern in r["expected"]]
        before = [r["level"] for r in tension if _before(r) and concern in r["expected"]]
        assert change.reports == len(now) and change.previous_reports == len(before)
        assert change.max_level == (max(now) if now else None)
        assert change.mean_level == (pytest.approx(statistics.mean(now)) if now else None)
        assert change.previous_max_level == (max(before) if before else None)
        assert change.previous_mean_level == (
            pytest.approx(statistics.mean(before)) if before else None
        )


def test_reach_by_place(built):
    _, partnership, records, s = built
    engagements = [r for r in records if r["voice"] == "community" and _now(r)]
    assert [row.place for row in s.reach] == [p.name for p in partnership.places]
    for row in s.reach:
        mine = [r for r in engagements if r["place"] == row.place]
        mosques = sum(r["organisation"] == "mosque" for r in mine)
        other = sum(r["organisation"] == "other_faith" for r in mine)
        assert row.engagements == len(mine)
        assert row.individuals == sum(r["individuals"] or 0 for r in mine)
        assert row.groups == sum(r["groups"] or 0 for r in mine)
        assert row.mosques == (mosques or None)
        assert row.other_faith == (other or None)
    rural = next(row for row in s.reach if row.place == "Rural")
    assert rural.mosques is None  # "N/A": no mosque recorded there


def test_feelings_by_place(built):
    _, _, records, s = built
    for row in s.feelings:
        mine = [
            r for r in records if r["voice"] == "community" and _now(r) and r["place"] == row.place
        ]
        counted = Counter(r["feeling"] for r in mine)
        assert row.feelings == {f: counted[f] for f in FEELINGS}
        assert row.not_recorded == counted[None]
        assert row.total == len(mine) == sum(row.feelings.values()) + row.not_recorded


def test_who_was_engaged(built):
    _, _, records, s = built
    now = [r for r in records if _now(r)]
    councillor = [r for r in now if r["voice"] == "councillor"]
    officer = [r for r in now if r["voice"] == "officer"]
    community = [r for r in now if r["voice"] == "community"]
    e = s.engaged
    assert e.councillor_sessions == len(councillor)
    assert e.councillor_wards == len({r["ward"] for r in councillor})
    assert e.councillors == sum(r["attending"] or 0 for r in councillor)
    assert e.officer_sessions == len(officer)
    assert e.officers == sum(r["attending"] for r in officer)
    assert e.engagements == len(community)
    assert e.engagement_wards == len({r["ward"] for r in community})
    assert e.tension_reports == sum(r["voice"] == "tension" for r in now)


def test_tension_by_week_and_month(built):
    _, _, records, s = built
    tension = [r for r in records if r["voice"] == "tension" and _now(r)]
    months = [date(2025, 4, 1), date(2025, 5, 1), date(2025, 6, 1)]
    assert [p.start for p in s.tension_by_month] == months
    for p in s.tension_by_month:
        levels = [r["level"] for r in tension if r["month"] == p.start]
        assert p.reports == len(levels)
        assert p.max_level == (max(levels) if levels else None)
        assert p.mean_level == (pytest.approx(statistics.mean(levels)) if levels else None)
    # weeks start on Monday: 31 March 2025 is the Monday of the week of 1 April; the last
    # week is the one holding 30 June (a Monday)
    weeks = s.tension_by_week
    assert weeks[0].start == date(2025, 3, 31) and weeks[-1].start == date(2025, 6, 30)
    assert all(b.start - a.start == timedelta(days=7) for a, b in pairwise(weeks))
    for p in weeks:
        levels = [r["level"] for r in tension if p.start <= r["day"] < p.start + timedelta(days=7)]
        assert (p.reports, p.max_level) == (len(levels), max(levels) if levels else None)
    assert sum(p.reports for p in weeks) == len(tension)


def test_common_concerns_are_raised_by_two_voices_or_more(built):
    _, _, records, s = built
    voices: dict[str, Counter] = {}
    for r in records:
        if _now(r) and r["voice"] != "tension":
            for c in r["expected"]:
                voices.setdefault(c, Counter())[r["voice"]] += 1
    expected = {c: dict(v) for c, v in voices.items() if len(v) >= 2}
    assert {c.concern_id: c.by_source for c in s.common} == expected
    assert [len(c.sources) for c in s.common] == sorted(
        (len(c.sources) for c in s.common), reverse=True
    )


def test_labels_that_mean_no_concern_are_listed(built):
    _, _, records, s = built
    carrying = sum(1 for r in records if _now(r) and "parking-permits" in r["labels"])
    assert carrying > 0
    assert s.unmapped_labels == {"parking-permits": carrying}


def test_the_summary_round_trips_through_json(built):
    *_, s = built
    assert InsightSummary.model_validate_json(s.to_json()) == s


def test_a_period_that_ends_before_it_starts(built):
    wh, partnership, *_ = built
    with pytest.raises(InsightError, match=r"ends \(2025-01\) before it starts \(2025-04\)"):
        build_insight(wh, partnership, START, date(2025, 1, 1))


def test_the_default_period_follows_the_insight_when_there_are_no_events(built):
    wh, *_ = built
    # no events in this warehouse: the latest insight month is July 2025
    assert default_period(wh) == (date(2024, 8, 1), date(2025, 7, 1))


def test_an_empty_warehouse_has_no_default_period(tmp_path):
    wh = Warehouse.open(load_partnership("kirklees"), tmp_path)
    try:
        with pytest.raises(InsightError, match="no events and no insight"):
            default_period(wh)
        s = build_insight(wh, wh.partnership, START, END)
        assert all(c.mentions == 0 and c.rank == 1 for c in s.concerns)
        assert all(row.engagements == 0 and row.mosques is None for row in s.reach)
        assert s.links == [] and s.tension_by_concern == {} and s.common == []
    finally:
        wh.close()


def test_explain_lists_the_records_behind_a_concerns_mentions(built):
    wh, partnership, records, s = built
    found = explain_concern(wh, partnership, START, END, "asb")
    expected = {r["id"] for r in records if _now(r) and "asb" in r["expected"]}
    assert {f.record_id for f in found} == expected
    asb = next(c for c in s.concerns if c.concern_id == "asb")
    assert len(found) == asb.mentions
    by_id = {f.record_id: f for f in found}
    graffiti = next(r for r in records if _now(r) and r["text"] == "Racist graffiti on the wall")
    assert by_id[graffiti["id"]].matches == ["graffiti"]
    fly = next(r for r in records if _now(r) and r["labels"] == ["fly-tipping", "youth-disorder"])
    assert by_id[fly["id"]].matches == ["fly-tipping", "youth-disorder"]
    with pytest.raises(InsightError, match="'litter' is not a concern of the partnership"):
        explain_concern(wh, partnership, START, END, "litter")

"""The insight half of the Kirklees demo pack, checked through the real loading engine.

The pack is written, every file loaded into a Kirklees warehouse as ``sia ingest`` would,
and the seed report's figures are computed back FROM THE LOADED ROWS with SQL: the reach
table of section 5.3, 22 wards and 47 councillors (5.1), over 150 officers (5.2), ASB the
concern raised most in every place. The expected figures are typed here from the seed
report, not imported from the generator.
"""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Iterator
from datetime import date
from functools import cache
from pathlib import Path

import pytest

from sia.config import load_partnership
from sia.demo.insight import write_insight_sources
from sia.sources import REGISTRY
from sia.sources.tabular import load_file
from sia.warehouse import Warehouse

SEED = 2026
END = date(2026, 1, 31)
SOURCES = ("engagement", "councillor-session", "officer-session", "tension")

#: Section 5.3 of the seed report, as printed (Rural has no mosque engagements: "N/A").
SEED_REACH = {
    "Batley & Spen": (448, 414, 59, 78),
    "Dewsbury & Mirfield": (307, 177, 117, 41),
    "Huddersfield": (995, 563, 54, 140),
    "Rural": (623, 400, "N/A", 121),
}

REACH_SQL = """
    SELECT place,
           sum(individuals) AS individuals,
           sum("groups") AS groups,
           count(*) FILTER (WHERE organisation_type = 'mosque') AS mosques,
           count(*) FILTER (WHERE organisation_type = 'other_faith') AS other_faith
    FROM engagements GROUP BY place ORDER BY place
"""


@cache
def kirklees():
    return load_partnership("kirklees")


def load_pack(files: dict[str, list[Path]], folder: Path) -> tuple[Warehouse, list]:
    """Every file of the pack through the real engine, as ``sia ingest <source>`` does."""
    wh = Warehouse.open(kirklees(), folder)
    results = [
        load_file(wh, path, REGISTRY[source].formats())
        for source in SOURCES
        for path in files[source]
    ]
    return wh, results


def reach(wh: Warehouse) -> dict[str, tuple]:
    """The seed's reach table from the loaded engagements ("N/A" where no mosque)."""
    return {
        r["place"]: (r["individuals"], r["groups"], r["mosques"] or "N/A", r["other_faith"])
        for r in wh.rows(REACH_SQL)
    }


@pytest.fixture(scope="module")
def pack(tmp_path_factory) -> dict[str, list[Path]]:
    return write_insight_sources(tmp_path_factory.mktemp("pack"), kirklees(), SEED, END)


@pytest.fixture(scope="module")
def loaded(pack, tmp_path_factory) -> Iterator[tuple[Warehouse, list]]:
    wh, results = load_pack(pack, tmp_path_factory.mktemp("wh"))
    yield wh, results
    wh.close()


@pytest.fixture(scope="module")
def wh(loaded) -> Warehouse:
    return loaded[0]


# -- the files ----------------------------------------------------------------------------
def test_the_pack_writes_the_four_sources_in_their_own_folders(tmp_path):
    files = write_insight_sources(tmp_path, kirklees(), SEED, END)
    assert sorted(files) == sorted(SOURCES)
    for source, paths in files.items():
        assert paths, source
        (fmt,) = REGISTRY[source].formats().values()
        for path in paths:
            assert path.parent == tmp_path / source
            with path.open(encoding="utf-8", newline="") as handle:
                assert tuple(next(csv.reader(handle))) == fmt.headers


def test_every_row_loads(loaded, pack):
    _, results = loaded
    assert len(results) == sum(len(paths) for paths in pack.values())
    for result in results:
        assert result.rejected == 0, [str(r) for r in result.rejects[:5]]
        assert result.skipped_total == 0, result.skipped
        assert result.duplicates == 0
        lines = Path(result.file).read_text(encoding="utf-8").count("\n") - 1
        assert result.loaded == result.read == lines > 0


# -- engagements (section 5.3) ------------------------------------------------------------
def test_the_reach_table_is_the_seeds_exactly(wh):
    assert reach(wh) == SEED_REACH


def test_no_engagement_with_a_mosque_in_rural(wh):
    mosques = wh.scalar(
        "SELECT count(*) FROM engagements WHERE place = 'Rural' AND organisation_type = 'mosque'"
    )
    assert mosques == 0


def test_asb_is_the_most_raised_concern_in_every_place(wh):
    rows = wh.rows(
        """
        SELECT place, concern, count(*) AS n
        FROM (SELECT place, unnest(concerns) AS concern FROM engagements)
        GROUP BY place, concern
        """
    )
    places = {r["place"] for r in rows}
    assert places == set(SEED_REACH)
    for place in places:
        counts = {r["concern"]: r["n"] for r in rows if r["place"] == place}
        asb = counts.pop("asb")
        assert asb > max(counts.values()), (place, asb, counts)
        # the other concerns the seed names are raised too
        for concern in (
            "cost-of-living",
            "loneliness-isolation",
            "youth-provision",
            "drugs-alcohol",
            "youth-disorder",
            "nuisance-vehicles",
            "fly-tipping",
        ):
            assert counts.get(concern, 0) > 0, (place, concern)


def test_engagements_run_october_to_january_across_teams_wards_and_feelings(wh):
    first, last = wh.rows(
        "SELECT min(occurred_on) AS first, max(occurred_on) AS last FROM engagements"
    )[0].values()
    assert first >= date(2025, 10, 1) and last <= END
    months = [r["month"] for r in wh.rows("SELECT DISTINCT month FROM engagements ORDER BY 1")]
    assert months == [date(2025, 10, 1), date(2025, 11, 1), date(2025, 12, 1), date(2026, 1, 1)]
    teams = {r["team"] for r in wh.rows("SELECT DISTINCT team FROM engagements")}
    assert teams == {"community_plus", "detached_youth", "environment"}
    kinds = {r["k"] for r in wh.rows("SELECT DISTINCT organisation_type AS k FROM engagements")}
    assert kinds == {
        "none",
        "mosque",
        "other_faith",
        "womens_group",
        "youth",
        "community_group",
        "school",
        "food_hub",
        "other",
    }
    # every ward has engagements, each in its own place
    assert wh.scalar("SELECT count(DISTINCT ward_code) FROM engagements") == 23
    place_of = kirklees().place_of_ward()
    for r in wh.rows(
        "SELECT DISTINCT ward_code, place FROM engagements WHERE ward_code IS NOT NULL"
    ):
        assert place_of[r["ward_code"]] == r["place"]
    # "most residents feel broadly OK", some mixed emotions, anxiety and concern
    feelings = {
        r["feeling"]: r["n"]
        for r in wh.rows("SELECT feeling, count(*) AS n FROM engagements GROUP BY feeling")
    }
    total = sum(feelings.values())
    assert set(feelings) == {"ok", "positive", "mixed", "anxious", "concerned"}
    assert feelings["ok"] == max(feelings.values()) and feelings["ok"] > 0.4 * total
    # the strengths the seed names
    strengths = " ".join(
        r["strengths"]
        for r in wh.rows("SELECT DISTINCT strengths FROM engagements WHERE strengths IS NOT NULL")
    ).lower()
    for strength in (
        "women's group",
        "faith organisations",
        "walking group",
        "food hub",
        "interfaith network",
    ):
        assert strength in strengths, strength


# -- councillor ward meetings (section 5.1) ----------------------------------------------------
def test_ward_meetings_22_wards_47_councillors_in_october_and_november(wh):
    row = wh.rows(
        """
        SELECT count(*) AS meetings, count(DISTINCT ward_code) AS wards,
               sum(councillors_attending) AS councillors,
               min(councillors_attending) AS fewest, max(councillors_attending) AS most,
               min(occurred_on) AS first, max(occurred_on) AS last
        FROM councillor_sessions
        """
    )[0]
    assert row["wards"] == row["meetings"] == 22
    assert row["councillors"] == 47
    assert row["fewest"] >= 1 and row["most"] <= 3
    assert row["first"] >= date(2025, 10, 1) and row["last"] <= date(2025, 11, 30)


def test_ward_meetings_raise_the_seeds_concerns_and_praise_by_place(wh):
    raised = {
        r["place"]: (set(r["concerns"]), r["praise"])
        for r in wh.rows(
            "SELECT place, flatten(list(concerns)) AS concerns, string_agg(praise, ' ') AS praise"
            " FROM councillor_sessions GROUP BY place"
        )
    }
    assert set(raised) == set(SEED_REACH)
    expected = {
        "Batley & Spen": {"perceptions-after-dark", "nuisance-vehicles", "hate-crime"},
        "Dewsbury & Mirfield": {
            "gangs",
            "knife-crime",
            "domestic-abuse",
            "road-safety",
            "youth-exploitation",
            "street-lighting",
            "youth-provision",
        },
        "Huddersfield": {
            "asb",
            "road-safety",
            "street-lighting",
            "cctv",
            "reporting-guidance",
            "police-visibility",
            "underreporting",
        },
        "Rural": {"drugs-alcohol", "youth-disorder", "road-safety", "youth-provision"},
    }
    for place, concerns in expected.items():
        assert concerns <= raised[place][0], (place, concerns - raised[place][0])
    for place in ("Batley & Spen", "Dewsbury & Mirfield", "Rural"):
        assert "Trimburg" in raised[place][1], place
    assert "safe zones" in raised["Rural"][1].lower()
    routes = {
        r["k"]
        for r in wh.rows("SELECT DISTINCT reporting_routes_known AS k FROM councillor_sessions")
    }
    assert routes <= {"yes", "partly", "no"} and "yes" in routes


# -- officer sessions (section 5.2) ------------------------------------------------------------
def test_officer_sessions_over_150_officers_in_november_and_december(wh):
    row = wh.rows(
        "SELECT sum(officers_attending) AS officers, min(occurred_on) AS first,"
        " max(occurred_on) AS last FROM officer_sessions"
    )[0]
    assert row["officers"] > 150
    assert row["first"] >= date(2025, 11, 1) and row["last"] <= date(2025, 12, 31)
    themes = {r["theme"] for r in wh.rows("SELECT DISTINCT theme FROM officer_sessions")}
    assert None in themes  # place sessions have no theme
    assert themes - {None} == {t.id for t in kirklees().themes}


def test_officer_sessions_raise_the_seeds_issues_by_place(wh):
    issues = {
        r["place"]: set(r["issues"])
        for r in wh.rows(
            "SELECT place, flatten(list(issues)) AS issues FROM officer_sessions GROUP BY place"
        )
    }
    expected = {
        "Dewsbury & Mirfield": {
            "serious-violence",
            "organised-crime",
            "domestic-abuse",
            "modern-slavery",
            "underreporting",
        },
        "Huddersfield": {"serious-incidents", "normalisation-of-violence", "vawg-awareness"},
        "Batley & Spen": {"drugs-alcohol", "asb", "youth-exploitation", "community-tensions"},
        "Rural": {"night-time-economy", "domestic-abuse", "underreporting", "burglary"},
    }
    for place, wanted in expected.items():
        assert wanted <= issues[place], (place, wanted - issues[place])


# -- tension reports ----------------------------------------------------------------------
def test_tension_reports_weekly_through_the_year_mostly_low_with_spikes(wh):
    rows = wh.rows(
        'SELECT occurred_on, level, "trigger", category, place FROM tension_reports'
        " ORDER BY occurred_on"
    )
    assert 24 <= len(rows) <= 80
    assert rows[0]["occurred_on"] >= date(2025, 2, 1) and rows[-1]["occurred_on"] <= END
    months = {r["occurred_on"].replace(day=1) for r in rows}
    assert len(months) >= 11
    levels = [r["level"] for r in rows]
    assert set(levels) <= {1, 2, 3, 4, 5}
    assert sum(level <= 2 for level in levels) >= 0.7 * len(levels)
    top = max(rows, key=lambda r: r["level"])
    assert top["level"] >= 4 and top["trigger"] in ("national", "international")
    assert {r["trigger"] for r in rows} == {"local", "national", "international"}
    categories = {r["category"] for r in rows}
    assert {"anti-asylum-protest", "asb", "online-rumour", "hate-incident", "media-reporting"} <= (
        categories
    )
    assert any(r["place"] is None for r in rows)  # district-wide reports


# -- reproducible, and shifted with the pack's end ------------------------------------------------
def _bytes(files: dict[str, list[Path]], root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for paths in files.values() for p in paths}


def test_same_seed_same_bytes_different_seed_different_files_same_reach(tmp_path, pack):
    root = next(iter(pack.values()))[0].parents[1]
    again = write_insight_sources(tmp_path / "again", kirklees(), SEED, END)
    assert _bytes(again, tmp_path / "again") == _bytes(pack, root)

    other = write_insight_sources(tmp_path / "other", kirklees(), SEED + 1, END)
    other_bytes = _bytes(other, tmp_path / "other")
    assert other_bytes != _bytes(pack, root)
    for name in (
        "councillor-session/councillor-ward-meetings.csv",
        "officer-session/officer-sessions.csv",
        "tension/tension-reports.csv",
    ):
        assert other_bytes[name] != _bytes(pack, root)[name], name
    wh, results = load_pack(other, tmp_path / "wh")
    try:
        assert all(r.rejected == 0 and r.skipped_total == 0 for r in results)
        assert reach(wh) == SEED_REACH
        assert wh.scalar("SELECT sum(councillors_attending) FROM councillor_sessions") == 47
        assert wh.scalar("SELECT count(DISTINCT ward_code) FROM councillor_sessions") == 22
        assert wh.scalar("SELECT sum(officers_attending) FROM officer_sessions") > 150
    finally:
        wh.close()


def test_the_windows_follow_the_end_of_the_pack(tmp_path):
    files = write_insight_sources(tmp_path, kirklees(), SEED, date(2025, 6, 30))

    def dates(source: str) -> list[date]:
        return [
            date.fromisoformat(row["date"])
            for path in files[source]
            for row in csv.DictReader(io.StringIO(path.read_text(encoding="utf-8")))
        ]

    engagement = dates("engagement")
    assert min(engagement) >= date(2025, 3, 1) and max(engagement) <= date(2025, 6, 30)
    assert {d.month for d in engagement} == {3, 4, 5, 6}
    meetings = dates("councillor-session")
    assert min(meetings) >= date(2025, 3, 1) and max(meetings) <= date(2025, 4, 30)
    sessions = dates("officer-session")
    assert min(sessions) >= date(2025, 4, 1) and max(sessions) <= date(2025, 5, 31)
    tension = dates("tension")
    assert min(tension) >= date(2024, 7, 1) and max(tension) <= date(2025, 6, 30)


def test_writing_the_insight_pack_is_fast(tmp_path):
    started = time.perf_counter()
    write_insight_sources(tmp_path, kirklees(), SEED, END)
    assert time.perf_counter() - started < 5

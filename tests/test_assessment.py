"""The assessment on the real City of London police.uk files (2017-2021).

Two warehouses are shared: the session's read-only ``city_of_london_warehouse`` (every
file), and one built here in a temporary folder with every file but June 2019's, which
the storage tests may write to.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from scipy import stats

from sia.assessment import (
    SUMMARY_COLUMNS,
    Assessment,
    PeriodError,
    build_assessment,
    config_hash,
    latest_assessment,
    parse_period,
    store_assessment,
)
from sia.config import Partnership, load_partnership
from sia.sources.police_uk import load_file
from sia.warehouse import Warehouse

SKIPPED_MONTH = "2019-06"
FILES = sorted(
    (Path(__file__).resolve().parents[1] / "data" / "police_uk" / "city-of-london").glob("*/*.csv")
)


@pytest.fixture(scope="module")
def partnership() -> Partnership:
    return load_partnership("city-of-london")


@pytest.fixture(scope="module")
def full(city_of_london_warehouse: Warehouse, partnership: Partnership) -> Assessment:
    return build_assessment(city_of_london_warehouse, partnership)


@pytest.fixture(scope="module")
def gappy_warehouse(tmp_path_factory, partnership):
    """Every City of London file but one month's: a gap like police.uk's silent ones."""
    wh = Warehouse.open(partnership, tmp_path_factory.mktemp("city-gap"))
    for path in FILES:
        if path.parent.name != SKIPPED_MONTH:
            load_file(wh, path)
    yield wh
    wh.close()


def _measure(assessment: Assessment, measure_id: str):
    return next(m for _, m in assessment.measures() if m.id == measure_id)


def _issues(assessment: Assessment, kind: str):
    return [i for i in assessment.data_quality.issues if i.kind == kind]


def test_default_period_is_the_latest_twelve_months(full):
    assert (full.period.start, full.period.end) == (date(2021, 1, 1), date(2021, 12, 1))
    assert (full.previous_period.start, full.previous_period.end) == (
        date(2020, 1, 1),
        date(2020, 12, 1),
    )
    assert full.period.months == full.previous_period.months == 12


def test_document_has_every_required_key(full, partnership):
    document = json.loads(full.to_json())
    for key in ("version", "created_at", "partnership", "config_hash", "loads", "period"):
        assert key in document
    for key in ("previous_period", "priorities", "hotspots", "data_quality"):
        assert key in document
    assert document["config_hash"] == config_hash(partnership)
    assert document["loads"] == list(range(1, 61))
    assert [p["id"] for p in document["priorities"]] == [p.id for p in partnership.priorities]
    measure_keys = {
        "id",
        "count",
        "previous_count",
        "rate",
        "change_p_value",
        "direction",
        "trend",
        "spc",
        "harm",
        "harm_note",
        "by_place",
        "by_ward",
    }
    for priority in document["priorities"]:
        assert {"id", "name", "theme", "statutory_duties", "measures"} <= priority.keys()
        for measure in priority["measures"]:
            assert measure_keys <= measure.keys()
            assert {"method", "annual_change", "p_value", "direction"} <= measure["trend"].keys()
            assert {"chart", "variation_icon", "assurance_icon", "latest_status"} <= measure[
                "spc"
            ].keys()
            if measure["harm"] is not None:
                assert {
                    "total",
                    "previous_total",
                    "harm_ratio",
                    "p_value",
                    "rising_in_falling_total",
                } <= measure["harm"].keys()
            assert len(measure["by_ward"]) == 5
            assert {"code", "name", "count", "previous_count", "rate", "direction"} <= measure[
                "by_ward"
            ][0].keys()


def test_counts_equal_a_direct_count(full, city_of_london_warehouse, partnership):
    for _, measure in partnership.measures():
        result = _measure(full, measure.id)
        marks = ", ".join("?" for _ in measure.categories)
        query = (
            "SELECT count(*) FROM events WHERE source = ? AND month BETWEEN ? AND ? "
            f"AND category IN ({marks})"
        )
        args = [measure.source.value]
        now = city_of_london_warehouse.scalar(
            query, [*args, date(2021, 1, 1), date(2021, 12, 1), *measure.categories]
        )
        before = city_of_london_warehouse.scalar(
            query, [*args, date(2020, 1, 1), date(2020, 12, 1), *measure.categories]
        )
        assert (result.count, result.previous_count) == (now, before), measure.id
        # wards hold every event with a location; the rest count only for the district
        assert sum(w.count for w in result.by_ward) <= result.count
        assert result.rate == pytest.approx(now / result.population * 1000)


def test_change_p_value_is_the_exact_binomial_test(full):
    theft = _measure(full, "theft")
    n = theft.count + theft.previous_count
    expected = stats.binomtest(theft.count, n, 0.5).pvalue
    assert theft.change_p_value == pytest.approx(expected, rel=1e-12)
    assert theft.change_ratio == pytest.approx(theft.count / theft.previous_count)


def test_the_2020_drop_is_special_cause(full):
    theft = _measure(full, "theft")
    assert theft.spc.chart == "xmr"
    assert theft.spc.months == 60
    assert "2020-04" in theft.spc.special_cause_months
    april = next(s for s in theft.spc.special_causes if s.month == "2020-04")
    assert april.rule == "beyond limit"
    assert april.status == "special cause — improvement"  # fewer thefts; up is bad
    assert theft.trend.direction in {"increasing", "decreasing", "no trend"}
    assert theft.trend.months == 60


def test_no_gap_is_named_on_the_full_data(full):
    assert _issues(full, "missing-month") == []
    assert _issues(full, "late-load") == []
    assert _issues(full, "no-data") == []
    (coverage,) = full.data_quality.sources
    assert (coverage.first_month, coverage.last_month) == (date(2017, 1, 1), date(2021, 12, 1))
    assert coverage.months_with_data == 60
    (located,) = _issues(full, "without-location")
    assert located.figures["without_location"] == coverage.period_without_location > 0


def test_a_removed_month_is_named_as_missing(gappy_warehouse, partnership):
    assessment = build_assessment(gappy_warehouse, partnership)
    (missing,) = _issues(assessment, "missing-month")
    assert missing.source == "police-uk"
    assert missing.months == [SKIPPED_MONTH]
    assert "June 2019" in missing.message
    theft = _measure(assessment, "theft")
    assert theft.spc.months == theft.trend.months == 59
    assert any(SKIPPED_MONTH in note for note in theft.spc.notes)


def test_a_period_with_a_gap_allows_for_it(gappy_warehouse, partnership):
    assessment = build_assessment(
        gappy_warehouse, partnership, (date(2019, 1, 1), date(2019, 12, 1))
    )
    theft = _measure(assessment, "theft")
    assert any("11 of the period's 12 months" in note for note in theft.notes)
    expected = stats.binomtest(theft.count, theft.count + theft.previous_count, 11 / 23).pvalue
    assert theft.change_p_value == pytest.approx(expected, rel=1e-12)


def test_a_period_before_the_data_has_no_previous_count(
    full, city_of_london_warehouse, partnership
):
    assessment = build_assessment(
        city_of_london_warehouse, partnership, (date(2017, 1, 1), date(2017, 12, 1))
    )
    theft = _measure(assessment, "theft")
    assert theft.count > 0
    assert theft.previous_count is None and theft.direction is None
    assert theft.trend.direction == "too-short"


def test_a_source_with_no_data_gives_no_figures(city_of_london_warehouse, partnership):
    data = partnership.model_dump(mode="json")
    data["priorities"][0]["measures"].append(
        {"id": "fires", "name": "Deliberate fires", "source": "fire", "categories": ["Arson"]}
    )
    assessment = build_assessment(city_of_london_warehouse, Partnership.model_validate(data))
    fires = _measure(assessment, "fires")
    assert fires.count is None and fires.previous_count is None and fires.rate is None
    (issue,) = _issues(assessment, "no-data")
    assert issue.source == "fire"
    assert issue.message.startswith("no data loaded from fire")


def test_stored_and_read_back_equal(gappy_warehouse, partnership):
    assert latest_assessment(gappy_warehouse) is None
    assessment = build_assessment(gappy_warehouse, partnership)
    first = store_assessment(gappy_warehouse, assessment)
    second = store_assessment(gappy_warehouse, assessment)
    assert second == first + 1
    assert latest_assessment(gappy_warehouse) == assessment
    rows = gappy_warehouse.rows(
        "SELECT area_type, count(*) AS n, sum(count) AS events FROM assessment_measures "
        "WHERE assessment_id = ? GROUP BY area_type ORDER BY area_type",
        [second],
    )
    n = len(list(assessment.measures()))
    assert [(r["area_type"], r["n"]) for r in rows] == [
        ("district", n),
        ("place", n),
        ("ward", 5 * n),
    ]
    assert rows[0]["events"] == sum(m.count for _, m in assessment.measures())


def test_summary_rows(full, partnership):
    rows = full.summary_rows()
    assert len(rows) == len(partnership.measures())
    assert all(tuple(r) == SUMMARY_COLUMNS for r in rows)
    theft = next(r for r in rows if r["measure"].startswith("Theft"))
    assert theft["count"] == f"{_measure(full, 'theft').count:,}"


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("2021-01", "two months joined by a colon"),
        ("2021-13:2021-12", "the start '2021-13'"),
        ("2021-01:21-12", "the end '21-12'"),
        ("2021-06:2021-01", "before the start"),
    ],
)
def test_bad_periods_name_the_bad_part(text, fragment):
    with pytest.raises(PeriodError, match=fragment):
        parse_period(text)


def test_a_good_period():
    assert parse_period("2020-04:2021-03") == (date(2020, 4, 1), date(2021, 3, 1))


def test_a_backfilled_month_is_a_late_load(tmp_path, partnership):
    by_month = {path.parent.name: path for path in FILES}
    with Warehouse.open(partnership, tmp_path) as wh:
        for month in ("2017-01", "2017-06", "2017-02"):
            load_file(wh, by_month[month])
        assessment = build_assessment(wh, partnership)
    (late,) = _issues(assessment, "late-load")
    assert late.months == ["2017-02", "2017-02"]
    assert late.figures["load_id"] == 3
    (missing,) = _issues(assessment, "missing-month")
    assert missing.months == ["2017-03", "2017-04", "2017-05"]


def test_hotspots_agree_with_esda_on_the_same_rates(full, city_of_london_warehouse, partnership):
    """The Gi* z of each listed LSOA equals esda's G_Local(star=True) computed here from the
    period's counts (SQL) over the LSOA population, on binary queen weights with the focal
    LSOA included."""
    import esda
    import numpy as np

    from sia.analysis.hotspots import lsoa_weights

    entries = {h["measure_id"]: h for h in full.hotspots}
    assert set(entries) <= {m.id for _, m in partnership.measures()}
    entry = entries["theft"]
    assert entry["value"] == "rate per 1,000 residents" and entry["lsoa_vintage"] == 2011
    assert len(entry["periods"]) == 5
    wh = city_of_london_warehouse
    counts = dict(
        wh.con.execute(
            "SELECT lsoa_code, count(*) FROM events WHERE category IN "
            "('Other theft', 'Shoplifting', 'Theft from the person') AND month BETWEEN ? AND ? "
            "AND lsoa_code IS NOT NULL GROUP BY 1",
            [full.period.start, full.period.end],
        ).fetchall()
    )
    population = dict(
        wh.con.execute(
            "SELECT area_code, population FROM population WHERE area_type = 'lsoa' "
            "AND lsoa_vintage = 2011 QUALIFY row_number() OVER (PARTITION BY area_code "
            "ORDER BY year DESC) = 1"
        ).fetchall()
    )
    w = lsoa_weights(partnership, vintage=2011)
    ids = list(w.id_order)
    rates = np.array([counts.get(i, 0) / population[i] * 1000 for i in ids])
    w.transform = "B"
    g = esda.G_Local(rates, w, star=True, permutations=0, transform="B")
    z = dict(zip(ids, g.Zs, strict=True))
    for area in entry["areas"]:
        assert area["gi_z"] == pytest.approx(z[area["lsoa_code"]], abs=1e-3)
        assert area["classification"] in ("hot", "cold")
    assert entry["hot"] + entry["cold"] == len(entry["areas"])


def test_harm_is_the_css_weighted_total_of_the_period(full, city_of_london_warehouse):
    """Theft's harm equals the count of each police.uk crime type times its shipped CSS
    category weight (read here with the csv module), summed, for each period."""
    import csv
    from importlib import resources

    text = resources.files("sia.data").joinpath("offences/police_uk_category_weights.csv")
    with text.open(encoding="utf-8") as fh:
        weights = {r["police_uk_category"]: float(r["css_weight"]) for r in csv.DictReader(fh)}

    def total(start, end):
        rows = city_of_london_warehouse.con.execute(
            "SELECT category, count(*) FROM events WHERE category IN "
            "('Other theft', 'Shoplifting', 'Theft from the person') "
            "AND month BETWEEN ? AND ? GROUP BY 1",
            [start, end],
        ).fetchall()
        return sum(weights[c] * n for c, n in rows)

    theft = _measure(full, "theft")
    assert theft.harm is not None
    assert theft.harm.method == "police.uk category approximation"
    assert theft.harm.total == pytest.approx(total(full.period.start, full.period.end), abs=1e-2)
    assert theft.harm.previous_total == pytest.approx(
        total(full.previous_period.start, full.previous_period.end), abs=1e-2
    )
    assert _measure(full, "asb-police").harm is None  # ASB carries no crime weight


def test_deprivation_share_is_the_share_of_events_in_the_most_deprived_fifth(
    full, city_of_london_warehouse
):
    """Computed here in SQL: theft events of the period in LSOAs of IMD deciles 1-2 over
    all theft events placed in an LSOA, with the IMD edition the assessment reports (the
    City's six LSOA codes are the same in 2011 and 2021, so either vintage may be used)."""
    theft = _measure(full, "theft")
    assert theft.deprivation is not None
    vintage, imd_year = theft.deprivation["lsoa_vintage"], theft.deprivation["imd_year"]
    assert (vintage, imd_year) in ((2011, 2019), (2021, 2025))
    in_deprived, placed = city_of_london_warehouse.con.execute(
        "SELECT count(*) FILTER (WHERE d.imd_decile <= 2), count(*) FROM events e "
        "JOIN deprivation d ON d.lsoa_code = e.lsoa_code AND d.imd_year = ? "
        "AND d.lsoa_vintage = ? "
        "WHERE e.category IN ('Other theft', 'Shoplifting', 'Theft from the person') "
        "AND e.month BETWEEN ? AND ?",
        [imd_year, vintage, full.period.start, full.period.end],
    ).fetchone()
    assert theft.deprivation["share_most_deprived"] == pytest.approx(in_deprived / placed, abs=1e-4)
    # the City has no LSOA in deciles 1-2, so the events by decile carry the real check
    by_decile = dict(
        city_of_london_warehouse.con.execute(
            "SELECT d.imd_decile, count(*) FROM events e "
            "JOIN deprivation d ON d.lsoa_code = e.lsoa_code AND d.imd_year = ? "
            "AND d.lsoa_vintage = ? "
            "WHERE e.category IN ('Other theft', 'Shoplifting', 'Theft from the person') "
            "AND e.month BETWEEN ? AND ? GROUP BY 1",
            [imd_year, vintage, full.period.start, full.period.end],
        ).fetchall()
    )
    rows = theft.deprivation["by_decile"]
    assert len(rows) == 10
    assert {int(r["decile"]): int(r["events"]) for r in rows if r["events"]} == by_decile


def test_repeat_victimisation_of_domestic_abuse_counted_by_hand(tmp_path):
    """Victim A: 2024-03-01, 2025-02-01, 2025-06-01; B: 2023-12-01, 2024-06-01; C:
    2025-03-01. In 2025, A's two incidents repeat (337 and 120 days after A's previous one)
    and C's does not: 2 of 3. In 2024, B's repeats (183 days after 2023-12-01) and A's
    first does not: 1 of 2."""
    from sia.sources import REGISTRY
    from sia.sources.tabular import load_file as load_tabular

    kirklees = load_partnership("kirklees")
    [fmt] = REGISTRY["force-extract"].formats().values()
    incidents = [
        ("A", "2024-03-01"),
        ("A", "2025-02-01"),
        ("A", "2025-06-01"),
        ("B", "2023-12-01"),
        ("B", "2024-06-01"),
        ("C", "2025-03-01"),
    ]
    lines = [",".join(fmt.headers)]
    for i, (victim, day) in enumerate(incidents):
        lines.append(f"C{i},{day},8N,Assault with injury,E01011004,,,Y,,N,N,N,N,N,{victim}")
    path = tmp_path / "extract.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with Warehouse.open(kirklees, tmp_path / "wh") as wh:
        assert load_tabular(wh, path, REGISTRY["force-extract"].formats()).loaded == 6
        result = build_assessment(wh, kirklees, (date(2025, 1, 1), date(2025, 12, 1)))
    repeats = _measure(result, "domestic-abuse-crimes").repeats
    assert (repeats["incidents"], repeats["repeats"]) == (3, 2)
    assert repeats["previous_repeats"] == 1 and repeats["previous_share"] == 0.5
    assert repeats["repeat_share"] == pytest.approx(2 / 3)
    assert repeats["direction"] == "too-few"  # fewer than 10 incidents with an id


def test_a_sub_measure_rising_against_its_falling_parent_is_flagged(tmp_path):
    """Homicides and attempted murders 2 -> 12 within most serious violence 100 -> 60
    (robberies 98 -> 48): the parent falls and the sub-measure's share rises from 2% to 20%,
    far beyond chance (exact conditional test), so it is flagged."""
    from sia.sources import REGISTRY
    from sia.sources.tabular import load_file as load_tabular

    kirklees = load_partnership("kirklees")
    [fmt] = REGISTRY["force-extract"].formats().values()
    rows = [("2024-05-01", "1")] * 2 + [("2024-05-01", "34B")] * 98
    rows += [("2025-05-01", "2")] * 12 + [("2025-05-01", "34B")] * 48
    lines = [",".join(fmt.headers)]
    for i, (day, code) in enumerate(rows):
        lines.append(f"S{i},{day},{code},,E01011004,,,N,,N,N,N,N,N,")
    path = tmp_path / "extract.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with Warehouse.open(kirklees, tmp_path / "wh") as wh:
        assert load_tabular(wh, path, REGISTRY["force-extract"].formats()).loaded == 160
        result = build_assessment(wh, kirklees, (date(2025, 1, 1), date(2025, 12, 1)))
    flag = _measure(result, "homicide-attempted-murder").against_parent
    assert flag["parent"] == "most-serious-violence"
    assert flag["parent_direction"] == "down"
    assert flag["against_parent"] is True
    assert flag["p_value"] < 0.001

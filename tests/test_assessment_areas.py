"""Wards and places ranked by rate and by harm, the top locations of each measure, and the
under-reporting indicator, on small Kirklees warehouses built here row by row.

Every expected figure is worked out in the test from the rows written: counts by hand,
rates from the warehouse's population, harm as count × the shipped ONS Crime Severity
weight of the police.uk category (``sia.offences.category_weight``, the reference table),
ranks by sorting, and the exact Poisson limits with ``scipy.stats.gamma`` (the Garwood
interval written as gamma quantiles, not the chi-square form the code uses).
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
from pydantic import ValidationError
from scipy import stats

from sia import offences
from sia.assessment import TOP_LOCATIONS, Assessment, build_assessment
from sia.config import Partnership, load_partnership
from sia.sources.police_uk import load_file as load_police_uk
from sia.warehouse import Warehouse

PERIOD = (date(2025, 1, 1), date(2025, 12, 1))
HEADERS = [
    "Crime ID",
    "Month",
    "Reported by",
    "Falls within",
    "Longitude",
    "Latitude",
    "Location",
    "LSOA code",
    "LSOA name",
    "Crime type",
    "Last outcome category",
    "Context",
]
# One 2021 LSOA in each of three wards; A and B are in different places.
LSOA_A = "E01011013"  # ward E05001390, Batley & Spen
LSOA_B = "E01011021"  # ward E05001398, Dewsbury & Mirfield
LSOA_C = "E01011004"  # ward E05008558, Huddersfield


@pytest.fixture(scope="module")
def kirklees() -> Partnership:
    return load_partnership("kirklees")


def _police_uk_file(path: Path, rows: list[tuple[str, str, str, str]]) -> Path:
    """rows: (month YYYY-MM, LSOA, crime type, location)."""
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADERS)
        for i, (month, lsoa, crime_type, location) in enumerate(rows):
            crime_id = "" if crime_type == "Anti-social behaviour" else f"{path.stem}-{i:04d}"
            writer.writerow(
                [
                    crime_id,
                    month,
                    "West Yorkshire Police",
                    "West Yorkshire Police",
                    "-1.6",
                    "53.7",
                    location,
                    lsoa,
                    "Kirklees",
                    crime_type,
                    "",
                    "",
                ]
            )
    return path


ROWS = (
    # the period: serious violence proxy (robbery, possession of weapons)
    [("2025-03", LSOA_A, "Robbery", "On or near Mill Lane")]
    + [("2025-03", LSOA_B, "Robbery", "On or near Mill Lane")] * 2
    + [("2025-04", LSOA_C, "Possession of weapons", "On or near Bus Station")] * 4
    # the period: anti-social behaviour with streets
    + [("2025-05", LSOA_A, "Anti-social behaviour", "On or near High Street")] * 3
    + [("2025-05", LSOA_A, "Anti-social behaviour", "On or near Park Road")] * 3
    + [("2025-06", LSOA_B, "Anti-social behaviour", "On or near High Street")] * 2
    + [("2025-06", LSOA_A, "Anti-social behaviour", "  On or near Supermarket ")]
    # the previous period: counted for the change, not for ranks or locations
    + [("2024-05", LSOA_C, "Anti-social behaviour", "On or near Old Lane")] * 10
    + [("2024-03", LSOA_A, "Robbery", "On or near Old Lane")] * 2
)


@pytest.fixture(scope="module")
def built(tmp_path_factory, kirklees) -> tuple[Assessment, dict, dict]:
    folder = tmp_path_factory.mktemp("kirklees-areas")
    by_month: dict[str, list] = {}
    for row in ROWS:
        by_month.setdefault(row[0], []).append(row)
    with Warehouse.open(kirklees, folder / "wh") as wh:
        for month, rows in sorted(by_month.items()):
            path = _police_uk_file(folder / f"{month}-west-yorkshire-street.csv", rows)
            assert load_police_uk(wh, path).loaded == len(rows)
        lookup = {
            r["lsoa_code"]: (r["ward_code"], r["place"])
            for r in wh.rows("SELECT lsoa_code, ward_code, place FROM lsoa_lookup")
        }
        population = wh.latest_population(("ward", "place"))
        places = {
            r["area_name"]: r["area_code"]
            for r in wh.rows("SELECT area_code, area_name FROM areas WHERE area_type = 'place'")
        }
        assessment = build_assessment(wh, kirklees, PERIOD)
    return assessment, lookup, {"population": population, "places": places}


def _measure(assessment: Assessment, measure_id: str):
    return next(m for _, m in assessment.measures() if m.id == measure_id)


def _expected_ranks(values: dict[str, float]) -> dict[str, int]:
    """Competition ranking by hand: 1 + how many values are strictly larger."""
    return {k: 1 + sum(1 for other in values.values() if other > v) for k, v in values.items()}


def test_wards_are_ranked_by_rate_and_by_harm(built):
    assessment, lookup, extra = built
    population = extra["population"]
    measure = _measure(assessment, "serious-violence-proxy")
    robbery = offences.category_weight("Robbery")
    weapons = offences.category_weight("Possession of weapons")
    ward = {lsoa: lookup[lsoa][0] for lsoa in (LSOA_A, LSOA_B, LSOA_C)}
    counts = {ward[LSOA_A]: 1, ward[LSOA_B]: 2, ward[LSOA_C]: 4}
    harm = {ward[LSOA_A]: 1 * robbery, ward[LSOA_B]: 2 * robbery, ward[LSOA_C]: 4 * weapons}
    wards = {a.code: a for a in measure.by_ward}
    assert len(wards) == 23
    rates = {code: counts.get(code, 0) / population[("ward", code)] * 1000 for code in wards}
    harm_rates = {code: harm.get(code, 0.0) / population[("ward", code)] * 1000 for code in wards}
    for code, area in wards.items():
        assert area.count == counts.get(code, 0)
        assert area.rate == pytest.approx(rates[code], rel=1e-9)
        assert area.harm == pytest.approx(harm.get(code, 0.0), abs=1e-3)
        assert area.harm_rate == pytest.approx(harm_rates[code], rel=1e-4)
    assert {c: a.rate_rank for c, a in wards.items()} == _expected_ranks(rates)
    assert {c: a.harm_rank for c, a in wards.items()} == _expected_ranks(harm_rates)
    # 4 possession-of-weapons offences are more than 2 robberies but do less harm: the two
    # rankings disagree, so each is really computed from its own figure
    assert wards[ward[LSOA_C]].count > wards[ward[LSOA_B]].count
    assert wards[ward[LSOA_C]].harm < wards[ward[LSOA_B]].harm
    # the 20 wards with no offence tie for the rank after the three that have some
    assert sorted(a.rate_rank for a in wards.values() if a.count == 0) == [4] * 20


def test_places_are_ranked_and_carry_their_harm(built):
    assessment, lookup, extra = built
    population, places = extra["population"], extra["places"]
    measure = _measure(assessment, "serious-violence-proxy")
    robbery = offences.category_weight("Robbery")
    weapons = offences.category_weight("Possession of weapons")
    place = {lsoa: places[lookup[lsoa][1]] for lsoa in (LSOA_A, LSOA_B, LSOA_C)}
    harm = {place[LSOA_A]: robbery, place[LSOA_B]: 2 * robbery, place[LSOA_C]: 4 * weapons}
    by_place = {a.code: a for a in measure.by_place}
    assert set(by_place) == set(places.values())
    harm_rates = {
        code: harm.get(code, 0.0) / population[("place", code)] * 1000 for code in by_place
    }
    rates = {
        code: (a.count or 0) / population[("place", code)] * 1000 for code, a in by_place.items()
    }
    assert {c: a.harm for c, a in by_place.items()} == pytest.approx(
        {c: harm.get(c, 0.0) for c in by_place}, abs=1e-3
    )
    assert {c: a.harm_rank for c, a in by_place.items()} == _expected_ranks(harm_rates)
    assert {c: a.rate_rank for c, a in by_place.items()} == _expected_ranks(rates)


def test_measures_without_harm_weights_are_ranked_by_rate_only(built):
    assessment, _, _ = built
    asb = _measure(assessment, "asb-police")
    assert asb.harm is None
    assert all(a.harm is None and a.harm_rank is None for a in asb.by_ward + asb.by_place)
    assert {a.rate_rank for a in asb.by_ward} >= {1, 2}


def test_top_locations_drop_the_prefix_keep_the_place_and_leave_the_previous_period(built):
    assessment, lookup, _ = built
    place_a, place_b = lookup[LSOA_A][1], lookup[LSOA_B][1]
    asb = _measure(assessment, "asb-police")
    # 9 ASB incidents with a location in the period: 3 + 3 + 2 + 1, sorted by count, then
    # name, then place; Old Lane (2024) is in the previous period and does not appear
    assert [(x.name, x.place, x.count) for x in asb.top_locations] == [
        ("High Street", place_a, 3),
        ("Park Road", place_a, 3),
        ("High Street", place_b, 2),
        ("Supermarket", place_a, 1),
    ]
    assert [x.share for x in asb.top_locations] == pytest.approx(
        [3 / 9, 3 / 9, 2 / 9, 1 / 9], abs=1e-4
    )  # shares are rounded to 4 places
    proxy = _measure(assessment, "serious-violence-proxy")
    assert [(x.name, x.count) for x in proxy.top_locations] == [
        ("Bus Station", 4),
        ("Mill Lane", 2),
        ("Mill Lane", 1),
    ]
    # a measure with no events in the period has no locations at all
    assert _measure(assessment, "drug-offences").top_locations is None


def test_top_locations_stop_at_the_limit(tmp_path, kirklees):
    rows = [
        ("2025-02", LSOA_A, "Anti-social behaviour", f"On or near Street {i:02d}")
        for i in range(TOP_LOCATIONS + 5)
        for _ in range(i + 1)
    ]
    with Warehouse.open(kirklees, tmp_path / "wh") as wh:
        load_police_uk(wh, _police_uk_file(tmp_path / "2025-02-street.csv", rows))
        result = build_assessment(wh, kirklees, PERIOD)
    top = _measure(result, "asb-police").top_locations
    n = TOP_LOCATIONS + 5
    assert len(top) == TOP_LOCATIONS
    assert [x.name for x in top] == [f"Street {i:02d}" for i in range(n - 1, n - 11, -1)]
    assert top[0].count == n and top[0].share == pytest.approx(n / (n * (n + 1) / 2), abs=1e-4)


# -- under-reporting ---------------------------------------------------------------------
def _force_extract(path: Path, days: list[str], vawg: bool = False) -> Path:
    from sia.sources import REGISTRY

    [fmt] = REGISTRY["force-extract"].formats().values()
    lines = [",".join(fmt.headers)]
    flag = "Y" if vawg else "N"
    for i, day in enumerate(days):
        lines.append(f"D{i},{day},8N,Assault with injury,{LSOA_C},,,Y,,{flag},N,N,N,N,V{i}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_underreporting_against_survey_rates_by_hand(tmp_path, kirklees):
    """40 domestic abuse crimes, all in January to June 2025: the force extract covers 6
    of the period's 12 months, so half a year is expected."""
    from sia.sources import REGISTRY
    from sia.sources.tabular import load_file as load_tabular

    days = [f"2025-{1 + i % 6:02d}-{1 + i // 6:02d}" for i in range(40)]
    with Warehouse.open(kirklees, tmp_path / "wh") as wh:
        path = _force_extract(tmp_path / "extract.csv", days, vawg=True)
        assert load_tabular(wh, path, REGISTRY["force-extract"].formats()).loaded == 40
        result = build_assessment(wh, kirklees, PERIOD)
    da = _measure(result, "domestic-abuse-crimes").underreporting
    # Kirklees config: 351,905 residents aged 16+, prevalence 4.8%, reporting 18.9%
    expected = 351_905 * 0.048 * 0.189 * 1.0 * (6 / 12)  # = 1,596.24108
    assert da.recorded == 40
    assert da.years == 0.5
    assert da.expected == pytest.approx(expected, abs=1e-3)
    assert da.expected == pytest.approx(1596.241, abs=1e-3)
    assert da.ratio == pytest.approx(40 / expected, rel=1e-9)
    low = stats.gamma.ppf(0.025, 40) / expected
    high = stats.gamma.ppf(0.975, 41) / expected
    assert da.ratio_ci == pytest.approx([low, high], rel=1e-7)
    assert da.far_below_expected is True  # upper limit ≈ 0.034, far below 0.5
    assert da.threshold == 0.5
    assert "4.8%" in da.prevalence_source and "18.9%" in da.reporting_source
    assert da.assumption.startswith("Adults in Kirklees")
    assert da.population_16_plus == 351_905 and da.population_year == 2020
    vawg = _measure(result, "vawg-crimes").underreporting
    assert vawg.recorded == 40
    assert vawg.expected == pytest.approx(351_905 * 0.106 * 0.189 * 0.5, abs=1e-3)
    # hate crime is a national count per resident of all ages: none of the 40 rows is
    # flagged hate, so 0 recorded against 441,290 × 278,000 ÷ 56,567,800 × 40% × 6/12
    # = 433.7401136 (by hand, Python's fractions: 122,678,620 / 282,839)
    hate = _measure(result, "hate-crimes").underreporting
    assert hate.recorded == 0
    assert hate.population_base == "residents of all ages" and hate.population == 441_290
    assert hate.expected == pytest.approx(433.740, abs=1e-3)
    assert hate.ratio == 0 and hate.far_below_expected is True
    assert "278,000" in hate.prevalence_source and "56,567,800" in hate.prevalence_source
    assert da.population_base == "residents aged 16 and over" and da.population == 351_905
    # measures the config does not list have no indicator, and force extract rows carry
    # no street, so these measures list no locations
    assert _measure(result, "modern-slavery-crimes").underreporting is None
    assert _measure(result, "domestic-abuse-crimes").top_locations is None


def test_no_underreporting_without_survey_rates(city_of_london_warehouse):
    city = load_partnership("city-of-london")
    assert city.underreporting is None
    result = build_assessment(city_of_london_warehouse, city)
    assert all(m.underreporting is None for _, m in result.measures())


# -- the config section is checked -----------------------------------------------------------
def _with_underreporting(kirklees: Partnership, **changes) -> dict:
    data = kirklees.model_dump(mode="json")
    data["underreporting"]["measures"][0].update(changes)
    return data


def test_the_config_names_an_unknown_measure(kirklees):
    data = _with_underreporting(kirklees, measure="no-such-measure")
    with pytest.raises(ValidationError, match="'no-such-measure', which is not a measure id"):
        Partnership.model_validate(data)


def test_the_config_refuses_a_percentage(kirklees):
    data = _with_underreporting(kirklees, reporting_rate=18.9)
    with pytest.raises(ValidationError, match=r"reporting_rate.*not a percentage"):
        Partnership.model_validate(data)


def test_the_config_refuses_a_measure_twice(kirklees):
    data = kirklees.model_dump(mode="json")
    data["underreporting"]["measures"].append(data["underreporting"]["measures"][0])
    with pytest.raises(ValidationError, match="more than once"):
        Partnership.model_validate(data)


def test_every_survey_figure_has_a_source(kirklees):
    config = kirklees.underreporting
    assert config.population_16_plus == 351_905
    assert {m.measure for m in config.measures} == {
        "domestic-abuse-crimes",
        "vawg-crimes",
        "hate-crimes",
        "asb-police",
    }
    data = kirklees.model_dump(mode="json")
    del data["underreporting"]["measures"][0]["prevalence_source"]
    with pytest.raises(ValidationError, match="prevalence_source"):
        Partnership.model_validate(data)

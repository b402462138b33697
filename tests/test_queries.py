"""Portable queries: right counts from the real City of London files, same answer on Spark.

The expected counts are worked out here with the ``csv`` module straight from the shipped
police.uk files, without the loader or the warehouse, so a fault in either shows up as a
difference.
"""

from __future__ import annotations

import csv
import time
from collections import Counter
from datetime import date
from pathlib import Path

import ibis
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from sia.config import Measure, load_partnership
from sia.queries import (
    AREA_COLUMNS,
    AREA_COUNT_COLUMNS,
    AREA_LEVELS,
    COUNT_COLUMNS,
    LABEL_COUNT_COLUMNS,
    LOAD_SPAN_COLUMNS,
    LOCATION_COUNT_COLUMNS,
    MEASURE_EVENT_COLUMNS,
    SOURCE_MONTH_COLUMNS,
    OffenceCodeWarning,
    area_counts,
    connect_duckdb,
    events_table,
    label_counts,
    load_spans,
    location_counts,
    measure_events,
    measure_filter,
    monthly_counts,
    source_month_counts,
)

REPO = Path(__file__).resolve().parents[1]
CITY_OF_LONDON_FILES = sorted((REPO / "data" / "police_uk" / "city-of-london").glob("*/*.csv"))
CITY = load_partnership("city-of-london")
DISTRICT = "E09000001"
# The City of London's six LSOAs (ONS 2011 = 2021 codes for the City).
CITY_LSOAS = frozenset(
    {"E01000001", "E01000002", "E01000003", "E01000005", "E01032739", "E01032740"}
)
MEASURES = {m.id: m for _, m in CITY.measures()}
NEIGHBOURHOOD_CRIME = MEASURES["neighbourhood-crime"]


# -- the expected counts, straight from the CSV files -----------------------------------
def read_csv_rows(files: list[Path]) -> list[tuple[date, str, str]]:
    """(month, LSOA code or '', crime type) of every row the City's warehouse should hold.

    Kept: rows in one of the City's six LSOAs, and rows with no LSOA (the City of London
    Police serves only this partnership, so they count at district level). police.uk
    publishes some crimes twice under the same Crime ID; the first, in file and line order,
    is the one kept. Rows with no Crime ID (anti-social behaviour) are each kept: the
    loader keys them by content and position, and no two files cover the same month.
    """
    rows: list[tuple[date, str, str]] = []
    seen_ids: set[str] = set()
    file_months: list[set[str]] = []
    for path in files:
        months: set[str] = set()
        with path.open(newline="", encoding="utf-8") as fh:
            for record in csv.DictReader(fh):
                lsoa = record["LSOA code"].strip()
                if lsoa and lsoa not in CITY_LSOAS:
                    continue
                crime_id = record["Crime ID"].strip()
                if crime_id:
                    if crime_id in seen_ids:
                        continue
                    seen_ids.add(crime_id)
                months.add(record["Month"].strip())
                rows.append(
                    (
                        date.fromisoformat(record["Month"].strip() + "-01"),
                        lsoa,
                        record["Crime type"].strip(),
                    )
                )
        file_months.append(months)
    all_months = [m for months in file_months for m in months]
    assert len(all_months) == len(set(all_months)), "two files cover the same month"
    return rows


@pytest.fixture(scope="module")
def csv_rows() -> list[tuple[date, str, str]]:
    return read_csv_rows(CITY_OF_LONDON_FILES)


def expected(rows, measure: Measure, by_lsoa: bool = False) -> Counter:
    """Per month (or per (month, LSOA)) counts of the measure's rows; '' is no location."""
    chosen = [(month, lsoa) for month, lsoa, category in rows if category in measure.categories]
    return Counter(chosen if by_lsoa else [month for month, _ in chosen])


# -- the queries on DuckDB --------------------------------------------------------------
@pytest.fixture(scope="module")
def events(city_of_london_warehouse):
    return events_table(connect_duckdb(city_of_london_warehouse))


@pytest.fixture(scope="module")
def counts(events) -> dict[str, pd.DataFrame]:
    return {by: monthly_counts(events, CITY, by=by).to_pandas() for by in AREA_LEVELS}


def as_counter(frame: pd.DataFrame, measure_id: str, by_area: bool = False) -> Counter:
    rows = frame[frame["measure_id"] == measure_id]
    months = [m.date() for m in pd.to_datetime(rows["month"])]
    keys = zip(months, rows["area_code"], strict=True) if by_area else months
    return Counter(dict(zip(keys, rows["count"].tolist(), strict=True)))


def test_neighbourhood_crime_by_district_matches_the_csv_files(counts, csv_rows):
    got = as_counter(counts["district"], "neighbourhood-crime")
    want = expected(csv_rows, NEIGHBOURHOOD_CRIME)
    assert len(want) == 60  # every month from January 2017 to December 2021
    assert got == want
    assert sum(got.values()) == sum(want.values()) > 7000


@pytest.mark.parametrize("measure_id", sorted(MEASURES))
def test_every_measure_by_district_matches_the_csv_files(counts, csv_rows, measure_id):
    assert as_counter(counts["district"], measure_id) == expected(csv_rows, MEASURES[measure_id])


@pytest.mark.parametrize("measure_id", sorted(MEASURES))
def test_lsoa_counts_match_the_csv_files(counts, csv_rows, measure_id):
    want = expected(csv_rows, MEASURES[measure_id], by_lsoa=True)
    want = Counter({key: n for key, n in want.items() if key[1]})  # located rows only
    assert as_counter(counts["lsoa"], measure_id, by_area=True) == want


@pytest.mark.parametrize("by", ["place", "ward", "lsoa"])
def test_lower_levels_sum_to_district_less_district_only_rows(counts, csv_rows, by):
    district = counts["district"]
    lower = counts[by]
    district_only = 0
    for measure_id, measure in MEASURES.items():
        no_location = Counter(
            {
                month: n
                for (month, lsoa), n in expected(csv_rows, measure, by_lsoa=True).items()
                if not lsoa
            }
        )
        district_only += no_location.total()
        summed = Counter()
        for (month, _), n in as_counter(lower, measure_id, by_area=True).items():
            summed[month] += n
        want = as_counter(district, measure_id)
        want.subtract(no_location)
        assert summed == +want, measure_id
    # the City has district-only rows, so the check above is not trivially true
    assert district["count"].sum() - lower["count"].sum() == district_only > 100


def test_area_codes_at_each_level(counts, city_of_london_warehouse):
    assert set(counts["district"]["area_code"]) == {DISTRICT}
    assert set(counts["place"]["area_code"]) == {"City of London"}
    assert set(counts["ward"]["area_code"]) == {w.code for w in CITY.wards}
    assert set(counts["lsoa"]["area_code"]) == CITY_LSOAS
    for by, frame in counts.items():
        assert set(frame["area_type"]) == {by}


def test_columns_types_and_order(events):
    expr = monthly_counts(events, CITY, by="ward")
    assert tuple(expr.columns) == COUNT_COLUMNS
    assert {name: str(t.copy(nullable=True)) for name, t in expr.schema().items()} == {
        "measure_id": "string",
        "month": "date",
        "area_type": "string",
        "area_code": "string",
        "count": "int64",
    }
    frame = expr.to_pandas()
    assert frame["count"].dtype == "int64"
    assert (frame["count"] > 0).all()  # sparse: no zero rows
    key = ["measure_id", "area_code", "month"]
    assert not frame.duplicated(key).any()
    assert_frame_equal(frame, frame.sort_values(key, ignore_index=True))


def test_unknown_level_is_refused(events):
    with pytest.raises(ValueError, match="by must be one of"):
        monthly_counts(events, CITY, by="county")  # type: ignore[arg-type]


def test_an_event_counts_once_for_each_measure_it_belongs_to(events):
    tagged = measure_events(events, CITY)
    assert tuple(tagged.columns) == MEASURE_EVENT_COLUMNS
    per_category = {
        r["category"]: r["n"]
        for r in events.group_by("category").aggregate(n=events.count()).to_pyarrow().to_pylist()
    }
    per_measure = {
        r["measure_id"]: r["n"]
        for r in tagged.group_by("measure_id").aggregate(n=tagged.count()).to_pyarrow().to_pylist()
    }
    want = {m.id: sum(per_category.get(c, 0) for c in m.categories) for m in MEASURES.values()}
    assert per_measure == want
    # Robbery is in both neighbourhood crime and the serious violence proxy
    assert per_category["Robbery"] > 0
    assert sum(per_measure.values()) > events.count().execute() - per_category["Other crime"]


# -- measure_filter on flags and offence codes (no warehouse source has them yet) ------------
FORCE_EVENTS = {
    "source": ["force-extract", "force-extract", "force-extract", "force-extract", "police-uk"],
    "category": ["Violence", "Violence", "Violence", "Robbery", "Violence"],
    "flags": [["knife", "domestic_abuse"], ["knife"], None, [], ["knife"]],
    "offence_code": ["106", "8", "106", "106", "106"],
}
FORCE_SCHEMA = {
    "source": "string",
    "category": "string",
    "flags": "array<string>",
    "offence_code": "string",
}


def matching(table, measure: Measure) -> list[int]:
    """Row numbers (from 0) of the in-memory table that the measure keeps."""
    numbered = table.mutate(n=ibis.row_number())
    kept = numbered.filter(measure_filter(numbered, measure)).n.to_pandas()
    return sorted(kept.tolist())


@pytest.fixture
def force_events():
    return ibis.memtable(FORCE_EVENTS, schema=FORCE_SCHEMA)


def force_measure(**filters) -> Measure:
    return Measure(id="m", name="m", source="force-extract", **filters)


def test_every_flag_must_be_set_and_null_flags_are_no_flags(force_events):
    assert matching(force_events, force_measure(flags=["knife"])) == [0, 1]
    assert matching(force_events, force_measure(flags=["knife", "domestic_abuse"])) == [0]
    assert matching(force_events, force_measure(categories=["Robbery"])) == [3]
    # never NULL, so it can be negated or used in a CASE
    flag = measure_filter(force_events, force_measure(flags=["knife"]))
    assert force_events.select(f=flag).f.to_pandas().tolist() == [True, True, False, False, False]


def test_offence_codes_apply_when_the_table_has_an_offence_code_column(force_events):
    assert matching(force_events, force_measure(offence_codes=["106"])) == [0, 2, 3]
    measure = force_measure(categories=["Violence"], offence_codes=["106"])
    assert matching(force_events, measure) == [0, 2]


def test_offence_codes_without_the_column_are_not_checked_and_say_so(force_events):
    without = force_events.drop("offence_code")
    with pytest.warns(OffenceCodeWarning, match="only its other conditions apply"):
        kept = matching(without, force_measure(categories=["Violence"], offence_codes=["106"]))
    assert kept == [0, 1, 2]
    with pytest.warns(OffenceCodeWarning, match="matches no events"):
        assert matching(without, force_measure(offence_codes=["106"])) == []


# -- the assessment's other aggregates against the CSV files ------------------------------
@pytest.mark.parametrize("by", AREA_LEVELS)
def test_area_counts_roll_up_to_monthly_counts(events, counts, by):
    """One query at the finest grain, summed by hand in pandas per level, gives
    monthly_counts at every level."""
    finest = area_counts(events, CITY).to_pandas()
    assert tuple(finest.columns) == AREA_COUNT_COLUMNS
    if by == "district":
        keyed = finest.assign(area_code=DISTRICT)
    else:
        keyed = finest[finest[AREA_COLUMNS[by]].notna()]
        keyed = keyed.assign(area_code=keyed[AREA_COLUMNS[by]])
    rolled = keyed.groupby(["measure_id", "month", "area_code"], as_index=False)["count"].sum()
    rolled["area_type"] = by
    assert_frame_equal(normalised(rolled), normalised(counts[by]))


YEAR = (date(2021, 1, 1), date(2021, 12, 1))


def test_source_month_counts_match_the_csv_files(events, csv_rows):
    frame = source_month_counts(events).to_pandas()
    assert tuple(frame.columns) == SOURCE_MONTH_COLUMNS
    assert set(frame["source"]) == {"police-uk"}
    got = {
        (m.date(), int(n), int(w))
        for m, n, w in zip(
            pd.to_datetime(frame["month"]), frame["events"], frame["without_location"], strict=True
        )
    }
    per_month = Counter(month for month, _, _ in csv_rows)
    no_lsoa = Counter(month for month, lsoa, _ in csv_rows if not lsoa)
    assert got == {(m, n, no_lsoa.get(m, 0)) for m, n in per_month.items()}
    assert sum(no_lsoa.values()) > 100  # not trivially zero


def test_load_spans_are_one_month_per_city_file(events, csv_rows):
    frame = load_spans(events).to_pandas()
    assert tuple(frame.columns) == LOAD_SPAN_COLUMNS
    assert list(frame["load_id"]) == list(range(1, 61))
    assert (frame["first_month"] == frame["last_month"]).all()
    per_month = Counter(month for month, _, _ in csv_rows)
    got = {
        pd.Timestamp(m).date(): int(n)
        for m, n in zip(frame["first_month"], frame["n"], strict=True)
    }
    assert got == dict(per_month)


def test_label_counts_of_a_measure_match_the_csv_files(events, csv_rows):
    frame = label_counts(events, NEIGHBOURHOOD_CRIME, *YEAR).to_pandas()
    assert tuple(frame.columns) == LABEL_COUNT_COLUMNS
    by_label = frame.groupby("label")["count"].sum().to_dict()
    want = Counter(
        category
        for month, _, category in csv_rows
        if YEAR[0] <= month <= YEAR[1] and category in NEIGHBOURHOOD_CRIME.categories
    )
    assert by_label == dict(want)
    # rows with no LSOA have no ward or place and are still counted
    assert frame["ward_code"].isna().any()
    with pytest.raises(ValueError, match="label must be"):
        label_counts(events, NEIGHBOURHOOD_CRIME, *YEAR, label="location")


LOCATION_EVENTS = {
    "source": ["police-uk"] * 7,
    "category": ["Burglary"] * 6 + ["Drugs"],
    "flags": [None] * 7,
    "month": [date(2021, 3, 1)] * 6 + [date(2020, 3, 1)],
    "place": ["A", "A", "B", "A", None, "A", "A"],
    "location": [
        "On or near High Street",
        " On or near High Street ",
        "On or near High Street",
        "Supermarket",
        "On or near Park Road",
        "",
        "On or near High Street",
    ],
}


def test_location_counts_drop_the_prefix_and_keep_the_place():
    table = ibis.memtable(
        LOCATION_EVENTS,
        schema={
            "source": "string",
            "category": "string",
            "flags": "array<string>",
            "month": "date",
            "place": "string",
            "location": "string",
        },
    )
    frame = location_counts(table, CITY, *YEAR).to_pandas()
    assert tuple(frame.columns) == LOCATION_COUNT_COLUMNS
    rows = {
        (r.measure_id, r.location, None if pd.isna(r.place) else r.place, r.count)
        for r in frame.itertuples()
    }
    # neighbourhood crime takes burglary; the empty location and the 2020 row are left out
    assert rows == {
        ("neighbourhood-crime", "High Street", "A", 2),
        ("neighbourhood-crime", "High Street", "B", 1),
        ("neighbourhood-crime", "Supermarket", "A", 1),
        ("neighbourhood-crime", "Park Road", None, 1),
    }


def test_location_counts_match_the_csv_files(events):
    """Drugs offences of 2021 per location, read with ``csv`` (the first of two rows with
    the same Crime ID kept, as in :func:`read_csv_rows`)."""
    rows: Counter = Counter()
    seen_ids: set[str] = set()
    for path in CITY_OF_LONDON_FILES:
        with path.open(newline="", encoding="utf-8") as fh:
            for record in csv.DictReader(fh):
                lsoa = record["LSOA code"].strip()
                if lsoa and lsoa not in CITY_LSOAS:
                    continue
                crime_id = record["Crime ID"].strip()
                if crime_id and crime_id in seen_ids:
                    continue
                seen_ids.add(crime_id)
                if record["Crime type"] != "Drugs" or not record["Month"].startswith("2021"):
                    continue
                name = record["Location"].strip().removeprefix("On or near ").strip()
                if name:
                    rows[name] += 1
    frame = location_counts(events, CITY, *YEAR).to_pandas()
    drugs = frame[frame["measure_id"] == "drug-offences"]
    assert drugs.groupby("location")["count"].sum().to_dict() == dict(rows)
    assert len(rows) > 20


# -- the same expressions on PySpark -----------------------------------------------------
@pytest.fixture(scope="module")
def spark_events(spark_session, city_of_london_warehouse):
    """A copy of the warehouse's events in Spark, as the Ibis table ``events``.

    ``attributes`` (JSON) is left behind: Spark has no JSON type and no query reads it.
    """
    duck = events_table(connect_duckdb(city_of_london_warehouse))
    arrow = duck.drop("attributes").to_pyarrow()
    spark_session.createDataFrame(arrow).createOrReplaceTempView("events")
    return events_table(ibis.pyspark.connect(spark_session))


def normalised(frame: pd.DataFrame) -> pd.DataFrame:
    out = pd.DataFrame(
        {
            "measure_id": frame["measure_id"].astype(str),
            "month": [m.date() for m in pd.to_datetime(frame["month"])],
            "area_type": frame["area_type"].astype(str),
            "area_code": frame["area_code"].astype(str),
            "count": frame["count"].astype("int64"),
        }
    )
    return out.sort_values(["measure_id", "area_code", "month"], ignore_index=True)


@pytest.mark.spark
@pytest.mark.parametrize("by", AREA_LEVELS)
def test_pyspark_gives_the_same_counts_as_duckdb(spark_events, counts, by):
    started = time.perf_counter()
    on_spark = monthly_counts(spark_events, CITY, by=by).to_pandas()
    seconds = time.perf_counter() - started
    assert tuple(on_spark.columns) == COUNT_COLUMNS
    assert_frame_equal(normalised(on_spark), normalised(counts[by]))
    assert len(on_spark) > 0
    print(f"spark monthly_counts by {by}: {len(on_spark)} rows in {seconds:.1f} s")


def _sorted(frame: pd.DataFrame, columns: tuple[str, ...]) -> pd.DataFrame:
    """Same columns, plain Python values, rows sorted: a frame comparable across engines."""
    out = pd.DataFrame(
        {
            c: [
                None
                if v is None or (isinstance(v, float) and pd.isna(v))
                else (v.date() if isinstance(v, pd.Timestamp) else v)
                for v in frame[c].astype(object)
            ]
            for c in columns
        }
    )
    for c in columns:
        if c.endswith("month"):
            out[c] = [None if v is None else pd.Timestamp(v).date() for v in out[c]]
    key = out.astype(str)
    return out.loc[key.sort_values(list(columns)).index].reset_index(drop=True)


ASSESSMENT_AGGREGATES = {
    "area_counts": (lambda e: area_counts(e, CITY), AREA_COUNT_COLUMNS),
    "source_month_counts": (lambda e: source_month_counts(e), SOURCE_MONTH_COLUMNS),
    "load_spans": (lambda e: load_spans(e), LOAD_SPAN_COLUMNS),
    "label_counts": (
        lambda e: label_counts(e, NEIGHBOURHOOD_CRIME, date(2020, 1, 1), YEAR[1]),
        LABEL_COUNT_COLUMNS,
    ),
    "location_counts": (lambda e: location_counts(e, CITY, *YEAR), LOCATION_COUNT_COLUMNS),
}


@pytest.mark.spark
@pytest.mark.parametrize("name", sorted(ASSESSMENT_AGGREGATES))
def test_pyspark_gives_the_assessments_aggregates(spark_events, events, name):
    """Every other aggregate the assessment reads (coverage, loads, harm labels, locations)
    is the same table on PySpark as on DuckDB."""
    build, columns = ASSESSMENT_AGGREGATES[name]
    started = time.perf_counter()
    on_spark = build(spark_events).to_pandas()
    seconds = time.perf_counter() - started
    on_duckdb = build(events).to_pandas()
    assert tuple(on_spark.columns) == columns
    assert len(on_duckdb) > 0
    assert_frame_equal(_sorted(on_spark, columns), _sorted(on_duckdb, columns))
    print(f"spark {name}: {len(on_spark)} rows in {seconds:.1f} s")

"""The keyed form of the events (sia.national): the same counts as grouping by the codes.

Every expected count here is worked out with pandas ``groupby`` straight from the events as
they are (codes and names, not keys), so a fault in the keys, the joins or the decoding shows
up as a difference. The real events are the City of London warehouse's (60 months of
police.uk data); a small table made by hand covers several districts, unknown areas and
months either side of the key's origin.
"""

from __future__ import annotations

import time
from datetime import date

import duckdb
import ibis
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from sia.national import (
    AREA_COLUMNS,
    CATEGORY_COLUMNS,
    DECODED_COLUMNS,
    FACT_COLUMNS,
    KEYED_COUNT_COLUMNS,
    KEYED_FILES,
    PERFECT_HASH_BITS,
    decode_counts,
    encode_events,
    keyed_counts,
    month_key,
    open_keyed_duckdb,
    tune_duckdb,
    write_keyed,
)
from sia.queries import connect_duckdb, events_table

CODES = {"district": "district_code", "ward": "ward_code", "lsoa": "lsoa_code"}

# Two districts, an event with no ward or LSOA (district-level), one with no area at all,
# months before and after January 2000, and a category used once.
HAND_MADE = pd.DataFrame(
    {
        "source": ["police-uk"] * 7 + ["police-uk-asb"],
        "month": [
            date(2000, 1, 1),
            date(2024, 12, 1),
            date(2024, 12, 1),
            date(2001, 3, 1),
            date(1999, 12, 1),
            date(2024, 12, 1),
            date(2024, 12, 1),
            date(2024, 12, 1),
        ],
        "lsoa_code": [
            "E01000002",
            "E01000001",
            None,
            "E01000001",
            "E01000009",
            None,
            "E01000001",
            "E01000009",
        ],
        "ward_code": [
            "E05000001",
            "E05000001",
            None,
            "E05000002",
            "E05000009",
            None,
            "E05000001",
            "E05000009",
        ],
        "district_code": [
            "E08000001",
            "E08000001",
            "E08000001",
            "E08000001",
            "E08000002",
            None,
            "E08000001",
            "E08000002",
        ],
        "category": [
            "burglary",
            "robbery",
            "burglary",
            "burglary",
            "drugs",
            "burglary",
            "robbery",
            "anti-social-behaviour",
        ],
    }
)


def duckdb_table(frame: pd.DataFrame, name: str = "events") -> ibis.Table:
    con = ibis.duckdb.from_connection(duckdb.connect())
    con.con.register(f"{name}_frame", frame)
    con.raw_sql(f"CREATE TABLE {name} AS SELECT * FROM {name}_frame")
    return con.table(name)


def expected_counts(frame: pd.DataFrame, by: str) -> pd.DataFrame:
    """Events per area, category and month, grouped by pandas on the codes themselves."""
    known = frame[frame[CODES[by]].notna()]
    grouped = known.groupby([CODES[by], "category", "month"]).size().reset_index(name="count")
    return pd.DataFrame(
        {
            "area_type": by,
            "area_code": grouped[CODES[by]].astype(str),
            "category": grouped["category"].astype(str),
            "month": [pd.Timestamp(m).date() for m in grouped["month"]],
            "count": grouped["count"].astype("int64"),
        }
    ).sort_values(["area_code", "category", "month"], ignore_index=True)


def plain(frame: pd.DataFrame) -> pd.DataFrame:
    """A decoded count as plain values, in order: comparable with :func:`expected_counts`."""
    out = pd.DataFrame(
        {
            "area_type": frame["area_type"].astype(str),
            "area_code": frame["area_code"].astype(str),
            "category": frame["category"].astype(str),
            "month": [pd.Timestamp(m).date() for m in frame["month"]],
            "count": frame["count"].astype("int64"),
        }
    )
    return out.sort_values(["area_code", "category", "month"], ignore_index=True)


# -- by hand -------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def hand_keyed():
    return encode_events(duckdb_table(HAND_MADE))


def test_month_keys_count_months_from_january_2000():
    # By hand: (year - 2000) * 12 + month - 1.
    for month, key in [
        (date(2000, 1, 1), 0),
        (date(2000, 12, 1), 11),
        (date(2001, 3, 1), 14),
        (date(2024, 12, 1), 299),
        (date(1999, 12, 1), -1),
    ]:
        assert ibis.duckdb.connect().execute(month_key(ibis.literal(month))) == key


def test_facts_keep_every_event_with_null_keys_for_unknown_areas(hand_keyed):
    facts = hand_keyed.facts.to_pandas()
    assert tuple(facts.columns) == FACT_COLUMNS
    assert len(facts) == len(HAND_MADE)
    for level, column in CODES.items():
        assert facts[f"{level}_key"].isna().sum() == HAND_MADE[column].isna().sum()
    assert sorted(facts["month_key"].tolist()) == sorted([0, 299, 299, 14, -1, 299, 299, 299])


def test_dimensions_are_dense_keys_in_code_order(hand_keyed):
    areas = hand_keyed.areas.to_pandas()
    assert tuple(areas.columns) == AREA_COLUMNS
    for level, column in CODES.items():
        rows = areas[areas["area_type"] == level].sort_values("area_key")
        codes = sorted(HAND_MADE[column].dropna().unique())
        assert rows["area_code"].tolist() == codes
        assert rows["area_key"].tolist() == list(range(len(codes)))
    categories = hand_keyed.categories.to_pandas().sort_values("category_key")
    assert tuple(categories.columns) == CATEGORY_COLUMNS
    assert categories["category"].tolist() == sorted(HAND_MADE["category"].unique())
    assert categories["category_key"].tolist() == list(range(4))


@pytest.mark.parametrize("by", list(CODES))
def test_decoded_counts_equal_pandas_groupby_of_the_codes(hand_keyed, by):
    counts = keyed_counts(hand_keyed, by=by)
    assert tuple(counts.columns) == KEYED_COUNT_COLUMNS
    decoded = decode_counts(hand_keyed, counts, by=by).to_pandas()
    assert tuple(decoded.columns) == DECODED_COLUMNS
    assert_frame_equal(plain(decoded), expected_counts(HAND_MADE, by))


def test_an_event_counts_only_where_its_area_at_that_level_is_known(hand_keyed):
    # By hand from HAND_MADE: 7 events have a district, 6 a ward, 6 an LSOA.
    totals = {by: int(keyed_counts(hand_keyed, by=by).to_pandas()["count"].sum()) for by in CODES}
    assert totals == {"district": 7, "ward": 6, "lsoa": 6}


def test_events_without_a_district_column_are_keyed_by_ward_and_lsoa():
    keyed = encode_events(duckdb_table(HAND_MADE.drop(columns="district_code")))
    assert keyed.levels == ("ward", "lsoa")
    assert "district_key" not in keyed.facts.columns
    with pytest.raises(ValueError, match="by must be one of \\['ward', 'lsoa'\\], not 'district'"):
        keyed_counts(keyed, by="district")


def test_events_lacking_a_needed_column_are_refused():
    with pytest.raises(ValueError, match="no category column"):
        encode_events(duckdb_table(HAND_MADE.drop(columns="category")))
    with pytest.raises(ValueError, match="no district_code or ward_code or lsoa_code column"):
        encode_events(duckdb_table(HAND_MADE.drop(columns=list(CODES.values()))))


# -- on disk, with DuckDB tuned --------------------------------------------------------------
def test_written_keyed_events_reopen_with_the_same_counts(hand_keyed, tmp_path):
    paths = write_keyed(hand_keyed, tmp_path / "keyed")
    assert sorted(p.name for p in paths.values()) == sorted(KEYED_FILES.values())
    con, reopened = open_keyed_duckdb(tmp_path / "keyed")
    setting = con.raw_sql("SELECT current_setting('perfect_ht_threshold')").fetchall()[0][0]
    assert setting == PERFECT_HASH_BITS
    for by in CODES:
        decoded = decode_counts(reopened, keyed_counts(reopened, by=by), by=by).to_pandas()
        assert_frame_equal(plain(decoded), expected_counts(HAND_MADE, by))


def test_opening_a_folder_without_the_facts_names_the_file(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"facts\.parquet: no facts table"):
        open_keyed_duckdb(tmp_path)


def test_tuning_raises_duckdbs_perfect_hash_threshold():
    con = duckdb.connect()
    before = con.execute("SELECT current_setting('perfect_ht_threshold')").fetchone()[0]
    tune_duckdb(con)
    after = con.execute("SELECT current_setting('perfect_ht_threshold')").fetchone()[0]
    assert (before, after) == (12, PERFECT_HASH_BITS)


# -- the real City of London events ----------------------------------------------------------
@pytest.fixture(scope="module")
def city_events(city_of_london_warehouse) -> ibis.Table:
    """The warehouse's events with the City's district code: a national table of one CSP."""
    events = events_table(connect_duckdb(city_of_london_warehouse))
    return events.select(
        "source",
        "month",
        "lsoa_code",
        "ward_code",
        "category",
        district_code=ibis.literal("E09000001", type="string"),
    )


@pytest.fixture(scope="module")
def city_frame(city_events) -> pd.DataFrame:
    return city_events.to_pandas()


@pytest.mark.parametrize("by", list(CODES))
def test_city_of_london_counts_by_key_equal_counts_by_code(city_events, city_frame, by):
    keyed = encode_events(city_events)
    decoded = decode_counts(keyed, keyed_counts(keyed, by=by), by=by).to_pandas()
    expected = expected_counts(city_frame, by)
    assert_frame_equal(plain(decoded), expected)
    assert len(expected) > 500  # 14 crime types x 60 months at district level, more below


# -- the same expressions on PySpark ---------------------------------------------------------
@pytest.mark.spark
def test_pyspark_encodes_and_counts_as_duckdb_does(spark_session, city_events, city_frame):
    spark_session.createDataFrame(city_events.to_pyarrow()).createOrReplaceTempView(
        "national_events"
    )
    started = time.perf_counter()
    on_spark = encode_events(ibis.pyspark.connect(spark_session).table("national_events"))
    on_duckdb = encode_events(city_events)
    for by in CODES:
        spark_counts = decode_counts(on_spark, keyed_counts(on_spark, by=by), by=by).to_pandas()
        duck_counts = decode_counts(on_duckdb, keyed_counts(on_duckdb, by=by), by=by).to_pandas()
        assert_frame_equal(plain(spark_counts), plain(duck_counts))
        assert_frame_equal(plain(spark_counts), expected_counts(city_frame, by))
    # The keys themselves agree too: both engines order the codes the same way.
    assert_frame_equal(
        on_spark.areas.to_pandas().sort_values(["area_type", "area_key"], ignore_index=True),
        on_duckdb.areas.to_pandas().sort_values(["area_type", "area_key"], ignore_index=True),
        check_dtype=False,
    )
    print(f"spark encode and count at 3 levels: {time.perf_counter() - started:.1f} s")

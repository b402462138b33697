"""STATS19 loader: real DfT rows for Kirklees, every row accounted for, bad input refused.

The fixture (``tests/data/stats19``) holds the real rows of the DfT 2024 West Yorkshire
files for 41 Kirklees collisions and 10 from the other four districts, with all their
casualties and vehicles (see its README). Expected counts are worked out here from the CSV
files with the csv module and the shipped geography, not from the loader.
"""

from __future__ import annotations

import csv
import gzip
import os
from collections import Counter
from datetime import date
from pathlib import Path

import bad_files
import pytest

from sia.config import load_partnership
from sia.geography import Geography
from sia.sources import REGISTRY, stats19
from sia.sources.base import SourceError
from sia.sources.stats19 import (
    CASUALTIES,
    CASUALTY_COLUMNS,
    COLLISION_COLUMNS,
    COLLISIONS,
    VEHICLE_COLUMNS,
    VEHICLES,
    load_file,
)
from sia.warehouse import Warehouse

DATA = Path(__file__).resolve().parents[1] / "data" / "stats19"
COLLISIONS_CSV = DATA / "accidents.csv"
CASUALTIES_CSV = DATA / "casualties.csv"
VEHICLES_CSV = DATA / "vehicles.csv"
FILES = {
    COLLISIONS.name: COLLISIONS_CSV,
    CASUALTIES.name: CASUALTIES_CSV,
    VEHICLES.name: VEHICLES_CSV,
}
KIRKLEES = "E08000034"
#: DfT collision_severity / casualty_severity codes.
SEVERITY = {"1": "fatal", "2": "serious", "3": "slight"}
#: Coded by the DfT to Wakefield (E08000036) but in a Kirklees LSOA, by its code and by
#: its coordinates: the partnership's, since membership goes by LSOA.
WAKEFIELD_CODED_IN_KIRKLEES = "2024131506687"
TABLES = ("events", "road_casualties", "road_vehicles", "loads", "skips", "rejects")


def read(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def write(path: Path, rows: list[dict[str, str]], header) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(header), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture(scope="module")
def lsoa_index() -> dict[str, tuple[str, str]]:
    """LSOA code -> (ward code, place), from the shipped geography."""
    return Geography.for_partnership(load_partnership("kirklees")).lsoa_index()


@pytest.fixture
def kirklees(tmp_path):
    wh = Warehouse.open(load_partnership("kirklees"), tmp_path / "wh")
    yield wh
    wh.close()


def snapshot(wh: Warehouse) -> dict[str, list]:
    return bad_files.snapshot(wh, TABLES)


# -- the fixture is what it says -------------------------------------------------------
def test_fixture_headers_are_the_dft_2024_headers_and_the_rows_span_the_districts():
    for path, header in (
        (COLLISIONS_CSV, COLLISION_COLUMNS),
        (CASUALTIES_CSV, CASUALTY_COLUMNS),
        (VEHICLES_CSV, VEHICLE_COLUMNS),
    ):
        with path.open(newline="", encoding="utf-8") as fh:
            assert tuple(next(csv.reader(fh))) == header
    districts = Counter(r["local_authority_ons_district"] for r in read(COLLISIONS_CSV))
    assert districts[KIRKLEES] == 41
    assert sum(districts.values()) - districts[KIRKLEES] == 10
    assert set(districts) == {KIRKLEES, "E08000032", "E08000033", "E08000035", "E08000036"}
    indexes = {r["collision_index"] for r in read(COLLISIONS_CSV)}
    assert {r["collision_index"] for r in read(CASUALTIES_CSV)} == indexes
    assert {r["collision_index"] for r in read(VEHICLES_CSV)} == indexes


def test_registered():
    assert REGISTRY["stats19"].formats() == stats19.FORMATS
    assert set(stats19.FORMATS) == {COLLISIONS.name, CASUALTIES.name, VEHICLES.name}


# -- collisions --------------------------------------------------------------------------
def test_collisions_in_kirklees_load_and_the_others_are_skipped(kirklees, lsoa_index):
    rows = read(COLLISIONS_CSV)
    inside = [r for r in rows if r["lsoa_of_accident_location"] in lsoa_index]
    result = load_file(kirklees, COLLISIONS_CSV)
    assert result.format == COLLISIONS.name
    assert result.read == len(rows) == 51
    assert result.loaded == len(inside) == 42
    assert result.skipped == {"outside-partnership": len(rows) - len(inside)}
    assert (result.rejected, result.duplicates) == (0, 0)
    assert result.balanced()
    loaded = kirklees.rows("SELECT * FROM events ORDER BY source_id")
    assert [e["source_id"] for e in loaded] == sorted(r["collision_index"] for r in inside)
    assert {e["source"] for e in loaded} == {"stats19"}
    assert WAKEFIELD_CODED_IN_KIRKLEES in {e["source_id"] for e in loaded}
    by_id = {r["collision_index"]: r for r in rows}
    for e in loaded:
        r = by_id[e["source_id"]]
        day, month, year = r["date"].split("/")
        assert e["occurred_on"].isoformat() == f"{year}-{month}-{day}"
        assert e["month"].isoformat() == f"{year}-{month}-01"
        assert e["category"] == SEVERITY[r["collision_severity"]]
        assert e["lsoa_code"] == r["lsoa_of_accident_location"]
        # every collision gets the ward and place the geography lookup gives its LSOA
        assert (e["ward_code"], e["place"]) == lsoa_index[r["lsoa_of_accident_location"]]
        assert e["ward_code"] is not None
        assert e["longitude"] == float(r["longitude"])
        assert e["latitude"] == float(r["latitude"])


def test_severity_categories_match_the_dft_codes(kirklees, lsoa_index):
    load_file(kirklees, COLLISIONS_CSV)
    got = dict(kirklees.con.execute("SELECT category, count(*) FROM events GROUP BY 1").fetchall())
    # counted by hand in accidents.csv: collision_severity of the 42 rows in Kirklees LSOAs
    assert got == {"fatal": 3, "serious": 15, "slight": 24}
    counted = Counter(
        SEVERITY[r["collision_severity"]]
        for r in read(COLLISIONS_CSV)
        if r["lsoa_of_accident_location"] in lsoa_index
    )
    assert got == counted
    # the road-safety measure of kirklees.yaml counts fatal and serious stats19 events
    ksi = "SELECT count(*) FROM events WHERE source = 'stats19' AND category IN (?, ?)"
    assert kirklees.scalar(ksi, ["fatal", "serious"]) == 18


def test_collision_attributes_and_road(kirklees):
    load_file(kirklees, COLLISIONS_CSV)
    row = kirklees.rows(
        "SELECT location, attributes->>'time' AS time, "
        "CAST(attributes->>'speed_limit' AS INTEGER) AS speed_limit, "
        "CAST(attributes->>'number_of_casualties' AS INTEGER) AS casualties, "
        "attributes->>'local_authority_ons_district' AS district "
        "FROM events WHERE source_id = '2024131397951'"
    )
    # accidents.csv: A653 (first_road_class 3, number 653), 12:06, 40 mph, 1 casualty
    assert row == [
        {
            "location": "A653",
            "time": "12:06",
            "speed_limit": 40,
            "casualties": 1,
            "district": KIRKLEES,
        }
    ]


def test_a_collision_with_no_lsoa_is_placed_by_its_coordinates(kirklees, tmp_path, lsoa_index):
    rows = read(COLLISIONS_CSV)
    by_id = {r["collision_index"]: r for r in rows}
    # line 7: Kirklees, DfT LSOA E01011014; line 9: Kirklees, E01011255 (both agree with
    # the point); line 2: Calderdale.
    blank, dft_missing, calderdale = "2024131420805", "2024131511020", "2024131449060"
    expected = {
        blank: by_id[blank]["lsoa_of_accident_location"],
        dft_missing: by_id[dft_missing]["lsoa_of_accident_location"],
    }
    by_id[blank]["lsoa_of_accident_location"] = ""
    by_id[dft_missing]["lsoa_of_accident_location"] = "-1"  # the DfT code for missing
    by_id[calderdale]["lsoa_of_accident_location"] = ""
    nowhere = dict(by_id[blank], collision_index="X1", lsoa_of_accident_location="")
    for key in ("location_easting_osgr", "location_northing_osgr", "longitude", "latitude"):
        nowhere[key] = ""
    path = write(tmp_path / "accidents.csv", [*rows, nowhere], COLLISION_COLUMNS)
    result = load_file(kirklees, path)
    assert result.loaded == 42
    assert result.skipped == {"outside-partnership": 8, "outside-district": 1, "no-location": 1}
    got = {
        r["source_id"]: (r["lsoa_code"], r["ward_code"], r["place"])
        for r in kirklees.rows(
            "SELECT * FROM events WHERE source_id IN (?, ?)", [blank, dft_missing]
        )
    }
    assert got == {k: (v, *lsoa_index[v]) for k, v in expected.items()}


def test_a_collision_twice_in_one_file_is_a_duplicate(kirklees, tmp_path):
    rows = read(COLLISIONS_CSV)
    path = write(tmp_path / "a.csv", [*rows, rows[10]], COLLISION_COLUMNS)
    result = load_file(kirklees, path)
    assert (result.read, result.loaded, result.duplicates) == (52, 42, 1)


# -- casualties and vehicles ---------------------------------------------------------------
def test_casualties_and_vehicles_load_whole_and_are_placed_through_their_collision(
    kirklees, lsoa_index
):
    collisions = read(COLLISIONS_CSV)
    casualties = read(CASUALTIES_CSV)
    vehicles = read(VEHICLES_CSV)
    inside = {
        r["collision_index"]: r for r in collisions if r["lsoa_of_accident_location"] in lsoa_index
    }
    # loaded before their collisions: the views do not depend on the order of loading
    cas = load_file(kirklees, CASUALTIES_CSV)
    veh = load_file(kirklees, VEHICLES_CSV)
    load_file(kirklees, COLLISIONS_CSV)
    assert (cas.format, veh.format) == (CASUALTIES.name, VEHICLES.name)
    assert (cas.read, cas.loaded, cas.rejected, cas.skipped) == (77, 77, 0, {})
    assert (veh.read, veh.loaded, veh.rejected, veh.skipped) == (86, 86, 0, {})
    assert cas.loaded == len(casualties) and veh.loaded == len(vehicles)
    assert kirklees.scalar("SELECT count(*) FROM road_casualties") == len(casualties)
    assert kirklees.scalar("SELECT count(*) FROM road_vehicles") == len(vehicles)
    # the tables themselves carry no place and month = January of collision_year
    assert kirklees.rows(
        "SELECT DISTINCT month, lsoa_code, ward_code, place FROM road_casualties"
    ) == [{"month": date(2024, 1, 1), "lsoa_code": None, "ward_code": None, "place": None}]

    placed = kirklees.rows("SELECT * FROM road_casualties_placed")
    assert len(placed) == sum(1 for r in casualties if r["collision_index"] in inside) == 64
    for p in placed:
        collision = inside[p["collision_index"]]
        lsoa = collision["lsoa_of_accident_location"]
        assert (p["lsoa_code"], p["ward_code"], p["place"]) == (lsoa, *lsoa_index[lsoa])
        assert p["collision_severity"] == SEVERITY[collision["collision_severity"]]
        day, month, year = collision["date"].split("/")
        assert p["occurred_on"].isoformat() == f"{year}-{month}-{day}"
    severities = Counter(SEVERITY[r["casualty_severity"]] for r in casualties)
    got = dict(
        kirklees.con.execute(
            "SELECT casualty_severity, count(*) FROM road_casualties GROUP BY 1"
        ).fetchall()
    )
    assert got == severities == {"fatal": 3, "serious": 21, "slight": 53}
    vplaced = kirklees.scalar("SELECT count(*) FROM road_vehicles_placed")
    assert vplaced == sum(1 for r in vehicles if r["collision_index"] in inside)


def test_casualty_and_vehicle_codes_are_mapped(kirklees):
    load_file(kirklees, CASUALTIES_CSV)
    load_file(kirklees, VEHICLES_CSV)
    casualties = {
        f"{r['collision_index']}|{r['casualty_reference']}": r for r in read(CASUALTIES_CSV)
    }
    classes = {"1": "driver or rider", "2": "passenger", "3": "pedestrian"}
    sexes = {"1": "male", "2": "female", "9": "unknown", "-1": None}
    for row in kirklees.rows("SELECT * FROM road_casualties"):
        r = casualties[row["source_id"]]
        assert row["casualty_class"] == classes[r["casualty_class"]]
        assert row["sex"] == sexes[r["sex_of_casualty"]]
        assert row["age"] == (None if r["age_of_casualty"] == "-1" else int(r["age_of_casualty"]))
        assert row["vehicle_reference"] == int(r["vehicle_reference"])
        if r["casualty_type"] == "0":
            assert row["road_user"] == "pedestrian"
        if r["casualty_type"] == "1":
            assert row["road_user"] == "cyclist"
    assert kirklees.rows(
        "SELECT age_band FROM road_casualties WHERE source_id = '2024131532683|1'"
    ) == [{"age_band": "26-35"}]  # age 28, age_band_of_casualty 6
    vehicles = {f"{r['collision_index']}|{r['vehicle_reference']}": r for r in read(VEHICLES_CSV)}
    for row in kirklees.rows("SELECT * FROM road_vehicles"):
        r = vehicles[row["source_id"]]
        assert row["escooter"] == (r["escooter_flag"] == "1")
        assert row["make_model"] == (
            None if r["generic_make_model"] == "-1" else r["generic_make_model"]
        )
        assert row["engine_capacity_cc"] == (
            None if r["engine_capacity_cc"] == "-1" else int(r["engine_capacity_cc"])
        )


# -- idempotence -------------------------------------------------------------------------
def test_the_same_files_twice_change_nothing(kirklees):
    first = [load_file(kirklees, path) for path in FILES.values()]
    before = snapshot(kirklees)
    again = [load_file(kirklees, path) for path in FILES.values()]
    assert all(r.already_loaded for r in again)
    assert [r.load_id for r in again] == [r.load_id for r in first]
    assert snapshot(kirklees) == before


def test_a_renamed_copy_loads_nothing_new(kirklees, tmp_path):
    for path in FILES.values():
        load_file(kirklees, path)
    before = {t: kirklees.scalar(f"SELECT count(*) FROM {t}") for t in TABLES[:3]}
    for name, path in FILES.items():
        # a different file (its rows in reverse order) with the same rows
        header, *lines = path.read_bytes().splitlines(keepends=True)
        copy = tmp_path / f"copy-{path.name}"
        copy.write_bytes(header + b"".join(reversed(lines)))
        result = load_file(kirklees, copy)
        assert result.loaded == 0, name
        assert result.duplicates == (42 if name == COLLISIONS.name else result.read)
    assert {t: kirklees.scalar(f"SELECT count(*) FROM {t}") for t in TABLES[:3]} == before


# -- whole files that cannot be read -------------------------------------------------------
def _fails_alone(wh, path: Path, *needles: str, line: int | None = None) -> SourceError:
    load_file(wh, COLLISIONS_CSV)
    before = snapshot(wh)
    with pytest.raises(SourceError) as info:
        load_file(wh, path)
    message = str(info.value)
    assert str(path) in message
    for needle in needles:
        assert needle in message, message
    if line is not None:
        assert info.value.line == line
    assert snapshot(wh) == before
    return info.value


def test_empty_file(kirklees, tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    _fails_alone(kirklees, path, "empty")


@pytest.mark.parametrize("name", list(FILES))
def test_header_only(kirklees, tmp_path, name):
    path = write(tmp_path / "h.csv", [], stats19.FORMATS[name].headers)
    _fails_alone(kirklees, path, "no data rows", line=2)


@pytest.mark.parametrize("name", list(FILES))
def test_wrong_header(kirklees, tmp_path, name):
    header = list(stats19.FORMATS[name].headers)
    header[1] = "accident_year"  # the pre-2024 DfT name of collision_year
    path = tmp_path / "w.csv"
    lines = FILES[name].read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text(",".join(header) + "\n" + "".join(lines[1:]), encoding="utf-8")
    error = _fails_alone(kirklees, path, "collision_year", "accident_year", line=1)
    assert "missing column" in error.message


@pytest.mark.parametrize("name", list(FILES))
def test_reordered_header(kirklees, tmp_path, name):
    header = list(stats19.FORMATS[name].headers)
    header[0], header[2] = header[2], header[0]
    path = tmp_path / "r.csv"
    lines = FILES[name].read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text(",".join(header) + "\n" + "".join(lines[1:]), encoding="utf-8")
    _fails_alone(kirklees, path, "wrong order", "'collision_ref_no'", line=1)


def test_gzip_file(kirklees, tmp_path):
    path = tmp_path / "accidents.csv"
    path.write_bytes(gzip.compress(COLLISIONS_CSV.read_bytes()))
    _fails_alone(kirklees, path, "not a CSV", "gzip")


def test_png_file(kirklees, tmp_path):
    path = tmp_path / "map.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(200))
    _fails_alone(kirklees, path, "not a CSV", "PNG")


# -- a wrong value in each typed column is rejected; the rest loads ------------------------
BAD = {
    "text": "",  # a required column left blank
    "int": "two",
    "number": "half",
    "date": "2024-02-30",
    "time": "7pm",
    "easting": "SE123",
    "northing": "N456",
    "longitude": "W1.7",
    "latitude": "N53.6",
    "choice": "fatal",  # the name where the DfT code belongs
    "lsoa": "Kirklees 001A",
}


def _typed(fmt):
    return [c for c in fmt.columns if c.kind != "text" or c.required]


@pytest.mark.parametrize("name", list(FILES))
def test_a_wrong_value_in_each_typed_column_is_rejected_with_line_and_field(
    kirklees, tmp_path, lsoa_index, name
):
    fmt = stats19.FORMATS[name]
    rows = read(FILES[name])
    if fmt is COLLISIONS:  # spoil rows that would load, so that each one is missed
        candidates = [i for i, r in enumerate(rows) if r["lsoa_of_accident_location"] in lsoa_index]
        would_load = len(candidates)
    else:
        candidates = list(range(len(rows)))
        would_load = len(rows)
    columns = _typed(fmt)
    assert len(columns) <= len(candidates)
    expected = {}
    for column, i in zip(columns, candidates, strict=False):
        rows[i][column.header] = BAD[column.kind]
        expected[i + 2] = column.header  # line 1 is the header
    result = load_file(kirklees, write(tmp_path / "bad.csv", rows, fmt.headers))
    assert result.balanced()
    assert result.rejected == len(columns)
    assert result.loaded == would_load - len(columns)
    assert {r.line: r.field for r in result.rejects} == expected
    for reject in result.rejects:
        value = BAD[fmt.column(_name(fmt, reject.field)).kind]
        if value:
            assert f"'{value}'" in reject.reason, reject
        else:
            assert "is blank" in reject.reason, reject
    stored = kirklees.rows("SELECT line, field FROM rejects ORDER BY line")
    assert stored == [{"line": k, "field": v} for k, v in sorted(expected.items())]
    assert kirklees.scalar(f"SELECT count(*) FROM {fmt.target}") == result.loaded


def _name(fmt, header: str) -> str:
    return next(c.name for c in fmt.columns if c.header == header)


def test_dft_missing_codes_are_not_rejected_but_out_of_range_values_are(kirklees, tmp_path):
    rows = read(VEHICLES_CSV)
    rows[0]["age_of_driver"] = "-1"  # missing: loads, stored as NULL
    rows[1]["age_of_driver"] = "-2"  # not a DfT code
    rows[2]["driver_imd_decile"] = "11"
    result = load_file(kirklees, write(tmp_path / "v.csv", rows, VEHICLE_COLUMNS))
    assert [(r.line, r.field) for r in result.rejects] == [
        (3, "age_of_driver"),
        (4, "driver_imd_decile"),
    ]
    key = f"{rows[0]['collision_index']}|{rows[0]['vehicle_reference']}"
    assert kirklees.rows("SELECT driver_age FROM road_vehicles WHERE source_id = ?", [key]) == [
        {"driver_age": None}
    ]

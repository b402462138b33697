"""police.uk loader: every row accounted for, bad files fail alone, bad rows are rejected."""

from __future__ import annotations

import csv
import gzip
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import bad_files
import pytest

from sia.config import load_partnership
from sia.sources import police_uk
from sia.sources.base import SourceError
from sia.sources.police_uk import STREET_COLUMNS, load_file
from sia.warehouse import Warehouse

REPO = Path(__file__).resolve().parents[2]
CITY_FILES = sorted((REPO / "data" / "police_uk" / "city-of-london").rglob("*.csv"))
# The City of London's six LSOAs (ONS LSOA 2011 = 2021 codes for the City).
CITY_LSOAS = {"E01000001", "E01000002", "E01000003", "E01000005", "E01032739", "E01032740"}

GOOD = [
    "abc{n}",
    "2024-01",
    "City of London Police",
    "City of London Police",
    "-0.0977",
    "51.5176",
    "On or near Aldersgate Street",
    "E01000001",
    "City of London 001A",
    "Burglary",
    "Under investigation",
    "",
]
ASB = [
    "",
    "2024-01",
    "City of London Police",
    "City of London Police",
    "-0.0977",
    "51.5176",
    "On or near Aldersgate Street",
    "E01000001",
    "City of London 001A",
    "Anti-social behaviour",
    "",
    "",
]


def row(n: int = 0, **changes: str) -> list[str]:
    values = dict(zip(STREET_COLUMNS, GOOD, strict=False))
    values["Crime ID"] = f"id{n:06d}"
    values.update({k.replace("_", " "): v for k, v in changes.items()})
    return [values[c] for c in STREET_COLUMNS]


def write_csv(path: Path, rows: list[list[str]], header=STREET_COLUMNS) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


@pytest.fixture
def city(tmp_path):
    wh = Warehouse.open(load_partnership("city-of-london"), tmp_path / "wh")
    yield wh
    wh.close()


def snapshot(wh: Warehouse) -> dict[str, list]:
    return bad_files.snapshot(wh, ("events", "outcomes", "loads", "skips", "rejects"))


# -- the real files -------------------------------------------------------------------------
def test_real_city_files_every_row_accounted_for_and_counts_match_the_csvs(city):
    assert len(CITY_FILES) == 60
    expected: Counter = Counter()
    for path in CITY_FILES:
        with path.open(newline="", encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
        result = load_file(city, path)
        assert result.read == len(rows), path
        assert (
            result.loaded + result.duplicates + result.skipped_total + result.rejected
            == result.read
        ), path
        assert result.rejected == 0, result.rejects[:3]
        outside = sum(1 for r in rows if r["LSOA code"] and r["LSOA code"] not in CITY_LSOAS)
        assert result.skipped == ({"outside-partnership": outside} if outside else {})
        for r in rows:
            if not r["LSOA code"] or r["LSOA code"] in CITY_LSOAS:
                expected[(r["Month"], r["Crime type"])] += 1
    got = Counter(
        {
            (m.strftime("%Y-%m"), c): n
            for m, c, n in city.con.execute(
                "SELECT month, category, count(*) FROM events GROUP BY ALL"
            ).fetchall()
        }
    )
    # duplicated Crime IDs across files load once; police.uk repeats none in this series
    duplicates = city.scalar("SELECT sum(duplicates) FROM loads")
    assert sum(expected.values()) - sum(got.values()) == duplicates
    if duplicates == 0:
        assert got == expected
    loads = city.rows("SELECT * FROM loads")
    assert len(loads) == 60
    assert all(
        r["loaded"] + r["duplicates"] + r["skipped"] + r["rejected"] == r["rows_read"]
        for r in loads
    )


def test_no_location_rows_are_kept_at_district_level_only_where_the_force_serves_one_csp(
    city, tmp_path
):
    path = write_csv(
        tmp_path / "f.csv",
        [
            row(1),
            row(2, Longitude="", Latitude="", Location="No Location", LSOA_code="", LSOA_name=""),
            row(3, LSOA_code="E01000914"),
        ],
    )
    result = load_file(city, path)
    assert (result.loaded, result.skipped) == (2, {"outside-partnership": 1})
    assert city.rows("SELECT ward_code, place FROM events WHERE source_id = 'id000002'") == [
        {"ward_code": None, "place": None}
    ]
    kirklees = Warehouse.open(load_partnership("kirklees"), tmp_path / "k")
    result = load_file(kirklees, path)
    assert (result.loaded, result.skipped) == (0, {"no-location": 1, "outside-partnership": 2})
    kirklees.close()


def test_rows_get_their_ward_and_place(city, tmp_path):
    load_file(city, write_csv(tmp_path / "f.csv", [row(1, LSOA_code="E01032739")]))
    assert city.rows("SELECT lsoa_code, ward_code, place FROM events") == [
        {"lsoa_code": "E01032739", "ward_code": "E05009312", "place": "City of London"}
    ]


# -- idempotence and duplicates ------------------------------------------------------------
def test_the_same_file_twice_changes_nothing(city):
    first = load_file(city, CITY_FILES[0])
    before = snapshot(city)
    again = load_file(city, CITY_FILES[0])
    assert again.already_loaded and again.load_id == first.load_id
    assert snapshot(city) == before


def test_overlapping_downloads_load_each_crime_and_asb_incident_once(city, tmp_path):
    asb = [ASB, ASB, [*ASB[:6], "On or near Moor Lane", *ASB[7:]]]
    a = write_csv(tmp_path / "a.csv", [row(1), row(2), *asb])
    b = write_csv(tmp_path / "b.csv", [row(2), row(3), *asb, ASB])  # one more identical ASB
    ra, rb = load_file(city, a), load_file(city, b)
    assert (ra.loaded, ra.duplicates) == (5, 0)
    assert (rb.loaded, rb.duplicates) == (2, 4)  # id000003 and the fourth identical ASB
    assert city.scalar("SELECT count(*) FROM events") == 7
    assert city.scalar("SELECT count(DISTINCT source_id) FROM events") == 7


def test_a_crime_id_twice_in_one_file_is_a_duplicate(city, tmp_path):
    result = load_file(city, write_csv(tmp_path / "f.csv", [row(1), row(1), row(2)]))
    assert (result.read, result.loaded, result.duplicates) == (3, 2, 1)


# -- whole files that cannot be read -------------------------------------------------------
def _fails_alone(city, path: Path, *needles: str, line: int | None = None):
    load_file(city, CITY_FILES[0])
    before = snapshot(city)
    with pytest.raises(SourceError) as info:
        load_file(city, path)
    message = str(info.value)
    assert str(path) in message
    for needle in needles:
        assert needle in message, message
    if line is not None:
        assert info.value.line == line
    assert snapshot(city) == before
    return info.value


def test_empty_file(city, tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    _fails_alone(city, path, "empty")


def test_header_only(city, tmp_path):
    _fails_alone(city, write_csv(tmp_path / "h.csv", []), "no data rows", line=2)


def test_wrong_header(city, tmp_path):
    header = (*STREET_COLUMNS[:9], "Offence", *STREET_COLUMNS[10:])
    error = _fails_alone(
        city,
        write_csv(tmp_path / "w.csv", [row(1)], header=header),
        "Crime type",
        "Offence",
        line=1,
    )
    assert "missing column" in error.message


def test_reordered_header(city, tmp_path):
    header = (STREET_COLUMNS[1], STREET_COLUMNS[0], *STREET_COLUMNS[2:])
    _fails_alone(
        city,
        write_csv(tmp_path / "r.csv", [row(1)], header=header),
        "wrong order",
        "'Month'",
        line=1,
    )


def test_gzip_file(city, tmp_path):
    path = tmp_path / "street.csv"
    path.write_bytes(gzip.compress(CITY_FILES[0].read_bytes()))
    _fails_alone(city, path, "not a CSV", "gzip")


def test_png_file(city, tmp_path):
    path = tmp_path / "map.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(200))
    _fails_alone(city, path, "not a CSV", "PNG")


def test_folder_with_no_csv(tmp_path):
    from sia.sources.base import find_csv_files

    (tmp_path / "notes.txt").write_text("hello")
    with pytest.raises(SourceError) as info:
        find_csv_files([tmp_path])
    assert str(tmp_path) in str(info.value) and "no .csv" in str(info.value)


def test_file_where_no_line_parses_fails_alone(city, tmp_path):
    path = tmp_path / "semi.csv"
    path.write_text(",".join(STREET_COLUMNS) + "\n" + "a;b;c\n" * 3, encoding="utf-8")
    _fails_alone(city, path, "no line could be read", line=2)


# -- bad rows are rejected; the rest loads -------------------------------------------------
def test_bad_rows_are_rejected_with_line_field_and_reason(city, tmp_path):
    path = tmp_path / "bad.csv"
    lines = [",".join(STREET_COLUMNS)]
    good = [",".join(row(n)) for n in range(10)]
    lines += good[:2]
    lines.append(",".join(row(100, Month="2024-13")))  # line 4
    lines.append(",".join(row(101, Longitude="200")))  # line 5
    lines.append(",".join(row(102, Latitude="north")))  # line 6
    lines += good[2:4]
    lines.append(",".join(row(103, Longitude="")))  # line 9
    lines.append(",".join(row(104, Crime_type="Jaywalking")))  # line 10
    lines += good[4:6]
    big = row(105)
    big[6] = "x" * (10 * 1024 * 1024)
    lines.append(",".join(big))  # line 13
    lines += good[6:8]
    content = ("\n".join(lines) + "\n").encode("utf-8")
    content += ",".join(row(106)).replace("Aldersgate", "Alders\xffgate").encode("latin-1") + b"\n"
    content += ("\n".join(good[8:10]) + "\n").encode("utf-8")  # lines 17-18
    content += ",".join(row(107)[:7]).encode("utf-8")  # line 19, truncated
    path.write_bytes(content)

    result = load_file(city, path)
    assert result.read == 18
    assert result.loaded == 10
    assert result.rejected == 8
    assert result.balanced()
    got = {r.line: (r.field, r.reason) for r in result.rejects}
    assert got[4][0] == "Month" and "2024-13" in got[4][1]
    assert got[5][0] == "Longitude" and "200" in got[5][1]
    assert got[6][0] == "Latitude" and "north" in got[6][1]
    assert got[9][0] == "Longitude" and "other is blank" in got[9][1]
    assert got[10][0] == "Crime type" and "Jaywalking" in got[10][1]
    assert "longer than" in got[13][1]
    assert "UTF-8" in got[16][1]
    assert "too few fields" in got[19][1]
    stored = city.rows("SELECT line, field, reason FROM rejects ORDER BY line")
    assert [r["line"] for r in stored] == [4, 5, 6, 9, 10, 13, 16, 19]
    loaded = {r[0] for r in city.con.execute("SELECT source_id FROM events").fetchall()}
    assert loaded == {f"id{n:06d}" for n in range(10)}


# -- a crash part-way leaves nothing ------------------------------------------------------
def test_an_exception_part_way_leaves_no_partial_load(city, monkeypatch):
    load_file(city, CITY_FILES[0])
    before = snapshot(city)
    real = city.run_script

    def crash_after_insert(script, params=None):
        real(script, params)
        if "INSERT INTO events" in script:
            assert city.scalar("SELECT count(*) FROM events") > len(before["events"])
            raise RuntimeError("simulated crash")

    monkeypatch.setattr(city, "run_script", crash_after_insert)
    with pytest.raises(RuntimeError):
        load_file(city, CITY_FILES[1])
    assert snapshot(city) == before


def test_a_killed_process_leaves_no_partial_load(tmp_path):
    """The process dies (no clean-up at all) after the events insert, before commit."""
    data = tmp_path / "wh"
    script = f"""
import os
from sia.config import load_partnership
from sia.warehouse import Warehouse
from sia.sources.police_uk import load_file
wh = Warehouse.open(load_partnership("city-of-london"), {str(data)!r})
load_file(wh, {str(CITY_FILES[0])!r})
real = wh.run_script
def die(script, params=None):
    real(script, params)
    if "INSERT INTO events" in script:
        os._exit(3)
wh.run_script = die
load_file(wh, {str(CITY_FILES[1])!r})
"""
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert proc.returncode == 3, proc.stderr
    with Warehouse.open(load_partnership("city-of-london"), data) as wh:
        loads = wh.rows("SELECT file FROM loads")
        assert [Path(r["file"]).name for r in loads] == [CITY_FILES[0].name]
        assert wh.scalar("SELECT count(DISTINCT load_id) FROM events") == 1
        assert wh.scalar("SELECT count(*) FROM events") == wh.scalar("SELECT loaded FROM loads")


# -- outcomes ------------------------------------------------------------------------------
def test_outcomes_file(city, tmp_path):
    header = police_uk.OUTCOME_COLUMNS
    base = [
        "c1",
        "2024-02",
        "City of London Police",
        "City of London Police",
        "-0.0977",
        "51.5176",
        "On or near Aldersgate Street",
        "E01000001",
        "City of London 001A",
        "Offender given a caution",
    ]
    rows = [base, ["c2", *base[1:]], ["", *base[1:]], base]
    result = load_file(city, write_csv(tmp_path / "o.csv", rows, header=header))
    assert result.format == "police.uk outcomes"
    assert (result.read, result.loaded, result.duplicates, result.rejected) == (4, 2, 1, 1)
    assert result.rejects[0].line == 4 and result.rejects[0].field == "Crime ID"
    assert city.scalar("SELECT count(*) FROM outcomes") == 2


def test_warehouse_belongs_to_one_partnership(tmp_path):
    from sia.warehouse import WarehouseError

    Warehouse.open(load_partnership("city-of-london"), tmp_path).close()
    with pytest.raises(WarehouseError, match="city-of-london"):
        Warehouse.open(load_partnership("kirklees"), tmp_path)


def test_lsoa_code_and_month_range_checks(city, tmp_path):
    path = write_csv(
        tmp_path / "f.csv",
        [
            row(1),
            row(2, LSOA_code="Camden 028B"),  # not an LSOA code: rejected
            row(3, LSOA_code="E01000914"),  # a real LSOA elsewhere: skipped
            row(4, Month="0000-01"),
            row(5, Month="2024-1"),
        ],
    )
    result = load_file(city, path)
    assert (result.loaded, result.skipped, result.rejected) == (1, {"outside-partnership": 1}, 3)
    got = {r.line: (r.field, r.reason) for r in result.rejects}
    assert got[3][0] == "LSOA code" and "Camden 028B" in got[3][1]
    assert got[5][0] == "Month" and got[6][0] == "Month"

"""Council ASB, fire and ISTV health files: the guarantees of every source, per format.

Each format gets the same battery: a real-format file loads with the right counts and
places; every whole-file failure of the foundation issue fails alone and leaves the
warehouse as it was; a wrong-type value in each typed column is rejected with its line
and field while the rest of the file loads; loading twice changes nothing.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import bad_files
import pytest
from shapely.geometry import shape

from sia.config import load_partnership
from sia.geography import Geography
from sia.geography.points import lonlat_to_bng
from sia.sources import REGISTRY
from sia.sources.base import SourceError
from sia.sources.tabular import load_file
from sia.warehouse import Warehouse

# A Kirklees LSOA (2021 code) and its ward and place, from the shipped geography
# (sia/data/geography/lsoa_ward.csv: E01011004 Kirklees 040A -> Almondbury, Huddersfield).
LSOA, WARD, PLACE = "E01011004", "E05008558", "Huddersfield"


def _point_in(lsoa: str) -> tuple[str, str]:
    """Easting and northing of a point inside ``lsoa``, from the shipped boundary."""
    path = Geography.for_partnership(load_partnership("kirklees")).boundary_path("lsoa21")
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    feature = next(f for f in features if f["properties"]["LSOA21CD"] == lsoa)
    point = shape(feature["geometry"]).representative_point()
    e, n = lonlat_to_bng([point.x], [point.y])
    return f"{e[0]:.0f}", f"{n[0]:.0f}"


E, N = _point_in(LSOA)
# Leeds city centre: in West Yorkshire, outside Kirklees.
LEEDS_E, LEEDS_N = "429900", "433500"

CASES = {
    "force-extract": {
        "row": {
            "crime_ref": "C1",
            "date_committed": "2024-03-05",
            "ho_offence_code": "008N",
            "offence_description": "Assault with injury",
            "lsoa_code": LSOA,
            "easting": "",
            "northing": "",
            "domestic_abuse": "Y",
            "hate_strand": "",
            "vawg": "Y",
            "knife": "N",
            "alcohol": "N",
            "drugs": "N",
            "nte": "N",
            "victim_id": "V123",
        },
        "bad": {
            "date_committed": "5th March",
            "ho_offence_code": "999Z",
            "lsoa_code": "L1",
            "easting": "-1",
            "northing": "x",
            "domestic_abuse": "perhaps",
            "hate_strand": "football",
            "vawg": "2",
            "knife": "?",
            "alcohol": "yes please",
            "drugs": "0",
            "nte": "T",
        },
    },
    "asb-council": {
        "row": {
            "ref": "A1",
            "date": "2024-03-05",
            "type": "fly_tipping",
            "lsoa_code": LSOA,
            "easting": "",
            "northing": "",
            "location": "Back Lane",
            "description": "mattress",
        },
        "bad": {
            "date": "2024-02-31",
            "type": "loud music",
            "lsoa_code": "K040A",
            "easting": "-5",
            "northing": "north",
        },
    },
    "fire": {
        "row": {
            "incident_id": "F1",
            "date": "05/03/2024",
            "category": "secondary_fire",
            "deliberate": "Y",
            "property_type": "refuse",
            "easting": E,
            "northing": N,
        },
        "bad": {
            "date": "yesterday",
            "category": "explosion",
            "deliberate": "maybe",
            "easting": "900000",
            "northing": "-1",
        },
    },
    "health-istv": {
        "row": {
            "attendance_id": "H1",
            "date": "2024-03-05",
            "time": "23:40",
            "assault_location": "town centre pub",
            "postcode_district": "HD1",
            "easting": E,
            "northing": N,
            "weapon": "bottle_or_glass",
            "assailant_relationship": "stranger",
        },
        "bad": {
            "date": "2024-13-01",
            "time": "25:99",
            "postcode_district": "Huddersfield",
            "easting": "east",
            "northing": "10000000",
            "weapon": "spoon",
            "assailant_relationship": "cousin",
        },
    },
}


def fmt_of(source: str):
    [fmt] = REGISTRY[source].formats().values()
    return fmt


def write(path: Path, source: str, rows: list[dict], header=None) -> Path:
    header = header or fmt_of(source).headers
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        for r in rows:
            writer.writerow([r.get(h, "") for h in header])
    return path


def rows_for(source: str, n: int, **changes) -> list[dict]:
    base = CASES[source]["row"]
    key = fmt_of(source).headers[0]
    return [{**base, key: f"{base[key]}-{i}", **changes} for i in range(n)]


@pytest.fixture
def wh(tmp_path):
    warehouse = Warehouse.open(load_partnership("kirklees"), tmp_path / "wh")
    yield warehouse
    warehouse.close()


def snapshot(wh: Warehouse) -> dict:
    return bad_files.snapshot(wh)


@pytest.mark.parametrize("source", CASES)
def test_a_real_format_file_loads_and_is_placed(source, wh, tmp_path):
    fmt = fmt_of(source)
    good = rows_for(source, 3)
    placed = rows_for(source, 1, lsoa_code="", easting=E, northing=N)[0]
    placed[fmt.headers[0]] = "placed"
    leeds = {**placed, fmt.headers[0]: "leeds", "easting": LEEDS_E, "northing": LEEDS_N}
    path = write(tmp_path / "f.csv", source, [*good, placed, leeds])
    result = load_file(wh, path, REGISTRY[source].formats())
    assert result.balanced() and result.rejected == 0, result.rejects
    assert result.read == 5
    assert result.loaded == 4
    assert result.skipped == {"outside-district": 1}
    rows = wh.rows("SELECT source, lsoa_code, ward_code, place, month FROM events")
    assert len(rows) == 4
    for r in rows:
        assert (r["source"], r["ward_code"], r["place"]) == (source, WARD, PLACE)
        assert r["lsoa_code"] == LSOA
        assert r["month"].isoformat() == "2024-03-01"


@pytest.mark.parametrize("source", CASES)
def test_rows_with_no_location(source, wh, tmp_path):
    fmt = fmt_of(source)
    row = rows_for(source, 1, lsoa_code="", easting="", northing="")
    result = load_file(wh, write(tmp_path / "f.csv", source, row), REGISTRY[source].formats())
    if fmt.unlocated == "keep":
        assert result.loaded == 1
        assert wh.rows("SELECT ward_code, place FROM events") == [
            {"ward_code": None, "place": None}
        ]
    else:
        assert result.skipped == {"no-location": 1}


@pytest.mark.parametrize("source", CASES)
def test_wrong_type_in_each_typed_column_is_rejected_and_the_rest_loads(source, wh, tmp_path):
    fmt = fmt_of(source)
    bad_values = CASES[source]["bad"]
    typed = [c for c in fmt.columns if c.kind != "text"]
    assert {c.header for c in typed} - {"lsoa_code"} <= set(bad_values), "untested columns"
    rows, expected = [], {}
    for i, (header, value) in enumerate(bad_values.items()):
        rows.extend(rows_for(source, 1))
        rows[-1][fmt.headers[0]] = f"good-{i}"
        bad = rows_for(source, 1, **{header: value})[0]
        bad[fmt.headers[0]] = f"bad-{i}"
        if header in ("easting", "northing"):
            bad["easting"], bad["northing"] = E, N
            bad[header] = value
        rows.append(bad)
        expected[len(rows) + 1] = header  # line numbers: header is line 1
    result = load_file(wh, write(tmp_path / "f.csv", source, rows), REGISTRY[source].formats())
    got = {r.line: r for r in result.rejects}
    assert set(got) == set(expected), [str(r) for r in result.rejects]
    for line, header in expected.items():
        assert got[line].field == header, str(got[line])
        assert header in got[line].reason
    assert result.loaded == len(bad_values)
    assert result.balanced()


@pytest.mark.parametrize("source", CASES)
def test_the_same_file_twice_and_a_repeated_id(source, wh, tmp_path):
    rows = rows_for(source, 3)
    rows.append(dict(rows[0]))
    path = write(tmp_path / "f.csv", source, rows)
    formats = REGISTRY[source].formats()
    first = load_file(wh, path, formats)
    assert (first.loaded, first.duplicates) == (3, 1)
    before = snapshot(wh)
    again = load_file(wh, path, formats)
    assert again.already_loaded
    assert snapshot(wh) == before
    # an overlapping file with one new record: only that one loads
    overlap = write(
        tmp_path / "g.csv",
        source,
        [*rows[:3], *rows_for(source, 1, **{fmt_of(source).headers[0]: "new"})],
    )
    result = load_file(wh, overlap, formats)
    assert (result.loaded, result.duplicates) == (1, 3)


def _whole_file(kind: str, source: str, tmp_path: Path) -> Path:
    def write_rows(path: Path, rows: list, header=None) -> Path:
        return write(path, source, rows, header=header)

    return bad_files.bad_file(
        kind,
        tmp_path,
        fmt_of(source).headers,
        write_rows,
        rows_for(source, 1),
        good=lambda: write_rows(tmp_path / "good.csv", rows_for(source, 2)).read_bytes(),
    )


@pytest.mark.parametrize(
    "kind", ["empty", "header-only", "wrong-header", "reordered-header", "gzip", "png"]
)
@pytest.mark.parametrize("source", CASES)
def test_a_file_that_cannot_be_read_fails_alone(kind, source, wh, tmp_path):
    formats = REGISTRY[source].formats()
    load_file(wh, write(tmp_path / "ok.csv", source, rows_for(source, 2)), formats)
    before = snapshot(wh)
    path = _whole_file(kind, source, tmp_path)
    with pytest.raises(SourceError) as info:
        load_file(wh, path, formats)
    assert str(path) in str(info.value)
    if kind in ("wrong-header", "reordered-header"):
        assert info.value.line == 1
    assert snapshot(wh) == before


def test_flags_and_categories_reach_events(wh, tmp_path):
    fire = rows_for("fire", 2)
    fire[1]["deliberate"] = "N"
    load_file(wh, write(tmp_path / "fire.csv", "fire", fire), REGISTRY["fire"].formats())
    istv = rows_for(
        "health-istv", 1, weapon="knife_or_sharp", assailant_relationship="partner_or_ex"
    )
    load_file(wh, write(tmp_path / "h.csv", "health-istv", istv), REGISTRY["health-istv"].formats())
    crimes = rows_for("force-extract", 2)
    crimes[1].update(ho_offence_code="106", domestic_abuse="N", vawg="N", hate_strand="race")
    load_file(
        wh, write(tmp_path / "c.csv", "force-extract", crimes), REGISTRY["force-extract"].formats()
    )
    got = {
        r["source_id"]: (r["category"], sorted(r["flags"] or []), r["offence_code"])
        for r in wh.rows("SELECT source_id, category, flags, offence_code FROM events")
    }
    # 8N (assault with injury) and 106 (modern slavery) are published by police.uk under
    # "Violence and sexual offences" (sia/data/offences/offence_codes.csv)
    assert got == {
        "F1-0": ("secondary_fire", ["deliberate"], None),
        "F1-1": ("secondary_fire", [], None),
        "H1-0": ("assault", ["domestic_abuse", "knife_or_gun"], None),
        "C1-0": ("Violence and sexual offences", ["domestic_abuse", "vawg"], "8N"),
        "C1-1": ("Violence and sexual offences", ["hate"], "106"),
    }


def test_an_excel_workbook_loads_like_its_csv(wh, tmp_path):
    from openpyxl import Workbook

    fmt = fmt_of("fire")
    book = Workbook()
    sheet = book.active
    sheet.append(list(fmt.headers))
    rows = rows_for("fire", 3)
    rows[2]["date"] = "not a date"
    for r in rows:
        sheet.append([r[h] for h in fmt.headers])
    path = tmp_path / "incidents.xlsx"
    book.save(path)
    result = load_file(wh, path, REGISTRY["fire"].formats())
    assert (result.loaded, result.rejected) == (2, 1)
    assert result.file == str(path)
    [reject] = result.rejects
    assert (reject.line, reject.field) == (4, "date")  # the sheet's row number
    assert wh.rows("SELECT file FROM loads") == [{"file": str(path)}]
    assert load_file(wh, path, REGISTRY["fire"].formats()).already_loaded


def test_a_broken_workbook_is_named_in_the_error(wh, tmp_path):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(SourceError) as info:
        load_file(wh, path, REGISTRY["fire"].formats())
    assert str(path) in str(info.value)


def test_a_record_sent_again_under_another_month_is_still_a_duplicate(wh, tmp_path):
    formats = REGISTRY["fire"].formats()
    first = rows_for("fire", 2)
    load_file(wh, write(tmp_path / "a.csv", "fire", first), formats)
    moved = [{**first[0], "date": "2023-11-30"}, *rows_for("fire", 1, incident_id="F9")]
    result = load_file(wh, write(tmp_path / "b.csv", "fire", moved), formats)
    assert (result.loaded, result.duplicates) == (1, 1)
    assert wh.scalar("SELECT count(*) FROM events") == 3

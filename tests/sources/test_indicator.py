"""Partner indicators (``sia ingest indicator``): the battery every source gets, plus areas
and the partnership's declared indicator ids."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import bad_files
import pytest

from sia.config import load_partnership
from sia.sources import REGISTRY
from sia.sources.base import SourceError
from sia.sources.indicator import FORMATS, HEADERS
from sia.sources.tabular import load_file
from sia.warehouse import Warehouse

KIRKLEES = load_partnership("kirklees")
SOON = dt.date.today() + dt.timedelta(days=40)
DECLARED = FORMATS

# As partners send them: quarterly probation figures for the district, monthly asylum
# figures by place, a year of survey results with the number who answered.
REAL = """\
indicator_id,period_start,period_end,area_code,value,denominator
proven-reoffending-rate,2023-01-01,2023-03-31,E08000034,24.6,812
proven-reoffending-rate,2023-04-01,2023-06-30,E08000034,25.1,798
prevent-referrals,2024-04-01,2024-06-30,E08000034,11,
asylum-arrivals,2024-04-01,2024-04-30,Huddersfield,37,
asylum-dispersals,01/04/2024,30/04/2024,Dewsbury & Mirfield,12,
substance-misuse-treatment,2024-01-01,2024-03-31,E08000034,1873,
water-incidents,2024-06-01,2024-08-31,E05008559,4,
water-incidents,2024-06-01,2024-08-31,e05001409,2,
children-at-risk-of-exploitation,2024-04-01,2024-06-30,batley and spen,9,
feel-safe-after-dark,2024-01-01,2024-12-31,E08000034,58.3,2104
feel-safe-after-dark,2024-01-01,2024-12-31,E01011004,61,41
"""

ROW = {
    "indicator_id": "water-incidents",
    "period_start": "2024-06-01",
    "period_end": "2024-08-31",
    "area_code": "E05008559",
    "value": "4",
    "denominator": "",
}


def write(path: Path, rows: list[dict], header=HEADERS) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        for r in rows:
            writer.writerow([r.get(h, "") for h in header])
    return path


def rows(n: int, **changes) -> list[dict]:
    """``n`` distinct figures: one per month of 2023 onwards."""
    out = []
    for i in range(n):
        start = dt.date(2023 + i // 12, i % 12 + 1, 1)
        out.append({**ROW, "period_start": start.isoformat(), "period_end": start.isoformat()})
        out[-1].update(changes)
    return out


@pytest.fixture
def wh(tmp_path):
    warehouse = Warehouse.open(KIRKLEES, tmp_path / "wh")
    yield warehouse
    warehouse.close()


def snapshot(wh: Warehouse) -> dict:
    return bad_files.snapshot(wh, ("indicator_values", *bad_files.LOAD_TABLES))


def test_the_registered_source():
    assert REGISTRY["indicator"].formats() is FORMATS
    [fmt] = FORMATS.values()
    assert fmt.headers == HEADERS
    [declared] = DECLARED.values()
    assert declared.headers == HEADERS


def test_a_real_format_file_loads_with_its_areas(wh, tmp_path):
    path = tmp_path / "indicators.csv"
    path.write_text(REAL, encoding="utf-8")
    result = load_file(wh, path, DECLARED)
    assert result.rejects == []
    assert (result.read, result.loaded, result.duplicates, result.skipped) == (11, 11, 0, {})
    assert result.balanced()
    got = {
        (r["indicator_id"], r["period_start"].isoformat(), r["area_code"]): r
        for r in wh.rows("SELECT * FROM indicator_values")
    }
    assert len(got) == 11
    rate = got["proven-reoffending-rate", "2023-04-01", "E08000034"]
    assert rate["value"] == 25.1 and rate["denominator"] == 798.0
    assert rate["period_end"] == dt.date(2023, 6, 30)
    assert rate["month"] == dt.date(2023, 4, 1)
    assert (rate["area_type"], rate["ward_code"], rate["place"], rate["lsoa_code"]) == (
        "district",
        None,
        None,
        None,
    )
    assert rate["source"] == "indicator"
    assert rate["source_id"] == "proven-reoffending-rate|2023-04-01|2023-06-30|E08000034"
    # a place, by its name as configured or loosely written, stored by its id and name
    place = got["asylum-arrivals", "2024-04-01", "huddersfield"]
    assert (place["area_type"], place["place"], place["ward_code"]) == (
        "place",
        "Huddersfield",
        None,
    )
    dewsbury = got["asylum-dispersals", "2024-04-01", "dewsbury-mirfield"]
    assert dewsbury["place"] == "Dewsbury & Mirfield"
    assert dewsbury["period_end"] == dt.date(2024, 4, 30)  # DD/MM/YYYY
    assert got["children-at-risk-of-exploitation", "2024-04-01", "batley-spen"]["place"] == (
        "Batley & Spen"
    )
    # a ward (any case): its place follows
    ward = got["water-incidents", "2024-06-01", "E05001409"]
    assert (ward["area_type"], ward["ward_code"], ward["place"]) == (
        "ward",
        "E05001409",
        "Dewsbury & Mirfield",
    )
    assert ward["denominator"] is None
    # an LSOA: its ward and place follow
    lsoa = got["feel-safe-after-dark", "2024-01-01", "E01011004"]
    assert (lsoa["area_type"], lsoa["lsoa_code"], lsoa["ward_code"], lsoa["place"]) == (
        "lsoa",
        "E01011004",
        "E05008558",
        "Huddersfield",
    )
    assert isinstance(lsoa["value"], float) and lsoa["value"] == 61.0
    assert wh.scalar("SELECT count(*) FROM events") == 0
    [load] = wh.loads()
    assert (load["source"], load["first_month"], load["last_month"]) == (
        "indicator",
        dt.date(2023, 1, 1),
        dt.date(2024, 6, 1),
    )


BAD = {
    # column: (value, what the reason says)
    "indicator_id": ("Water Incidents", "is not an indicator id"),
    "period_start": ("2024-13-01", "is not a date"),
    "period_end": ("next week", "is not a date"),
    "area_code": ("E05000001", "'E05000001' is not the partnership's district code"),
    "value": ("n/a", "is not a number"),
    "denominator": ("many", "is not a number"),
}
CHECKS = [
    # (changes, field, what the reason says)
    (
        {"indicator_id": "drownings"},
        "indicator_id",
        "is not one of the indicators the partnership declares",
    ),
    ({"indicator_id": ""}, "indicator_id", "is blank"),
    ({"period_start": "2024-06-01", "period_end": "2024-05-31"}, "period_end", "is before"),
    ({"period_start": str(SOON), "period_end": str(SOON)}, "period_start", "after today"),
    ({"area_code": "E01000001"}, "area_code", "is not the partnership's"),  # City of London
    ({"area_code": "E08000035"}, "area_code", "is not the partnership's"),  # Leeds
    ({"area_code": "Halifax"}, "area_code", "is not the partnership's"),
    ({"area_code": "Holme Valley North"}, "area_code", "is not the partnership's"),  # a ward
    ({"area_code": ""}, "area_code", "is blank"),
    ({"value": ""}, "value", "is blank"),
    ({"value": "inf"}, "value", "is not a number"),
    ({"denominator": "0"}, "denominator", "is not above 0"),
    ({"denominator": "-3"}, "denominator", "is not above 0"),
]


def test_a_bad_value_in_each_column_is_rejected_and_the_rest_loads(wh, tmp_path):
    assert set(BAD) == set(HEADERS), "a column has no bad value"
    cases = [({h: v}, h, why) for h, (v, why) in BAD.items()] + CHECKS
    good = rows(len(cases) + 1)
    lines, expected = [], {}
    for i, (changes, field, why) in enumerate(cases):
        lines.append(good[i])
        bad = {**good[i], "area_code": "E05008558", **changes}
        lines.append(bad)
        expected[len(lines) + 1] = (field, why)  # the header is line 1
    lines.append(good[-1])
    result = load_file(wh, write(tmp_path / "f.csv", lines), DECLARED)
    got = {r.line: r for r in result.rejects}
    assert set(got) == set(expected), [str(r) for r in result.rejects]
    for line, (field, why) in expected.items():
        assert got[line].field == field, str(got[line])
        assert why in got[line].reason, str(got[line])
    assert result.loaded == len(cases) + 1
    assert result.rejected == len(cases)
    assert result.balanced()
    assert wh.scalar("SELECT count(*) FROM rejects") == len(cases)
    assert wh.scalar("SELECT count(*) FROM indicator_values") == len(cases) + 1


def test_an_id_the_partnership_does_not_declare_is_rejected(wh, tmp_path):
    path = write(tmp_path / "f.csv", [*rows(2), *rows(1, indicator_id="not-declared-here")])
    result = load_file(wh, path, FORMATS)
    assert (result.loaded, result.rejected) == (2, 1)
    [reject] = result.rejects
    assert reject.field == "indicator_id"
    assert "not-declared-here" in reject.reason and "declares" in reject.reason


def test_the_same_file_twice_and_a_repeated_figure(wh, tmp_path):
    figures = rows(3)
    # the same indicator, period and area, however the area is written
    figures.append({**figures[0], "area_code": figures[0]["area_code"].lower()})
    figures.append({**figures[1], "area_code": "Dewsbury & Mirfield", "value": "7"})
    figures.append({**figures[1], "area_code": "dewsbury and mirfield", "value": "8"})
    figures.append({**figures[2], "area_code": "Rural"})
    figures.append({**figures[2], "area_code": "rural", "value": "9"})
    path = write(tmp_path / "f.csv", figures)
    first = load_file(wh, path, DECLARED)
    assert result_counts(first) == (8, 5, 3)
    kept = wh.rows("SELECT area_code, value FROM indicator_values WHERE area_type = 'place'")
    assert sorted((r["area_code"], r["value"]) for r in kept) == [
        ("dewsbury-mirfield", 7.0),
        ("rural", 4.0),
    ]  # the first of each
    before = snapshot(wh)
    again = load_file(wh, path, DECLARED)
    assert again.already_loaded
    assert snapshot(wh) == before
    # an overlapping file with one new figure: only that one loads
    overlap = write(tmp_path / "g.csv", [*figures[:3], *rows(1, area_code="E08000034")])
    result = load_file(wh, overlap, DECLARED)
    assert (result.loaded, result.duplicates) == (1, 3)
    # another period or indicator for the same area is a new figure
    other = {**figures[0], "period_end": "2023-01-31", "indicator_id": "asylum-arrivals"}
    result = load_file(wh, write(tmp_path / "h.csv", [other]), DECLARED)
    assert (result.loaded, result.duplicates) == (1, 0)


def result_counts(result) -> tuple[int, int, int]:
    return result.read, result.loaded, result.duplicates


def _whole_file(kind: str, tmp_path: Path) -> Path:
    return bad_files.bad_file(
        kind,
        tmp_path,
        HEADERS,
        write,
        rows(1),
        good=lambda: write(tmp_path / "good.csv", rows(2)).read_bytes(),
    )


WHOLE_FILE = {
    "empty": (None, "empty"),
    "header-only": (2, "no data rows"),
    "wrong-header": (1, "missing column(s) ['denominator']"),
    "reordered-header": (1, "wrong order"),
    "gzip": (None, "gzip"),
    "png": (None, "PNG"),
}


@pytest.mark.parametrize("kind", WHOLE_FILE)
def test_a_file_that_cannot_be_read_fails_alone(kind, wh, tmp_path):
    load_file(wh, write(tmp_path / "ok.csv", rows(2)), DECLARED)
    before = snapshot(wh)
    path = _whole_file(kind, tmp_path)
    with pytest.raises(SourceError) as info:
        load_file(wh, path, DECLARED)
    line, words = WHOLE_FILE[kind]
    assert str(path) in str(info.value)
    assert info.value.line == line
    assert words in info.value.message
    assert snapshot(wh) == before
    # and the next file loads as if nothing had happened
    result = load_file(wh, write(tmp_path / "next.csv", rows(3)), DECLARED)
    assert (result.loaded, result.duplicates) == (1, 2)

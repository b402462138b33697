"""Insight sources: engagements, councillor and officer sessions, tension reports, and XLSX.

Every format is tested the same way (parametrised over :data:`SPECS`): a real-format file
loads with the right counts and typed values; a bad whole file fails alone, naming the
file and line, and changes nothing; a wrong value in each typed column is rejected with
its line and field while the rest of the file loads; the same file twice changes nothing;
an id twice is a duplicate. Then the XLSX conversion, Microsoft Forms exports included.
"""

from __future__ import annotations

import csv
import gzip
import io
import os
import shutil
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cache
from pathlib import Path

import bad_files
import pytest
from openpyxl import Workbook

from sia.config import load_partnership
from sia.sources import REGISTRY, insight
from sia.sources.base import SourceError
from sia.sources.tabular import TabularFormat, load_file
from sia.sources.xlsx import FORMS_COLUMNS, xlsx_to_csv
from sia.warehouse import WAREHOUSE_FILE, Warehouse

TABLES = ("engagements", "councillor_sessions", "officer_sessions", "tension_reports")
LEEDS_WARD = "E05001420"  # a real ward code, but Leeds's, not Kirklees's
NEXT_MONTH = (date.today() + timedelta(days=31)).isoformat()


@cache
def kirklees():
    return load_partnership("kirklees")


# -- what each format looks like ---------------------------------------------------------
@dataclass(frozen=True)
class Spec:
    source: str
    fmt: TabularFormat
    table: str
    id_header: str
    #: a real-format file's rows (header -> value) and what the warehouse holds for each
    rows: tuple[dict[str, str], ...]
    stored: tuple[dict[str, object], ...]
    #: (header, bad value, words the reason must contain)
    bad: tuple[tuple[str, str, str], ...] = field(default=())

    @property
    def formats(self) -> dict[str, TabularFormat]:
        return REGISTRY[self.source].formats()

    @property
    def headers(self) -> tuple[str, ...]:
        return self.fmt.headers

    def row(self, n: int, **changes: str) -> list[str]:
        values = dict(self.rows[0])
        values[self.id_header] = f"X-{n:04d}"
        values.update(changes)
        return [values[h] for h in self.headers]

    def lines(self) -> list[list[str]]:
        return [[r[h] for h in self.headers] for r in self.rows]


ENGAGEMENT = Spec(
    source="engagement",
    fmt=insight.ENGAGEMENT,
    table="engagements",
    id_header="engagement_id",
    rows=(
        {
            "engagement_id": "CP-2025-0001",
            "date": "2025-10-15",
            "team": "community_plus",
            "place": "Batley & Spen",
            "ward_code": "E05001390",
            "organisation_type": "mosque",
            "individuals": "12",
            "groups": "1",
            "feeling": "ok",
            "concerns": "asb;drug-use;nuisance-vehicles",
            "notes": 'Talked after Friday prayers; "things feel calmer", some worry about bikes',
            "strengths": "Mosque youth club, food bank",
            "locations": "Wilton Park",
        },
        {
            "engagement_id": "DY-2025-0002",
            "date": "03/11/2025",
            "team": "Detached_Youth",
            "place": "",
            "ward_code": "e05001409",
            "organisation_type": "",
            "individuals": "6",
            "groups": "",
            "feeling": "Anxious",
            "concerns": " youth-disorder ; ; ",
            "notes": "",
            "strengths": "",
            "locations": "Mirfield station",
        },
        {
            "engagement_id": "ENV-2026-0003",
            "date": "2026-01-09",
            "team": "environment",
            "place": "huddersfield",
            "ward_code": "",
            "organisation_type": "womens_group",
            "individuals": "0",
            "groups": "2",
            "feeling": "positive",
            "concerns": "",
            "notes": "Litter pick with residents",
            "strengths": "Walking group",
            "locations": "",
        },
        {
            "engagement_id": "CP-2026-0004",
            "date": "2026-01-20",
            "team": "other",
            "place": "Batley and Spen",
            "ward_code": "",
            "organisation_type": "other_faith",
            "individuals": "40",
            "groups": "3",
            "feeling": "concerned",
            "concerns": "cost-of-living;loneliness;",
            "notes": "Interfaith network meeting",
            "strengths": "",
            "locations": "",
        },
    ),
    stored=(
        {
            "source_id": "CP-2025-0001",
            "month": date(2025, 10, 1),
            "occurred_on": date(2025, 10, 15),
            "ward_code": "E05001390",
            "place": "Batley & Spen",
            "team": "community_plus",
            "organisation_type": "mosque",
            "individuals": 12,
            "groups": 1,
            "feeling": "ok",
            "concerns": ["asb", "drug-use", "nuisance-vehicles"],
            "notes": 'Talked after Friday prayers; "things feel calmer", some worry about bikes',
            "lsoa_code": None,
        },
        {
            "source_id": "DY-2025-0002",
            "month": date(2025, 11, 1),
            "occurred_on": date(2025, 11, 3),
            "ward_code": "E05001409",
            "place": "Dewsbury & Mirfield",  # the ward's place
            "team": "detached_youth",
            "organisation_type": None,
            "groups": None,
            "feeling": "anxious",
            "concerns": ["youth-disorder"],
            "notes": None,
        },
        {
            "source_id": "ENV-2026-0003",
            "month": date(2026, 1, 1),
            "ward_code": None,
            "place": "Huddersfield",  # as the configuration spells it
            "individuals": 0,
            "concerns": [],
        },
        {"source_id": "CP-2026-0004", "place": "Batley & Spen", "individuals": 40},
    ),
    bad=(
        ("engagement_id", "", "is blank"),
        ("date", "2025-13-01", "'2025-13-01' is not a date"),
        ("date", "next Tuesday", "is not a date"),
        ("date", NEXT_MONTH, "is after today"),
        ("date", "", "is blank"),
        ("team", "police", "'police' is not one of: community_plus"),
        ("team", "", "is blank"),
        ("place", "Leeds", "is not one of the partnership's places"),
        ("ward_code", "Batley East", "is not the code of one of the partnership's wards"),
        ("ward_code", "E05001409", "different place"),  # Mirfield is not in Batley & Spen
        ("organisation_type", "church", "'church' is not one of: none, mosque"),
        ("individuals", "twelve", "'twelve' is not a whole number"),
        ("individuals", "-1", "is below 0"),
        ("groups", "2.5", "is not a whole number"),  # not rounded to 3
        ("groups", "1e3", "is not a whole number"),
        ("feeling", "great", "'great' is not one of: positive, ok"),
    ),
)

COUNCILLOR_SESSION = Spec(
    source="councillor-session",
    fmt=insight.COUNCILLOR_SESSION,
    table="councillor_sessions",
    id_header="session_id",
    rows=(
        {
            "session_id": "WARD-DEW-E",
            "date": "2025-10-21",
            "ward_code": "E05001398",
            "councillors_attending": "3",
            "concerns": "knife-crime;domestic-abuse;speeding",
            "praise": "Operation Trimburg",
            "suggestions": "Better lighting on the ring road; more youth provision",
            "reporting_routes_known": "Partly",
        },
        {
            "session_id": "WARD-HVS",
            "date": "12/11/2025",
            "ward_code": "E05001405",
            "councillors_attending": "2",
            "concerns": "",
            "praise": "",
            "suggestions": "",
            "reporting_routes_known": "",
        },
    ),
    stored=(
        {
            "source_id": "WARD-DEW-E",
            "month": date(2025, 10, 1),
            "occurred_on": date(2025, 10, 21),
            "ward_code": "E05001398",
            "place": "Dewsbury & Mirfield",
            "councillors_attending": 3,
            "concerns": ["knife-crime", "domestic-abuse", "speeding"],
            "praise": "Operation Trimburg",
            "reporting_routes_known": "partly",
        },
        {
            "source_id": "WARD-HVS",
            "month": date(2025, 11, 1),
            "place": "Rural",
            "concerns": [],
            "reporting_routes_known": None,
        },
    ),
    bad=(
        ("session_id", "", "is blank"),
        ("date", "31/02/2025", "'31/02/2025' is not a date"),
        ("ward_code", "", "is blank"),
        ("ward_code", LEEDS_WARD, "is not the code of one of the partnership's wards"),
        ("councillors_attending", "three", "'three' is not a whole number"),
        ("councillors_attending", "-2", "is below 0"),
        ("reporting_routes_known", "maybe", "'maybe' is not one of: yes, partly, no"),
    ),
)

OFFICER_SESSION = Spec(
    source="officer-session",
    fmt=insight.OFFICER_SESSION,
    table="officer_sessions",
    id_header="session_id",
    rows=(
        {
            "session_id": "PLACE-HUDD-1",
            "date": "2025-11-18",
            "place": "Huddersfield",
            "theme": "",
            "officers_attending": "42",
            "issues": "serious-violence;vawg-awareness",
        },
        {
            "session_id": "THEME-ASB-1",
            "date": "2026-01-08",
            "place": "rural",
            "theme": "asb-neighbourhood-crime",
            "officers_attending": "",
            "issues": "night-time-economy;",
        },
    ),
    stored=(
        {
            "source_id": "PLACE-HUDD-1",
            "month": date(2025, 11, 1),
            "occurred_on": date(2025, 11, 18),
            "ward_code": None,
            "place": "Huddersfield",
            "theme": None,
            "officers_attending": 42,
            "issues": ["serious-violence", "vawg-awareness"],
        },
        {
            "source_id": "THEME-ASB-1",
            "place": "Rural",
            "theme": "asb-neighbourhood-crime",
            "officers_attending": None,
            "issues": ["night-time-economy"],
        },
    ),
    bad=(
        ("session_id", "", "is blank"),
        ("date", "2025/11/18", "'2025/11/18' is not a date"),
        ("place", "", "is blank"),
        ("place", "Leeds", "is not one of the partnership's places"),
        ("officers_attending", "many", "'many' is not a whole number"),
        ("officers_attending", "-5", "is below 0"),
    ),
)

TENSION = Spec(
    source="tension",
    fmt=insight.TENSION,
    table="tension_reports",
    id_header="report_id",
    rows=(
        {
            "report_id": "CT-0101",
            "date": "2025-10-02",
            "place": "Dewsbury & Mirfield",
            "ward_code": "E05001400",
            "category": "anti-asylum",
            "trigger": "National",
            "evidence": "potential",
            "level": "3",
            "summary": "Social media posts about a planned protest",
            "actions": "Partners briefed; reassurance patrols",
        },
        {
            "report_id": "CT-0102",
            "date": "2025-10-20",
            "place": "",
            "ward_code": "",
            "category": "international-conflict",
            "trigger": "international",
            "evidence": "experienced",
            "level": "2",
            "summary": "",
            "actions": "",
        },
    ),
    stored=(
        {
            "source_id": "CT-0101",
            "month": date(2025, 10, 1),
            "occurred_on": date(2025, 10, 2),
            "ward_code": "E05001400",
            "place": "Dewsbury & Mirfield",
            "category": "anti-asylum",
            "trigger": "national",
            "evidence": "potential",
            "level": 3,
        },
        {"source_id": "CT-0102", "ward_code": None, "place": None, "level": 2},  # district
    ),
    bad=(
        ("report_id", "", "is blank"),
        ("date", "yesterday", "'yesterday' is not a date"),
        ("place", "Bradford", "is not one of the partnership's places"),
        ("ward_code", LEEDS_WARD, "is not the code of one of the partnership's wards"),
        ("ward_code", "E05001389", "different place"),  # Ashbrow is in Huddersfield
        ("category", "", "is blank"),
        ("trigger", "global", "'global' is not one of: local, national, international"),
        ("trigger", "", "is blank"),
        ("evidence", "rumour", "'rumour' is not one of: evidenced, experienced, potential"),
        ("level", "0", "is below 1"),
        ("level", "6", "is above 5"),
        ("level", "high", "'high' is not a whole number"),
        ("level", "4.5", "is not a whole number"),
        ("level", "", "is blank"),
    ),
)

SPECS = (ENGAGEMENT, COUNCILLOR_SESSION, OFFICER_SESSION, TENSION)
by_source = pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.source)


def write_csv(path: Path, rows: list[list[str]], header: tuple[str, ...]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


# -- a Kirklees warehouse per test, copied from one built once ------------------------------
@pytest.fixture(scope="session")
def kirklees_template(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("kirklees-template")
    Warehouse.open(kirklees(), folder).close()
    return folder / WAREHOUSE_FILE


@pytest.fixture
def wh(kirklees_template, tmp_path):
    folder = tmp_path / "wh"
    folder.mkdir()
    shutil.copy(kirklees_template, folder / WAREHOUSE_FILE)
    warehouse = Warehouse.open(kirklees(), folder)
    yield warehouse
    warehouse.close()


def snapshot(wh: Warehouse) -> dict[str, list]:
    return bad_files.snapshot(wh, (*TABLES, *bad_files.LOAD_TABLES))


# -- the registry -------------------------------------------------------------------------
@by_source
def test_each_source_is_registered_with_its_one_format(spec):
    assert spec.formats == {spec.fmt.name: spec.fmt}
    assert spec.fmt.source == spec.source and spec.fmt.target == spec.table
    assert insight.FORMATS[spec.fmt.name] is spec.fmt


def test_the_tables_exist_and_are_empty(wh):
    for table in TABLES:
        assert wh.scalar(f"SELECT count(*) FROM {table}") == 0


# -- a real-format file -------------------------------------------------------------------
@by_source
def test_a_real_format_file_loads_with_typed_values(spec, wh, tmp_path):
    path = write_csv(tmp_path / f"{spec.source}.csv", spec.lines(), spec.headers)
    result = load_file(wh, path, spec.formats)
    assert result.format == spec.fmt.name and result.source == spec.source
    n = len(spec.rows)
    assert (result.read, result.loaded, result.duplicates, result.rejected) == (n, n, 0, 0), [
        str(r) for r in result.rejects
    ]
    assert result.skipped == {}
    stored = {r["source_id"]: r for r in wh.rows(f"SELECT * FROM {spec.table}")}
    assert len(stored) == n
    for expected in spec.stored:
        got = stored[expected["source_id"]]
        for column, value in expected.items():
            assert got[column] == value, (expected["source_id"], column)
        assert got["source"] == spec.source and got["load_id"] == result.load_id
        assert got[spec.id_header] == got["source_id"]
    load = wh.rows("SELECT * FROM loads")[0]
    assert (load["rows_read"], load["loaded"], load["source"]) == (n, n, spec.source)
    assert load["first_month"] == min(r["month"] for r in stored.values())


@by_source
def test_the_combined_formats_tell_the_four_apart_by_header(spec, wh, tmp_path):
    path = write_csv(tmp_path / "any.csv", spec.lines(), spec.headers)
    result = load_file(wh, path, insight.FORMATS)
    assert result.format == spec.fmt.name and result.loaded == len(spec.rows)


def test_a_file_of_another_insight_source_is_refused(wh, tmp_path):
    path = write_csv(tmp_path / "t.csv", TENSION.lines(), TENSION.headers)
    with pytest.raises(SourceError) as info:
        load_file(wh, path, ENGAGEMENT.formats)
    assert "community engagement" in str(info.value) and info.value.line == 1


# -- whole files that cannot be read -------------------------------------------------------
def _gzip(spec: Spec, path: Path) -> Path:
    plain = write_csv(path.with_suffix(".plain"), spec.lines(), spec.headers)
    path.write_bytes(gzip.compress(plain.read_bytes()))
    return path


def _png(spec: Spec, path: Path) -> Path:
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(200))
    return path


def _empty(spec: Spec, path: Path) -> Path:
    path.write_bytes(b"")
    return path


def _renamed(spec: Spec, path: Path) -> Path:
    header = (spec.headers[0], "when", *spec.headers[2:])
    return write_csv(path, spec.lines(), header)


def _reordered(spec: Spec, path: Path) -> Path:
    header = (spec.headers[1], spec.headers[0], *spec.headers[2:])
    return write_csv(path, spec.lines(), header)


def _no_line_parses(spec: Spec, path: Path) -> Path:
    path.write_text(",".join(spec.headers) + "\n" + "a;b;c\n" * 3, encoding="utf-8")
    return path


BAD_FILES = {
    # name: (make the file, words the error must contain, line)
    "empty": (_empty, ("empty",), None),
    "header-only": (lambda s, p: write_csv(p, [], s.headers), ("no data rows",), 2),
    "wrong-header": (_renamed, ("missing column", "'date'", "'when'"), 1),
    "reordered-header": (_reordered, ("wrong order",), 1),
    "gzip": (_gzip, ("not a CSV", "gzip"), None),
    "png": (_png, ("not a CSV", "PNG"), None),
    "no-line-parses": (_no_line_parses, ("no line could be read",), 2),
}


@by_source
@pytest.mark.parametrize("case", BAD_FILES)
def test_a_bad_file_fails_alone_naming_file_and_line(spec, case, wh, tmp_path):
    load_file(wh, write_csv(tmp_path / "good.csv", spec.lines(), spec.headers), spec.formats)
    before = snapshot(wh)
    make, needles, line = BAD_FILES[case]
    path = make(spec, tmp_path / f"{case}.csv")
    with pytest.raises(SourceError) as info:
        load_file(wh, path, spec.formats)
    message = str(info.value)
    assert str(path) in message
    for needle in needles:
        assert needle in message, message
    assert info.value.line == line
    assert snapshot(wh) == before


# -- bad rows are rejected with line and field; the rest loads ------------------------------
BAD_VALUES = [
    pytest.param(spec, header, value, words, id=f"{spec.source}-{header}-{value or 'blank'}")
    for spec in SPECS
    for header, value, words in spec.bad
]


def test_every_typed_column_has_a_bad_value_case():
    for spec in SPECS:
        typed = {c.header for c in spec.fmt.columns if c.kind != "text" or c.required}
        typed |= {"place", "ward_code"} & set(spec.headers)
        assert typed <= {header for header, _, _ in spec.bad}, spec.source


@pytest.mark.parametrize(("spec", "header", "value", "words"), BAD_VALUES)
def test_a_bad_value_is_rejected_with_line_and_field(spec, header, value, words, wh, tmp_path):
    rows = [spec.row(1), spec.row(2, **{header: value}), spec.row(3), spec.row(4)]
    result = load_file(wh, write_csv(tmp_path / "bad.csv", rows, spec.headers), spec.formats)
    assert (result.read, result.loaded, result.rejected) == (4, 3, 1)
    assert result.balanced()
    (reject,) = result.rejects
    assert (reject.line, reject.field) == (3, header)
    assert words in reject.reason, reject.reason
    assert wh.rows("SELECT line, field FROM rejects") == [{"line": 3, "field": header}]
    loaded = {r[0] for r in wh.con.execute(f"SELECT source_id FROM {spec.table}").fetchall()}
    assert loaded == {"X-0001", "X-0003", "X-0004"}


def _line(values) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(values)
    return out.getvalue()


@by_source
def test_lines_the_csv_reader_cannot_read_are_rejected_with_their_line(spec, wh, tmp_path):
    good = [_line(spec.row(n)) for n in range(1, 6)]
    short = _line(spec.row(90)[:3])
    long = _line([*spec.row(91), "extra"])
    content = "\n".join([_line(spec.headers), good[0], short, good[1], long, good[2]]) + "\n"
    bad_utf8 = _line(spec.row(92)).replace("X-0092", "X-\xff92").encode("latin-1")
    path = tmp_path / "broken.csv"
    path.write_bytes(content.encode() + bad_utf8 + b"\n" + "\n".join(good[3:]).encode() + b"\n")
    result = load_file(wh, path, spec.formats)
    assert (result.read, result.loaded, result.rejected) == (8, 5, 3)
    got = {r.line: r.reason for r in result.rejects}
    assert "too few fields" in got[3]
    assert "too many fields" in got[5]
    assert "UTF-8" in got[7]


# -- the partnership's wards and places ------------------------------------------------------
@pytest.mark.parametrize("spec", [ENGAGEMENT, COUNCILLOR_SESSION, TENSION], ids=lambda s: s.source)
def test_a_ward_not_in_the_partnership_is_rejected(spec, wh, tmp_path):
    rows = [spec.row(1), spec.row(2, ward_code=LEEDS_WARD, place="")]
    result = load_file(wh, write_csv(tmp_path / "w.csv", rows, spec.headers), spec.formats)
    assert (result.loaded, result.rejected) == (1, 1)
    assert (result.rejects[0].line, result.rejects[0].field) == (3, "ward_code")


def test_an_engagement_needs_a_place_or_a_ward(wh, tmp_path):
    rows = [ENGAGEMENT.row(1), ENGAGEMENT.row(2, place="", ward_code="")]
    result = load_file(
        wh, write_csv(tmp_path / "e.csv", rows, ENGAGEMENT.headers), {"e": ENGAGEMENT.fmt}
    )
    assert (result.loaded, result.rejected) == (1, 1)
    assert result.rejects[0].field == "place" and "give the place" in result.rejects[0].reason


def test_a_tension_report_without_place_or_ward_is_district_wide(wh, tmp_path):
    rows = [TENSION.row(1, place="", ward_code="")]
    load_file(wh, write_csv(tmp_path / "t.csv", rows, TENSION.headers), TENSION.formats)
    assert wh.rows("SELECT ward_code, place FROM tension_reports") == [
        {"ward_code": None, "place": None}
    ]


@pytest.mark.parametrize(
    "written", ["Batley & Spen", "batley and spen", " BATLEY  &  SPEN ", "Batley&Spen"]
)
def test_places_are_matched_loosely_and_stored_as_configured(written, wh, tmp_path):
    rows = [ENGAGEMENT.row(1, place=written)]
    load_file(wh, write_csv(tmp_path / "e.csv", rows, ENGAGEMENT.headers), ENGAGEMENT.formats)
    assert wh.scalar("SELECT place FROM engagements") == "Batley & Spen"


def test_every_ward_gets_its_configured_place(wh, tmp_path):
    place_of = kirklees().place_of_ward()
    rows = [COUNCILLOR_SESSION.row(n, ward_code=code) for n, code in enumerate(sorted(place_of))]
    path = write_csv(tmp_path / "c.csv", rows, COUNCILLOR_SESSION.headers)
    assert load_file(wh, path, COUNCILLOR_SESSION.formats).loaded == 23
    stored = wh.rows("SELECT ward_code, place FROM councillor_sessions")
    assert {r["ward_code"]: r["place"] for r in stored} == place_of


# -- idempotence and duplicates ----------------------------------------------------------------
@by_source
def test_the_same_file_twice_changes_nothing(spec, wh, tmp_path):
    path = write_csv(tmp_path / "f.csv", spec.lines(), spec.headers)
    first = load_file(wh, path, spec.formats)
    before = snapshot(wh)
    again = load_file(wh, path, spec.formats)
    assert again.already_loaded and again.load_id == first.load_id
    assert snapshot(wh) == before


@by_source
def test_the_same_id_twice_in_a_file_is_a_duplicate(spec, wh, tmp_path):
    rows = [spec.row(1), spec.row(2), spec.row(1)]
    result = load_file(wh, write_csv(tmp_path / "d.csv", rows, spec.headers), spec.formats)
    assert (result.read, result.loaded, result.duplicates) == (3, 2, 1)
    assert wh.scalar(f"SELECT count(*) FROM {spec.table}") == 2


@by_source
def test_a_record_in_an_overlapping_file_loads_once(spec, wh, tmp_path):
    a = write_csv(tmp_path / "a.csv", [spec.row(1), spec.row(2)], spec.headers)
    b = write_csv(tmp_path / "b.csv", [spec.row(2), spec.row(3)], spec.headers)
    load_file(wh, a, spec.formats)
    result = load_file(wh, b, spec.formats)
    assert (result.loaded, result.duplicates) == (1, 1)
    assert wh.scalar(f"SELECT count(*) FROM {spec.table}") == 3


# -- XLSX -----------------------------------------------------------------------------------
def workbook(path: Path, rows: list[list[object]], title: str = "Sheet1") -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def csv_rows(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh))


def test_a_plain_workbook_converts_and_loads(wh, tmp_path):
    rows: list[list[object]] = [[f" {h} " for h in TENSION.headers]]
    rows.append(
        ["CT-1", date(2025, 10, 2), "Huddersfield", "E05001389", "hate-crime", "local",
         "evidenced", 4.0, "Graffiti\non a wall", None]
    )  # fmt: skip
    rows.append(
        ["CT-2", datetime(2025, 10, 3, 17, 45), None, None, "protest", "National",
         "potential", 2, None, None]
    )  # fmt: skip
    source = workbook(tmp_path / "tension.xlsx", rows)
    out = tmp_path / "tension.csv"
    xlsx_to_csv(source, out)
    assert csv_rows(out) == [
        list(TENSION.headers),
        ["CT-1", "2025-10-02", "Huddersfield", "E05001389", "hate-crime", "local",
         "evidenced", "4", "Graffiti on a wall", ""],
        ["CT-2", "2025-10-03", "", "", "protest", "National", "potential", "2", "", ""],
    ]  # fmt: skip
    result = load_file(wh, out, TENSION.formats)
    assert (result.read, result.loaded) == (2, 2)
    assert wh.rows("SELECT source_id, occurred_on, level FROM tension_reports ORDER BY 1") == [
        {"source_id": "CT-1", "occurred_on": date(2025, 10, 2), "level": 4},
        {"source_id": "CT-2", "occurred_on": date(2025, 10, 3), "level": 2},
    ]


def _forms_export(path: Path, *, last_modified: bool = True) -> Path:
    """An engagement form as Microsoft Forms exports it: its own columns first."""
    forms = [*FORMS_COLUMNS, *(["Last modified time"] if last_modified else [])]
    rows: list[list[object]] = [[*forms, *ENGAGEMENT.headers]]
    answers = [
        ["F-1", datetime(2025, 10, 15), "Community_plus", "Rural", "E05001397", "none",
         3.0, 1.0, "OK", "asb;fly-tipping;", "Met at the\r\ncommunity centre", None, None],
        ["F-2", datetime(2025, 11, 2, 0, 0), "environment", None, "E05001402", "food_hub",
         25, 2, "mixed", "cost-of-living;", None, "Food hub volunteers", "Greenhead Park"],
    ]  # fmt: skip
    for n, answer in enumerate(answers, start=1):
        started = datetime(2025, 11, 3, 9, 15, 42)
        meta = [n, started, datetime(2025, 11, 3, 9, 21, 7), "anonymous", None]
        rows.append([*meta, *([started] if last_modified else []), *answer])
    return workbook(path, rows, title="Form1")


@pytest.mark.parametrize("last_modified", [True, False])
def test_a_microsoft_forms_export_drops_the_forms_columns_and_loads(last_modified, wh, tmp_path):
    out = tmp_path / "forms.csv"
    xlsx_to_csv(_forms_export(tmp_path / "forms.xlsx", last_modified=last_modified), out)
    rows = csv_rows(out)
    assert rows[0] == list(ENGAGEMENT.headers)
    assert rows[1][:8] == ["F-1", "2025-10-15", "Community_plus", "Rural", "E05001397",
                           "none", "3", "1"]  # fmt: skip
    assert rows[1][10] == "Met at the community centre"
    result = load_file(wh, out, ENGAGEMENT.formats)
    assert (result.read, result.loaded, result.rejected) == (2, 2, 0)
    stored = wh.rows("SELECT * FROM engagements ORDER BY source_id")
    assert [(r["occurred_on"], r["place"], r["individuals"], r["concerns"]) for r in stored] == [
        (date(2025, 10, 15), "Rural", 3, ["asb", "fly-tipping"]),
        (date(2025, 11, 2), "Huddersfield", 25, ["cost-of-living"]),
    ]


def test_forms_columns_a_format_needs_can_be_kept(tmp_path):
    out = tmp_path / "forms.csv"
    xlsx_to_csv(_forms_export(tmp_path / "f.xlsx"), out, keep_forms_columns={"ID"})
    rows = csv_rows(out)
    assert rows[0] == ["ID", *ENGAGEMENT.headers]
    assert rows[1][:2] == ["1", "F-1"]


def test_forms_columns_elsewhere_in_the_header_are_kept(tmp_path):
    out = tmp_path / "x.csv"
    xlsx_to_csv(workbook(tmp_path / "x.xlsx", [["Name", "ID", "Email"], ["a", 1, "b"]]), out)
    assert csv_rows(out) == [["Name", "ID", "Email"], ["a", "1", "b"]]


def test_cell_values_are_written_as_the_engine_reads_them(tmp_path):
    values = [5.0, 2.5, 1e3, -0.0, True, False, time(9, 30), date(2026, 1, 2), "  spaced  ", 7]
    values += ["ends with a break\n", "a\r\nb\nc"]
    out = tmp_path / "v.csv"
    xlsx_to_csv(workbook(tmp_path / "v.xlsx", [[f"c{i}" for i in range(12)], values]), out)
    assert csv_rows(out)[1] == [
        "5", "2.5", "1000", "0", "yes", "no", "09:30:00", "2026-01-02", "  spaced  ", "7",
        "ends with a break", "a b c",
    ]  # fmt: skip


def test_workbook_line_numbers_are_sheet_rows(wh, tmp_path):
    """A reject names the sheet's row; a blank row between records is rejected, not lost."""
    rows: list[list[object]] = [list(COUNCILLOR_SESSION.headers)]
    rows.append(COUNCILLOR_SESSION.row(1))
    rows.append([None] * len(COUNCILLOR_SESSION.headers))  # row 3: blank
    rows.append(COUNCILLOR_SESSION.row(2, councillors_attending="three"))  # row 4
    rows.append(COUNCILLOR_SESSION.row(3))
    rows += [[None, None], [], [None]]  # trailing blank rows: dropped
    out = tmp_path / "c.csv"
    xlsx_to_csv(workbook(tmp_path / "c.xlsx", rows), out)
    assert len(csv_rows(out)) == 5
    result = load_file(wh, out, COUNCILLOR_SESSION.formats)
    assert (result.read, result.loaded, result.rejected) == (4, 2, 2)
    assert [(r.line, r.field) for r in result.rejects] == [
        (3, "session_id"),
        (4, "councillors_attending"),
    ]


def test_a_value_right_of_the_header_is_not_lost(wh, tmp_path):
    rows: list[list[object]] = [[*OFFICER_SESSION.headers, None, None]]
    rows.append([*OFFICER_SESSION.row(1), None, None])
    rows.append([*OFFICER_SESSION.row(2), None, "stray note"])
    out = tmp_path / "o.csv"
    xlsx_to_csv(workbook(tmp_path / "o.xlsx", rows), out)
    assert csv_rows(out)[0] == list(OFFICER_SESSION.headers)
    result = load_file(wh, out, OFFICER_SESSION.formats)
    assert (result.loaded, result.rejected) == (1, 1)
    assert result.rejects[0].line == 3 and "too many fields" in result.rejects[0].reason


def test_a_header_only_workbook_is_refused_by_the_engine(wh, tmp_path):
    out = tmp_path / "h.csv"
    xlsx_to_csv(workbook(tmp_path / "h.xlsx", [list(TENSION.headers), [None], []]), out)
    with pytest.raises(SourceError, match="no data rows"):
        load_file(wh, out, TENSION.formats)


def _zip_not_workbook(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("notes.txt", "hello")
    return path


def _no_header(path: Path) -> Path:
    return workbook(path, [[None, None], ["CT-1", "2025-10-02"]])


def _bytes(data: bytes):
    def make(path: Path) -> Path:
        path.write_bytes(data)
        return path

    return make


def _truncated(path: Path) -> Path:
    data = _forms_export(path).read_bytes()
    path.write_bytes(data[:300])
    return path


def _damaged_sheet(path: Path) -> Path:
    good = workbook(path.with_suffix(".good.xlsx"), [["a", "b"], [1, 2]])
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(path, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]  # cut off mid-XML
            dst.writestr(item, data)
    return path


NOT_WORKBOOKS = {
    # name: (make the file, words the error must contain)
    "empty-file": (_bytes(b""), "empty"),
    "csv": (_bytes(b"a,b\n1,2\n"), "not an Excel .xlsx workbook"),
    "png": (_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(64))), "PNG"),
    "gzip": (_bytes(gzip.compress(b"a,b\n")), "gzip"),
    "old-xls": (_bytes(b"\xd0\xcf\x11\xe0" + bytes(range(64))), ".xls"),
    "zip": (_zip_not_workbook, "not a readable Excel .xlsx workbook"),
    "truncated": (_truncated, "not a readable Excel .xlsx workbook"),
    "empty-sheet": (lambda p: workbook(p, []), "is empty"),
    "no-header": (_no_header, "the header must be on the first row"),
    "damaged-sheet": (_damaged_sheet, "could not be read"),
}


@pytest.mark.parametrize("case", NOT_WORKBOOKS)
def test_a_file_that_is_not_a_usable_workbook_is_refused(case, tmp_path):
    make, words = NOT_WORKBOOKS[case]
    path = make(tmp_path / f"{case}.xlsx")
    out = tmp_path / "out.csv"
    with pytest.raises(SourceError) as info:
        xlsx_to_csv(path, out)
    assert str(path) in str(info.value)
    assert words in str(info.value), str(info.value)
    assert not out.exists()

"""Mapped spreadsheets (``sia ingest mapped --mapping FILE``): the battery every source
gets, with the shipped CCTV example, and mappings that cannot be used."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import bad_files
import pytest
import yaml

from sia.config import load_partnership
from sia.sources.base import SourceError
from sia.sources.mapped import (
    MappingError,
    format_from_mapping,
    formats_for_mapping,
    read_mapping,
)
from sia.sources.tabular import TabularFormat, load_file
from sia.warehouse import Warehouse

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "docs" / "examples" / "mapped-cctv.yaml"
FIXTURE = REPO / "tests" / "data" / "mapped" / "cctv.csv"
FORMATS = formats_for_mapping(EXAMPLE)
[FMT] = FORMATS.values()
HEADERS = FMT.headers

# From tests/data/mapped/cctv.csv: a row placed by its LSOA code.
ROW = {
    "incident_ref": "CCTV-1",
    "date": "2024-03-02",
    "time": "23:14",
    "camera": "HUD-014",
    "incident_type": "Fight",
    "lsoa_code": "E01011004",
    "easting": "",
    "northing": "",
    "police_notified": "Y",
    "persons_involved": "4",
    "notes": "dispersed",
}
# A point in E01011004 (Almondbury, Huddersfield), from the shipped boundary.
E, N = "417206", "415836"


def write(path: Path, rows: list[dict], header=HEADERS) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        for r in rows:
            writer.writerow([r.get(h, "") for h in header])
    return path


def rows(n: int, **changes) -> list[dict]:
    return [{**ROW, "incident_ref": f"CCTV-{i}", **changes} for i in range(n)]


@pytest.fixture
def wh(tmp_path):
    warehouse = Warehouse.open(load_partnership("kirklees"), tmp_path / "wh")
    yield warehouse
    warehouse.close()


def snapshot(wh: Warehouse) -> dict:
    return bad_files.snapshot(wh)


def mapping_file(tmp_path: Path, change=None) -> Path:
    """The example mapping, changed by ``change(data)``, written to a file."""
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    if change:
        change(data)
    path = tmp_path / "mapping.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


# -- the shipped example ------------------------------------------------------------------
def test_the_example_mapping_is_a_format():
    fmt = format_from_mapping(EXAMPLE)
    assert isinstance(fmt, TabularFormat)
    assert fmt == FMT
    assert (fmt.name, fmt.source, fmt.target) == (
        "council CCTV incident log",
        "council-cctv",
        "events",
    )
    assert fmt.headers == tuple(next(csv.reader(FIXTURE.open(encoding="utf-8"))))
    assert {c.header for c in fmt.columns if c.required} == {
        "incident_ref",
        "date",
        "incident_type",
        "police_notified",
    }


def test_the_fixture_loads_with_the_right_counts_and_values(wh):
    result = load_file(wh, FIXTURE, FORMATS)
    assert result.rejects == []
    assert (result.read, result.loaded, result.duplicates, result.rejected) == (9, 7, 0, 0)
    assert result.skipped == {"outside-district": 1, "no-location": 1}
    assert result.balanced()
    got = {r["source_id"]: r for r in wh.rows("SELECT * FROM events")}
    assert set(got) == {f"CCTV-24-000{i}" for i in (1, 2, 3, 4, 5, 6, 9)}
    assert {r["source"] for r in got.values()} == {"council-cctv"}
    fight = got["CCTV-24-0001"]
    assert (fight["category"], fight["subcategory"], fight["flags"]) == (
        "violence",
        "Fight",
        ["police_notified"],
    )
    assert (fight["lsoa_code"], fight["ward_code"], fight["place"]) == (
        "E01011004",
        "E05008558",
        "Huddersfield",
    )
    assert (fight["month"], fight["occurred_on"]) == (dt.date(2024, 3, 1), dt.date(2024, 3, 2))
    assert json.loads(fight["attributes"]) == {
        "camera": "HUD-014",
        "time": "23:14:00",
        "persons_involved": 4,
    }  # notes not kept
    # placed by its easting and northing; a DD/MM/YYYY date
    assault = got["CCTV-24-0002"]
    assert (assault["lsoa_code"], assault["occurred_on"]) == ("E01011004", dt.date(2024, 3, 2))
    # values compared without regard to case; flags not set are not flags
    theft = got["CCTV-24-0003"]
    assert (theft["category"], theft["subcategory"], theft["flags"]) == ("theft", "shoplifting", [])
    assert (theft["ward_code"], theft["place"]) == ("E05001391", "Batley & Spen")
    assert sorted(r["category"] for r in got.values()) == sorted(
        ["violence", "violence", "theft", "asb", "welfare", "drugs", "criminal_damage"]
    )
    [load] = wh.loads()
    assert (load["source"], load["format"]) == ("council-cctv", "council CCTV incident log")


# -- the battery --------------------------------------------------------------------------
BAD = {
    "date": "31/02/2024",
    "time": "25:61",
    "incident_type": "Alien landing",
    "lsoa_code": "K040A",
    "easting": "-5",
    "northing": "north",
    "police_notified": "maybe",
    "persons_involved": "two",
}
CHECKS = [
    ({"persons_involved": "-1"}, "persons_involved", "is below 0"),
    ({"incident_ref": ""}, "incident_ref", "is blank"),
    ({"incident_type": ""}, "incident_type", "is blank"),
    ({"police_notified": ""}, "police_notified", "is blank"),
    ({"lsoa_code": "", "easting": E, "northing": ""}, "northing", "one of easting and northing"),
]


def test_a_wrong_type_in_each_typed_column_is_rejected_and_the_rest_loads(wh, tmp_path):
    typed = {c.header for c in FMT.columns if c.kind != "text"} | {"incident_type"}
    assert typed == set(BAD), "a typed column has no bad value"
    cases = [({h: v}, h, h) for h, v in BAD.items()] + CHECKS
    lines, expected = [], {}
    for i, (changes, field, why) in enumerate(cases):
        lines.append({**ROW, "incident_ref": f"good-{i}"})
        bad = {**ROW, "incident_ref": f"bad-{i}", **changes}
        if field in ("easting", "northing") and why == field:
            bad.update({"lsoa_code": "", "easting": E, "northing": N, **changes})
        lines.append(bad)
        expected[len(lines) + 1] = (field, why)  # the header is line 1
    result = load_file(wh, write(tmp_path / "f.csv", lines), FORMATS)
    got = {r.line: r for r in result.rejects}
    assert set(got) == set(expected), [str(r) for r in result.rejects]
    for line, (field, why) in expected.items():
        assert got[line].field == field, str(got[line])
        assert why in got[line].reason, str(got[line])
    assert "'Alien landing' is not one of the values the mapping names: Assault, Fight" in "".join(
        r.reason for r in result.rejects
    )
    assert result.loaded == len(cases)
    assert result.balanced()


def test_the_same_file_twice_and_a_repeated_key(wh, tmp_path):
    incidents = rows(3)
    incidents.append({**incidents[0], "notes": "sent again"})
    path = write(tmp_path / "f.csv", incidents)
    first = load_file(wh, path, FORMATS)
    assert (first.loaded, first.duplicates) == (3, 1)
    before = snapshot(wh)
    again = load_file(wh, path, FORMATS)
    assert again.already_loaded
    assert snapshot(wh) == before
    overlap = write(tmp_path / "g.csv", [*incidents[:3], {**ROW, "incident_ref": "new"}])
    result = load_file(wh, overlap, FORMATS)
    assert (result.loaded, result.duplicates) == (1, 3)


def _whole_file(kind: str, tmp_path: Path) -> Path:
    return bad_files.bad_file(kind, tmp_path, HEADERS, write, rows(1), good=FIXTURE.read_bytes)


WHOLE_FILE = {
    "empty": (None, "empty"),
    "header-only": (2, "no data rows"),
    "wrong-header": (1, "missing column(s) ['notes']"),
    "reordered-header": (1, "wrong order"),
    "gzip": (None, "gzip"),
    "png": (None, "PNG"),
}


@pytest.mark.parametrize("kind", WHOLE_FILE)
def test_a_file_that_cannot_be_read_fails_alone(kind, wh, tmp_path):
    load_file(wh, write(tmp_path / "ok.csv", rows(2)), FORMATS)
    before = snapshot(wh)
    path = _whole_file(kind, tmp_path)
    with pytest.raises(SourceError) as info:
        load_file(wh, path, FORMATS)
    line, words = WHOLE_FILE[kind]
    assert str(path) in str(info.value)
    assert info.value.line == line
    assert words in info.value.message
    assert snapshot(wh) == before


# -- other mappings -----------------------------------------------------------------------
def test_other_keep_keeps_unmapped_values_as_written(wh, tmp_path):
    def keep(data):
        data["category"]["other"] = "keep"

    formats = formats_for_mapping(mapping_file(tmp_path, keep))
    path = write(tmp_path / "f.csv", [ROW, {**ROW, "incident_ref": "x", "incident_type": "Flood"}])
    result = load_file(wh, path, formats)
    assert (result.loaded, result.rejected) == (2, 0)
    assert sorted(r["category"] for r in wh.rows("SELECT category FROM events")) == [
        "Flood",
        "violence",
    ]


def test_without_values_the_raw_value_is_the_category_and_without_key_rows_are_content_keyed(
    wh, tmp_path
):
    def plain(data):
        del data["key"]
        del data["category"]["values"]
        del data["category"]["other"]
        data["location"] = {"lsoa": "lsoa_code"}
        data["unlocated"] = "keep"

    formats = formats_for_mapping(mapping_file(tmp_path, plain))
    same = {**ROW, "lsoa_code": "", "incident_type": "Anything at all"}
    path = write(tmp_path / "f.csv", [same, same, {**same, "incident_ref": ""}])
    result = load_file(wh, path, formats)
    assert (result.loaded, result.duplicates, result.rejected) == (3, 0, 0)
    got = wh.rows("SELECT source_id, category, ward_code FROM events")
    assert {r["category"] for r in got} == {"Anything at all"}
    assert {r["ward_code"] for r in got} == {None}  # kept at district level
    assert len({r["source_id"] for r in got}) == 3
    assert load_file(wh, path, formats).already_loaded


def test_missing_values_are_blank(wh, tmp_path):
    def missing(data):
        data["columns"][9]["missing"] = [-1, "n/k"]  # persons_involved
        data["columns"][3]["missing"] = ["N/A"]  # camera
        data["columns"][3]["required"] = True

    formats = formats_for_mapping(mapping_file(tmp_path, missing))
    rows_ = [
        {**ROW, "incident_ref": "1", "persons_involved": "-1"},
        {**ROW, "incident_ref": "2", "persons_involved": "n/k"},
        {**ROW, "incident_ref": "3", "camera": "N/A"},
    ]
    result = load_file(wh, write(tmp_path / "f.csv", rows_), formats)
    assert result.loaded == 2
    [reject] = result.rejects
    assert (reject.line, reject.field) == (4, "camera") and "is blank" in reject.reason
    got = [json.loads(a) for (a,) in wh.con.execute("SELECT attributes FROM events").fetchall()]
    assert [g["persons_involved"] for g in got] == [None, None]


def test_a_workbook_loads_like_its_csv(wh, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    with FIXTURE.open(encoding="utf-8") as fh:
        for line in csv.reader(fh):
            sheet.append(line)
    path = tmp_path / "cctv-log.xlsx"
    book.save(path)
    result = load_file(wh, path, FORMATS)
    assert (result.read, result.loaded, result.file) == (9, 7, str(path))
    assert result.skipped == {"outside-district": 1, "no-location": 1}
    assert wh.scalar("SELECT count(*) FROM events WHERE source = 'council-cctv'") == 7


def test_quotes_and_dollars_in_values_are_only_text(wh, tmp_path):
    def odd(data):
        data["category"]["values"] = {"Fight": "it's $source", "Assault": "$load_id"}

    formats = formats_for_mapping(mapping_file(tmp_path, odd))
    result = load_file(wh, write(tmp_path / "f.csv", [ROW]), formats)
    assert result.loaded == 1
    assert wh.scalar("SELECT category FROM events") == "it's $source"


def test_longitude_and_latitude_place_rows(wh, tmp_path):
    def lonlat(data):
        data["columns"][6] = {"header": "easting", "kind": "longitude"}
        data["columns"][7] = {"header": "northing", "kind": "latitude"}
        data["location"] = {"longitude": "easting", "latitude": "northing"}

    formats = formats_for_mapping(mapping_file(tmp_path, lonlat))
    leeds = {**ROW, "lsoa_code": "", "easting": "-1.5491", "northing": "53.7997"}
    row = {**ROW, "incident_ref": "2", "lsoa_code": "", "easting": "-1.7617", "northing": "53.6374"}
    result = load_file(wh, write(tmp_path / "f.csv", [leeds, row]), formats)
    assert result.skipped == {"outside-district": 1}
    [event] = wh.rows("SELECT place, longitude, latitude FROM events")
    assert event == {"place": "Huddersfield", "longitude": -1.7617, "latitude": 53.6374}


# -- mappings that cannot be used ---------------------------------------------------------
def _set(path: tuple, value):
    def change(data):
        node = data
        for part in path[:-1]:
            node = node[part]
        if value is _DELETE:
            del node[path[-1]]
        else:
            node[path[-1]] = value

    return change


_DELETE = object()

BAD_MAPPINGS = [
    # (change, key named, words in the message)
    (_set(("colour",), "blue"), "colour", "Extra inputs"),
    (_set(("columns", 2, "kind"), "datetime"), "columns[2:time].kind", "'text'"),
    (_set(("columns", 2, "colour"), "red"), "columns[2:time].colour", "Extra inputs"),
    (_set(("key",), "ref"), "key", "'ref' is not the header of one of the columns"),
    (_set(("date",), "camera"), "date", "needs kind date or month"),
    (_set(("category", "column"), "persons_involved"), "category.column", "needs kind text"),
    (_set(("flags",), ["camera"]), "flags[0]", "needs kind flag"),
    (_set(("attributes",), ["camera", "comments"]), "attributes[1]", "not the header"),
    (_set(("subcategory",), "type"), "subcategory", "not the header"),
    (_set(("source",), "fire"), "source", "built-in source"),
    (_set(("source",), "Council CCTV"), "source", "pattern"),
    (_set(("category",), _DELETE), "category", "Field required"),
    (_set(("date",), _DELETE), "date", "Field required"),
    (_set(("columns",), []), "columns", "at least 1"),
    (_set(("location", "northing"), _DELETE), "location", "northing is missing"),
    (_set(("location", "lsoa"), "notes"), "location.lsoa", "needs kind lsoa"),
    (_set(("location",), _DELETE), "(top level)", "location is missing"),
    (_set(("unlocated",), "force-only"), "unlocated", "'skip' or 'keep'"),
    (_set(("category", "other"), "drop"), "category.other", "'reject' or 'keep'"),
    (_set(("category", "values", "fight"), "affray"), "category.values.fight", "same value"),
    (
        _set(("category", "values"), {"Yes": "x", True: "y"}),
        "category.values.true",
        "put the value in quotes",
    ),
    (_set(("columns", 3, "header"), "time"), "columns[3:time].header", "listed twice"),
    (_set(("columns", 3, "header"), "Time"), "columns[3:Time].header", "both read as"),
    (_set(("columns", 10, "header"), "order"), "columns[10:order].header", "SQL keyword"),
    (
        _set(("columns", 10, "header"), "2nd officer"),
        "columns[10:2nd officer].header",
        "starts with a digit",
    ),
    (_set(("columns", 10, "header"), "Bad"), "columns[10:Bad].header", "uses itself"),
    (_set(("columns", 10, "choices"), ["a"]), "columns[10:notes].choices", "kind: choice"),
    (_set(("columns", 10, "kind"), "choice"), "columns[10:notes].choices", "needs a list"),
    (_set(("columns", 10, "minimum"), 0), "columns[10:notes].minimum", "only for kinds"),
    (_set(("columns", 10, "missing"), [True]), "columns[10:notes].missing[0]", "valid string"),
]


@pytest.mark.parametrize(
    ("change", "key", "words"), BAD_MAPPINGS, ids=[b[1] + ":" + b[2] for b in BAD_MAPPINGS]
)
def test_a_bad_mapping_names_the_key(tmp_path, change, key, words):
    path = mapping_file(tmp_path, change)
    with pytest.raises(MappingError) as info:
        format_from_mapping(path)
    problems = {p.key: p for p in info.value.problems}
    assert key in problems, [str(p) for p in info.value.problems]
    assert words in problems[key].message, str(problems[key])
    assert problems[key].line is not None
    assert str(path) in str(info.value) and key in str(info.value)
    assert isinstance(info.value, SourceError)  # the command reports it like a bad file


def test_every_problem_is_reported_at_once_with_its_line(tmp_path):
    def many(data):
        data["key"] = "ref"
        data["flags"] = ["notes"]
        data["columns"][1]["kind"] = "datetime"

    path = mapping_file(tmp_path, many)
    with pytest.raises(MappingError) as info:
        read_mapping(path)
    keys = {p.key for p in info.value.problems}
    assert keys == {"columns[1:date].kind"}  # the columns must be right first
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    many(data)
    data["columns"][1]["kind"] = "date"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    with pytest.raises(MappingError) as info:
        read_mapping(path)
    problems = {p.key: p for p in info.value.problems}
    assert set(problems) == {"key", "flags[0]"}
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[problems["key"].line - 1].startswith("key:")


def test_unquoted_yes_and_numbers_in_values_are_named_as_written(tmp_path):
    text = EXAMPLE.read_text(encoding="utf-8").replace(
        "    Assault: violence\n", "    Yes: violence\n    1: minor\n    '2': fine\n"
    )
    path = tmp_path / "m.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(MappingError) as info:
        read_mapping(path)
    problems = {p.key: p for p in info.value.problems}
    assert set(problems) == {"category.values.Yes", "category.values.1"}
    lines = text.splitlines()
    assert lines[problems["category.values.Yes"].line - 1].strip() == "Yes: violence"
    assert "'Yes': ..." in problems["category.values.Yes"].message


def test_a_mapping_that_is_not_yaml_or_not_there(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("source: x\ncolumns: [unclosed\n", encoding="utf-8")
    with pytest.raises(MappingError) as info:
        read_mapping(broken)
    [problem] = info.value.problems
    assert problem.key == "(yaml)" and problem.line is not None
    with pytest.raises(MappingError) as info:
        read_mapping(tmp_path / "nope.yaml")
    assert info.value.problems[0].key == "(file)"
    listed = tmp_path / "list.yaml"
    listed.write_text("- a\n- b\n", encoding="utf-8")
    with pytest.raises(MappingError) as info:
        read_mapping(listed)
    assert info.value.problems[0].key == "(top level)"


# -- a measure counts a mapped source's events -------------------------------------------
def _with_cctv_measures(**measure) -> dict:
    """The Kirklees configuration with two measures over the CCTV log's events, plus
    ``measure`` (changes to the first of them) when given."""
    data = yaml.safe_load((REPO / "sia" / "config" / "kirklees.yaml").read_text("utf-8"))
    cctv = [
        {
            "id": "cctv-violence",
            "name": "Violence seen on CCTV",
            "source": "council-cctv",
            "categories": ["violence"],
            **measure,
        },
        {
            "id": "cctv-police-notified",
            "name": "CCTV incidents passed to the police",
            "source": "council-cctv",
            "flags": ["police_notified"],
        },
    ]
    data["priorities"][0]["measures"].extend(cctv)
    return data


def test_a_measure_counts_the_events_of_a_mapped_source(tmp_path):
    from sia.config.schema import Partnership, Source
    from sia.queries import connect_duckdb, events_table, monthly_counts

    partnership = Partnership.model_validate(_with_cctv_measures())
    measures = {m.id: m for _, m in partnership.measures()}
    # a built-in source is still the enum; the mapping's source is its own name
    assert measures["cctv-violence"].source == "council-cctv"
    assert all(
        isinstance(m.source, Source) for i, m in measures.items() if not i.startswith("cctv")
    )
    with Warehouse.open(partnership, tmp_path / "wh") as wh:
        assert load_file(wh, FIXTURE, FORMATS).loaded == 7
        counts = monthly_counts(events_table(connect_duckdb(wh)), partnership, by="district")
        got = {
            r.measure_id: (r.month, r.count)
            for r in counts.to_pandas().itertuples()
            if r.measure_id.startswith("cctv")
        }
    # By hand from tests/data/mapped/cctv.csv, all March 2024: of the 7 rows loaded (the
    # Leeds camera's is outside Kirklees, the mobile unit's has no location), a Fight and an
    # Assault map to violence; 5 have police_notified Y (0001, 0002, 0005, 0006, 0009).
    march = dt.date(2024, 3, 1)
    assert {k: (v[0].date() if hasattr(v[0], "date") else v[0], v[1]) for k, v in got.items()} == {
        "cctv-violence": (march, 2),
        "cctv-police-notified": (march, 5),
    }


@pytest.mark.parametrize(
    ("source", "words"),
    [
        ("mapped", "source 'mapped' has no events of its own"),
        ("indicator", "source 'indicator' has no events of its own"),
        ("Council CCTV", "String should match pattern"),
        ("police-uks", "'police-uks' is not a built-in source: did you mean 'police-uk'"),
    ],
)
def test_a_measure_source_that_names_no_events_is_refused(source, words):
    from pydantic import ValidationError

    from sia.config.schema import Partnership

    with pytest.raises(ValidationError, match=words):
        Partnership.model_validate(_with_cctv_measures(source=source))

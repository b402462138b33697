"""The report's maps: one SVG path per area, text alternatives that name what the map shows,
disclosure control followed, the boundaries' attribution, nothing fetched.

The first tests draw maps of the shipped Kirklees boundaries from small tables made here, and
check them against figures worked out here from the tables and from the shipped files (read
with ``json`` and ``csv``, not through sia). The last ones read the demo report's maps
against the assessment document.
"""

from __future__ import annotations

import csv
import json
import math
import re
import xml.etree.ElementTree as ET
from importlib import resources
from itertools import pairwise

import pytest

from sia.config import load_partnership
from sia.report import charts, maps
from sia.report.context import ReportTable

KIRKLEES = "E08000034"
SVG = "{http://www.w3.org/2000/svg}"


def _groups(svg: str, mark: str) -> list[list[ET.Element]]:
    """The paths of each layer of ``mark`` (``mark-shape``, ``mark-symbol``) in drawing
    order; the legends' symbols are not a layer (Vega gives them another role)."""
    root = ET.fromstring(svg)
    return [
        g.findall(f"{SVG}path")
        for g in root.iter(f"{SVG}g")
        if {mark, "role-mark"} <= set((g.get("class") or "").split())
    ]


def _shipped(level: str) -> list[dict]:
    path = resources.files("sia").joinpath("data", "boundaries", level, f"{KIRKLEES}.geojson")
    return json.loads(path.read_text("utf-8"))["features"]


def _ward_table(rates: dict[str, float], hidden: set[str]) -> ReportTable:
    wards = load_partnership("kirklees").wards
    rows, keys, cells = [], [], []
    for w in wards:
        rate = "–" if w.code in hidden else f"{rates[w.code]:,.2f}"
        count = "<5" if w.code in hidden else "12"
        rows.append([w.name, count, "9", rate, "–"])
        keys.append(w.code)
        if w.code in hidden:
            cells += [(w.code, "Count"), (w.code, "Rate per 1,000")]
    return ReportTable(
        id="m-wards",
        title="m: by ward",
        columns=["Ward", "Count", "Previous period", "Rate per 1,000", "Change"],
        rows=rows,
        keys=keys,
        hidden=cells,
        raw={f"{k}|{c}": "3" for k, c in cells},
    )


@pytest.fixture(scope="module")
def wards():
    return {w.code: w.name for w in load_partnership("kirklees").wards}


# -- boundaries -----------------------------------------------------------------------------
def test_boundaries_keep_every_area_with_fewer_points():
    for level in ("ward", "lsoa21"):
        shipped = _shipped(level)
        drawn = maps.boundaries(KIRKLEES, level)
        assert [f["properties"]["code"] for f in drawn] == [
            f["properties"]["WD25CD" if level == "ward" else "LSOA21CD"] for f in shipped
        ]
        points = len(re.findall(r"\[-?\d+\.\d+, -?\d+\.\d+\]", json.dumps(drawn)))
        before = len(re.findall(r"\[-?\d+\.\d+, -?\d+\.\d+\]", json.dumps(shipped)))
        assert 0 < points < 0.7 * before, (level, points, before)


def test_bands_are_quantiles_that_cover_every_value():
    # quintiles of 1..10 by numpy's default (linear) rule: 1, 2.8, 4.6, 6.4, 8.2, 10
    found = maps.bands(range(1, 11))
    assert [x for pair in found for x in pair] == pytest.approx(
        [1, 2.8, 2.8, 4.6, 4.6, 6.4, 6.4, 8.2, 8.2, 10]
    )
    found = maps.bands([0, 0, 0, 1, 5])
    assert found[0][0] == 0 and found[-1][1] == 5
    assert [maps.band_of(v, found) for v in (0, 5)] == [0, len(found) - 1]
    assert maps.bands([]) == []


# -- the ward choropleth --------------------------------------------------------------------
def test_ward_map_has_one_path_per_ward_and_names_the_highest(wards):
    codes = sorted(wards)
    rates = {c: float(i) + 0.25 for i, c in enumerate(codes)}
    hidden = {codes[-1], codes[0]}
    chart = maps.ward_map("m", "Burglary", _ward_table(rates, hidden), KIRKLEES)
    svg = charts.svg(chart)
    paths, hatches = _groups(svg, "mark-shape")
    assert len(paths) == len(wards) == 23
    grey = [p for p in paths if p.get("fill") == maps.NOT_SHOWN_COLOUR]
    assert len(grey) == len(hidden)
    # the grey wards are hatched too, drawn over them: one path of lines each, not filled
    assert len(hatches) == len(hidden)
    assert all(h.get("stroke") == maps.HATCH_COLOUR for h in hatches)
    assert all(h.get("fill") in (None, "none", "transparent") for h in hatches)
    shown = sorted(
        ((wards[c], r) for c, r in rates.items() if c not in hidden), key=lambda x: -x[1]
    )
    top = ", ".join(f"{n} {r:,.2f}" for n, r in shown[:5])
    assert f"Highest: {top}." in chart.alt
    assert f"Lowest: {shown[-1][0]} {shown[-1][1]:,.2f}." in chart.alt
    assert "Not shown (small numbers, drawn grey and hatched) in 2 wards: " in chart.alt
    assert chart.attribution == maps.ATTRIBUTION
    assert "Contains OS data © Crown copyright and database right." in maps.ATTRIBUTION


def test_the_hatching_lies_inside_each_hidden_ward_at_45_degrees(wards):
    """Checked with shapely against the shipped boundaries, read here from the GeoJSON: every
    line of a hidden ward's hatching is inside that ward, rises by cos(latitude) degrees of
    latitude per degree of longitude (45 degrees on a Mercator map), and the lines are evenly
    spaced; a ward that is shown has none."""
    from shapely.geometry import shape

    codes = sorted(wards)
    hidden = {codes[2], codes[9]}
    chart = maps.ward_map("m", "Burglary", _ward_table(dict.fromkeys(codes, 1.5), hidden), KIRKLEES)
    hatching = chart.spec["datasets"]["hatching"]
    assert {f["properties"]["code"] for f in hatching} == hidden
    shipped = {f["properties"]["WD25CD"]: shape(f["geometry"]) for f in _shipped("ward")}
    for feature in hatching:
        ward = shipped[feature["properties"]["code"]]
        lines = shape(feature["geometry"])
        # inside the ward, allowing for the map's simplification (about 100 m)
        assert ward.buffer(maps.TOLERANCE * 1.5).contains(lines)
        assert lines.length > 0
        middle = (ward.bounds[1] + ward.bounds[3]) / 2
        k = math.cos(math.radians(middle))
        intercepts = []
        for line in lines.geoms:
            (x0, y0), (x1, y1) = line.coords[0], line.coords[-1]
            if x1 - x0 > 0.01:  # long enough for the 5-decimal rounding not to matter
                assert (y1 - y0) / (x1 - x0) == pytest.approx(k, rel=2e-3)
            intercepts.append(y0 - k * x0)
        # pieces of one line (split where it leaves and re-enters the ward) share an intercept
        ordered = sorted(intercepts)
        distinct = [ordered[0]] + [d for c, d in pairwise(ordered) if d - c > 1e-4]
        steps = [b - a for a, b in pairwise(distinct)]
        assert len(steps) >= 3
        assert max(steps) == pytest.approx(min(steps), rel=0.05)


def test_no_hatching_when_every_ward_is_shown(wards):
    codes = sorted(wards)
    chart = maps.ward_map("m", "Burglary", _ward_table(dict.fromkeys(codes, 1.5), set()), KIRKLEES)
    assert "hatching" not in chart.spec["datasets"]
    assert len(_groups(charts.svg(chart), "mark-shape")) == 1


def test_a_hidden_ward_has_no_value_anywhere_in_the_map(wards):
    codes = sorted(wards)
    # the hidden wards' true rates are the largest, so they would lead the text if leaked
    rates = {c: 1.0 + i for i, c in enumerate(codes)}
    rates[codes[3]] = rates[codes[4]] = 9876.54
    hidden = {codes[3], codes[4]}
    chart = maps.ward_map("m", "Hate crime", _ward_table(rates, hidden), KIRKLEES)
    spec = json.dumps(chart.spec)
    svg = charts.svg(chart)
    for text in (spec, svg, chart.alt):
        assert "9876.54" not in text and "9,876.54" not in text
    for feature in chart.spec["datasets"]["wards"]:
        props = feature["properties"]
        assert set(props) == {"code", "name", "band"}
        assert (props["band"] == maps.NOT_SHOWN) == (props["code"] in hidden)
    highest = chart.alt.split("Highest: ")[1].split(". Lowest")[0]
    assert all(wards[c] not in highest for c in hidden)


def test_ward_map_by_count_when_no_rate_is_given(wards):
    table = _ward_table({c: 0.0 for c in wards}, set())
    for row in table.rows:
        row[3] = "–"
    table.rows[0][1] = "40"
    chart = maps.ward_map("m", "Fly-tipping", table, KIRKLEES)
    assert chart.title == "Fly-tipping: count by ward"
    assert f"Highest: {table.rows[0][0]} 40," in chart.alt


# -- the hotspot map ------------------------------------------------------------------------
def _hotspots(codes: list[str]) -> tuple[dict, ReportTable]:
    areas = [
        {"lsoa_code": codes[0], "ward_code": "E05001389", "place": "Huddersfield"},
        {"lsoa_code": codes[1], "ward_code": "E05001389", "place": "Huddersfield"},
        {"lsoa_code": codes[2], "ward_code": "E05001390", "place": "Batley & Spen"},
        {"lsoa_code": codes[3], "ward_code": "E05001390", "place": "Batley & Spen"},
    ]
    details = [
        ("hot", 0.004, "persistent hotspot"),
        ("hot", 0.03, "emerging hotspot"),
        ("cold", 0.02, "no pattern"),
        ("hot", 0.001, None),  # not in the table: must not be coloured
    ]
    for area, (kind, q, pattern) in zip(areas, details, strict=True):
        area.update(classification=kind, q_value=q, pattern=pattern)
    table = ReportTable(
        id="m-hotspots",
        title="m: hotspots",
        columns=["LSOA", "Ward", "Place", "Classification"],
        rows=[[a["lsoa_code"], "", "", a["classification"]] for a in areas[:3]],
        keys=[a["lsoa_code"] for a in areas[:3]],
    )
    return {"measure_id": "m", "lsoa_vintage": 2021, "areas": areas}, table


def test_hotspot_map_colours_the_tables_lsoas_by_confidence(wards):
    shipped = _shipped("lsoa21")
    codes = [f["properties"]["LSOA21CD"] for f in shipped]
    hotspots, table = _hotspots(codes)
    chart = maps.hotspot_map("m", "Knife crime", hotspots, table, KIRKLEES, wards)
    svg = charts.svg(chart)
    lsoas, outlines = _groups(svg, "mark-shape")
    assert len(lsoas) == len(shipped) == 260
    assert len(outlines) == len(wards)
    fills = [p.get("fill") for p in lsoas]
    colour = dict(maps.HOTSPOT_CLASSES)
    assert fills[0] == colour["Hot spot, 99% confidence"]
    assert fills[1] == colour["Hot spot, 95% confidence"]
    assert fills[2] == colour["Cold spot, 95% confidence"]
    assert fills[3:].count(colour["Not significant"]) == 257
    (symbols,) = _groups(svg, "mark-symbol")
    assert len(symbols) == 2  # persistent and emerging; "no pattern" draws nothing
    assert "hot spots in 2 of 260 LSOAs, 2 of them in Huddersfield" in chart.alt
    assert "1 at 99% confidence, 1 at 95% confidence" in chart.alt
    assert "Cold spots in 1 LSOA (wards: " in chart.alt
    assert "Over the years: 1 persistent hot spot, 1 emerging hot spot." in chart.alt


def test_no_hotspot_map_without_hot_or_cold_spots(wards):
    assert maps.hotspot_map("m", "m", None, None, KIRKLEES, wards) is None
    assert maps.hotspot_map("m", "m", {"areas": []}, None, KIRKLEES, wards) is None


# -- the profile map ------------------------------------------------------------------------
def _lsoas_of(ward_code: str) -> list[str]:
    path = resources.files("sia").joinpath("data", "geography", "lsoa_ward.csv")
    with path.open("r", encoding="utf-8") as f:
        return [
            r["lsoa_code"]
            for r in csv.DictReader(f)
            if r["ward_code"] == ward_code and r["lsoa_vintage"] == "2021"
        ]


def test_profile_map_draws_the_wards_lsoas_and_outlines_it(wards):
    code = next(c for c, n in wards.items() if n == "Dewsbury West")
    inside = _lsoas_of(code)
    hot = sorted(inside)[:2]
    table = ReportTable(
        id="t",
        title="t",
        columns=["Measure", "LSOA", "Ward", "Pattern"],
        rows=[
            ["Knife crime", hot[0], "", ""],
            ["Burglary", hot[0], "", ""],
            ["Burglary", hot[1], "", ""],
        ],
        keys=["a", "b", "c"],
    )
    chart = maps.area_map("ward", "Dewsbury West", [code], table, KIRKLEES, 2021)
    svg = charts.svg(chart)
    lsoas, outline = _groups(svg, "mark-shape")
    assert len(lsoas) == len(inside) > 5
    assert len(outline) == 1
    fills = [p.get("fill") for p in lsoas]
    colour = dict(maps.AREA_CLASSES)
    assert fills.count(colour["Hot spot for 2 measures"]) == 1
    assert fills.count(colour["Hot spot for 1 measure"]) == 1
    assert f"Map of the {len(inside)} LSOAs of Dewsbury West" in chart.alt
    assert f"({hot[0]}): Knife crime, Burglary" in chart.alt
    assert ": 2 are hot spots for at least one" in chart.alt


# -- the demo report ------------------------------------------------------------------------
@pytest.mark.slow
def test_every_measure_has_a_ward_map_naming_its_top_wards(built):
    measures = {m["id"]: m for p in built.document["priorities"] for m in p["measures"]}
    sections = [m for t in built.context.themes for p in t.priorities for m in p.measures]
    checked = 0
    for section in sections:
        m = measures[section.id]
        chart = section.map_chart
        assert chart is not None and chart.attribution == maps.ATTRIBUTION
        hidden = {k for k, _ in section.wards.hidden}
        shown = [w for w in m["by_ward"] if w["code"] not in hidden and w["rate"] is not None]
        shown.sort(key=lambda w: (-w["rate"], w["name"]))
        if shown and shown[0]["rate"] > 0:
            top = shown[0]
            assert f"Highest: {top['name']} {top['rate']:,.2f}" in chart.alt, section.id
            checked += 1
        for feature in chart.spec["datasets"]["wards"]:
            props = feature["properties"]
            assert (props["band"] == maps.NOT_SHOWN) == (props["code"] in hidden)
    assert checked >= 10


def _words(spec: dict) -> str:
    """The spec without the boundaries' coordinates (where "0.06" may be a digit string of
    a longitude), so a value in it is a figure."""
    bare = json.loads(json.dumps(spec))
    for rows in bare.get("datasets", {}).values():
        for row in rows:
            row.pop("geometry", None)
    return json.dumps(bare, ensure_ascii=False)


def _svg_text(svg: str) -> str:
    """Every word the SVG draws (legends, titles) and its label."""
    root = ET.fromstring(svg)
    return " ".join(
        [root.get("aria-label", ""), *("".join(t.itertext()) for t in root.iter(f"{SVG}text"))]
    )


@pytest.mark.slow
def test_the_maps_print_no_hidden_rate(built):
    """The true rates of the cells disclosure control hid appear in no map (spec, SVG or
    text alternative) of their measure."""
    sections = [m for t in built.context.themes for p in t.priorities for m in p.measures]
    checked = 0
    for section in sections:
        raw = [v for k, v in section.wards.raw.items() if k.endswith("|Rate per 1,000")]
        raw = [v for v in raw if v not in ("–", "0.00")]
        if not raw:
            continue
        chart = section.map_chart
        texts = (_words(chart.spec), _svg_text(charts.svg(chart)), chart.alt)
        for value in raw:
            for text in texts:
                assert value not in text, (section.id, value)
            checked += 1
    assert checked >= 5


@pytest.mark.slow
def test_every_picture_is_valid_vega_lite(built):
    """Altair does not validate the specs when the report is made (it took a second): this
    does, against the Vega-Lite schema Altair ships."""
    from altair.utils.schemapi import validate_jsonschema
    from altair.vegalite.v6.schema.core import load_schema

    schema = load_schema()
    areas = [*built.context.wards, *built.context.places]
    pictures = built.context.charts() + [a.map_chart for a in areas if a.map_chart]
    assert len(pictures) > 60
    for chart in pictures:
        validate_jsonschema(chart.spec, schema)
    broken = json.loads(json.dumps(pictures[0].spec))
    broken["width"] = "wide"
    with pytest.raises(Exception, match="wide"):
        validate_jsonschema(broken, schema)


@pytest.mark.slow
def test_hotspot_maps_and_profile_maps_are_in_every_output(built):
    sections = [m for t in built.context.themes for p in t.priorities for m in p.measures]
    with_hotspots = [s for s in sections if s.hotspots is not None]
    assert with_hotspots and all(s.hotspot_map is not None for s in with_hotspots)
    html = (built.out / "sia-report.html").read_text("utf-8")
    for s in with_hotspots:
        assert f'id="figure-{s.hotspot_map.id}"' in html
    assert html.count(maps.ATTRIBUTION) >= 2 * len(with_hotspots)
    for area in [*built.context.wards, *built.context.places]:
        assert area.map_chart is not None, area.name
        folder = "wards" if area.kind == "ward" else "places"
        page = (built.out / folder / f"{area.slug}.html").read_text("utf-8")
        assert f'id="figure-{area.map_chart.id}"' in page
        assert "Contains OS data © Crown copyright and database right." in page

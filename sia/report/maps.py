"""The report's maps: ward choropleths, LSOA hotspot maps and a map for each profile.

Every map is an Altair ``mark_geoshape`` chart drawn from the boundaries shipped with sia
(``sia/data/boundaries``, ONS, OGL v3.0), rendered by vl-convert like the other charts
(:func:`sia.report.charts.svg` and :func:`~sia.report.charts.png`). The boundaries are
simplified once per process (:func:`shapely.coverage_simplify`, which keeps neighbouring
areas' shared edges shared, so no slivers or gaps open between them) and cached, so the
inline SVG stays small.

A map never shows more than the tables beside it: the ward choropleth is coloured from the
ward table's printed cells (a cell hidden by disclosure control is drawn grey and hatched
as "not shown", so it is told from the bands without colour, and named as such in the text
alternative, never given a band), and the hotspot maps
show the LSOAs the hotspot tables list. Each map is one shape per area (one SVG path each)
and carries the boundaries' attribution (:data:`ATTRIBUTION`).
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Iterable
from functools import cache
from itertools import pairwise
from typing import TYPE_CHECKING, Any

import altair as alt

from sia.report import charts

if TYPE_CHECKING:
    from sia.report.context import Chart, ReportTable

#: The attribution the ONS boundaries must carry (sia/data/README.md, NOTICE).
ATTRIBUTION = (
    "Source: Office for National Statistics licensed under the Open Government Licence v3.0. "
    "Contains OS data © Crown copyright and database right."
)
#: Simplification tolerance in degrees for a map of the whole district (about 100 m, under
#: 2 pixels at the size the report draws it): the shapes stay recognisable with about a
#: third of the points of the shipped files.
TOLERANCE = 0.0015
#: The tolerance for a profile's map, which draws one ward or place larger (about 35 m).
AREA_TOLERANCE = 0.0005
#: How many colour bands a choropleth has at most (quintiles of the areas shown).
BANDS = 5
#: Sequential blues for the bands, light to dark (GOV.UK blue at the dark end).
BAND_COLOURS = ("#d2e2f1", "#9dc1e3", "#5694ca", "#1d70b8", "#003078")
NOT_SHOWN = "Not shown (small numbers), hatched"
NO_DATA = "No figure"
NOT_SHOWN_COLOUR = "#b1b4b6"
NO_DATA_COLOUR = "#ffffff"
#: The hatching over an area not shown: lines about this many pixels apart, in GOV.UK black.
HATCH_PIXELS = 6
HATCH_COLOUR = "#0b0c0c"

#: The Gi* classes of an LSOA now, by the confidence left after the false discovery rate
#: adjustment (q-value at most 0.01, 0.05 or 0.10), with their colours (ColorBrewer RdBu).
HOTSPOT_CLASSES = (
    ("Hot spot, 99% confidence", "#b2182b"),
    ("Hot spot, 95% confidence", "#ef8a62"),
    ("Hot spot, 90% confidence", "#fddbc7"),
    ("Not significant", "#dee0e2"),
    ("Cold spot, 90% confidence", "#d1e5f0"),
    ("Cold spot, 95% confidence", "#67a9cf"),
    ("Cold spot, 99% confidence", "#2166ac"),
)
#: The symbol drawn on an LSOA for its pattern over the years (sfhotspot's categories).
PATTERN_SHAPES = {
    "persistent": "circle",
    "emerging": "triangle-up",
    "intermittent": "diamond",
    "former": "cross",
    "mixed": "square",
}
#: A profile's LSOAs by how many of the priorities' measures they are a hot spot for.
AREA_CLASSES = (
    ("Not a hot spot", "#dee0e2"),
    ("Hot spot for 1 measure", "#fcbba1"),
    ("Hot spot for 2 measures", "#fb6a4a"),
    ("Hot spot for 3 or more", "#a50f15"),
)


# -- boundaries ---------------------------------------------------------------------------
def lsoa_level(vintage: int | None) -> str:
    """The boundary level of an LSOA vintage (2021 unless the hotspots used 2011)."""
    return "lsoa11" if vintage == 2011 else "lsoa21"


def boundaries(
    district_code: str, level: str, tolerance: float = TOLERANCE
) -> tuple[dict[str, Any], ...]:
    """The district's boundaries at ``level`` (``ward``, ``lsoa11``, ``lsoa21``) as GeoJSON
    features with ``code``, ``name`` and a ``lon``/``lat`` inside the shape, simplified as a
    coverage to ``tolerance`` degrees, rings oriented for d3-geo (exterior clockwise, the
    reverse of RFC 7946) and coordinates rounded to 5 decimals (about 1 m); empty when none
    are shipped.

    Made once per process and shared by every map: a caller builds new features around
    the geometry and never changes one it is given.
    """
    return _boundaries(district_code, level, tolerance)


@cache
def _boundaries(district_code: str, level: str, tolerance: float) -> tuple[dict[str, Any], ...]:
    import numpy as np
    import shapely
    from shapely.geometry import mapping, shape
    from shapely.geometry.polygon import orient

    from sia.geography.boundaries import CODE_PROPERTY, boundary_path, shipped_boundaries

    if level not in shipped_boundaries(district_code):
        return ()
    data = json.loads(boundary_path(district_code, level).read_text("utf-8"))
    name_property = CODE_PROPERTY[level].replace("CD", "NM")
    shapes = np.array([shape(f["geometry"]) for f in data["features"]])
    simplified = shapely.coverage_simplify(shapes, tolerance)
    features = []
    for f, geom in zip(data["features"], simplified, strict=True):
        parts = geom.geoms if geom.geom_type == "MultiPolygon" else [geom]
        oriented = shapely.MultiPolygon([orient(p, sign=-1.0) for p in parts])
        if len(parts) == 1:
            oriented = oriented.geoms[0]
        point = geom.representative_point()
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "code": f["properties"][CODE_PROPERTY[level]],
                    "name": f["properties"].get(name_property) or "",
                    "lon": round(point.x, 5),
                    "lat": round(point.y, 5),
                },
                "geometry": _rounded(mapping(oriented)),
            }
        )
    return tuple(features)


def _rounded(geometry: Any) -> dict[str, Any]:
    def r(x: Any) -> Any:
        if isinstance(x, (list, tuple)):
            return [r(v) for v in x]
        return round(x, 5) if isinstance(x, float) else x

    return {"type": geometry["type"], "coordinates": r(geometry["coordinates"])}


@cache
def _lsoa_wards(district_code: str, vintage: int) -> dict[str, str]:
    from sia.geography.lookups import lsoa_ward_table

    table = lsoa_ward_table()
    rows = table[(table["district_code"] == district_code) & (table["lsoa_vintage"] == vintage)]
    return dict(zip(rows["lsoa_code"], rows["ward_code"], strict=True))


def lsoa_wards(district_code: str, vintage: int) -> dict[str, str]:
    """LSOA code -> best-fit ward code for the district's LSOAs of ``vintage``."""
    return dict(_lsoa_wards(district_code, vintage))


# -- pieces ------------------------------------------------------------------------------------
def _number(text: str) -> float | None:
    try:
        return float(text.replace(",", ""))
    except ValueError:
        return None


def _nice(x: float) -> str:
    return f"{x:,.2f}" if abs(x) < 100 else f"{x:,.0f}"


def bands(values: Iterable[float], n: int = BANDS) -> list[tuple[float, float]]:
    """Up to ``n`` bands of equal numbers of areas (quantiles), as (low, high) pairs that
    cover every value; equal edges are merged, so tied values never split.

    >>> bands([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], n=2)
    [(1.0, 5.5), (5.5, 10.0)]
    >>> bands([0, 0, 0, 0, 7], n=5)
    [(0.0, 7.0)]
    """
    import numpy as np

    data = np.asarray(sorted(values), dtype=float)
    if data.size == 0:
        return []
    edges = np.quantile(data, np.linspace(0, 1, n + 1))
    kept = [float(edges[0])]
    for e in edges[1:]:
        if e > kept[-1]:
            kept.append(float(e))
    if len(kept) == 1:
        return [(kept[0], kept[0])]
    return list(pairwise(kept))


def band_of(value: float, found: list[tuple[float, float]]) -> int:
    """The index of the band ``value`` falls in (a value on an edge goes to the band above,
    the highest value to the last band)."""
    for i, (_, high) in enumerate(found):
        if value < high:
            return i
    return len(found) - 1


def _band_label(low: float, high: float) -> str:
    return _nice(low) if low == high else f"{_nice(low)} to {_nice(high)}"


def _names(items: list[str], limit: int = 8) -> str:
    if len(items) <= limit:
        return ", ".join(items)
    return ", ".join(items[:limit]) + f" and {len(items) - limit} more"


def _map_chart(chart_id: str, title: str, words: str, spec: Any, datasets: dict) -> Chart:
    made = charts._chart(chart_id, title, words, spec, datasets=datasets)
    return made.model_copy(update={"attribution": ATTRIBUTION})


def _base(name: str) -> alt.Chart:
    return alt.Chart(alt.Data(name=name)).project(type="mercator")


def _coloured(
    name: str,
    field: str,
    title: str,
    classes: Iterable[tuple[str, str]],
    present: set[str],
    stroke_width: float,
    **legend: Any,
) -> alt.Chart:
    """The areas of dataset ``name`` filled by their ``properties.<field>``: each class's
    colour from ``classes`` (class, colour), the legend listing only the classes present."""
    pairs = [(c, colour) for c, colour in classes if c in present]
    return (
        _base(name)
        .mark_geoshape(stroke="white", strokeWidth=stroke_width)
        .encode(
            color=alt.Color(
                f"properties.{field}:N",
                title=title,
                scale=alt.Scale(domain=[c for c, _ in pairs], range=[x for _, x in pairs]),
                legend=alt.Legend(orient="right", symbolType="square", **legend),
            )
        )
    )


def with_hatching(
    areas: alt.Chart,
    hidden: list[dict[str, Any]],
    features: list[dict[str, Any]],
    width: int,
    height: int,
) -> tuple[alt.LayerChart, list[dict[str, Any]]]:
    """``areas`` (a map of ``features``, ``width`` by ``height`` pixels) with the ``hidden``
    ones hatched over: the chart, and the hatching's lines for its dataset ``hatching``
    (none when nothing is hidden). The lines are decorative, so hidden from screen readers:
    the text alternative names the areas not shown."""
    lines = hatching(hidden, hatch_spacing(features, width, height, HATCH_PIXELS))
    layers = [areas]
    if lines:
        layers.append(
            _base("hatching").mark_geoshape(
                filled=False, stroke=HATCH_COLOUR, strokeWidth=0.7, strokeOpacity=0.8, aria=False
            )
        )
    return alt.layer(*layers).properties(width=width, height=height), lines


# -- ward choropleth -------------------------------------------------------------------------
def ward_map(
    measure_id: str,
    measure_name: str,
    table: ReportTable,
    district_code: str,
) -> Chart | None:
    """A choropleth of the measure by ward, coloured from the ward table as printed.

    The value is the rate per 1,000 residents, or the count when the table gives no rate;
    the bands are quintiles of the wards shown. A ward whose cell disclosure control hid
    (``table.hidden``) is drawn grey and hatched as "not shown" and gets no band: the map
    says no more than the table. None when no ward boundary is shipped or the table has no
    ward.
    """
    features = {f["properties"]["code"]: f for f in boundaries(district_code, "ward")}
    wards = [k for k in table.keys if k in features]
    if not wards:
        return None
    rate_column = table.columns.index("Rate per 1,000")
    count_column = table.columns.index("Count")
    hidden = {key for key, _ in table.hidden}
    rows = dict(zip(table.keys, table.rows, strict=True))
    by_rate = any(_number(rows[k][rate_column]) is not None for k in wards if k not in hidden)
    column = rate_column if by_rate else count_column
    what = "rate per 1,000 residents" if by_rate else "count"
    values: dict[str, float | None] = {
        k: None if k in hidden else _number(rows[k][column]) for k in wards
    }
    found = bands(v for v in values.values() if v is not None)
    labels = [_band_label(low, high) for low, high in found]
    shown = []
    for k in wards:
        value = values[k]
        if k in hidden:
            band = NOT_SHOWN
        elif value is None:
            band = NO_DATA
        else:
            band = labels[band_of(value, found)]
        props = {"code": k, "name": rows[k][0], "band": band}
        shown.append({**features[k], "properties": props})
    domain = [*labels, NOT_SHOWN, NO_DATA]
    colours = [*_spread(BAND_COLOURS, len(labels)), NOT_SHOWN_COLOUR, NO_DATA_COLOUR]
    areas = _coloured(
        "wards",
        "band",
        "Rate per 1,000" if by_rate else "Count",
        zip(domain, colours, strict=True),
        {f["properties"]["band"] for f in shown},
        0.8,
        labelLimit=240,
    )
    chart, lines = with_hatching(
        areas, [features[k] for k in wards if k in hidden], [features[k] for k in wards], 380, 320
    )
    chart = chart.properties(title=f"{measure_name}: by ward")
    ranked = sorted(
        ((rows[k][0], v) for k, v in values.items() if v is not None), key=lambda x: (-x[1], x[0])
    )
    words = f"Map of {measure_name}, {what} by ward"
    if len(labels) > 1:
        words += f", in {len(labels)} bands from {_nice(found[0][0])} to {_nice(found[-1][1])}."
    else:
        words += "."
    if ranked and ranked[0][1] == 0:
        words += " None of the wards shown had an event."
    elif ranked:
        top = ", ".join(f"{n} {rows_value(v)}" for n, v in ranked[:5])
        words += f" Highest: {top}. Lowest: {ranked[-1][0]} {rows_value(ranked[-1][1])}."
    not_shown = sorted(rows[k][0] for k in wards if k in hidden)
    if not_shown:
        words += (
            f" Not shown (small numbers, drawn grey and hatched) in {len(not_shown)} "
            f"ward{'' if len(not_shown) == 1 else 's'}: "
            f"{_names(not_shown, 30)}."
        )
    return _map_chart(
        f"map-{measure_id}",
        f"{measure_name}: {what} by ward",
        words,
        chart,
        {"wards": shown, "hatching": lines} if lines else {"wards": shown},
    )


def hatch_spacing(features: list[dict[str, Any]], width: int, height: int, pixels: float) -> float:
    """About ``pixels`` pixels, in degrees of latitude, on a Mercator map of ``width`` by
    ``height`` pixels fitted to ``features``."""
    from shapely.geometry import shape

    bounds = [shape(f["geometry"]).bounds for f in features]
    min_x, min_y = min(b[0] for b in bounds), min(b[1] for b in bounds)
    max_x, max_y = max(b[2] for b in bounds), max(b[3] for b in bounds)
    cos_lat = math.cos(math.radians((min_y + max_y) / 2))
    # pixels per degree of longitude; a degree of latitude is 1 / cos(latitude) times taller
    scale = min(width / (max_x - min_x), height * cos_lat / (max_y - min_y))
    return pixels * cos_lat / scale


def hatching(features: list[dict[str, Any]], spacing: float) -> list[dict[str, Any]]:
    """Diagonal lines across each feature's shape, clipped to it, ``spacing`` degrees of
    latitude apart: the pattern an area that is not shown carries, so that it is told apart
    from the colour bands by more than its colour (WCAG 1.4.1). The lines rise at 45
    degrees as the Mercator map draws them. One GeoJSON feature (a MultiLineString) per
    area, with its ``code``; none for an area too small to cross.
    """
    import shapely
    from shapely.geometry import mapping, shape

    out = []
    for feature in features:
        geom = shape(feature["geometry"])
        min_x, min_y, max_x, max_y = geom.bounds
        # y = k x + c rises at 45 degrees on a Mercator map when k = cos(latitude)
        k = math.cos(math.radians((min_y + max_y) / 2))
        step = spacing / math.cos(math.radians(45))  # vertical step for the spacing asked
        first, last = min_y - k * max_x, max_y - k * min_x
        count = int((last - first) / step) + 1
        lines = [
            ((min_x, k * min_x + first + i * step), (max_x, k * max_x + first + i * step))
            for i in range(1, count + 1)
        ]
        clipped = geom.intersection(shapely.MultiLineString(lines))
        if clipped.is_empty:
            continue
        if clipped.geom_type == "LineString":
            clipped = shapely.MultiLineString([clipped])
        elif clipped.geom_type != "MultiLineString":  # a collection with touching points
            clipped = shapely.MultiLineString(
                [g for g in getattr(clipped, "geoms", []) if g.geom_type == "LineString"]
            )
        if not clipped.is_empty:
            out.append(
                {
                    "type": "Feature",
                    "properties": {"code": feature["properties"]["code"]},
                    "geometry": _rounded(mapping(clipped)),
                }
            )
    return out


def rows_value(value: float) -> str:
    """A map's figure as the tables print it."""
    return f"{value:,.2f}" if value != int(value) else f"{int(value):,}"


def _spread(colours: tuple[str, ...], n: int) -> list[str]:
    """``n`` of the colours, light to dark, spread over the whole range."""
    if n <= 0:
        return []
    if n == 1:
        return [colours[len(colours) // 2]]
    return [colours[round(i * (len(colours) - 1) / (n - 1))] for i in range(n)]


# -- hotspots ----------------------------------------------------------------------------------
def confidence(q_value: float | None) -> int:
    """The confidence (99, 95 or 90 per cent) left after the false discovery rate
    adjustment of an LSOA the assessment calls hot or cold."""
    if q_value is None or math.isnan(q_value):
        return 90
    return 99 if q_value <= 0.01 else 95 if q_value <= 0.05 else 90


def hotspot_class(classification: str | None, q_value: float | None) -> str:
    if classification not in ("hot", "cold"):
        return "Not significant"
    kind = "Hot spot" if classification == "hot" else "Cold spot"
    return f"{kind}, {confidence(q_value)}% confidence"


def _pattern(pattern: str | None) -> str | None:
    """sfhotspot's category as the legend says it ("Persistent hot spot"), or None."""
    if not pattern or pattern == "no pattern":
        return None
    return pattern.replace("hotspot", "hot spot").replace("coldspot", "cold spot").capitalize()


def _pattern_shape(label: str) -> str:
    return PATTERN_SHAPES.get(label.split()[0].lower(), "square")


def hotspot_map(
    measure_id: str,
    measure_name: str,
    hotspots: dict[str, Any] | None,
    table: ReportTable | None,
    district_code: str,
    ward_names: dict[str, str],
) -> Chart | None:
    """A map of the measure's Gi* hot and cold spots by LSOA.

    Each LSOA is one shape coloured by its class now (hot or cold by confidence, or not
    significant); a symbol on it gives its pattern over the years where the assessment
    found one (persistent, emerging, intermittent, former); the wards are outlined. Only
    the LSOAs the hotspot table lists are coloured. None when no LSOA boundary is shipped
    or the measure has no hot or cold spot.
    """
    if not hotspots or table is None or not table.keys:
        return None
    vintage = hotspots.get("lsoa_vintage")
    lsoas = boundaries(district_code, lsoa_level(vintage))
    if not lsoas:
        return None
    listed = set(table.keys)
    areas = {a["lsoa_code"]: a for a in hotspots.get("areas", []) if a["lsoa_code"] in listed}
    shown, points = [], []
    for f in lsoas:
        code = f["properties"]["code"]
        area = areas.get(code, {})
        props = {
            "code": code,
            "name": f["properties"]["name"],
            "class": hotspot_class(area.get("classification"), area.get("q_value")),
        }
        shown.append({**f, "properties": props})
        pattern = _pattern(area.get("pattern"))
        if pattern:
            points.append(
                {
                    "lon": f["properties"]["lon"],
                    "lat": f["properties"]["lat"],
                    "pattern": pattern,
                }
            )
    present = {p["properties"]["class"] for p in shown}
    layers: list[Any] = [
        _coloured("lsoas", "class", "Gi* now", HOTSPOT_CLASSES, present, 0.3),
        _base("wards").mark_geoshape(filled=False, stroke=charts.BLACK, strokeWidth=0.6),
    ]
    patterns = sorted({p["pattern"] for p in points}, key=_pattern_order)
    if points:
        layers.append(
            _base("patterns")
            .mark_point(filled=False, size=40, color=charts.BLACK, strokeWidth=1.2)
            .encode(
                longitude="lon:Q",
                latitude="lat:Q",
                shape=alt.Shape(
                    "pattern:N",
                    title="Over the years",
                    scale=alt.Scale(domain=patterns, range=[_pattern_shape(p) for p in patterns]),
                    legend=alt.Legend(orient="right"),
                ),
            )
        )
    chart = alt.layer(*layers).properties(
        width=420, height=340, title=f"{measure_name}: hot and cold spots by LSOA"
    )
    ward_outlines = [
        {**f, "properties": {"code": f["properties"]["code"]}}
        for f in boundaries(district_code, "ward")
        if f["properties"]["code"] in ward_names
    ]
    words = _hotspot_words(measure_name, list(areas.values()), len(lsoas), ward_names)
    return _map_chart(
        f"hotspot-map-{measure_id}",
        f"{measure_name}: hot and cold spots by LSOA (Getis–Ord Gi*)",
        words,
        chart,
        {"lsoas": shown, "wards": ward_outlines, "patterns": points},
    )


def _pattern_order(label: str) -> tuple[int, str]:
    order = list(PATTERN_SHAPES)
    first = label.split()[0].lower()
    return (order.index(first) if first in order else len(order), label)


def _hotspot_words(
    measure_name: str, areas: list[dict[str, Any]], n_lsoas: int, ward_names: dict[str, str]
) -> str:
    hot = [a for a in areas if a.get("classification") == "hot"]
    cold = [a for a in areas if a.get("classification") == "cold"]
    words = (
        f"Map of {measure_name} by LSOA (Getis–Ord Gi*, false discovery rate controlled): "
        f"hot spots in {len(hot)} of {n_lsoas} LSOAs"
    )
    if hot:
        places = Counter(a.get("place") or "no place" for a in hot).most_common()
        top_place, n_top = places[0]
        words += f", {n_top} of them in {top_place}"
        wards = Counter(ward_names.get(a.get("ward_code") or "", "no ward") for a in hot)
        words += " (wards: " + "; ".join(f"{w} {n}" for w, n in _ranked(wards)) + ")"
        confident = Counter(confidence(a.get("q_value")) for a in hot)
        words += "; " + ", ".join(
            f"{confident[c]} at {c}% confidence" for c in (99, 95, 90) if confident[c]
        )
    if cold:
        wards = Counter(ward_names.get(a.get("ward_code") or "", "no ward") for a in cold)
        words += f". Cold spots in {len(cold)} LSOA{'' if len(cold) == 1 else 's'} (wards: "
        words += "; ".join(f"{w} {n}" for w, n in _ranked(wards)) + ")."
    else:
        words += ". No cold spot."
    patterns = Counter(p for p in (_pattern(a.get("pattern")) for a in areas) if p)
    if patterns:
        words += (
            " Over the years: "
            + ", ".join(
                f"{n} {p.lower()}{'' if n == 1 else 's'}"
                for p, n in sorted(patterns.items(), key=_by_pattern)
            )
            + "."
        )
    return words


def _ranked(counts: Counter) -> list[tuple[str, int]]:
    return sorted(counts.items(), key=lambda x: (-x[1], x[0]))


def _by_pattern(item: tuple[str, int]) -> tuple[int, str]:
    return _pattern_order(item[0])


# -- profiles --------------------------------------------------------------------------------
def area_map(
    kind: str,
    name: str,
    ward_codes: list[str],
    table: ReportTable,
    district_code: str,
    vintage: int | None,
) -> Chart | None:
    """A profile's map: the LSOAs of the ward or place (best fit), each coloured by how
    many of the priorities' measures it is a hot spot for (from the profile's hotspot
    table), with the ward or the place's wards outlined."""
    vintage = vintage or 2021
    lsoas = boundaries(district_code, lsoa_level(vintage), AREA_TOLERANCE)
    ward_of = lsoa_wards(district_code, vintage)
    inside = set(ward_codes)
    features = [f for f in lsoas if ward_of.get(f["properties"]["code"]) in inside]
    outlines = [
        f
        for f in boundaries(district_code, "ward", AREA_TOLERANCE)
        if f["properties"]["code"] in inside
    ]
    if not features or not outlines:
        return None
    measure_col = table.columns.index("Measure")
    lsoa_col = table.columns.index("LSOA")
    hot: dict[str, list[str]] = {}
    for row in table.rows:
        hot.setdefault(row[lsoa_col], [])
        if row[measure_col] not in hot[row[lsoa_col]]:
            hot[row[lsoa_col]].append(row[measure_col])
    shown = []
    for f in features:
        n = len(hot.get(f["properties"]["code"], []))
        props = {
            "code": f["properties"]["code"],
            "name": f["properties"]["name"],
            "class": AREA_CLASSES[min(n, len(AREA_CLASSES) - 1)][0],
        }
        shown.append({**f, "properties": props})
    present = {f["properties"]["class"] for f in shown}
    chart = alt.layer(
        _coloured("lsoas", "class", "LSOAs", AREA_CLASSES, present, 0.6),
        _base("outline").mark_geoshape(filled=False, stroke=charts.BLACK, strokeWidth=1.5),
    ).properties(width=360, height=300, title=f"{name}: hot spots by LSOA")
    outline = [{**f, "properties": {"code": f["properties"]["code"]}} for f in outlines]
    spots = [f for f in shown if f["properties"]["code"] in hot]
    which = "the ward" if kind == "ward" else f"its {len(outlines)} wards"
    lsoas_word = "LSOA" if len(shown) == 1 else "LSOAs"
    verb = "is a hot spot" if len(spots) == 1 else "are hot spots"
    words = (
        f"Map of the {len(shown)} {lsoas_word} of {name} (best fit), {which} outlined: "
        f"{len(spots)} {verb} for at least one of the priorities' measures"
    )
    if spots:
        spots.sort(key=lambda f: (-len(hot[f["properties"]["code"]]), f["properties"]["name"]))
        listed = [
            f"{f['properties']['name']} ({f['properties']['code']}): "
            + ", ".join(hot[f["properties"]["code"]])
            for f in spots
        ]
        words += ": " + "; ".join(listed)
    words += "."
    return _map_chart(
        f"area-map-{kind}-{charts_slug(name)}",
        f"{name}: hot spots by LSOA",
        words,
        chart,
        {"lsoas": shown, "outline": outline},
    )


def charts_slug(text: str) -> str:
    from sia.config.schema import slugify

    return slugify(text)

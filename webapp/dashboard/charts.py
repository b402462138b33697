"""The dashboard's pictures: the change of each measure, and a ward map linking profiles.

Both are Vega-Lite (Altair) rendered to SVG on the server by vl-convert, as the report's
charts are, each with a text alternative and a table beside it. Every figure comes from the
assessment or the report's context, after its disclosure control: the map colours a ward
only where the report prints its rate.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

import altair as alt

if TYPE_CHECKING:
    from sia.assessment import Assessment
    from sia.report.context import Chart, MeasureSection

#: GOV.UK colours: significant rise, significant fall, no significant change, hidden.
RISE, FALL, STEADY, HIDDEN = "#d4351c", "#00703c", "#505a5f", "#b1b4b6"
_DIRECTION_WORDS = {"up": "Significant rise", "down": "Significant fall"}


#: As the report's charts: Arial, the GOV.UK text colour, no frame.
CONFIG = {
    "font": "Arial, Liberation Sans, Helvetica, sans-serif",
    "axis": {"labelFontSize": 12, "titleFontSize": 12, "labelColor": "#0b0c0c"},
    "legend": {"labelFontSize": 12, "titleFontSize": 12, "labelColor": "#0b0c0c"},
    "title": {"fontSize": 14, "anchor": "start", "color": "#0b0c0c"},
    "view": {"stroke": None},
}


def _chart(chart_id: str, title: str, alt_text: str, spec: dict, aria: bool = False) -> Chart:
    from sia.report.context import Chart

    config = {**CONFIG, "aria": aria}
    return Chart(id=chart_id, title=title, alt=alt_text, spec={**spec, "config": config})


def change_chart(assessment: Assessment) -> Chart | None:
    """Each measure's change on the previous period (per cent), coloured by whether the
    change is significant; measures without a comparison are left out (and said so)."""
    rows = []
    for priority, m in assessment.measures():
        if m.change_ratio is None:
            continue
        rows.append(
            {
                "measure": m.name if len(m.name) <= 48 else m.name[:47] + "…",
                "priority": priority.name,
                "change": round((m.change_ratio - 1) * 100, 1),
                "kind": _DIRECTION_WORDS.get(m.direction or "", "No significant change"),
            }
        )
    if not rows:
        return None
    spec = (
        alt.Chart(alt.Data(values=rows))
        .mark_bar()
        .encode(
            y=alt.Y("measure:N", sort=None, title=None, axis=alt.Axis(labelLimit=320)),
            x=alt.X("change:Q", title="Change on the previous period (%)"),
            color=alt.Color(
                "kind:N",
                title=None,
                scale=alt.Scale(
                    domain=["Significant rise", "Significant fall", "No significant change"],
                    range=[RISE, FALL, STEADY],
                ),
                legend=alt.Legend(orient="bottom"),
            ),
        )
        .properties(width=300, title="Change on the previous period")
    ).to_dict()
    rises = sorted((r for r in rows if r["kind"] == "Significant rise"), key=lambda r: -r["change"])
    falls = sorted((r for r in rows if r["kind"] == "Significant fall"), key=lambda r: r["change"])
    words = [f"Bar chart of the change of {len(rows)} measures on the previous period."]
    for label, found in (("Significant rises", rises), ("Significant falls", falls)):
        if found:
            words.append(
                f"{label}: " + "; ".join(f"{r['measure']} {r['change']:+.1f}%" for r in found) + "."
            )
        else:
            words.append(f"{label}: none.")
    left_out = len(assessment.measures()) - len(rows)
    if left_out:
        words.append(f"{left_out} measures have no comparison and are not shown.")
    return _chart("change", "Change on the previous period", " ".join(words), spec)


@dataclass(frozen=True)
class WardRate:
    """One ward's row of the map's table: its rate as the report prints it."""

    code: str
    name: str
    slug: str
    rate: str  # as printed; "–" when hidden or not known
    hidden: bool


def ward_rates(measure: MeasureSection) -> list[WardRate]:
    """The measure's wards with the rate the report's ward table prints (disclosure
    control applied: a hidden count's rate is hidden too)."""
    from sia.config.schema import slugify

    table = measure.wards
    rate_at = table.columns.index("Rate per 1,000")
    hidden = {key for key, column in table.hidden if column == "Rate per 1,000"}
    return [
        WardRate(code, row[0], slugify(row[0]), row[rate_at], code in hidden)
        for code, row in zip(table.keys, table.rows, strict=True)
    ]


def _number(text: str) -> float | None:
    try:
        return float(text.replace(",", ""))
    except ValueError:
        return None


def ward_map(
    district_code: str, measure: MeasureSection, profile_url: dict[str, str]
) -> tuple[Chart, list[WardRate]] | None:
    """A choropleth of the measure's rate per 1,000 by ward, each ward a link to its profile
    (``profile_url`` by ward code); None when no boundaries are shipped."""
    from sia.report.maps import boundaries, with_hatching

    rates = {r.code: r for r in ward_rates(measure)}
    features, not_shown = [], []
    for f in boundaries(district_code, "ward"):
        r = rates.get(f["properties"]["code"])
        if r is None:
            continue
        if r.hidden:
            not_shown.append(f)
        value = None if r.hidden else _number(r.rate)
        shown = "not shown (small numbers)" if r.hidden else f"{r.rate} per 1,000"
        features.append(
            {
                **f,
                "properties": {
                    "rate": value,
                    "url": profile_url.get(r.code, ""),
                    "label": f"{r.name}: {shown}. Open the ward's profile.",
                },
            }
        )
    if not features:
        return None
    areas = (
        alt.Chart(alt.Data(name="wards"))
        # invalid=None: a ward without a rate is drawn (grey), not left out
        .mark_geoshape(stroke="white", strokeWidth=0.7, invalid=None)
        .encode(
            color=alt.when("datum.properties.rate == null")
            .then(alt.value(HIDDEN))
            .otherwise(
                alt.Color(
                    "properties.rate:Q", title="Rate per 1,000", scale=alt.Scale(scheme="blues")
                )
            ),
            href="properties.url:N",
            description="properties.label:N",
        )
        .project(type="mercator")
    )
    # a ward not shown is hatched as well as grey, so it is told from the scale without colour
    chart, lines = with_hatching(areas, not_shown, features, 380, 320)
    spec = chart.to_dict()
    spec["datasets"] = {**spec.get("datasets", {}), "wards": features}
    if lines:
        spec["datasets"]["hatching"] = lines
    known = sorted(
        ((r.name, _number(r.rate)) for r in rates.values() if not r.hidden and _number(r.rate)),
        key=lambda x: (-x[1], x[0]),
    )
    words = f"Map of {measure.name} per 1,000 residents by ward; each ward links to its profile."
    if known:
        top = "; ".join(f"{n} {v:,.2f}" for n, v in known[:3])
        words += f" Highest: {top}. Lowest: {known[-1][0]} {known[-1][1]:,.2f}."
    hidden = sum(r.hidden for r in rates.values())
    if hidden:
        words += f" {hidden} wards are not shown (small numbers, grey and hatched)."
    # the marks keep their ARIA: each ward is a link named by its description
    chart = _chart(f"ward-map-{measure.id}", f"{measure.name}: rate by ward", words, spec, True)
    return chart, list(rates.values())


#: vl-convert resolves a link against its own base URL; the map's links are the app's paths.
_VEGA_BASE = re.compile(r'xlink:href="https://vega\.github\.io/vega-datasets/+')
_SVG: dict[str, str] = {}


def map_svg(chart: Chart) -> str:
    """The map as inline SVG: each ward a link named by its text (rate and name), the
    picture a group labelled by the text alternative."""
    import vl_convert

    key = hashlib.sha256(json.dumps(chart.spec, sort_keys=True).encode()).hexdigest()
    if key not in _SVG:
        text = vl_convert.vegalite_to_svg(chart.spec)
        text = _VEGA_BASE.sub('xlink:href="/', text)
        if "https://" in text:
            raise ValueError("the map links outside the app: vl-convert's base URL changed")
        label = html.escape(chart.alt, quote=True)
        if len(_SVG) >= 64:  # a map per measure is plenty
            _SVG.clear()
        _SVG[key] = responsive(text.replace("<svg ", f'<svg role="group" aria-label="{label}" ', 1))
    return _SVG[key]


def responsive(svg: str) -> str:
    """The SVG shrunk to the width of a phone's screen (its viewBox keeps the drawing)."""
    return svg.replace("<svg ", '<svg style="max-width: 100%; height: auto" ', 1)

"""The report's pictures as Vega-Lite specs (Altair), rendered offline with vl-convert.

Each builder returns a :class:`~sia.report.context.Chart`: the spec and a text alternative
that says in words what the picture shows. :func:`svg` and :func:`png` render a chart
(cached by chart, so the HTML, PDF and profiles share one rendering); nothing is fetched
from the network: vl-convert carries the Vega runtime itself.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from datetime import date
from functools import cache
from typing import TYPE_CHECKING, Any

import altair as alt
import pandas as pd

if TYPE_CHECKING:
    from sia.assessment import MeasureResult
    from sia.config import Partnership
    from sia.insight.summary import ReachRow
    from sia.report.context import Chart
    from sia.report.disclosure import Policy, Series

#: GOV.UK Design System colours.
BLUE = "#1d70b8"
DARK_BLUE = "#003078"
ORANGE = "#f47738"
GREY = "#b1b4b6"
BLACK = "#0b0c0c"
FONT = "Arial, Liberation Sans, Helvetica, sans-serif"

_CONFIG = {
    # no ARIA on the marks: the picture is one image whose label is the text alternative
    "aria": False,
    "font": FONT,
    "axis": {"labelFontSize": 12, "titleFontSize": 12, "labelColor": BLACK, "titleColor": BLACK},
    "legend": {"labelFontSize": 12, "titleFontSize": 12},
    "title": {"fontSize": 14, "anchor": "start", "color": BLACK},
    "view": {"stroke": None},
}


def _chart(
    chart_id: str,
    title: str,
    alt_text: str,
    spec: alt.TopLevelMixin,
    datasets: dict[str, list] | None = None,
) -> Chart:
    """``datasets`` are added to the spec after Altair has built it (Altair copies inline
    data deeply, which is slow for boundaries): the spec names them with ``alt.Data(name=)``.
    """
    from sia.report.context import Chart

    data = spec.to_dict(validate=False)
    if datasets:
        data["datasets"] = {**data.get("datasets", {}), **datasets}
    data["config"] = {**data.get("config", {}), **_CONFIG}
    return Chart(id=chart_id, title=title, alt=alt_text, spec=data)


def _key(chart: Chart) -> str:
    return hashlib.sha256(json.dumps(chart.spec, sort_keys=True).encode()).hexdigest()


_SVG: dict[str, str] = {}
_ARIA = re.compile(r'\s(?:role|aria-roledescription|aria-label|aria-hidden)="[^"]*"')
_PNG: dict[str, bytes] = {}
_PATH = re.compile(r' d="([^"]*)"')
_DIGITS = re.compile(r"(\.\d)\d+")
#: The scale of every PNG (twice the SVG's size: sharp in print), one rendering shared by
#: the PDF and the Word file.
PNG_SCALE = 2.0


@cache
def _vl_convert():
    """vl-convert, with the shipped Liberation Sans registered for PNG rendering."""
    from importlib import resources

    import vl_convert as vlc

    vlc.register_font_directory(str(resources.files("sia.report").joinpath("static", "fonts")))
    return vlc


def svg(chart: Chart) -> str:
    """The chart as an SVG document (text), labelled for assistive technology."""
    vlc = _vl_convert()

    key = _key(chart)
    if key not in _SVG:
        text = vlc.vegalite_to_svg(chart.spec)
        # the marks' own ARIA roles would each need a label: the picture is one image
        text = _ARIA.sub("", text)
        text = _compact(text)
        # role and label on the root element; the figure's caption carries the same words
        text = text.replace(
            "<svg ",
            f'<svg role="img" aria-label="{_escape(chart.alt)}" ',
            1,
        )
        _SVG[key] = text
    return _SVG[key]


def _compact(text: str) -> str:
    """Path coordinates to a tenth of a pixel (Vega writes thousandths, a third of a map's
    SVG), and no identity transforms."""
    text = _PATH.sub(lambda m: ' d="' + _DIGITS.sub(r"\1", m.group(1)) + '"', text)
    return text.replace(' transform="translate(0,0)"', "")


def png(chart: Chart, scale: float = PNG_SCALE) -> bytes:
    """The chart as a PNG image (the PDF and Word), from its SVG."""
    vlc = _vl_convert()

    key = f"{_key(chart)}-{scale}"
    if key not in _PNG:
        _PNG[key] = vlc.svg_to_png(svg(chart), scale=scale)
    return _PNG[key]


def _escape(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")
    )


# -- charts -----------------------------------------------------------------------------------
def trend_chart(
    m: MeasureResult,
    series: list[tuple[date, int]],
    disclosed: Series | None = None,
    policy: Policy | None = None,
) -> Chart | None:
    """Monthly counts with the control chart's centre line and limits, special causes
    marked. A sensitive measure's series comes ``disclosed`` (see
    :func:`sia.report.disclosure.disclose_series`): :func:`disclosed_trend_chart`."""
    if disclosed is not None and policy is not None:
        return disclosed_trend_chart(m, disclosed, policy)
    if len(series) < 2:
        return None
    special = {c.month: c.status for c in m.spc.special_causes}
    frame = pd.DataFrame(
        {
            "month": [d.isoformat() for d, _ in series],
            "count": [n for _, n in series],
            "signal": [_signal(special.get(f"{d.year:04d}-{d.month:02d}")) for d, _ in series],
        }
    )
    base = alt.Chart(frame).encode(
        x=alt.X("month:T", title=None, axis=alt.Axis(format="%b %Y", labelAngle=0, tickCount=6))
    )
    line = base.mark_line(color=DARK_BLUE, strokeWidth=1.5).encode(
        y=alt.Y("count:Q", title="Events a month")
    )
    points = base.mark_point(filled=True, size=30).encode(
        y="count:Q",
        color=alt.Color(
            "signal:N",
            title="Month",
            scale=alt.Scale(
                domain=[
                    "common cause",
                    "special cause: concern",
                    "special cause: improvement",
                    "special cause: neither",
                ],
                range=[GREY, ORANGE, BLUE, BLACK],
            ),
            legend=alt.Legend(orient="bottom"),
        ),
        shape=alt.Shape(
            "signal:N",
            scale=alt.Scale(
                domain=[
                    "common cause",
                    "special cause: concern",
                    "special cause: improvement",
                    "special cause: neither",
                ],
                range=["circle", "triangle-up", "square", "diamond"],
            ),
            title="Month",
        ),
    )
    layers: list[Any] = [line, points]
    spc = m.spc
    limits = []
    if spc.chart == "xmr" and spc.centre is not None:
        rules = pd.DataFrame(
            {
                "value": [spc.centre, spc.lower_limit, spc.upper_limit],
                "line": ["mean", "lower limit", "upper limit"],
            }
        ).dropna()
        limits = rules["value"].tolist()
        layers.insert(
            0,
            alt.Chart(rules)
            .mark_rule(color=BLACK, strokeDash=[4, 3], strokeWidth=1)
            .encode(y="value:Q"),
        )
    chart = alt.layer(*layers).properties(width=560, height=200, title=f"{m.name}: monthly")
    counts = [n for _, n in series]
    first, last = series[0][0], series[-1][0]
    words = (
        f"Line chart of {m.name} each month from {first:%B %Y} to {last:%B %Y}: "
        f"from {min(counts):,} to {max(counts):,} a month, {counts[-1]:,} in the latest month."
    )
    if spc.chart == "xmr" and spc.centre is not None:
        words += (
            f" Mean {spc.centre:,.1f}; control limits {_fmt(spc.lower_limit)} to "
            f"{_fmt(spc.upper_limit)}."
        )
    n_special = sum(1 for c in m.spc.special_causes)
    words += (
        f" {n_special} months show a special cause; the latest month is "
        f"{spc.latest_status or 'not classified'}."
    )
    del limits
    return _chart(f"trend-{m.id}", f"{m.name}: monthly counts and control limits", words, chart)


_SIGNALS = [
    "common cause",
    "special cause: concern",
    "special cause: improvement",
    "special cause: neither",
]


def disclosed_trend_chart(m: MeasureResult, series: Series, policy: Policy) -> Chart | None:
    """The trend chart of a sensitive measure: a hidden month (or three-month block) is
    drawn as a grey bar over the range it may lie in (1 to ``threshold - 1``, or the foot
    of the axis when hidden so that another cannot be worked out), with no value, no
    signal and no mention of its count in the text alternative. The control chart's mean
    and limits are drawn for a monthly series only (they are of monthly counts)."""
    points = series.points
    if len(points) < 2:
        return None
    monthly = series.grain == "month"
    special = {c.month: c.status for c in m.spc.special_causes} if monthly else {}
    small = f"1 to {policy.threshold - 1} (not shown)"
    other = "hidden ([c])"
    shown = pd.DataFrame(
        [
            {
                "month": p.first.isoformat(),
                "count": p.cell.published,
                "signal": _signal(special.get(f"{p.first.year:04d}-{p.first.month:02d}")),
            }
            for p in points
        ]
    )
    hidden = pd.DataFrame(
        [
            {
                "month": p.first.isoformat(),
                "low": 1 if p.cell.status == "primary" else 0,
                "high": policy.threshold - 1 if p.cell.status == "primary" else 0.4,
                "kind": small if p.cell.status == "primary" else other,
            }
            for p in points
            if p.cell.suppressed
        ],
        columns=["month", "low", "high", "kind"],
    )
    unit = "month" if monthly else "three months"
    x = alt.X("month:T", title=None, axis=alt.Axis(format="%b %Y", labelAngle=0, tickCount=6))
    base = alt.Chart(shown[shown["count"].notna()]).encode(x=x)
    # the line breaks at a hidden point (a null count is left out, not joined across)
    layers: list[Any] = [
        alt.Chart(shown)
        .mark_line(color=DARK_BLUE, strokeWidth=1.5)
        .encode(x=x, y=alt.Y("count:Q", title=f"Events in {'a' if monthly else 'the'} {unit}")),
        base.mark_point(filled=True, size=30).encode(
            y="count:Q",
            color=alt.Color(
                "signal:N",
                title="Month",
                scale=alt.Scale(domain=_SIGNALS, range=[GREY, ORANGE, BLUE, BLACK]),
                legend=alt.Legend(orient="bottom"),
            ),
        )
        if monthly
        else base.mark_point(filled=True, size=30, color=DARK_BLUE).encode(y="count:Q"),
    ]
    if not hidden.empty:
        layers.append(
            alt.Chart(hidden)
            .mark_rule(strokeWidth=5, opacity=0.8)
            .encode(
                x=x,
                y="low:Q",
                y2="high:Q",
                color=alt.Color(
                    "kind:N",
                    title="Hidden",
                    scale=alt.Scale(domain=[small, other], range=[GREY, BLACK]),
                    legend=alt.Legend(orient="bottom"),
                ),
            )
        )
    spc = m.spc
    if monthly and spc.chart == "xmr" and spc.centre is not None:
        rules = pd.DataFrame({"value": [spc.centre, spc.lower_limit, spc.upper_limit]}).dropna()
        layers.insert(
            0,
            alt.Chart(rules)
            .mark_rule(color=BLACK, strokeDash=[4, 3], strokeWidth=1)
            .encode(y="value:Q"),
        )
    title = f"{m.name}: {'monthly' if monthly else 'every three months'}"
    chart = (
        alt.layer(*layers)
        .resolve_scale(color="independent")
        .properties(width=560, height=200, title=title)
    )
    visible = [p.cell.published for p in points if not p.cell.suppressed]
    n_small = sum(1 for p in points if p.cell.status == "primary")
    n_other = sum(1 for p in points if p.cell.status == "secondary")
    first, last = points[0], points[-1]
    span = (
        f"each month from {first.first:%B %Y} to {last.last:%B %Y}"
        if monthly
        else f"every three months from {first.first:%B %Y} to {last.last:%B %Y}"
    )
    words = f"Line chart of {m.name} {span}"
    if visible:
        lowest = f"fewer than {policy.threshold}" if n_small else f"{min(visible):,}"
        words += f": from {lowest} to {max(visible):,} in {'a' if monthly else 'the'} {unit}"
    else:
        words += ": every count is hidden"
    latest = last.cell
    words += (
        f", {latest.published:,} in the latest {unit}."
        if not latest.suppressed
        else f"; the latest {unit} not shown."
    )
    if n_small:
        words += (
            f" Sensitive measure: {n_small} {'months' if monthly else 'blocks'} with from 1 "
            f"to {policy.threshold - 1} are grey bars without their count"
        )
        words += (
            f", and {n_other} more are hidden so that none can be worked out." if n_other else "."
        )
    if monthly and spc.chart == "xmr" and spc.centre is not None:
        words += (
            f" Mean {spc.centre:,.1f}; control limits {_fmt(spc.lower_limit)} to "
            f"{_fmt(spc.upper_limit)}."
        )
        shown_special = sum(
            1
            for p in points
            if not p.cell.suppressed and special.get(f"{p.first.year:04d}-{p.first.month:02d}")
        )
        words += f" Special causes in {shown_special} of the months shown."
    elif not monthly:
        words += (
            " Too many months are small to publish them: the counts are given in blocks of "
            "three months, and the control chart of monthly counts is not drawn."
        )
    caption = (
        f"{m.name}: monthly counts and control limits"
        if monthly
        else f"{m.name}: counts every three months"
    )
    return _chart(f"trend-{m.id}", caption, words, chart)


def _signal(status: str | None) -> str:
    if not status:
        return "common cause"
    if "concern" in status:
        return "special cause: concern"
    if "improvement" in status:
        return "special cause: improvement"
    return "special cause: neither"


def _fmt(x: float | None) -> str:
    return "–" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:,.1f}"


def reach_chart(reach: list[ReachRow]) -> Chart | None:
    """The reach table as a grouped bar chart: individuals and groups by place."""
    if not reach:
        return None
    rows = []
    for r in reach:
        rows.append({"place": r.place, "who": "Individuals", "n": r.individuals})
        rows.append({"place": r.place, "who": "Groups", "n": r.groups})
    frame = pd.DataFrame(rows)
    chart = (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            y=alt.Y("place:N", title=None),
            yOffset="who:N",
            x=alt.X("n:Q", title="Engaged"),
            color=alt.Color(
                "who:N",
                title=None,
                scale=alt.Scale(range=[DARK_BLUE, ORANGE]),
                legend=alt.Legend(orient="bottom"),
            ),
        )
        .properties(width=480, height=40 * len(reach), title="Reach by place")
    )
    words = (
        "Bar chart of people engaged by place: "
        + "; ".join(
            f"{r.place} {r.individuals:,} individuals and {r.groups:,} groups" for r in reach
        )
        + "."
    )
    return _chart("reach", "Reach of community engagement by place", words, chart)


def network_chart(partnership: Partnership, links: list[tuple[str, str, int]]) -> Chart:
    """Themes in an inner ring, their priorities around them, and the priorities raised
    together in the insight joined by lines."""
    themes = partnership.themes
    priorities = partnership.priorities
    nodes, edges = [], []
    pos: dict[str, tuple[float, float]] = {}
    for i, t in enumerate(themes):
        angle = 2 * math.pi * (i + 0.5) / len(themes)
        pos[f"t:{t.id}"] = (0.45 * math.cos(angle), 0.45 * math.sin(angle))
        nodes.append(
            {"x": pos[f"t:{t.id}"][0], "y": pos[f"t:{t.id}"][1], "label": t.name, "kind": "Theme"}
        )
    for j, p in enumerate(priorities):
        angle = 2 * math.pi * (j + 0.5) / len(priorities)
        pos[p.id] = (1.2 * math.cos(angle), 1.2 * math.sin(angle))
        nodes.append({"x": pos[p.id][0], "y": pos[p.id][1], "label": p.name, "kind": "Priority"})
        (x1, y1), (x2, y2) = pos[f"t:{p.theme}"], pos[p.id]
        edges.append({"x": x1, "y": y1, "x2": x2, "y2": y2, "kind": "in theme", "w": 1})
    for a, b, n in links:
        if a in pos and b in pos:
            (x1, y1), (x2, y2) = pos[a], pos[b]
            edges.append({"x": x1, "y": y1, "x2": x2, "y2": y2, "kind": "linked", "w": n})
    scale = alt.Scale(domain=[-1.9, 1.9])
    e = (
        alt.Chart(pd.DataFrame(edges))
        .mark_rule()
        .encode(
            x=alt.X("x:Q", scale=scale, axis=None),
            y=alt.Y("y:Q", scale=scale, axis=None),
            x2="x2:Q",
            y2="y2:Q",
            color=alt.Color(
                "kind:N",
                title="Link",
                scale=alt.Scale(domain=["in theme", "linked"], range=[GREY, ORANGE]),
                legend=alt.Legend(orient="bottom"),
            ),
            strokeWidth=alt.StrokeWidth("w:Q", legend=None, scale=alt.Scale(range=[1, 4])),
        )
    )
    frame = pd.DataFrame(nodes)
    n = (
        alt.Chart(frame)
        .mark_circle(size=120)
        .encode(
            x=alt.X("x:Q", scale=scale, axis=None),
            y=alt.Y("y:Q", scale=scale, axis=None),
            color=alt.Color(
                "kind:N",
                title="Node",
                scale=alt.Scale(domain=["Theme", "Priority"], range=[DARK_BLUE, BLUE]),
                legend=alt.Legend(orient="bottom"),
            ),
        )
    )
    labels = (
        alt.Chart(frame)
        .mark_text(dy=-10, fontSize=10, color=BLACK)
        .encode(x=alt.X("x:Q", scale=scale), y=alt.Y("y:Q", scale=scale), text="label:N")
    )
    chart = alt.layer(e, n, labels).properties(
        width=560, height=520, title="Priorities, themes and links"
    )
    words = (
        f"Network of {len(themes)} themes and {len(priorities)} priorities: "
        + "; ".join(
            f"{t.name}: " + ", ".join(p.name for p in priorities if p.theme == t.id) for t in themes
        )
        + "."
    )
    if links:
        words += (
            " Raised together in the insight: "
            + "; ".join(f"{a} and {b} ({k:,} records)" for a, b, k in links[:10])
            + "."
        )
    return _chart("network", "Cross-cutting network of priorities and themes", words, chart)

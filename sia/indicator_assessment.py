"""Partner indicators in the assessment: each indicator's value in the period and the period
before, the change and, where the unit allows it, a test of it.

An indicator (``indicators:`` in the partnership configuration, loaded by ``sia ingest
indicator`` into ``indicator_values``) is a figure a partner supplies per period and area.
A figure belongs to the assessment period when its own period ends in it (a quarter, a
month, a survey year), and likewise to the previous period, so each figure counts once.
Figures are taken at one area level, the coarsest the indicator is given at in the two
periods (a district figure when there is one, else the places', else the wards' or LSOAs'),
so nothing is counted twice.

By unit:

``count``
    The figures of each period are summed; the change is tested with the exact conditional
    Poisson test (:class:`sia.analysis.change.PoissonChange`), the exposure being the days
    each period's figures cover.
``percentage``, ``proportion``
    When every figure has its base (``denominator``: the survey's respondents, the cohort)
    the figures are pooled (successes = value × base) and the change is tested with the
    two-proportion z-test (``statsmodels.stats.proportion.proportions_ztest``). Without a
    base no significance is claimed.
``rate``, ``score`` (and a percentage without its base)
    The latest figure of each period (the mean of the areas' latest figures when there are
    several, unweighted); no significance is claimed.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

from sia.analysis.change import PoissonChange
from sia.months import month_end

if TYPE_CHECKING:
    from sia.config import Indicator, Partnership
    from sia.warehouse import Warehouse

#: Area levels from the coarsest.
LEVELS = ("district", "place", "ward", "lsoa")
#: How each unit's change is tested.
TESTS = {"count": "exact-poisson", "share": "two-proportion-z"}

_QUERY = """
SELECT indicator_id, period_start, period_end, area_type, area_code, value, denominator
FROM indicator_values
WHERE period_end BETWEEN ? AND ?
ORDER BY indicator_id, period_end, area_code
"""


class IndicatorResult(BaseModel):
    """One indicator's figures in the assessment (``priorities[].indicators[]``)."""

    model_config = ConfigDict(extra="forbid")

    id: str
    name: str
    owner: str
    source: str = "indicator"
    unit: str
    polarity: str
    sensitive: bool
    area_level: str | None = Field(
        default=None, description="The level the figures are taken at (district, place...)"
    )
    value: float | None = None
    previous_value: float | None = None
    base: float | None = None
    previous_base: float | None = None
    figures: int = 0
    previous_figures: int = 0
    latest: str | None = Field(default=None, description="The latest figure's period")
    change: float | None = Field(default=None, description="value - previous_value")
    change_ratio: float | None = None
    test: str | None = Field(default=None, description="exact-poisson, two-proportion-z or none")
    p_value: float | None = None
    direction: str | None = Field(
        default=None, description="up, down, stable or too-few; None when nothing is tested"
    )
    note: str | None = None
    notes: list[str] = Field(default_factory=list)


def _days(rows: list[dict[str, Any]]) -> int:
    spans = {(r["period_start"], r["period_end"]) for r in rows}
    return sum((end - start).days + 1 for start, end in spans)


def _latest_values(rows: list[dict[str, Any]]) -> list[float]:
    """The latest figure of each area."""
    latest: dict[str, dict[str, Any]] = {}
    for r in rows:
        if r["area_code"] not in latest or r["period_end"] >= latest[r["area_code"]]["period_end"]:
            latest[r["area_code"]] = r
    return [float(r["value"]) for r in latest.values()]


def _span(rows: list[dict[str, Any]]) -> str | None:
    if not rows:
        return None
    last = max(rows, key=lambda r: r["period_end"])
    return f"{last['period_start']:%d %b %Y} to {last['period_end']:%d %b %Y}"


def assess_indicator(
    indicator: Indicator,
    now: list[dict[str, Any]],
    before: list[dict[str, Any]],
    alpha: float,
) -> IndicatorResult:
    """One indicator from its figures (rows of ``indicator_values``) ending in the period
    (``now``) and in the previous period (``before``)."""
    unit = str(indicator.unit)
    result: dict[str, Any] = {
        "id": indicator.id,
        "name": indicator.name,
        "owner": indicator.owner,
        "unit": unit,
        "polarity": str(indicator.polarity),
        "sensitive": indicator.sensitive,
        "note": indicator.note,
    }
    levels = {r["area_type"] for r in now + before}
    if not levels:
        return IndicatorResult(**result, notes=["no figures loaded for the period"])
    level = next(x for x in LEVELS if x in levels)
    now = [r for r in now if r["area_type"] == level]
    before = [r for r in before if r["area_type"] == level]
    notes: list[str] = []
    if len({r["area_type"] for r in now + before}) != len(levels):
        notes.append(f"taken at {level} level, the coarsest the figures are given at")
    result.update(
        area_level=level, figures=len(now), previous_figures=len(before), latest=_span(now)
    )
    if not now:
        notes.append("no figure ends in the period")
    if not before:
        notes.append("no figure ends in the previous period: no change is given")

    if unit == "count":
        value = sum(float(r["value"]) for r in now) if now else None
        previous = sum(float(r["value"]) for r in before) if before else None
        result.update(value=value, previous_value=previous)
        whole = all(float(r["value"]).is_integer() and r["value"] >= 0 for r in now + before)
        if value is not None and previous is not None:
            result["change"] = value - previous
            if not whole:
                notes.append("not whole counts: no significance is claimed")
            else:
                test = PoissonChange(
                    int(value),
                    int(previous),
                    exposure_ratio=_days(now) / _days(before),
                    alpha=alpha,
                )
                result.update(
                    change_ratio=None if test.ratio != test.ratio else _finite(test.ratio),
                    test=TESTS["count"],
                    p_value=float(test.p_value),
                    direction=test.direction,
                )
        return IndicatorResult(**result, notes=notes)

    scale = 100.0 if unit == "percentage" else 1.0
    pooled = unit in ("percentage", "proportion") and all(
        r["denominator"] is not None for r in now + before
    )
    if pooled and now and before:
        from statsmodels.stats.proportion import proportions_ztest

        def pool(rows: list[dict[str, Any]]) -> tuple[float, float]:
            successes = sum(float(r["value"]) / scale * float(r["denominator"]) for r in rows)
            return successes, sum(float(r["denominator"]) for r in rows)

        (s1, n1), (s0, n0) = pool(now), pool(before)
        value, previous = s1 / n1 * scale, s0 / n0 * scale
        _, p = proportions_ztest([round(s1), round(s0)], [round(n1), round(n0)])
        p = float(p)
        direction = "stable"
        if p <= alpha:
            direction = "up" if value > previous else "down"
        result.update(
            value=value,
            previous_value=previous,
            base=n1,
            previous_base=n0,
            change=value - previous,
            test=TESTS["share"],
            p_value=p,
            direction=direction,
        )
        if len({r["area_code"] for r in now}) > 1:
            notes.append(f"pooled over {len({r['area_code'] for r in now})} areas by their bases")
        return IndicatorResult(**result, notes=notes)

    def latest(rows: list[dict[str, Any]]) -> float | None:
        values = _latest_values(rows)
        return sum(values) / len(values) if values else None

    value, previous = latest(now), latest(before)
    result.update(value=value, previous_value=previous)
    if value is not None and previous is not None:
        result["change"] = value - previous
    if len({r["area_code"] for r in now}) > 1:
        notes.append("the unweighted mean of the areas' latest figures")
    if unit in ("percentage", "proportion"):
        notes.append("no base (denominator) for every figure: no significance is claimed")
    else:
        notes.append(f"a {unit}: no significance is claimed")
    return IndicatorResult(**result, notes=notes)


def _finite(x: float) -> float | None:
    return None if x in (float("inf"), float("-inf")) else float(x)


def indicator_results(
    wh: Warehouse,
    partnership: Partnership,
    period: tuple[date, date],
    previous: tuple[date, date],
    alpha: float,
) -> dict[str, list[IndicatorResult]]:
    """{priority id: its indicators' results}, in the configuration's order."""
    import duckdb

    try:
        rows = wh.rows(_QUERY, [previous[0], month_end(period[1])])
    except duckdb.CatalogException:  # a warehouse made before indicators were loaded
        rows = []
    by_id: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        by_id.setdefault(r["indicator_id"], []).append(r)
    found: dict[str, list[IndicatorResult]] = {}
    for indicator in partnership.indicators:
        figures = by_id.get(indicator.id, [])
        now = [r for r in figures if period[0] <= r["period_end"] <= month_end(period[1])]
        before = [r for r in figures if previous[0] <= r["period_end"] <= month_end(previous[1])]
        found.setdefault(indicator.priority, []).append(
            assess_indicator(indicator, now, before, alpha)
        )
    return found

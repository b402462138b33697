"""One Assessment for one period: every figure the SIA needs, from the warehouse alone.

:func:`build_assessment` counts each measure of the partnership over the period and the
period before it (through the portable Ibis queries of :mod:`sia.queries`), tests the
change (:class:`~sia.analysis.change.PoissonChange`), fits the long-term trend
(:class:`~sia.analysis.trends.PoissonTrend`), charts the monthly series
(:class:`~sia.analysis.spc.XmR`), gives rates per 1,000 residents, breaks the counts down
by place and ward, and reports the quality of the data behind them: months missing from
a source, possibly partial months, rows without a location and late loads. Nothing is
silently filled: a measure whose source has no data has a ``count`` of ``None``, never 0.

:func:`store_assessment` keeps the document and its per-measure figures in the warehouse
(tables ``assessments`` and ``assessment_measures``); :func:`latest_assessment` reads the
newest back. The fields and rules are described in ``docs/assessment.md``.

Examples
--------
>>> from sia.config import load_partnership
>>> from sia.warehouse import Warehouse
>>> partnership = load_partnership("city-of-london")
>>> wh = Warehouse.open(partnership, "sia-data")  # doctest: +SKIP
>>> assessment = build_assessment(wh, partnership)  # doctest: +SKIP
>>> assessment.period.start, assessment.period.end  # doctest: +SKIP
(datetime.date(2021, 1, 1), datetime.date(2021, 12, 1))
>>> store_assessment(wh, assessment)  # doctest: +SKIP
1
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import pyarrow as pa
from pydantic import BaseModel, ConfigDict, Field

from sia.analysis.change import PoissonChange
from sia.analysis.spc import XmR
from sia.analysis.trends import PoissonTrend
from sia.config import Measure, Partnership
from sia.indicator_assessment import IndicatorResult, indicator_results
from sia.months import Period, add_months, month_end, month_range, months_between
from sia.queries import (
    AREA_COLUMNS,
    area_counts,
    connect_duckdb,
    events_table,
    label_counts,
    load_spans,
    location_counts,
    source_month_counts,
)

if TYPE_CHECKING:
    from sia.warehouse import Warehouse

__all__ = [
    "ASSESSMENT_VERSION",
    "LATE_LOAD_MONTHS",
    "PARTIAL_SHARE",
    "PARTIAL_WINDOW",
    "SUMMARY_COLUMNS",
    "TOP_LOCATIONS",
    "AreaResult",
    "Assessment",
    "AssessmentError",
    "DataQuality",
    "DataQualityIssue",
    "IndicatorResult",
    "LocationCount",
    "MeasureResult",
    "Period",
    "PeriodError",
    "PriorityResult",
    "SourceCoverage",
    "SpcResult",
    "SpecialCause",
    "TrendResult",
    "UnderreportingResult",
    "assess_cli",
    "build_assessment",
    "config_hash",
    "latest_assessment",
    "parse_period",
    "render_summary",
    "store_assessment",
]

#: The shape of the JSON document; raised whenever a field changes meaning or goes.
ASSESSMENT_VERSION = 1

#: A month is "possibly partial" when its count is below this share of the median of the
#: surrounding months (``PARTIAL_WINDOW`` before and after it, where the source has them).
PARTIAL_SHARE = 0.5
PARTIAL_WINDOW = 6

#: A load is "late" when its newest month is more than this many months older than the
#: newest month its source already had when it was loaded (a backfill); a source is
#: "stale" when its newest month is more than this many months before the period's end.
LATE_LOAD_MONTHS = 2

HARM_NOTE = (
    "Counts weighted by the ONS Crime Severity Score: force extract offence codes exactly, "
    "police.uk crime types by the median weight of their codes (an approximation); other "
    "sources have no weights."
)
HOTSPOTS_NOTE = (
    "Getis-Ord Gi* of each measure's rate per 1,000 residents over the district's LSOAs "
    "(queen contiguity, Benjamini-Hochberg control at the significance level); patterns "
    "over the yearly periods of the history as sfhotspot classifies them. Only LSOAs "
    "found hot or cold are listed."
)

#: How many locations (streets) each measure lists in ``top_locations``.
TOP_LOCATIONS = 10

UNDERREPORTING_NOTE = (
    "Recorded crimes against the number expected if the district matched national survey "
    "prevalence and reporting to the police (Crime Survey for England and Wales): "
    "expected = population × prevalence × incidents per victim × reporting rate × years, "
    "the population being residents aged 16+ for a survey share of adults, or residents of "
    "all ages for a national number per resident (national_count ÷ national_population). "
    "The interval is the exact Poisson interval of the recorded count ÷ expected; it leaves "
    "out the survey's own sampling error. Modelled, not measured: read it with its "
    "assumption."
)

#: The columns of :meth:`Assessment.summary_rows`, in order.
SUMMARY_COLUMNS = (
    "priority",
    "measure",
    "count",
    "previous",
    "change",
    "direction",
    "trend",
    "spc",
)


class AssessmentError(Exception):
    """An assessment cannot be built as asked (no data, or a period with no months)."""


class PeriodError(ValueError):
    """A ``--period`` text that is not ``YYYY-MM:YYYY-MM``; the message names the bad part."""


# -- the typed document ----------------------------------------------------------------------
class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TrendResult(_Model):
    method: str = "poisson-regression"
    annual_change: float | None = None
    ci: list[float | None] | None = None
    p_value: float | None = None
    direction: str
    months: int = 0
    model: str | None = None


class SpecialCause(_Model):
    month: str
    rule: str
    status: str


class SpcResult(_Model):
    chart: str | None = None
    months: int = 0
    centre: float | None = None
    lower_limit: float | None = None
    upper_limit: float | None = None
    variation_icon: str | None = None
    assurance_icon: str | None = None
    latest_month: str | None = None
    latest_status: str | None = None
    special_cause_months: list[str] = Field(default_factory=list)
    special_causes: list[SpecialCause] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)


class AreaResult(_Model):
    code: str
    name: str
    count: int | None
    previous_count: int | None
    rate: float | None
    direction: str | None
    rate_rank: int | None = None
    harm: float | None = None
    harm_rate: float | None = None
    harm_rank: int | None = None


class LocationCount(_Model):
    """One location (street) of a measure in the period: ``name`` without police.uk's
    "On or near " prefix, its ``place`` (None outside any ward), the events there and
    their share of the measure's events that have a location."""

    name: str
    place: str | None
    count: int
    share: float


class UnderreportingResult(_Model):
    """Recorded against expected from national survey rates
    (:class:`sia.analysis.underreporting.ExpectedRecording`)."""

    topic: str
    recorded: int
    years: float
    expected: float
    ratio: float | None
    ratio_ci: list[float | None]
    far_below_expected: bool
    threshold: float
    population_16_plus: float
    population_year: int
    population_source: str
    population_base: str = "residents aged 16 and over"
    population: float | None = None
    prevalence: float
    prevalence_source: str
    national_count: float | None = None
    national_population: float | None = None
    reporting_rate: float
    reporting_source: str
    incidents_per_victim: float
    source: str
    assumption: str
    note: str = UNDERREPORTING_NOTE


class HarmResult(_Model):
    """Harm of a measure in the period against the previous one (sia.analysis.harm)."""

    method: str
    total: float
    previous_total: float
    harm_ratio: float | None
    count_ratio: float | None
    z: float
    p_value: float
    rising_in_falling_total: bool
    top_codes: list[str]
    top_share: float | None
    unweighted: list[str] = Field(default_factory=list)


class MeasureResult(_Model):
    id: str
    name: str
    source: str
    sensitive: bool
    polarity: str
    count: int | None
    previous_count: int | None
    rate: float | None
    rate_per: int = 1000
    population: float | None = None
    change_ratio: float | None = None
    change_ci: list[float | None] | None = None
    change_p_value: float | None = None
    direction: str | None = None
    trend: TrendResult
    spc: SpcResult
    harm: HarmResult | None = None
    harm_note: str = HARM_NOTE
    deprivation: dict[str, Any] | None = None
    repeats: dict[str, Any] | None = None
    against_parent: dict[str, Any] | None = None
    by_place: list[AreaResult] = Field(default_factory=list)
    by_ward: list[AreaResult] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    top_locations: list[LocationCount] | None = None
    underreporting: UnderreportingResult | None = None


class PriorityResult(_Model):
    id: str
    name: str
    theme: str
    statutory_duties: list[str]
    owning_partnership: str | None
    measures: list[MeasureResult]
    indicators: list[IndicatorResult] = Field(default_factory=list)


class SourceCoverage(_Model):
    source: str
    first_month: date
    last_month: date
    months_with_data: int
    events: int
    period_events: int
    period_without_location: int
    loads: list[int]


class DataQualityIssue(_Model):
    source: str
    kind: str
    months: list[str] = Field(default_factory=list)
    figures: dict[str, Any] = Field(default_factory=dict)
    message: str


class DataQuality(_Model):
    rules: dict[str, str]
    sources: list[SourceCoverage]
    issues: list[DataQualityIssue]


class Assessment(_Model):
    """Every figure of one assessment; what every renderer reads."""

    version: int = ASSESSMENT_VERSION
    created_at: datetime
    partnership: str
    partnership_name: str
    district_code: str
    config_hash: str
    significance_level: float
    loads: list[int]
    period: Period
    previous_period: Period
    priorities: list[PriorityResult]
    hotspots: list[dict[str, Any]] = Field(default_factory=list)
    hotspots_note: str = HOTSPOTS_NOTE
    data_quality: DataQuality

    def to_json(self, indent: int | None = 2) -> str:
        """The document as JSON (what ``sia assess --json`` prints and the warehouse keeps)."""
        return self.model_dump_json(indent=indent)

    def measures(self) -> list[tuple[PriorityResult, MeasureResult]]:
        return [(p, m) for p in self.priorities for m in p.measures]

    def summary_rows(self) -> list[dict[str, str]]:
        """One row per measure, as text, keyed by :data:`SUMMARY_COLUMNS` (the CLI table)."""
        rows = []
        for priority, m in self.measures():
            if m.count is None:
                change = "no data"
            elif m.change_ratio is None:
                change = "–"
            else:
                change = f"{(m.change_ratio - 1) * 100:+.1f}%"
            rows.append(
                {
                    "priority": priority.name,
                    "measure": m.name,
                    "count": _text(m.count),
                    "previous": _text(m.previous_count),
                    "change": change,
                    "direction": m.direction or "–",
                    "trend": m.trend.direction,
                    "spc": m.spc.variation_icon or (m.spc.chart and f"{m.spc.chart} chart") or "–",
                }
            )
        return rows


def _text(value: int | None) -> str:
    return "–" if value is None else f"{value:,}"


def render_summary(assessment: Assessment) -> str:
    """The summary table as plain text (for a terminal without rich, or a log)."""
    rows = assessment.summary_rows()
    widths = {c: max([len(c), *(len(r[c]) for r in rows)]) for c in SUMMARY_COLUMNS}
    lines = ["  ".join(c.ljust(widths[c]) for c in SUMMARY_COLUMNS)]
    lines += ["  ".join(r[c].ljust(widths[c]) for c in SUMMARY_COLUMNS) for r in rows]
    return "\n".join(lines)


# -- months ----------------------------------------------------------------------------------
def _label(month: date) -> str:
    return f"{month.year:04d}-{month.month:02d}"


def _month_name(month: date) -> str:
    return month.strftime("%B %Y")


def _period(start: date, end: date) -> Period:
    return Period(start=start, end=end, months=months_between(start, end))


_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def parse_period(text: str) -> tuple[date, date]:
    """``YYYY-MM:YYYY-MM`` as the first days of the first and last month.

    Raises
    ------
    PeriodError
        Naming the part that is wrong, e.g. ``'2021-13' is not a month``.
    """
    parts = text.strip().split(":")
    if len(parts) != 2:
        raise PeriodError(
            f"period {text!r} must be two months joined by a colon, e.g. 2021-01:2021-12"
        )
    months = []
    for name, part in zip(("start", "end"), parts, strict=True):
        match = _MONTH.match(part.strip())
        if not match or not 1 <= int(match.group(2)) <= 12:
            raise PeriodError(
                f"period {text!r}: the {name} {part.strip()!r} is not a month written "
                "YYYY-MM (e.g. 2021-01)"
            )
        months.append(date(int(match.group(1)), int(match.group(2)), 1))
    if months[1] < months[0]:
        raise PeriodError(
            f"period {text!r}: the end {parts[1].strip()!r} is before the start "
            f"{parts[0].strip()!r}"
        )
    return months[0], months[1]


# -- small helpers ---------------------------------------------------------------------------
def _num(value: float | None) -> float | None:
    """A finite float, or None (the JSON document has no NaN or infinity)."""
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def config_hash(partnership: Partnership) -> str:
    """sha256 of the partnership's canonical JSON (validated config, keys sorted)."""
    canonical = json.dumps(
        partnership.model_dump(mode="json"), sort_keys=True, separators=(",", ":")
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _rate(count: int | None, population: float | None) -> float | None:
    if count is None or not population:
        return None
    return count / population * 1000


# -- building ----------------------------------------------------------------------------------
class _Coverage:
    """Per source: events per month, months missing and months covered in a window."""

    def __init__(self, frame: pd.DataFrame, period_end: date) -> None:
        self.by_source: dict[str, pd.DataFrame] = {}
        for source, part in frame.groupby("source"):
            self.by_source[str(source)] = part.set_index("month").sort_index()
        self.period_end = period_end

    def has(self, source: str) -> bool:
        return source in self.by_source

    def first(self, source: str) -> date:
        return self.by_source[source].index.min()

    def last(self, source: str) -> date:
        return self.by_source[source].index.max()

    def missing(self, source: str) -> list[date]:
        present = set(self.by_source[source].index)
        return [m for m in month_range(self.first(source), self.last(source)) if m not in present]

    def covered(self, source: str, start: date, end: date) -> list[date]:
        """Months of ``start..end`` inside the source's span with at least one event."""
        present = set(self.by_source[source].index)
        return [m for m in month_range(start, end) if m in present]


def build_assessment(
    wh: Warehouse,
    partnership: Partnership,
    period: tuple[date, date] | None = None,
) -> Assessment:
    """Build the Assessment of ``partnership`` for ``period`` from the warehouse.

    Parameters
    ----------
    wh
        An open warehouse (read-only is fine: nothing is written).
    partnership
        The partnership whose priorities and measures are assessed.
    period
        ``(start, end)``, the first days of the first and last month, both included. By
        default the 12 months ending with the latest month that has any events. The
        previous period is the run of as many months just before it.

    Returns
    -------
    Assessment

    Raises
    ------
    AssessmentError
        When the warehouse has no events at all (and no period was given).
    """
    events = events_table(connect_duckdb(wh))
    coverage_frame = source_month_counts(events).to_pandas()
    if not coverage_frame.empty:
        coverage_frame["month"] = pd.to_datetime(coverage_frame["month"]).dt.date
    if period is None:
        if coverage_frame.empty:
            raise AssessmentError(
                "the warehouse has no events: load some data first (sia ingest ...)"
            )
        end = max(coverage_frame["month"])
        start = add_months(end, -11)
    else:
        start, end = (date(d.year, d.month, 1) for d in period)
        if end < start:
            raise AssessmentError(f"the period ends ({end}) before it starts ({start})")
    length = months_between(start, end)
    previous = (add_months(start, -length), add_months(start, -1))
    coverage = _Coverage(coverage_frame, end)
    alpha = partnership.significance_level

    finest = _counts_frame(area_counts(events, partnership))
    counts = {
        level: _by_level(finest, level, partnership.district.code)
        for level in ("district", "place", "ward", "lsoa")
    }
    population = wh.latest_population(("district", "place", "ward"))
    area_names = {
        (r["area_type"], r["area_code"]): r["area_name"]
        for r in wh.rows("SELECT area_type, area_code, area_name FROM areas")
    }
    place_codes = {name: code for (kind, code), name in area_names.items() if kind == "place"}

    priorities = []
    for priority in partnership.priorities:
        measures = [
            _measure_result(
                measure,
                counts,
                coverage,
                (start, end),
                previous,
                partnership,
                population,
                area_names,
                place_codes,
                alpha,
            )
            for measure in priority.measures
        ]
        priorities.append(
            PriorityResult(
                id=priority.id,
                name=priority.name,
                theme=priority.theme,
                statutory_duties=[str(d) for d in priority.statutory_duties],
                owning_partnership=priority.owning_partnership,
                measures=measures,
            )
        )

    measure_sources = sorted({str(m.source) for _, m in partnership.measures()})
    load_frame = load_spans(events).to_pandas()
    for column in ("first_month", "last_month"):
        load_frame[column] = pd.to_datetime(load_frame[column]).dt.date
    load_frame = load_frame[load_frame["first_month"] <= end]
    used_loads = sorted(
        int(x) for x in load_frame.loc[load_frame["source"].isin(measure_sources), "load_id"]
    )
    quality = _data_quality(wh, coverage, coverage_frame, load_frame, measure_sources, start, end)
    from sia.lsoa_assessment import measure_deprivation, measure_hotspots

    priorities = _with_harm(
        events, partnership, priorities, (start, end), previous, alpha, population, place_codes
    )
    priorities = _with_locations(events, partnership, priorities, (start, end))
    priorities = _with_underreporting(partnership, priorities, coverage, (start, end))
    priorities = _with_repeats(events, partnership, priorities, (start, end), previous, alpha)
    priorities = _with_parents(partnership, priorities, alpha)

    lsoa_counts = counts["lsoa"]
    hotspots = measure_hotspots(wh, partnership, lsoa_counts, (start, end), alpha)
    deprivation = measure_deprivation(wh, lsoa_counts, (start, end))
    priorities = _set_on_measures(priorities, "deprivation", deprivation)
    indicators = indicator_results(wh, partnership, (start, end), previous, alpha)
    priorities = [p.model_copy(update={"indicators": indicators.get(p.id, [])}) for p in priorities]
    return Assessment(
        created_at=datetime.now(UTC),
        partnership=partnership.id,
        partnership_name=partnership.name,
        district_code=partnership.district.code,
        config_hash=config_hash(partnership),
        significance_level=alpha,
        loads=used_loads,
        period=_period(start, end),
        previous_period=_period(*previous),
        priorities=priorities,
        hotspots=hotspots,
        data_quality=quality,
    )


def _with_harm(
    events: Any,
    partnership: Partnership,
    priorities: list[PriorityResult],
    period: tuple[date, date],
    previous: tuple[date, date],
    alpha: float,
    population: dict[tuple[str, str], float],
    place_codes: dict[str, str],
) -> list[PriorityResult]:
    """Add each crime measure's harm (ONS Crime Severity Score) to its result, and rank its
    wards and places by rate and by harm per 1,000 residents."""
    from sia.analysis.harm import HarmChange

    frames = {}
    for _, measure in partnership.measures():
        if str(measure.source) not in ("police-uk", "force-extract"):
            continue
        label = "offence_code" if str(measure.source) == "force-extract" else "category"
        df = label_counts(events, measure, previous[0], period[1], label).to_pandas()
        if not df.empty:
            df["month"] = pd.to_datetime(df["month"]).dt.date
        frames[measure.id] = (df, "code" if label == "offence_code" else "category")
    counted = {m.id for p in priorities for m in p.measures if m.count is not None}
    found: dict[str, HarmResult] = {}
    area_harm: dict[str, dict[str, dict[str, float]]] = {}
    for measure_id, (rows, by) in frames.items():
        if measure_id not in counted or rows.empty:
            continue
        now = rows[(rows["month"] >= period[0]) & (rows["month"] <= period[1])]
        before = rows[(rows["month"] >= previous[0]) & (rows["month"] <= previous[1])]
        current = now.groupby("label")["count"].sum()
        earlier = before.groupby("label")["count"].sum()
        if current.sum() == 0 and earlier.sum() == 0:
            continue
        change = HarmChange(current, earlier, by=by, alpha=alpha)
        if not (change.current.count or change.previous.count):
            continue  # no offence of the measure carries a weight (ASB)
        area_harm[measure_id] = _area_harm(now, by, place_codes)
        found[measure_id] = HarmResult(
            method=change.current.method,
            total=round(float(change.current.total), 3),
            previous_total=round(float(change.previous.total), 3),
            harm_ratio=_num(change.harm_ratio),
            count_ratio=_num(change.count_ratio),
            z=round(float(change.z), 4),
            p_value=float(change.p_value),
            rising_in_falling_total=change.harm_rising_in_falling_total,
            top_codes=[str(c) for c in change.top_codes],
            top_share=_num(change.top_share),
            unweighted=[str(c) for c in change.unweighted_codes],
        )
    priorities = _set_on_measures(priorities, "harm", found)
    return _with_area_ranks(priorities, area_harm, population)


def _area_harm(rows: pd.DataFrame, by: str, place_codes: dict[str, str]) -> dict[str, dict]:
    """{"ward": {ward code: harm}, "place": {place code: harm}} of one measure's period
    counts (``rows`` from :func:`sia.queries.label_counts`)."""
    from sia.analysis.harm import label_weights

    labels = rows["label"].astype(str)
    weight = label_weights(labels.unique(), by=by)
    harm = rows["count"].to_numpy(dtype=float) * labels.map(weight).to_numpy(dtype=float)
    weighted = rows.assign(harm=harm)[~np.isnan(harm)]
    out: dict[str, dict[str, float]] = {"ward": {}, "place": {}}
    for level, column in (("ward", "ward_code"), ("place", "place")):
        for key, total in weighted.groupby(column)["harm"].sum().items():
            code = place_codes.get(str(key), str(key)) if level == "place" else str(key)
            out[level][code] = float(total)
    return out


def _ranks(values: dict[str, float | None]) -> dict[str, int]:
    """Rank 1 for the largest value; ties share the best rank (1, 2, 2, 4); None unranked."""
    known = pd.Series({k: v for k, v in values.items() if v is not None}, dtype="float64")
    if known.empty:
        return {}
    return {k: int(r) for k, r in known.rank(method="min", ascending=False).items()}


def _with_area_ranks(
    priorities: list[PriorityResult],
    area_harm: dict[str, dict[str, dict[str, float]]],
    population: dict[tuple[str, str], float],
) -> list[PriorityResult]:
    """Each ward and place with its rank by rate and, where harm weights apply, its harm,
    harm per 1,000 residents and rank by that."""

    def ranked(measure: MeasureResult, level: str, areas: list[AreaResult]) -> list[AreaResult]:
        harm = area_harm.get(measure.id, {}).get(level) if measure.harm else None
        rate_ranks = _ranks({a.code: a.rate for a in areas})
        harms: dict[str, float | None] = {}
        harm_rates: dict[str, float | None] = {}
        if harm is not None:
            for a in areas:
                if a.count is None:
                    harms[a.code] = harm_rates[a.code] = None
                    continue
                harms[a.code] = round(float(harm.get(a.code, 0.0)), 3)
                people = population.get((level, a.code))
                harm_rates[a.code] = _num(harms[a.code] / people * 1000) if people else None
        harm_ranks = _ranks(harm_rates)
        return [
            a.model_copy(
                update={
                    "rate_rank": rate_ranks.get(a.code),
                    "harm": harms.get(a.code),
                    "harm_rate": harm_rates.get(a.code),
                    "harm_rank": harm_ranks.get(a.code),
                }
            )
            for a in areas
        ]

    return [
        p.model_copy(
            update={
                "measures": [
                    m.model_copy(
                        update={
                            "by_place": ranked(m, "place", m.by_place),
                            "by_ward": ranked(m, "ward", m.by_ward),
                        }
                    )
                    for m in p.measures
                ]
            }
        )
        for p in priorities
    ]


def _with_locations(
    events: Any,
    partnership: Partnership,
    priorities: list[PriorityResult],
    period: tuple[date, date],
) -> list[PriorityResult]:
    """The :data:`TOP_LOCATIONS` locations (streets) with most events of each measure in
    the period; None for a measure none of whose events in the period has a location."""
    frame = location_counts(events, partnership, *period).to_pandas()
    found: dict[str, list[LocationCount]] = {}
    for measure_id, rows in frame.groupby("measure_id", sort=False):
        located = int(rows["count"].sum())
        rows = rows.assign(place_key=rows["place"].fillna(""))
        rows = rows.sort_values(
            ["count", "location", "place_key"], ascending=[False, True, True], kind="stable"
        )
        found[str(measure_id)] = [
            LocationCount(
                name=str(r.location),
                place=None if pd.isna(r.place) else str(r.place),
                count=int(r.count),
                share=round(int(r.count) / located, 4),
            )
            for r in rows.head(TOP_LOCATIONS).itertuples()
        ]
    return _set_on_measures(priorities, "top_locations", found)


def _with_underreporting(
    partnership: Partnership,
    priorities: list[PriorityResult],
    coverage: _Coverage,
    period: tuple[date, date],
) -> list[PriorityResult]:
    """Recorded against expected (national survey rates in the config's ``underreporting``)
    for each measure the config lists, over the months of the period its source covers."""
    from sia.analysis.underreporting import ExpectedRecording

    config = partnership.underreporting
    if config is None:
        return priorities
    results = {m.id: m for p in priorities for m in p.measures}
    found: dict[str, UnderreportingResult] = {}
    for survey in config.measures:
        measure = results.get(survey.measure)
        if measure is None or measure.count is None:
            continue
        months = len(coverage.covered(measure.source, *period))
        if months == 0:
            continue
        if survey.prevalence is not None:
            base, people = "residents aged 16 and over", config.population_16_plus
            prevalence_source = survey.prevalence_source
        else:  # a national number per resident: the district's residents of all ages
            base, people = "residents of all ages", config.population_all_ages
            prevalence_source = (
                f"{survey.national_count_source}; {survey.national_population_source}"
            )
        source = f"{prevalence_source}; {survey.reporting_source}"
        er = ExpectedRecording(
            measure.count,
            people,
            survey.rate,
            survey.reporting_rate,
            survey.incidents_per_victim,
            source=source,
            assumption=survey.assumption,
            years=months / 12,
        )
        found[survey.measure] = UnderreportingResult(
            topic=survey.topic,
            recorded=er.recorded,
            years=round(er.years, 4),
            expected=round(er.expected, 3),
            ratio=_num(er.recorded_to_expected),
            ratio_ci=[_num(x) for x in er.ratio_ci],
            far_below_expected=er.far_below_expected,
            threshold=er.threshold,
            population_16_plus=config.population_16_plus,
            population_year=config.population_year,
            population_source=config.population_source,
            population_base=base,
            population=people,
            prevalence=survey.rate,
            prevalence_source=prevalence_source,
            national_count=survey.national_count,
            national_population=survey.national_population,
            reporting_rate=survey.reporting_rate,
            reporting_source=survey.reporting_source,
            incidents_per_victim=survey.incidents_per_victim,
            source=source,
            assumption=survey.assumption,
        )
    return _set_on_measures(priorities, "underreporting", found)


def _with_repeats(
    events: Any,
    partnership: Partnership,
    priorities: list[PriorityResult],
    period: tuple[date, date],
    previous: tuple[date, date],
    alpha: float,
) -> list[PriorityResult]:
    """Repeat victimisation for measures whose events carry a pseudonymised victim id
    (the force extract): the share of incidents in each period that repeat an incident
    against the same victim within the previous 12 months, and its change."""
    from sia.analysis.repeats import RepeatChange, RepeatVictimisation
    from sia.queries import measure_filter

    history_start = add_months(previous[0], -12)
    found: dict[str, dict[str, Any]] = {}
    for _, measure in partnership.measures():
        if str(measure.source) != "force-extract":
            continue
        chosen = events.filter(
            measure_filter(events, measure)
            & (events.month >= history_start)
            & (events.month <= period[1])
        )
        frame = chosen.select(
            victim_id=chosen.attributes.cast("json")["victim_id"].str,
            date=chosen.occurred_on,
        ).to_pandas()
        if frame.empty or frame["victim_id"].isna().all():
            continue
        frame["date"] = pd.to_datetime(frame["date"])
        end_now = pd.Timestamp(month_end(period[1]))
        end_before = pd.Timestamp(month_end(previous[1]))
        now = RepeatVictimisation(frame[frame["date"] <= end_now], start=period[0])
        before = RepeatVictimisation(frame[frame["date"] <= end_before], start=previous[0])
        change = RepeatChange(now, before, alpha=alpha)
        found[measure.id] = {
            "window_days": now.window_days,
            "incidents": now.incidents,
            "with_victim_id": now.with_victim_id,
            "repeats": now.repeats,
            "repeat_share": _num(now.repeat_share),
            "repeat_victims": now.repeat_victims,
            "previous_repeats": before.repeats,
            "previous_share": _num(before.repeat_share),
            "p_value": _num(change.p_value),
            "direction": change.direction,
        }
    return _set_on_measures(priorities, "repeats", found)


def _with_parents(
    partnership: Partnership, priorities: list[PriorityResult], alpha: float
) -> list[PriorityResult]:
    """For a measure with a ``parent``: is it rising against its parent? (the seed's case of
    homicides rising within falling serious violence)."""
    from sia.analysis.harm import AgainstParent

    results = {m.id: m for p in priorities for m in p.measures}
    parents = {m.id: m.parent for _, m in partnership.measures() if m.parent}
    found: dict[str, dict[str, Any]] = {}
    for child, parent in parents.items():
        sub, whole = results.get(child), results.get(parent)
        counts = [
            x.count if i == 0 else x.previous_count
            for x in (sub, whole)
            if x is not None
            for i in (0, 1)
        ]
        if len(counts) < 4 or any(c is None for c in counts) or not (counts[2] and counts[3]):
            continue  # the parent must have events in both periods to be compared against
        test = AgainstParent(counts[0], counts[1], counts[2], counts[3], alpha=alpha)
        found[child] = {
            "parent": parent,
            "sub_direction": test.sub.direction,
            "parent_direction": test.parent.direction,
            "p_value": _num(test.p_value),
            "against_parent": bool(test.against_parent),
        }
    return _set_on_measures(priorities, "against_parent", found)


def _set_on_measures(
    priorities: list[PriorityResult], field_name: str, values: dict[str, Any]
) -> list[PriorityResult]:
    """Copies of ``priorities`` whose measures carry ``values[measure id]`` (or None) in
    ``field_name``."""
    return [
        p.model_copy(
            update={
                "measures": [
                    m.model_copy(update={field_name: values.get(m.id)}) for m in p.measures
                ]
            }
        )
        for p in priorities
    ]


def _by_level(finest: pd.DataFrame, level: str, district: str) -> pd.DataFrame:
    """:func:`sia.queries.monthly_counts` at ``level``, rolled up from
    :func:`sia.queries.area_counts` (``measure_id, month, area_code, count``)."""
    columns = ["measure_id", "month", "area_code", "count"]
    if finest.empty:
        return pd.DataFrame(columns=columns)
    if level == "district":
        keyed = finest.assign(area_code=district)
    else:
        column = AREA_COLUMNS[level]
        keyed = finest[finest[column].notna()].assign(area_code=lambda f, c=column: f[c])
    rolled = keyed.groupby(["measure_id", "month", "area_code"], as_index=False)["count"].sum()
    return rolled[columns]


def _counts_frame(expr: Any) -> pd.DataFrame:
    frame = expr.to_pandas()
    if not frame.empty:
        frame["month"] = pd.to_datetime(frame["month"]).dt.date
    return frame


def _window_sum(frame: pd.DataFrame, start: date, end: date) -> pd.Series:
    """Sum of ``count`` per area_code over months ``start..end``."""
    inside = frame[(frame["month"] >= start) & (frame["month"] <= end)]
    return inside.groupby("area_code")["count"].sum()


def _measure_result(
    measure: Measure,
    counts: dict[str, pd.DataFrame],
    coverage: _Coverage,
    period: tuple[date, date],
    previous: tuple[date, date],
    partnership: Partnership,
    population: dict[tuple[str, str], float],
    area_names: dict[tuple[str, str], str],
    place_codes: dict[str, str],
    alpha: float,
) -> MeasureResult:
    source = str(measure.source)
    district = partnership.district.code
    district_population = population.get(("district", district))
    base = {
        "id": measure.id,
        "name": measure.name,
        "source": source,
        "sensitive": measure.sensitive,
        "polarity": measure.polarity.value,
        "population": district_population,
    }
    if not coverage.has(source):
        return MeasureResult(
            **base,
            count=None,
            previous_count=None,
            rate=None,
            trend=TrendResult(direction="no-data"),
            spc=SpcResult(notes=[f"no data loaded from {source}"]),
            notes=[f"no data loaded from {source}: no figures are given"],
        )

    notes: list[str] = []
    covered_now = coverage.covered(source, *period)
    covered_before = coverage.covered(source, *previous)
    months_now = months_between(*period)
    if len(covered_now) < months_now:
        notes.append(
            f"{source} has data for {len(covered_now)} of the period's {months_now} months; "
            "the count covers only those"
        )
    if covered_before and len(covered_before) < months_now:
        notes.append(
            f"{source} has data for {len(covered_before)} of the previous period's "
            f"{months_now} months; the change allows for the difference"
        )

    def frame(level: str) -> pd.DataFrame:
        f = counts[level]
        return f[f["measure_id"] == measure.id] if not f.empty else f

    def pair(level: str) -> tuple[pd.Series, pd.Series | None]:
        f = frame(level)
        if f.empty:
            now = pd.Series(dtype="int64")
            before = pd.Series(dtype="int64")
        else:
            now = _window_sum(f, *period)
            before = _window_sum(f, *previous)
        return now, (before if covered_before else None)

    exposure = len(covered_now) / len(covered_before) if covered_now and covered_before else None

    def change(now: int | None, before: int | None) -> PoissonChange | None:
        if now is None or before is None or exposure is None:
            return None
        return PoissonChange(now, before, exposure_ratio=exposure, alpha=alpha)

    now_d, before_d = pair("district")
    count = int(now_d.get(district, 0)) if covered_now else None
    previous_count = int(before_d.get(district, 0)) if before_d is not None else None
    if previous_count is None:
        notes.append(f"{source} has no data for the previous period: no change is tested")
    if count is None:
        notes.append(f"{source} has no data for the period")
    test = change(count, previous_count)

    def areas(level: str, codes: Iterable[tuple[str, str]]) -> list[AreaResult]:
        now, before = pair(level)
        results = []
        for code, name in codes:
            key = name if level == "place" else code
            a_now = int(now.get(key, 0)) if count is not None else None
            a_before = int(before.get(key, 0)) if before is not None else None
            a_test = change(a_now, a_before)
            results.append(
                AreaResult(
                    code=code,
                    name=name,
                    count=a_now,
                    previous_count=a_before,
                    rate=_num(_rate(a_now, population.get((level, code)))),
                    direction=a_test.direction if a_test else None,
                )
            )
        return results

    places = [(place_codes.get(p.name, p.name), p.name) for p in partnership.places]
    wards = [(w.code, w.name) for w in partnership.wards]

    series, months = _series(frame("district"), coverage, source, period[1])
    return MeasureResult(
        **base,
        count=count,
        previous_count=previous_count,
        rate=_num(_rate(count, district_population)),
        change_ratio=_num(test.ratio) if test else None,
        change_ci=[_num(x) for x in test.ci] if test else None,
        change_p_value=_num(test.p_value) if test else None,
        direction=test.direction if test else None,
        trend=_trend(series, months, alpha),
        spc=_spc(series, months, measure, coverage.missing(source)),
        by_place=areas("place", places),
        by_ward=areas("ward", wards),
        notes=notes,
    )


def _series(
    frame: pd.DataFrame, coverage: _Coverage, source: str, end: date
) -> tuple[np.ndarray, list[date]]:
    """Monthly counts of a measure from the source's first month to ``end``, zero where the
    source has data but the measure none; months missing from the source are left out."""
    months = coverage.covered(source, coverage.first(source), end)
    by_month = frame.groupby("month")["count"].sum() if not frame.empty else pd.Series()
    values = np.array([int(by_month.get(m, 0)) for m in months], dtype=float)
    return values, months


def _trend(values: np.ndarray, months: list[date], alpha: float) -> TrendResult:
    if len(months) == 0:
        return TrendResult(direction="no-data")
    fit = PoissonTrend(values, [_label(m) for m in months], alpha=alpha)
    return TrendResult(
        annual_change=_num(fit.annual_change),
        ci=[_num(x) for x in fit.ci] if fit.model else None,
        p_value=_num(fit.p_value),
        direction=fit.trend,
        months=fit.n,
        model=fit.model,
    )


def _spc(
    values: np.ndarray, months: list[date], measure: Measure, missing: list[date]
) -> SpcResult:
    if len(months) < 2:
        return SpcResult(months=len(months), notes=["fewer than 2 months: no chart"])
    target = kind = None
    if measure.target is not None:
        target = measure.target.value / (12 if measure.target.per == "year" else 1)
        kind = measure.target.kind
    chart = XmR(values, polarity=measure.polarity.value, target=target, target_kind=kind)
    notes = list(chart.notes)
    left_out = [m for m in missing if m <= months[-1]]
    if left_out:
        notes.append(
            "months missing from the source are left out of the chart: "
            + ", ".join(_label(m) for m in left_out)
        )
    special = [
        SpecialCause(month=_label(m), rule=str(rule), status=str(status))
        for m, rule, status in zip(months, chart.rule, chart.status, strict=True)
        if status != "common cause"
    ]
    return SpcResult(
        chart=chart.chart,
        months=chart.n,
        centre=_num(chart.centre),
        lower_limit=_num(chart.lpl),
        upper_limit=_num(chart.upl),
        variation_icon=chart.variation_icon,
        assurance_icon=chart.assurance_icon,
        latest_month=_label(months[-1]),
        latest_status=str(chart.status[-1]),
        special_cause_months=[s.month for s in special],
        special_causes=special,
        notes=notes,
    )


# -- data quality ------------------------------------------------------------------------------
DATA_QUALITY_RULES = {
    "missing-month": (
        "a month between a source's first and last month with no events at all from it "
        "(police.uk leaves such gaps without saying so); never filled with zeros"
    ),
    "possibly-partial-month": (
        f"a month whose events from a source number fewer than {PARTIAL_SHARE:.0%} of the "
        f"median of the up to {2 * PARTIAL_WINDOW} months around it ({PARTIAL_WINDOW} either "
        "side) with data; a real fall (such as the 2020 lockdown) shows here too"
    ),
    "without-location": (
        "events in the period with no LSOA: counted for the district, but in no ward or place"
    ),
    "late-load": (
        f"a load whose newest month is more than {LATE_LOAD_MONTHS} months older than the "
        "newest month its source already had when it was loaded (a backfill): figures "
        "for those months may differ from an earlier assessment"
    ),
    "stale-source": (
        f"a source whose newest month is more than {LATE_LOAD_MONTHS} months before the "
        "period's last month"
    ),
    "no-data": "a measure's source has no events in the warehouse at all",
}


def _data_quality(
    wh: Warehouse,
    coverage: _Coverage,
    coverage_frame: pd.DataFrame,
    load_frame: pd.DataFrame,
    measure_sources: list[str],
    start: date,
    end: date,
) -> DataQuality:
    issues: list[DataQualityIssue] = []
    sources: list[SourceCoverage] = []
    for source in measure_sources:
        if not coverage.has(source):
            issues.append(
                DataQualityIssue(
                    source=source,
                    kind="no-data",
                    message=f"no data loaded from {source}: its measures have no figures",
                )
            )
    for source, monthly in sorted(coverage.by_source.items()):
        in_period = monthly[(monthly.index >= start) & (monthly.index <= end)]
        period_events = int(in_period["events"].sum())
        without = int(in_period["without_location"].sum())
        loads = sorted(int(x) for x in load_frame.loc[load_frame["source"] == source, "load_id"])
        sources.append(
            SourceCoverage(
                source=source,
                first_month=coverage.first(source),
                last_month=coverage.last(source),
                months_with_data=len(monthly),
                events=int(monthly["events"].sum()),
                period_events=period_events,
                period_without_location=without,
                loads=loads,
            )
        )
        missing = coverage.missing(source)
        if missing:
            names = ", ".join(_month_name(m) for m in missing)
            issues.append(
                DataQualityIssue(
                    source=source,
                    kind="missing-month",
                    months=[_label(m) for m in missing],
                    figures={"months_missing": len(missing)},
                    message=(
                        f"{source} has no events at all for {names}: the file for "
                        f"{'that month' if len(missing) == 1 else 'those months'} is "
                        "probably missing. Figures covering it are low and are not filled."
                    ),
                )
            )
        issues += _partial_months(source, monthly["events"])
        if without:
            share = without / period_events if period_events else 0.0
            issues.append(
                DataQualityIssue(
                    source=source,
                    kind="without-location",
                    months=[_label(start), _label(end)],
                    figures={
                        "events": period_events,
                        "without_location": without,
                        "share": round(share, 4),
                    },
                    message=(
                        f"{without:,} of {source}'s {period_events:,} events in the period "
                        f"({share:.1%}) have no location: they count for the district but "
                        "in no ward or place"
                    ),
                )
            )
        if months_between(coverage.last(source), end) - 1 > LATE_LOAD_MONTHS:
            issues.append(
                DataQualityIssue(
                    source=source,
                    kind="stale-source",
                    months=[_label(coverage.last(source))],
                    figures={"months_behind": months_between(coverage.last(source), end) - 1},
                    message=(
                        f"{source}'s newest data is for {_month_name(coverage.last(source))}, "
                        f"{months_between(coverage.last(source), end) - 1} months before the "
                        "period ends: its figures for the latest months are missing"
                    ),
                )
            )
    issues += _late_loads(wh, load_frame)
    return DataQuality(rules=DATA_QUALITY_RULES, sources=sources, issues=issues)


def _partial_months(source: str, events: pd.Series) -> list[DataQualityIssue]:
    issues = []
    months = list(events.index)
    values = events.to_numpy(dtype=float)
    for i, month in enumerate(months):
        around = np.concatenate(
            [values[max(0, i - PARTIAL_WINDOW) : i], values[i + 1 : i + 1 + PARTIAL_WINDOW]]
        )
        if around.size < PARTIAL_WINDOW:
            continue
        median = float(np.median(around))
        if values[i] < PARTIAL_SHARE * median:
            issues.append(
                DataQualityIssue(
                    source=source,
                    kind="possibly-partial-month",
                    months=[_label(month)],
                    figures={"events": int(values[i]), "median_around": median},
                    message=(
                        f"{source} has {int(values[i]):,} events for {_month_name(month)}, "
                        f"under half the median of the months around it ({median:,.0f}): "
                        "the file may be incomplete, or the fall real; check before relying "
                        "on it"
                    ),
                )
            )
    return issues


def _late_loads(wh: Warehouse, load_frame: pd.DataFrame) -> list[DataQualityIssue]:
    """Loads (in load order) whose events end well before what their source already had.

    Only loads that put events in the warehouse count, with the months of those events
    (a companion file, such as STATS19 casualties, adds no events and is not judged)."""
    files = {load["load_id"]: load["file"] for load in wh.loads()}
    issues = []
    newest: dict[str, date] = {}
    for load in load_frame.to_dict("records"):
        load["file"] = files.get(load["load_id"], "?")
        source, last = load["source"], load["last_month"]
        seen = newest.get(source)
        if seen is not None and months_between(last, seen) - 1 > LATE_LOAD_MONTHS:
            issues.append(
                DataQualityIssue(
                    source=source,
                    kind="late-load",
                    months=[_label(load["first_month"]), _label(last)],
                    figures={
                        "load_id": int(load["load_id"]),
                        "file": load["file"],
                        "events": int(load["n"]),
                    },
                    message=(
                        f"load {load['load_id']} ({load['file']}) brought {source} data up "
                        f"to {_month_name(last)} after data up to {_month_name(seen)} was "
                        "already loaded: figures for its months may differ from an "
                        "earlier assessment"
                    ),
                )
            )
        newest[source] = max(seen, last) if seen else last
    return issues


# -- storage -----------------------------------------------------------------------------------
_INSERT_ASSESSMENT = """
INSERT INTO assessments (assessment_id, created_at, period_start, period_end, previous_start,
    previous_end, config_hash, version, document)
VALUES ($id, $created_at, $period_start, $period_end, $previous_start, $previous_end,
    $config_hash, $version, $document)
"""

#: The columns of ``assessment_measures`` (schema_assessment.sql) and their Arrow types: the
#: rows go in as one Arrow table, which DuckDB inserts in milliseconds where ``executemany``
#: took most of a second for the few hundred rows of a district.
_MEASURE_COLUMNS = (
    ("assessment_id", "int32"),
    ("priority_id", "string"),
    ("measure_id", "string"),
    ("source", "string"),
    ("area_type", "string"),
    ("area_code", "string"),
    ("count", "int64"),
    ("previous_count", "int64"),
    ("rate", "float64"),
    ("change_ratio", "float64"),
    ("change_p_value", "float64"),
    ("direction", "string"),
    ("trend", "string"),
    ("trend_annual_change", "float64"),
    ("trend_p_value", "float64"),
    ("spc_variation_icon", "string"),
    ("spc_latest_status", "string"),
)


def store_assessment(wh: Warehouse, assessment: Assessment) -> int:
    """Keep the assessment in the warehouse, all or nothing; return its ``assessment_id``."""
    with wh.transaction() as con:
        row = con.execute("SELECT coalesce(max(assessment_id), 0) + 1 FROM assessments")
        assessment_id = int(row.fetchone()[0])
        created = assessment.created_at.astimezone(UTC).replace(tzinfo=None)
        con.execute(
            _INSERT_ASSESSMENT,
            {
                "id": assessment_id,
                "created_at": created,
                "period_start": assessment.period.start,
                "period_end": assessment.period.end,
                "previous_start": assessment.previous_period.start,
                "previous_end": assessment.previous_period.end,
                "config_hash": assessment.config_hash,
                "version": assessment.version,
                "document": assessment.to_json(indent=None),
            },
        )
        rows = []
        for priority, m in assessment.measures():
            head = [assessment_id, priority.id, m.id, m.source]
            rows.append(
                [
                    *head,
                    "district",
                    assessment.district_code,
                    m.count,
                    m.previous_count,
                    m.rate,
                    m.change_ratio,
                    m.change_p_value,
                    m.direction,
                    m.trend.direction,
                    m.trend.annual_change,
                    m.trend.p_value,
                    m.spc.variation_icon,
                    m.spc.latest_status,
                ]
            )
            for level, areas in (("place", m.by_place), ("ward", m.by_ward)):
                for a in areas:
                    rows.append(
                        [
                            *head,
                            level,
                            a.code,
                            a.count,
                            a.previous_count,
                            a.rate,
                            *([None] * 2),
                            a.direction,
                            *([None] * 5),
                        ]
                    )
        if rows:
            schema = pa.schema([(name, kind) for name, kind in _MEASURE_COLUMNS])
            table = pa.Table.from_pylist(
                [dict(zip(schema.names, row, strict=True)) for row in rows], schema=schema
            )
            con.register("_new_measures", table)
            try:
                con.execute("INSERT INTO assessment_measures SELECT * FROM _new_measures")
            finally:
                con.unregister("_new_measures")
    return assessment_id


def latest_assessment(wh: Warehouse) -> Assessment | None:
    """The newest stored assessment, or None when none has been stored."""
    document = wh.scalar("SELECT document FROM assessments ORDER BY assessment_id DESC LIMIT 1")
    return None if document is None else Assessment.model_validate_json(document)


# -- the command line --------------------------------------------------------------------------
def assess_cli(
    wh: Warehouse, partnership: Partnership, period_text: str | None
) -> tuple[Assessment, int]:
    """Build and store the assessment for ``sia assess [--period YYYY-MM:YYYY-MM]``.

    Returns the assessment and its ``assessment_id``. Print ``assessment.to_json()`` for
    ``--json``, else a table of :meth:`Assessment.summary_rows` (or :func:`render_summary`).

    Raises
    ------
    PeriodError
        When ``period_text`` is not ``YYYY-MM:YYYY-MM``; the message names the bad part.
    AssessmentError
        When the warehouse has no events.
    """
    period = parse_period(period_text) if period_text else None
    assessment = build_assessment(wh, partnership, period)
    return assessment, store_assessment(wh, assessment)

"""The report context: every figure, table, chart and sentence the report shows, typed.

:func:`build_context` reads the stored Assessment (``sia assess``), the warehouse (the loads
manifest, monthly series for the charts, what was raised in each ward) and, when they are
given, the insight summary and the prioritisation. Disclosure control is applied here, once,
so every writer (HTML, PDF, DOCX, XLSX, the ward and place profiles) prints the same
suppressed cells: a writer never sees a small count of a sensitive measure below district
level.

Tables are :class:`ReportTable` (cells already formatted, with the row keys and any
suppressed cells recorded for the scan test); charts are :class:`Chart` (a Vega-Lite spec and
its text alternative), rendered by :mod:`sia.report.charts`.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

from sia.assessment import Assessment, MeasureResult, PriorityResult, latest_assessment
from sia.report import charts, maps
from sia.report.disclosure import (
    Cell,
    Group,
    Policy,
    Series,
    Suppressed,
    disclose_series,
    policy_for,
    sensitive_by_default,
    suppress,
)
from sia.report.text import DUTIES, SOURCES

if TYPE_CHECKING:
    from sia.config import Partnership
    from sia.insight.summary import InsightSummary
    from sia.warehouse import Warehouse


class ReportError(Exception):
    """The report cannot be made (no assessment stored, or it belongs to another config)."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ReportTable(_Model):
    """One table of the report, its cells as printed.

    ``keys`` names each row (an area code, a priority id...) and ``hidden`` lists the
    ``(row key, column)`` cells hidden by disclosure control, with ``raw`` their true values:
    the scan test checks that no output prints them. ``raw`` never reaches a writer's output.
    """

    id: str
    title: str
    columns: list[str]
    rows: list[list[str]]
    keys: list[str] = Field(default_factory=list)
    measure_id: str | None = None
    sensitive: bool = False
    notes: list[str] = Field(default_factory=list)
    hidden: list[tuple[str, str]] = Field(default_factory=list)
    raw: dict[str, str] = Field(default_factory=dict, exclude=True)


class Chart(_Model):
    """A picture: a Vega-Lite spec and the text a reader without sight of it gets."""

    id: str
    title: str
    alt: str
    spec: dict[str, Any]
    attribution: str | None = None


class Figure(_Model):
    label: str
    value: str


class MeasureSection(_Model):
    id: str
    name: str
    source: str
    sensitive: bool
    summary: str
    figures: list[Figure]
    trend_chart: Chart | None = None
    map_chart: Chart | None = None
    places: ReportTable
    wards: ReportTable
    hotspots: ReportTable | None = None
    hotspot_map: Chart | None = None
    series: ReportTable | None = None
    notes: list[str] = Field(default_factory=list)


class Status(_Model):
    """A priority's proposed status, from the prioritisation (when it has been run)."""

    status: str
    criteria: list[str] = Field(default_factory=list)
    rationale: str = ""
    override: str | None = None


class PrioritySection(_Model):
    id: str
    name: str
    theme: str
    duties: list[str]
    owning_partnership: str | None
    evidence: list[str]
    status: Status | None = None
    measures: list[MeasureSection]
    indicators: ReportTable | None = None


class ThemeSection(_Model):
    id: str
    name: str
    priorities: list[PrioritySection]


class Methodology(_Model):
    sources: ReportTable
    insight: ReportTable
    data_gaps: list[str]
    files: int
    rows_read: int


class AreaProfile(_Model):
    """A ward's or place's profile: its figures against the district, hotspots, insight."""

    kind: str  # "ward" or "place"
    code: str
    name: str
    slug: str
    place: str | None = None
    wards: list[str] = Field(default_factory=list)
    figures: ReportTable
    hotspots: ReportTable
    map_chart: Chart | None = None
    raised: ReportTable
    notes: list[str] = Field(default_factory=list)


class InsightSection(_Model):
    """Section 5, from the insight summary when it was built."""

    engaged: list[Figure]
    reach: ReportTable
    feelings: ReportTable
    concerns: ReportTable
    by_place: list[ReportTable]
    common: ReportTable
    reach_chart: Chart | None = None


class ReportContext(_Model):
    """Everything one report shows."""

    partnership_id: str
    partnership_name: str
    district_name: str
    title: str
    period_label: str
    previous_label: str
    created_at: datetime
    assessment_created_at: datetime
    config_hash: str
    disclosure: str
    disclosure_profile: str = "internal"
    summary: list[str]
    statutory_duties: list[str]
    methodology: Methodology
    themes: list[ThemeSection]
    priorities_table: ReportTable
    status_table: ReportTable | None = None
    insight: InsightSection | None = None
    insight_note: str | None = None
    cross_cutting: list[str]
    network_chart: Chart | None = None
    principles: list[Figure] = Field(default_factory=list)
    next_steps: list[str] = Field(default_factory=list)
    manifest: ReportTable
    wards: list[AreaProfile]
    places: list[AreaProfile]

    def tables(self) -> list[ReportTable]:
        """Every table of the report, in reading order (the XLSX's sheets)."""
        found: list[ReportTable] = [
            self.methodology.sources,
            self.methodology.insight,
            self.priorities_table,
        ]
        if self.status_table is not None:
            found.append(self.status_table)
        for theme in self.themes:
            for priority in theme.priorities:
                if priority.indicators is not None:
                    found.append(priority.indicators)
                for m in priority.measures:
                    found += [m.places, m.wards]
                    if m.hotspots is not None:
                        found.append(m.hotspots)
                    if m.series is not None:
                        found.append(m.series)
        if self.insight is not None:
            found += [
                self.insight.reach,
                self.insight.feelings,
                self.insight.concerns,
                self.insight.common,
            ]
            found += self.insight.by_place
        found.append(self.manifest)
        return found

    def charts(self) -> list[Chart]:
        found = []
        for theme in self.themes:
            for priority in theme.priorities:
                for m in priority.measures:
                    found += [
                        c for c in (m.trend_chart, m.map_chart, m.hotspot_map) if c is not None
                    ]
        if self.insight is not None and self.insight.reach_chart is not None:
            found.append(self.insight.reach_chart)
        if self.network_chart is not None:
            found.append(self.network_chart)
        return found


# -- helpers ---------------------------------------------------------------------------------
def _sql(name: str) -> str:
    return resources.files("sia.report").joinpath("sql", f"{name}.sql").read_text("utf-8")


def _int(value: int | None) -> str:
    return "–" if value is None else f"{value:,}"


def _rate(value: float | None) -> str:
    return "–" if value is None else f"{value:,.2f}"


def _pct_change(ratio: float | None) -> str:
    return "–" if ratio is None else f"{(ratio - 1) * 100:+.1f}%"


def _month(d: date) -> str:
    return d.strftime("%B %Y")


def _direction_words(m: MeasureResult) -> str:
    return {
        "up": "a significant rise",
        "down": "a significant fall",
        "stable": "no significant change",
        "too-few": "too few events to call a change",
    }.get(m.direction or "", "no comparison (no data in the previous period)")


def _direction_cell(direction: str | None) -> str:
    """A change called, as a table cell: the word itself, in words where it is an id."""
    return {"too-few": "too few to test"}.get(direction or "", direction or "–")


def is_sensitive(m: MeasureResult) -> bool:
    """Sensitive by the configuration, or by default (domestic abuse, sexual offences, hate
    crime, modern slavery, Prevent)."""
    return m.sensitive or sensitive_by_default(m.id, m.name)


def slug(text: str) -> str:
    from sia.config.schema import slugify

    return slugify(text)


# -- disclosure of one measure's area tables -----------------------------------------------
class AreaCells:
    """One measure's place and ward counts (this and the previous period), suppressed once.

    The cells are keyed ``("place", name)`` and ``("ward", code)``; the published totals are
    the district count over the places and over the wards, and each place over its wards.
    """

    def __init__(self, m: MeasureResult, partnership: Partnership, policy: Policy | None):
        self.sensitive = policy is not None
        self.rounding = policy.rounding if policy is not None else 1
        self.current = self._suppress(m, partnership, policy, "count")
        self.previous = self._suppress(m, partnership, policy, "previous_count")

    @staticmethod
    def _suppress(
        m: MeasureResult, partnership: Partnership, policy: Policy | None, field: str
    ) -> Suppressed:
        values: dict[Any, int | None] = {}
        for a in m.by_place:
            values[("place", a.name)] = getattr(a, field)
        for a in m.by_ward:
            values[("ward", a.code)] = getattr(a, field)
        if policy is None:
            return Suppressed({k: _shown(v) for k, v in values.items()})
        total = getattr(m, field) or 0
        ward_code = {w.name: w.code for w in partnership.wards}
        groups = [
            Group(total, [k for k in values if k[0] == "place"]),
            Group(total, [k for k in values if k[0] == "ward"]),
        ]
        for place in partnership.places:
            key = ("place", place.name)
            members = [
                ("ward", ward_code[w]) for w in place.wards if ("ward", ward_code[w]) in values
            ]
            if key in values and members:
                groups.append(Group(values[key] or 0, members, total_key=key))
        return suppress(values, groups, policy)

    def hidden(self, key: tuple[str, str]) -> bool:
        return self.current.cells[key].suppressed


def _shown(value: int | None) -> Cell:
    return Cell(value)


def _shown_rate(cell: Cell, rate: float | None) -> float | None:
    """The rate a reader may see of a shown cell: none when the cell is hidden, and worked
    out from the rounded count when the policy rounds (the exact rate and the population
    would give the exact count back)."""
    if cell.suppressed or rate is None:
        return None
    if cell.published == cell.value or not cell.value:
        return rate
    return rate / cell.value * (cell.published or 0)


def _area_table(m: MeasureResult, cells: AreaCells, level: str, title: str) -> ReportTable:
    areas = m.by_place if level == "place" else m.by_ward
    columns = [level.capitalize(), "Count", "Previous period", "Rate per 1,000", "Change"]
    rows, keys, hidden, raw = [], [], [], {}
    for a in areas:
        key = (level, a.name if level == "place" else a.code)
        now = cells.current.cells[key]
        before = cells.previous.cells[key]
        rate = _rate(_shown_rate(now, a.rate))
        direction = _direction_cell(a.direction)
        rows.append([a.name, now.shown or "–", before.shown or "–", rate, direction])
        keys.append(key[1])
        if now.suppressed:
            hidden += [(key[1], "Count"), (key[1], "Rate per 1,000")]
            raw[f"{key[1]}|Count"] = str(now.value)
            raw[f"{key[1]}|Rate per 1,000"] = _rate(a.rate)
        if before.suppressed:
            hidden.append((key[1], "Previous period"))
            raw[f"{key[1]}|Previous period"] = str(before.value)
    notes = []
    if cells.sensitive:
        notes.append(
            "Sensitive measure: counts below the threshold are shown as a label and further "
            "cells as [c], so that no small count can be worked out from a total."
        )
        if cells.rounding > 1:
            notes.append(
                f"The other counts are rounded to the nearest {cells.rounding}, and the rates "
                "worked out from the rounded counts."
            )
    return ReportTable(
        id=f"{m.id}-{level}s",
        title=title,
        columns=columns,
        rows=rows,
        keys=keys,
        measure_id=m.id,
        sensitive=cells.sensitive,
        notes=notes,
        hidden=hidden,
        raw=raw,
    )


# -- the builder ------------------------------------------------------------------------------
class _Builder:
    def __init__(
        self,
        wh: Warehouse,
        partnership: Partnership,
        assessment: Assessment,
        insight: InsightSummary | None,
        statuses: dict[str, Status] | None,
        priority_links: list[tuple[str, str, int]] | None = None,
        disclosure: str | None = None,
    ):
        self.wh = wh
        self.priority_links = priority_links or []
        self.partnership = partnership
        self.a = assessment
        self.insight = insight
        self.statuses = statuses or {}
        self.policy = policy_for(partnership.disclosure, disclosure)
        self.ward_names = {w.code: w.name for w in partnership.wards}
        self.ward_codes = {w.name: w.code for w in partnership.wards}
        self.place_of_ward = partnership.place_of_ward()
        self.params = {"start": assessment.period.start, "end": assessment.period.end}
        self.cells: dict[str, AreaCells] = {}
        for _, m in assessment.measures():
            self.cells[m.id] = AreaCells(m, partnership, self.policy if is_sensitive(m) else None)
        self.hotspots = {h["measure_id"]: h for h in assessment.hotspots}
        self.series = self._series()
        self.district_code = partnership.district.code
        self.lsoa_vintage = next(
            (h.get("lsoa_vintage") for h in assessment.hotspots if h.get("lsoa_vintage")), None
        )

    # monthly district series, as the SPC chart saw them
    def _series(self) -> dict[str, list[tuple[date, int]]]:
        from sia.queries import connect_duckdb, events_table, monthly_counts

        events = events_table(connect_duckdb(self.wh))
        counts = monthly_counts(events, self.partnership, by="district").to_pandas()
        covered = events.group_by(["source", "month"]).aggregate(n=events.count()).to_pandas()
        months_of: dict[str, list[date]] = {}
        for source, frame in covered.groupby("source"):
            months_of[str(source)] = sorted(
                m for m in (_as_date(x) for x in frame["month"]) if m <= self.a.period.end
            )
        series = {}
        for _, m in self.a.measures():
            frame = counts[counts["measure_id"] == m.id]
            by_month = {_as_date(r.month): int(r.count) for r in frame.itertuples()}
            series[m.id] = [(mo, by_month.get(mo, 0)) for mo in months_of.get(m.source, [])]
        return series

    def build(self) -> ReportContext:
        a = self.a
        themes = []
        for theme in self.partnership.themes:
            priorities = [self._priority(p) for p in a.priorities if p.theme == theme.id]
            themes.append(ThemeSection(id=theme.id, name=theme.name, priorities=priorities))
        wards, places = self._profiles()
        period = f"{_month(a.period.start)} to {_month(a.period.end)}"
        previous = f"{_month(a.previous_period.start)} to {_month(a.previous_period.end)}"
        return ReportContext(
            partnership_id=a.partnership,
            partnership_name=a.partnership_name,
            district_name=self.partnership.district.name,
            title=f"{a.partnership_name}: Strategic Intelligence Assessment",
            period_label=period,
            previous_label=previous,
            created_at=datetime.now(UTC),
            assessment_created_at=a.created_at,
            config_hash=a.config_hash,
            disclosure=self.policy.describe(),
            disclosure_profile=self.policy.profile,
            summary=self._summary(themes),
            statutory_duties=sorted(
                {DUTIES.get(d, d) for p in a.priorities for d in p.statutory_duties}
            ),
            methodology=self._methodology(),
            themes=themes,
            priorities_table=self._priorities_table(themes),
            status_table=self._status_table(themes),
            insight=self._insight_section(),
            insight_note=None
            if self.insight is not None
            else "The community insight summary was not available for this report: the "
            "figures below are the records held for the period.",
            cross_cutting=self._cross_cutting(themes),
            network_chart=charts.network_chart(self.partnership, self._links()),
            principles=[
                Figure(label=p.title, value=p.text) for p in self.partnership.report.principles
            ],
            next_steps=list(self.partnership.report.next_steps),
            manifest=self._manifest(),
            wards=wards,
            places=places,
        )

    # -- section 1 -------------------------------------------------------------------------
    def _summary(self, themes: list[ThemeSection]) -> list[str]:
        a = self.a
        measures = [m for _, m in a.measures()]
        rising = [m.name for m in measures if m.direction == "up"]
        falling = [m.name for m in measures if m.direction == "down"]
        concern = [m.name for m in measures if (m.spc.latest_status or "").endswith("concern")]
        harm = [m.name for m in measures if m.harm is not None and m.harm.rising_in_falling_total]
        lines = [
            f"This assessment covers {_month(a.period.start)} to {_month(a.period.end)}, "
            f"compared with the {a.previous_period.months} months before. It reviews "
            f"{len(a.priorities)} priorities in {len(themes)} themes through "
            f"{len(measures)} measures from {len(a.data_quality.sources)} sources.",
            "Rising significantly: " + (", ".join(rising) or "none") + ".",
            "Falling significantly: " + (", ".join(falling) or "none") + ".",
        ]
        if concern:
            lines.append("Latest month a special cause of concern: " + ", ".join(concern) + ".")
        if harm:
            lines.append("Harm rising inside a falling count: " + ", ".join(harm) + ".")
        if self.statuses:
            high = [
                p.name
                for t in themes
                for p in t.priorities
                if p.status and p.status.status == "high-focus"
            ]
            lines.append(f"Proposed high focus ({len(high)}): " + (", ".join(high) or "none") + ".")
        if a.data_quality.issues:
            lines.append(
                f"{len(a.data_quality.issues)} data-quality findings limit some figures "
                "(section 3)."
            )
        return lines

    # -- section 3 -------------------------------------------------------------------------
    def _methodology(self) -> Methodology:
        a = self.a
        loads = self.wh.loads()
        rows, keys = [], []
        for s in a.data_quality.sources:
            rows.append(
                [
                    SOURCES.get(s.source, s.source),
                    s.first_month.strftime("%b %Y"),
                    s.last_month.strftime("%b %Y"),
                    f"{s.months_with_data:,}",
                    f"{s.events:,}",
                    f"{s.period_events:,}",
                    f"{s.period_without_location:,}",
                    f"{len(s.loads):,}",
                ]
            )
            keys.append(s.source)
        sources = ReportTable(
            id="sources",
            title="Sources loaded",
            columns=[
                "Source",
                "First month",
                "Last month",
                "Months with data",
                "Events",
                "Events in the period",
                "Without location",
                "Files",
            ],
            rows=rows,
            keys=keys,
        )
        counts = self.wh.rows(_sql("insight_counts"), self.params)
        insight = ReportTable(
            id="insight-records",
            title="Engagement and sessions held in the period",
            columns=["Record", "Records", "Wards", "People attending or engaged"],
            rows=[
                [
                    SOURCES.get(r["source"], r["source"]),
                    f"{r['records']:,}",
                    f"{r['wards']:,}",
                    "–" if r["people"] is None else f"{int(r['people']):,}",
                ]
                for r in counts
            ],
            keys=[r["source"] for r in counts],
        )
        gaps = [i.message for i in a.data_quality.issues]
        return Methodology(
            sources=sources,
            insight=insight,
            data_gaps=gaps,
            files=len(loads),
            rows_read=sum(int(r["read"] or 0) for r in loads),
        )

    # -- section 4 -------------------------------------------------------------------------
    def _priority(self, p: PriorityResult) -> PrioritySection:
        evidence = []
        for d in p.statutory_duties:
            if d != "crime-and-disorder":
                evidence.append(f"Statutory duty: {DUTIES.get(d, d)}.")
        if p.owning_partnership:
            evidence.append(f"Oversight also by {p.owning_partnership}.")
        for m in p.measures:
            if m.count is None:
                evidence.append(f"{m.name}: no data loaded.")
                continue
            evidence.append(f"{m.name}: {m.count:,} in the period, {_direction_words(m)}.")
            if m.harm is not None and m.harm.rising_in_falling_total:
                evidence.append(f"{m.name}: harm rising inside a falling count.")
        if not p.measures:
            evidence.append("No measure of this priority is drawn from the data loaded.")
        return PrioritySection(
            id=p.id,
            name=p.name,
            theme=self.partnership.theme_name(p.theme),
            duties=[DUTIES.get(d, d) for d in p.statutory_duties],
            owning_partnership=p.owning_partnership,
            evidence=evidence,
            status=self.statuses.get(p.id),
            measures=[self._measure(m) for m in p.measures],
            indicators=self._indicator_table(p),
        )

    def _indicator_table(self, p: PriorityResult) -> ReportTable | None:
        """The priority's partner indicators: this period, the previous one, the change and
        its test. A sensitive count from 1 to ``threshold - 1`` is shown as the label (a
        quarter's Prevent referrals are as disclosive as a ward's), and then no change is
        given (it would give the count back); below the district, the policy's rounding
        applies to the others."""
        if not p.indicators:
            return None
        rows, keys, hidden, raw = [], [], [], {}
        for i in p.indicators:
            counted = i.unit == "count"
            sensitive = counted and (i.sensitive or sensitive_by_default(i.id, i.name))
            area = i.area_level not in (None, "district")
            cells = []
            for value in (i.value, i.previous_value):
                if value is None:
                    cells.append(Cell(None))
                elif sensitive and self.policy.is_small(int(value)):
                    cells.append(Cell(int(value), "primary", self.policy.label))
                else:
                    rounding = self.policy.rounding if sensitive and area else 1
                    cells.append(Cell(int(value), rounding=rounding) if counted else Cell(None))
            now, before = cells
            change = "–"
            if not (now.suppressed or before.suppressed) and i.change is not None:
                if counted and now.published is not None and before.published is not None:
                    change = f"{now.published - before.published:+,}"
                elif not counted:
                    change = f"{i.change:+,.1f}" + (" points" if i.unit == "percentage" else "")
            test = {"exact-poisson": "exact Poisson", "two-proportion-z": "two proportions"}
            called = "–"
            if i.test is not None and i.p_value is not None and i.direction is not None:
                called = f"{i.direction} ({test.get(i.test, i.test)}, p = {i.p_value:.3f})"
            elif i.previous_value is not None:
                called = "not tested"
            rows.append(
                [
                    i.name,
                    i.owner,
                    i.unit,
                    _indicator_value(i.value, now, i.unit),
                    _indicator_value(i.previous_value, before, i.unit),
                    change,
                    called,
                    i.polarity,
                ]
            )
            keys.append(i.id)
            for cell, column in ((now, "This period"), (before, "Previous period")):
                if cell.suppressed:
                    hidden.append((i.id, column))
                    raw[f"{i.id}|{column}"] = str(cell.value)
        notes = [
            "Each figure counts in the period its own period ends in; counts are summed over "
            "the period, shares pooled by their bases, other figures are the latest. A "
            "change is tested only for counts (exact Poisson test) and for shares with a "
            "known base (two-proportion test)."
        ]
        for i in p.indicators:
            notes += [f"{i.name}: {n}." for n in i.notes]
        return ReportTable(
            id=f"{p.id}-indicators",
            title=f"{p.name}: partner indicators",
            columns=[
                "Indicator",
                "Source",
                "Unit",
                "This period",
                "Previous period",
                "Change",
                "Change called",
                "Polarity",
            ],
            rows=rows,
            keys=keys,
            sensitive=any(i.sensitive or sensitive_by_default(i.id, i.name) for i in p.indicators),
            notes=notes,
            hidden=hidden,
            raw=raw,
        )

    def _measure(self, m: MeasureResult) -> MeasureSection:
        cells = self.cells[m.id]
        sensitive = is_sensitive(m)
        series = self.series.get(m.id, [])
        disclosed = self._disclosed_series(m) if sensitive else None
        control = m.spc.variation_icon or (m.spc.chart or "–")
        if disclosed is not None and disclosed.points and disclosed.points[-1].cell.suppressed:
            control = "not shown (the latest month is hidden)"
        figures = [
            Figure(label="Count in the period", value=_int(m.count)),
            Figure(label="Previous period", value=_int(m.previous_count)),
            Figure(label="Change", value=_pct_change(m.change_ratio)),
            Figure(label="Rate per 1,000 residents", value=_rate(m.rate)),
            Figure(label="Change called", value=_direction_cell(m.direction)),
            Figure(label="Long-term trend", value=m.trend.direction),
            Figure(label="Control chart", value=control),
        ]
        if m.harm is not None:
            figures.append(Figure(label="Harm (CSS) change", value=_pct_change(m.harm.harm_ratio)))
        if m.repeats and m.repeats.get("repeat_share") is not None:
            figures.append(
                Figure(label="Repeat victims' share", value=f"{m.repeats['repeat_share']:.1%}")
            )
        if m.count is None:
            summary = f"No data from {SOURCES.get(m.source, m.source)} was loaded."
        else:
            summary = (
                f"{m.count:,} in the period against {_int(m.previous_count)} before "
                f"({_pct_change(m.change_ratio)}): {_direction_words(m)}. "
                f"Long-term trend: {m.trend.direction}."
            )
        wards = _area_table(m, cells, "ward", f"{m.name}: by ward")
        hotspots = self._hotspot_table(m, sensitive)
        return MeasureSection(
            id=m.id,
            name=m.name,
            source=SOURCES.get(m.source, m.source),
            sensitive=sensitive,
            summary=summary,
            figures=figures,
            trend_chart=charts.trend_chart(m, series, disclosed, self.policy),
            map_chart=maps.ward_map(m.id, m.name, wards, self.district_code),
            places=_area_table(m, cells, "place", f"{m.name}: by place"),
            wards=wards,
            hotspots=hotspots,
            hotspot_map=maps.hotspot_map(
                m.id,
                m.name,
                self.hotspots.get(m.id),
                hotspots,
                self.district_code,
                self.ward_names,
            ),
            series=self._series_table(m, series, disclosed),
            notes=list(m.notes),
        )

    def _disclosed_series(self, m: MeasureResult) -> Series:
        """A sensitive measure's district series with its small months hidden."""
        a = self.a
        return disclose_series(
            self.series.get(m.id, []),
            (a.period.start, a.period.end),
            (a.previous_period.start, a.previous_period.end),
            self.policy,
        )

    def _series_table(
        self, m: MeasureResult, series: list[tuple[date, int]], disclosed: Series | None
    ) -> ReportTable | None:
        """The counts behind the trend chart (a sheet of the Excel file)."""
        if len(series) < 2:
            return None
        special = {c.month: c.status for c in m.spc.special_causes}
        rows, keys, hidden, raw = [], [], [], {}
        if disclosed is None:
            for month, n in series:
                label = f"{month.year:04d}-{month.month:02d}"
                rows.append([f"{month:%b %Y}", f"{n:,}", charts._signal(special.get(label))])
                keys.append(label)
            columns = ["Month", "Count", "Signal"]
        else:
            monthly = disclosed.grain == "month"
            columns = ["Month" if monthly else "Months", "Count", "Signal"]
            for point in disclosed.points:
                label = f"{point.first.year:04d}-{point.first.month:02d}"
                name = (
                    f"{point.first:%b %Y}"
                    if monthly
                    else f"{point.first:%b %Y} to {point.last:%b %Y}"
                )
                signal = "–"
                if monthly and not point.cell.suppressed:
                    signal = charts._signal(special.get(label))
                rows.append([name, point.cell.shown, signal])
                keys.append(label)
                if point.cell.suppressed:
                    hidden.append((label, "Count"))
                    raw[f"{label}|Count"] = str(point.cell.value)
        notes = []
        if disclosed is not None:
            notes.append(
                f"Sensitive measure: counts from 1 to {self.policy.threshold - 1} are shown as "
                f"{self.policy.label!r} and further counts as [c], so that none can be worked "
                "out from the period's total."
            )
            if disclosed.grain == "quarter":
                notes.append(
                    "Too many months are small to publish them: the counts are given in "
                    "blocks of three months counted back from the period's last month"
                    + (
                        f" ({disclosed.dropped} earlier months are left out)."
                        if disclosed.dropped
                        else "."
                    )
                )
        return ReportTable(
            id=f"{m.id}-series",
            title=f"{m.name}: the counts of the trend chart",
            columns=columns,
            rows=rows,
            keys=keys,
            measure_id=m.id,
            sensitive=disclosed is not None,
            notes=notes,
            hidden=hidden,
            raw=raw,
        )

    def _hotspot_table(self, m: MeasureResult, sensitive: bool) -> ReportTable | None:
        h = self.hotspots.get(m.id)
        if not h or not h.get("areas"):
            return None
        columns = ["LSOA", "Ward", "Place", "Classification", "Pattern", "Gi* z", "IMD decile"]
        if not sensitive:
            columns.insert(3, str(h.get("value", "value")).capitalize())
        rows, keys = [], []
        for area in h["areas"]:
            row = [
                area["lsoa_code"],
                self.ward_names.get(area.get("ward_code") or "", "–"),
                area.get("place") or "–",
                area.get("classification") or "–",
                area.get("pattern") or "–",
                f"{area['gi_z']:.2f}" if area.get("gi_z") is not None else "–",
                str(area.get("imd_decile") or "–"),
            ]
            if not sensitive:
                value = area.get("value")
                row.insert(3, "–" if value is None else f"{value:,.2f}")
            rows.append(row)
            keys.append(area["lsoa_code"])
        notes = [
            f"{h.get('hot', 0)} hot and {h.get('cold', 0)} cold LSOAs; "
            f"{h.get('hot_in_most_deprived_fifth', 0)} hot LSOAs in the most deprived fifth."
        ]
        if sensitive:
            notes.append("Sensitive measure: LSOA values are not published.")
        return ReportTable(
            id=f"{m.id}-hotspots",
            title=f"{m.name}: hotspots (LSOAs)",
            columns=columns,
            rows=rows,
            keys=keys,
            measure_id=m.id,
            sensitive=sensitive,
            notes=notes,
        )

    # -- 4.3 ---------------------------------------------------------------------------------
    def _priorities_table(self, themes: list[ThemeSection]) -> ReportTable:
        rows, keys = [], []
        for t in themes:
            for p in t.priorities:
                status = p.status.status if p.status else "not yet prioritised"
                criteria = "; ".join(p.status.criteria) if p.status else ""
                measures = [m for m in p.measures]
                signals = []
                for m in measures:
                    if m.figures and any(
                        f.label == "Change called" and f.value == "up" for f in m.figures
                    ):
                        signals.append(f"{m.name} rising")
                rows.append(
                    [
                        p.name,
                        t.name,
                        _STATUS_NAMES.get(status, status),
                        criteria or "; ".join(signals) or "–",
                        ", ".join(d for d in p.duties) or "–",
                        p.owning_partnership or "–",
                    ]
                )
                keys.append(p.id)
        notes = []
        if not self.statuses:
            notes.append(
                "The prioritisation has not been run: the statuses are to be proposed; the "
                "criteria column shows the measures rising significantly."
            )
        return ReportTable(
            id="priorities",
            title="Proposed priorities",
            columns=[
                "Priority",
                "Theme",
                "Proposed status",
                "Criteria",
                "Statutory duties",
                "Oversight",
            ],
            rows=rows,
            keys=keys,
            notes=notes,
        )

    def _status_table(self, themes: list[ThemeSection]) -> ReportTable | None:
        """The seed's 4.3 layout: the work areas under each proposed status."""
        if not self.statuses:
            return None
        columns = {"high-focus": [], "monitor": [], "cross-cutting": []}
        for t in themes:
            for p in t.priorities:
                if p.status and p.status.status in columns:
                    columns[p.status.status].append(p.name)
        depth = max(len(v) for v in columns.values())
        rows = [
            [columns[k][i] if i < len(columns[k]) else "" for k in columns] for i in range(depth)
        ]
        return ReportTable(
            id="status",
            title="Proposed status of each work area",
            columns=[_STATUS_NAMES[k] for k in columns],
            rows=rows,
            keys=[str(i) for i in range(depth)],
        )

    # -- section 5 -------------------------------------------------------------------------
    def _insight_section(self) -> InsightSection | None:
        s = self.insight
        if s is None:
            return None
        e = s.engaged
        engaged = [
            Figure(label="Councillor ward meetings", value=f"{e.councillor_sessions:,}"),
            Figure(label="Wards with a meeting", value=f"{e.councillor_wards:,}"),
            Figure(label="Councillors attending", value=f"{e.councillors:,}"),
            Figure(label="Officer sessions", value=f"{e.officer_sessions:,}"),
            Figure(label="Officers attending", value=f"{e.officers:,}"),
            Figure(label="Community engagements", value=f"{e.engagements:,}"),
            Figure(label="Tension reports", value=f"{e.tension_reports:,}"),
        ]
        reach = ReportTable(
            id="reach",
            title="Reach of community engagement by place",
            columns=[
                "Place",
                "Engagements",
                "Individuals",
                "Groups",
                "Mosques",
                "Other faith orgs",
            ],
            rows=[
                [
                    r.place,
                    f"{r.engagements:,}",
                    f"{r.individuals:,}",
                    f"{r.groups:,}",
                    "N/A" if r.mosques is None else f"{r.mosques:,}",
                    "N/A" if r.other_faith is None else f"{r.other_faith:,}",
                ]
                for r in s.reach
            ],
            keys=[r.place for r in s.reach],
        )
        from sia.insight.summary import FEELINGS

        feelings = ReportTable(
            id="feelings",
            title="How people feel, by place (engagements)",
            columns=["Place", *[f.capitalize() for f in FEELINGS], "Not recorded", "Total"],
            rows=[
                [
                    r.place,
                    *[f"{r.feelings.get(f, 0):,}" for f in FEELINGS],
                    f"{r.not_recorded:,}",
                    f"{r.total:,}",
                ]
                for r in s.feelings
            ],
            keys=[r.place for r in s.feelings],
        )

        def concern_table(table_id: str, title: str, rows: list) -> ReportTable:
            return ReportTable(
                id=table_id,
                title=title,
                columns=["Rank", "Concern", "Mentions", "Previous period", "Change"],
                rows=[
                    [
                        str(c.rank),
                        c.name,
                        f"{c.mentions:,}",
                        f"{c.previous_mentions:,}",
                        f"{c.change:+,}",
                    ]
                    for c in rows
                ],
                keys=[c.concern_id for c in rows],
            )

        concerns = concern_table("concerns", "Concerns raised most, district", s.concerns[:15])
        by_place = [
            concern_table(f"concerns-{slug(place)}", f"Concerns raised most: {place}", rows[:10])
            for place, rows in s.by_place.items()
        ]
        common = ReportTable(
            id="common-concerns",
            title="Concerns shared by councillors, officers and communities",
            columns=["Concern", "Raised by", "Mentions by source"],
            rows=[
                [
                    c.name,
                    ", ".join(c.sources),
                    "; ".join(f"{k} {v:,}" for k, v in c.by_source.items()),
                ]
                for c in s.common
            ],
            keys=[c.concern_id for c in s.common],
        )
        return InsightSection(
            engaged=engaged,
            reach=reach,
            feelings=feelings,
            concerns=concerns,
            by_place=by_place,
            common=common,
            reach_chart=charts.reach_chart(s.reach),
        )

    # -- section 6 -------------------------------------------------------------------------
    def _links(self) -> list[tuple[str, str, int]]:
        """Linked priority pairs: the prioritisation's links when it was run, else those
        raised together in the insight (when summarised)."""
        if self.priority_links:
            return self.priority_links
        if self.insight is None:
            return []
        ids = {p.id for p in self.partnership.priorities}
        names = {c.concern_id: c.priority_id for c in self.insight.concerns if c.priority_id}
        links = []
        for link in self.insight.links:
            a, b = names.get(link.a, link.a), names.get(link.b, link.b)
            if a in ids and b in ids and a != b:
                links.append((a, b, link.records))
        return links

    def _cross_cutting(self, themes: list[ThemeSection]) -> list[str]:
        lines = []
        cross = [
            p.name
            for t in themes
            for p in t.priorities
            if p.status is not None and p.status.status == "cross-cutting"
        ]
        if cross:
            lines.append("Proposed cross-cutting priorities: " + ", ".join(cross) + ".")
        deprived = []
        for _, m in self.a.measures():
            d = m.deprivation or {}
            over = d.get("over_representation")
            if over is not None and over >= 1.5:
                deprived.append(f"{m.name} ({over:.1f} times)")
        if deprived:
            lines.append(
                "Deprivation: over-represented in the most deprived fifth of LSOAs: "
                + ", ".join(deprived)
                + "."
            )
        links = sorted(self._links(), key=lambda x: -x[2])[:8]
        if links:
            names = {p.id: p.name for p in self.partnership.priorities}
            lines.append(
                "Linked in the evidence (raised together, wards moving together or a "
                "configured driver): "
                + "; ".join(f"{names[a]} with {names[b]} ({n:,})" for a, b, n in links)
                + "."
            )
        duties: dict[str, list[str]] = {}
        for p in self.a.priorities:
            for d in p.statutory_duties:
                if d != "crime-and-disorder":
                    duties.setdefault(DUTIES.get(d, d), []).append(p.name)
        for duty, names_ in sorted(duties.items()):
            if len(names_) > 1:
                lines.append(f"{duty} spans: " + ", ".join(names_) + ".")
        return lines

    # -- appendix A ----------------------------------------------------------------------------
    def _manifest(self) -> ReportTable:
        rows, keys = [], []
        for r in self.wh.loads():
            rows.append(
                [
                    Path(r["file"]).name,
                    r["source"],
                    r["sha256"],
                    f"{int(r['read'] or 0):,}",
                    f"{int(r['loaded'] or 0):,}",
                    f"{int(r['duplicates'] or 0):,}",
                    f"{int(r['skipped'] or 0):,}",
                    f"{int(r['rejected'] or 0):,}",
                    _month_span(r.get("first_month"), r.get("last_month")),
                ]
            )
            keys.append(str(r["load_id"]))
        return ReportTable(
            id="manifest",
            title="Data manifest: every file loaded",
            columns=[
                "File",
                "Source",
                "SHA-256",
                "Rows read",
                "Loaded",
                "Duplicates",
                "Skipped",
                "Rejected",
                "Months",
            ],
            rows=rows,
            keys=keys,
        )

    # -- profiles ------------------------------------------------------------------------------
    def _profiles(self) -> tuple[list[AreaProfile], list[AreaProfile]]:
        raised = self.wh.rows(_sql("raised"), self.params)
        notes = self.wh.rows(_sql("councillor_notes"), self.params)
        wards = []
        for w in self.partnership.wards:
            wards.append(
                self._profile(
                    "ward",
                    w.code,
                    w.name,
                    [r for r in raised if r["ward_code"] == w.code],
                    [n for n in notes if n["ward_code"] == w.code],
                )
            )
        places = []
        for p in self.partnership.places:
            places.append(
                self._profile(
                    "place",
                    p.name,
                    p.name,
                    [r for r in raised if r["place"] == p.name],
                    [n for n in notes if n["place"] == p.name],
                    wards=p.wards,
                )
            )
        return wards, places

    def _profile(
        self,
        kind: str,
        code: str,
        name: str,
        raised: list[dict],
        notes: list[dict],
        wards: list[str] | None = None,
    ) -> AreaProfile:
        rows, keys, hidden, raw = [], [], [], {}
        for priority, m in self.a.measures():
            areas = m.by_ward if kind == "ward" else m.by_place
            area = next((a for a in areas if (a.code if kind == "ward" else a.name) == code), None)
            if area is None:
                continue
            cell = self.cells[m.id].current.cells[(kind, code)]
            rate = _shown_rate(cell, area.rate)
            ratio = "–"
            if rate is not None and m.rate:
                ratio = f"{rate / m.rate:.2f}"
            rows.append(
                [
                    priority.name,
                    m.name,
                    cell.shown or "–",
                    _rate(rate),
                    _rate(m.rate),
                    ratio,
                    _direction_cell(area.direction),
                ]
            )
            keys.append(m.id)
            if cell.suppressed:
                hidden += [(m.id, "Count"), (m.id, "Rate per 1,000")]
                raw[f"{m.id}|Count"] = str(cell.value)
                raw[f"{m.id}|Rate per 1,000"] = _rate(area.rate)
        figures = ReportTable(
            id=f"{kind}-{slug(name)}-figures",
            title=f"{name}: the priorities' measures against {self.partnership.district.name}",
            columns=[
                "Priority",
                "Measure",
                "Count",
                "Rate per 1,000",
                "District rate",
                "Against district",
                "Change",
            ],
            rows=rows,
            keys=keys,
            sensitive=any(is_sensitive(m) for _, m in self.a.measures()),
            notes=[
                "Against district: the area's rate divided by the district's (above 1: higher)."
            ],
            hidden=hidden,
            raw=raw,
        )
        hot_rows, hot_keys = [], []
        measure_names = {m.id: m.name for _, m in self.a.measures()}
        for h in self.a.hotspots:
            for area in h.get("areas", []):
                inside = (
                    area.get("ward_code") == code if kind == "ward" else area.get("place") == code
                )
                if inside and area.get("classification") == "hot":
                    hot_rows.append(
                        [
                            measure_names.get(h["measure_id"], h["measure_id"]),
                            area["lsoa_code"],
                            self.ward_names.get(area.get("ward_code") or "", "–"),
                            area.get("pattern") or "–",
                        ]
                    )
                    hot_keys.append(f"{h['measure_id']}|{area['lsoa_code']}")
        hotspots = ReportTable(
            id=f"{kind}-{slug(name)}-hotspots",
            title=f"{name}: hotspots",
            columns=["Measure", "LSOA", "Ward", "Pattern"],
            rows=hot_rows,
            keys=hot_keys,
        )
        counted: dict[tuple[str, str], int] = {}
        for r in raised:
            counted[(r["voice"], r["concern"])] = counted.get((r["voice"], r["concern"]), 0) + int(
                r["records"]
            )
        raised_rows = [
            [voice.capitalize(), concern.replace("-", " ").capitalize(), f"{n:,}"]
            for (voice, concern), n in sorted(counted.items(), key=lambda x: (x[0][0], -x[1]))
        ]
        remarks = []
        for n in notes:
            if n.get("praise"):
                remarks.append(f"Councillors praised: {n['praise']}.")
            if n.get("suggestions"):
                remarks.append(f"Councillors suggested: {n['suggestions']}.")
        return AreaProfile(
            kind=kind,
            code=code,
            name=name,
            slug=slug(name),
            place=self.place_of_ward.get(code) if kind == "ward" else None,
            wards=wards or [],
            figures=figures,
            hotspots=hotspots,
            map_chart=maps.area_map(
                kind,
                name,
                [code] if kind == "ward" else [self.ward_codes[w] for w in wards or []],
                hotspots,
                self.district_code,
                self.lsoa_vintage,
            ),
            raised=ReportTable(
                id=f"{kind}-{slug(name)}-raised",
                title=f"{name}: what was raised",
                columns=["By", "Concern", "Records"],
                rows=raised_rows,
                keys=[f"{v}|{c}" for (v, c) in sorted(counted)],
            ),
            notes=remarks,
        )


_STATUS_NAMES = {
    "high-focus": "High focus",
    "monitor": "Continue to monitor",
    "cross-cutting": "Cross-cutting",
}


def _as_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return datetime.fromisoformat(str(value)[:10]).date()


def _indicator_value(value: float | None, cell: Cell, unit: str) -> str:
    """An indicator's figure as printed: a count through its disclosure cell, a percentage
    with one decimal, anything else with two."""
    if value is None:
        return "–"
    if unit == "count":
        return cell.shown
    if unit == "percentage":
        return f"{value:,.1f}%"
    return f"{value:,.2f}"


def _month_span(first: Any, last: Any) -> str:
    if not first or not last:
        return "–"
    a, b = _as_date(first), _as_date(last)
    return a.strftime("%b %Y") if a == b else f"{a:%b %Y} to {b:%b %Y}"


def statuses_from(prioritisation: Any) -> dict[str, Status]:
    """The status in force per priority, from the prioritisation's recommendation (read by
    its attributes, so the report does not depend on that module's classes): each call's
    ``decision`` (the override when there is one, else the recommended ``status``), the
    criteria that held in words, the rationale and the override with who, when and why."""
    if prioritisation is None:
        return {}
    found = {}
    for call in getattr(prioritisation, "priorities", prioritisation):
        status = getattr(call, "decision", None) or getattr(call, "status", None)
        if status is None:
            continue
        override = getattr(call, "override", None)
        words = None
        if override is not None:
            words = (
                f"{_STATUS_NAMES.get(override.status, override.status)}, decided by "
                f"{override.decided_by} on {override.decided_at:%d %B %Y} (recommended: "
                f"{_STATUS_NAMES.get(call.status, call.status)}): {override.reason}"
            )
        found[call.id] = Status(
            status=str(status),
            criteria=[c.text for c in getattr(call, "criteria", [])],
            rationale=getattr(call, "rationale", "") or "",
            override=words,
        )
    return found


def links_from(prioritisation: Any) -> list[tuple[str, str, int]]:
    """Pairs of linked priorities in the prioritisation (insight, wards or configured
    drivers), each pair once, weighted by the kinds of evidence that link it."""
    if prioritisation is None:
        return []
    weights: dict[tuple[str, str], set[str]] = {}
    for call in prioritisation.priorities:
        for link in call.links:
            a, b = sorted((link.source, link.target))
            if a != b:
                weights.setdefault((a, b), set()).add(link.kind)
    return [(a, b, len(kinds)) for (a, b), kinds in sorted(weights.items())]


def build_context(
    wh: Warehouse,
    partnership: Partnership,
    assessment: Assessment | None = None,
    insight: InsightSummary | None = None,
    prioritisation: Any = None,
    disclosure: str | None = None,
) -> ReportContext:
    """The report context of the stored assessment (or the one given), under the
    ``disclosure`` profile (``internal`` or ``public``; default: the configured one).

    Raises
    ------
    ReportError
        When no assessment is stored, or the stored one was made for another partnership.
    """
    assessment = assessment or latest_assessment(wh)
    if assessment is None:
        raise ReportError("no assessment is stored in the warehouse: run `sia assess` first")
    if assessment.partnership != partnership.id:
        raise ReportError(
            f"the stored assessment is for partnership {assessment.partnership!r}, "
            f"not {partnership.id!r}"
        )
    return _Builder(
        wh,
        partnership,
        assessment,
        insight,
        statuses_from(prioritisation),
        links_from(prioritisation),
        disclosure,
    ).build()


def context_json(context: ReportContext) -> str:
    """The context as JSON (for debugging and the tests)."""
    return json.dumps(context.model_dump(mode="json"), indent=1, ensure_ascii=False)

"""The tension log's figures: the weekly operational list, the monthly strategic summary
and this week's level for the dashboard.

Weeks run Monday to Sunday (ISO weeks); "this week" is from Monday to today. The monthly
summary counts the reports of each of the last twelve calendar months (the current one
so far included) with their highest and average level. It shows the series as it is and
calls no trend: twelve monthly counts of a few reports are too few and too noisy for a
direction to mean much, and the reports depend on who was out recording.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Avg, Count, Max
from django.db.models.functions import TruncMonth
from django.utils import timezone

from webapp.partnership import partnership
from webapp.tension.models import TensionReport

DISTRICT = "District-wide"


@dataclass(frozen=True)
class Week:
    start: date  # a Monday
    end: date  # the Sunday after it

    @classmethod
    def of(cls, day: date) -> Week:
        start = day - timedelta(days=day.weekday())
        return cls(start, start + timedelta(days=6))

    def previous(self) -> Week:
        return Week.of(self.start - timedelta(days=7))


@dataclass
class AreaGroup:
    """The reports of one place (and ward) in a week, highest level first."""

    place: str
    ward: str  # the ward's name, or "" for the place as a whole
    reports: list[TensionReport] = field(default_factory=list)

    @property
    def highest(self) -> int:
        return max(r.level for r in self.reports)


@dataclass
class WeekList:
    week: Week
    groups: list[AreaGroup]

    @property
    def count(self) -> int:
        return sum(len(g.reports) for g in self.groups)

    @property
    def highest(self) -> int | None:
        return max((g.highest for g in self.groups), default=None)


def week_list(week: Week) -> WeekList:
    """The week's reports grouped by place and ward; the groups with the highest level
    first, then by place and ward name."""
    wards = {w.code: w.name for w in partnership().wards}
    groups: dict[tuple[str, str], AreaGroup] = {}
    reports = TensionReport.objects.filter(date__range=(week.start, week.end)).order_by(
        "-level", "-date"
    )
    for report in reports:
        key = (report.place or DISTRICT, wards.get(report.ward_code, report.ward_code))
        groups.setdefault(key, AreaGroup(*key)).reports.append(report)
    ordered = sorted(groups.values(), key=lambda g: (-g.highest, g.place, g.ward))
    return WeekList(week, ordered)


@dataclass(frozen=True)
class MonthFigures:
    month: date  # its first day
    reports: int
    highest: int | None
    average: float | None


def last_months(today: date, n: int = 12) -> list[date]:
    """The first days of the last ``n`` calendar months, oldest first, ``today``'s last."""
    months = []
    year, month = today.year, today.month
    for _ in range(n):
        months.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def monthly_summary(today: date | None = None, n: int = 12) -> list[MonthFigures]:
    """Reports, highest and average level in each of the last ``n`` months (none: 0 and
    no level)."""
    today = today or timezone.localdate()
    months = last_months(today, n)
    rows = (
        TensionReport.objects.filter(date__gte=months[0], date__lte=today)
        .annotate(month=TruncMonth("date"))
        .values("month")
        .annotate(reports=Count("id"), highest=Max("level"), average=Avg("level"))
    )
    found = {_first_day(r["month"]): r for r in rows}
    return [
        MonthFigures(
            m,
            found[m]["reports"] if m in found else 0,
            found[m]["highest"] if m in found else None,
            float(found[m]["average"]) if m in found else None,
        )
        for m in months
    ]


def _first_day(value) -> date:
    """TruncMonth gives a date (or, on some databases, a datetime): its month's first day."""
    if hasattr(value, "date"):
        value = value.date()
    return value.replace(day=1)


@dataclass(frozen=True)
class WeekLevel:
    """This week's tension, for the dashboard: reports and their highest level, with last
    week's beside them (no level when there were no reports)."""

    week: Week
    reports: int
    highest: int | None
    last_week_reports: int
    last_week_highest: int | None


def this_weeks_tension(today: date | None = None) -> WeekLevel:
    """This week's count of tension reports and highest level, and last week's."""
    week = Week.of(today or timezone.localdate())
    figures = []
    for w in (week, week.previous()):
        got = TensionReport.objects.filter(date__range=(w.start, w.end)).aggregate(
            n=Count("id"), top=Max("level")
        )
        figures.append((got["n"], got["top"]))
    return WeekLevel(week, *figures[0], *figures[1])

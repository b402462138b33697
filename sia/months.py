"""Calendar months as the first day of the month (how the warehouse stores ``month``)."""

from __future__ import annotations

from datetime import date, timedelta

from pydantic import BaseModel, ConfigDict


def add_months(month: date, n: int) -> date:
    """The first day of the month ``n`` months after ``month`` (``n`` may be negative).

    >>> add_months(date(2025, 11, 1), 3)
    datetime.date(2026, 2, 1)
    """
    ordinal = month.year * 12 + month.month - 1 + n
    return date(ordinal // 12, ordinal % 12 + 1, 1)


def months_between(start: date, end: date) -> int:
    """Months from ``start`` to ``end``, both included."""
    return (end.year - start.year) * 12 + end.month - start.month + 1


def month_range(start: date, end: date) -> list[date]:
    """Every month from ``start`` to ``end``, both included."""
    return [add_months(start, i) for i in range(max(months_between(start, end), 0))]


def month_end(month: date) -> date:
    """The last day of ``month``.

    >>> month_end(date(2024, 2, 1))
    datetime.date(2024, 2, 29)
    """
    return add_months(date(month.year, month.month, 1), 1) - timedelta(days=1)


class Period(BaseModel):
    """A run of whole months: ``start`` and ``end`` are the first days of the first and
    last month, both included (the period of an assessment or an insight summary)."""

    model_config = ConfigDict(extra="forbid")

    start: date
    end: date
    months: int

"""Constructed assessments and insight for the prioritisation tests.

Every figure here is written by hand so that a test can make one criterion hold and see
the status change; nothing is read from the demo pack.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sia.assessment import (
    AreaResult,
    Assessment,
    DataQuality,
    MeasureResult,
    Period,
    PriorityResult,
    SpcResult,
    TrendResult,
)
from sia.config import Partnership, load_partnership
from sia.prioritise.evidence import CommunityEvidence, CommunityInput


def kirklees(**changes: Any) -> Partnership:
    """Kirklees, with top-level keys replaced (validated again)."""
    data = load_partnership("kirklees").model_dump(mode="json")
    data.update(changes)
    return Partnership.model_validate(data)


def with_priority(partnership: Partnership, priority_id: str, **changes: Any) -> Partnership:
    """The partnership with one priority's keys replaced (validated again)."""
    data = partnership.model_dump(mode="json")
    for p in data["priorities"]:
        if p["id"] == priority_id:
            p.update(changes)
    return Partnership.model_validate(data)


def measure(
    measure_id: str,
    count: int | None = 100,
    previous: int | None = 100,
    direction: str | None = "stable",
    polarity: str = "up-is-bad",
    icon: str | None = "common cause",
    wards: dict[str, float] | None = None,
    **fields: Any,
) -> MeasureResult:
    """A measure's result with the figures the rules read."""
    by_ward = [
        AreaResult(
            code=code,
            name=code,
            count=round(rate * 10),
            previous_count=None,
            rate=rate,
            direction=None,
        )
        for code, rate in (wards or {}).items()
    ]
    return MeasureResult(
        id=measure_id,
        name=measure_id.replace("-", " ").capitalize(),
        source="police-uk",
        sensitive=fields.pop("sensitive", False),
        polarity=polarity,
        count=count,
        previous_count=previous,
        rate=fields.pop("rate", None if count is None else count / 100),
        change_ratio=None if not previous or count is None else count / previous,
        change_p_value=fields.pop("p_value", 0.5),
        direction=direction,
        trend=TrendResult(direction="no trend"),
        spc=SpcResult(chart="XmR", months=24, variation_icon=icon),
        by_ward=by_ward,
        **fields,
    )


def assessment(partnership: Partnership, measures: dict[str, list[MeasureResult]]) -> Assessment:
    """An assessment of ``partnership`` whose priorities carry ``measures`` (by priority
    id; others have none)."""
    priorities = [
        PriorityResult(
            id=p.id,
            name=p.name,
            theme=p.theme,
            statutory_duties=[str(d) for d in p.statutory_duties],
            owning_partnership=p.owning_partnership,
            measures=measures.get(p.id, []),
        )
        for p in partnership.priorities
    ]
    return Assessment(
        created_at=datetime(2026, 2, 1, tzinfo=UTC),
        partnership=partnership.id,
        partnership_name=partnership.name,
        district_code=partnership.district.code,
        config_hash="test",
        significance_level=partnership.significance_level,
        loads=[],
        period=Period(start=date(2025, 2, 1), end=date(2026, 1, 1), months=12),
        previous_period=Period(start=date(2024, 2, 1), end=date(2025, 1, 1), months=12),
        priorities=priorities,
        data_quality=DataQuality(rules={}, sources=[], issues=[]),
    )


def community(**evidence: dict[str, Any]) -> CommunityInput:
    """Community evidence per priority id, e.g. ``community(asb={"mentions": 40, ...})``."""
    return CommunityInput(
        period="2025-02:2026-01",
        priorities={
            pid: CommunityEvidence(priority_id=pid, **values) for pid, values in evidence.items()
        },
        records=1000,
    )

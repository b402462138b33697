"""Keeping recommendations and overrides in the warehouse.

A recommendation is stored whole (table ``prioritisations``) with one row per priority
(``priority_recommendations``). An override (``sia override``) is a new row of
``priority_overrides`` with who made it and when; no row is ever changed or deleted,
so the history of decisions stays, and the decision in force is the newest.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sia.prioritise.models import STATUSES, Override, Recommendation

if TYPE_CHECKING:
    from sia.warehouse import Warehouse

__all__ = [
    "OverrideError",
    "latest_overrides",
    "latest_recommendation",
    "override_history",
    "record_override",
    "store_recommendation",
]


class OverrideError(ValueError):
    """An override that cannot be kept: unknown priority or status, no reason or name."""


_INSERT = """
INSERT INTO prioritisations (prioritisation_id, assessment_id, created_at, config_hash,
    version, document)
VALUES ($id, $assessment_id, $created_at, $config_hash, $version, $document)
"""


def store_recommendation(wh: Warehouse, recommendation: Recommendation, config_hash: str) -> int:
    """Keep the recommendation, all or nothing; return its ``prioritisation_id``."""
    with wh.transaction() as con:
        row = con.execute("SELECT coalesce(max(prioritisation_id), 0) + 1 FROM prioritisations")
        prioritisation_id = int(row.fetchone()[0])
        con.execute(
            _INSERT,
            {
                "id": prioritisation_id,
                "assessment_id": recommendation.assessment_id,
                "created_at": recommendation.created_at.astimezone(UTC).replace(tzinfo=None),
                "config_hash": config_hash,
                "version": recommendation.version,
                "document": recommendation.to_json(indent=None),
            },
        )
        con.executemany(
            "INSERT INTO priority_recommendations VALUES (?, ?, ?, ?, ?, ?)",
            [
                [
                    prioritisation_id,
                    p.id,
                    p.status,
                    p.score.risk,
                    p.rank,
                    [c.kind for c in p.criteria],
                ]
                for p in recommendation.priorities
            ],
        )
    return prioritisation_id


def latest_recommendation(wh: Warehouse) -> tuple[int, Recommendation] | None:
    """The newest stored recommendation and its id, or None."""
    rows = wh.rows(
        "SELECT prioritisation_id, document FROM prioritisations "
        "ORDER BY prioritisation_id DESC LIMIT 1"
    )
    if not rows:
        return None
    return int(rows[0]["prioritisation_id"]), Recommendation.model_validate_json(
        rows[0]["document"]
    )


def _override(row: dict) -> Override:
    return Override.model_validate(row)


def latest_overrides(wh: Warehouse) -> dict[str, Override]:
    """The decision in force per overridden priority."""
    from sia.warehouse import sql

    return {r["priority_id"]: _override(r) for r in wh.rows(sql("prioritise_latest_overrides"))}


def override_history(wh: Warehouse, priority_id: str | None = None) -> list[Override]:
    """Every override (of one priority, or all), oldest first."""
    from sia.warehouse import sql

    rows = wh.rows(sql("prioritise_override_history"), {"priority_id": priority_id})
    return [_override(r) for r in rows]


def record_override(
    wh: Warehouse,
    priority_id: str,
    status: str,
    reason: str,
    decided_by: str,
    decided_at: datetime | None = None,
) -> Override:
    """Keep an analyst's decision on a priority, with the recommendation then in force.

    Raises
    ------
    OverrideError
        Naming what is wrong: a priority not in the partnership, a status not one of
        high-focus, monitor, cross-cutting, or an empty reason or name.
    """
    priority_ids = [p.id for p in wh.partnership.priorities]
    if priority_id not in priority_ids:
        raise OverrideError(
            f"priority {priority_id!r} is not in the partnership; choose from {priority_ids}"
        )
    if status not in STATUSES:
        raise OverrideError(f"status {status!r} is not one of {list(STATUSES)}")
    if not reason or not reason.strip():
        raise OverrideError("--reason is empty: say why the recommendation is overridden")
    if not decided_by or not decided_by.strip():
        raise OverrideError("--by is empty: give the name of the person deciding")
    latest = latest_recommendation(wh)
    recommended = None
    prioritisation_id = None
    if latest is not None:
        prioritisation_id, recommendation = latest
        recommended = next(
            (p.status for p in recommendation.priorities if p.id == priority_id), None
        )
    when = (decided_at or datetime.now(UTC)).astimezone(UTC).replace(tzinfo=None)
    with wh.transaction() as con:
        row = con.execute("SELECT coalesce(max(override_id), 0) + 1 FROM priority_overrides")
        override_id = int(row.fetchone()[0])
        con.execute(
            "INSERT INTO priority_overrides VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                override_id,
                priority_id,
                status,
                reason.strip(),
                decided_by.strip(),
                when,
                prioritisation_id,
                recommended,
            ],
        )
    return Override(
        override_id=override_id,
        priority_id=priority_id,
        status=status,
        reason=reason.strip(),
        decided_by=decided_by.strip(),
        decided_at=when,
        recommended_status=recommended,
    )

"""Priority review: read the stored recommendation, keep an analyst's override.

The recommendation, its overrides and the assessment live in the warehouse (``sia
prioritise``, ``sia override``, ``sia assess``). Reading opens it read-only and closes it
at once. An override opens it for the write only: DuckDB lets one process write at a
time, so when a load, an assessment or a ``sia`` command holds it, the analyst is told
the warehouse is busy rather than shown an error. Overrides go through
:func:`sia.prioritise.store.record_override`, the same store ``sia override`` writes, so
the next report shows both the recommendation and the decision.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
from pydantic import ValidationError
from sia.config import Partnership
from sia.prioritise.models import Override, PriorityCall, Recommendation
from sia.prioritise.store import (
    OverrideError,
    latest_overrides,
    latest_recommendation,
    override_history,
    record_override,
)
from sia.warehouse import Warehouse, WarehouseError

from webapp.audit.records import record_audit

if TYPE_CHECKING:
    from sia.assessment import Assessment, PriorityResult

#: The warehouse is held by another writer (a load, an assessment, a ``sia`` command).
BUSY = "The warehouse is being updated (a load or an assessment is running). Try again in a minute."


class WarehouseBusy(Exception):
    """Another process is writing the warehouse; nothing was changed."""


@dataclass
class Review:
    """The latest recommendation with the decisions in force, or why there is none."""

    problem: str | None = None
    prioritisation_id: int | None = None
    recommendation: Recommendation | None = None
    assessment: Assessment | None = None
    history: dict[str, list[Override]] = field(default_factory=dict)

    def call(self, priority_id: str) -> PriorityCall | None:
        if self.recommendation is None:
            return None
        return next((p for p in self.recommendation.priorities if p.id == priority_id), None)

    def result(self, priority_id: str) -> PriorityResult | None:
        """The assessment's figures of the priority (its measures)."""
        if self.assessment is None:
            return None
        return next((p for p in self.assessment.priorities if p.id == priority_id), None)


def read_review(partnership: Partnership, path: Path, priority_id: str | None = None) -> Review:
    """The latest recommendation (overrides attached), its assessment and the override
    history (of ``priority_id``, or of every priority), read-only."""
    if not path.exists():
        return Review(problem="No partner data has been loaded yet, so nothing is recommended.")
    try:
        wh = Warehouse(path, partnership, read_only=True)
    except WarehouseError as exc:
        return Review(problem=f"The warehouse cannot be read: {exc}.")
    except duckdb.Error:
        return Review(problem=BUSY)
    try:
        return _read(wh, priority_id)
    except ValidationError:
        return Review(
            problem="The stored recommendation was made by another version of sia: "
            "run the assessment again to see it here."
        )
    except duckdb.Error:  # a warehouse made before prioritisation existed
        return Review(problem="No recommendation has been stored yet.")
    finally:
        wh.close()


def _read(wh: Warehouse, priority_id: str | None) -> Review:
    from sia.assessment import latest_assessment

    review = Review()
    latest = latest_recommendation(wh)
    if latest is None:
        review.problem = "No recommendation has been stored yet: run the assessment to make one."
    else:
        review.prioritisation_id, recommendation = latest
        overrides = latest_overrides(wh)
        review.recommendation = recommendation.model_copy(
            update={
                "priorities": [
                    p.model_copy(update={"override": overrides.get(p.id)})
                    for p in recommendation.priorities
                ]
            }
        )
    for o in override_history(wh, priority_id):
        review.history.setdefault(o.priority_id, []).append(o)
    if priority_id is not None:
        review.assessment = latest_assessment(wh)
    return review


def override(
    partnership: Partnership, path: Path, priority_id: str, status: str, reason: str, by: str
) -> tuple[Override, str | None]:
    """Keep an analyst's decision (``sia override``'s store), opening the warehouse for
    this write only; the decision kept, and the status in force before it (the previous
    decision, else the recommendation).

    Raises
    ------
    WarehouseBusy
        When another process holds the warehouse (nothing is written).
    OverrideError
        From :func:`record_override`: unknown priority or status, empty reason or name.
    """
    if not path.exists():
        raise OverrideError("no warehouse yet: load partner data and run the assessment first")
    try:
        wh = Warehouse(path, partnership)
    except duckdb.Error as exc:
        raise WarehouseBusy(BUSY) from exc
    try:
        in_force = latest_overrides(wh).get(priority_id)
        before = in_force.status if in_force else None
        kept = record_override(wh, priority_id, status, reason, by)
    except duckdb.Error as exc:  # a write that clashed with another in this process
        raise WarehouseBusy(BUSY) from exc
    finally:
        wh.close()
    return kept, before or kept.recommended_status


def audit_override(user, priority_name: str, kept: Override, before: str | None) -> None:
    """Keep the override in the app's audit history: who, when, the status before (the
    decision then in force, or the recommendation) and after, and the reason."""
    record_audit(
        user,
        "update",
        "priority override",
        kept.priority_id,
        {"status": [before, kept.status], "reason": [None, kept.reason]},
        description=priority_name,
    )

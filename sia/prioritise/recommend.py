"""The priority recommendation: from an Assessment (and insight) to a status per priority.

:func:`recommend` applies the rules of :mod:`sia.prioritise.criteria` to every priority
of the partnership, finds the cross-cutting links (:mod:`sia.prioritise.links`), scores
each priority (:mod:`sia.prioritise.score`), ranks them, suggests merges
(:mod:`sia.prioritise.merges`) and writes the rationale (:mod:`sia.prioritise.rationale`).
It reads only the assessment, the optional community evidence and the config; nothing
in the code or the config names an expected status. :func:`prioritise_cli` is
``sia prioritise``: it reads the latest stored assessment, builds the insight of the
same period when :mod:`sia.insight` can, recommends, stores, and attaches the decisions
in force.

Examples
--------
>>> from sia.config import load_partnership
>>> from sia.warehouse import Warehouse
>>> partnership = load_partnership("kirklees")
>>> wh = Warehouse.open(partnership, "sia-data/demo")  # doctest: +SKIP
>>> recommendation, _ = prioritise_cli(wh)  # doctest: +SKIP
>>> recommendation.call("vawg").status  # doctest: +SKIP
'high-focus'
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sia.prioritise.criteria import (
    community_criteria,
    concern_criteria,
    cross_cutting_criterion,
    decide,
    duty_criteria,
    monitor_reasons,
    underreporting_raised,
)
from sia.prioritise.links import driver_links, insight_links, ward_links
from sia.prioritise.merges import suggest_merges
from sia.prioritise.models import PriorityCall, Recommendation
from sia.prioritise.rationale import rationale
from sia.prioritise.score import score_priority

if TYPE_CHECKING:
    from sia.assessment import Assessment
    from sia.config import Partnership
    from sia.insight.summary import InsightSummary
    from sia.prioritise.evidence import CommunityInput
    from sia.warehouse import Warehouse

__all__ = ["PrioritiseError", "community_for", "prioritise_cli", "recommend"]

#: The order of the table: cross-cutting, then high focus, then monitor.
_STATUS_ORDER = {"cross-cutting": 0, "high-focus": 1, "monitor": 2}


class PrioritiseError(Exception):
    """No recommendation can be made (no stored assessment, or one of another config)."""


def recommend(
    assessment: Assessment,
    partnership: Partnership,
    community: CommunityInput | None = None,
    assessment_id: int | None = None,
) -> Recommendation:
    """Recommend a status for every priority of ``partnership``.

    Parameters
    ----------
    assessment
        The assessment whose figures the concern criteria read.
    partnership
        Priorities, statutory duties, owners, drivers and the ``prioritisation``
        parameters.
    community
        The community evidence of the same period, or None when there is none (the
        community criteria then cannot hold, and the rationale says so).
    assessment_id
        The stored assessment's id, recorded in the document.
    """
    params = partnership.prioritisation
    alpha = params.alpha(partnership.significance_level)
    results = {p.id: p for p in assessment.priorities}
    links = [
        *ward_links(assessment, params, alpha),
        *insight_links(community, params, alpha),
        *driver_links(partnership),
    ]
    notes = []
    if community is None:
        notes.append("No community insight was available: the community criteria were not tested.")
    calls = {}
    for priority in partnership.priorities:
        result = results.get(priority.id)
        evidence = community.of(priority.id) if community else None
        criteria = []
        cross, mine = cross_cutting_criterion(priority.id, partnership, links, params)
        if cross is not None:
            criteria.append(cross)
        if result is not None:
            criteria += concern_criteria(result, params)
        criteria += underreporting_raised(priority.id, community, params, alpha)
        criteria += duty_criteria(priority, params)
        criteria += community_criteria(evidence, params, alpha)
        status = decide(criteria)
        if status == "monitor":
            criteria += monitor_reasons(priority, result, evidence, community is not None)
        calls[priority.id] = (priority, result, status, criteria, mine)

    statuses = {pid: c[2] for pid, c in calls.items()}
    merges = suggest_merges(partnership, assessment, statuses, params, alpha)
    merge_of = {m.priority_id: m for m in merges}
    priorities = []
    for priority, result, status, criteria, mine in calls.values():
        priorities.append(
            PriorityCall(
                id=priority.id,
                name=priority.name,
                theme=priority.theme,
                theme_name=partnership.theme_name(priority.theme),
                owner=priority.owning_partnership,
                statutory_duties=[str(d) for d in priority.statutory_duties],
                status=status,
                criteria=criteria,
                links=mine,
                score=score_priority(priority, result, assessment, criteria, params.morile),
                rationale=rationale(
                    status,
                    partnership,
                    result,
                    criteria,
                    merge_of.get(priority.id),
                    community is not None,
                ),
                merge_into=merge_of[priority.id].into if priority.id in merge_of else None,
            )
        )
    priorities = _ranked(priorities)
    return Recommendation(
        created_at=datetime.now(UTC),
        partnership=partnership.id,
        assessment_id=assessment_id,
        assessment_period=f"{assessment.period.start:%Y-%m}:{assessment.period.end:%Y-%m}",
        significance_level=alpha,
        parameters=params.model_dump(mode="json"),
        community_insight=community is not None,
        notes=notes,
        priorities=priorities,
        merges=merges,
    )


def _ranked(priorities: list[PriorityCall]) -> list[PriorityCall]:
    """Rank by risk (highest first; ties by harm, then by the number of criteria that
    fired); priorities without a risk score have no rank and come last."""
    scored = sorted(
        (p for p in priorities if p.score.risk is not None),
        key=lambda p: (-p.score.risk, -(p.score.harm or 0), -len(p.criteria)),
    )
    ranks = {p.id: i for i, p in enumerate(scored, start=1)}
    ordered = [p.model_copy(update={"rank": ranks.get(p.id)}) for p in priorities]
    return sorted(ordered, key=lambda p: _STATUS_ORDER[p.status])


def community_for(
    wh: Warehouse, assessment: Assessment, summary: InsightSummary | None = None
) -> tuple[CommunityInput | None, str]:
    """The community evidence of the assessment's period: from ``summary`` when the caller
    has built it already, otherwise from the insight built now; None (with the reason) when
    the warehouse holds no insight record for the period."""
    from sia.insight.summary import build_insight
    from sia.prioritise.evidence import from_insight

    if summary is None:
        summary = build_insight(wh, wh.partnership, assessment.period.start, assessment.period.end)
    community = from_insight(summary)
    if community.records == 0:
        return None, "the warehouse has no insight records for the period"
    return community, ""


def prioritise_cli(wh: Warehouse) -> tuple[Recommendation, int]:
    """``sia prioritise``: recommend from the latest stored assessment (and the insight of
    its period), store it, and attach the decisions in force.

    Raises
    ------
    PrioritiseError
        When no assessment is stored (run ``sia assess`` first).
    """
    from sia.assessment import latest_assessment
    from sia.prioritise.store import latest_overrides, store_recommendation

    assessment = latest_assessment(wh)
    if assessment is None:
        raise PrioritiseError("no assessment is stored: run `sia assess` first")
    if assessment.partnership != wh.partnership.id:
        raise PrioritiseError(
            f"the latest assessment is of partnership {assessment.partnership!r}, not "
            f"{wh.partnership.id!r}"
        )
    assessment_id = wh.scalar("SELECT max(assessment_id) FROM assessments")
    community, why = community_for(wh, assessment)
    recommendation = recommend(assessment, wh.partnership, community, assessment_id)
    from sia.assessment import config_hash

    notes = list(recommendation.notes)
    if why:
        notes.append(why[0].upper() + why[1:] + ".")
    if assessment.config_hash != config_hash(wh.partnership):
        notes.append(
            "The partnership configuration has changed since the assessment was built: "
            "run `sia assess` again for figures that match it."
        )
    recommendation = recommendation.model_copy(update={"notes": notes})

    prioritisation_id = store_recommendation(wh, recommendation, config_hash(wh.partnership))
    overrides = latest_overrides(wh)
    recommendation = recommendation.model_copy(
        update={
            "priorities": [
                p.model_copy(update={"override": overrides.get(p.id)})
                for p in recommendation.priorities
            ]
        }
    )
    return recommendation, prioritisation_id

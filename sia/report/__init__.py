"""The SIA report: the typed context, disclosure control, charts and the writers.

:func:`make_report` is what ``sia report`` runs: the context of the stored assessment (with
the insight summary of its period and its prioritisation), written in the chosen formats.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sia.report.context import ReportContext, ReportError, build_context
from sia.report.writers import WRITERS, parse_formats, write_report

if TYPE_CHECKING:
    from sia.assessment import Assessment
    from sia.config import Partnership
    from sia.warehouse import Warehouse

__all__ = [
    "WRITERS",
    "ReportContext",
    "ReportError",
    "build_context",
    "make_report",
    "parse_formats",
    "period_insight",
    "prioritisation_of",
    "report_context",
    "write_report",
]


def period_insight(wh: Warehouse, partnership: Partnership, assessment: Assessment) -> Any:
    """The insight summary of the assessment's period."""
    from sia.insight.summary import build_insight

    return build_insight(wh, partnership, assessment.period.start, assessment.period.end)


def prioritisation_of(
    wh: Warehouse, partnership: Partnership, assessment: Assessment, insight: Any
) -> Any:
    """The prioritisation of the assessment, with the analysts' decisions in force.

    The stored recommendation (``sia prioritise``) when it was made from the latest stored
    assessment; otherwise one recommended now from the assessment and ``insight`` (nothing
    is stored: the report only reads).
    """
    import duckdb

    from sia.prioritise.recommend import community_for, recommend
    from sia.prioritise.store import latest_overrides, latest_recommendation

    assessment_id = wh.scalar("SELECT max(assessment_id) FROM assessments")
    try:
        stored = latest_recommendation(wh)
        overrides = latest_overrides(wh)
    except duckdb.Error:  # opened read-only, made before prioritisation existed
        stored, overrides = None, {}
    if stored is not None and stored[1].assessment_id == assessment_id:
        recommendation = stored[1]
    else:
        community, _ = community_for(wh, assessment, insight)
        recommendation = recommend(assessment, partnership, community, assessment_id)
    calls = [
        p
        if p.override is not None or p.id not in overrides
        else p.model_copy(update={"override": overrides[p.id]})
        for p in recommendation.priorities
    ]
    return recommendation.model_copy(update={"priorities": calls})


def report_context(
    wh: Warehouse, partnership: Partnership, disclosure: str | None = None
) -> ReportContext:
    """The context of the stored assessment, with the insight summary of its period and
    its prioritisation, under the ``disclosure`` profile (default: the configured one)."""
    from sia.assessment import latest_assessment

    assessment = latest_assessment(wh)
    if assessment is None:
        raise ReportError("no assessment is stored in the warehouse: run `sia assess` first")
    insight = period_insight(wh, partnership, assessment)
    prioritisation = prioritisation_of(wh, partnership, assessment, insight)
    return build_context(wh, partnership, assessment, insight, prioritisation, disclosure)


def make_report(
    wh: Warehouse,
    partnership: Partnership,
    out_dir: Path,
    formats: list[str] | None = None,
    progress: Callable[[str], None] | None = None,
    disclosure: str | None = None,
) -> tuple[ReportContext, dict[str, list[Path]]]:
    """Build the context of the stored assessment and write ``formats`` under ``out_dir``,
    under the ``disclosure`` profile (``internal`` or ``public``; default: the configured
    one)."""
    if progress:
        progress("context")
    context = report_context(wh, partnership, disclosure)
    return context, write_report(context, out_dir, formats, progress)

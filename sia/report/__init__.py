"""The SIA report: the typed context, disclosure control, charts and the writers.

:func:`make_report` is what ``sia report`` runs: the context of the stored assessment (with
the insight summary and the prioritisation when their modules can provide them), written
in the chosen formats.
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
    "optional_insight",
    "optional_prioritisation",
    "parse_formats",
    "report_context",
    "write_report",
]


def optional_insight(wh: Warehouse, partnership: Partnership, assessment: Assessment) -> Any:
    """The insight summary of the assessment's period, or None while ``sia.insight`` cannot
    build one (the report then shows the insight records held instead)."""
    try:
        from sia.insight.summary import build_insight
    except ImportError:
        return None
    try:
        return build_insight(wh, partnership, assessment.period.start, assessment.period.end)
    except NotImplementedError:
        return None


def optional_prioritisation(
    wh: Warehouse, partnership: Partnership, assessment: Assessment, insight: Any
) -> Any:
    """The prioritisation of the assessment, with the analysts' decisions in force.

    The stored recommendation (``sia prioritise``) when it was made from the latest stored
    assessment; otherwise one recommended now from the assessment and the insight of its
    period (nothing is stored: the report only reads). None while ``sia.prioritise`` is
    not there.
    """
    try:
        from sia.prioritise.recommend import community_for, recommend
        from sia.prioritise.store import latest_overrides, latest_recommendation
    except ImportError:
        return None
    import duckdb

    assessment_id = wh.scalar("SELECT max(assessment_id) FROM assessments")
    try:
        stored = latest_recommendation(wh)
        overrides = latest_overrides(wh)
    except duckdb.Error:  # a warehouse made before prioritisation existed
        stored, overrides = None, {}
    if stored is not None and stored[1].assessment_id == assessment_id:
        recommendation = stored[1]
    else:
        community, _ = community_for(wh, assessment)
        recommendation = recommend(assessment, partnership, community, assessment_id)
    calls = [
        p
        if p.override is not None or p.id not in overrides
        else p.model_copy(update={"override": overrides[p.id]})
        for p in recommendation.priorities
    ]
    return recommendation.model_copy(update={"priorities": calls})


def report_context(wh: Warehouse, partnership: Partnership) -> ReportContext:
    """The context of the stored assessment, with the insight summary and the
    prioritisation when their modules can provide them."""
    from sia.assessment import latest_assessment

    assessment = latest_assessment(wh)
    if assessment is None:
        raise ReportError("no assessment is stored in the warehouse: run `sia assess` first")
    insight = optional_insight(wh, partnership, assessment)
    prioritisation = optional_prioritisation(wh, partnership, assessment, insight)
    return build_context(wh, partnership, assessment, insight, prioritisation)


def make_report(
    wh: Warehouse,
    partnership: Partnership,
    out_dir: Path,
    formats: list[str] | None = None,
    progress: Callable[[str], None] | None = None,
) -> tuple[ReportContext, dict[str, list[Path]]]:
    """Build the context of the stored assessment and write ``formats`` under ``out_dir``."""
    if progress:
        progress("context")
    context = report_context(wh, partnership)
    return context, write_report(context, out_dir, formats, progress)

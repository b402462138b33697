"""The report job: ``sia assess``, ``sia prioritise`` and ``sia report`` one after another.

The assessment and the recommendation are written with the warehouse open for writing;
the report is written after it is closed, opened read-only (as ``sia report`` does), so
overrides and loads wait only for the first two steps.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from sia.warehouse import WAREHOUSE_FILE

from webapp.jobs.registry import JobError, Progress
from webapp.jobs.warehouse import open_for_write
from webapp.partnership import partnership

#: The formats written (all of ``sia report``'s unless a test narrows them).
FORMATS: list[str] | None = None
#: Each step of the report as the job's page names it, and how far along it is.
STEPS = {
    "context": ("gathering the figures", 55),
    "html": ("the web page", 65),
    "pdf": ("the PDF", 70),
    "docx": ("the Word document", 85),
    "xlsx": ("the Excel tables", 95),
}


def run_report(job, progress: Progress) -> dict[str, Any]:
    from sia.assessment import AssessmentError, PeriodError, assess_cli
    from sia.prioritise.recommend import PrioritiseError, prioritise_cli
    from sia.report import ReportError, make_report

    from webapp.reports.models import ReportRun

    run = ReportRun.objects.get(pk=job.params["run"])
    p = partnership()
    path = Path(settings.SIA_DATA_DIR) / WAREHOUSE_FILE
    if not path.exists():
        raise JobError("No partner data has been loaded yet: load some files first")
    progress("Waiting for the warehouse")
    wh = open_for_write(p, path, progress)
    try:
        progress("Assessing every priority", 10)
        assessment, assessment_id = assess_cli(wh, p, run.period or None)
        progress("Recommending a status for every priority", 40)
        recommendation, prioritisation_id = prioritise_cli(wh)
    except (PeriodError, AssessmentError, PrioritiseError) as exc:
        raise JobError(f"The assessment could not be made: {exc}") from exc
    finally:
        wh.close()
    period = f"{assessment.period.start:%Y-%m}:{assessment.period.end:%Y-%m}"
    ReportRun.objects.filter(pk=run.pk).update(assessment_period=period)

    def step(name: str) -> None:
        words, percent = STEPS.get(name, (name, None))
        progress(f"Writing the report: {words}", percent)

    wh = open_for_write(p, path, progress, read_only=True)
    try:
        _, written = make_report(wh, p, run.folder(), FORMATS, progress=step)
    except ReportError as exc:
        raise JobError(f"The report could not be written: {exc}") from exc
    finally:
        wh.close()
    return {
        "assessment_id": assessment_id,
        "prioritisation_id": prioritisation_id,
        "assessment_period": period,
        "statuses": {c.id: c.decision for c in recommendation.priorities},
        "data_quality": [issue.message for issue in assessment.data_quality.issues],
        "files": {name: len(paths) for name, paths in written.items()},
    }

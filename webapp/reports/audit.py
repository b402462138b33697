"""What the audit history keeps of reports: who published which run, and when."""

from __future__ import annotations

from webapp.audit.records import record_audit


def published(user, run) -> None:
    record_audit(
        user,
        "update",
        "report",
        run.pk,
        {"published": [None, run.published_at]},
        description=f"Report of {run.assessment_period or 'the latest months'} published",
    )

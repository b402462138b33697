from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "webapp.reports"
    label = "reports"

    def ready(self) -> None:
        from django.urls import reverse

        from webapp.jobs.registry import JobKind, register
        from webapp.reports.tasks import run_report

        register(
            JobKind(
                "report",
                "Run the assessment and write the report",
                run_report,
                link=lambda job: (
                    reverse("reports:detail", args=[job.params["run"]])
                    if "run" in job.params
                    else None
                ),
            )
        )

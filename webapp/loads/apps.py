from django.apps import AppConfig


class LoadsConfig(AppConfig):
    name = "webapp.loads"
    label = "loads"

    def ready(self) -> None:
        from django.urls import reverse

        from webapp.jobs.registry import JobKind, register
        from webapp.loads.tasks import run_load

        register(
            JobKind(
                "load",
                "Load a partner file",
                run_load,
                link=lambda job: (
                    reverse("loads:detail", args=[job.params["upload"]])
                    if "upload" in job.params
                    else None
                ),
            )
        )

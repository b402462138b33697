from django.apps import AppConfig


class AuditConfig(AppConfig):
    """The audit history: who created, changed or deleted which insight record or override,
    when, and what changed."""

    name = "webapp.audit"
    label = "audit"
    verbose_name = "Audit history"

    def ready(self) -> None:
        from webapp.audit import signals

        signals.connect()

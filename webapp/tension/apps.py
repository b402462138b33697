from django.apps import AppConfig


class TensionConfig(AppConfig):
    """Community tension reports: the weekly operational list and the monthly summary."""

    name = "webapp.tension"
    label = "tension"
    verbose_name = "Community tension"

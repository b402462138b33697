from django.apps import AppConfig


class GovukConfig(AppConfig):
    """GOV.UK Design System components as Django templates and widgets."""

    name = "webapp.govuk"
    label = "govuk"

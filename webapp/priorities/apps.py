from django.apps import AppConfig


class PrioritiesConfig(AppConfig):
    name = "webapp.priorities"
    label = "priorities"

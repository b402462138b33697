from django.apps import AppConfig


class EngagementConfig(AppConfig):
    name = "webapp.engagement"
    label = "engagement"
    verbose_name = "Community engagement"

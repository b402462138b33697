from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    """Councillors' ward meetings and officers' sessions, as their spreadsheet forms."""

    name = "webapp.meetings"
    label = "meetings"
    verbose_name = "Councillor meetings and officer sessions"

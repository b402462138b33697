"""Every URL of the app. ``tests/webapp/test_permissions.py`` walks this list: a URL
added here without an expected status for every role fails that test."""

from django.urls import include, path

from webapp.accounts.admin import site as admin_site

urlpatterns = [
    path("", include("webapp.accounts.urls")),
    path("dashboard/", include("webapp.dashboard.urls")),
    path("engagements/", include("webapp.engagement.urls")),
    path("profiles/", include("webapp.profiles.urls")),
    path("", include("webapp.meetings.urls")),
    path("tension/", include("webapp.tension.urls")),
    path("audit/", include("webapp.audit.urls")),
    path("priorities/", include("webapp.priorities.urls")),
    path("jobs/", include("webapp.jobs.urls")),
    path("loads/", include("webapp.loads.urls")),
    path("reports/", include("webapp.reports.urls")),
    path("admin/", admin_site.urls),
]

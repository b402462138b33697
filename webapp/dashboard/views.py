"""The dashboard: how many records there are, and the latest assessment's priority table."""

from __future__ import annotations

from django.views.generic import TemplateView
from rules.contrib.views import PermissionRequiredMixin

from webapp.dashboard.services import priority_table, summarise
from webapp.engagement.models import Engagement
from webapp.partnership import partnership, warehouse_path


class DashboardView(PermissionRequiredMixin, TemplateView):
    permission_required = "dashboard.view_dashboard"
    template_name = "dashboard/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        summary = summarise(partnership(), warehouse_path())
        context["summary"] = summary
        context["priorities"] = priority_table(summary.assessment) if summary.assessment else []
        context["app_engagements"] = Engagement.objects.count()
        context["own_engagements"] = Engagement.objects.filter(
            recorded_by=self.request.user
        ).count()
        return context

"""The audit history, for analysts: newest first, filtered by record type, 50 a page."""

from __future__ import annotations

from urllib.parse import quote

from django.views.generic import ListView
from rules.contrib.views import PermissionRequiredMixin

from webapp.audit.models import AuditEntry

#: The record types of the filter (others, e.g. a new kind, are listed under "All").
RECORD_TYPES = (
    "engagement",
    "councillor meeting",
    "officer session",
    "tension report",
    "priority override",
    "report",
)


class AuditListView(PermissionRequiredMixin, ListView):
    permission_required = "audit.view_history"
    template_name = "audit/list.html"
    paginate_by = 50
    context_object_name = "entries"

    def chosen_type(self) -> str:
        chosen = self.request.GET.get("type", "")
        return chosen if chosen in RECORD_TYPES else ""

    def get_queryset(self):
        entries = AuditEntry.objects.all()
        if self.chosen_type():
            entries = entries.filter(record_type=self.chosen_type())
        return entries

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["record_types"] = RECORD_TYPES
        context["chosen_type"] = self.chosen_type()
        # the pages of a filtered list keep the filter
        context["query"] = f"&type={quote(self.chosen_type())}" if self.chosen_type() else ""
        for entry in context["entries"]:
            entry.change_list = [
                (field.replace("_", " "), _shown(old), _shown(new))
                for field, (old, new) in entry.changes.items()
            ]
        return context


def _shown(value) -> str:
    if value in (None, "", []):
        return "(blank)"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)

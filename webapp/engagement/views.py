"""Record an engagement; list and edit one's own. Access is decided by ``rules.py``."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import FormView, ListView
from rules.contrib.views import PermissionRequiredMixin

from webapp.engagement.forms import EngagementForm, initial_from
from webapp.engagement.models import Engagement
from webapp.partnership import partnership


class EngagementCreateView(PermissionRequiredMixin, FormView):
    permission_required = "engagement.add_engagement"
    form_class = EngagementForm
    template_name = "engagement/form.html"
    extra_context = {"heading": "Record an engagement", "button": "Save engagement"}

    def form_valid(self, form):
        engagement = form.save(self.request.user)
        messages.success(self.request, f"Engagement of {engagement.date:%-d %B %Y} saved")
        return redirect("engagement:list")


class EngagementUpdateView(PermissionRequiredMixin, FormView):
    permission_required = "engagement.change_engagement"
    form_class = EngagementForm
    template_name = "engagement/form.html"
    extra_context = {"heading": "Change an engagement", "button": "Save changes"}

    def get_permission_object(self) -> Engagement:
        if not hasattr(self, "engagement"):
            self.engagement = get_object_or_404(Engagement, pk=self.kwargs["pk"])
        return self.engagement

    def get_initial(self):
        return initial_from(self.get_permission_object())

    def form_valid(self, form):
        engagement = form.save(self.request.user, instance=self.get_permission_object())
        messages.success(self.request, f"Engagement of {engagement.date:%-d %B %Y} saved")
        return redirect("engagement:list")


class EngagementListView(PermissionRequiredMixin, ListView):
    """The engagements the person recorded, newest first."""

    permission_required = "engagement.list_own_engagements"
    template_name = "engagement/list.html"
    paginate_by = 50
    context_object_name = "engagements"

    def get_queryset(self):
        return Engagement.objects.filter(recorded_by=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        p = partnership()
        wards = {w.code: w.name for w in p.wards}
        concerns = {c.id: c.name for c in p.concerns}
        for e in context["engagements"]:
            e.where = ", ".join(x for x in (e.place, wards.get(e.ward_code, e.ward_code)) if x)
            e.concern_names = [concerns.get(c, c) for c in e.concerns]
        return context

"""Ward and place profiles: the report's profile of each area, in the service's layout.

Officers, analysts and partner viewers read every profile; a councillor reads the profile
of their own ward and of the place that holds it (``profiles.view_profile`` in
``webapp/accounts/rules.py``). The figures are the report's, with its disclosure control.
"""

from __future__ import annotations

from django.http import Http404
from django.views.generic import TemplateView
from rules.contrib.views import PermissionRequiredMixin

from webapp.partnership import partnership, warehouse_path
from webapp.profiles.services import PLACE, WARD, Area, areas, find_area, published


class ProfileListView(PermissionRequiredMixin, TemplateView):
    """The wards and places whose profiles the person may read."""

    permission_required = "profiles.view_profiles"
    template_name = "profiles/list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        p = partnership()
        readable = [
            a for a in areas(p, PLACE) + areas(p, WARD) if user.has_perm("profiles.view_profile", a)
        ]
        groups = []
        for place in areas(p, PLACE):
            wards = [a for a in readable if a.kind == WARD and a.place == place.name]
            shown = place if place in readable else None
            if shown or wards:
                groups.append({"name": place.name, "place": shown, "wards": wards})
        context["groups"] = groups
        return context


class AreaProfileView(PermissionRequiredMixin, TemplateView):
    """One ward's or place's profile (``kind`` comes from the URL)."""

    permission_required = "profiles.view_profile"
    template_name = "profiles/area.html"
    kind = WARD

    def get_permission_object(self) -> Area:
        area = find_area(partnership(), self.kind, self.kwargs["slug"])
        if area is None:
            raise Http404(f"no {self.kind} is called {self.kwargs['slug']!r}")
        self.area = area
        return area

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        p = partnership()
        report = published(p, warehouse_path())
        context["area"] = self.area
        context["problem"] = report.problem
        context["report"] = report.context
        context["profile"] = report.profile(self.area)
        if self.area.kind == WARD and self.area.place:
            place = next(a for a in areas(p, PLACE) if a.name == self.area.place)
            if self.request.user.has_perm("profiles.view_profile", place):
                context["place"] = place
        else:
            context["ward_links"] = [
                a
                for a in areas(p, WARD)
                if a.place == self.area.name
                and self.request.user.has_perm("profiles.view_profile", a)
            ]
        return context

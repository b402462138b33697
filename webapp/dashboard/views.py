"""The dashboard: the records counted, the priorities with their statuses and the change of
each measure, a ward map linking the profiles, and this week's tension level."""

from __future__ import annotations

from django.urls import reverse
from django.views.generic import TemplateView
from rules.contrib.views import PermissionRequiredMixin

from webapp.dashboard import charts
from webapp.dashboard.forms import MapForm
from webapp.dashboard.services import priority_table, summarise
from webapp.engagement.models import Engagement
from webapp.partnership import partnership, warehouse_path
from webapp.profiles.services import WARD, areas, published
from webapp.tension.models import LEVEL_CHOICES
from webapp.tension.services import this_weeks_tension

#: The status names the report prints.
STATUS_NAMES = {
    "high-focus": "High focus",
    "monitor": "Continue to monitor",
    "cross-cutting": "Cross-cutting",
}


class DashboardView(PermissionRequiredMixin, TemplateView):
    permission_required = "dashboard.view_dashboard"
    template_name = "dashboard/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        p = partnership()
        summary = summarise(p, warehouse_path())
        context["summary"] = summary
        context["app_engagements"] = Engagement.objects.count()
        context["own_engagements"] = Engagement.objects.filter(
            recorded_by=self.request.user
        ).count()
        context["tension"] = self._tension()
        if summary.assessment is None:
            return context
        report = published(p, warehouse_path()).context
        statuses = self._statuses(report)
        groups = priority_table(summary.assessment)
        # priorities the assessment has no measure for still have a status (from the insight)
        listed = {g["priority"] for g in groups}
        groups += [{"priority": name, "rows": []} for name in statuses if name not in listed]
        for group in groups:
            status = statuses.get(group["priority"])
            group["status"] = STATUS_NAMES.get(status, status) if status else None
        context["priorities"] = groups
        context["has_statuses"] = bool(statuses)
        change = _kept(summary.assessment, "change", lambda: _change(summary.assessment))
        if change is not None:
            context["change_chart"], context["change_svg"] = change
        if report is not None:
            context.update(self._map(report))
        return context

    @staticmethod
    def _statuses(report) -> dict[str, str]:
        """The status in force of each priority, by name (none before ``sia prioritise``)."""
        if report is None:
            return {}
        return {
            p.name: p.status.status
            for theme in report.themes
            for p in theme.priorities
            if p.status is not None
        }

    def _map(self, report) -> dict:
        measures = [
            (priority.name, m)
            for t in report.themes
            for priority in t.priorities
            for m in priority.measures
        ]
        if not measures:
            return {}
        choices: list[tuple[str, list[tuple[str, str]]]] = []
        for name, m in measures:
            if not choices or choices[-1][0] != name:
                choices.append((name, []))
            choices[-1][1].append((m.id, m.name))
        form = MapForm(self.request.GET or {"measure": measures[0][1].id}, choices=choices)
        chosen = form.cleaned_data["measure"] if form.is_valid() else measures[0][1].id
        measure = next(m for _, m in measures if m.id == chosen)
        found = {"map_form": form, "map_measure": measure}
        made = _kept(report, measure.id, lambda: _ward_map(measure))
        if made is not None:
            found.update(zip(("map_chart", "map_svg", "map_rates"), made, strict=True))
        return found

    @staticmethod
    def _tension() -> dict:
        levels = dict(LEVEL_CHOICES)
        week = this_weeks_tension()
        return {
            "week": week,
            "highest": levels.get(week.highest),
            "last_highest": levels.get(week.last_week_highest),
        }


#: The charts made from one assessment or context (Altair checks each spec against the
#: Vega-Lite schema, tens of milliseconds): kept with the object they were made from.
_KEPT: dict[tuple[int, str], tuple[object, object]] = {}


def _kept(owner, name: str, make):
    """``make()``, made once for ``owner`` (the assessment or report context in use)."""
    key = (id(owner), name)
    if key not in _KEPT or _KEPT[key][0] is not owner:
        if len(_KEPT) > 256:
            _KEPT.clear()
        _KEPT[key] = (owner, make())
    return _KEPT[key][1]


def _change(assessment):
    from sia.report.charts import svg

    chart = charts.change_chart(assessment)
    return None if chart is None else (chart, charts.responsive(svg(chart)))


def _ward_map(measure):
    urls = {a.code: reverse("profiles:ward", args=[a.slug]) for a in areas(partnership(), WARD)}
    made = charts.ward_map(partnership().district.code, measure, urls)
    if made is None:
        return None
    chart, rates = made
    return chart, charts.map_svg(chart), rates

"""The tension log: record a report and change one's own; this week's and last week's
reports by place and ward (officers and analysts); the monthly summary (and partners).
Access is decided by ``rules.py``."""

from __future__ import annotations

from django.utils import timezone
from django.views.generic import TemplateView
from rules.contrib.views import PermissionRequiredMixin

from webapp.engagement.views import RecordCreateView, RecordListView, RecordUpdateView
from webapp.partnership import partnership
from webapp.tension.forms import TensionReportForm
from webapp.tension.models import TensionReport
from webapp.tension.services import Week, monthly_summary, week_list


class _ReportForm:
    form_class = TensionReportForm
    list_url = "tension:list"
    noun = "Tension report"


class TensionReportCreateView(_ReportForm, RecordCreateView):
    permission_required = "tension.add_report"
    extra_context = {"heading": "Record a tension report", "button": "Save report"}


class TensionReportUpdateView(_ReportForm, RecordUpdateView):
    permission_required = "tension.change_report"
    extra_context = {"heading": "Change a tension report", "button": "Save changes"}


class TensionReportListView(RecordListView):
    permission_required = "tension.list_own_reports"
    model = TensionReport
    headings = ("Date", "Where", "Kind", "Level")
    add_url = "tension:add"
    change_url = "tension:change"
    heading = "Your tension reports"
    add_text = "Record a tension report"
    none_text = "You have not recorded any tension reports yet."
    noun = "Tension report"

    def cells(self, r: TensionReport) -> list[str]:
        p = partnership()
        wards = {w.code: w.name for w in p.wards}
        concerns = {c.id: c.name for c in p.concerns}
        where = ", ".join(x for x in (r.place, wards.get(r.ward_code, r.ward_code)) if x)
        return [
            f"{r.date:%-d %b %Y}",
            where or "District-wide",
            concerns.get(r.category, r.category),
            r.get_level_display(),
        ]


class WeeklyView(PermissionRequiredMixin, TemplateView):
    """The weekly operational list: this week's and last week's reports."""

    permission_required = "tension.view_weekly_list"
    template_name = "tension/weekly.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        this_week = Week.of(timezone.localdate())
        concerns = {c.id: c.name for c in partnership().concerns}
        weeks = [
            ("This week", week_list(this_week)),
            ("Last week", week_list(this_week.previous())),
        ]
        for _, listing in weeks:
            for group in listing.groups:
                for report in group.reports:
                    report.category_name = concerns.get(report.category, report.category)
        context["weeks"] = weeks
        return context


class MonthlyView(PermissionRequiredMixin, TemplateView):
    """The monthly strategic summary: reports and levels by month, last 12 months."""

    permission_required = "tension.view_monthly_summary"
    template_name = "tension/monthly.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        months = monthly_summary()
        most = max((m.reports for m in months), default=0) or 1
        context["months"] = [{"figures": m, "width": round(100 * m.reports / most)} for m in months]
        context["total"] = sum(m.reports for m in months)
        return context

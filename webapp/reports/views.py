"""Assessment and reports: an analyst runs the assessment and the report as a job and
publishes a run; everyone who may read reports downloads the published ones. Access is
decided by ``rules.py``: a run that is not published is the analysts' only."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.generic import DetailView, FormView, ListView, View
from rules.contrib.views import PermissionRequiredMixin

from webapp.jobs.models import Job
from webapp.jobs.runner import enqueue
from webapp.reports import audit
from webapp.reports.forms import RunForm
from webapp.reports.models import FILES, ReportRun

#: The HTML report is self-contained (inline CSS and SVG); it is shown in a sandbox that
#: may fetch and run nothing.
HTML_POLICY = (
    "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:"
)


class ReportListView(PermissionRequiredMixin, ListView):
    permission_required = "reports.view_reports"
    template_name = "reports/list.html"
    context_object_name = "runs"
    paginate_by = 50

    def get_queryset(self):
        runs = ReportRun.objects.select_related("job", "created_by", "published_by")
        if self.request.user.has_perm("reports.run_assessment"):
            return runs
        return runs.filter(published_at__isnull=False).order_by("-published_at")


class RunView(PermissionRequiredMixin, FormView):
    permission_required = "reports.run_assessment"
    template_name = "reports/run.html"
    form_class = RunForm

    def form_valid(self, form):
        with transaction.atomic():
            run = ReportRun.objects.create(
                period=form.cleaned_data["period"], created_by=self.request.user
            )
            run.job = enqueue("report", self.request.user, {"run": str(run.pk)})
            run.save(update_fields=["job"])
        return redirect("reports:detail", pk=run.pk)


class _RunMixin(PermissionRequiredMixin):
    """Views of one run: the permission is checked against the run."""

    def get_permission_object(self) -> ReportRun:
        if not hasattr(self, "run"):
            self.run = get_object_or_404(
                ReportRun.objects.select_related("job", "created_by", "published_by"),
                pk=self.kwargs["pk"],
            )
        return self.run


class ReportDetailView(_RunMixin, DetailView):
    permission_required = "reports.view_report"
    template_name = "reports/detail.html"
    context_object_name = "run"

    def get_object(self, queryset=None):
        return self.get_permission_object()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        run = self.object
        context["job"] = run.job
        context["files"] = run.files() if run.job and run.job.status == Job.DONE else []
        context["may_publish"] = (
            self.request.user.has_perm("reports.publish_report", run)
            and not run.published
            and bool(context["files"])
        )
        return context


class PublishView(_RunMixin, View):
    """Mark a finished run as published (POST only)."""

    permission_required = "reports.publish_report"
    http_method_names = ["post"]

    def post(self, request, pk):
        run = self.get_permission_object()
        if run.job is None or run.job.status != Job.DONE or not run.files():
            return redirect("reports:detail", pk=run.pk)  # nothing written to publish yet
        if not run.published:
            run.published_at = timezone.now()
            run.published_by = request.user
            run.save(update_fields=["published_at", "published_by"])
            audit.published(request.user, run)
            messages.success(request, "The report is published: partners can download it")
        return redirect("reports:detail", pk=run.pk)


class DownloadView(_RunMixin, View):
    """One of the report's files, read from the data directory (never from static)."""

    permission_required = "reports.view_report"

    def get(self, request, pk, name):
        run = self.get_permission_object()
        if name not in FILES:  # only the report's own files, by their fixed names
            raise Http404("No such file")
        path = run.folder() / name
        if not path.is_file():
            raise Http404("The file has not been written")
        inline = name.endswith(".html")
        response = FileResponse(
            path.open("rb"),
            content_type=FILES[name][1],
            as_attachment=not inline,
            filename=name,
        )
        if inline:
            response["Content-Security-Policy"] = HTML_POLICY
        response["X-Content-Type-Options"] = "nosniff"
        return response

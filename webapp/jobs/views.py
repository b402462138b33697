"""The jobs' pages: the list, one job's progress and result, and its status as JSON (what
the page's script polls). Analysts only (``rules.py``)."""

from __future__ import annotations

from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView, View
from rules.contrib.views import PermissionRequiredMixin

from webapp.jobs.models import Job
from webapp.jobs.registry import KINDS


def describe(job: Job) -> dict:
    """What the pages say of a job: its kind's label and the link to what it made."""
    kind = KINDS.get(job.kind)
    return {
        "label": kind.label if kind else job.kind,
        "link": kind.link(job) if kind else None,
    }


class JobListView(PermissionRequiredMixin, ListView):
    permission_required = "jobs.view_job"
    template_name = "jobs/list.html"
    context_object_name = "jobs"
    paginate_by = 50
    queryset = Job.objects.select_related("created_by")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for job in context["jobs"]:
            job.about = describe(job)
        return context


class JobDetailView(PermissionRequiredMixin, DetailView):
    permission_required = "jobs.view_job"
    template_name = "jobs/detail.html"
    context_object_name = "job"
    model = Job

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["about"] = describe(self.object)
        return context


class JobStatusView(PermissionRequiredMixin, View):
    """The job's state as JSON, for the script that refreshes its page."""

    permission_required = "jobs.view_job"

    def get(self, request, pk):
        job = get_object_or_404(Job, pk=pk)
        return JsonResponse(
            {
                "status": job.status,
                "status_text": job.get_status_display(),
                "progress": job.progress,
                "percent": job.percent,
                "finished": job.finished,
            }
        )

"""Data loads: upload a partner file, follow its load, see what became of every row.
Analysts only (``rules.py``)."""

from __future__ import annotations

from django.db import transaction
from django.shortcuts import redirect
from django.views.generic import DetailView, FormView, ListView
from rules.contrib.views import PermissionRequiredMixin
from sia.sources import REGISTRY

from webapp.jobs.runner import enqueue
from webapp.loads.checks import safe_name, store
from webapp.loads.forms import UploadForm
from webapp.loads.handlers import refused_fields
from webapp.loads.models import Upload


class UploadView(PermissionRequiredMixin, FormView):
    permission_required = "loads.load_files"
    template_name = "loads/upload.html"
    form_class = UploadForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()  # parses the request, so the handler has run
        if self.request.method == "POST":
            kwargs["too_large"] = "file" in refused_fields(self.request)
        return kwargs

    def form_valid(self, form):
        file = form.cleaned_data["file"]
        kind = form.content_kind
        upload = Upload(
            source=form.cleaned_data["source"],
            original_name=file.name[:255],
            stored_name=safe_name(file.name, kind),
            content_kind=kind,
            size=file.size,
            uploaded_by=self.request.user,
        )
        upload.sha256 = store(file, upload.path())
        with transaction.atomic():
            upload.job = enqueue("load", self.request.user, {"upload": str(upload.pk)})
            upload.save()
        return redirect("loads:detail", pk=upload.pk)


class LoadListView(PermissionRequiredMixin, ListView):
    permission_required = "loads.load_files"
    template_name = "loads/list.html"
    context_object_name = "uploads"
    paginate_by = 50
    queryset = Upload.objects.select_related("job", "uploaded_by")


class LoadDetailView(PermissionRequiredMixin, DetailView):
    permission_required = "loads.load_files"
    template_name = "loads/detail.html"
    context_object_name = "upload"
    queryset = Upload.objects.select_related("job", "uploaded_by")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        upload = self.object
        entry = REGISTRY.get(upload.source)
        context["source_help"] = entry.help if entry else upload.source
        context["job"] = upload.job
        context["result"] = upload.job.result if upload.job and upload.job.result else None
        return context

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


class RecordFormMixin(PermissionRequiredMixin):
    """Create or change an insight record (``form_class`` a :class:`RecordForm`); the
    permission names and the pages' words are the subclass's."""

    template_name = "records/form.html"
    list_url: str
    noun: str  # e.g. "Ward meeting"

    def get_form_kwargs(self):
        return super().get_form_kwargs() | self.extra_form_kwargs()

    def extra_form_kwargs(self) -> dict:
        return {}

    def saved(self, record):
        messages.success(self.request, f"{self.noun} of {record.date:%-d %B %Y} saved")
        return redirect(self.list_url)


class RecordCreateView(RecordFormMixin, FormView):
    def form_valid(self, form):
        return self.saved(form.save(self.request.user))


class RecordUpdateView(RecordFormMixin, FormView):
    def get_permission_object(self):
        if not hasattr(self, "record"):
            model = self.form_class.MODEL
            self.record = get_object_or_404(model, pk=self.kwargs["pk"])
        return self.record

    def get_initial(self):
        return self.form_class.initial_for(self.get_permission_object())

    def form_valid(self, form):
        return self.saved(form.save(self.request.user, instance=self.get_permission_object()))


class RecordListView(PermissionRequiredMixin, ListView):
    """The records of one kind the person recorded, newest first (``records/list.html``:
    the subclass gives the table's headings and each row's cells)."""

    template_name = "records/list.html"
    paginate_by = 50
    context_object_name = "records"
    model = None
    headings: tuple[str, ...]
    add_url: str
    change_url: str
    heading: str
    add_text: str
    none_text: str
    noun: str

    def get_queryset(self):
        return self.model.objects.filter(recorded_by=self.request.user)

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if not callable(getattr(cls, "cells", None)):
            raise TypeError(f"{cls.__name__} must define cells(record): a row's cells")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rows"] = [
            {"cells": self.cells(r), "pk": r.pk, "date": r.date} for r in context["records"]
        ]
        context["view_words"] = {
            "heading": self.heading,
            "add_text": self.add_text,
            "none_text": self.none_text,
            "noun": self.noun,
        }
        context["headings"] = self.headings
        context["add_url"] = self.add_url
        context["change_url"] = self.change_url
        return context

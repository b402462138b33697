"""Priority review: the list of priorities with their recommended status, and a page per
priority with its criteria, figures, rationale, the override form and the history.
Access is decided by ``rules.py`` (analysts)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.views.generic import FormView, TemplateView
from rules.contrib.views import PermissionRequiredMixin
from sia.prioritise.models import GROUPS
from sia.prioritise.rationale import STATUS_WORDS
from sia.prioritise.store import OverrideError

from webapp.partnership import partnership, warehouse_path
from webapp.priorities import services
from webapp.priorities.forms import OverrideForm


def decided_by(user) -> str:
    """The name kept with a decision: the person's full name, else their user name."""
    return user.get_full_name().strip() or user.get_username()


class PriorityListView(PermissionRequiredMixin, TemplateView):
    permission_required = "priorities.review_priorities"
    template_name = "priorities/list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        review = services.read_review(partnership(), warehouse_path())
        context["review"] = review
        context["status_words"] = STATUS_WORDS
        return context


class PriorityDetailView(PermissionRequiredMixin, FormView):
    permission_required = "priorities.review_priorities"
    template_name = "priorities/detail.html"
    form_class = OverrideForm

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        ids = {p.id: p for p in partnership().priorities}
        if kwargs["priority_id"] not in ids:
            raise Http404("No such priority")
        self.priority = ids[kwargs["priority_id"]]

    def post(self, request, *args, **kwargs):
        if not request.user.has_perm("priorities.override_priority"):
            return self.handle_no_permission()
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        review = services.read_review(partnership(), warehouse_path(), self.priority.id)
        call = review.call(self.priority.id)
        result = review.result(self.priority.id)
        context.update(
            priority=self.priority,
            review=review,
            call=call,
            status_words=STATUS_WORDS,
            groups=GROUPS,
            criteria=[
                {"criterion": c, "figures": _figures(c.figures)}
                for c in (call.criteria if call else [])
            ],
            measures=_measure_rows(review.assessment, result.name) if result else [],
            history=list(reversed(review.history.get(self.priority.id, []))),
        )
        return context

    def form_valid(self, form):
        status, reason = form.cleaned_data["status"], form.cleaned_data["reason"]
        try:
            kept, before = services.override(
                partnership(),
                warehouse_path(),
                self.priority.id,
                status,
                reason,
                decided_by(self.request.user),
            )
        except services.WarehouseBusy as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        except OverrideError as exc:
            form.add_error(None, f"The decision could not be kept: {exc}")
            return self.form_invalid(form)
        services.audit_override(self.request.user, self.priority.name, kept, before)
        messages.success(
            self.request,
            f"{self.priority.name}: decision kept ({STATUS_WORDS[kept.status]})",
        )
        return redirect("priorities:detail", priority_id=self.priority.id)


def _measure_rows(assessment, priority_name: str) -> list[dict[str, str]]:
    """The assessment's summary rows (count, previous, change...) of one priority."""
    return [r for r in assessment.summary_rows() if r["priority"] == priority_name]


def _figures(figures: dict) -> list[tuple[str, str]]:
    """A criterion's figures as (name, text) pairs, numbers rounded for reading."""
    out = []
    for key, value in figures.items():
        if isinstance(value, float):
            text = f"{value:.3g}" if abs(value) < 1000 else f"{value:,.0f}"
        elif isinstance(value, list | tuple):
            text = ", ".join(str(v) for v in value)
        else:
            text = str(value)
        out.append((key.replace("_", " "), text))
    return out

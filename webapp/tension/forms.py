"""The form for a community tension report, checked by the tension spreadsheet form's
own rules (``sia ingest tension``). The category is one of the partnership's concerns
(the loader takes any text until the taxonomy is checked; the app offers the taxonomy)."""

from __future__ import annotations

from datetime import date

from django import forms
from sia.sources.insight import TENSION

from webapp.engagement.forms import DateField, RecordForm, concern_choices, ward_choices
from webapp.govuk import widgets
from webapp.tension.models import (
    EVIDENCE_CHOICES,
    LEVEL_CHOICES,
    TRIGGER_CHOICES,
    TensionReport,
)


class TensionReportForm(RecordForm):
    FORMAT = TENSION
    MODEL = TensionReport
    MESSAGES = {
        ("date", "blank"): "Enter the date of the report",
        ("date", "date"): "Date of the report must be a real date",
        ("date", "future"): "Date of the report must be today or in the past",
        ("place", "place"): "Select a place from the list",
        ("ward_code", "ward"): "Select a ward from the list",
        ("ward_code", "ward-not-in-place"): "Ward must be in the place selected: {ward} is in "
        "{place}",
        ("category", "blank"): "Select the kind of tension",
        ("trigger", "blank"): "Select where the tension started",
        ("trigger", "choice"): "Select where the tension started",
        ("evidence", "blank"): "Select how the tension is known",
        ("evidence", "choice"): "Select how the tension is known",
        ("level", "blank"): "Select the tension level",
        ("level", "int"): "Select the tension level",
        ("level", "below"): "Select the tension level",
        ("level", "above"): "Select the tension level",
    }

    date = DateField(
        noun="the report",
        label="When was the tension reported?",
        help_text="For example, 27 3 2026",
    )
    place = forms.CharField(
        label="Which place is affected?",
        required=False,
        help_text="Leave the place and the ward blank for the whole district.",
    )
    ward_code = forms.CharField(label="Which ward is affected?", required=False)
    category = forms.CharField(label="What kind of tension?", required=False)
    trigger = forms.CharField(
        label="Where did it start?", required=False, widget=widgets.Radios(TRIGGER_CHOICES)
    )
    evidence = forms.CharField(
        label="How is it known?", required=False, widget=widgets.Radios(EVIDENCE_CHOICES)
    )
    level = forms.CharField(
        label="What is the tension level?",
        required=False,
        widget=widgets.Radios([(str(v), label) for v, label in LEVEL_CHOICES]),
    )
    summary = forms.CharField(
        label="What is happening?",
        help_text="Do not include names.",
        required=False,
        widget=widgets.Textarea(rows=5),
    )
    actions = forms.CharField(
        label="What is being done?", required=False, widget=widgets.Textarea(rows=3)
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        p = self.partnership
        self.fields["place"].widget = widgets.Radios(
            [(x.name, x.name) for x in p.places] + [("", "The whole district, or the ward's place")]
        )
        self.fields["ward_code"].widget = widgets.Select(ward_choices(p, blank="No one ward"))
        self.fields["ward_code"].label_size = "m"
        self.fields["category"].widget = widgets.Select(
            [("", "Select the kind of tension"), *concern_choices(p)]
        )
        self.fields["category"].label_size = "m"
        for name in ("summary", "actions"):
            self.fields[name].label_size = "m"

    def clean_category(self) -> str:
        category = self.cleaned_data["category"].strip()
        if category and category not in {c.id for c in self.partnership.concerns}:
            raise forms.ValidationError("Select the kind of tension from the list", code="choice")
        return category

    def values(self) -> dict:
        data = self.cleaned_data
        ward = data["ward_code"].strip().upper()
        place = self.checks.place_name(data["place"]) if data["place"].strip() else None
        return {
            "date": date.fromisoformat(data["date"]),
            "place": place or self.checks.ward_place.get(ward, ""),
            "ward_code": ward,
            "category": data["category"],
            "trigger": data["trigger"].strip().lower(),
            "evidence": data["evidence"].strip().lower(),
            "level": int(data["level"]),
            "summary": data["summary"],
            "actions": data["actions"].strip(),
        }

"""The forms for a councillor ward meeting and an officer session (GOV.UK; mobile-first).

Both are checked by their spreadsheet form's own rules (:class:`RecordForm`), so the app
accepts what ``sia ingest councillor-session`` and ``officer-session`` accept.
"""

from __future__ import annotations

from datetime import date

from django import forms
from sia.sources.insight import COUNCILLOR_SESSION, OFFICER_SESSION

from webapp.engagement.forms import (
    DateField,
    RecordForm,
    concern_choices,
    ward_choices,
    whole,
)
from webapp.govuk import widgets
from webapp.meetings.models import ROUTES_CHOICES, CouncillorMeeting, OfficerSession

_DATE = {
    ("date", "blank"): "Enter the date of the {noun}",
    ("date", "date"): "Date of the {noun} must be a real date",
    ("date", "future"): "Date of the {noun} must be today or in the past",
}


def _date_messages(noun: str) -> dict[tuple[str, str], str]:
    return {key: text.format(noun=noun) for key, text in _DATE.items()}


class CouncillorMeetingForm(RecordForm):
    """A ward meeting. A councillor's ward is fixed (``ward``): the field is not shown."""

    FORMAT = COUNCILLOR_SESSION
    MODEL = CouncillorMeeting
    LISTS = ("concerns",)
    MESSAGES = {
        **_date_messages("meeting"),
        ("ward_code", "blank"): "Select the ward of the meeting",
        ("ward_code", "ward"): "Select a ward from the list",
        ("councillors_attending", "int"): "Councillors attending must be a whole number, like 3",
        ("councillors_attending", "below"): "Councillors attending must be 0 or more",
        ("reporting_routes_known", "choice"): "Select whether they knew the reporting routes",
    }

    date = DateField(
        noun="the meeting", label="When was the meeting?", help_text="For example, 27 3 2026"
    )
    ward_code = forms.CharField(label="Which ward?", required=False)
    councillors_attending = forms.CharField(
        label="How many councillors attended?",
        required=False,
        widget=widgets.TextInput(width=3, numeric=True),
    )
    concerns = forms.MultipleChoiceField(
        label="Which concerns were raised?",
        help_text="Select all that apply.",
        required=False,
        error_messages={"invalid_choice": "Select concerns from the list"},
    )
    praise = forms.CharField(
        label="What did councillors say works well?",
        required=False,
        widget=widgets.Textarea(rows=4),
    )
    suggestions = forms.CharField(
        label="What did councillors suggest?", required=False, widget=widgets.Textarea(rows=4)
    )
    reporting_routes_known = forms.CharField(
        label="Did the councillors know the reporting routes?",
        required=False,
        widget=widgets.Radios([*ROUTES_CHOICES, ("", "Not asked")], small=True),
    )

    def __init__(self, *args, ward: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fixed_ward = ward
        if ward:
            del self.fields["ward_code"]
        else:
            self.fields["ward_code"].widget = widgets.Select(
                ward_choices(self.partnership, blank="Select a ward")
            )
            self.fields["ward_code"].label_size = "m"
        self.fields["concerns"].choices = concern_choices(self.partnership)
        self.fields["concerns"].widget = widgets.Checkboxes(self.fields["concerns"].choices)
        for name in ("praise", "suggestions"):
            self.fields[name].label_size = "m"
        self.fields["councillors_attending"].label_size = "s"

    def clean(self):
        if self.fixed_ward:
            self.cleaned_data["ward_code"] = self.fixed_ward
        return super().clean()

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            "date": date.fromisoformat(data["date"]),
            "ward_code": data["ward_code"].strip().upper(),
            "councillors_attending": whole(data["councillors_attending"]),
            "concerns": list(data["concerns"]),
            "praise": data["praise"],
            "suggestions": data["suggestions"],
            "reporting_routes_known": data["reporting_routes_known"].strip().lower(),
        }


class OfficerSessionForm(RecordForm):
    FORMAT = OFFICER_SESSION
    MODEL = OfficerSession
    LISTS = ("issues",)
    MESSAGES = {
        **_date_messages("session"),
        ("place", "blank"): "Select the place the session was about",
        ("place", "place"): "Select a place from the list",
        ("officers_attending", "int"): "Officers attending must be a whole number, like 6",
        ("officers_attending", "below"): "Officers attending must be 0 or more",
    }

    date = DateField(
        noun="the session", label="When was the session?", help_text="For example, 27 3 2026"
    )
    place = forms.CharField(label="Which place was the session about?", required=False)
    theme = forms.CharField(label="Which theme, if it was a theme session?", required=False)
    officers_attending = forms.CharField(
        label="How many officers attended?",
        required=False,
        widget=widgets.TextInput(width=3, numeric=True),
    )
    issues = forms.MultipleChoiceField(
        label="Which issues were raised?",
        help_text="Select all that apply.",
        required=False,
        error_messages={"invalid_choice": "Select issues from the list"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        p = self.partnership
        self.fields["place"].widget = widgets.Radios([(x.name, x.name) for x in p.places])
        themes = [(t.id, t.name) for t in p.themes]
        self.fields["theme"].widget = widgets.Radios(
            [*themes, ("", "No theme: a place session")], small=True
        )
        self.fields["issues"].choices = concern_choices(p)
        self.fields["issues"].widget = widgets.Checkboxes(self.fields["issues"].choices)
        self.fields["officers_attending"].label_size = "s"

    def clean_theme(self) -> str:
        theme = self.cleaned_data["theme"].strip()
        if theme and theme not in {t.id for t in self.partnership.themes}:
            raise forms.ValidationError("Select a theme from the list", code="choice")
        return theme

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            "date": date.fromisoformat(data["date"]),
            "place": self.checks.place_name(data["place"]) or data["place"],
            "theme": data["theme"],
            "officers_attending": whole(data["officers_attending"]),
            "issues": list(data["issues"]),
        }

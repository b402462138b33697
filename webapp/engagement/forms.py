"""The form to record a community engagement (mobile-first; GOV.UK error summary).

Every value is checked by :class:`~webapp.engagement.checks.EngagementChecks`, the
engagement spreadsheet form's own rules, so the form accepts what ``sia ingest
engagement`` accepts; all problems are shown at once, each in words for the person.
"""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils import timezone
from sia.config import Partnership
from sia.sources.tabular import TabularFormat

from webapp.engagement.checks import EngagementChecks, RowChecks
from webapp.engagement.models import (
    FEELING_CHOICES,
    ORGANISATION_CHOICES,
    TEAM_CHOICES,
    Engagement,
    InsightRecord,
)
from webapp.govuk import widgets
from webapp.govuk.fields import DIGITS, DatePartsField
from webapp.partnership import partnership

#: What the person is told, by (field, problem code of the checks).
MESSAGES = {
    ("date", "blank"): "Enter the date of the engagement",
    ("date", "date"): "Date of the engagement must be a real date",
    ("date", "future"): "Date of the engagement must be today or in the past",
    ("team", "blank"): "Select the team that engaged",
    ("team", "choice"): "Select the team that engaged",
    ("place", "place"): "Select a place from the list",
    ("place", "no-location"): "Select the place or the ward of the engagement, or both",
    ("ward_code", "ward"): "Select a ward from the list",
    ("ward_code", "ward-not-in-place"): "Ward must be in the place selected: {ward} is in {place}",
    ("organisation_type", "choice"): "Select the kind of organisation from the list",
    ("individuals", "int"): "Individuals engaged must be a whole number, like 12",
    ("individuals", "below"): "Individuals engaged must be 0 or more",
    ("groups", "int"): "Groups engaged must be a whole number, like 3",
    ("groups", "below"): "Groups engaged must be 0 or more",
    ("feeling", "choice"): "Select how things feel from the list",
}


_CHECKS: dict[int, EngagementChecks] = {}


def _checks(p: Partnership) -> EngagementChecks:
    """The checks for ``p``, made once (they hold ``p``, so its id stays theirs)."""
    if id(p) not in _CHECKS:
        _CHECKS[id(p)] = EngagementChecks(p)
    return _CHECKS[id(p)]


def _ward_choices(p: Partnership) -> list:
    """Wards grouped by place, with a first blank choice."""
    names = {w.name: w.code for w in p.wards}
    groups = [
        (place.name, [(names[w], w) for w in sorted(place.wards) if w in names])
        for place in p.places
    ]
    return [("", "Not known or more than one ward"), *groups]


def _concern_choices(p: Partnership) -> list:
    """The concern taxonomy: the partnership's priorities, then its cross-cutting themes."""
    kinds = (("priority", "Priorities"), ("theme", "Cross-cutting themes"))
    return [
        (heading, [(c.id, c.name) for c in p.concerns if c.kind == kind])
        for kind, heading in kinds
        if any(c.kind == kind for c in p.concerns)
    ]


class DateField(DatePartsField):
    """The GOV.UK date input; its value is the text ``YYYY-MM-DD`` for the checks (or the
    parts as typed, which the checks refuse), and its own error for a missing part."""

    def __init__(self, noun: str = "the engagement", **kwargs):
        self.noun = noun
        super().__init__(f"Date of {noun}", **kwargs)

    def from_parts(self, typed: dict[str, str]) -> str:
        day, month, year = typed["day"], typed["month"], typed["year"]
        if not all(DIGITS.fullmatch(v) for v in (day, month, year)) or len(year) != 4:
            return f"{day}/{month}/{year}?"  # refused by the checks as not a real date
        return f"{int(year):04d}-{int(month):02d}-{int(day):02d}"


class EngagementForm(forms.Form):
    date = DateField(label="When was the engagement?", help_text="For example, 27 3 2026")
    team = forms.CharField(
        label="Which team engaged?", required=False, widget=widgets.Radios(TEAM_CHOICES)
    )
    place = forms.CharField(
        label="Which place?",
        required=False,
        help_text="Give the place, the ward or both.",
    )
    ward_code = forms.CharField(label="Which ward?", required=False)
    organisation_type = forms.CharField(
        label="Which kind of organisation, if any?",
        required=False,
        widget=widgets.Radios(ORGANISATION_CHOICES, small=True),
    )
    individuals = forms.CharField(
        label="How many individuals did you engage with?",
        required=False,
        widget=widgets.TextInput(width=3, numeric=True),
    )
    groups = forms.CharField(
        label="How many groups did you engage with?",
        required=False,
        widget=widgets.TextInput(width=3, numeric=True),
    )
    feeling = forms.CharField(
        label="How do things feel?",
        help_text="In your judgement, from what you saw and heard.",
        required=False,
        widget=widgets.Radios(FEELING_CHOICES, small=True),
    )
    concerns = forms.MultipleChoiceField(
        label="Which concerns were raised?",
        help_text="Select all that apply.",
        required=False,
        error_messages={"invalid_choice": "Select concerns from the list"},
    )
    notes = forms.CharField(
        label="What was said?",
        help_text="In people's own words where you can. Do not include names.",
        required=False,
        widget=widgets.Textarea(rows=5),
        strip=True,
    )
    strengths = forms.CharField(
        label="What strengths did you see?",
        help_text="Groups, networks, spaces.",
        required=False,
        widget=widgets.Textarea(rows=3),
    )
    locations = forms.CharField(
        label="Which locations were mentioned?",
        required=False,
        widget=widgets.Textarea(rows=2),
    )

    def __init__(self, *args, partnership_: Partnership | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.partnership = partnership_ or partnership()
        self.checks = _checks(self.partnership)
        self.fields["place"].widget = widgets.Radios(
            [(p.name, p.name) for p in self.partnership.places]
            + [("", "Not known: the ward's place")]
        )
        self.fields["ward_code"].widget = widgets.Select(_ward_choices(self.partnership))
        self.fields["concerns"].choices = _concern_choices(self.partnership)
        self.fields["concerns"].widget = widgets.Checkboxes(self.fields["concerns"].choices)

    def row(self) -> dict[str, str]:
        """The values as one row of the spreadsheet form (text by column header)."""
        data = self.cleaned_data
        row = {
            name: data.get(name) or ""
            for name in (
                "team",
                "place",
                "ward_code",
                "organisation_type",
                "individuals",
                "groups",
                "feeling",
                "notes",
                "strengths",
                "locations",
            )
        }
        row["engagement_id"] = "app-record"  # the app gives the id; it is never blank
        row["date"] = data.get("date") or ""
        row["concerns"] = ";".join(data.get("concerns") or [])
        return row

    def clean(self):
        data = super().clean()
        if self.has_error("date"):
            self.cleaned_data["date"] = ""  # its own error stands; the checks look at the rest
        for problem in self.checks.check(self.row(), today=timezone.localdate()):
            if self.has_error(problem.field):
                continue
            if problem.field == "date" and self.has_error("date"):
                continue
            message = MESSAGES[(problem.field, problem.code)]
            if problem.code == "ward-not-in-place":
                ward = data["ward_code"].strip().upper()
                message = message.format(
                    ward=self._ward_name(ward), place=self.checks.ward_place[ward]
                )
            self.add_error(problem.field, message)
        return data

    def _ward_name(self, code: str) -> str:
        return next(w.name for w in self.partnership.wards if w.code == code)

    def save(self, recorded_by, instance: Engagement | None = None) -> Engagement:
        """Create the engagement (or update ``instance``, raising its version if changed)."""
        data = self.cleaned_data
        ward = data["ward_code"].strip().upper()
        place = self.checks.place_name(data["place"]) if data["place"].strip() else None
        values = {
            "date": date.fromisoformat(data["date"]),
            "team": data["team"].strip().lower(),
            "ward_code": ward,
            "place": place or self.checks.ward_place.get(ward, ""),
            "organisation_type": data["organisation_type"].strip().lower(),
            "individuals": _whole(data["individuals"]),
            "groups": _whole(data["groups"]),
            "feeling": data["feeling"].strip().lower(),
            "concerns": list(data["concerns"]),
            "notes": data["notes"],
            "strengths": data["strengths"].strip(),
            "locations": data["locations"].strip(),
        }
        if instance is None:
            return Engagement.objects.create(recorded_by=recorded_by, **values)
        changed = {k: v for k, v in values.items() if getattr(instance, k) != v}
        if changed:
            for key, value in changed.items():
                setattr(instance, key, value)
            instance.version += 1
            instance.save()
        return instance


class RecordForm(forms.Form):
    """A form for one record of an insight spreadsheet form (``FORMAT``), checked by the
    loader's own rules (:class:`~webapp.engagement.checks.RowChecks`).

    A subclass declares its fields (named as the format's columns), the words for each
    problem (:attr:`MESSAGES`, by field and problem code), the model, and
    :meth:`values` (the model's values from the cleaned data).
    """

    FORMAT: TabularFormat
    MODEL: type[InsightRecord]
    MESSAGES: dict[tuple[str, str], str]
    #: Fields holding lists of ids (``;`` in the spreadsheet).
    LISTS: tuple[str, ...] = ()

    def __init__(self, *args, partnership_: Partnership | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.partnership = partnership_ or partnership()
        key = (id(self.partnership), self.FORMAT.name)
        if key not in _ROW_CHECKS:
            _ROW_CHECKS[key] = RowChecks(self.partnership, self.FORMAT)
        self.checks = _ROW_CHECKS[key]

    def row(self) -> dict[str, str]:
        """The values as one row of the spreadsheet form (text by column header)."""
        data = self.cleaned_data
        row = {}
        for column in self.FORMAT.columns:
            value = data.get(column.header)
            if column.header in self.LISTS:
                row[column.header] = ";".join(value or [])
            else:
                row[column.header] = value or ""
        row[self.FORMAT.columns[0].header] = "app-record"  # the app gives the id
        return row

    def clean(self):
        data = super().clean()
        if self.has_error("date"):
            self.cleaned_data["date"] = ""  # its own error stands; the checks look at the rest
        for problem in self.checks.check(self.row(), today=timezone.localdate()):
            if self.has_error(problem.field) or problem.field not in self.fields:
                continue
            message = self.MESSAGES[(problem.field, problem.code)]
            if problem.code == "ward-not-in-place":
                ward = data["ward_code"].strip().upper()
                name = next(w.name for w in self.partnership.wards if w.code == ward)
                message = message.format(ward=name, place=self.checks.ward_place[ward])
            self.add_error(problem.field, message)
        return data

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if not callable(getattr(cls, "values", None)):
            raise TypeError(f"{cls.__name__} must define values(): the model's values")

    @classmethod
    def initial_for(cls, record: InsightRecord) -> dict:
        """The form's starting values for editing ``record`` (counts as text)."""
        initial = {}
        for name in cls.base_fields:
            value = getattr(record, name, None)
            initial[name] = str(value) if isinstance(value, int) else value
        return initial

    def save(self, recorded_by, instance: InsightRecord | None = None) -> InsightRecord:
        """Create the record (or update ``instance``, raising its version if changed)."""
        values = self.values()
        if instance is None:
            return self.MODEL.objects.create(recorded_by=recorded_by, **values)
        changed = {k: v for k, v in values.items() if getattr(instance, k) != v}
        if changed:
            for key, value in changed.items():
                setattr(instance, key, value)
            instance.version += 1
            instance.save()
        return instance


_ROW_CHECKS: dict[tuple[int, str], RowChecks] = {}


def whole(text: str) -> int | None:
    """A whole number typed (already checked), or None for blank."""
    return int(text) if text.strip() else None


def ward_choices(p: Partnership, blank: str | None = "Not known or more than one ward") -> list:
    """Wards grouped by place, with a first blank choice (unless ``blank`` is None)."""
    choices = _ward_choices(p)
    return choices if blank is not None else choices[1:]


def concern_choices(p: Partnership) -> list:
    """The concern taxonomy, grouped: priorities, then cross-cutting themes."""
    return _concern_choices(p)


def _whole(text: str) -> int | None:
    return int(text) if text.strip() else None


def initial_from(engagement: Engagement) -> dict:
    """The form's starting values for editing ``engagement``."""
    return {
        "date": engagement.date,
        "team": engagement.team,
        "place": engagement.place,
        "ward_code": engagement.ward_code,
        "organisation_type": engagement.organisation_type,
        "individuals": "" if engagement.individuals is None else str(engagement.individuals),
        "groups": "" if engagement.groups is None else str(engagement.groups),
        "feeling": engagement.feeling,
        "concerns": engagement.concerns,
        "notes": engagement.notes,
        "strengths": engagement.strengths,
        "locations": engagement.locations,
    }

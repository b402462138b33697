"""The override form: a status from the allowed set and the reason, both required."""

from __future__ import annotations

from django import forms
from sia.prioritise.models import STATUSES
from sia.prioritise.rationale import STATUS_WORDS

from webapp.govuk import widgets

#: The statuses an analyst may choose, in the order the report's table lists them.
STATUS_CHOICES = [(s, STATUS_WORDS[s]) for s in STATUSES]


class OverrideForm(forms.Form):
    status = forms.ChoiceField(
        label="What should the priority's status be?",
        choices=STATUS_CHOICES,
        widget=widgets.Radios(STATUS_CHOICES),
        error_messages={
            "required": "Select the status the priority should have",
            "invalid_choice": "Select a status from the list",
        },
    )
    reason = forms.CharField(
        label="Why is the recommendation overridden?",
        help_text="The report shows this reason beside the recommendation and your decision.",
        max_length=2000,
        widget=widgets.Textarea(rows=4),
        error_messages={
            "required": "Enter why the recommendation is overridden",
            "max_length": "Reason must be 2,000 characters or fewer",
        },
    )

"""The dashboard's one question: which measure the ward map shows."""

from __future__ import annotations

from django import forms

from webapp.govuk.widgets import Select


class MapForm(forms.Form):
    measure = forms.ChoiceField(label="Measure on the map", widget=Select())

    def __init__(self, *args, choices: list[tuple[str, list[tuple[str, str]]]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure"].choices = choices
        self.fields["measure"].widget.choices = choices

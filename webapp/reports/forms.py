"""Running the assessment: the period, or blank for the latest 12 complete months."""

from __future__ import annotations

from django import forms

from webapp.govuk import widgets


class RunForm(forms.Form):
    period = forms.CharField(
        label="Which months should the assessment cover?",
        help_text="From the first month to the last, for example 2025-04:2026-03. Leave it "
        "blank for the latest 12 months with data.",
        required=False,
        max_length=15,
        widget=widgets.TextInput(width=10, spellcheck="false"),
        error_messages={"max_length": "Months must be like 2025-04:2026-03"},
    )

    def clean_period(self) -> str:
        from sia.assessment import PeriodError, parse_period

        text = self.cleaned_data["period"].strip()
        if text:
            try:
                parse_period(text)
            except PeriodError as exc:
                raise forms.ValidationError(
                    f"Months must be like 2025-04:2026-03 ({exc})", code="period"
                ) from exc
        return text

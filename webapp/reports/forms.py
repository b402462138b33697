"""Running the assessment: the first and last month, or neither for the latest 12 months.

Each month is a GOV.UK date input with only month and year boxes, as the Design System
asks for a date that has no day. Its errors follow the Design System's wording: what is
missing, or that it must be a real month; then that the last month must not come before
the first.
"""

from __future__ import annotations

from django import forms

from webapp.govuk.fields import DIGITS, DatePartsField


class MonthField(DatePartsField):
    """A month typed as its number and year; its value is the text ``YYYY-MM``, or ``""``."""

    def __init__(self, what: str, **kwargs):
        super().__init__(what, parts=("month", "year"), **kwargs)

    def from_parts(self, typed: dict[str, str]) -> str:
        month, year = typed["month"], typed["year"]
        whole = DIGITS.fullmatch(month) and DIGITS.fullmatch(year) and len(year) == 4
        if not whole or not 1 <= int(month) <= 12:
            raise forms.ValidationError(f"{self.what} must be a real month", code="invalid")
        return f"{int(year):04d}-{int(month):02d}"


class RunForm(forms.Form):
    start = MonthField("The first month", label="First month", help_text="For example, 4 2025")
    end = MonthField("The last month", label="Last month", help_text="For example, 3 2026")

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        start, end = cleaned.get("start", ""), cleaned.get("end", "")
        if start and not end:
            self.add_error("end", "Enter the last month, or leave both months blank")
        elif end and not start:
            self.add_error("start", "Enter the first month, or leave both months blank")
        elif start and end < start:  # YYYY-MM sorts as the months do
            self.add_error("end", "The last month must be the same as or after the first month")
        else:
            # what sia assess --period takes: YYYY-MM:YYYY-MM, or blank for the latest months
            cleaned["period"] = f"{start}:{end}" if start else ""
        return cleaned

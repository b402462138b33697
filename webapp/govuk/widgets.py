"""Form widgets that render as GOV.UK Design System components.

Each widget names its component's template in ``templates/govuk/components/``; the
``{% govuk_field %}`` tag renders any bound field through it, with its label, hint and
error message, so every form of the app renders one way.
"""

from __future__ import annotations

from django import forms


class TextInput(forms.TextInput):
    component = "input"

    def __init__(self, width: int | None = None, numeric: bool = False, **attrs):
        classes = "govuk-input" + (f" govuk-input--width-{width}" if width else "")
        if numeric:
            attrs.setdefault("inputmode", "numeric")
            attrs.setdefault("spellcheck", "false")
        super().__init__(attrs={"class": classes, **attrs})


class PasswordInput(forms.PasswordInput):
    component = "input"

    def __init__(self, **attrs):
        super().__init__(attrs={"class": "govuk-input", **attrs})


class Textarea(forms.Textarea):
    component = "textarea"

    def __init__(self, rows: int = 4, **attrs):
        super().__init__(attrs={"class": "govuk-textarea", "rows": rows, **attrs})


class Radios(forms.RadioSelect):
    component = "radios"

    def __init__(self, choices=(), inline: bool = False, small: bool = False):
        super().__init__(choices=choices)
        self.inline = inline
        self.small = small


class Checkboxes(forms.CheckboxSelectMultiple):
    component = "checkboxes"

    def __init__(self, choices=(), small: bool = True):
        super().__init__(choices=choices)
        self.small = small


class Select(forms.Select):
    component = "select"

    def __init__(self, choices=()):
        super().__init__(attrs={"class": "govuk-select"}, choices=choices)


class DateInput(forms.MultiWidget):
    """The GOV.UK date input: day, month and year boxes (``<name>_day`` etc.), or only some
    of them, e.g. ``parts=("month", "year")`` for a month (``<name>_month``, ``<name>_year``)."""

    component = "date"

    def __init__(self, parts: tuple[str, ...] = ("day", "month", "year")):
        self.parts = tuple(parts)
        widgets = {
            part: forms.TextInput(
                attrs={
                    "class": "govuk-input govuk-date-input__input "
                    + ("govuk-input--width-4" if part == "year" else "govuk-input--width-2"),
                    "inputmode": "numeric",
                }
            )
            for part in self.parts
        }
        super().__init__(widgets)

    def decompress(self, value):
        if not value:
            return [None] * len(self.parts)
        if isinstance(value, str):  # a month as text, YYYY-MM
            year, _, month = value.partition("-")
            value = {"year": year, "month": str(int(month)) if month.isdigit() else month}
            return [value.get(part) for part in self.parts]
        return [getattr(value, part) for part in self.parts]

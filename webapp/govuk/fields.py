"""Form fields for GOV.UK components made of several boxes."""

from __future__ import annotations

import re

from django import forms

from webapp.govuk import widgets

#: A box of a date input holds a whole number when it holds only digits.
DIGITS = re.compile(r"[0-9]+")


class DatePartsField(forms.MultiValueField):
    """The boxes of a GOV.UK date input (day, month and year, or some of them) as one field.

    All boxes blank is no value (``""``); some blank is the Design System's error
    "<what> must include a month and a year"; all filled, the typed parts (stripped) go to
    :meth:`from_parts`, which a subclass gives, for the field's value.
    """

    def __init__(self, what: str, parts: tuple[str, ...] = ("day", "month", "year"), **kwargs):
        self.what = what
        self.parts = tuple(parts)
        part = forms.CharField(required=False)
        super().__init__(
            fields=tuple(part for _ in self.parts),
            require_all_fields=False,
            required=False,
            widget=widgets.DateInput(parts=self.parts),
            **kwargs,
        )

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if not callable(getattr(cls, "from_parts", None)):
            raise TypeError(f"{cls.__name__} must say how its parts make a value: from_parts()")

    def compress(self, data_list) -> str:
        values = [str(v or "").strip() for v in (data_list or [])]
        typed = dict(zip(self.parts, values + [""] * (len(self.parts) - len(values)), strict=True))
        if not any(typed.values()):
            return ""
        missing = [part for part in self.parts if not typed[part]]
        if missing:
            raise forms.ValidationError(
                f"{self.what} must include a {' and a '.join(missing)}", code="incomplete"
            )
        return self.from_parts(typed)

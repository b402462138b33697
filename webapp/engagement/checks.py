"""The checks of the insight spreadsheet forms (``sia ingest engagement``,
``councillor-session``, ``officer-session``, ``tension``), in Python.

The loader checks a file's rows in SQL (:mod:`sia.sources.insight`); the web forms must
accept exactly the records the loader accepts, so that a record typed here and the same
record in the spreadsheet reach the assessment alike. The columns, their kinds, choices
and bounds are read from the loader's own declaration; the checks that are SQL there (date
not after today, place and ward of the partnership, ward in place, place or ward given)
are written again here, and ``tests/webapp/test_webapp_engagement_checks.py`` and
``test_webapp_sessions.py`` load the same rows through the real loader to show both give
the same verdict.

:meth:`RowChecks.check` returns every problem of a row (a form shows them all at once),
in the order the loader looks at them, so the loader's single reject is the first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from sia.config import Partnership
from sia.sources.insight import ENGAGEMENT
from sia.sources.tabular import Column, TabularFormat

#: The engagement columns, by header, as the loader declares them.
COLUMNS: dict[str, Column] = {c.header: c for c in ENGAGEMENT.columns}
#: The formats whose rows need a place or a ward (the loader's "is blank and so is
#: ward_code" check); the others take a record without either as district-wide, or
#: require one of the two columns outright.
NEEDS_PLACE_OR_WARD = frozenset({ENGAGEMENT.name})

_WHOLE = re.compile(r"[+-]?[0-9]+")
_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")
_EARLIEST, _LATEST = date(1900, 1, 1), date(2100, 12, 31)


@dataclass(frozen=True)
class Problem:
    """Why one field of a row is refused: ``code`` is one of :data:`PROBLEMS`."""

    field: str
    code: str


#: What each problem code means, in the loader's words.
PROBLEMS = {
    "blank": "is blank",
    "date": "is not a date (YYYY-MM-DD or DD/MM/YYYY)",
    "int": "is not a whole number",
    "below": "is below the minimum",
    "above": "is above the maximum",
    "choice": "is not one of the allowed values",
    "future": "is after today",
    "place": "is not one of the partnership's places",
    "ward": "is not the code of one of the partnership's wards",
    "ward-not-in-place": "lies in a different place from the one given in place",
    "no-location": "is blank and so is ward_code",
}


def place_key(name: str) -> str:
    """A place name compared loosely, as the loader compares it: lower case, no spaces or
    punctuation, "and" the same as "&" (``batley and spen`` is ``Batley & Spen``)."""
    return re.sub(r"\band\b|[^a-z0-9]+", "", name.lower())


def parse_date(text: str) -> date | None:
    """``YYYY-MM-DD`` or ``DD/MM/YYYY`` between 1900 and 2100, else None."""
    for fmt in _DATE_FORMATS:
        try:
            value = datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        return value if _EARLIEST <= value <= _LATEST else None
    return None


class RowChecks:
    """The partnership's places and wards, and the checks of one row of ``fmt``."""

    def __init__(self, partnership: Partnership, fmt: TabularFormat = ENGAGEMENT):
        self.partnership = partnership
        self.format = fmt
        self.columns: dict[str, Column] = {c.header: c for c in fmt.columns}
        ward_codes = {w.name: w.code for w in partnership.wards}
        #: place key -> the place as the configuration spells it
        self.places = {place_key(p.name): p.name for p in partnership.places}
        #: ward code -> its place (as spelt in the configuration)
        self.ward_place = {
            ward_codes[ward]: place.name
            for place in partnership.places
            for ward in place.wards
            if ward in ward_codes
        }
        self.ward_codes = {w.code for w in partnership.wards}

    def place_name(self, text: str) -> str | None:
        """The configured spelling of a place typed loosely, or None if it is not one."""
        return self.places.get(place_key(text))

    def check(self, row: dict[str, str | None], today: date) -> list[Problem]:
        """Every problem of ``row`` (raw text by column header), the loader's first first."""
        raw = {h: (row.get(h) or "").strip() or None for h in self.columns}
        problems = [
            p for col in self.columns.values() if (p := _check_column(col, raw[col.header]))
        ]
        when = parse_date(raw["date"]) if raw["date"] else None
        if when is not None and when > today:
            problems.append(Problem("date", "future"))
        place, ward = raw.get("place"), raw.get("ward_code")
        place_ok = place is not None and self.place_name(place) is not None
        ward_ok = ward is not None and ward.upper() in self.ward_codes
        if place is not None and not place_ok:
            problems.append(Problem("place", "place"))
        if ward is not None and not ward_ok:
            problems.append(Problem("ward_code", "ward"))
        if place_ok and ward_ok and self.ward_place.get(ward.upper()) != self.place_name(place):
            problems.append(Problem("ward_code", "ward-not-in-place"))
        if self.format.name in NEEDS_PLACE_OR_WARD and place is None and ward is None:
            problems.append(Problem("place", "no-location"))
        return problems


class EngagementChecks(RowChecks):
    """The checks of one engagement row."""

    def __init__(self, partnership: Partnership):
        super().__init__(partnership, ENGAGEMENT)


def _check_column(col: Column, raw: str | None) -> Problem | None:
    """The loader's check of one column (``sia.sources.tabular._bad_when``)."""
    if raw is None:
        return Problem(col.header, "blank") if col.required else None
    if col.kind == "date" and parse_date(raw) is None:
        return Problem(col.header, "date")
    if col.kind == "int":
        if not _WHOLE.fullmatch(raw):
            return Problem(col.header, "int")
        if col.minimum is not None and int(raw) < col.minimum:
            return Problem(col.header, "below")
        if col.maximum is not None and int(raw) > col.maximum:
            return Problem(col.header, "above")
    if col.kind == "choice":
        allowed = col.choices if col.exact else tuple(c.lower() for c in col.choices)
        if (raw if col.exact else raw.lower()) not in allowed:
            return Problem(col.header, "choice")
    return None

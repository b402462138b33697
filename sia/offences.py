"""Home Office offence codes: description, police.uk crime type and ONS Crime Severity weight.

Force extracts give a Home Office offence code per crime; police.uk gives only a crime
type. This module answers, for a code, what the offence is, which police.uk crime type it
is published under and its ONS Crime Severity Score (CSS) weight, and gives an approximate
weight per police.uk crime type for data that have no offence code.

Only package data are read (through :mod:`importlib.resources`): the two CSV files in
``sia/data/offences``, written by ``scripts/build_offence_data.py`` and described, with
their source, licence and caveats, in ``sia/data/offences/README.md``. Each file is parsed
once per process and cached.

Codes are normalised before lookup (:func:`normalise_code`):

* surrounding and inner white space is removed and letters are upper-cased
  (``" 8n "`` -> ``"8N"``);
* leading zeros are removed from the offence class (``"008N"`` -> ``"8N"``,
  ``"001"`` -> ``"1"``) and from a sub-class (``"004/01"`` -> ``"4.1"``);
* a ``/`` between class and sub-class is read as ``.`` (``"4/10"`` -> ``"4.10"``,
  ``"37/1"`` -> ``"37.1"``), because the CSS table writes the homicide and
  death-by-driving sub-classes that way.

A trailing zero is never removed: ``4.10`` (corporate manslaughter) is not ``4.1``
(manslaughter). Read code columns as text, never as numbers, and pass codes as strings;
a float is refused for that reason. Integers are accepted (``106`` is ``"106"``).
"""

from __future__ import annotations

import csv
import difflib
import io
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from importlib.abc import Traversable

import pandas as pd

from sia.config.schema import POLICE_UK_CRIME_TYPES

__all__ = [
    "CATEGORY_COLUMNS",
    "OFFENCE_COLUMNS",
    "Offence",
    "UnknownOffenceCode",
    "UnknownPoliceUkCategory",
    "all_offences",
    "category_weight",
    "category_weights",
    "css_weight",
    "normalise_code",
    "offence",
    "police_uk_category",
]

#: Columns of ``sia/data/offences/offence_codes.csv``, in order.
OFFENCE_COLUMNS: tuple[str, ...] = (
    "ho_offence_code",
    "offence",
    "ons_category",
    "css_weight",
    "police_uk_category",
)
#: Columns of ``sia/data/offences/police_uk_category_weights.csv``, in order.
CATEGORY_COLUMNS: tuple[str, ...] = ("police_uk_category", "css_weight", "method", "codes")

#: police.uk crime types that deliberately have no weight, and why.
_UNWEIGHTED: dict[str, str] = {
    "Anti-social behaviour": (
        "anti-social behaviour is not a notifiable crime and has no Crime Severity Score "
        "weight; any weight for it is a policy choice to be made and documented by the user"
    ),
    "Public disorder and weapons": (
        "it is a police.uk crime type used only in the early years of police.uk, before it "
        "was split into 'Public order' and 'Possession of weapons'; no weight is shipped for it"
    ),
    "Violent crime": (
        "it is a police.uk crime type used only in the early years of police.uk, before "
        "'Violence and sexual offences'; its coverage differs, so no weight is shipped for it"
    ),
}

_CODE = re.compile(r"0*(\d+)([A-Z]?)(?:[./]0*(\d+))?")


class UnknownOffenceCode(LookupError):
    """A Home Office offence code that is not in the shipped table.

    ``code`` is the code as given, ``normalised`` the form that was looked up and
    ``suggestions`` the known codes closest to it (possibly none).
    """

    def __init__(self, code: object, normalised: str, suggestions: list[str]):
        self.code = code
        self.normalised = normalised
        self.suggestions = list(suggestions)
        given = repr(code) if str(code) == normalised else f"{code!r} (read as {normalised!r})"
        message = f"unknown Home Office offence code {given}"
        if self.suggestions:
            message += "; close codes: " + ", ".join(
                f"{c} ({_by_code()[c].offence})" for c in self.suggestions
            )
        message += ". The known codes are listed by sia.offences.all_offences()."
        super().__init__(message)


class UnknownPoliceUkCategory(LookupError):
    """A police.uk crime type that has no shipped category weight."""

    def __init__(self, category: object, reason: str):
        self.category = category
        super().__init__(
            f"no Crime Severity weight for police.uk crime type {category!r}: {reason}"
        )


@dataclass(frozen=True, slots=True)
class Offence:
    """One Home Office offence code and what the shipped table says about it."""

    code: str
    offence: str
    ons_category: str
    css_weight: float
    police_uk_category: str


# -- reading --------------------------------------------------------------------------------


def _data_dir() -> Traversable:
    return resources.files("sia") / "data" / "offences"


def _read_rows(name: str, columns: tuple[str, ...]) -> list[dict[str, str]]:
    text = (_data_dir() / name).read_text(encoding="utf-8")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if tuple(reader.fieldnames or ()) != columns:
        raise RuntimeError(f"sia/data/offences/{name} has columns {reader.fieldnames}")
    return list(reader)


@cache
def _by_code() -> dict[str, Offence]:
    table: dict[str, Offence] = {}
    for row in _read_rows("offence_codes.csv", OFFENCE_COLUMNS):
        entry = Offence(
            code=row["ho_offence_code"],
            offence=row["offence"],
            ons_category=row["ons_category"],
            css_weight=float(row["css_weight"]),
            police_uk_category=row["police_uk_category"],
        )
        if entry.code in table:
            raise RuntimeError(f"sia/data/offences/offence_codes.csv repeats code {entry.code}")
        table[entry.code] = entry
    return table


@cache
def _categories() -> dict[str, dict[str, str]]:
    rows = _read_rows("police_uk_category_weights.csv", CATEGORY_COLUMNS)
    return {row["police_uk_category"]: row for row in rows}


# -- codes ----------------------------------------------------------------------------------


def normalise_code(code: str | int) -> str:
    """The canonical form of a Home Office offence code (see the module docstring).

    >>> normalise_code(" 008n ")
    '8N'
    >>> normalise_code("004/10")
    '4.10'

    Text that does not look like an offence code is returned stripped and upper-cased,
    so a lookup of it fails with a readable message.
    """
    if isinstance(code, bool) or not isinstance(code, str | int):
        raise TypeError(
            f"offence code must be a string (or an int), not {type(code).__name__} {code!r}: "
            "codes such as 4.10 and 4.1 differ, so read code columns as text"
        )
    text = re.sub(r"\s+", "", str(code)).upper()
    match = _CODE.fullmatch(text)
    if match is None:
        return text
    klass, letter, sub = match.groups()
    if sub is None:
        return klass + letter
    if letter:
        return f"{klass}{letter}.{sub}"
    return f"{klass}.{sub}"


def _class_of(code: str) -> str:
    """The leading number of a code ("8" for "8N", "4" for "4.10"), or "" if none."""
    match = re.match(r"\d+", code)
    return match[0] if match else ""


def _suggest(normalised: str) -> list[str]:
    known = list(_by_code())
    klass = _class_of(normalised)
    same_class = [c for c in known if klass and _class_of(c) == klass]
    close = difflib.get_close_matches(normalised, known, n=5, cutoff=0.5)
    suggestions = list(dict.fromkeys(same_class + close))
    return suggestions[:8]


def offence(code: str | int) -> Offence:
    """The shipped entry for a Home Office offence code.

    Raises :class:`UnknownOffenceCode` (a :class:`LookupError`) naming the code and the
    closest known codes when it is not in the table.
    """
    key = normalise_code(code)
    try:
        return _by_code()[key]
    except KeyError:
        raise UnknownOffenceCode(code, key, _suggest(key)) from None


def police_uk_category(code: str | int) -> str:
    """The police.uk crime type (exact police.uk spelling) an offence code is published under."""
    return offence(code).police_uk_category


def css_weight(code: str | int) -> float:
    """The ONS Crime Severity Score weight of an offence code."""
    return offence(code).css_weight


def all_offences() -> pd.DataFrame:
    """Every shipped offence code, one row each, columns as in ``offence_codes.csv``.

    Codes and names are text; ``css_weight`` is a float. A fresh copy on every call.
    """
    rows = list(_by_code().values())
    df = pd.DataFrame(
        {
            "ho_offence_code": pd.Series([o.code for o in rows], dtype="str"),
            "offence": pd.Series([o.offence for o in rows], dtype="str"),
            "ons_category": pd.Series([o.ons_category for o in rows], dtype="str"),
            "css_weight": pd.Series([o.css_weight for o in rows], dtype="float64"),
            "police_uk_category": pd.Series([o.police_uk_category for o in rows], dtype="str"),
        }
    )
    return df


# -- police.uk categories -------------------------------------------------------------------


def _category_key(category: str) -> str | None:
    wanted = " ".join(str(category).split()).casefold()
    for name in _categories():
        if name.casefold() == wanted:
            return name
    return None


def category_weight(police_uk_category: str) -> float:
    """The approximate CSS weight of a police.uk crime type.

    It is the unweighted median of the weights of the offence codes mapped to that crime
    type (see ``sia/data/offences/README.md``): a crude stand-in for the offence mix of an
    area, to be used only when offence codes are not available. Names are matched ignoring
    case and repeated spaces. Raises :class:`UnknownPoliceUkCategory` (a
    :class:`LookupError`) for a crime type without a weight, saying why.
    """
    name = _category_key(police_uk_category)
    if name is not None:
        return float(_categories()[name]["css_weight"])
    for unweighted, reason in _UNWEIGHTED.items():
        if unweighted.casefold() == " ".join(str(police_uk_category).split()).casefold():
            raise UnknownPoliceUkCategory(police_uk_category, reason)
    known = ", ".join(repr(c) for c in _categories())
    close = difflib.get_close_matches(
        str(police_uk_category), list(POLICE_UK_CRIME_TYPES), n=1, cutoff=0.6
    )
    hint = f" Did you mean {close[0]!r}?" if close else ""
    raise UnknownPoliceUkCategory(
        police_uk_category, f"not a police.uk crime type with a weight; those are {known}.{hint}"
    )


def category_weights() -> pd.DataFrame:
    """The shipped category weights, columns as in ``police_uk_category_weights.csv``.

    ``codes`` is the ``;``-separated list of offence codes each weight was computed from.
    A fresh copy on every call.
    """
    rows = list(_categories().values())
    return pd.DataFrame(
        {
            "police_uk_category": pd.Series([r["police_uk_category"] for r in rows], dtype="str"),
            "css_weight": pd.Series([float(r["css_weight"]) for r in rows], dtype="float64"),
            "method": pd.Series([r["method"] for r in rows], dtype="str"),
            "codes": pd.Series([r["codes"] for r in rows], dtype="str"),
        }
    )

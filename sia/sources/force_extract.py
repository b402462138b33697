"""The police force's offence-level extract, as analysts receive it.

One row per recorded crime: ``crime_ref, date_committed, ho_offence_code,
offence_description, lsoa_code, easting, northing, domestic_abuse, hate_strand, vawg,
knife, alcohol, drugs, nte, victim_id``. Flags are Y or N; ``hate_strand`` is blank or
one of the monitored strands; ``victim_id`` is pseudonymised and may be blank. A crime is
placed by its LSOA code or, failing that, by its easting and northing.

Each Home Office offence code is checked against the shipped offence table
(:mod:`sia.offences`), which gives the crime its police.uk category; the code itself is
kept in ``events.offence_code`` so harm can be weighted exactly.
"""

from __future__ import annotations

from sia.offences import all_offences
from sia.sources.tabular import Column, TabularFormat

HATE_STRANDS = ("race", "religion", "sexual_orientation", "disability", "transgender", "multiple")
FLAGS = ("domestic_abuse", "vawg", "knife", "alcohol", "drugs", "nte")


def _canonical(column: str) -> str:
    """SQL for an offence code in canonical form, as :func:`sia.offences.normalise_code`:
    capitals, "/" read as ".", leading zeros dropped."""
    return f"nullif(ltrim(replace(upper({column}), '/', '.'), '0'), '')"


_CODE = _canonical("r.ho_offence_code")


def _codes(partnership) -> dict:
    return {"offence_codes": all_offences()["ho_offence_code"].tolist()}


EXTRACT = TabularFormat(
    name="force offence extract",
    source="force-extract",
    columns=(
        Column("crime_ref", required=True),
        Column("date_committed", "date", required=True),
        Column("ho_offence_code", "code", required=True),
        Column("offence_description"),
        Column("lsoa_code", "lsoa"),
        Column("easting", "easting"),
        Column("northing", "northing"),
        Column("domestic_abuse", "flag", required=True),
        Column("hate_strand", "choice", choices=HATE_STRANDS),
        Column("vawg", "flag", required=True),
        Column("knife", "flag", required=True),
        Column("alcohol", "flag", required=True),
        Column("drugs", "flag", required=True),
        Column("nte", "flag", required=True),
        Column("victim_id"),
    ),
    period="date_committed",
    key="r.crime_ref",
    lsoa="lsoa_code",
    place_by=("bng", "easting", "northing"),
    pairs=(("easting", "northing"),),
    extra_checks=(
        (
            "ho_offence_code__raw IS NOT NULL AND NOT list_contains($offence_codes, "
            f"{_canonical('ho_offence_code__raw')})",
            "ho_offence_code",
            "is not a Home Office offence code in the shipped offence table",
        ),
    ),
    parameters=_codes,
    fields={
        "month": "date_trunc('month', r.date_committed)::DATE",
        "occurred_on": "r.date_committed",
        "category": (
            f"(SELECT o.police_uk_category FROM offence_codes o WHERE o.ho_offence_code = {_CODE})"
        ),
        "subcategory": "r.offence_description",
        "offence_code": _CODE,
        "flags": (
            "list_filter(["
            + ", ".join(f"CASE WHEN r.{f} THEN '{f}' END" for f in FLAGS)
            + ", CASE WHEN r.hate_strand IS NOT NULL THEN 'hate' END], lambda x: x IS NOT NULL)"
        ),
        "attributes": ("json_object('hate_strand', r.hate_strand, 'victim_id', r.victim_id)"),
    },
)

FORMATS = {EXTRACT.name: EXTRACT}

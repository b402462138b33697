"""Emergency department assault attendances (Information Sharing to Tackle Violence).

One row per attendance, the ISTV minimum data set: ``attendance_id, date, time,
assault_location, postcode_district, easting, northing, weapon, assailant_relationship``.
The assault location is free text; where the hospital recorded British National Grid
coordinates the attendance is placed in its LSOA, otherwise it counts at district level
only (a postcode district cannot be placed in a ward).
"""

from __future__ import annotations

from sia.sources.tabular import Column, TabularFormat

WEAPONS = (
    "none",
    "knife_or_sharp",
    "blunt_instrument",
    "bottle_or_glass",
    "firearm",
    "other",
    "unknown",
)
RELATIONSHIPS = ("stranger", "acquaintance", "partner_or_ex", "family", "other", "unknown")

ATTENDANCES = TabularFormat(
    name="ISTV assault attendances",
    source="health-istv",
    columns=(
        Column("attendance_id", required=True),
        Column("date", "date", required=True),
        Column("time", "time"),
        Column("assault_location"),
        Column("postcode_district"),
        Column("easting", "easting"),
        Column("northing", "northing"),
        Column("weapon", "choice", choices=WEAPONS),
        Column("assailant_relationship", "choice", choices=RELATIONSHIPS),
    ),
    period="date",
    key="r.attendance_id",
    place_by=("bng", "easting", "northing"),
    pairs=(("easting", "northing"),),
    unlocated="keep",
    extra_checks=(
        (
            "postcode_district IS NOT NULL AND NOT regexp_full_match(upper(postcode_district), "
            "'[A-Z]{1,2}[0-9][0-9A-Z]?')",
            "postcode_district",
            "is not a postcode district (e.g. HD1, WF13)",
        ),
    ),
    fields={
        "month": "date_trunc('month', r.date)::DATE",
        "occurred_on": "r.date",
        "category": "'assault'",
        "subcategory": "r.weapon",
        "location": "r.assault_location",
        "flags": (
            "list_filter(["
            "CASE WHEN r.weapon IN ('knife_or_sharp', 'firearm') THEN 'knife_or_gun' END, "
            "CASE WHEN r.assailant_relationship IN ('partner_or_ex', 'family') "
            "THEN 'domestic_abuse' END], lambda x: x IS NOT NULL)"
        ),
        "attributes": (
            "json_object('time', CAST(r.time AS VARCHAR), 'postcode_district', "
            "upper(r.postcode_district), 'assailant_relationship', r.assailant_relationship)"
        ),
    },
)

FORMATS = {ATTENDANCES.name: ATTENDANCES}

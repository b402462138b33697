"""Council anti-social behaviour and environmental reports.

One row per report: ``ref, date, type, lsoa_code, easting, northing, location,
description``. A report is placed by its LSOA code or, failing that, by its British
National Grid easting and northing (point-in-polygon against the shipped boundaries).
"""

from __future__ import annotations

from sia.sources.tabular import Column, TabularFormat

ASB_TYPES = (
    "fly_tipping",
    "noise",
    "graffiti",
    "nuisance_vehicle",
    "youth_disorder",
    "neighbour_dispute",
    "other",
)
#: Types the council counts as environmental ASB.
ENVIRONMENTAL = ("fly_tipping", "graffiti", "nuisance_vehicle")

REPORTS = TabularFormat(
    name="council ASB reports",
    source="asb-council",
    columns=(
        Column("ref", required=True),
        Column("date", "date", required=True),
        Column("type", "choice", required=True, choices=ASB_TYPES),
        Column("lsoa_code", "lsoa"),
        Column("easting", "easting"),
        Column("northing", "northing"),
        Column("location"),
        Column("description"),
    ),
    period="date",
    key="r.ref",
    lsoa="lsoa_code",
    place_by=("bng", "easting", "northing"),
    pairs=(("easting", "northing"),),
    fields={
        "month": "date_trunc('month', r.date)::DATE",
        "occurred_on": "r.date",
        "category": "r.type",
        "subcategory": f"CASE WHEN r.type IN {ENVIRONMENTAL} THEN 'environmental' END",
        "location": "r.location",
        "flags": f"CASE WHEN r.type IN {ENVIRONMENTAL} THEN ['environmental'] END",
    },
)

FORMATS = {REPORTS.name: REPORTS}

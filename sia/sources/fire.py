"""Fire and rescue incidents.

One row per incident: ``incident_id, date, category, deliberate, property_type, easting,
northing``. Incidents are placed by point-in-polygon from their British National Grid
coordinates; an incident outside the district is skipped and counted.
"""

from __future__ import annotations

from sia.sources.tabular import Column, TabularFormat

CATEGORIES = ("primary_fire", "secondary_fire", "false_alarm", "special_service")

INCIDENTS = TabularFormat(
    name="fire and rescue incidents",
    source="fire",
    columns=(
        Column("incident_id", required=True),
        Column("date", "date", required=True),
        Column("category", "choice", required=True, choices=CATEGORIES),
        Column("deliberate", "flag", required=True),
        Column("property_type"),
        Column("easting", "easting"),
        Column("northing", "northing"),
    ),
    period="date",
    key="r.incident_id",
    place_by=("bng", "easting", "northing"),
    pairs=(("easting", "northing"),),
    fields={
        "month": "date_trunc('month', r.date)::DATE",
        "occurred_on": "r.date",
        "category": "r.category",
        "subcategory": "r.property_type",
        "flags": "CASE WHEN r.deliberate THEN ['deliberate'] ELSE [] END",
    },
)

FORMATS = {INCIDENTS.name: INCIDENTS}

"""police.uk street-level crime and outcomes CSVs, in their exact published format.

Both formats go through the common loading engine (:mod:`sia.sources.tabular`): one
transaction per file, and every row loaded, counted as a duplicate, skipped with a reason
or rejected with its line, field and reason.

Keys
----
Street rows are keyed by ``Crime ID``. Anti-social behaviour rows have none: their key is a
hash of the row's content and its position among identical rows of the same file, so the
same file, or an overlapping download of the same month, loads each incident once.
Outcome rows are keyed by Crime ID, month and outcome type.

Location
--------
Rows whose LSOA is not the partnership's are skipped (``outside-partnership``): a force's
file covers several districts. Rows with no location are kept at district level only when
the force serves this partnership alone (``police_force.serves_only_this_partnership``);
otherwise they are skipped as ``no-location``.
"""

from __future__ import annotations

from pathlib import Path

from sia.config.schema import POLICE_UK_CRIME_TYPES
from sia.sources.base import LoadResult
from sia.sources.tabular import Column, Progress, TabularFormat
from sia.sources.tabular import load_file as load_tabular
from sia.warehouse import Warehouse

SOURCE = "police-uk"

_LOCATION = (
    Column("Reported by"),
    Column("Falls within"),
    Column("Longitude", "longitude"),
    Column("Latitude", "latitude"),
    Column("Location"),
    Column("LSOA code", "lsoa"),
    Column("LSOA name"),
)

STREET = TabularFormat(
    name="police.uk street",
    source=SOURCE,
    columns=(
        Column("Crime ID"),
        Column("Month", "month", required=True),
        *_LOCATION,
        Column("Crime type", "choice", required=True, choices=POLICE_UK_CRIME_TYPES, exact=True),
        Column("Last outcome category"),
        Column("Context"),
    ),
    period="month",
    key="r.crime_id",
    keyless_when="crime_id__raw IS NULL",
    content_key=(
        "Month",
        "Reported by",
        "Falls within",
        "Longitude",
        "Latitude",
        "Location",
        "LSOA code",
        "LSOA name",
        "Crime type",
        "Last outcome category",
        "Context",
    ),
    lsoa="lsoa_code",
    pairs=(("longitude", "latitude"),),
    unlocated="force-only",
    fields={
        "month": "r.month",
        "category": "r.crime_type",
        "outcome": "r.last_outcome_category",
        "location": "r.location",
        "longitude": "r.longitude",
        "latitude": "r.latitude",
        "attributes": "CASE WHEN r.context IS NOT NULL THEN json_object('context', r.context) END",
    },
)

OUTCOMES = TabularFormat(
    name="police.uk outcomes",
    source=SOURCE,
    columns=(
        Column("Crime ID", required=True),
        Column("Month", "month", required=True),
        *_LOCATION,
        Column("Outcome type", required=True),
    ),
    period="month",
    key="r.crime_id || '|' || strftime(r.month, '%Y-%m') || '|' || r.outcome_type",
    lsoa="lsoa_code",
    pairs=(("longitude", "latitude"),),
    unlocated="force-only",
    target="outcomes",
    fields={"crime_id": "r.crime_id", "month": "r.month", "outcome_type": "r.outcome_type"},
)

FORMATS = {f.name: f for f in (STREET, OUTCOMES)}
STREET_COLUMNS = STREET.headers
OUTCOME_COLUMNS = OUTCOMES.headers


def load_file(wh: Warehouse, path: Path, progress: Progress | None = None) -> LoadResult:
    """Load one police.uk street or outcomes CSV into the warehouse, all or nothing."""
    return load_tabular(wh, path, FORMATS, progress)

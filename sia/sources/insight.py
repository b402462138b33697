"""Community insight: engagements, councillor and officer sessions, tension reports.

Four CSV formats, one row per record, each loaded by the common engine
(:mod:`sia.sources.tabular`) into its own table (``schema_insight.sql``), not into
``events``. Each format is also a source of its own (``sia ingest engagement``,
``councillor-session``, ``officer-session``, ``tension``); the tiny modules of those names
hold one format each, and :data:`FORMATS` here holds all four, so a file of any of them
can be loaded by its header.

Location
--------
Insight has no LSOA. A record names the partnership's ward (by its GSS code, ``E05...``)
and/or place (by its name in the partnership configuration; compared without regard to
case, spaces, punctuation or "and" against "&", and stored as the configuration spells
it). Where only the ward is given the place is the ward's place; where both are given the
ward must lie in the place. A ward or place that is not the partnership's is rejected.

Lists
-----
``concerns`` (engagements, councillor sessions) and ``issues`` (officer sessions) are
taxonomy ids separated by semicolons, e.g. ``asb;drug-use;``. They are stored as a list,
each id trimmed and blanks dropped (Microsoft Forms ends its multiple answers with a
semicolon). They are not checked against a taxonomy yet.
"""

from __future__ import annotations

from sia.sources.tabular import Column, TabularFormat

ENGAGEMENT_SOURCE = "engagement"
COUNCILLOR_SESSION_SOURCE = "councillor-session"
OFFICER_SESSION_SOURCE = "officer-session"
TENSION_SOURCE = "tension"

TEAMS = ("community_plus", "detached_youth", "environment", "other")
ORGANISATION_TYPES = (
    "none",
    "mosque",
    "other_faith",
    "womens_group",
    "youth",
    "community_group",
    "school",
    "food_hub",
    "other",
)
FEELINGS = ("positive", "ok", "mixed", "anxious", "concerned")
ROUTES_KNOWN = ("yes", "partly", "no")
TRIGGERS = ("local", "national", "international")
EVIDENCE = ("evidenced", "experienced", "potential")


# -- SQL shared by the formats -------------------------------------------------------------
def _norm(expr: str) -> str:
    """A place name compared loosely: lower case, no punctuation or spaces, "and" = "&"."""
    return rf"regexp_replace(lower({expr}), '\band\b|[^a-z0-9]+', '', 'g')"


#: The partnership's (ward code, place name) pairs, as 'E05...|<normalised place>'.
_WARD_PLACES = (
    f"SELECT w.area_code || '|' || {_norm('p.area_name')} FROM areas w "
    "JOIN areas p ON p.area_code = w.parent_code "
    "WHERE w.area_type = 'ward' AND p.area_type = 'place'"
)
_VALID_WARD = "list_contains($wards, ward_code)"
_VALID_PLACE = f"list_contains(list_transform($places, lambda p: {_norm('p')}), {_norm('place')})"


def _list(expr: str) -> str:
    """Semicolon-separated ids as a list: each trimmed, blanks dropped; blank is []."""
    return (
        f"list_filter(list_transform(string_split(coalesce({expr}, ''), ';'), "
        "lambda x: trim(x)), lambda x: x <> '')"
    )


def _place_of(place: str | None, ward: str | None) -> str:
    """The stored place: the configured spelling of ``place``, else the ward's place."""
    parts = []
    if place:
        parts.append(
            "(SELECT any_value(a.area_name) FROM areas a WHERE a.area_type = 'place' "
            f"AND {_norm('a.area_name')} = {_norm(place)})"
        )
    if ward:
        parts.append(
            "(SELECT any_value(p.area_name) FROM areas w JOIN areas p "
            "ON p.area_code = w.parent_code AND p.area_type = 'place' "
            f"WHERE w.area_type = 'ward' AND w.area_code = {ward})"
        )
    return parts[0] if len(parts) == 1 else f"coalesce({', '.join(parts)})"


_NOT_FUTURE = ("date > current_date", "date", "is after today")
_WARD_CHECK = (
    f"ward_code IS NOT NULL AND NOT {_VALID_WARD}",
    "ward_code",
    "is not the code of one of the partnership's wards (E05... as in its configuration)",
)
_PLACE_CHECK = (
    f"place IS NOT NULL AND NOT {_VALID_PLACE}",
    "place",
    "is not one of the partnership's places (as named in its configuration)",
)
_WARD_IN_PLACE = (
    f"ward_code IS NOT NULL AND place IS NOT NULL AND {_VALID_WARD} AND {_VALID_PLACE} "
    f"AND ward_code || '|' || {_norm('place')} NOT IN ({_WARD_PLACES})",
    "ward_code",
    "lies in a different place from the one given in place",
)
_WHERE = (
    "place__raw IS NULL AND ward_code__raw IS NULL",
    "place",
    "is blank and so is ward_code: give the place, the ward or both",
)


def _common(id_column: str) -> dict[str, str]:
    return {
        "month": "date_trunc('month', r.date)::DATE",
        "occurred_on": "r.date",
        id_column: f"r.{id_column}",
    }


# -- the four formats ----------------------------------------------------------------------
ENGAGEMENT = TabularFormat(
    name="community engagement",
    source=ENGAGEMENT_SOURCE,
    columns=(
        Column("engagement_id", required=True),
        Column("date", "date", required=True),
        Column("team", "choice", required=True, choices=TEAMS),
        Column("place"),
        Column("ward_code", "code"),
        Column("organisation_type", "choice", choices=ORGANISATION_TYPES),
        Column("individuals", "int", minimum=0),
        Column("groups", "int", minimum=0),
        Column("feeling", "choice", choices=FEELINGS),
        Column("concerns"),
        Column("notes"),
        Column("strengths"),
        Column("locations"),
    ),
    period="date",
    key="r.engagement_id",
    unlocated="keep",
    target="engagements",
    extra_checks=(
        _NOT_FUTURE,
        _PLACE_CHECK,
        _WARD_CHECK,
        _WARD_IN_PLACE,
        _WHERE,
    ),
    fields={
        **_common("engagement_id"),
        "ward_code": "r.ward_code",
        "place": _place_of("r.place", "r.ward_code"),
        "team": "r.team",
        "organisation_type": "r.organisation_type",
        "individuals": "r.individuals",
        "groups": "r.groups",
        "feeling": "r.feeling",
        "concerns": _list("r.concerns"),
        "notes": "r.notes",
        "strengths": "r.strengths",
        "locations": "r.locations",
    },
)

COUNCILLOR_SESSION = TabularFormat(
    name="councillor session",
    source=COUNCILLOR_SESSION_SOURCE,
    columns=(
        Column("session_id", required=True),
        Column("date", "date", required=True),
        Column("ward_code", "code", required=True),
        Column("councillors_attending", "int", minimum=0),
        Column("concerns"),
        Column("praise"),
        Column("suggestions"),
        Column("reporting_routes_known", "choice", choices=ROUTES_KNOWN),
    ),
    period="date",
    key="r.session_id",
    unlocated="keep",
    target="councillor_sessions",
    extra_checks=(_NOT_FUTURE, _WARD_CHECK),
    fields={
        **_common("session_id"),
        "ward_code": "r.ward_code",
        "place": _place_of(None, "r.ward_code"),
        "councillors_attending": "r.councillors_attending",
        "concerns": _list("r.concerns"),
        "praise": "r.praise",
        "suggestions": "r.suggestions",
        "reporting_routes_known": "r.reporting_routes_known",
    },
)

OFFICER_SESSION = TabularFormat(
    name="officer session",
    source=OFFICER_SESSION_SOURCE,
    columns=(
        Column("session_id", required=True),
        Column("date", "date", required=True),
        Column("place", required=True),
        Column("theme"),
        Column("officers_attending", "int", minimum=0),
        Column("issues"),
    ),
    period="date",
    key="r.session_id",
    unlocated="keep",
    target="officer_sessions",
    extra_checks=(_NOT_FUTURE, _PLACE_CHECK),
    fields={
        **_common("session_id"),
        "ward_code": "NULL",
        "place": _place_of("r.place", None),
        "theme": "r.theme",
        "officers_attending": "r.officers_attending",
        "issues": _list("r.issues"),
    },
)

TENSION = TabularFormat(
    name="community tension report",
    source=TENSION_SOURCE,
    columns=(
        Column("report_id", required=True),
        Column("date", "date", required=True),
        Column("place"),
        Column("ward_code", "code"),
        Column("category", required=True),
        Column("trigger", "choice", required=True, choices=TRIGGERS),
        Column("evidence", "choice", required=True, choices=EVIDENCE),
        Column("level", "int", required=True, minimum=1, maximum=5),
        Column("summary"),
        Column("actions"),
    ),
    period="date",
    key="r.report_id",
    unlocated="keep",
    target="tension_reports",
    extra_checks=(_NOT_FUTURE, _PLACE_CHECK, _WARD_CHECK, _WARD_IN_PLACE),
    fields={
        **_common("report_id"),
        "ward_code": "r.ward_code",
        "place": _place_of("r.place", "r.ward_code"),
        "category": "r.category",
        "trigger": "r.trigger",
        "evidence": "r.evidence",
        "level": "r.level",
        "summary": "r.summary",
        "actions": "r.actions",
    },
)

#: Every insight format by name. Each source's own module holds just its one.
FORMATS = {f.name: f for f in (ENGAGEMENT, COUNCILLOR_SESSION, OFFICER_SESSION, TENSION)}

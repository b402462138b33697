"""Partner indicators: any figure a partner supplies per period and area.

One row per indicator, period and area: ``indicator_id, period_start, period_end,
area_code, value, denominator`` (reoffending rates, Prevent referrals, asylum arrivals,
substance misuse treatment, water incidents, survey results...). Rows go to their own
table, ``indicator_values`` (``schema_indicators.sql``), not to ``events``.

Indicators
----------
What each ``indicator_id`` means (name, owner, unit, polarity, sensitivity) is declared in
the partnership configuration (``indicators:``). An id must be a lower-case slug (compared
without regard to case, stored in lower case), and one the partnership declares: the
engine gives the format's checks the partnership's ids. See
``docs/indicators-and-mapped.md``.

Areas
-----
``area_code`` is the partnership's district code, one of its ward codes, one of its LSOA
codes (2011 or 2021), or the name of one of its places (compared without regard to case,
spaces, punctuation or "and" against "&"; the place's id, e.g. ``batley-spen``, also
matches). Anything else is rejected. The row's ``area_type`` is derived from it, and
``ward_code`` and ``place`` are filled where the area is a ward, a place or an LSOA. Every
row is kept whatever its area (a district figure has no ward or place).

Identity
--------
A figure is identified by its indicator, period and area, so a partner's corrected
re-send of a period is a duplicate of the figure already loaded, not a second figure.
"""

from __future__ import annotations

from sia.sources.tabular import Column, TabularFormat

SOURCE = "indicator"
HEADERS = ("indicator_id", "period_start", "period_end", "area_code", "value", "denominator")
#: The form of a partnership id (``sia.config.schema.SLUG_PATTERN``, as RE2 full match).
_SLUG = "[a-z0-9]+(-[a-z0-9]+)*"


def _norm(expr: str) -> str:
    """A place name compared loosely: lower case, no punctuation or spaces, "and" = "&"."""
    return rf"regexp_replace(lower({expr}), '\band\b|[^a-z0-9]+', '', 'g')"


# -- the partnership's areas, from the warehouse's geography (filled from its config) ----
#: Every way of naming one of the partnership's areas -> (type, code, ward, place, lsoa):
#: district, ward and LSOA codes in capitals, places by their loosely compared name and
#: id. One uncorrelated look-up, so it is built once per statement, and the staged rows'
#: unqualified column names cannot be mistaken for the geography's.
_AREAS = f"""(SELECT map_from_entries(list((k, v))) FROM (
    SELECT k, any_value(v) AS v FROM (
        SELECT area_code AS k, {{'type': 'district', 'code': area_code, 'ward': NULL,
               'place': NULL, 'lsoa': NULL}} AS v
        FROM areas WHERE area_type = 'district'
        UNION ALL
        SELECT w.area_code, {{'type': 'ward', 'code': w.area_code, 'ward': w.area_code,
               'place': p.area_name, 'lsoa': NULL}}
        FROM areas w LEFT JOIN areas p ON p.area_code = w.parent_code AND p.area_type = 'place'
        WHERE w.area_type = 'ward'
        UNION ALL
        SELECT lsoa_code, {{'type': 'lsoa', 'code': lsoa_code,
               'ward': arg_max(ward_code, lsoa_vintage), 'place': arg_max(place, lsoa_vintage),
               'lsoa': lsoa_code}}
        FROM lsoa_lookup GROUP BY lsoa_code
        UNION ALL
        SELECT {_norm("name")}, {{'type': 'place', 'code': area_code, 'ward': NULL,
               'place': area_name, 'lsoa': NULL}}
        FROM areas, (SELECT unnest([area_name, area_code]) AS name) n
        WHERE area_type = 'place'
    ) GROUP BY k
))"""


def _area(code: str, part: str) -> str:
    """SQL: one part (type, code, ward, place, lsoa) of the area an area_code names; NULL
    when it names none of the partnership's."""
    return f"struct_extract(coalesce({_AREAS}[upper({code})], {_AREAS}[{_norm(code)}]), '{part}')"


_KEY = (
    "lower(r.indicator_id) || '|' || CAST(r.period_start AS VARCHAR) || '|' || "
    f"CAST(r.period_end AS VARCHAR) || '|' || {_area('r.area_code', 'code')}"
)

#: (condition, header, problem, value shown): the checks beyond each column's kind.
_CHECKS = (
    (
        f"indicator_id IS NOT NULL AND NOT regexp_full_match(lower(indicator_id), '{_SLUG}')",
        "indicator_id",
        "is not an indicator id (lower-case letters, digits and hyphens, as declared under "
        "indicators in the partnership configuration)",
        "indicator_id__raw",
    ),
    ("period_end < period_start", "period_end", "is before period_start", "period_end__raw"),
    ("period_start > current_date", "period_start", "is after today", "period_start__raw"),
    (
        f"area_code IS NOT NULL AND {_area('area_code', 'type')} IS NULL",
        "area_code",
        "is not the partnership's district code, one of its ward or LSOA codes, or the "
        "name of one of its places",
        "area_code__raw",
    ),
    ("denominator <= 0", "denominator", "is not above 0", "denominator__raw"),
)


#: The id must be one the partnership declares (``indicators:`` in its config).
_DECLARED = (
    "indicator_id IS NOT NULL AND regexp_full_match(lower(indicator_id), "
    f"'{_SLUG}') AND NOT list_contains($indicators, lower(indicator_id))",
    "indicator_id",
    "is not one of the indicators the partnership declares (indicators: in its config)",
    "indicator_id__raw",
)


def _declared(partnership) -> dict:
    # VARCHAR[] even when empty, so the check binds.
    return {"indicators": sorted(i.id for i in partnership.indicators) or [""]}


def indicator_format() -> TabularFormat:
    """The indicator format: ids the partnership does not declare are rejected."""
    checks = (_CHECKS[0], _DECLARED, *_CHECKS[1:])
    parameters = _declared
    return TabularFormat(
        name="partner indicator values",
        source=SOURCE,
        columns=(
            Column("indicator_id", required=True),
            Column("period_start", "date", required=True),
            Column("period_end", "date", required=True),
            Column("area_code", required=True),
            Column("value", "number", required=True),
            Column("denominator", "number"),
        ),
        period="period_start",
        key=_KEY,
        unlocated="keep",
        target="indicator_values",
        extra_checks=checks,
        parameters=parameters,
        fields={
            "month": "date_trunc('month', r.period_start)::DATE",
            "lsoa_code": _area("r.area_code", "lsoa"),
            "ward_code": _area("r.area_code", "ward"),
            "place": _area("r.area_code", "place"),
            "indicator_id": "lower(r.indicator_id)",
            "period_start": "r.period_start",
            "period_end": "r.period_end",
            "area_type": _area("r.area_code", "type"),
            "area_code": _area("r.area_code", "code"),
            "value": "r.value",
            "denominator": "r.denominator",
        },
    )


INDICATOR_VALUES = indicator_format()
FORMATS = {INDICATOR_VALUES.name: INDICATOR_VALUES}

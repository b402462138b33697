"""Portable analytical queries over the warehouse, written as Ibis expressions.

Every function here builds an Ibis expression and executes nothing. The same expression
runs on the DuckDB warehouse (:func:`connect_duckdb`) and, unchanged, on any backend Ibis
compiles to, such as PySpark for a national-scale run: give the functions the ``events``
table of that backend instead. ``tests/test_queries.py`` proves that DuckDB and PySpark
return identical tables; ``docs/portable-queries.md`` shows how to run them on Spark.

Only portable operations are used: comparisons, ``isin``, array ``contains``, ``coalesce``,
literals, ``union all``, ``group by`` with ``count``, ``sum``, ``min`` and ``max``, ``order
by``, and ``strip``, ``startswith`` and ``substr`` on strings. Nothing reads the
``attributes`` JSON column (JSON functions differ between engines).

Examples
--------
>>> from sia.config import load_partnership
>>> from sia.warehouse import Warehouse
>>> partnership = load_partnership("city-of-london")
>>> wh = Warehouse.open(partnership, "sia-data")  # doctest: +SKIP
>>> events = events_table(connect_duckdb(wh))  # doctest: +SKIP
>>> monthly_counts(events, partnership, by="ward").to_pandas()  # doctest: +SKIP
"""

from __future__ import annotations

import warnings
from datetime import date
from typing import TYPE_CHECKING, Literal, get_args

import ibis
import ibis.expr.types as ir

from sia.config import Measure, Partnership

if TYPE_CHECKING:
    from ibis.backends.duckdb import Backend as DuckDBBackend

    from sia.warehouse import Warehouse

__all__ = [
    "AREA_COLUMNS",
    "AREA_COUNT_COLUMNS",
    "AREA_LEVELS",
    "COUNT_COLUMNS",
    "LABEL_COUNT_COLUMNS",
    "LOAD_SPAN_COLUMNS",
    "LOCATION_COUNT_COLUMNS",
    "LOCATION_PREFIX",
    "MEASURE_EVENT_COLUMNS",
    "SOURCE_MONTH_COLUMNS",
    "AreaLevel",
    "OffenceCodeWarning",
    "area_counts",
    "connect_duckdb",
    "events_table",
    "label_counts",
    "load_spans",
    "location_counts",
    "measure_events",
    "measure_filter",
    "monthly_counts",
    "source_month_counts",
]

AreaLevel = Literal["district", "place", "ward", "lsoa"]

#: The area levels :func:`monthly_counts` can count by, largest first.
AREA_LEVELS: tuple[str, ...] = get_args(AreaLevel)

#: The ``events`` column that names the area at each level below the district.
AREA_COLUMNS: dict[str, str] = {"place": "place", "ward": "ward_code", "lsoa": "lsoa_code"}

#: The columns of :func:`measure_events`, in order.
MEASURE_EVENT_COLUMNS: tuple[str, ...] = ("measure_id", "month", "lsoa_code", "ward_code", "place")

#: The columns of :func:`monthly_counts`, in order.
COUNT_COLUMNS: tuple[str, ...] = ("measure_id", "month", "area_type", "area_code", "count")

#: The columns of :func:`area_counts`, in order.
AREA_COUNT_COLUMNS: tuple[str, ...] = (
    "measure_id",
    "month",
    "lsoa_code",
    "ward_code",
    "place",
    "count",
)

#: The columns of :func:`source_month_counts`, in order.
SOURCE_MONTH_COLUMNS: tuple[str, ...] = ("source", "month", "events", "without_location")

#: The columns of :func:`load_spans`, in order.
LOAD_SPAN_COLUMNS: tuple[str, ...] = ("source", "load_id", "first_month", "last_month", "n")

#: The columns of :func:`label_counts`, in order.
LABEL_COUNT_COLUMNS: tuple[str, ...] = ("month", "label", "ward_code", "place", "count")

#: The columns of :func:`location_counts`, in order.
LOCATION_COUNT_COLUMNS: tuple[str, ...] = ("measure_id", "location", "place", "count")

#: What police.uk puts before every street name in its ``Location`` column.
LOCATION_PREFIX = "On or near "

#: The column an offence-code filter is matched against, when the table has it.
OFFENCE_CODE_COLUMN = "offence_code"


class OffenceCodeWarning(UserWarning):
    """A measure's offence codes could not be checked: ``events`` has no offence code column."""


# -- connections ---------------------------------------------------------------------------
def connect_duckdb(warehouse: Warehouse) -> DuckDBBackend:
    """An Ibis connection over the warehouse's own DuckDB connection.

    No second connection is opened, so the queries see exactly what the warehouse holds,
    including rows written earlier in the same process. Ibis sets two DuckDB settings on
    the connection when it wraps it: ``TimeZone = 'UTC'`` (the warehouse stores only
    ``DATE`` and naive ``TIMESTAMP`` values, which it does not affect) and
    ``python_enable_replacements = false`` (a query cannot pick up a Python variable by
    name; the warehouse registers its frames explicitly).

    Parameters
    ----------
    warehouse
        An open :class:`~sia.warehouse.Warehouse` (read-only is fine).

    Returns
    -------
    ibis.backends.duckdb.Backend
        The Ibis backend; pass it to :func:`events_table`.

    Examples
    --------
    >>> con = connect_duckdb(wh)  # doctest: +SKIP
    >>> events_table(con).count().execute()  # doctest: +SKIP
    35884
    """
    return ibis.duckdb.from_connection(warehouse.con)


def events_table(con: ibis.BaseBackend, name: str = "events") -> ir.Table:
    """The warehouse's ``events`` fact table on any Ibis backend.

    Parameters
    ----------
    con
        An Ibis connection: :func:`connect_duckdb`, or e.g. ``ibis.pyspark.connect(spark)``
        where a table or view holds a copy of (or the national equivalent of) ``events``.
    name
        The table's name on that backend.

    Returns
    -------
    ibis.Table
        The events table, ready for :func:`measure_filter`, :func:`measure_events` and
        :func:`monthly_counts`.

    Examples
    --------
    >>> events = events_table(connect_duckdb(wh))  # doctest: +SKIP
    >>> events.columns[:3]  # doctest: +SKIP
    ('source', 'source_id', 'load_id')
    """
    return con.table(name)


# -- filters ---------------------------------------------------------------------------------
def measure_filter(events: ir.Table, measure: Measure) -> ir.BooleanValue:
    """The condition an event must meet to count towards a measure.

    An event belongs to the measure when all of these hold:

    * its ``source`` is the measure's source;
    * its ``category`` is one of the measure's categories (when the measure lists any);
    * its ``flags`` array contains every one of the measure's flags (when it lists any);
      an event whose ``flags`` are NULL has no flags, so it fails any flag condition;
    * its ``offence_code`` is one of the measure's offence codes (when it lists any).

    Offence codes are matched against an ``offence_code`` column, and only when the table
    has one. The warehouse's ``events`` table has no such column yet (no source loads
    offence codes). Until it has, the offence-code condition is left out and an
    :class:`OffenceCodeWarning` says so; a measure whose offence codes are its *only*
    condition then matches no events at all, rather than every event of its source.

    Parameters
    ----------
    events
        The ``events`` table (see :func:`events_table`), on any backend.
    measure
        The measure from the partnership's configuration.

    Returns
    -------
    ibis.expr.types.BooleanValue
        A boolean expression over ``events``, never NULL: use it in ``events.filter``.

    Examples
    --------
    >>> from sia.config import load_partnership
    >>> partnership = load_partnership("city-of-london")
    >>> measure = next(m for _, m in partnership.measures() if m.id == "neighbourhood-crime")
    >>> burglary_etc = events.filter(measure_filter(events, measure))  # doctest: +SKIP
    """
    condition = events.source == str(measure.source)
    if measure.categories:
        condition &= events.category.isin(list(measure.categories))
    for flag in measure.flags:
        condition &= events.flags.contains(flag).fill_null(False)
    if measure.offence_codes:
        if OFFENCE_CODE_COLUMN in events.columns:
            condition &= events[OFFENCE_CODE_COLUMN].isin(list(measure.offence_codes))
        else:
            only_codes = not (measure.categories or measure.flags)
            warnings.warn(
                f"measure {measure.id!r}: events has no {OFFENCE_CODE_COLUMN!r} column, so "
                f"its offence codes {list(measure.offence_codes)} are not checked"
                + (
                    "; as they are its only condition, it matches no events"
                    if only_codes
                    else "; only its other conditions apply"
                ),
                OffenceCodeWarning,
                stacklevel=2,
            )
            if only_codes:
                condition &= ibis.literal(False)
    return condition


def measure_events(events: ir.Table, partnership: Partnership) -> ir.Table:
    """Every event of every measure, tagged with the measure's id.

    One row per event per measure it belongs to: an event in two measures (say, a robbery
    in both "neighbourhood crime" and "serious violence") appears twice, once under each
    ``measure_id``. The table is the ``union all`` of one filtered copy of ``events`` per
    measure (:func:`measure_filter`), in the order the configuration lists the measures.

    Parameters
    ----------
    events
        The ``events`` table, on any backend.
    partnership
        The partnership whose measures are wanted.

    Returns
    -------
    ibis.Table
        Columns :data:`MEASURE_EVENT_COLUMNS`: ``measure_id, month, lsoa_code, ward_code,
        place``. A partnership with no measures gives an empty table of the same shape.

    Examples
    --------
    >>> tagged = measure_events(events, partnership)  # doctest: +SKIP
    >>> tagged.group_by("measure_id").count().to_pandas()  # doctest: +SKIP
    """
    parts = [
        _tagged(events, measure.id, measure_filter(events, measure))
        for _, measure in partnership.measures()
    ]
    if not parts:
        return _tagged(events, "", ibis.literal(False))
    return parts[0].union(*parts[1:], distinct=False) if len(parts) > 1 else parts[0]


def _tagged(events: ir.Table, measure_id: str, condition: ir.BooleanValue) -> ir.Table:
    chosen = events.filter(condition)
    return chosen.select(
        measure_id=ibis.literal(measure_id, type="string"),
        month=chosen.month,
        lsoa_code=chosen.lsoa_code,
        ward_code=chosen.ward_code,
        place=chosen.place,
    )


# -- counts ----------------------------------------------------------------------------------
def monthly_counts(events: ir.Table, partnership: Partnership, by: AreaLevel) -> ir.Table:
    """Events per measure, month and area, at one area level.

    Parameters
    ----------
    events
        The ``events`` table, on any backend.
    partnership
        The partnership whose measures are counted.
    by
        The area level:

        ``"district"``
            ``area_code`` is the partnership's district code; every event counts,
            including district-level rows (events with no ward, such as police.uk crimes
            with no location in a force that serves only this partnership).
        ``"place"``
            ``area_code`` is the place name (``events.place``).
        ``"ward"``
            ``area_code`` is the ward code (``events.ward_code``).
        ``"lsoa"``
            ``area_code`` is the LSOA code (``events.lsoa_code``).

        Below the district, an event counts only where its area at that level is known:
        district-level rows (no ward, and so no place or LSOA) count at district level
        alone. The place, ward and LSOA totals therefore each equal the district total less
        the district-level rows.

    Returns
    -------
    ibis.Table
        Columns :data:`COUNT_COLUMNS`: ``measure_id`` (string), ``month`` (date),
        ``area_type`` (string, the value of ``by``), ``area_code`` (string) and ``count``
        (int64), ordered by ``measure_id``, ``area_code``, ``month``. The table is sparse:
        a measure, month and area with no events has no row (fill zeros from the
        calendar when a series is needed).

    Raises
    ------
    ValueError
        If ``by`` is not one of :data:`AREA_LEVELS`.

    Examples
    --------
    >>> counts = monthly_counts(events, partnership, by="district")  # doctest: +SKIP
    >>> counts.to_pandas().head(2)  # doctest: +SKIP
       measure_id      month area_type  area_code  count
    0  asb-police 2017-01-01  district  E09000001    120
    1  asb-police 2017-02-01  district  E09000001    137
    """
    if by not in AREA_LEVELS:
        raise ValueError(f"by must be one of {list(AREA_LEVELS)}, not {by!r}")
    tagged = measure_events(events, partnership)
    if by == "district":
        keyed = tagged.mutate(area_code=ibis.literal(partnership.district.code, type="string"))
    else:
        column = tagged[AREA_COLUMNS[by]]
        keyed = tagged.filter(column.notnull()).mutate(area_code=column)
    grouped = keyed.group_by(["measure_id", "month", "area_code"]).aggregate(n=keyed.count())
    return grouped.select(
        measure_id=grouped.measure_id,
        month=grouped.month,
        area_type=ibis.literal(by, type="string"),
        area_code=grouped.area_code,
        count=grouped.n.cast("int64"),
    ).order_by(["measure_id", "area_code", "month"])


def area_counts(events: ir.Table, partnership: Partnership) -> ir.Table:
    """Events per measure, month, LSOA, ward and place, in one query.

    The finest grain of :func:`monthly_counts`: summing ``count`` over all rows gives the
    district level, over rows with a ``ward_code`` the ward level, and so on, so one scan
    serves every level (the assessment does this). Events with no ward have NULL
    ``lsoa_code``, ``ward_code`` and ``place``.

    Returns
    -------
    ibis.Table
        Columns :data:`AREA_COUNT_COLUMNS`, ``count`` int64, ordered by the other columns.
    """
    tagged = measure_events(events, partnership)
    keys = ["measure_id", "month", "lsoa_code", "ward_code", "place"]
    grouped = tagged.group_by(keys).aggregate(n=tagged.count())
    return grouped.select(*keys, count=grouped.n.cast("int64")).order_by(keys)


# -- the assessment's other aggregates ------------------------------------------------------
def source_month_counts(events: ir.Table) -> ir.Table:
    """Events per source and month, and how many of them have no LSOA.

    The assessment's data-quality checks (missing and partial months, rows without a
    location) read this table.

    Returns
    -------
    ibis.Table
        Columns :data:`SOURCE_MONTH_COLUMNS`: ``source`` (string), ``month`` (date),
        ``events`` and ``without_location`` (int64), ordered by ``source`` and ``month``.
    """
    grouped = events.group_by(["source", "month"]).aggregate(
        n=events.count(), missing=events.lsoa_code.isnull().cast("int64").sum()
    )
    return grouped.select(
        source=grouped.source,
        month=grouped.month,
        events=grouped.n.cast("int64"),
        without_location=grouped.missing.cast("int64"),
    ).order_by(["source", "month"])


def load_spans(events: ir.Table) -> ir.Table:
    """The months each load put events under, per source: first, last, and how many events.

    Returns
    -------
    ibis.Table
        Columns :data:`LOAD_SPAN_COLUMNS`: ``source``, ``load_id`` (int64), ``first_month``,
        ``last_month`` (dates) and ``n`` (int64), ordered by ``load_id`` and ``source``.
    """
    grouped = events.group_by(["source", "load_id"]).aggregate(
        first_month=events.month.min(), last_month=events.month.max(), n=events.count()
    )
    return grouped.select(
        source=grouped.source,
        load_id=grouped.load_id.cast("int64"),
        first_month=grouped.first_month,
        last_month=grouped.last_month,
        n=grouped.n.cast("int64"),
    ).order_by(["load_id", "source"])


def label_counts(
    events: ir.Table, measure: Measure, start: date, end: date, label: str = "category"
) -> ir.Table:
    """One measure's events per month, offence label, ward and place, in ``start..end``.

    The harm step weights these counts: ``label`` is ``"offence_code"`` for the force
    extract (weighted exactly) and ``"category"`` for police.uk (weighted by the category
    approximation). Events with no ward have NULL ``ward_code`` and ``place``: they count
    for the district only.

    Parameters
    ----------
    events
        The ``events`` table, on any backend.
    measure
        The measure whose events are counted (:func:`measure_filter`).
    start, end
        First days of the first and last month, both included.
    label
        The ``events`` column to count by: ``"category"`` or ``"offence_code"``.

    Returns
    -------
    ibis.Table
        Columns :data:`LABEL_COUNT_COLUMNS`: ``month``, ``label``, ``ward_code``,
        ``place`` and ``count`` (int64), ordered by all but ``count``.
    """
    if label not in ("category", "offence_code"):
        raise ValueError(f"label must be 'category' or 'offence_code', not {label!r}")
    chosen = events.filter(
        measure_filter(events, measure) & (events.month >= start) & (events.month <= end)
    )
    grouped = chosen.group_by(
        [chosen.month, chosen[label].name("label"), chosen.ward_code, chosen.place]
    ).aggregate(n=chosen.count())
    return grouped.select(
        month=grouped.month,
        label=grouped.label,
        ward_code=grouped.ward_code,
        place=grouped.place,
        count=grouped.n.cast("int64"),
    ).order_by(["month", "label", "ward_code", "place"])


def location_counts(events: ir.Table, partnership: Partnership, start: date, end: date) -> ir.Table:
    """Events per measure, location (street) and place in ``start..end``.

    The location is the ``location`` column with surrounding spaces removed and police.uk's
    ``"On or near "`` prefix (:data:`LOCATION_PREFIX`) taken off, so ``"On or near High
    Street"`` counts as ``"High Street"``. Events with no location, or an empty one, are left
    out. The place is kept because a street name alone (say, *Halifax Road*) can name
    several streets in a district; it is NULL for events placed in no ward. Nothing is
    suppressed: small counts are for the report's disclosure control.

    Returns
    -------
    ibis.Table
        Columns :data:`LOCATION_COUNT_COLUMNS`: ``measure_id``, ``location``, ``place`` and
        ``count`` (int64), ordered by ``measure_id``, ``count`` (largest first),
        ``location`` and ``place``.
    """
    window = (events.month >= start) & (events.month <= end) & events.location.notnull()
    parts = []
    for _, measure in partnership.measures():
        chosen = events.filter(measure_filter(events, measure) & window)
        parts.append(
            chosen.select(
                measure_id=ibis.literal(measure.id, type="string"),
                location=chosen.location,
                place=chosen.place,
            )
        )
    if not parts:
        parts = [
            events.filter(ibis.literal(False)).select(
                measure_id=ibis.literal("", type="string"),
                location=events.location,
                place=events.place,
            )
        ]
    tagged = parts[0].union(*parts[1:], distinct=False) if len(parts) > 1 else parts[0]
    raw = tagged.location.strip()
    name = ibis.ifelse(
        raw.startswith(LOCATION_PREFIX), raw.substr(len(LOCATION_PREFIX)).strip(), raw
    )
    named = tagged.select(measure_id=tagged.measure_id, location=name, place=tagged.place)
    named = named.filter(named.location != "")
    grouped = named.group_by(["measure_id", "location", "place"]).aggregate(n=named.count())
    return grouped.select(
        measure_id=grouped.measure_id,
        location=grouped.location,
        place=grouped.place,
        count=grouped.n.cast("int64"),
    ).order_by(["measure_id", ibis.desc("count"), "location", "place"])

"""Portable analytical queries over the warehouse, written as Ibis expressions.

Every function here builds an Ibis expression and executes nothing. The same expression
runs on the DuckDB warehouse (:func:`connect_duckdb`) and, unchanged, on any backend Ibis
compiles to, such as PySpark for a national-scale run: give the functions the ``events``
table of that backend instead. ``tests/test_queries.py`` proves that DuckDB and PySpark
return identical tables; ``docs/portable-queries.md`` shows how to run them on Spark.

Only portable operations are used: comparisons, ``isin``, array ``contains``, ``coalesce``,
literals, ``union all``, ``group by`` with ``count`` and ``order by``. Nothing reads the
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
from typing import TYPE_CHECKING, Literal, get_args

import ibis
import ibis.expr.types as ir

from sia.config import Measure, Partnership

if TYPE_CHECKING:
    from ibis.backends.duckdb import Backend as DuckDBBackend

    from sia.warehouse import Warehouse

__all__ = [
    "AREA_COLUMNS",
    "AREA_LEVELS",
    "COUNT_COLUMNS",
    "MEASURE_EVENT_COLUMNS",
    "AreaLevel",
    "OffenceCodeWarning",
    "connect_duckdb",
    "events_table",
    "measure_events",
    "measure_filter",
    "monthly_counts",
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
    condition = events.source == measure.source.value
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

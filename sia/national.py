"""Counting events at national scale: the events table keyed by integers.

A national run counts tens of millions of events (every force's police.uk data, every
community safety partnership) by area, category and month. Grouping by the text of GSS codes
and category names makes the engine hash strings for every row. This module keeps, instead,
a *keyed* form of the events (a star schema): every column a count groups by is a small
integer, and the codes live in two small dimension tables. Counting by integer keys lets
DuckDB use its perfect hash aggregate (an array indexed by the keys, no hashing at all);
on 30 million events it counts wards and districts in about a third of the time the same
query takes on codes (``benchmarks/assess.py``).

The keyed form:

``facts`` (:data:`FACT_COLUMNS`)
    One row per event: ``source`` (string), ``month_key`` (int16, months since January
    2000, see :func:`month_key`), ``lsoa_key``, ``ward_key``, ``district_key`` (int32, NULL
    where the event's area at that level is not known, and absent when the events have no
    such code column) and ``category_key`` (int16).
``areas`` (:data:`AREA_COLUMNS`)
    ``area_type`` (``"lsoa"``, ``"ward"`` or ``"district"``), ``area_key`` (int32, 0, 1, 2...
    within each area type, in the order of the codes) and ``area_code``.
``categories`` (:data:`CATEGORY_COLUMNS`)
    ``category_key`` (int16, 0, 1, 2... in the order of the names) and ``category``.

Like :mod:`sia.queries`, every function builds an Ibis expression and executes nothing, so
the same code runs on DuckDB and on PySpark (``tests/test_national.py`` proves they agree).
Only :func:`tune_duckdb` is DuckDB's own.

Examples
--------
>>> import ibis
>>> con = ibis.duckdb.connect()  # doctest: +SKIP
>>> events = con.read_parquet("national-events.parquet")  # doctest: +SKIP
>>> keyed = encode_events(events)  # doctest: +SKIP
>>> wards = decode_counts(keyed, keyed_counts(keyed, by="ward"), by="ward")  # doctest: +SKIP
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import ibis
import ibis.expr.types as ir

if TYPE_CHECKING:
    from ibis.backends.duckdb import Backend as DuckDBBackend

__all__ = [
    "AREA_COLUMNS",
    "CATEGORY_COLUMNS",
    "CODE_COLUMNS",
    "DECODED_COLUMNS",
    "FACT_COLUMNS",
    "KEYED_COUNT_COLUMNS",
    "KEYED_FILES",
    "MONTH_ORIGIN",
    "PERFECT_HASH_BITS",
    "KeyedEvents",
    "KeyedLevel",
    "decode_counts",
    "encode_events",
    "keyed_counts",
    "month_key",
    "open_keyed_duckdb",
    "tune_duckdb",
    "write_keyed",
]

#: The file each table of the keyed form is written to by :func:`write_keyed`.
KEYED_FILES: dict[str, str] = {
    "facts": "facts.parquet",
    "areas": "areas.parquet",
    "categories": "categories.parquet",
}

KeyedLevel = Literal["district", "ward", "lsoa"]

#: The events column that holds each level's GSS code, largest area first.
CODE_COLUMNS: dict[str, str] = {
    "district": "district_code",
    "ward": "ward_code",
    "lsoa": "lsoa_code",
}

#: Month keys count months from here: January 2000 is 0, December 2024 is 299.
MONTH_ORIGIN = date(2000, 1, 1)

#: The columns of the keyed facts, in order (an area key is left out when the events have
#: no code column for that level).
FACT_COLUMNS: tuple[str, ...] = (
    "source",
    "month_key",
    "lsoa_key",
    "ward_key",
    "district_key",
    "category_key",
)

#: The columns of the area dimension.
AREA_COLUMNS: tuple[str, ...] = ("area_type", "area_key", "area_code")

#: The columns of the category dimension.
CATEGORY_COLUMNS: tuple[str, ...] = ("category_key", "category")

#: The columns of :func:`keyed_counts`, in order.
KEYED_COUNT_COLUMNS: tuple[str, ...] = ("area_key", "category_key", "month_key", "count")

#: The columns of :func:`decode_counts`, in order.
DECODED_COLUMNS: tuple[str, ...] = ("area_type", "area_code", "category", "month", "count")

#: DuckDB's perfect hash aggregate is used when the group keys' value ranges need at most
#: this many bits together. The default (12) covers a district's wards by category; 24
#: covers every ward of England and Wales (about 7,000 wards < 2**13) by 14 police.uk
#: categories (2**4) by 60 months (2**6), an array of 2**23 counts per thread.
PERFECT_HASH_BITS = 24


@dataclass(frozen=True)
class KeyedEvents:
    """Events keyed by integers, with the dimension tables that give the codes back.

    Attributes
    ----------
    facts
        One row per event, columns :data:`FACT_COLUMNS` (less any level absent).
    areas
        The area dimension, columns :data:`AREA_COLUMNS`.
    categories
        The category dimension, columns :data:`CATEGORY_COLUMNS`.
    """

    facts: ir.Table
    areas: ir.Table
    categories: ir.Table

    @property
    def levels(self) -> tuple[str, ...]:
        """The area levels the facts are keyed by, largest first."""
        return tuple(level for level in CODE_COLUMNS if f"{level}_key" in self.facts.columns)


def month_key(month: ir.DateValue) -> ir.IntegerValue:
    """The month's key: whole months since :data:`MONTH_ORIGIN` (int16).

    Examples
    --------
    >>> import ibis
    >>> int(ibis.duckdb.connect().execute(month_key(ibis.date(2024, 12, 1))))
    299
    """
    years = month.year() - MONTH_ORIGIN.year
    return (years * 12 + month.month() - 1).cast("int16")


def _month_of_key(key: ir.IntegerValue) -> ir.DateValue:
    """The first day of the month a :func:`month_key` stands for."""
    key = key.cast("int32")
    # floor, not truncation: engines differ on integer division of negative numbers, and
    # a month before the origin has a negative key (December 1999 is -1)
    years = (key.cast("float64") / 12).floor().cast("int32")
    return ibis.date(MONTH_ORIGIN.year + years, key - years * 12 + 1, 1)


def _dimension(values: ir.Table, column: str, key: str, key_type: str) -> ir.Table:
    """Distinct non-null ``column`` values keyed 0, 1, 2... in their sorted order."""
    distinct = values.select(column).filter(values[column].notnull()).distinct()
    return distinct.mutate(
        **{key: ibis.dense_rank().over(order_by=distinct[column]).cast(key_type)}
    )


def encode_events(events: ir.Table) -> KeyedEvents:
    """The keyed form of an events table.

    Parameters
    ----------
    events
        Any Ibis table with ``source``, ``month`` (a date, the first of the month) and
        ``category`` columns, and at least one of the code columns in
        :data:`CODE_COLUMNS` (the warehouse's ``events`` has ``lsoa_code`` and
        ``ward_code``; a national table also has ``district_code``).

    Returns
    -------
    KeyedEvents
        Facts with one row per event (none is dropped: an event whose code is NULL gets a
        NULL key) and the two dimensions. Keys are dense, from 0, in the order of the codes,
        so encoding the same events again gives the same keys. Nothing is executed: write
        the three tables out (e.g. ``to_parquet``) to keep them.

    Raises
    ------
    ValueError
        If ``events`` lacks ``source``, ``month`` or ``category``, or every code column.
    """
    missing = [c for c in ("source", "month", "category") if c not in events.columns]
    levels = [level for level, column in CODE_COLUMNS.items() if column in events.columns]
    if missing or not levels:
        needed = missing or [" or ".join(CODE_COLUMNS.values())]
        raise ValueError(f"the events table has no {', '.join(needed)} column")

    area_dims = {
        level: _dimension(events, CODE_COLUMNS[level], "area_key", "int32") for level in levels
    }
    categories = _dimension(events, "category", "category_key", "int16")

    facts = events.select(
        "source",
        "category",
        *(CODE_COLUMNS[level] for level in levels),
        month_key=month_key(events.month),
    )
    for level in levels:
        code = CODE_COLUMNS[level]
        dim = area_dims[level].rename({f"{level}_key": "area_key", f"dim_{code}": code})
        facts = facts.left_join(dim, facts[code] == dim[f"dim_{code}"]).drop(f"dim_{code}")
    dim = categories.rename({"dim_category": "category"})
    facts = facts.left_join(dim, facts.category == dim.dim_category).drop("dim_category")
    facts = facts.select(*(c for c in FACT_COLUMNS if c in facts.columns))

    areas = ibis.union(
        *(
            dim.select(
                area_type=ibis.literal(level, type="string"),
                area_key=dim.area_key,
                area_code=dim[CODE_COLUMNS[level]].cast("string"),
            )
            for level, dim in area_dims.items()
        ),
        distinct=False,
    ).order_by(["area_type", "area_key"])
    return KeyedEvents(
        facts=facts,
        areas=areas,
        categories=categories.select(*CATEGORY_COLUMNS),
    )


def keyed_counts(keyed: KeyedEvents, by: KeyedLevel) -> ir.Table:
    """Events per area, category and month at one level, by key.

    An event counts where its area at that level is known (``{by}_key`` not NULL), as in
    :func:`sia.queries.monthly_counts` below the district.

    Returns
    -------
    ibis.Table
        Columns :data:`KEYED_COUNT_COLUMNS`: ``area_key`` (int32), ``category_key``
        (int16), ``month_key`` (int16) and ``count`` (int64); unordered (order it, or
        :func:`decode_counts` it, where order matters). Sparse: no row for no events.

    Raises
    ------
    ValueError
        If ``by`` is not a level of ``keyed`` (see :attr:`KeyedEvents.levels`).
    """
    if by not in keyed.levels:
        raise ValueError(f"by must be one of {list(keyed.levels)}, not {by!r}")
    facts = keyed.facts
    key = facts[f"{by}_key"]
    present = facts.filter(key.notnull())
    grouped = present.group_by(
        [present[f"{by}_key"].name("area_key"), "category_key", "month_key"]
    ).aggregate(n=present.count())
    return grouped.select(
        area_key=grouped.area_key,
        category_key=grouped.category_key,
        month_key=grouped.month_key,
        count=grouped.n.cast("int64"),
    )


def decode_counts(keyed: KeyedEvents, counts: ir.Table, by: KeyedLevel) -> ir.Table:
    """:func:`keyed_counts` with the codes, names and months given back.

    Returns
    -------
    ibis.Table
        Columns :data:`DECODED_COLUMNS`: ``area_type`` (``by``), ``area_code``,
        ``category`` (strings), ``month`` (date) and ``count`` (int64), ordered by
        ``area_code``, ``category`` and ``month``.
    """
    areas = keyed.areas.filter(keyed.areas.area_type == by)
    joined = counts.join(areas, "area_key").join(keyed.categories, "category_key")
    return joined.select(
        area_type=joined.area_type,
        area_code=joined.area_code,
        category=joined.category,
        month=_month_of_key(joined.month_key),
        count=joined["count"],
    ).order_by(["area_code", "category", "month"])


def tune_duckdb(con) -> None:
    """Let DuckDB count by keys with its perfect hash aggregate, up to
    :data:`PERFECT_HASH_BITS` bits of key range.

    ``con`` is a ``duckdb`` connection or an Ibis DuckDB backend. The setting lasts for the
    connection; other backends need nothing.
    """
    raw = getattr(con, "con", con)
    raw.execute(f"SET perfect_ht_threshold = {PERFECT_HASH_BITS}")


def write_keyed(keyed: KeyedEvents, folder: str | Path) -> dict[str, Path]:
    """Write the keyed form's three tables to Parquet files in ``folder`` (made if need be).

    Returns
    -------
    dict
        The path written for each table, named as in :data:`KEYED_FILES`.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name, filename in KEYED_FILES.items():
        paths[name] = folder / filename
        getattr(keyed, name).to_parquet(paths[name])
    return paths


def open_keyed_duckdb(folder: str | Path) -> tuple[DuckDBBackend, KeyedEvents]:
    """Open the keyed form written by :func:`write_keyed` with DuckDB, tuned to count by key.

    The tables are views over the Parquet files (nothing is read until a query runs), on a
    new in-memory DuckDB connection with :func:`tune_duckdb` applied. On another engine,
    read the three files with its own reader and build :class:`KeyedEvents` from them.

    Raises
    ------
    FileNotFoundError
        If a file of :data:`KEYED_FILES` is not in ``folder``.
    """
    import duckdb

    folder = Path(folder)
    con = ibis.duckdb.from_connection(duckdb.connect())
    tune_duckdb(con)
    tables = {}
    for name, filename in KEYED_FILES.items():
        path = folder / filename
        if not path.is_file():
            raise FileNotFoundError(f"{path}: no {name} table of the keyed events here")
        quoted = str(path).replace("'", "''")
        con.raw_sql(f"CREATE VIEW {name} AS SELECT * FROM read_parquet('{quoted}')")
        tables[name] = con.table(name)
    return con, KeyedEvents(**tables)

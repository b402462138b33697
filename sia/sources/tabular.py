"""The loading engine every row-per-record partner file goes through.

A source declares its columns and how they become warehouse rows (:class:`TabularFormat`);
:func:`load_file` does the rest, the same way for every source:

1. the header is checked, the whole file refused if it is not the declared format;
2. DuckDB parses the CSV (lines it cannot parse are rejected with their line number) and
   every field is typed and checked in SQL, naming the first bad field of a row;
3. rows with only coordinates are placed in their LSOA by point-in-polygon;
4. a small table of exceptions records every row that will not load and why
   (rejected, skipped, duplicate); every other row is inserted.

All of it happens in one transaction, so a failure leaves the warehouse as it was, and
``loaded + duplicates + skipped + rejected = read`` holds for every file.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from sia.config import Partnership
from sia.sources.base import LoadResult, Reject, SourceError, read_header, sha256_of
from sia.warehouse import Warehouse, split_statements, sql

#: Longest line accepted; a longer one is rejected.
MAX_LINE_BYTES = 1 << 20

Kind = Literal[
    "text",
    "code",
    "month",
    "date",
    "time",
    "int",
    "number",
    "flag",
    "choice",
    "lsoa",
    "longitude",
    "latitude",
    "easting",
    "northing",
]
Progress = Callable[[str], None]


@dataclass(frozen=True)
class Column:
    """One column of a partner file: its header, its kind and its checks."""

    header: str
    kind: Kind = "text"
    required: bool = False
    choices: tuple[str, ...] = ()
    exact: bool = False  # choices compared as written; otherwise case-insensitively
    minimum: float | None = None
    maximum: float | None = None
    missing: tuple[str, ...] = ()  # values that mean blank, e.g. the DfT's "-1"

    @property
    def name(self) -> str:
        """The column's name in SQL: the header in lower snake case."""
        return re.sub(r"[^a-z0-9]+", "_", self.header.lower()).strip("_")


@dataclass(frozen=True)
class TabularFormat:
    """How one partner file format becomes warehouse rows.

    ``fields`` maps columns of the target table to SQL expressions over the typed columns
    (by :attr:`Column.name`, with a table alias ``r``); ``source``, ``source_id``,
    ``load_id``, ``lsoa_code``, ``ward_code`` and ``place`` are filled by the engine.

    ``key`` is the SQL expression (over ``r.``) of a row's identity. Rows where it is blank
    (``keyless_when``, over the raw ``<name>__raw`` columns) are keyed instead by a hash of
    the ``content_key`` columns and their order among identical rows of the file.
    """

    name: str
    source: str
    columns: tuple[Column, ...]
    period: str
    fields: dict[str, str]
    key: str | None = None
    content_key: tuple[str, ...] = ()
    keyless_when: str = "true"
    lsoa: str | None = None
    place_by: tuple[Literal["bng", "lonlat"], str, str] | None = None
    pairs: tuple[tuple[str, str], ...] = ()
    unlocated: Literal["skip", "force-only", "keep"] = "skip"
    target: str = "events"
    #: (condition, header, problem[, value]): further checks, in SQL over the typed columns
    #: (and the raw ``<name>__raw`` ones); ``value`` is SQL for the value shown in the
    #: reject. ``$wards`` and ``$places`` list the partnership's areas.
    extra_checks: tuple[tuple[str, ...], ...] = ()
    #: Further named values for the checks (``$name``), e.g. a list of valid codes, from
    #: the partnership the file is loaded for.
    parameters: Callable[[Partnership], dict] | None = None

    @property
    def headers(self) -> tuple[str, ...]:
        return tuple(c.header for c in self.columns)

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


# -- how each kind of column is typed and checked ----------------------------------------
_PROBLEM = {
    "month": "is not a month in the form YYYY-MM",
    "date": "is not a date (YYYY-MM-DD or DD/MM/YYYY)",
    "time": "is not a time (HH:MM or HH:MM:SS)",
    "int": "is not a whole number",
    "number": "is not a number",
    "flag": "is not Y or N",
    "lsoa": "is not an LSOA code (E01... or W01...)",
    "longitude": "is not a longitude between -180 and 180",
    "latitude": "is not a latitude between -90 and 90",
    "easting": "is not an easting in metres (0 to 700,000)",
    "northing": "is not a northing in metres (0 to 1,300,000)",
}
_RANGES = {
    "longitude": (-180, 180),
    "latitude": (-90, 90),
    "easting": (0, 700_000),
    "northing": (0, 1_300_000),
}


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _typed(col: Column) -> str:
    raw = f"{col.name}__raw"
    if col.kind == "month":
        return f"CASE WHEN length({raw}) = 7 THEN try_strptime({raw}, '%Y-%m')::DATE END"
    if col.kind == "date":
        return f"coalesce(try_strptime({raw}, '%Y-%m-%d'), try_strptime({raw}, '%d/%m/%Y'))::DATE"
    if col.kind == "time":
        return f"try_cast({raw} AS TIME)"
    if col.kind == "int":  # whole numbers only: a cast would round 2.5 or read 1e3
        return (
            f"CASE WHEN regexp_full_match({raw}, '[+-]?[0-9]+') THEN try_cast({raw} AS BIGINT) END"
        )
    if col.kind in ("number", "longitude", "latitude", "easting", "northing"):
        return f"try_cast({raw} AS DOUBLE)"
    if col.kind == "flag":
        return (
            f"CASE upper({raw}) WHEN 'Y' THEN true WHEN 'YES' THEN true WHEN 'N' THEN false "
            f"WHEN 'NO' THEN false END"
        )
    if col.kind == "choice" and not col.exact:
        return f"lower({raw})"
    if col.kind == "code":
        return f"upper({raw})"
    return raw


def _bad_when(col: Column) -> list[str]:
    """CASE branches naming this column as the row's first bad field."""
    raw = f"{col.name}__raw"
    value = f"{{'field': {_quote(col.header)}, 'value': {raw}, 'problem': %s}}"
    branches = []
    if col.required:
        branches.append(f"WHEN {raw} IS NULL THEN " + value % "'is blank'")
    kind = col.kind
    if kind in _PROBLEM and kind != "lsoa":
        problem = _quote(_PROBLEM[kind])
        cond = f"{raw} IS NOT NULL AND {col.name} IS NULL"
        if kind in ("number", "longitude", "latitude", "easting", "northing"):
            cond = f"{raw} IS NOT NULL AND ({col.name} IS NULL OR NOT isfinite({col.name}))"
        if kind in ("month", "date"):
            cond = (
                f"{raw} IS NOT NULL AND ({col.name} IS NULL "
                f"OR {col.name} < DATE '1900-01-01' OR {col.name} > DATE '2100-12-31')"
            )
        branches.append(f"WHEN {cond} THEN " + value % problem)
        low, high = _RANGES.get(kind, (None, None))
        low = col.minimum if col.minimum is not None else low
        high = col.maximum if col.maximum is not None else high
        for op, bound, words in (("<", low, "is below"), (">", high, "is above")):
            if bound is not None:
                said = problem if kind in _RANGES else _quote(f"{words} {bound:g}")
                branches.append(f"WHEN {col.name} {op} {bound} THEN " + value % said)
    if kind == "choice":
        choices = ", ".join(_quote(c if col.exact else c.lower()) for c in col.choices)
        shown = (
            ", ".join(col.choices)
            if len(col.choices) <= 12
            else (", ".join(col.choices[:12]) + ", ...")
        )
        branches.append(
            f"WHEN {raw} IS NOT NULL AND {col.name} NOT IN ({choices}) THEN "
            + value % _quote(f"is not one of: {shown}")
        )
    return branches


def stage_sql(fmt: TabularFormat) -> list[str]:
    """The statements that stage one file of ``fmt`` (see ``sql/tabular_stage.sql``)."""
    raw_columns = ",\n        ".join(f"{_raw(c)} AS {c.name}__raw" for c in fmt.columns)
    typed_columns = ",\n        ".join(f"{_typed(c)} AS {c.name}" for c in fmt.columns)
    kept = ", ".join(_kept_columns(fmt))
    if fmt.content_key:
        headers = ", ".join(_ident(h) for h in fmt.content_key)
        content_key = f"CASE WHEN {fmt.keyless_when} THEN md5(concat_ws('|', {headers})) END"
    else:
        content_key = "NULL::VARCHAR"
    branches: list[str] = []
    for col in fmt.columns:
        branches.extend(_bad_when(col))
    for a, b in fmt.pairs:
        ca, cb = fmt.column(a), fmt.column(b)
        branches.append(
            f"WHEN ({a}__raw IS NULL) <> ({b}__raw IS NULL) THEN "
            f"{{'field': CASE WHEN {a}__raw IS NULL THEN {_quote(ca.header)} "
            f"ELSE {_quote(cb.header)} END, 'value': NULL, "
            f"'problem': 'one of {ca.header} and {cb.header} is given and the other is blank'}}"
        )
    for check in fmt.extra_checks:
        condition, header, problem = check[:3]
        value = check[3] if len(check) > 3 else "NULL"
        branches.append(
            f"WHEN {condition} THEN {{'field': {_quote(header)}, 'value': {value}, "
            f"'problem': {_quote(problem)}}}"
        )
    bad = "CASE\n        " + "\n        ".join(branches) + "\n    END" if branches else "NULL"
    text = sql("tabular_stage").format(
        read_csv=_read_csv(),
        raw_columns=raw_columns,
        typed_columns=typed_columns,
        kept=kept,
        content_key=content_key,
        bad=bad,
        file_key=fmt.key or "NULL::VARCHAR",
        lsoa=fmt.lsoa or "NULL::VARCHAR",
    )
    return split_statements(text)


def _raw(col: Column) -> str:
    """The trimmed text of a column, NULL when blank or one of its ``missing`` values."""
    text = f"nullif(trim({_ident(col.header)}), '')"
    if col.missing:
        values = ", ".join(_quote(v) for v in col.missing)
        return f"CASE WHEN {text} IN ({values}) THEN NULL ELSE {text} END"
    return text


def _kept_columns(fmt: TabularFormat) -> list[str]:
    """Typed columns the later steps read: those named as ``r.<name>`` in the key and the
    fields, the period and the coordinates. Columns only checked are not kept."""
    used = set(re.findall(r"\br\.(\w+)", " ".join([fmt.key or "", *fmt.fields.values()])))
    used.add(fmt.period)
    if fmt.place_by:
        used.update(fmt.place_by[1:])
    return [c.name for c in fmt.columns if c.name in used]


def _ident(header: str) -> str:
    return '"' + header.replace('"', '""') + '"'


def _read_csv() -> str:
    return (
        "read_csv($path, columns = $columns, header = true, auto_detect = false, "
        "delim = ',', quote = '\"', escape = '\"', null_padding = false, "
        f"ignore_errors = true, store_rejects = true, max_line_size = {MAX_LINE_BYTES})"
    )


def _source_id(fmt: TabularFormat) -> str:
    if fmt.key and fmt.content_key:
        return f"coalesce({fmt.key}, 'nokey-' || r.content_key || '-' || nb.n)"
    if fmt.key:
        return fmt.key
    return "'nokey-' || r.content_key || '-' || nb.n"


# -- loading -----------------------------------------------------------------------------
_CSV_ERRORS = {
    "MISSING COLUMNS": "the line has too few fields",
    "TOO MANY COLUMNS": "the line has too many fields",
    "INVALID ENCODING": "the line is not valid UTF-8 text",
    "INVALID UNICODE": "the line is not valid UTF-8 text",
    "LINE SIZE OVER MAXIMUM": f"the line is longer than {MAX_LINE_BYTES:,} bytes",
    "UNQUOTED VALUE": "a field has a stray quote character",
    "CAST": "a field could not be read",
}
STAGING_TABLES = ("pu_rows", "pu_lsoas", "pu_placed", "pu_numbered", "pu_except")


class _AlreadyLoaded(Exception):
    """Raised inside the load transaction to roll it back: the file was loaded before."""

    def __init__(self, previous: dict):
        self.previous = previous


@dataclass
class _Context:
    wh: Warehouse
    path: Path
    fmt: TabularFormat
    progress: Progress | None = None
    shown: Path | None = None  # the name the user gave (a workbook read through a CSV)

    def step(self, name: str) -> None:
        if self.progress:
            self.progress(name)


def load_file(
    wh: Warehouse,
    path: Path,
    formats: dict[str, TabularFormat],
    progress: Progress | None = None,
    shown_as: Path | None = None,
) -> LoadResult:
    """Load one file whose header is one of ``formats`` (by name), all or nothing.

    An ``.xlsx`` workbook (as Excel and Microsoft Forms export them) is read from its first
    sheet; errors and the loads table name the workbook, and line numbers are its rows.
    """
    path = Path(path)
    if path.suffix.lower() == ".xlsx":
        return _load_workbook(wh, path, formats, progress)
    name, _ = read_header(path, {n: f.headers for n, f in formats.items()})
    fmt = formats[name]
    ctx = _Context(wh, path, fmt, progress, shown=shown_as or path)
    # Hash the file while DuckDB parses it (hashlib releases the GIL).
    with ThreadPoolExecutor(max_workers=1) as pool:
        digest = pool.submit(sha256_of, path)
        try:
            return _load(ctx, digest)
        except _AlreadyLoaded as done:
            result = LoadResult(str(ctx.shown), fmt.source, fmt.name, digest.result())
            result.already_loaded = True
            result.load_id = done.previous["load_id"]
            return result


def _load_workbook(
    wh: Warehouse, path: Path, formats: dict[str, TabularFormat], progress: Progress | None
) -> LoadResult:
    import tempfile

    from sia.sources.xlsx import xlsx_to_csv

    with tempfile.TemporaryDirectory(prefix="sia-xlsx-") as tmp:
        csv_path = Path(tmp) / (path.stem + ".csv")
        xlsx_to_csv(path, csv_path)
        try:
            result = load_file(wh, csv_path, formats, progress, shown_as=path)
        except SourceError as exc:
            raise SourceError(path, exc.message, exc.line, exc.field) from exc
    return result


def _load(ctx: _Context, digest_future) -> LoadResult:
    wh, fmt, path = ctx.wh, ctx.fmt, ctx.path
    stage = stage_sql(fmt)
    with wh.transaction() as con:
        # Line numbers rely on the staged table keeping the file's order (a failed earlier
        # load may have left the setting off).
        con.execute("SET preserve_insertion_order = true")
        con.execute("DROP TABLE IF EXISTS reject_errors")
        con.execute("DROP TABLE IF EXISTS reject_scans")
        ctx.step("parsing")
        partnership = wh.partnership
        wh.run_script(
            stage[0],
            {
                "path": str(path),
                "columns": {h: "VARCHAR" for h in fmt.headers},
                # for checks that name the partnership's own areas (extra_checks)
                "wards": [w.code for w in partnership.wards],
                "places": [p.name for p in partnership.places],
                **(fmt.parameters(partnership) if fmt.parameters else {}),
            },
        )
        digest = digest_future.result()
        previous = wh.find_load(digest, fmt.source)
        if previous:
            raise _AlreadyLoaded(previous)
        result = LoadResult(str(ctx.shown), fmt.source, fmt.name, digest)
        result.load_id = load_id = wh.next_load_id()
        base = _first_rowid(con, path)
        first, last = con.execute(
            f"SELECT date_trunc('month', min({fmt.period}))::DATE, max({fmt.period}) "
            "FROM pu_rows WHERE bad IS NULL"
        ).fetchone()
        ctx.step("checking")
        only_force = wh.partnership.police_force.serves_only_this_partnership
        keep_unlocated = fmt.unlocated == "keep" or (fmt.unlocated == "force-only" and only_force)
        params = {
            "base": base,
            "keep_unlocated": keep_unlocated,
            "source": fmt.source,
            "first": first,
            "last": last,
            "load_id": load_id,
        }
        con.execute(stage[1])  # the partnership's LSOAs
        _place_points(con, wh, fmt, base)
        for statement in stage[2:]:
            wh.run_script(statement, params)
        earlier = wh.scalar(
            f"SELECT count(*) FROM (SELECT 1 FROM {fmt.target} WHERE source = ? LIMIT 1)",
            [fmt.source],
        )
        if earlier:
            wh.run_script(
                sql("tabular_existing").format(source_id=_source_id(fmt), target=fmt.target),
                params,
            )
        parsed = con.execute("SELECT count(*) FROM pu_rows").fetchone()[0]
        counts = dict(
            con.execute(
                "SELECT CASE WHEN status LIKE 'rejected%' THEN 'rejected' ELSE status END, "
                "count(*) FROM pu_except GROUP BY 1"
            ).fetchall()
        )
        counts["loaded"] = parsed - sum(counts.values())
        csv_rejects = _csv_rejects(con)
        field_rejects = _field_rejects(con, fmt, base, [r.line for r in csv_rejects])
        ctx.step("writing")
        _insert(con, wh, fmt, params)
        result.rejects = sorted(csv_rejects + field_rejects, key=lambda r: r.line or 0)
        result.loaded = counts.get("loaded", 0)
        result.duplicates = counts.get("duplicate", 0)
        result.skipped = {
            k.split(":", 1)[1]: v for k, v in counts.items() if k.startswith("skipped:")
        }
        result.rejected = len(result.rejects)
        result.read = parsed + len(csv_rejects)
        _record(con, fmt, ctx.shown, result)
        for table in (*STAGING_TABLES, "reject_errors", "reject_scans"):
            con.execute(f"DROP TABLE IF EXISTS {table}")
    return result


def _insert(con, wh: Warehouse, fmt: TabularFormat, params: dict) -> None:
    fields = {
        "source": "$source",
        "source_id": _source_id(fmt),
        "load_id": "$load_id",
        "lsoa_code": "coalesce(r.lsoa, pl.lsoa_code)",
        "ward_code": "l.ward_code",
        "place": "l.place",
        **fmt.fields,
    }
    text = sql("tabular_insert").format(
        target=fmt.target,
        columns=", ".join(fields),
        values=",\n    ".join(fields.values()),
    )
    # The order of rows in the warehouse does not matter: let DuckDB write in parallel.
    con.execute("SET preserve_insertion_order = false")
    wh.run_script(text, params)
    con.execute("RESET preserve_insertion_order")


def _record(con, fmt: TabularFormat, path: Path, result: LoadResult) -> None:
    load_id = result.load_id
    months = con.execute(
        f"SELECT min(month), max(month) FROM {fmt.target} WHERE load_id = ?", [load_id]
    ).fetchone()
    con.execute(
        "INSERT INTO loads VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            load_id,
            str(path),
            result.sha256,
            fmt.source,
            fmt.name,
            datetime.now(UTC).replace(tzinfo=None),
            result.read,
            result.loaded,
            result.duplicates,
            result.skipped_total,
            result.rejected,
            months[0],
            months[1],
        ],
    )
    for reason, rows in result.skipped.items():
        con.execute("INSERT INTO skips VALUES (?, ?, ?)", [load_id, reason, rows])
    if result.rejects:
        con.executemany(
            "INSERT INTO rejects VALUES (?, ?, ?, ?, ?)",
            [[load_id, r.line, r.field, r.reason, r.raw] for r in result.rejects],
        )


def _place_points(con, wh: Warehouse, fmt: TabularFormat, base: int) -> None:
    """Put rows that have coordinates but no LSOA in their LSOA (``pu_placed``)."""
    con.execute("CREATE OR REPLACE TEMP TABLE pu_placed (rec BIGINT, lsoa_code VARCHAR)")
    if fmt.place_by is None:
        return
    system, x, y = fmt.place_by
    points = con.execute(
        f"SELECT rowid - ? AS rec, {x} AS x, {y} AS y FROM pu_rows "
        f"WHERE bad IS NULL AND lsoa IS NULL AND {x} IS NOT NULL AND {y} IS NOT NULL",
        [base],
    ).fetchnumpy()
    if len(points["rec"]) == 0:
        return
    import pyarrow as pa

    from sia.geography.points import PointLocator

    locator = PointLocator.for_partnership(wh.partnership)
    if system == "bng":
        codes = locator.locate_bng(points["x"], points["y"])
    else:
        codes = locator.locate_lonlat(points["x"], points["y"])
    placed = pa.table({"rec": points["rec"], "lsoa_code": pa.array(list(codes), pa.string())})
    con.register("_placed", placed)
    con.execute("INSERT INTO pu_placed SELECT rec, lsoa_code FROM _placed")
    con.unregister("_placed")


def _first_rowid(con, path: Path) -> int:
    """The first row id of pu_rows. A file of which no line parsed is refused whole."""
    parsed, first, last = con.execute(
        "SELECT count(*), min(rowid), max(rowid) FROM pu_rows"
    ).fetchone()
    if parsed == 0:
        errors = con.execute("SELECT count(DISTINCT line) FROM reject_errors").fetchone()[0]
        if errors:
            line, kind = con.execute(
                "SELECT line, error_type FROM reject_errors ORDER BY line LIMIT 1"
            ).fetchone()
            raise SourceError(
                path,
                f"no line could be read as this format ({errors} bad lines; the first: "
                f"{_CSV_ERRORS.get(kind, kind)})",
                line=line,
            )
        raise SourceError(path, "the file has a header but no data rows", line=2)
    if last - first + 1 != parsed:
        raise RuntimeError(
            f"{path}: staged row ids are not consecutive; line numbers would be wrong"
        )
    return first


def _csv_rejects(con) -> list[Reject]:
    rows = con.execute(
        """
        SELECT line, arg_min(column_name, coalesce(column_idx, -1)) AS field,
               arg_min(error_type, coalesce(column_idx, -1)) AS error_type,
               left(any_value(csv_line), 200) AS raw
        FROM reject_errors GROUP BY line ORDER BY line
        """
    ).fetchall()
    return [
        Reject(line=line, field=field, reason=_CSV_ERRORS.get(err, err.lower()), raw=raw)
        for line, field, err, raw in rows
    ]


def _field_rejects(con, fmt: TabularFormat, base: int, csv_lines: list[int]) -> list[Reject]:
    """Rows DuckDB parsed but a check refused, with their line numbers.

    ``rec`` counts parsed rows from 0. Lines start at 2 (after the header) and skip the
    lines the CSV parser rejected, so the n-th parsed row sits at line n + 2 plus the
    number of rejected lines before it.
    """
    lsoa_header = fmt.column(fmt.lsoa).header if fmt.lsoa else "LSOA"
    rows = con.execute(
        "SELECT rowid - ? AS rec, bad.field, bad.value, bad.problem FROM pu_rows "
        "WHERE bad IS NOT NULL UNION ALL "
        "SELECT rec, ?, value, ? FROM pu_except WHERE status = 'rejected:lsoa' ORDER BY rec",
        [base, lsoa_header, _PROBLEM["lsoa"]],
    ).fetchall()
    bad = sorted(csv_lines)
    good_before = [line - 2 - i for i, line in enumerate(bad)]
    rejects = []
    for rec, fld, value, problem in rows:
        line = rec + 2 + bisect.bisect_right(good_before, rec)
        shown = "" if value is None else f"'{str(value)[:80]}' "
        rejects.append(Reject(line=line, field=fld, reason=f"{fld}: {shown}{problem}"))
    return rejects

"""police.uk street-level crime and outcomes CSVs, in their exact published format.

Each file is loaded in one transaction. DuckDB parses the CSV (rows it cannot parse are
rejected with the line and the reason), every field is checked in SQL, and every row ends
as exactly one of: loaded, duplicate, skipped (with a reason) or rejected (with a reason).

Keys
----
Street rows are keyed by ``Crime ID``. Anti-social behaviour rows have none: their key is a
hash of the row's content and its position among identical rows of the same file, so the
same file, or an overlapping download of the same month, loads each incident once.
Outcome rows are keyed by Crime ID, month and outcome type.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

from sia.config.schema import POLICE_UK_CRIME_TYPES
from sia.sources.base import LoadResult, Reject, SourceError, read_header, sha256_of
from sia.warehouse import Warehouse, split_statements, sql

SOURCE = "police-uk"

STREET_COLUMNS = (
    "Crime ID",
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
)
OUTCOME_COLUMNS = (
    "Crime ID",
    "Month",
    "Reported by",
    "Falls within",
    "Longitude",
    "Latitude",
    "Location",
    "LSOA code",
    "LSOA name",
    "Outcome type",
)
FORMATS = {"police.uk street": STREET_COLUMNS, "police.uk outcomes": OUTCOME_COLUMNS}

#: Longest line accepted; a longer one is rejected (police.uk lines are a few hundred bytes).
MAX_LINE_BYTES = 1 << 20

_REASONS = {
    "Month": "'{value}' is not a month in the form YYYY-MM",
    "Longitude": "'{value}' is not a longitude between -180 and 180 (or both coordinates blank)",
    "Latitude": "'{value}' is not a latitude between -90 and 90 (or both coordinates blank)",
    "LSOA code": "'{value}' is not an LSOA code (E01... or W01...)",
    "Crime type": "'{value}' is not a police.uk crime type",
    "Outcome type": "the outcome type is blank",
    "Crime ID": "an outcome row needs a Crime ID",
}
_CSV_ERRORS = {
    "MISSING COLUMNS": "the line has too few fields",
    "TOO MANY COLUMNS": "the line has too many fields",
    "INVALID ENCODING": "the line is not valid UTF-8 text",
    "INVALID UNICODE": "the line is not valid UTF-8 text",
    "LINE SIZE OVER MAXIMUM": f"the line is longer than {MAX_LINE_BYTES:,} bytes",
    "UNQUOTED VALUE": "a field has a stray quote character",
    "CAST": "a field could not be read",
}

Progress = Callable[[str], None]


class _AlreadyLoaded(Exception):
    """Raised inside the load transaction to roll it back: the file was loaded before."""

    def __init__(self, previous: dict):
        self.previous = previous


def load_file(wh: Warehouse, path: Path, progress: Progress | None = None) -> LoadResult:
    """Load one police.uk street or outcomes CSV into the warehouse, all or nothing."""
    path = Path(path)
    fmt, _ = read_header(path, FORMATS)
    street = fmt == "police.uk street"
    # Hash the file while DuckDB parses it (hashlib releases the GIL).
    with ThreadPoolExecutor(max_workers=1) as pool:
        digest_future = pool.submit(sha256_of, path)
        try:
            return _load(wh, path, fmt, street, digest_future, progress)
        except _AlreadyLoaded as done:
            result = LoadResult(
                file=str(path), source=SOURCE, format=fmt, sha256=digest_future.result()
            )
            result.already_loaded = True
            result.load_id = done.previous["load_id"]
            return result


def _load(wh, path, fmt, street, digest_future, progress) -> LoadResult:
    columns = STREET_COLUMNS if street else OUTCOME_COLUMNS
    stage = split_statements(_stage_sql(street))
    with wh.transaction() as con:
        con.execute("DROP TABLE IF EXISTS reject_errors")
        con.execute("DROP TABLE IF EXISTS reject_scans")
        if progress:
            progress("parsing")
        con.execute(stage[0], {"path": str(path), "columns": {c: "VARCHAR" for c in columns}})
        digest = digest_future.result()
        previous = wh.find_load(digest, SOURCE)
        if previous:
            raise _AlreadyLoaded(previous)
        result = LoadResult(file=str(path), source=SOURCE, format=fmt, sha256=digest)
        result.load_id = load_id = wh.next_load_id()
        base = _check_read_count(con, path)
        first, last = con.execute(
            "SELECT min(month), max(month) FROM pu_rows WHERE bad IS NULL"
        ).fetchone()
        if progress:
            progress("checking")
        params = {
            "base": base,
            "only_force": wh.partnership.police_force.serves_only_this_partnership,
            "source": SOURCE,
            "first": first,
            "last": last,
        }
        for statement in stage[1:]:
            wh.run_script(statement, params)
        keys = _KEYS[street]
        target = keys["target"]
        earlier = wh.scalar(
            f"SELECT count(*) FROM {target} WHERE source = ? AND month BETWEEN ? AND ?",
            [SOURCE, first, last],
        )
        if earlier:
            wh.run_script(sql("police_uk_existing").format(**keys), params)
        parsed = con.execute("SELECT count(*) FROM pu_rows").fetchone()[0]
        counts = dict(
            con.execute(
                "SELECT CASE WHEN status LIKE 'rejected%' THEN 'rejected' ELSE status END, "
                "count(*) FROM pu_except GROUP BY 1"
            ).fetchall()
        )
        counts["loaded"] = parsed - sum(counts.values())
        csv_rejects = _csv_rejects(con)
        field_rejects = _field_rejects(con, base, [r.line for r in csv_rejects])
        if progress:
            progress("writing")
        insert = "police_uk_insert_events" if street else "police_uk_insert_outcomes"
        # The order of rows in the warehouse does not matter: let DuckDB write in parallel.
        con.execute("SET preserve_insertion_order = false")
        try:
            wh.run_script(
                sql(insert).format(**keys), {"load_id": load_id, "source": SOURCE, "base": base}
            )
        finally:
            con.execute("RESET preserve_insertion_order")
        result.rejects = sorted(csv_rejects + field_rejects, key=lambda r: r.line or 0)
        result.loaded = counts.get("loaded", 0)
        result.duplicates = counts.get("duplicate", 0)
        result.skipped = {
            k.split(":", 1)[1]: v for k, v in counts.items() if k.startswith("skipped:")
        }
        result.rejected = len(result.rejects)
        result.read = sum(counts.values()) + len(csv_rejects)
        months = con.execute(
            f"SELECT min(month), max(month) FROM {target} WHERE load_id = ?", [load_id]
        ).fetchone()
        con.execute(
            "INSERT INTO loads VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                load_id,
                str(path),
                digest,
                SOURCE,
                fmt,
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
        for table in (*_STAGING_TABLES, "reject_errors", "reject_scans"):
            con.execute(f"DROP TABLE IF EXISTS {table}")
    return result


#: How rows are keyed, by format (street: True). ``file_key`` is what repeats within a file;
#: ``source_id`` the key stored in the warehouse.
_KEYS = {
    True: {
        "file_key": "crime_id",
        "source_id": "coalesce(r.crime_id, 'nokey-' || r.content_key || '-' || nb.n)",
        "target": "events",
    },
    False: {"file_key": "content_key", "source_id": "r.content_key", "target": "outcomes"},
}
_STAGING_TABLES = ("pu_rows", "pu_lsoas", "pu_numbered", "pu_except")


def _stage_sql(street: bool) -> str:
    read_csv = (
        "read_csv($path, columns = $columns, header = true, auto_detect = false, "
        "delim = ',', quote = '\"', escape = '\"', null_padding = false, "
        f"ignore_errors = true, store_rejects = true, max_line_size = {MAX_LINE_BYTES})"
    )
    if street:
        crime_types = ", ".join(f"'{c}'" for c in POLICE_UK_CRIME_TYPES)
        return sql("police_uk_stage").format(
            read_csv=read_csv,
            kind_columns=(
                "nullif(trim(\"Crime type\"), '') AS category, "
                "nullif(\"Last outcome category\", '') AS outcome, "
                "nullif(\"Context\", '') AS context"
            ),
            kind_names="category, outcome, context",
            kind_checks=(
                f"WHEN category IS NULL OR category NOT IN ({crime_types}) "
                "THEN {'field': 'Crime type', 'value': category}"
            ),
            key_columns=(
                '"Month", "Reported by", "Longitude", "Latitude", "Location", '
                '"LSOA code", "Crime type", "Context"'
            ),
            content_key_when="nullif(trim(\"Crime ID\"), '') IS NULL",
            **_KEYS[True],
        )
    return sql("police_uk_stage").format(
        read_csv=read_csv,
        kind_columns="nullif(trim(\"Outcome type\"), '') AS outcome_type",
        kind_names="outcome_type",
        kind_checks=(
            "WHEN crime_id IS NULL THEN {'field': 'Crime ID', 'value': NULL} "
            "WHEN outcome_type IS NULL THEN {'field': 'Outcome type', 'value': NULL}"
        ),
        key_columns='"Crime ID", "Month", "Outcome type"',
        content_key_when="true",
        **_KEYS[False],
    )


def _check_read_count(con, path: Path) -> int:
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
                f"no line could be read as police.uk CSV ({errors} bad lines; the first: "
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


def _field_rejects(con, base: int, csv_reject_lines: list[int]) -> list[Reject]:
    """Rows DuckDB parsed but a field check refused, with their line numbers.

    ``rec`` counts parsed rows from 0. Lines start at 2 (after the header) and skip the
    lines the CSV parser rejected, so the n-th parsed row sits at line n + 2 plus the
    number of rejected lines before it.
    """
    rows = con.execute(
        "SELECT rowid - ? AS rec, bad.field, bad.value FROM pu_rows WHERE bad IS NOT NULL "
        "UNION ALL SELECT rec, 'LSOA code', value FROM pu_except WHERE status = 'rejected:lsoa' "
        "ORDER BY rec",
        [base],
    ).fetchall()
    bad = sorted(csv_reject_lines)
    good_before = [line - 2 - i for i, line in enumerate(bad)]
    rejects = []
    for rec, field, value in rows:
        line = rec + 2 + bisect.bisect_right(good_before, rec)
        shown = "" if value is None else str(value)[:80]
        reason = _REASONS.get(field, "invalid value").format(value=shown)
        if value is None and field in ("Longitude", "Latitude"):
            reason = "one coordinate is given and the other is blank"
        rejects.append(Reject(line=line, field=field, reason=f"{field}: {reason}"))
    return rejects

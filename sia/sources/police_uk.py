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
from datetime import UTC, datetime
from pathlib import Path

from sia.sources.base import LoadResult, Reject, SourceError, read_header, sha256_of
from sia.warehouse import Warehouse, sql

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
_FIELD_VALUE = {
    "Month": "month_text",
    "Longitude": "lon_text",
    "Latitude": "lat_text",
    "LSOA code": "lsoa_code",
    "Crime type": "category",
    "Outcome type": "outcome_type",
    "Crime ID": "crime_id",
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


def load_file(wh: Warehouse, path: Path, progress: Progress | None = None) -> LoadResult:
    """Load one police.uk street or outcomes CSV into the warehouse, all or nothing."""
    path = Path(path)
    fmt, _ = read_header(path, FORMATS)
    street = fmt == "police.uk street"
    digest = sha256_of(path)
    result = LoadResult(file=str(path), source=SOURCE, format=fmt, sha256=digest)
    previous = wh.find_load(digest, SOURCE)
    if previous:
        result.already_loaded = True
        result.load_id = previous["load_id"]
        return result

    columns = STREET_COLUMNS if street else OUTCOME_COLUMNS
    with wh.transaction() as con:
        load_id = wh.next_load_id()
        result.load_id = load_id
        con.execute("DROP TABLE IF EXISTS reject_errors")
        con.execute("DROP TABLE IF EXISTS reject_scans")
        if progress:
            progress("parsing")
        wh.run_script(
            _stage_sql(street),
            {
                "only_force": wh.partnership.police_force.serves_only_this_partnership,
                "source": SOURCE,
                "path": str(path),
                "columns": {c: "VARCHAR" for c in columns},
            },
        )
        if progress:
            progress("checking")
        _check_read_count(con, path)
        counts = dict(
            con.execute("SELECT status, count(*) FROM pu_stage2 GROUP BY status").fetchall()
        )
        csv_rejects = _csv_rejects(con)
        field_rejects = _field_rejects(con, [r.line for r in csv_rejects])
        if progress:
            progress("writing")
        if street:
            wh.run_script(sql("police_uk_insert_events"), {"load_id": load_id, "source": SOURCE})
        else:
            wh.run_script(sql("police_uk_insert_outcomes"), {"load_id": load_id, "source": SOURCE})
        result.rejects = sorted(csv_rejects + field_rejects, key=lambda r: r.line or 0)
        result.loaded = counts.get("loaded", 0)
        result.duplicates = counts.get("duplicate", 0)
        result.skipped = {
            k.split(":", 1)[1]: v for k, v in counts.items() if k.startswith("skipped:")
        }
        result.rejected = len(result.rejects)
        result.read = sum(counts.values()) + len(csv_rejects)
        months = con.execute(
            "SELECT min(month), max(month) FROM pu_stage2 WHERE status = 'loaded'"
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
        for table in ("pu_stage1", "pu_stage2", "reject_errors", "reject_scans"):
            con.execute(f"DROP TABLE IF EXISTS {table}")
    return result


def _stage_sql(street: bool) -> str:
    read_csv = (
        "read_csv($path, columns = $columns, header = true, auto_detect = false, "
        "delim = ',', quote = '\"', escape = '\"', null_padding = false, "
        f"ignore_errors = true, store_rejects = true, max_line_size = {MAX_LINE_BYTES})"
    )
    if street:
        kind_columns = (
            "nullif(trim(\"Crime type\"), '') AS category, "
            "nullif(trim(\"Last outcome category\"), '') AS outcome, "
            "nullif(trim(\"Context\"), '') AS context"
        )
        kind_checks = (
            "WHEN p.category IS NULL OR p.category NOT IN ("
            + ", ".join(f"'{c}'" for c in _crime_types())
            + ") THEN 'Crime type'"
        )
        key_columns = (
            '"Month", "Reported by", "Longitude", "Latitude", "Location", '
            '"LSOA code", "Crime type", "Context"'
        )
        source_id = (
            "coalesce(p.crime_id, 'nokey-' || p.content_key || '-' || "
            "row_number() OVER (PARTITION BY p.content_key, p.crime_id IS NULL ORDER BY p.rec))"
        )
        target, target_key = "events", "source_id"
    else:
        kind_columns = "nullif(trim(\"Outcome type\"), '') AS outcome_type"
        kind_checks = (
            "WHEN p.crime_id IS NULL THEN 'Crime ID' "
            "WHEN p.outcome_type IS NULL THEN 'Outcome type'"
        )
        key_columns = '"Crime ID", "Month", "Outcome type"'
        source_id = "p.content_key"
        target, target_key = "outcomes", "source_id"
    return sql("police_uk_stage").format(
        read_csv=read_csv,
        kind_columns=kind_columns,
        kind_checks=kind_checks,
        key_columns=key_columns,
        source_id=source_id,
        target=target,
        target_key=target_key,
    )


def _crime_types() -> tuple[str, ...]:
    from sia.config.schema import POLICE_UK_CRIME_TYPES

    return POLICE_UK_CRIME_TYPES


def _check_read_count(con, path: Path) -> None:
    """A file whose every line failed to parse is a wrong file, not a file of bad rows."""
    parsed, last = con.execute("SELECT count(*), max(rec) FROM pu_stage2").fetchone()
    if parsed and last != parsed - 1:
        raise RuntimeError(
            f"{path}: staged row numbers are not consecutive; line numbers "
            "of rejected rows would be wrong"
        )
    if parsed == 0:
        errors = con.execute("SELECT count(DISTINCT line) FROM reject_errors").fetchone()[0]
        if errors:
            first = con.execute(
                "SELECT line, error_type FROM reject_errors ORDER BY line LIMIT 1"
            ).fetchone()
            raise SourceError(
                path,
                f"no line could be read as police.uk CSV "
                f"({errors} bad lines; the first: {_CSV_ERRORS.get(first[1], first[1])})",
                line=first[0],
            )
        raise SourceError(path, "the file has a header but no data rows", line=2)


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


def _field_rejects(con, csv_reject_lines: list[int]) -> list[Reject]:
    """Rows DuckDB parsed but a field check refused, with their line numbers.

    ``rec`` counts parsed rows from 0. Lines start at 2 (after the header) and skip the
    lines the CSV parser rejected, so the n-th parsed row sits at line n + 2 plus the
    number of rejected lines before it.
    """
    present = {r[0] for r in con.execute("DESCRIBE pu_stage2").fetchall()}
    cases = " ".join(f"WHEN '{f}' THEN {c}" for f, c in _FIELD_VALUE.items() if c in present)
    rows = con.execute(
        f"""
        SELECT rec, bad_field, CASE bad_field {cases} END AS value
        FROM pu_stage2 WHERE status = 'rejected' ORDER BY rec
        """
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

"""What the dashboard reads from the warehouse: counts and the latest assessment.

The warehouse is opened read-only for each request and closed at once, so loads and
assessments (``sia ingest``, ``sia assess``) can run beside the app; while one of them
holds the file, the dashboard says so instead of failing. Only counts and the
assessment's aggregated figures leave this module: no record-level data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
from pydantic import ValidationError
from sia.config import Partnership
from sia.warehouse import Warehouse, WarehouseError

if TYPE_CHECKING:  # sia.assessment brings in the statistics libraries: seconds to import
    from sia.assessment import Assessment

#: The warehouse tables counted on the dashboard, with what a row of each is.
COUNTED_TABLES = (
    ("events", "Crime, disorder and incident records"),
    ("engagements", "Community engagements"),
    ("councillor_sessions", "Councillor ward meetings"),
    ("officer_sessions", "Officer sessions"),
    ("tension_reports", "Community tension reports"),
    ("loads", "Files loaded"),
)


@dataclass
class WarehouseSummary:
    """The warehouse's counts and latest assessment, or why they cannot be read."""

    problem: str | None = None
    counts: list[tuple[str, int]] = field(default_factory=list)
    assessment: Assessment | None = None


#: The last summary read, by the warehouse's path and the state of its files.
_LAST: dict[tuple, WarehouseSummary] = {}


def file_state(path: Path) -> tuple:
    """What changes when anything is written: the size and time of the file and its WAL."""
    state: list = [str(path)]
    for p in (path, path.with_name(path.name + ".wal")):
        try:
            st = p.stat()
        except FileNotFoundError:
            state.append(None)
        else:
            state.append((st.st_size, st.st_mtime_ns))
    return tuple(state)


def summarise(partnership: Partnership, path: Path) -> WarehouseSummary:
    """Count the warehouse's records and read its latest assessment (read-only).

    Opening the warehouse takes a few hundred milliseconds, so the summary is kept until
    the warehouse's files change (a load or an assessment writes them)."""
    key = (partnership.id, *file_state(path))
    if key in _LAST:
        return _LAST[key]
    summary = _read(partnership, path)
    if summary.problem is None or summary.counts:  # a passing lock is not remembered
        _LAST.clear()
        _LAST[key] = summary
    return summary


def _read(partnership: Partnership, path: Path) -> WarehouseSummary:
    if not path.exists():
        return WarehouseSummary(
            problem="No partner data has been loaded yet, so there is nothing to count."
        )
    try:
        wh = Warehouse(path, partnership, read_only=True)
    except WarehouseError as exc:
        return WarehouseSummary(problem=f"The warehouse cannot be read: {exc}.")
    except duckdb.Error:  # another process is writing it (a lock), or it is not DuckDB
        return WarehouseSummary(
            problem="The warehouse is being updated (a load or an assessment is running). "
            "Try again in a minute."
        )
    try:
        summary = WarehouseSummary()
        for table, label in COUNTED_TABLES:
            # table names are the constants above, never input
            summary.counts.append((label, int(wh.scalar(f"SELECT count(*) FROM {table}"))))
        from sia.assessment import latest_assessment

        try:
            summary.assessment = latest_assessment(wh)
        except ValidationError:
            summary.problem = (
                "The latest stored assessment was made by another version of sia: "
                "run sia assess again to see it here."
            )
        return summary
    finally:
        wh.close()


def priority_table(assessment: Assessment) -> list[dict]:
    """The assessment's summary rows grouped by priority: [{priority, rows: [...]}]."""
    groups: list[dict] = []
    for row in assessment.summary_rows():
        if not groups or groups[-1]["priority"] != row["priority"]:
            groups.append({"priority": row["priority"], "rows": []})
        groups[-1]["rows"].append(row)
    return groups

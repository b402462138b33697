"""``sia ingest app``: the records typed into the web app, loaded like their spreadsheets.

The web app (``webapp/``) keeps engagements, councillor ward meetings, officer sessions and
tension reports in its own database: SQLite at ``<data-dir>/app.sqlite3``, or PostgreSQL
when ``DATABASE_URL`` is set. This module reads them with plain SQL (``sia`` never imports
the app or Django), turns each into the row its spreadsheet form would hold (the same text
as the app's ``as_row()``; ``tests/webapp/test_webapp_ingest_app.py`` checks the two
agree), and loads the rows through the spreadsheet forms' own loaders
(:mod:`sia.sources.insight`), so the same checks apply and the same tables fill.

Idempotent by record id and version (``app_records``):

- a record not loaded before is loaded;
- a record whose version is the one loaded is skipped as ``unchanged``;
- a record edited in the app (another version) replaces its earlier row;
- a record deleted in the app is withdrawn: its row leaves the warehouse, as the app's
  people deleted it on purpose (a duplicate or a mistake), and the assessment should not
  count it. A record the loader rejects is kept in ``app_records`` with its version, so it
  is tried again only when it is edited.

All of one kind loads in one transaction: a failure leaves the warehouse as it was.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import sqlite3
import tempfile
import uuid
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sia.sources.base import LoadResult, SourceError
from sia.sources.insight import COUNCILLOR_SESSION, ENGAGEMENT, OFFICER_SESSION, TENSION
from sia.sources.tabular import TabularFormat, _AlreadyLoaded, _Context, _load
from sia.warehouse import Warehouse

APP_DATABASE = "app.sqlite3"


@dataclass(frozen=True)
class AppKind:
    """One kind of app record: its table in the app database and its loader format. The
    table's columns are named as the format's, but for the id (``id``, made ``app-<id>``)."""

    table: str
    format: TabularFormat
    #: columns holding a JSON list of ids (``;``-joined in the spreadsheet)
    lists: tuple[str, ...] = ()

    @property
    def id_column(self) -> str:
        return self.format.columns[0].header

    @property
    def label(self) -> str:
        return f"app: {self.format.name}s"


KINDS = (
    AppKind("engagement_engagement", ENGAGEMENT, ("concerns",)),
    AppKind("meetings_councillormeeting", COUNCILLOR_SESSION, ("concerns",)),
    AppKind("meetings_officersession", OFFICER_SESSION, ("issues",)),
    AppKind("tension_tensionreport", TENSION),
)


@dataclass(frozen=True)
class AppRecord:
    record_id: str
    version: int
    row: dict[str, str]


# -- reading the app database ------------------------------------------------------------
def app_database(data_dir: Path) -> str:
    """``DATABASE_URL`` when set, else the data directory's ``app.sqlite3``."""
    return os.environ.get("DATABASE_URL") or str(Path(data_dir) / APP_DATABASE)


@contextmanager
def _connect(database: str):
    if database.startswith(("postgres://", "postgresql://")):
        import psycopg

        with psycopg.connect(database) as con:
            yield con
        return
    if database.startswith("sqlite:///"):
        database = database.removeprefix("sqlite:///")
    path = Path(database)
    if not path.exists():
        raise SourceError(path, "the web app's database does not exist: has the app been used?")
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        yield con
    finally:
        con.close()


def _text(value: Any, is_list: bool) -> str:
    """A database value as the spreadsheet cell the app's ``as_row()`` gives."""
    if value is None:
        return ""
    if is_list:
        items = json.loads(value) if isinstance(value, str) else value
        return ";".join(str(v) for v in items)
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def read_app(database: str) -> dict[str, list[AppRecord]]:
    """Every record of the app database, by loader source, as spreadsheet rows."""
    with _connect(database) as con:
        try:
            return read_records(con)
        except SourceError as exc:
            raise SourceError(Path(database.split("@")[-1]), exc.message) from None


def read_records(con) -> dict[str, list[AppRecord]]:
    """Every record, by loader source, read through ``con`` (a DB-API connection to the
    app database: sqlite3's or psycopg's)."""
    found: dict[str, list[AppRecord]] = {}
    for kind in KINDS:
        columns = [c.header for c in kind.format.columns[1:]]
        query = (
            f"SELECT id, version, {', '.join(columns)} FROM {kind.table} ORDER BY created_at, id"
        )
        cursor = con.cursor()
        try:
            cursor.execute(query)
        except Exception as exc:  # sqlite3's or psycopg's: a missing table is said so
            if "no such table" in str(exc) or "does not exist" in str(exc):
                raise SourceError(
                    Path("app"),
                    f"the web app's database has no table {kind.table}: run the app's "
                    "migrations first (sia createuser or manage.py migrate)",
                ) from exc
            raise
        records = []
        for raw_id, version, *values in cursor.fetchall():
            record_id = f"app-{uuid.UUID(str(raw_id))}"
            row = {kind.id_column: record_id}
            for name, value in zip(columns, values, strict=True):
                row[name] = _text(value, name in kind.lists)
            records.append(AppRecord(record_id, int(version), row))
        found[kind.format.source] = records
    return found


# -- loading -----------------------------------------------------------------------------
@dataclass
class AppLoad:
    """What became of one kind's records: the load's result (read = every record of the
    kind in the app), and the records replaced by a new version or withdrawn."""

    kind: AppKind
    result: LoadResult
    replaced: int = 0
    withdrawn: int = 0
    rejected_ids: dict[str, str] = field(default_factory=dict)


def ingest_app(wh: Warehouse, database: str) -> list[AppLoad]:
    """Load the app's new and changed records, withdraw its deleted ones (see the module)."""
    return ingest_records(wh, read_app(database))


def ingest_records(wh: Warehouse, records: dict[str, list[AppRecord]]) -> list[AppLoad]:
    """Load records read by :func:`read_records` (each kind in a transaction of its own)."""
    return [_load_kind(wh, kind, records.get(kind.format.source, [])) for kind in KINDS]


def _load_kind(wh: Warehouse, kind: AppKind, records: list[AppRecord]) -> AppLoad:
    fmt = kind.format
    result = LoadResult(kind.label, fmt.source, fmt.name, "")
    done = AppLoad(kind, result)
    result.read = len(records)
    with wh.transaction() as con:
        known = dict(
            con.execute(
                "SELECT record_id, version FROM app_records WHERE source = ?", [fmt.source]
            ).fetchall()
        )
        todo = [r for r in records if known.get(r.record_id) != r.version]
        present = {r.record_id for r in records}
        withdrawn = [i for i in known if i not in present]
        done.replaced = sum(1 for r in todo if r.record_id in known)
        done.withdrawn = len(withdrawn)
        result.skipped = {"unchanged": len(records) - len(todo)} if len(records) > len(todo) else {}
        stale = [r.record_id for r in todo if r.record_id in known] + withdrawn
        if stale:
            con.execute(
                f"DELETE FROM {fmt.target} WHERE source = ? AND source_id IN "
                f"(SELECT unnest(?::VARCHAR[]))",
                [fmt.source, stale],
            )
            con.execute(
                "DELETE FROM app_records WHERE source = ? AND record_id IN "
                "(SELECT unnest(?::VARCHAR[]))",
                [fmt.source, stale],
            )
        if todo:
            loaded = _load_rows(wh, kind, todo)
            result.load_id, result.sha256 = loaded.load_id, loaded.sha256
            result.loaded, result.duplicates = loaded.loaded, loaded.duplicates
            result.rejects, result.rejected = loaded.rejects, loaded.rejected
            by_line = {n: r.record_id for n, r in enumerate(todo, start=2)}
            done.rejected_ids = {by_line[r.line]: str(r) for r in loaded.rejects if r.line}
            con.executemany(
                "INSERT INTO app_records VALUES (?, ?, ?, ?, ?)",
                [
                    [
                        fmt.source,
                        r.record_id,
                        r.version,
                        loaded.load_id,
                        "rejected" if r.record_id in done.rejected_ids else "loaded",
                    ]
                    for r in todo
                ],
            )
            for reject in loaded.rejects:  # the export's line means nothing later: name the record
                if reject.line not in by_line:
                    continue
                con.execute(
                    "UPDATE rejects SET reason = ? || reason WHERE load_id = ? AND line = ?",
                    [f"record {by_line[reject.line]}: ", loaded.load_id, reject.line],
                )
    return done


def _load_rows(wh: Warehouse, kind: AppKind, todo: list[AppRecord]) -> LoadResult:
    """Load ``todo`` through the kind's spreadsheet loader, inside the open transaction.

    The load's fingerprint is the records' ids and versions (not the file's bytes): a
    record edited back to an earlier text is still a new version, and loads again.
    """
    headers = [c.header for c in kind.format.columns]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=headers, lineterminator="\n")
    writer.writeheader()
    writer.writerows(r.row for r in todo)
    versions = "\n".join(f"{r.record_id} {r.version}" for r in todo)
    digest: Future[str] = Future()
    digest.set_result(hashlib.sha256(f"sia ingest app\n{versions}".encode()).hexdigest())
    with tempfile.TemporaryDirectory(prefix="sia-app-") as tmp:
        path = Path(tmp) / f"{kind.format.source}.csv"
        path.write_text(buffer.getvalue(), encoding="utf-8")
        ctx = _Context(wh, path, kind.format, shown=Path(kind.label))
        try:  # the loader's transaction joins the kind's, open here
            return _load(ctx, digest)
        except _AlreadyLoaded as exc:  # only if app_records was changed by hand
            raise SourceError(
                Path(kind.label),
                f"these versions were loaded before (load {exc.previous['load_id']}) "
                "but app_records does not say so",
            ) from None

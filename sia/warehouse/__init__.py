"""The warehouse: one DuckDB file that owns every row the partnership has loaded.

:class:`Warehouse` is the only thing that opens the DuckDB connection. Schema and queries
live in ``sql/*.sql`` and are loaded by name; values are always bound as parameters.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb

from sia.config import Partnership

DEFAULT_DATA_DIR = "sia-data"
WAREHOUSE_FILE = "warehouse.duckdb"


class WarehouseError(Exception):
    """The warehouse cannot be used as asked (missing, or made for another partnership)."""


def data_dir(explicit: str | Path | None = None) -> Path:
    """``--data-dir``, else ``SIA_DATA_DIR``, else ``./sia-data``."""
    return Path(explicit or os.environ.get("SIA_DATA_DIR") or DEFAULT_DATA_DIR)


@cache
def sql(name: str) -> str:
    """The text of ``sia/warehouse/sql/<name>.sql``."""
    return resources.files("sia.warehouse").joinpath("sql", f"{name}.sql").read_text("utf-8")


def schema_files() -> list[str]:
    """``schema.sql`` first, then every ``schema_<feature>.sql``, by name."""
    folder = resources.files("sia.warehouse").joinpath("sql")
    names = sorted(p.name[:-4] for p in folder.iterdir() if p.name.startswith("schema_"))
    return ["schema", *names]


class Warehouse:
    """A partnership's DuckDB warehouse.

    Parameters
    ----------
    path
        The DuckDB file. Created (with its schema) when opened for writing.
    partnership
        The partnership this warehouse belongs to. A warehouse made for one partnership
        refuses to be opened for another.
    read_only
        Open without the right to change anything (``sia sql`` uses this).
    memory_limit
        DuckDB's memory limit; large loads spill to ``<data dir>/tmp`` beyond it.
    external_access
        False forbids queries from reading or writing any file but the warehouse.
    """

    def __init__(
        self,
        path: Path,
        partnership: Partnership,
        *,
        read_only: bool = False,
        memory_limit: str = "1GB",
        threads: int | None = None,
        external_access: bool = True,
    ):
        self.path = Path(path)
        self.partnership = partnership
        self.read_only = read_only
        self._in_transaction = False
        if read_only and not self.path.exists():
            raise WarehouseError(
                f"no warehouse at {self.path}: load some data first (sia ingest ...)"
            )
        self.path.parent.mkdir(parents=True, exist_ok=True)
        config: dict[str, Any] = {"memory_limit": memory_limit}
        if not external_access:
            config["enable_external_access"] = False
        if threads:
            config["threads"] = threads
        self.con = duckdb.connect(str(self.path), read_only=read_only, config=config)
        if not read_only:
            spill = self.path.parent / "tmp"
            self.con.execute(f"SET temp_directory = '{_quote(spill)}'")
            self._ensure_schema()
        self._check_partnership()

    @classmethod
    def open(
        cls, partnership: Partnership, data_directory: str | Path | None = None, **kwargs: Any
    ) -> Warehouse:
        return cls(data_dir(data_directory) / WAREHOUSE_FILE, partnership, **kwargs)

    # -- lifecycle ------------------------------------------------------------------------
    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Warehouse:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """All or nothing: commit when the block ends, roll back if it raises.

        A transaction opened inside another joins it (DuckDB does not nest them): the
        outermost one commits or rolls back the whole, so a loader run inside a larger
        change (``sia ingest app``) commits nothing of its own."""
        if self._in_transaction:
            yield self.con
            return
        self.con.execute("BEGIN TRANSACTION")
        self._in_transaction = True
        try:
            yield self.con
        except BaseException:
            self._in_transaction = False
            self.con.execute("ROLLBACK")
            raise
        self._in_transaction = False
        self.con.execute("COMMIT")

    # -- schema ---------------------------------------------------------------------------
    def _ensure_schema(self) -> None:
        with self.transaction() as con:
            for name in schema_files():
                con.execute(sql(name))
            owner = con.execute("SELECT value FROM meta WHERE key = 'partnership'").fetchone()
            if owner is None:
                con.execute("INSERT INTO meta VALUES ('partnership', ?)", [self.partnership.id])
        if self.scalar("SELECT count(*) FROM lsoa_lookup") == 0:
            self._check_partnership()
            self.refresh_geography()
        if self.scalar("SELECT count(*) FROM offence_codes") == 0:
            self.refresh_reference()

    def _check_partnership(self) -> None:
        row = self.con.execute("SELECT value FROM meta WHERE key = 'partnership'").fetchone()
        if row and row[0] != self.partnership.id:
            raise WarehouseError(
                f"the warehouse at {self.path} belongs to partnership {row[0]!r}, not "
                f"{self.partnership.id!r}: use --config {row[0]} or another --data-dir"
            )

    def refresh_geography(self) -> None:
        """(Re)write the areas, LSOA lookup, population and deprivation tables."""
        from sia.geography import Geography

        geo = Geography.for_partnership(self.partnership)
        frames = {
            "areas": geo.areas,
            "lsoa_lookup": geo.lsoas,
            "population": geo.population,
            "deprivation": geo.deprivation,
        }
        self._replace(frames)

    def refresh_reference(self) -> None:
        """(Re)write the reference tables shipped with the package (offence codes)."""
        from sia.offences import all_offences

        self._replace({"offence_codes": all_offences()})

    def _replace(self, frames: dict) -> None:
        with self.transaction() as con:
            for table, frame in frames.items():
                columns = [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()]
                con.register("_frame", frame[columns])
                con.execute(f"DELETE FROM {table}")
                con.execute(f"INSERT INTO {table} SELECT * FROM _frame")
                con.unregister("_frame")

    # -- queries --------------------------------------------------------------------------
    def run_script(self, script: str, params: dict[str, Any] | None = None) -> None:
        """Run several ``;``-separated statements, binding to each only the parameters it names."""
        run_script(self.con, script, params)

    def scalar(self, query: str, params: list[Any] | None = None) -> Any:
        row = self.con.execute(query, params or []).fetchone()
        return row[0] if row else None

    def rows(
        self, query: str, params: list[Any] | dict[str, Any] | None = None
    ) -> list[dict[str, Any]]:
        cursor = self.con.execute(query, params or [])
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=False)) for row in cursor.fetchall()]

    def loads(self) -> list[dict[str, Any]]:
        """Every file loaded, oldest first, with its rejected and skipped counts."""
        return self.rows(sql("loads"))

    def latest_population(
        self, area_types: tuple[str, ...], vintage: int | None = None
    ) -> dict[tuple[str, str], float]:
        """{(area_type, area_code): population} in the latest year the table has for each
        area; LSOAs only of ``vintage`` when it is given."""
        rows = self.rows(
            sql("latest_population"), {"area_types": list(area_types), "vintage": vintage}
        )
        return {(r["area_type"], r["area_code"]): float(r["population"]) for r in rows}

    def find_load(self, sha256: str, source: str) -> dict[str, Any] | None:
        found = self.rows(
            "SELECT load_id, file, loaded_at FROM loads WHERE sha256 = ? AND source = ?",
            [sha256, source],
        )
        return found[0] if found else None

    def next_load_id(self) -> int:
        return int(self.scalar("SELECT coalesce(max(load_id), 0) + 1 FROM loads"))


def run_script(
    con: duckdb.DuckDBPyConnection, script: str, params: dict[str, Any] | None = None
) -> None:
    """Run several ``;``-separated statements, binding to each only the parameters it names."""
    params = params or {}
    for statement in split_statements(script):
        used = {k: v for k, v in params.items() if re.search(rf"\${k}\b", statement)}
        con.execute(statement, used)


def split_statements(script: str) -> list[str]:
    """Split at semicolons that end a line (the .sql files put one statement per block)."""
    code = "\n".join(line for line in script.splitlines() if not line.strip().startswith("--"))
    return [p for p in re.split(r";\s*(?:\n|$)", code) if p.strip()]


def _quote(path: Path) -> str:
    return str(path).replace("'", "''")

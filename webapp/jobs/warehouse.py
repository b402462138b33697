"""Opening the warehouse for a job's writes: DuckDB takes one writing process at a time,
so a job waits (saying so on its page) while another process holds the file."""

from __future__ import annotations

import time
from pathlib import Path

import duckdb
from sia.config import Partnership
from sia.warehouse import Warehouse, WarehouseError

from webapp.jobs.registry import JobError, Progress

#: How long a job waits for another writer (``sia ingest``, ``sia assess``) to finish.
WAIT_SECONDS = 300
POLL_SECONDS = 2


def open_for_write(
    partnership: Partnership, path: Path, progress: Progress, read_only: bool = False
) -> Warehouse:
    """The warehouse at ``path`` opened for writing (made when missing), once it is free;
    or opened ``read_only`` (for a report), once no other process is writing it.

    Raises
    ------
    JobError
        When another process still holds it after :data:`WAIT_SECONDS`, or the warehouse
        belongs to another partnership.
    """
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        try:
            return Warehouse(path, partnership, read_only=read_only)
        except WarehouseError as exc:
            raise JobError(f"The warehouse cannot be used: {exc}") from exc
        # another process holds the file's lock; or this one has it open another way
        except (duckdb.IOException, duckdb.ConnectionException) as exc:
            if time.monotonic() >= deadline:
                raise JobError(
                    "The warehouse stayed busy: another load, assessment or sia command is "
                    "writing it. Try again when it has finished."
                ) from exc
            progress("Waiting for the warehouse: another process is writing it")
            time.sleep(POLL_SECONDS)

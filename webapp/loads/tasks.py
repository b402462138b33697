"""The load job: an uploaded file through ``sia ingest``'s own loader, all or nothing.

The result keeps what became of every row (read = loaded + duplicates + skipped +
rejected), the skip reasons and the rejected rows' line, field and reason; a file that
cannot be loaded at all fails the job with its line and field.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from sia.sources import REGISTRY
from sia.sources.base import SourceError
from sia.sources.tabular import load_file
from sia.warehouse import WAREHOUSE_FILE

from webapp.jobs.registry import JobError, Progress
from webapp.jobs.warehouse import open_for_write
from webapp.partnership import partnership

#: Rejected rows kept in the result (the warehouse's rejects table has them all).
REJECTS_KEPT = 500

#: What the loader's steps are called on the job's page.
STEPS = {
    "parsing": "Reading the file",
}


def run_load(job, progress: Progress) -> dict[str, Any]:
    from webapp.loads.models import Upload

    upload = Upload.objects.get(pk=job.params["upload"])
    path = upload.path()
    if not path.is_file():
        raise JobError(f"{upload.original_name} is no longer on the server: upload it again")
    entry = REGISTRY.get(upload.source)
    if entry is None:
        raise JobError(f"sia has no source called {upload.source!r}")
    progress("Waiting for the warehouse")
    wh = open_for_write(partnership(), Path(settings.SIA_DATA_DIR) / WAREHOUSE_FILE, progress)
    try:
        progress(f"Loading {upload.original_name}")
        result = load_file(
            wh,
            path,
            entry.formats(),
            progress=lambda step: progress(f"Loading: {STEPS.get(step, step)}"),
        )
    except SourceError as exc:
        raise JobError(_where(upload.original_name, exc) + f": {exc.message}") from exc
    finally:
        wh.close()
    return {
        "file": upload.original_name,
        "source": result.source,
        "format": result.format,
        "already_loaded": result.already_loaded,
        "load_id": result.load_id,
        "read": result.read,
        "loaded": result.loaded,
        "duplicates": result.duplicates,
        "skipped": dict(sorted(result.skipped.items())),
        "skipped_total": result.skipped_total,
        "rejected": result.rejected,
        "rejects": [
            {"line": r.line, "field": r.field, "reason": r.reason}
            for r in result.rejects[:REJECTS_KEPT]
        ],
    }


def _where(name: str, exc: SourceError) -> str:
    """The file as the person knows it, and the line and field when known."""
    where = f"{name} was not loaded (nothing was changed). {name}"
    if exc.line is not None:
        where += f", line {exc.line}"
    if exc.field:
        where += f", field {exc.field!r}"
    return where

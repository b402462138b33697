"""Shared by the source tests: the whole files of the foundation issue that must fail alone,
and a snapshot of the warehouse tables to show that nothing changed."""

from __future__ import annotations

import gzip
import os
from collections.abc import Callable, Sequence
from pathlib import Path

from sia.warehouse import Warehouse

LOAD_TABLES = ("events", "loads", "skips", "rejects")
PNG = b"\x89PNG\r\n\x1a\n"


def snapshot(wh: Warehouse, tables: Sequence[str] = LOAD_TABLES) -> dict[str, list]:
    """Every row of ``tables``, in a stable order."""
    return {t: wh.con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in tables}


def bad_file(
    kind: str,
    folder: Path,
    headers: Sequence[str],
    write: Callable[..., Path],
    sample: list,
    good: Callable[[], bytes],
) -> Path:
    """A file of ``kind`` (empty, header-only, wrong-header, reordered-header, gzip, png).

    ``write(path, rows, header=None)`` writes rows under a header; ``sample`` is a row or two
    of the format; ``good()`` gives the bytes of a good file (compressed for ``gzip``).
    """
    path = folder / f"{kind}.csv"
    if kind == "empty":
        path.write_bytes(b"")
    elif kind == "header-only":
        write(path, [])
    elif kind == "wrong-header":
        write(path, sample, header=(*headers[:-1], "comments"))
    elif kind == "reordered-header":
        write(path, sample, header=(headers[1], headers[0], *headers[2:]))
    elif kind == "gzip":
        path.write_bytes(gzip.compress(good()))
    elif kind == "png":
        path.write_bytes(PNG + os.urandom(64))
    else:
        raise ValueError(f"no bad file of kind {kind!r}")
    return path

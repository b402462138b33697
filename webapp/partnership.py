"""The partnership the app serves (``SIA_CONFIG``), loaded once, and the warehouse path."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from django.conf import settings
from sia.config import Partnership, load_partnership
from sia.warehouse import WAREHOUSE_FILE


@cache
def _load(config: str | None) -> Partnership:
    return load_partnership(config)


def partnership() -> Partnership:
    """The partnership of ``settings.SIA_CONFIG`` (a bundled name or a YAML file)."""
    return _load(settings.SIA_CONFIG)


def warehouse_path() -> Path:
    """The warehouse the dashboard reads: ``<SIA_DATA_DIR>/warehouse.duckdb``."""
    return Path(settings.SIA_DATA_DIR) / WAREHOUSE_FILE

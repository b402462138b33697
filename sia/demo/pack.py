"""Build the Kirklees demo pack and load it, exactly as a user would.

The pack is written under ``<data dir>/demo-pack/<source>/`` in every source's own format,
then each source's files go through the same loading engine as ``sia ingest <source>``.
The same seed writes byte-identical files, so running the demo twice changes nothing.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sia.config import Partnership

#: The last day of the pack: five whole years of partner data up to the end of January
#: 2026, when the seed's partnership reviewed its last twelve months.
DEFAULT_END = date(2026, 1, 31)
DEFAULT_SEED = 2026

#: Order in which sources are loaded (insight after the partner data it describes).
LOAD_ORDER = (
    "police-uk",
    "force-extract",
    "asb-council",
    "fire",
    "health-istv",
    "stats19",
    "indicator",
    "engagement",
    "councillor-session",
    "officer-session",
    "tension",
)


def write_pack(
    out_dir: Path, partnership: Partnership, seed: int = DEFAULT_SEED, end: date = DEFAULT_END
) -> dict[str, list[Path]]:
    """Write every source of the pack under ``out_dir``; returns {source: files}."""
    from sia.demo.events import write_event_sources
    from sia.demo.indicators import write_indicator_sources
    from sia.demo.insight import write_insight_sources

    files: dict[str, list[Path]] = {}
    files.update(write_event_sources(out_dir, partnership, seed, end))
    files.update(write_insight_sources(out_dir, partnership, seed, end))
    files.update(write_indicator_sources(out_dir, partnership, seed, end))
    order = {name: i for i, name in enumerate(LOAD_ORDER)}
    return dict(sorted(files.items(), key=lambda kv: order.get(kv[0], len(order))))

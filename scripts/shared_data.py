"""What the maintainer scripts share: checking and reading the project's shared data.

The scripts copy real public data from ``shared/data`` into ``sia/data``; before reading a
file they check it against ``shared/data/SHA256SUMS``, so a changed source stops the build
instead of silently changing what the package ships.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import pandas as pd


def verify(data_dir: Path, relpaths: list[str]) -> None:
    """Exit with a message unless every ``relpath`` matches ``data_dir/SHA256SUMS``."""
    sums_file = data_dir / "SHA256SUMS"
    if not sums_file.is_file():
        sys.exit(f"{sums_file} not found; use --no-verify to build without checking sources")
    sums = {}
    for line in sums_file.read_text(encoding="utf-8").splitlines():
        digest, _, name = line.partition("  ")
        sums[name.removeprefix("./")] = digest
    for rel in relpaths:
        digest = hashlib.sha256((data_dir / rel).read_bytes()).hexdigest()
        if sums.get(rel) != digest:
            sys.exit(f"{rel}: checksum does not match SHA256SUMS; the source data have changed")


def read(source: Path, rel: str) -> pd.DataFrame:
    """Every column as text, exactly as written (BOM removed), so values pass unchanged."""
    return pd.read_csv(source / rel, dtype=str, keep_default_na=False, encoding="utf-8-sig")

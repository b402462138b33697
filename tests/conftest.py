"""Shared fixtures: a warehouse of the real City of London files, and one Spark session.

Both are session-scoped and shared by every test that asks for them, so treat them as
read-only: a test that loads or deletes rows should make its own warehouse.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from sia.config import load_partnership
from sia.sources.police_uk import load_file
from sia.warehouse import Warehouse

REPO = Path(__file__).resolve().parents[1]
#: The real police.uk street files shipped in the repository (City of London Police,
#: 2017-2021), one folder per month, in the order they are loaded.
CITY_OF_LONDON_FILES = sorted((REPO / "data" / "police_uk" / "city-of-london").glob("*/*.csv"))


@pytest.fixture(scope="session")
def city_of_london_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Warehouse]:
    """A warehouse for the ``city-of-london`` partnership with every shipped file loaded."""
    assert CITY_OF_LONDON_FILES, "no police.uk files under data/police_uk/city-of-london"
    wh = Warehouse.open(
        load_partnership("city-of-london"), tmp_path_factory.mktemp("city-of-london")
    )
    for path in CITY_OF_LONDON_FILES:
        load_file(wh, path)
    yield wh
    wh.close()


def _java() -> str | None:
    home = os.environ.get("JAVA_HOME")
    if home and (Path(home) / "bin" / "java").exists():
        return str(Path(home) / "bin" / "java")
    return shutil.which("java")


@pytest.fixture(scope="session")
def spark_session():
    """One local PySpark session (``local[2]``) for every ``spark`` test, stopped at the end.

    Missing Java or PySpark is a failure, not a skip: CI installs both, and a parity test
    that silently does not run proves nothing.
    """
    if _java() is None:
        pytest.fail(
            "the spark tests need Java 17: no `java` on PATH and no JAVA_HOME/bin/java "
            "(install e.g. Debian's openjdk-17-jre-headless)",
            pytrace=False,
        )
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:  # pragma: no cover - the dev extra installs it
        pytest.fail(f"the spark tests need PySpark (pip install -e '.[dev]'): {exc}", pytrace=False)
    session = (
        SparkSession.builder.master("local[2]")
        .appName("sia-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.driver.host", "127.0.0.1")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()

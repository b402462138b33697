"""Read the geography tables shipped in ``sia/data/geography``.

Only package data are read (through :mod:`importlib.resources`); the files are written by
``scripts/build_geography_data.py`` and described in ``sia/data/README.md``. Each file is
parsed once per process and cached; the functions here return fresh copies, so callers
may change what they get.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from importlib.abc import Traversable

import pandas as pd

__all__ = [
    "data_root",
    "deprivation_table",
    "lsoa_ward_table",
    "population_table",
    "shipped_districts",
]


def data_root() -> Traversable:
    """The ``sia/data`` folder inside the installed package."""
    return resources.files("sia") / "data"


_DTYPES: dict[str, dict[str, str]] = {
    "lsoa_ward.csv": {
        "lsoa_code": "str",
        "lsoa_name": "str",
        "lsoa_vintage": "int64",
        "ward_code": "str",
        "ward_name": "str",
        "district_code": "str",
    },
    "population.csv": {
        "lsoa_code": "str",
        "lsoa_vintage": "int64",
        "year": "int64",
        "population": "int64",
        "method": "str",
    },
    "deprivation.csv": {
        "lsoa_code": "str",
        "lsoa_vintage": "int64",
        "imd_year": "int64",
        "imd_score": "float64",
        "imd_rank": "Int64",
        "imd_decile": "Int64",
        "crime_score": "float64",
        "crime_rank": "Int64",
        "crime_decile": "Int64",
    },
}


@cache
def _read(name: str) -> pd.DataFrame:
    dtypes = _DTYPES[name]
    with (data_root() / "geography" / name).open("r", encoding="utf-8") as fh:
        df = pd.read_csv(
            fh,
            dtype=dtypes,
            keep_default_na=False,
            na_values={c: [""] for c, t in dtypes.items() if t != "str"},
        )
    if list(df.columns) != list(dtypes):
        raise RuntimeError(f"sia/data/geography/{name} has columns {list(df.columns)}")
    # A blank ward (an LSOA the build could not place) becomes a proper missing value.
    for col, t in dtypes.items():
        if t == "str":
            df[col] = df[col].replace("", None)
    return df


def lsoa_ward_table() -> pd.DataFrame:
    """Every shipped LSOA (2011 and 2021) with its best-fit 2024 ward and its district."""
    return _read("lsoa_ward.csv").copy()


def population_table() -> pd.DataFrame:
    """LSOA total population, mid-2019 and mid-2020, both LSOA vintages."""
    return _read("population.csv").copy()


def deprivation_table() -> pd.DataFrame:
    """IMD 2019 (LSOA 2011) and IMD 2025 (LSOA 2021) score, rank and decile, with crime."""
    return _read("deprivation.csv").copy()


def shipped_districts() -> list[str]:
    """Local authority codes for which geography is shipped."""
    return sorted(_read("lsoa_ward.csv")["district_code"].dropna().unique())

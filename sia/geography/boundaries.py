"""Where the shipped boundary files are.

The GeoJSON files in ``sia/data/boundaries/<level>/<district>.geojson`` are copied
unchanged from the ONS Open Geography Portal releases described in
``sia/data/README.md`` (WGS84 longitude/latitude):

* ``ward``   electoral wards, May 2025 (``WD25CD``, ``WD25NM``); a district's file holds
  all its wards, including any that hold no LSOA under the best-fit lookup (the City of
  London file has 25 wards, the config 5);
* ``lsoa11`` LSOA 2011 (``LSOA11CD``, ``LSOA11NM``);
* ``lsoa21`` LSOA 2021 (``LSOA21CD``, ``LSOA21NM``).
"""

from __future__ import annotations

from pathlib import Path

from sia.geography.errors import GeographyError
from sia.geography.lookups import data_root

__all__ = ["BOUNDARY_LEVELS", "CODE_PROPERTY", "boundary_path", "shipped_boundaries"]

BOUNDARY_LEVELS: tuple[str, ...] = ("ward", "lsoa11", "lsoa21")

#: The GeoJSON feature property that holds the area code, by level.
CODE_PROPERTY: dict[str, str] = {"ward": "WD25CD", "lsoa11": "LSOA11CD", "lsoa21": "LSOA21CD"}


def _folder() -> Path:
    return Path(str(data_root() / "boundaries"))


def shipped_boundaries(district_code: str) -> list[str]:
    """The levels for which ``district_code`` has a boundary file."""
    return [
        lvl for lvl in BOUNDARY_LEVELS if (_folder() / lvl / f"{district_code}.geojson").is_file()
    ]


def boundary_path(district_code: str, level: str) -> Path:
    """Path of the shipped GeoJSON for ``district_code`` at ``level``.

    Raises :class:`GeographyError` for an unknown level or a file that is not shipped.
    """
    if level not in BOUNDARY_LEVELS:
        raise GeographyError(
            f"unknown boundary level {level!r}; choose from {list(BOUNDARY_LEVELS)}"
        )
    path = _folder() / level / f"{district_code}.geojson"
    if not path.is_file():
        have = shipped_boundaries(district_code)
        raise GeographyError(
            f"{level} boundaries for district {district_code} are not shipped with sia "
            f"(shipped for it: {have or 'none'}); see sia/data/README.md"
        )
    return path

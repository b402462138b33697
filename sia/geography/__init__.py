"""The geography of one partnership: LSOAs, wards, places, population, deprivation.

Everything comes from the tables shipped in ``sia/data`` (see its ``README.md`` for the
sources, the licence and how derived values were made); nothing is fetched or read
from outside the package.

>>> from sia.config import load_partnership
>>> geo = Geography.for_partnership(load_partnership("kirklees"))
>>> len(geo.wards), geo.lsoa_index()["E01011004"]
(23, ('E05008558', 'Huddersfield'))

Areas form a tree: district > place > ward > LSOA. LSOAs come in two vintages, 2011 and
2021, both assigned to the 2024 wards by the ONS best-fit lookups (an LSOA belongs
wholly to the ward that holds most of its population). Ward, place and district
populations are sums of the published LSOA 2011 estimates through that lookup; they are
best-fit totals, not official ward estimates, and there are none after mid-2020.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from sia.config.schema import Partnership, slugify
from sia.geography.boundaries import BOUNDARY_LEVELS, CODE_PROPERTY, boundary_path
from sia.geography.errors import GeographyError
from sia.geography.lookups import (
    deprivation_table,
    lsoa_ward_table,
    population_table,
    shipped_districts,
)

__all__ = [
    "BOUNDARY_LEVELS",
    "CODE_PROPERTY",
    "METHOD_DISTRICT_SUM",
    "METHOD_WARD_SUM",
    "Geography",
    "GeographyError",
    "shipped_districts",
]

#: ``method`` of ward and place populations: LSOA 2011 estimates summed through the
#: best-fit LSOA -> ward lookup.
METHOD_WARD_SUM = "lsoa11-best-fit-sum"
#: ``method`` of district populations: every LSOA 2011 estimate of the district summed
#: (LSOAs nest exactly in districts, so this is the published district total).
METHOD_DISTRICT_SUM = "lsoa11-sum"

LSOA_COLUMNS = [
    "lsoa_code",
    "lsoa_name",
    "lsoa_vintage",
    "ward_code",
    "ward_name",
    "place",
    "district_code",
]
POPULATION_COLUMNS = ["area_type", "area_code", "lsoa_vintage", "year", "population", "method"]
WARD_COLUMNS = ["ward_code", "ward_name", "place", "population", "population_year"]
AREA_COLUMNS = ["area_type", "area_code", "area_name", "parent_code"]


class Geography:
    """The shipped geography of one partnership. Build it with :meth:`for_partnership`.

    The DataFrame attributes return copies, so callers may change them freely.
    """

    def __init__(self, partnership: Partnership, lsoas: pd.DataFrame):
        self.partnership = partnership
        self.district_code = partnership.district.code
        self._lsoas = lsoas
        self._population = self._build_population()
        self._wards = self._build_wards()
        self._deprivation = self._build_deprivation()
        self._areas = self._build_areas()
        self._index = {
            r.lsoa_code: (_none(r.ward_code), _none(r.place)) for r in lsoas.itertuples(index=False)
        }

    # -- construction ----------------------------------------------------------------------
    @classmethod
    def for_partnership(cls, partnership: Partnership) -> Geography:
        """The geography of ``partnership``, checked against the shipped lookup.

        Raises :class:`GeographyError` if no geography is shipped for its district, or if
        its wards and the wards of the shipped lookup differ (a config ward with no LSOA,
        or LSOAs assigned to a ward the config does not list). Every mismatch is named.
        """
        district = partnership.district
        table = lsoa_ward_table()
        mine = table[table["district_code"] == district.code]
        if mine.empty:
            raise GeographyError(
                f"no geography is shipped for district {district.code} ({district.name}); "
                f"shipped districts are {shipped_districts()}. "
                "Add it with scripts/build_geography_data.py --districts."
            )

        config_wards = {w.code: w.name for w in partnership.wards}
        lookup_wards = mine.dropna(subset=["ward_code"]).groupby("ward_code")
        problems = [
            f"ward {code} ({name}) is in the config, but no LSOA of {district.name} "
            f"({district.code}) is assigned to it in the shipped lookup"
            for code, name in config_wards.items()
            if code not in lookup_wards.groups
        ]
        for code, rows in lookup_wards:
            if code not in config_wards:
                examples = ", ".join(sorted(set(rows["lsoa_code"]))[:3])
                problems.append(
                    f"ward {code} ({rows['ward_name'].iloc[0]}) holds {len(rows)} LSOA row(s) "
                    f"in the shipped lookup (e.g. {examples}) but is not in the config's wards"
                )
        if problems:
            raise GeographyError(
                f"the wards of partnership {partnership.id!r} do not match the geography "
                f"shipped for {district.name} ({district.code})",
                problems,
            )

        place_of_ward = partnership.place_of_ward()
        lsoas = mine.assign(
            ward_name=mine["ward_code"].map(config_wards),
            place=mine["ward_code"].map(place_of_ward),
        )[LSOA_COLUMNS]
        lsoas = lsoas.sort_values(["lsoa_vintage", "lsoa_code"], ignore_index=True)
        return cls(partnership, lsoas)

    # -- public tables ---------------------------------------------------------------------
    @property
    def lsoas(self) -> pd.DataFrame:
        """Every LSOA of the district, both vintages, with ward, place and district.

        An LSOA the build could not place in a ward (none for the shipped districts) has
        a missing ``ward_code``, ``ward_name`` and ``place``.
        """
        return self._lsoas.copy()

    def lsoa_index(self) -> dict[str, tuple[str | None, str | None]]:
        """``lsoa_code -> (ward_code, place)`` for both vintages, for fast row lookup.

        An unchanged LSOA has the same code and the same ward in both vintages, so one
        entry serves both. Codes not in the dict are outside the district.
        """
        return dict(self._index)

    @property
    def wards(self) -> pd.DataFrame:
        """The config's wards, in config order, with place and latest population."""
        return self._wards.copy()

    @property
    def population(self) -> pd.DataFrame:
        """Population by area and year.

        ``area_type`` is ``lsoa`` (both vintages; ``method`` from the shipped table:
        ``published`` for 2011, ``unchanged``/``merged-sum``/``split-equal-share`` for the
        derived 2021 figures), ``ward`` and ``place`` (``lsoa11-best-fit-sum``) and
        ``district`` (``lsoa11-sum``). ``lsoa_vintage`` is missing for areas other than
        LSOAs. A ward, place or district total is given for a year only if every one of
        its 2011 LSOAs has an estimate for that year.
        """
        return self._population.copy()

    @property
    def deprivation(self) -> pd.DataFrame:
        """IMD 2019 (LSOA 2011) and IMD 2025 (LSOA 2021) for the district's LSOAs."""
        return self._deprivation.copy()

    @property
    def areas(self) -> pd.DataFrame:
        """District, places (code = place slug), wards and LSOAs with their parents.

        One row per area code: an LSOA present in both vintages appears once. Parents:
        a place's is the district, a ward's its place slug, an LSOA's its ward (or the
        district for an LSOA without a ward); the district has none.
        """
        return self._areas.copy()

    def boundary_path(self, level: str) -> Path:
        """The shipped GeoJSON for this district at ``level`` (``ward``, ``lsoa11``,
        ``lsoa21``); raises :class:`GeographyError` if it is not shipped."""
        return boundary_path(self.district_code, level)

    def place_code(self, place: str) -> str:
        """The code used for a place in :attr:`areas` and :attr:`population` (its slug)."""
        return slugify(place)

    def __repr__(self) -> str:
        n = self._lsoas.groupby("lsoa_vintage").size().to_dict()
        return (
            f"Geography({self.partnership.id!r}, district={self.district_code}, "
            f"wards={len(self._wards)}, lsoa11={n.get(2011, 0)}, lsoa21={n.get(2021, 0)})"
        )

    # -- builders --------------------------------------------------------------------------
    def _build_population(self) -> pd.DataFrame:
        lsoas = self._lsoas
        pop = population_table().merge(
            lsoas[["lsoa_code", "lsoa_vintage", "ward_code", "place"]],
            on=["lsoa_code", "lsoa_vintage"],
            how="inner",
        )
        frames = [
            pop.assign(area_type="lsoa", area_code=pop["lsoa_code"]),
        ]

        lsoa11 = lsoas[lsoas["lsoa_vintage"] == 2011]
        pop11 = pop[pop["lsoa_vintage"] == 2011]
        groupings = [
            ("ward", lsoa11["ward_code"], pop11["ward_code"], METHOD_WARD_SUM),
            ("place", lsoa11["place"].map(_slug), pop11["place"].map(_slug), METHOD_WARD_SUM),
            (
                "district",
                pd.Series(self.district_code, index=lsoa11.index),
                pd.Series(self.district_code, index=pop11.index),
                METHOD_DISTRICT_SUM,
            ),
        ]
        for area_type, key_all, key_pop, method in groupings:
            expected = key_all.value_counts()
            sums = (
                pop11.assign(area_code=key_pop)
                .dropna(subset=["area_code"])
                .groupby(["area_code", "year"])["population"]
                .agg(["sum", "size"])
                .reset_index()
            )
            # Only complete totals: a year where some LSOA of the area has no estimate
            # is left out rather than understated.
            sums = sums[sums["size"] == sums["area_code"].map(expected)]
            frames.append(
                sums.rename(columns={"sum": "population"}).assign(
                    area_type=area_type, lsoa_vintage=pd.NA, method=method
                )
            )
        out = pd.concat([f[POPULATION_COLUMNS] for f in frames], ignore_index=True)
        order = {"district": 0, "place": 1, "ward": 2, "lsoa": 3}
        out = out.astype(
            {"area_code": "str", "lsoa_vintage": "Int64", "year": "int64", "population": "int64"}
        )
        out = out.sort_values(
            ["area_type", "lsoa_vintage", "area_code", "year"],
            key=lambda s: s.map(order) if s.name == "area_type" else s,
            ignore_index=True,
        )
        return out

    def _build_wards(self) -> pd.DataFrame:
        pop = self._population
        ward_pop = pop[pop["area_type"] == "ward"]
        latest = ward_pop.sort_values("year").groupby("area_code").tail(1).set_index("area_code")
        place_of_ward = self.partnership.place_of_ward()
        rows = [
            {
                "ward_code": w.code,
                "ward_name": w.name,
                "place": place_of_ward[w.code],
                "population": latest["population"].get(w.code),
                "population_year": latest["year"].get(w.code),
            }
            for w in self.partnership.wards
        ]
        return pd.DataFrame(rows, columns=WARD_COLUMNS).astype(
            {"population": "Int64", "population_year": "Int64"}
        )

    def _build_deprivation(self) -> pd.DataFrame:
        table = deprivation_table()
        keys = self._lsoas[["lsoa_code", "lsoa_vintage"]]
        out = table.merge(keys, on=["lsoa_code", "lsoa_vintage"], how="inner")
        return out.sort_values(["imd_year", "lsoa_code"], ignore_index=True)

    def _build_areas(self) -> pd.DataFrame:
        p = self.partnership
        rows = [("district", p.district.code, p.district.name, None)]
        rows += [("place", _slug(pl.name), pl.name, p.district.code) for pl in p.places]
        place_of_ward = p.place_of_ward()
        rows += [("ward", w.code, w.name, _slug(place_of_ward[w.code])) for w in p.wards]
        # 2021 first, so a code in both vintages keeps its current name (they are equal
        # for unchanged LSOAs, which are the only codes in both).
        lsoas = self._lsoas.sort_values(["lsoa_vintage", "lsoa_code"], ascending=[False, True])
        lsoas = lsoas.drop_duplicates("lsoa_code").sort_values("lsoa_code")
        rows += [
            ("lsoa", r.lsoa_code, r.lsoa_name, _none(r.ward_code) or p.district.code)
            for r in lsoas.itertuples(index=False)
        ]
        return pd.DataFrame(rows, columns=AREA_COLUMNS)


def _none(value: object) -> str | None:
    """A missing value as ``None``, anything else as itself."""
    return None if value is None or (not isinstance(value, str) and pd.isna(value)) else value


def _slug(place: object) -> str | None:
    place = _none(place)
    return slugify(place) if place is not None else None

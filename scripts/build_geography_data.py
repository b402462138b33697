"""Build the geography data shipped in ``sia/data`` from the shared test data.

A maintainer script: run it once when the source data change, review the diff, commit
the output. The package itself never reads the shared data folder; it reads only what
this script writes into ``sia/data``.

    python scripts/build_geography_data.py [SOURCE_DIR] [--districts E08000034 E09000001]

SOURCE_DIR defaults to ``../shared/data`` relative to the repository root. It must hold
the files described in its ``PROVENANCE.md``; each file used is checked against
``SHA256SUMS`` first (skip with ``--no-verify``).

Writes:

* ``sia/data/geography/lsoa_ward.csv``   LSOA (2011 and 2021) -> ward (2024) -> district
* ``sia/data/geography/population.csv``  LSOA mid-2019 and mid-2020 population
* ``sia/data/geography/deprivation.csv`` IMD 2019 (LSOA 2011) and IMD 2025 (LSOA 2021)
* ``sia/data/boundaries/<level>/<district>.geojson`` copied byte for byte
* ``sia/data/README.md``                 what each file is, sources, licence, gaps

Nothing is invented: a value the sources lack is left blank or omitted, and the README
says so.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import shutil
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from shared_data import read, verify

REPO = Path(__file__).resolve().parents[1]
DATA_OUT = REPO / "sia" / "data"
GEO_OUT = DATA_OUT / "geography"
BOUNDARY_OUT = DATA_OUT / "boundaries"

DEFAULT_DISTRICTS = ("E08000034", "E09000001")
POPULATION_YEARS = (2019, 2020)

# Source files (relative to SOURCE_DIR), with where they came from (PROVENANCE.md).
LOOKUP_21 = "ons_lookups/lookup_lsoa21_ward24_ltla24.csv"
LOOKUP_11_21 = "ons_lookups/lookup_lsoa11_lsoa21_ltla22.csv"
LOOKUP_11_WD19 = "ons_lookups/LSOA11_WD19_LAD19_EW_LU.csv"
POPULATION = {
    2019: "population/population19_lsoa11_totals_EW.csv",
    2020: "population/population20_lsoa11_totals_EW.csv",
}
IMD19_FILE1 = "imd2019/File_1_-_IMD2019_Index_of_Multiple_Deprivation.csv.gz"
IMD19_FILE2 = "imd2019/File_2_-_IoD2019_Domains_of_Deprivation.csv.gz"
IMD19_SCORES = "imd2019/mysociety_composite/UK_IMD_E.csv"
IMD25 = "imd2025/imd2025_england_lsoa21.csv"

SOURCES: dict[str, tuple[str, str, str]] = {
    LOOKUP_21: (
        "humaniverse/geographr",
        "data/lookup_lsoa21_ward24_ltla24.rda",
        "484d32b89ba6b8df291eade9b19b5f28da981467",
    ),
    LOOKUP_11_21: (
        "humaniverse/geographr",
        "data/lookup_lsoa11_lsoa21_ltla22.rda",
        "0470ab979ec56c0ad30e72c09b8091312d9b5f22",
    ),
    LOOKUP_11_WD19: (
        "jtrim-ons/ons-lookups",
        "csv/135.csv",
        "e01854390e5a365d04ba5eff46246e42b320e2cf",
    ),
    POPULATION[2019]: (
        "humaniverse/demographr",
        "data/population19_lsoa11.rda",
        "c6210a3a68721dd81fbed0fa05baa1cd637ebd02",
    ),
    POPULATION[2020]: (
        "humaniverse/demographr",
        "data/population20_lsoa11.rda",
        "c6210a3a68721dd81fbed0fa05baa1cd637ebd02",
    ),
    IMD19_FILE1: (
        "anetobradley/energy_flex",
        "02-EnergyModel/Energy_Intensity_Analysis/data/imd/"
        "File_1_-_IMD2019_Index_of_Multiple_Deprivation.csv.gz",
        "9ed0574760bbe6fa7ac41205d9bef62fe83feb48",
    ),
    IMD19_FILE2: (
        "anetobradley/energy_flex",
        "02-EnergyModel/Energy_Intensity_Analysis/data/imd/"
        "File_2_-_IoD2019_Domains_of_Deprivation.csv.gz",
        "f0b011f0584411df8f64fb06fea7fa0cd2fa4b71",
    ),
    IMD19_SCORES: (
        "mysociety/composite_uk_imd",
        "data/packages/uk_index/UK_IMD_E.csv",
        "188c12c5e74358bc49ba367aabc71ff13b0ef9ef",
    ),
    IMD25: (
        "humaniverse/IMD",
        "data/imd2025_england_lsoa21.rda",
        "a9cf28d4848c1a5f7928bfef6877e1654ae7edd7",
    ),
}
BOUNDARY_REPO = ("drkane/geo-lookups", "e20a072d5fc0918437abaa3622be63f40b71d9dd")

# Shipped boundary level -> folder in SOURCE_DIR/boundaries (and in drkane/geo-lookups).
BOUNDARY_LEVELS = {"ward": "ward", "lsoa11": "lsoa11", "lsoa21": "lsoa"}
BOUNDARY_DESCRIPTION = {
    "ward": "Electoral wards, May 2025 (properties WD25CD, WD25NM, LAD25CD)",
    "lsoa11": "LSOA 2011 (properties LSOA11CD, LSOA11NM, centroid LONG/LAT)",
    "lsoa21": "LSOA 2021 (properties LSOA21CD, LSOA21NM)",
}


@dataclass
class Report:
    """What the build found that a reader of the data should know."""

    unassigned: list[tuple[str, str, str]] = field(default_factory=list)  # code, district, why
    fallback_wd19: list[tuple[str, str]] = field(default_factory=list)  # lsoa11, ward
    population_missing: list[tuple[str, int, str]] = field(default_factory=list)
    deprivation_missing: list[tuple[str, int]] = field(default_factory=list)
    boundaries_missing: list[tuple[str, str]] = field(default_factory=list)  # level, district
    wd19_differs: list[tuple[str, str, str, str]] = field(default_factory=list)
    ward_file_features: dict[str, tuple[int, int]] = field(default_factory=dict)
    district_names: dict[str, str] = field(default_factory=dict)


# -- reading --------------------------------------------------------------------------------


def column(df: pd.DataFrame, starts: str) -> str:
    """The one column whose name starts with ``starts`` (the IoD files have long names)."""
    matches = [c for c in df.columns if c.startswith(starts)]
    if len(matches) != 1:
        raise SystemExit(f"expected one column starting {starts!r}, found {matches}")
    return matches[0]


# -- lookups --------------------------------------------------------------------------------


def build_lsoa_ward(source: Path, districts: tuple[str, ...], report: Report) -> pd.DataFrame:
    l21 = read(source, LOOKUP_21)
    l1121 = read(source, LOOKUP_11_21)
    l11 = read(source, LOOKUP_11_WD19)

    l21 = l21[l21["ltla24_code"].isin(districts)]
    ward_of_21 = dict(zip(l21["lsoa21_code"], l21["ward24_code"], strict=True))
    ward_name = dict(zip(l21["ward24_code"], l21["ward24_name"], strict=False))
    district_of_ward = dict(zip(l21["ward24_code"], l21["ltla24_code"], strict=False))
    report.district_names.update(zip(l21["ltla24_code"], l21["ltla24_name"], strict=False))

    rows = [
        {
            "lsoa_code": r.lsoa21_code,
            "lsoa_name": r.lsoa21_name,
            "lsoa_vintage": 2021,
            "ward_code": r.ward24_code,
            "ward_name": r.ward24_name,
            "district_code": r.ltla24_code,
        }
        for r in l21.itertuples()
    ]

    # 2011 LSOAs of these districts: by the 2011->2021 lookup (LAD 2022) or the 2019 ward
    # lookup (LAD 2019). The two agree for the shipped districts; the union guards the rest.
    in_districts = set(l1121.loc[l1121["ltla22_code"].isin(districts), "lsoa11_code"]) | set(
        l11.loc[l11["LAD19CD"].isin(districts), "LSOA11CD"]
    )
    changes = l1121[l1121["lsoa11_code"].isin(in_districts)]
    wd19 = l11.set_index("LSOA11CD")
    names11 = dict(zip(changes["lsoa11_code"], changes["lsoa11_name"], strict=False))
    names11.update(
        (c, wd19.at[c, "LSOA11NM"]) for c in in_districts if c not in names11 and c in wd19.index
    )
    district_of_11 = {c: wd19.at[c, "LAD19CD"] for c in in_districts if c in wd19.index}
    district_of_11.update(zip(changes["lsoa11_code"], changes["ltla22_code"], strict=False))

    by_code = changes.groupby("lsoa11_code")
    for code in sorted(in_districts):
        ward, why = None, ""
        if code in by_code.groups:
            parts = by_code.get_group(code)
            kinds = set(parts["change_code"])
            wards = {ward_of_21.get(c) for c in parts["lsoa21_code"]}
            if kinds <= {"U", "S", "M"} and len(wards) == 1 and None not in wards:
                ward = wards.pop()
            elif "X" in kinds:
                why = "change code X (irregular boundary change)"
            elif None in wards:
                why = "its 2021 LSOA(s) are outside the shipped districts"
            else:
                why = f"split between wards {sorted(wards)}"
        else:
            why = "not in the LSOA 2011 -> 2021 lookup"
        if ward is not None and code in wd19.index and wd19.at[code, "WD19CD"] != ward:
            report.wd19_differs.append(
                (code, wd19.at[code, "WD19CD"], wd19.at[code, "WD19NM"], ward_name[ward])
            )
        if ward is None:
            fallback = wd19.at[code, "WD19CD"] if code in wd19.index else None
            if fallback in ward_name:
                ward = fallback
                report.fallback_wd19.append((code, fallback))
            else:
                report.unassigned.append((code, district_of_11.get(code, ""), why))
        rows.append(
            {
                "lsoa_code": code,
                "lsoa_name": names11.get(code, ""),
                "lsoa_vintage": 2011,
                "ward_code": ward or "",
                "ward_name": ward_name.get(ward, "") if ward else "",
                "district_code": district_of_ward.get(ward, district_of_11.get(code, "")),
            }
        )
    out = pd.DataFrame(rows)
    return out.sort_values(["district_code", "lsoa_vintage", "lsoa_code"], ignore_index=True)


# -- population -----------------------------------------------------------------------------


def equal_shares(total: int, n: int) -> list[int]:
    """``total`` shared between ``n`` parts as equally as whole persons allow.

    Each part gets ``total // n``; the remainder goes one each to the first parts (in
    LSOA code order), so the parts always add back to ``total``.
    """
    base, rest = divmod(total, n)
    return [base + (1 if i < rest else 0) for i in range(n)]


def build_population(source: Path, lsoa_ward: pd.DataFrame, report: Report) -> pd.DataFrame:
    lsoa11 = set(lsoa_ward.loc[lsoa_ward["lsoa_vintage"] == 2011, "lsoa_code"])
    lsoa21 = sorted(lsoa_ward.loc[lsoa_ward["lsoa_vintage"] == 2021, "lsoa_code"])
    changes = read(source, LOOKUP_11_21)
    changes = changes[changes["lsoa21_code"].isin(lsoa21) | changes["lsoa11_code"].isin(lsoa11)]
    parts_of_11 = changes.groupby("lsoa11_code")["lsoa21_code"].apply(sorted).to_dict()
    rows_of_21 = {code: g for code, g in changes.groupby("lsoa21_code")}

    rows = []
    for year, rel in POPULATION.items():
        pop = read(source, rel)
        value = {
            c: int(v) for c, v in zip(pop["lsoa11_code"], pop["total_population"], strict=True)
        }
        for code in sorted(lsoa11):
            if code in value:
                rows.append((code, 2011, year, value[code], "published"))
            else:
                report.population_missing.append((code, year, "not in the published file"))
        for code in lsoa21:
            g = rows_of_21.get(code)
            if g is None:
                report.population_missing.append((code, year, "not in the 2011->2021 lookup"))
                continue
            kinds = set(g["change_code"])
            olds = sorted(g["lsoa11_code"])
            if any(o not in value for o in olds):
                report.population_missing.append((code, year, "a 2011 LSOA has no estimate"))
            elif kinds == {"U"} and olds == [code]:
                rows.append((code, 2021, year, value[code], "unchanged"))
            elif kinds == {"M"}:
                rows.append((code, 2021, year, sum(value[o] for o in olds), "merged-sum"))
            elif kinds == {"S"} and len(olds) == 1:
                parts = parts_of_11[olds[0]]
                share = equal_shares(value[olds[0]], len(parts))[parts.index(code)]
                rows.append((code, 2021, year, share, "split-equal-share"))
            else:
                report.population_missing.append(
                    (code, year, f"change code(s) {sorted(kinds)} from {olds}")
                )
    out = pd.DataFrame(rows, columns=["lsoa_code", "lsoa_vintage", "year", "population", "method"])
    return out.sort_values(["lsoa_vintage", "lsoa_code", "year"], ignore_index=True)


# -- deprivation ----------------------------------------------------------------------------


def build_deprivation(source: Path, lsoa_ward: pd.DataFrame, report: Report) -> pd.DataFrame:
    lsoa11 = sorted(lsoa_ward.loc[lsoa_ward["lsoa_vintage"] == 2011, "lsoa_code"])
    lsoa21 = sorted(lsoa_ward.loc[lsoa_ward["lsoa_vintage"] == 2021, "lsoa_code"])

    f1 = read(source, IMD19_FILE1)
    f1 = f1.set_index(column(f1, "LSOA code"))
    f2 = read(source, IMD19_FILE2)
    f2 = f2.set_index(column(f2, "LSOA code"))
    scores = read(source, IMD19_SCORES)
    scores = scores[scores["nation"] == "E"].set_index("lsoa")
    imd_rank, imd_decile = (
        column(f1, "Index of Multiple Deprivation (IMD) Rank"),
        column(f1, "Index of Multiple Deprivation (IMD) Decile"),
    )
    f2_rank = column(f2, "Index of Multiple Deprivation (IMD) Rank")
    crime_rank, crime_decile = column(f2, "Crime Rank"), column(f2, "Crime Decile")

    rows = []
    for code in lsoa11:
        if code not in f1.index or code not in f2.index or code not in scores.index:
            report.deprivation_missing.append((code, 2019))
            continue
        rank = f1.at[code, imd_rank].replace(",", "")
        decile = f1.at[code, imd_decile]
        # The three files must tell the same story before their columns are combined.
        if rank != f2.at[code, f2_rank] or decile != scores.at[code, "original_decile"]:
            raise SystemExit(f"{code}: IMD 2019 rank/decile disagree between source files")
        rows.append(
            {
                "lsoa_code": code,
                "lsoa_vintage": 2011,
                "imd_year": 2019,
                "imd_score": scores.at[code, "overall_local_score"],
                "imd_rank": rank,
                "imd_decile": decile,
                "crime_score": "",
                "crime_rank": f2.at[code, crime_rank],
                "crime_decile": f2.at[code, crime_decile],
            }
        )

    i25 = read(source, IMD25).set_index("lsoa21_code")
    for code in lsoa21:
        if code not in i25.index:
            report.deprivation_missing.append((code, 2025))
            continue
        r = i25.loc[code]
        rows.append(
            {
                "lsoa_code": code,
                "lsoa_vintage": 2021,
                "imd_year": 2025,
                "imd_score": r["IMD_score"],
                "imd_rank": r["IMD_rank"],
                "imd_decile": r["IMD_decile"],
                "crime_score": r["Crime_score"],
                "crime_rank": r["Crime_rank"],
                "crime_decile": r["Crime_decile"],
            }
        )
    return pd.DataFrame(rows).sort_values(["imd_year", "lsoa_code"], ignore_index=True)


# -- boundaries -----------------------------------------------------------------------------


def copy_boundaries(
    source: Path, lsoa_ward: pd.DataFrame, districts: tuple[str, ...], report: Report, check: bool
) -> list[tuple[str, str, Path, Path]]:
    copied = []
    if BOUNDARY_OUT.exists():
        shutil.rmtree(BOUNDARY_OUT)
    for level, folder in BOUNDARY_LEVELS.items():
        for district in districts:
            found = sorted((source / "boundaries" / folder).glob(f"{district}_*.geojson"))
            if not found:
                report.boundaries_missing.append((level, district))
                continue
            (src,) = found
            if check:
                verify(source, [str(src.relative_to(source))])
            dest = BOUNDARY_OUT / level / f"{district}.geojson"
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, dest)
            copied.append((level, district, src.relative_to(source), dest))
            if level == "ward":
                features = json.loads(dest.read_text(encoding="utf-8"))["features"]
                codes = {f["properties"]["WD25CD"] for f in features}
                wards = set(lsoa_ward.loc[lsoa_ward["district_code"] == district, "ward_code"])
                report.ward_file_features[district] = (len(codes), len(codes & wards))
    return copied


# -- writing --------------------------------------------------------------------------------


def write_csv(df: pd.DataFrame, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    buf = io.StringIO()
    df.to_csv(buf, index=False, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    path.write_text(buf.getvalue(), encoding="utf-8")


def readme(
    districts: tuple[str, ...],
    lsoa_ward: pd.DataFrame,
    population: pd.DataFrame,
    deprivation: pd.DataFrame,
    copied: list[tuple[str, str, Path, Path]],
    report: Report,
) -> str:
    def src(rel: str) -> str:
        repo, path, commit = SOURCES[rel]
        return f"`{repo}` : `{path}` @ `{commit}`"

    counts = (
        lsoa_ward.groupby(["district_code", "lsoa_vintage"])
        .agg(lsoas=("lsoa_code", "size"), wards=("ward_code", lambda s: s[s != ""].nunique()))
        .reset_index()
    )
    count_lines = "\n".join(
        f"| {r.district_code} | {r.lsoa_vintage} | {r.lsoas} | {r.wards} |"
        for r in counts.itertuples()
    )
    methods = population.groupby(["lsoa_vintage", "method"]).size().reset_index(name="n")
    method_lines = "\n".join(
        f"| {r.lsoa_vintage} | `{r.method}` | {r.n} |" for r in methods.itertuples()
    )
    split = population[population["method"] == "split-equal-share"]
    merged = population[population["method"] == "merged-sum"]
    boundary_lines = "\n".join(
        f"| `boundaries/{dest.relative_to(BOUNDARY_OUT).as_posix()}` "
        f"| {BOUNDARY_DESCRIPTION[level]} | `{src_rel.as_posix()}` | {dest.stat().st_size:,} | "
        f"`{hashlib.sha256(dest.read_bytes()).hexdigest()[:16]}…` |"
        for level, _district, src_rel, dest in copied
    )

    missing: list[str] = []
    for level, district in report.boundaries_missing:
        missing.append(
            f"- No {level} boundaries for {report.district_names.get(district, district)} "
            f"({district}): the source data hold none "
            f"(`boundaries/{BOUNDARY_LEVELS[level]}/` has no file for it)."
        )
    missing.append(
        "- No IMD 2019 crime-domain **score**: IoD2019 File 2 gives only ranks and deciles "
        "and no score file for the domains was found. `crime_score` is blank for 2019."
    )
    missing.append(
        "- No population after mid-2020, and no published estimate for LSOA 2021 at all: "
        "the 2021 figures here are derived (see above). No published ward, place or "
        "district population file is shipped; `sia.geography` sums LSOA 2011 populations "
        "through the best-fit lookup."
    )
    if report.unassigned:
        missing.append("- LSOA 2011 with no ward (left blank in `lsoa_ward.csv`):")
        missing += [f"  - {c} ({d}): {why}" for c, d, why in report.unassigned]
    else:
        missing.append("- Every LSOA (2011 and 2021) of the shipped districts has a ward.")
    if report.population_missing:
        missing.append("- Population not derived (omitted from `population.csv`):")
        missing += [f"  - {c}, mid-{y}: {why}" for c, y, why in report.population_missing]
    if report.deprivation_missing:
        missing.append("- Deprivation not found (omitted from `deprivation.csv`):")
        missing += [f"  - {c}, IMD {y}" for c, y in report.deprivation_missing]
    fallback = (
        "\n".join(f"  - {c} -> {w}" for c, w in report.fallback_wd19)
        if report.fallback_wd19
        else "  - no LSOA (it was not needed for the shipped districts)."
    )
    boundary_repo, boundary_commit = BOUNDARY_REPO
    if report.wd19_differs:
        wd19_note = (
            "  The 2019 best-fit lookup puts these 2011 LSOAs in a different ward from the one\n"
            "  derived here (2019 ward -> ward used):\n"
            + "\n".join(
                f"  - {c}: {w19} {n19} -> {n24}" for c, w19, n19, n24 in report.wd19_differs
            )
        )
    else:
        wd19_note = "  Every derived ward equals the ward of the 2019 best-fit lookup."
    ward_file_note = "\n".join(
        f"The ward boundary file for {report.district_names.get(d, d)} holds {n} wards, "
        f"{k} of which hold an LSOA under the best-fit lookup; small-area figures exist "
        f"only for those {k}, and each of them stands for whole LSOAs that reach into "
        "neighbouring wards (a best-fit assignment, not a split by area)."
        for d, (n, k) in report.ward_file_features.items()
        if n != k
    )

    return f"""# Data shipped with sia

Everything in this folder is **generated** from the project's shared test data
(`shared/data`, see its `PROVENANCE.md`): `geography/` and `boundaries/` (described here) by
`scripts/build_geography_data.py`, `offences/` by `scripts/build_offence_data.py` and
`demo/` by `scripts/build_demo_data.py` (each with its own README). Do not edit them by
hand: change the script and run it again. The package reads only these files at run
time, never the shared data folder.

Districts shipped: {", ".join(f"{report.district_names.get(d, d)} ({d})" for d in districts)}.
Only rows for these local authorities were copied.

## Licence and attribution

All the data here are Crown copyright, published under the
[Open Government Licence v3.0](https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/)
(OGL v3.0), except that the IMD 2019 scores come through mySociety's composite UK IMD,
whose packaging is CC-BY-4.0 (mySociety) over OGL v3.0 data. Any reuse must carry:

> Contains public sector information licensed under the Open Government Licence v3.0.
>
> Source: Office for National Statistics licensed under the Open Government Licence v3.0.
>
> Contains OS data © Crown copyright and database right.
>
> IMD 2019 scores: mySociety composite UK IMD (CC BY 4.0), derived from English Indices
> of Deprivation 2019 (MHCLG, OGL v3.0).

The same text is in `NOTICE` at the root of the repository.

## Files

### `geography/lsoa_ward.csv`

Columns `lsoa_code, lsoa_name, lsoa_vintage, ward_code, ward_name, district_code`:
every LSOA of the shipped districts in both vintages (2011 and 2021), with its best-fit
electoral ward (2024 codes) and local authority district (2024).

- **LSOA 2021** rows are copied from the ONS best-fit lookup LSOA 2021 -> ward 2024 ->
  LAD 2024, {src(LOOKUP_21)}.
- **LSOA 2011** rows are derived: each 2011 LSOA is followed through the ONS
  LSOA 2011 -> LSOA 2021 lookup ({src(LOOKUP_11_21)}) to its 2021 LSOA(s), and takes
  the ward of those in the 2021 lookup above. Change codes U (unchanged), S (split) and
  M (merged) are followed. For a split 2011 LSOA whose 2021 parts fall in different
  wards, or for change code X, the ward of the ONS best-fit lookup LSOA 2011 -> ward
  2019 ({src(LOOKUP_11_WD19)}) is used if, and only if, that ward code is one of the
  2024 wards; otherwise the ward is left blank. The fallback was used for:

{fallback}

{wd19_note}

| district | vintage | LSOAs | wards |
|---|---|---|---|
{count_lines}

{ward_file_note}

### `geography/population.csv`

Columns `lsoa_code, lsoa_vintage, year, population, method`: total persons at mid-2019
and mid-2020.

- LSOA 2011 (`method = published`): ONS small-area population estimates as published,
  mid-2019 (SAPE22DT2) from {src(POPULATION[2019])} and mid-2020 (SAPE23DT2) from
  {src(POPULATION[2020])}.
- LSOA 2021 (**derived**; no published estimate for 2021 LSOAs was available):
  - `unchanged`: the 2011 LSOA is the same area (change code U), same value;
  - `merged-sum`: the 2021 LSOA is a merger (M) of 2011 LSOAs, sum of their values;
  - `split-equal-share`: the 2021 LSOA is one of the parts of a split (S) 2011 LSOA. The
    2011 value is shared **equally** between the parts, in whole persons: each part gets
    the value divided by the number of parts, rounded down, and any remainder goes one
    person each to the first parts in code order, so the parts add up to the 2011 value.
    This is an approximation: the real split follows where people live, which the data
    here do not show. Affected rows: {len(split)} ({", ".join(sorted(set(split["lsoa_code"])))}).
  - anything else (change code X, or a 2011 LSOA without an estimate) is omitted and
    listed below under *What is missing*.

  Because splits and merges only reallocate whole 2011 values, the 2021 total of a
  district equals its 2011 total for the same year. Merged rows: {len(merged)}
  ({", ".join(sorted(set(merged["lsoa_code"])))}).

| vintage | method | rows |
|---|---|---|
{method_lines}

### `geography/deprivation.csv`

Columns `lsoa_code, lsoa_vintage, imd_year, imd_score, imd_rank, imd_decile,
crime_score, crime_rank, crime_decile`. Rank 1 and decile 1 are the most deprived.
Values are copied as written in the sources (ranks without thousands separators).

- **IMD 2019** (LSOA 2011, ranks of 32,844 LSOAs in England):
  - `imd_rank`, `imd_decile` from IoD2019 File 1, {src(IMD19_FILE1)};
  - `crime_rank`, `crime_decile` from IoD2019 File 2, {src(IMD19_FILE2)};
  - `imd_score` = `overall_local_score` of the rows with `nation = E` in
    {src(IMD19_SCORES)}; for England this is the official IMD 2019 score (3 decimal
    places, as MHCLG publishes it);
  - `crime_score` is blank: it is not in the data.
  - The build checks that File 1 and File 2 ranks and the mySociety `original_decile`
    agree for every row.
- **IMD 2025** (LSOA 2021, ranks of 33,755 LSOAs in England): `IMD_score`, `IMD_rank`,
  `IMD_decile`, `Crime_score`, `Crime_rank`, `Crime_decile` from
  {src(IMD25)} (MHCLG IoD2025 File 7, released 30 October 2025).

IMD 2019 and IMD 2025 ranks are on different LSOA sets and are not directly comparable.

### `boundaries/<level>/<district>.geojson`

Copied byte for byte (GeoJSON, WGS84 longitude/latitude) from
`boundaries/<folder>/<district>_<Name>.geojson` in the shared data, which came from
`{boundary_repo}` : `boundaries/<folder>/<district>.geojson` @ `{boundary_commit}`
(ONS Open Geography Portal boundaries). Level `lsoa21` is that repository's folder
`lsoa`.

| file | what | source | bytes | sha256 |
|---|---|---|---|---|
{boundary_lines}

## What is missing

{chr(10).join(missing)}
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "source",
        nargs="?",
        type=Path,
        default=REPO.parent / "shared" / "data",
        help="the shared data folder (default: ../shared/data next to the repository)",
    )
    parser.add_argument("--districts", nargs="+", default=list(DEFAULT_DISTRICTS))
    parser.add_argument("--no-verify", action="store_true", help="skip the SHA256SUMS check")
    args = parser.parse_args(argv)
    source: Path = args.source.resolve()
    districts = tuple(args.districts)
    if not (source / "PROVENANCE.md").is_file():
        parser.error(f"{source} does not look like the shared data folder (no PROVENANCE.md)")
    if not args.no_verify:
        verify(source, list(SOURCES))

    report = Report()
    lsoa_ward = build_lsoa_ward(source, districts, report)
    population = build_population(source, lsoa_ward, report)
    deprivation = build_deprivation(source, lsoa_ward, report)
    copied = copy_boundaries(source, lsoa_ward, districts, report, check=not args.no_verify)

    write_csv(lsoa_ward, GEO_OUT / "lsoa_ward.csv")
    write_csv(population, GEO_OUT / "population.csv")
    write_csv(deprivation, GEO_OUT / "deprivation.csv")
    (DATA_OUT / "README.md").write_text(
        readme(districts, lsoa_ward, population, deprivation, copied, report), encoding="utf-8"
    )

    # -- report -------------------------------------------------------------------------
    print(f"source: {source}")
    for district in districts:
        d = lsoa_ward[lsoa_ward["district_code"] == district]
        n = d.groupby("lsoa_vintage").size().to_dict()
        wards = d.loc[d["ward_code"] != "", "ward_code"].nunique()
        print(f"{district}: LSOA 2011 {n.get(2011, 0)}, LSOA 2021 {n.get(2021, 0)}, wards {wards}")
    totals: dict[tuple[int, int], int] = defaultdict(int)
    for r in population.itertuples():
        totals[(r.lsoa_vintage, r.year)] += r.population
    print("population totals (vintage, year):", dict(sorted(totals.items())))
    for code, district, why in report.unassigned:
        print(f"UNASSIGNED {code} ({district}): {why}")
    for code, year, why in report.population_missing:
        print(f"NO POPULATION {code} mid-{year}: {why}")
    for code, year in report.deprivation_missing:
        print(f"NO DEPRIVATION {code} IMD {year}")
    for level, district in report.boundaries_missing:
        print(f"NO BOUNDARY {level} for {district}")
    for path in sorted(GEO_OUT.glob("*.csv")) + sorted(BOUNDARY_OUT.rglob("*.geojson")):
        print(f"{path.relative_to(REPO)}: {path.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

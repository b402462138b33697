"""Build the real data the Kirklees demo pack starts from, in ``sia/data/demo``.

A maintainer script: run it once when the source data change, review the diff, commit
the output. The demo generator (:mod:`sia.demo.events`) reads only what this script
writes; it never reads the shared data folder.

    python scripts/build_demo_data.py [SOURCE_DIR] [--no-verify]

SOURCE_DIR defaults to ``../shared/data`` relative to the repository root (see its
``PROVENANCE.md``). Each file used is checked against its ``SHA256SUMS`` first (skip with
``--no-verify``).

Writes (Kirklees rows only; values copied as written, nothing invented):

* ``sia/data/demo/lsoa_crime_rates.csv``   IoD2025 crime-domain indicator rates per LSOA
  2021 (violence with and without injury, stalking and harassment, burglary, theft,
  criminal damage, public order and weapons, anti-social behaviour)
* ``sia/data/demo/flytipping_kirklees.csv`` Defra ENV24 fly-tipping incidents for Kirklees,
  2012-13 to 2017-18: totals, land types, waste types and sizes
* ``sia/data/demo/neighbour_lsoas.csv``    the LSOAs (2021) of the other West Yorkshire
  districts whose centroids lie nearest Kirklees, with those centroids, for the few
  out-of-district rows a real force file holds
* ``sia/data/demo/stats19/{accidents,casualties,vehicles}.csv`` the DfT STATS19 2024 rows of
  the collisions in a Kirklees LSOA and of their casualties and vehicles, every line's bytes
  unchanged, in the source order
* ``sia/data/demo/README.md``              sources, licence and attribution
"""

from __future__ import annotations

import argparse
import csv
import io
import math
import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from shared_data import read, verify

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "sia" / "data" / "demo"
KIRKLEES = "E08000034"
#: The other districts of West Yorkshire Police (Bradford, Calderdale, Leeds, Wakefield).
NEIGHBOURS = {
    "E08000032": "Bradford",
    "E08000033": "Calderdale",
    "E08000035": "Leeds",
    "E08000036": "Wakefield",
}
NEIGHBOURS_PER_DISTRICT = 6

INDICATORS = "imd2025/imd2025_england_lsoa21_indicators.csv"
LOOKUP = "ons_lookups/lookup_lsoa21_ward24_ltla24.csv"
CENTROIDS = "boundaries/centroids/lsoa_latlong_EW.csv"
FLYTIPPING = "flytipping_defra/flytipping_LA_incidents_2012-13_to_2017-18.csv"
STATS19 = {
    "accidents.csv": "stats19_west_yorkshire_2024/accidents.csv",
    "casualties.csv": "stats19_west_yorkshire_2024/casualties.csv",
    "vehicles.csv": "stats19_west_yorkshire_2024/vehicles.csv",
}
SOURCES = [INDICATORS, LOOKUP, CENTROIDS, FLYTIPPING, *STATS19.values()]

#: IoD2025 indicator columns copied, and the short names the demo uses for them.
RATE_COLUMNS = {
    "violence_with_injury_rate_per_1_000_at_risk_population": "violence_with_injury",
    "violence_without_injury_rate_per_1_000_at_risk_population": "violence_without_injury",
    "stalking_and_harassment_rate_per_1_000_at_risk_population": "stalking_harassment",
    "burglary_rate_per_1_000_at_risk_properties": "burglary",
    "theft_rate_per_1_000_at_risk_population": "theft",
    "criminal_damage_rate_per_1_000_at_risk_population": "criminal_damage",
    "public_order_and_possession_of_weapons_rate_per_1_000_at_risk_population": (
        "public_order_weapons"
    ),
    "anti_social_behaviour_rate_per_1_000_at_risk_population": "anti_social_behaviour",
}
#: Defra columns copied (as headed in the source), and the short names used here.
FLYTIPPING_COLUMNS = {
    "Year": "year",
    "Total Incidents": "total",
    "Highway Incidents": "land_highway",
    "Footpath / Bridleway Incidents": "land_footpath_bridleway",
    "Back Alleyway Incidents": "land_back_alleyway",
    "Railway Incidents": "land_railway",
    "Council Land Incidents": "land_council",
    "Agricultural Incidents": "land_agricultural",
    "Private / Residential Incidents": "land_private_residential",
    "Commercial / Industrial Incidents": "land_commercial_industrial",
    "Watercourse / Bank Incidents": "land_watercourse_bank",
    "Other (unidentified) Incidents": "land_other",
    "Green Incidents": "waste_green",
    "Vehicle Parts Incidents": "waste_vehicle_parts",
    "White Goods Incidents": "waste_white_goods",
    "Other Electrical Incidents": "waste_other_electrical",
    "Tyres Incidents": "waste_tyres",
    "Asbestos Incidents": "waste_asbestos",
    "Constr / Demol / Excav Incidents": "waste_construction",
    "Black Bags - Commercial Incidents": "waste_black_bags_commercial",
    "Black Bags - Household Incidents": "waste_black_bags_household",
    "Other Household Waste Incidents": "waste_other_household",
    "Other Commercial Waste Incidents": "waste_other_commercial",
    "Single Black Bag Incidents": "size_single_black_bag",
    "Single Item Incidents": "size_single_item",
    "Car Boot or Less Incidents": "size_car_boot_or_less",
    "Small Van Load Incidents": "size_small_van_load",
    "Transit Van Load Incidents": "size_transit_van_load",
    "Tipper Lorry Load Incidents": "size_tipper_lorry_load",
    "Significant / Multi Loads Incidents": "size_significant_multi_loads",
}


def kirklees_lsoas(source: Path) -> pd.DataFrame:
    lookup = read(source, LOOKUP)
    return lookup[lookup["ltla24_code"] == KIRKLEES]


def build_rates(source: Path) -> pd.DataFrame:
    lsoas = kirklees_lsoas(source)
    indicators = read(source, INDICATORS)
    rows = indicators[indicators["lsoa21_code"].isin(lsoas["lsoa21_code"])]
    out = rows[["lsoa21_code", *RATE_COLUMNS]].rename(
        columns={"lsoa21_code": "lsoa_code", **RATE_COLUMNS}
    )
    out = out.sort_values("lsoa_code", ignore_index=True)
    if len(out) != len(lsoas):
        sys.exit(f"{len(lsoas)} Kirklees LSOAs but {len(out)} indicator rows")
    blank = (out == "").sum().sum()
    if blank:
        sys.exit(f"{blank} blank (suppressed) crime indicator values for Kirklees")
    return out


def build_flytipping(source: Path) -> pd.DataFrame:
    table = read(source, FLYTIPPING)
    rows = table[table["ONS Code"] == KIRKLEES]
    return rows[list(FLYTIPPING_COLUMNS)].rename(columns=FLYTIPPING_COLUMNS)


def build_neighbours(source: Path) -> pd.DataFrame:
    """The LSOAs of each neighbouring district nearest the Kirklees centroid cloud."""
    lookup = read(source, LOOKUP)
    centroids = read(source, CENTROIDS)
    centroids = centroids.drop_duplicates("LSOACD").set_index("LSOACD")
    kirklees = lookup[lookup["ltla24_code"] == KIRKLEES]["lsoa21_code"]
    k = centroids.loc[centroids.index.intersection(kirklees)]
    klon = k["longitude"].astype(float).to_numpy()
    klat = k["latitude"].astype(float).to_numpy()
    frames = []
    for code, name in NEIGHBOURS.items():
        rows = lookup[lookup["ltla24_code"] == code][["lsoa21_code", "lsoa21_name"]]
        rows = rows[rows["lsoa21_code"].isin(centroids.index)].copy()
        lon = centroids.loc[rows["lsoa21_code"], "longitude"].astype(float).to_numpy()
        lat = centroids.loc[rows["lsoa21_code"], "latitude"].astype(float).to_numpy()
        scale = math.cos(math.radians(53.65))
        dist = [
            min(((x - klon) * scale) ** 2 + (y - klat) ** 2) for x, y in zip(lon, lat, strict=True)
        ]
        rows["distance"] = dist
        rows["longitude"] = centroids.loc[rows["lsoa21_code"], "longitude"].to_numpy()
        rows["latitude"] = centroids.loc[rows["lsoa21_code"], "latitude"].to_numpy()
        rows["district_code"] = code
        rows["district_name"] = name
        frames.append(rows.nsmallest(NEIGHBOURS_PER_DISTRICT, "distance"))
    out = pd.concat(frames, ignore_index=True)
    out = out.rename(columns={"lsoa21_code": "lsoa_code", "lsoa21_name": "lsoa_name"})
    return out[
        ["lsoa_code", "lsoa_name", "district_code", "district_name", "longitude", "latitude"]
    ]


def copy_stats19(source: Path, lsoas: set[str]) -> dict[str, int]:
    """Copy the lines of Kirklees collisions (by LSOA) and of their casualties and
    vehicles, bytes unchanged. Returns rows written per file."""
    collisions: set[str] = set()
    written = {}
    for name in ("accidents.csv", "casualties.csv", "vehicles.csv"):
        data = (source / STATS19[name]).read_bytes()
        lines = data.splitlines(keepends=True)
        header = next(csv.reader(io.StringIO(lines[0].decode("utf-8-sig"))))
        lsoa_at = header.index("lsoa_of_accident_location") if name == "accidents.csv" else None
        kept = [lines[0]]
        for line in lines[1:]:
            fields = next(csv.reader(io.StringIO(line.decode("utf-8"))))
            if lsoa_at is not None:
                if fields[lsoa_at] in lsoas:
                    collisions.add(fields[0])
                    kept.append(line)
            elif fields[0] in collisions:
                kept.append(line)
        out = OUT / "stats19" / name
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(b"".join(kept))
        written[name] = len(kept) - 1
    return written


def readme(counts: dict[str, int], neighbours: pd.DataFrame) -> str:
    stats = ", ".join(f"`{k}` {v:,} rows" for k, v in counts.items())
    named = [
        f"{name} ({code})"
        for code, name in NEIGHBOURS.items()
        if code in set(neighbours["district_code"])
    ]
    districts = ", ".join(named[:-1]) + " and " + named[-1]
    return f"""# Real data behind the Kirklees demo pack

Written by `scripts/build_demo_data.py` from the project's shared test data (see its
`PROVENANCE.md`); do not edit by hand. `sia.demo.events` reads only these files, never the
shared data folder. What the demo generates from them, and how, is in `docs/demo-pack.md`.

Only Kirklees (E08000034) rows were copied, except `neighbour_lsoas.csv`.

## Licence and attribution

All these data are Crown copyright, published under the
[Open Government Licence v3.0](https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/).
Any reuse must carry:

> Contains public sector information licensed under the Open Government Licence v3.0.
>
> Source: Office for National Statistics licensed under the Open Government Licence v3.0.

## Files

### `lsoa_crime_rates.csv`

The crime-domain indicators of the English Indices of Deprivation 2025 (MHCLG, File 8,
released 30 October 2025) for the 260 Kirklees LSOAs (2021): recorded crimes per 1,000
at-risk population (burglary per 1,000 at-risk properties). Values copied as written.
Source: `humaniverse/IMD` : `data/imd2025_england_lsoa21_indicators.rda` @
`ad91a772bed082468ea30b756e3815b662b0c50e` (converted to CSV in the shared data). Kirklees
LSOAs from the ONS LSOA 2021 -> ward 2024 -> LAD 2024 best-fit lookup (`humaniverse/geographr`
: `data/lookup_lsoa21_ward24_ltla24.rda` @ `484d32b89ba6b8df291eade9b19b5f28da981467`).

| column | IoD2025 indicator |
|---|---|
{chr(10).join(f"| `{short}` | `{long}` |" for long, short in RATE_COLUMNS.items())}

### `flytipping_kirklees.csv`

Defra ENV24, fly-tipping incidents reported by local authorities in England, 2012-13 to
2017-18 (sheet `LA_incidents`), the six Kirklees rows: total incidents and incidents by land
type, waste type and size. `:` means not available, as in the source. Source:
`traffordDataLab/dashboard` :
`data/pride/pre-processing/Flytipping_incidents_actions_taken_reported_by_LAs_in_England_201213_to_201718_Dec_rev.xlsx`
@ `cef9ba4c80d867984f2451519291da890967a984`. The jump in 2016-17 (354 to 3,318) is in the
published series (a discontinuity, not a copying error); the demo starts from the latest
year, 2017-18.

| column | Defra column |
|---|---|
{chr(10).join(f"| `{short}` | {long} |" for long, short in FLYTIPPING_COLUMNS.items())}

### `neighbour_lsoas.csv`

The {NEIGHBOURS_PER_DISTRICT} LSOAs (2021) of each of {districts} whose centroids lie
nearest a Kirklees LSOA centroid: code, name (ONS lookup above) and centroid longitude and
latitude (`drkane/geo-lookups` : `lsoa_latlong.csv` @
`435367445c4411ef36ba9c9780929a9bf9a3eb86`, values copied as written). The demo's police.uk
files put a few West Yorkshire Police crimes in them, as a real force file holds.

### `stats19/accidents.csv`, `stats19/casualties.csv`, `stats19/vehicles.csv`

DfT STATS19 road safety data, 2024, in the DfT 2024 column format: every collision whose
`lsoa_of_accident_location` is a Kirklees LSOA (including `2024131506687`, which the DfT
codes to Wakefield but which lies in Kirklees LSOA E01011252), and every casualty and
vehicle of those collisions. Header and the bytes of every line unchanged, in the source
order. Rows: {stats}.
Source: `reory/west_yorkshire_traffic_analysis` : `data/accidents.csv`,
`data/casualties.csv`, `data/vehicles.csv` @ `a852b5b5eb671beafa24c6af451712f37b7d7d7c`
(West Yorkshire Police rows of the DfT files).
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
    parser.add_argument("--no-verify", action="store_true", help="skip the SHA256SUMS check")
    args = parser.parse_args(argv)
    source: Path = args.source.resolve()
    if not (source / "PROVENANCE.md").is_file():
        parser.error(f"{source} does not look like the shared data folder (no PROVENANCE.md)")
    if not args.no_verify:
        verify(source, SOURCES)

    OUT.mkdir(parents=True, exist_ok=True)
    rates = build_rates(source)
    flytipping = build_flytipping(source)
    neighbours = build_neighbours(source)
    counts = copy_stats19(source, set(rates["lsoa_code"]))
    rates.to_csv(OUT / "lsoa_crime_rates.csv", index=False, lineterminator="\n")
    flytipping.to_csv(OUT / "flytipping_kirklees.csv", index=False, lineterminator="\n")
    neighbours.to_csv(OUT / "neighbour_lsoas.csv", index=False, lineterminator="\n")
    (OUT / "README.md").write_text(readme(counts, neighbours), encoding="utf-8")

    print(f"source: {source}")
    print(f"LSOA crime rates: {len(rates)} Kirklees LSOAs")
    print(f"fly-tipping: {len(flytipping)} years, totals {flytipping['total'].tolist()}")
    print(f"neighbouring LSOAs: {len(neighbours)}")
    for name, rows in counts.items():
        print(f"stats19/{name}: {rows:,} rows")
    for path in sorted(OUT.rglob("*.csv")):
        print(f"{path.relative_to(REPO)}: {path.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

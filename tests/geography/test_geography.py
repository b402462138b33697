"""Tests for sia.geography and the data shipped in sia/data.

The expected figures are written out here, looked up by hand in the source files of the
shared test data (``shared/data``, described in its PROVENANCE.md), so they do not
depend on the build script being right. The commands used are quoted next to each one.
Tests that re-read the source files themselves are skipped when that folder is absent
(as in CI): the package never needs it.
"""

from __future__ import annotations

import builtins
import csv
import gzip
import hashlib
import io
import json
import re
from pathlib import Path

import pandas as pd
import pytest
from shapely.geometry import shape

import sia.geography
from sia.config import load_partnership
from sia.config.schema import Partnership
from sia.geography import Geography, GeographyError, lookups

REPO = Path(__file__).resolve().parents[2]
SOURCE = REPO.parent / "shared" / "data"
needs_source = pytest.mark.skipif(
    not (SOURCE / "PROVENANCE.md").is_file(), reason="shared source data not present"
)

KIRKLEES = "E08000034"
CITY = "E09000001"


@pytest.fixture(scope="module")
def kirklees() -> Geography:
    return Geography.for_partnership(load_partnership("kirklees"))


@pytest.fixture(scope="module")
def city() -> Geography:
    return Geography.for_partnership(load_partnership("city-of-london"))


def _with_wards(partnership: Partnership, replace: dict[str, tuple[str, str]]) -> Partnership:
    """The partnership with some wards (by code) replaced by (code, name), re-validated."""
    data = partnership.model_dump(mode="json")
    renames = {}
    for ward in data["wards"]:
        if ward["code"] in replace:
            new_code, new_name = replace[ward["code"]]
            renames[ward["name"]] = new_name
            ward.update(code=new_code, name=new_name)
    for place in data["places"]:
        place["wards"] = [renames.get(w, w) for w in place["wards"]]
    return Partnership.model_validate(data)


# -- wards and LSOAs ------------------------------------------------------------------------


def test_kirklees_wards_equal_config(kirklees):
    config = load_partnership("kirklees")
    assert len(kirklees.wards) == 23
    assert list(kirklees.wards["ward_code"]) == [w.code for w in config.wards]
    assert list(kirklees.wards["ward_name"]) == [w.name for w in config.wards]
    assert dict(zip(kirklees.wards["ward_code"], kirklees.wards["place"], strict=True)) == (
        config.place_of_ward()
    )


def test_kirklees_every_lsoa_has_a_ward(kirklees):
    lsoas = kirklees.lsoas
    counts = lsoas.groupby("lsoa_vintage").size().to_dict()
    # PROVENANCE.md: 259 LSOA 2011 and 260 LSOA 2021 in Kirklees.
    assert counts == {2011: 259, 2021: 260}
    assert lsoas["ward_code"].notna().all()
    assert lsoas["place"].notna().all()
    assert set(lsoas["district_code"]) == {KIRKLEES}
    config_codes = {w.code for w in load_partnership("kirklees").wards}
    for vintage in (2011, 2021):
        assert set(lsoas.loc[lsoas["lsoa_vintage"] == vintage, "ward_code"]) == config_codes


def test_kirklees_changed_lsoas(kirklees):
    # lookup_lsoa11_lsoa21_ltla22.csv, rows for Kirklees with change_code != U:
    #   E01033542 (017E) S -> E01034584, E01034585; both in Dewsbury West (E05001400)
    #   E01011209 (030C) S -> E01034586, E01034587; both in Lindley (E05001407)
    #   E01011171 (053C), E01011172 (053D) M -> E01034588, Holme Valley North (E05008561)
    index = kirklees.lsoa_index()
    assert index["E01033542"] == index["E01034584"] == index["E01034585"]
    assert index["E01033542"] == ("E05001400", "Dewsbury & Mirfield")
    assert index["E01011209"] == index["E01034586"] == index["E01034587"]
    assert index["E01011209"][0] == "E05001407"
    assert index["E01011171"] == index["E01011172"] == index["E01034588"]
    assert index["E01034588"] == ("E05008561", "Rural")
    # 255 unchanged + 4 retired 2011 codes + 5 new 2021 codes
    assert len(index) == 264
    assert "E01000001" not in index  # a City of London LSOA


def test_lsoa_index_covers_both_vintages(kirklees):
    lsoas = kirklees.lsoas
    index = kirklees.lsoa_index()
    for row in lsoas.itertuples():
        assert index[row.lsoa_code] == (row.ward_code, row.place)


def test_city_of_london(city):
    config = load_partnership("city-of-london")
    assert city.lsoas.groupby("lsoa_vintage").size().to_dict() == {2011: 6, 2021: 6}
    assert list(city.wards["ward_code"]) == [
        "E05009288",  # Aldersgate
        "E05009302",  # Cripplegate
        "E05009305",  # Farringdon Without
        "E05009308",  # Portsoken
        "E05009312",  # Walbrook
    ]
    assert list(city.wards["ward_code"]) == [w.code for w in config.wards]
    # lookup_lsoa21_ward24_ltla24.csv: City of London 001B and 001C are both in Cripplegate.
    index = city.lsoa_index()
    assert index["E01000002"][0] == index["E01000003"][0] == "E05009302"
    # The 2019 lookup has E01032739 in Vintry and E01032740 in Farringdon Within, wards
    # the 2024 lookup does not use; the 2011 rows follow the 2021 lookup instead.
    assert index["E01032739"][0] == "E05009312"
    assert index["E01032740"][0] == "E05009305"


def test_shipped_lookup_holds_only_the_two_districts():
    assert lookups.shipped_districts() == [KIRKLEES, CITY]
    table = lookups.lsoa_ward_table()
    assert len(table) == 259 + 260 + 6 + 6
    assert not table.duplicated(["lsoa_code", "lsoa_vintage"]).any()


# -- errors ---------------------------------------------------------------------------------


def test_config_ward_not_in_lookup_is_named():
    bad = _with_wards(load_partnership("kirklees"), {"E05008558": ("E05099999", "Nowhere")})
    with pytest.raises(GeographyError) as err:
        Geography.for_partnership(bad)
    message = str(err.value)
    assert "E05099999 (Nowhere)" in message
    assert "no LSOA" in message
    # and the lookup ward the config lost is named too
    assert "E05008558 (Almondbury)" in message
    assert len(err.value.problems) == 2


def test_district_not_shipped():
    data = load_partnership("kirklees").model_dump(mode="json")
    data["district"] = {"code": "E08000035", "name": "Leeds"}
    with pytest.raises(GeographyError, match=r"E08000035 \(Leeds\)"):
        Geography.for_partnership(Partnership.model_validate(data))


def test_unknown_boundary_level(kirklees):
    with pytest.raises(GeographyError, match="unknown boundary level"):
        kirklees.boundary_path("msoa")


# -- population -----------------------------------------------------------------------------


def _pop(geo: Geography, area_type: str, year: int, vintage: int | None = None) -> pd.DataFrame:
    p = geo.population
    p = p[(p["area_type"] == area_type) & (p["year"] == year)]
    if vintage is not None:
        p = p[p["lsoa_vintage"] == vintage]
    return p


@pytest.mark.parametrize(("year", "total"), [(2019, 439_787), (2020, 441_290)])
def test_kirklees_population_totals(kirklees, year, total):
    # Totals from PROVENANCE.md section 4 (ONS mid-year LSOA 2011 estimates).
    assert _pop(kirklees, "lsoa", year, 2011)["population"].sum() == total
    assert (_pop(kirklees, "lsoa", year, 2011)["method"] == "published").all()
    district = _pop(kirklees, "district", year)
    assert district["population"].tolist() == [total]
    assert district["area_code"].tolist() == [KIRKLEES]
    # Ward and place totals are best-fit sums and must add up to the district.
    assert _pop(kirklees, "ward", year)["population"].sum() == total
    assert len(_pop(kirklees, "ward", year)) == 23
    assert _pop(kirklees, "place", year)["population"].sum() == total
    assert set(_pop(kirklees, "place", year)["area_code"]) == {
        "batley-spen",
        "dewsbury-mirfield",
        "huddersfield",
        "rural",
    }
    # Sharing splits and summing merges moves whole 2011 values, so totals are kept.
    assert _pop(kirklees, "lsoa", year, 2021)["population"].sum() == total


@pytest.mark.parametrize(("year", "total"), [(2019, 9_721), (2020, 10_938)])
def test_city_population_totals(city, year, total):
    # grep "City of London" population/population{19,20}_lsoa11_totals_EW.csv, summed:
    #   2019: 1636 + 1558 + 1786 + 1888 + 1375 + 1478 = 9,721
    #   2020: 1749 + 1678 + 1900 + 2181 + 1688 + 1742 = 10,938
    assert _pop(city, "district", year)["population"].tolist() == [total]
    assert _pop(city, "ward", year)["population"].sum() == total
    assert _pop(city, "lsoa", year, 2021)["population"].sum() == total


def test_city_ward_population(city):
    # Cripplegate holds 001B (E01000002) and 001C (E01000003): 1678 + 1900 in mid-2020.
    wards = city.wards.set_index("ward_code")
    assert wards.loc["E05009302", "population"] == 3578
    assert wards.loc["E05009288", "population"] == 1749  # Aldersgate = 001A


def test_derived_lsoa21_population(kirklees):
    # population19/20_lsoa11_totals_EW.csv:
    #   E01033542 (split in 2): 3098 (2019), 3084 (2020) -> 1549 + 1549, 1542 + 1542
    #   E01011209 (split in 2): 2587, 2699 -> 1294 + 1293, 1350 + 1349 (odd person to the
    #                           first part in code order)
    #   E01011171 + E01011172 (merged): 1420 + 1049 = 2469; 1407 + 1026 = 2433
    p = kirklees.population
    p = p[p["lsoa_vintage"] == 2021].set_index(["area_code", "year"])
    expected = {
        ("E01034584", 2019): (1549, "split-equal-share"),
        ("E01034585", 2019): (1549, "split-equal-share"),
        ("E01034584", 2020): (1542, "split-equal-share"),
        ("E01034586", 2019): (1294, "split-equal-share"),
        ("E01034587", 2019): (1293, "split-equal-share"),
        ("E01034586", 2020): (1350, "split-equal-share"),
        ("E01034587", 2020): (1349, "split-equal-share"),
        ("E01034588", 2019): (2469, "merged-sum"),
        ("E01034588", 2020): (2433, "merged-sum"),
    }
    for key, (value, method) in expected.items():
        assert p.loc[key, "population"] == value, key
        assert p.loc[key, "method"] == method, key
    assert p["method"].value_counts().to_dict() == {
        "unchanged": 255 * 2,
        "split-equal-share": 4 * 2,
        "merged-sum": 1 * 2,
    }


def test_ward_population_is_latest_year(kirklees):
    wards = kirklees.wards
    assert (wards["population_year"] == 2020).all()
    ward_2020 = _pop(kirklees, "ward", 2020).set_index("area_code")["population"]
    assert wards.set_index("ward_code")["population"].to_dict() == ward_2020.to_dict()
    assert wards["population"].sum() == 441_290


def test_population_area_levels(kirklees):
    p = kirklees.population
    assert p.loc[p["area_type"] != "lsoa", "lsoa_vintage"].isna().all()
    assert set(p.loc[p["area_type"] == "ward", "method"]) == {"lsoa11-best-fit-sum"}
    assert set(p.loc[p["area_type"] == "district", "method"]) == {"lsoa11-sum"}
    assert set(p["year"]) == {2019, 2020}


# -- deprivation ----------------------------------------------------------------------------

# Looked up by hand:
#   zcat imd2019/File_1_-_IMD2019_Index_of_Multiple_Deprivation.csv.gz | grep <code>
#       E01011004,Kirklees 040A,...,"1,757",1
#       E01011051,Kirklees 001A,...,"22,924",7
#       E01033542,Kirklees 017E,...,"6,907",3
#       E01000001,City of London 001A,...,"29,199",9
#   zcat imd2019/File_2_-_IoD2019_Domains_of_Deprivation.csv.gz | grep <code> | cut -d, -f1,15,16
#   (fields 15, 16 = "Crime Rank", "Crime Decile"; the names have no commas in them)
#       E01011051,6269,2;  E01033542,1371,1;  E01000001,32662,10
#   grep "^E,<code>," imd2019/mysociety_composite/UK_IMD_E.csv   (overall_local_score)
#       E01011004 52.755;  E01033542 32.423;  E01000001 6.208
#   grep "^<code>," imd2025/imd2025_england_lsoa21.csv  (IMD_decile, IMD_rank, IMD_score,
#   Crime_decile, Crime_rank, Crime_score)
#       E01011004: 1, 2231, 50.782, 1, 1796, 1.363
#       E01034588: 5, 15210, 19.377, 4, 12208, 0.306
IMD_2019 = {
    # code: (score, rank, decile, crime_rank, crime_decile)
    "E01011004": (52.755, 1757, 1, None, None),
    "E01011051": (None, 22924, 7, 6269, 2),
    "E01033542": (32.423, 6907, 3, 1371, 1),
}
IMD_2025 = {
    # code: (score, rank, decile, crime_score, crime_rank, crime_decile)
    "E01011004": (50.782, 2231, 1, 1.363, 1796, 1),
    "E01034588": (19.377, 15210, 5, 0.306, 12208, 4),
}


def test_imd2019_by_hand(kirklees):
    d = kirklees.deprivation
    d = d[d["imd_year"] == 2019].set_index("lsoa_code")
    assert len(d) == 259
    assert (d["lsoa_vintage"] == 2011).all()
    for code, (score, rank, decile, crime_rank, crime_decile) in IMD_2019.items():
        row = d.loc[code]
        assert row["imd_rank"] == rank, code
        assert row["imd_decile"] == decile, code
        if score is not None:
            assert row["imd_score"] == pytest.approx(score), code
        if crime_rank is not None:
            assert (row["crime_rank"], row["crime_decile"]) == (crime_rank, crime_decile), code
    # The IMD 2019 crime-domain score is not in the data: blank, never made up.
    assert d["crime_score"].isna().all()
    # zcat File_1 | grep Kirklees | awk -F'"' '{print $NF}' | sort | uniq -c  -> 28 ",1", plus
    # 3 rows whose rank has no thousands separator (910, 914, 661) also in decile 1.
    assert (d["imd_decile"] == 1).sum() == 31


def test_imd2025_by_hand(kirklees):
    d = kirklees.deprivation
    d = d[d["imd_year"] == 2025].set_index("lsoa_code")
    assert len(d) == 260
    assert (d["lsoa_vintage"] == 2021).all()
    for code, (score, rank, decile, c_score, c_rank, c_decile) in IMD_2025.items():
        row = d.loc[code]
        assert (row["imd_rank"], row["imd_decile"]) == (rank, decile), code
        assert row["imd_score"] == pytest.approx(score), code
        assert row["crime_score"] == pytest.approx(c_score), code
        assert (row["crime_rank"], row["crime_decile"]) == (c_rank, c_decile), code
    assert d[["imd_score", "imd_rank", "crime_score", "crime_decile"]].notna().all().all()


def test_city_deprivation(city):
    d = city.deprivation.set_index(["imd_year", "lsoa_code"])
    row = d.loc[(2019, "E01000001")]
    assert (row["imd_rank"], row["imd_decile"]) == (29199, 9)
    assert (row["crime_rank"], row["crime_decile"]) == (32662, 10)
    assert row["imd_score"] == pytest.approx(6.208)
    assert len(d) == 12


# -- areas ----------------------------------------------------------------------------------


def test_areas_tree(kirklees):
    areas = kirklees.areas
    assert list(areas.columns) == ["area_type", "area_code", "area_name", "parent_code"]
    assert areas["area_type"].value_counts().to_dict() == {
        "lsoa": 264,
        "ward": 23,
        "place": 4,
        "district": 1,
    }
    assert not areas["area_code"].duplicated().any()
    parent_type = dict(zip(areas["area_code"], areas["area_type"], strict=True))
    expected_parent = {"place": "district", "ward": "place", "lsoa": "ward"}
    for row in areas.itertuples():
        if row.area_type == "district":
            assert pd.isna(row.parent_code)
        else:
            assert parent_type[row.parent_code] == expected_parent[row.area_type]
    places = areas[areas["area_type"] == "place"].set_index("area_code")["area_name"]
    assert places.to_dict()["batley-spen"] == "Batley & Spen"
    assert kirklees.place_code("Batley & Spen") == "batley-spen"


def test_tables_are_copies(kirklees):
    lsoas = kirklees.lsoas
    lsoas["ward_code"] = "changed"
    kirklees.lsoa_index()["E01011004"] = ("x", "y")
    assert (kirklees.lsoas["ward_code"] != "changed").all()
    assert kirklees.lsoa_index()["E01011004"] == ("E05008558", "Huddersfield")


# -- boundaries -----------------------------------------------------------------------------


def _features(path: Path) -> list[dict]:
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["type"] == "FeatureCollection"
    return doc["features"]


def test_kirklees_ward_boundaries(kirklees):
    features = _features(kirklees.boundary_path("ward"))
    assert len(features) == 23
    codes = [f["properties"]["WD25CD"] for f in features]
    assert sorted(codes) == sorted(w.code for w in load_partnership("kirklees").wards)
    assert all(shape(f["geometry"]).is_valid for f in features)


@pytest.mark.parametrize(
    ("level", "vintage", "prop"),
    [
        ("lsoa11", 2011, "LSOA11CD"),
        ("lsoa21", 2021, "LSOA21CD"),
    ],
)
def test_kirklees_lsoa_boundaries(kirklees, level, vintage, prop):
    features = _features(kirklees.boundary_path(level))
    lsoas = kirklees.lsoas
    assert sorted(f["properties"][prop] for f in features) == sorted(
        lsoas.loc[lsoas["lsoa_vintage"] == vintage, "lsoa_code"]
    )
    # The best-fit lookup puts each LSOA in the ward holding most of its population,
    # not its area, but it must at least overlap that ward, and mostly by area too.
    wards = {
        f["properties"]["WD25CD"]: shape(f["geometry"])
        for f in _features(kirklees.boundary_path("ward"))
    }
    index = kirklees.lsoa_index()
    shares = []
    for f in features:
        area = shape(f["geometry"])
        ward = wards[index[f["properties"][prop]][0]]
        shares.append(area.intersection(ward).area / area.area)
    assert min(shares) > 0.2
    assert sum(s > 0.5 for s in shares) / len(shares) > 0.9


def test_city_boundaries(city):
    wards = _features(city.boundary_path("ward"))
    assert len(wards) == 25  # all City wards; only 5 hold an LSOA
    codes = {f["properties"]["WD25CD"] for f in wards}
    assert set(city.wards["ward_code"]) <= codes
    assert len(_features(city.boundary_path("lsoa11"))) == 6
    with pytest.raises(GeographyError, match="lsoa21 boundaries for district E09000001"):
        city.boundary_path("lsoa21")


# -- the package reads only its own data ----------------------------------------------------


def test_module_source_has_no_shared_path():
    # no path into the project's shared reference folder, in any module of the package
    pattern = re.compile(r"shared/data|\.\./shared|/work")
    for path in Path(sia.__file__).parent.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert not pattern.search(text), path


def test_package_reads_only_package_data(monkeypatch):
    real_open = builtins.open
    opened: list[str] = []

    def guarded_open(file, *args, **kwargs):
        name = str(file)
        opened.append(name)
        if "shared" in Path(name).parts:
            raise AssertionError(f"sia read {name}")
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", guarded_open)
    monkeypatch.setattr(io, "open", guarded_open)
    lookups._read.cache_clear()
    try:
        for name in ("kirklees", "city-of-london"):
            geo = Geography.for_partnership(load_partnership(name))
            geo.boundary_path("ward")
    finally:
        lookups._read.cache_clear()
    package = Path(sia.geography.__file__).resolve().parents[1]
    data_reads = [p for p in opened if p.endswith(".csv")]
    assert len(data_reads) == 3
    assert all(Path(p).resolve().is_relative_to(package) for p in data_reads)


# -- against the source files (skipped without shared/data) --------------------------------


def _source_csv(rel: str) -> list[dict[str, str]]:
    path = SOURCE / rel
    opener = gzip.open if rel.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


@needs_source
def test_source_lsoa21_lookup_copied_exactly():
    rows = [
        r
        for r in _source_csv("ons_lookups/lookup_lsoa21_ward24_ltla24.csv")
        if r["ltla24_code"] in (KIRKLEES, CITY)
    ]
    table = lookups.lsoa_ward_table()
    table = table[table["lsoa_vintage"] == 2021].set_index("lsoa_code")
    assert len(rows) == len(table) == 266
    for r in rows:
        got = table.loc[r["lsoa21_code"]]
        assert (got["lsoa_name"], got["ward_code"], got["ward_name"], got["district_code"]) == (
            r["lsoa21_name"],
            r["ward24_code"],
            r["ward24_name"],
            r["ltla24_code"],
        )


@needs_source
def test_source_population_2011_copied_exactly():
    table = lookups.population_table()
    table = table[table["lsoa_vintage"] == 2011].set_index(["lsoa_code", "year"])["population"]
    codes = {c for c, _ in table.index}
    for year in (2019, 2020):
        rows = _source_csv(f"population/population{year % 100}_lsoa11_totals_EW.csv")
        source = {r["lsoa11_code"]: int(r["total_population"]) for r in rows}
        for code in codes:
            assert table[(code, year)] == source[code]


@needs_source
def test_source_imd2019_all_rows():
    file1 = {
        r["LSOA code (2011)"]: r
        for r in _source_csv("imd2019/File_1_-_IMD2019_Index_of_Multiple_Deprivation.csv.gz")
    }
    table = lookups.deprivation_table()
    table = table[table["imd_year"] == 2019]
    assert len(table) == 265
    for row in table.itertuples():
        src = file1[row.lsoa_code]
        assert row.imd_rank == int(src["Index of Multiple Deprivation (IMD) Rank"].replace(",", ""))
        assert row.imd_decile == int(src["Index of Multiple Deprivation (IMD) Decile"])


@needs_source
def test_source_boundaries_byte_identical():
    shipped = Path(sia.geography.__file__).resolve().parents[1] / "data" / "boundaries"
    pairs = {
        "ward/E08000034.geojson": "ward/E08000034_Kirklees.geojson",
        "ward/E09000001.geojson": "ward/E09000001_City_of_London.geojson",
        "lsoa11/E08000034.geojson": "lsoa11/E08000034_Kirklees.geojson",
        "lsoa11/E09000001.geojson": "lsoa11/E09000001_City_of_London.geojson",
        "lsoa21/E08000034.geojson": "lsoa/E08000034_Kirklees.geojson",
    }
    assert sorted(p.relative_to(shipped).as_posix() for p in shipped.rglob("*.geojson")) == (
        sorted(pairs)
    )
    for ours, theirs in pairs.items():
        a = hashlib.sha256((shipped / ours).read_bytes()).hexdigest()
        b = hashlib.sha256((SOURCE / "boundaries" / theirs).read_bytes()).hexdigest()
        assert a == b, ours

"""The partner data of the Kirklees demo pack (sia.demo.events).

The pack is generated once (fixed seed), every file is loaded through the real engine into
a Kirklees warehouse, and the story of section 4.2 of the Kirklees SIA outline is checked
on the loaded rows with SQL: each trend compares the first 12 months of the window with
the last 12.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
from collections import Counter
from pathlib import Path

import pytest

from sia.config import load_partnership
from sia.demo.events import MONTHS, SOURCES, window, write_event_sources
from sia.sources import REGISTRY
from sia.sources.tabular import load_file
from sia.warehouse import Warehouse

SEED = 20260131
END = dt.date(2026, 1, 31)
REAL_STATS19 = Path(__file__).resolve().parents[2] / "sia" / "data" / "demo" / "stats19"


@pytest.fixture(scope="module")
def pack(tmp_path_factory) -> tuple[Path, dict[str, list[Path]]]:
    out = tmp_path_factory.mktemp("pack")
    return out, write_event_sources(out, load_partnership("kirklees"), SEED, END)


@pytest.fixture(scope="module")
def loaded(pack, tmp_path_factory):
    _, files = pack
    wh = Warehouse.open(load_partnership("kirklees"), tmp_path_factory.mktemp("warehouse"))
    results = {
        source: [load_file(wh, path, REGISTRY[source].formats()) for path in paths]
        for source, paths in files.items()
    }
    yield wh, results
    wh.close()


def _first_last(wh: Warehouse, sql_from_where: str, month: str = "month") -> tuple[int, int]:
    """Rows in the first and in the last 12 months of the window."""
    months = window(END)
    first_end, last_start = months[11], months[-12]
    return tuple(
        wh.scalar(f"SELECT count(*) {sql_from_where} AND {month} {cond}", [bound])
        for cond, bound in (("<= ?", first_end), (">= ?", last_start))
    )


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


# -- fast checks -----------------------------------------------------------------------------
def test_window_is_sixty_whole_months():
    months = window(END)
    assert len(months) == MONTHS == 60
    assert months[0] == dt.date(2021, 2, 1) and months[-1] == dt.date(2026, 1, 1)
    # a month not yet over is left out
    assert window(dt.date(2026, 1, 30))[-1] == dt.date(2025, 12, 1)


def test_only_kirklees_is_supported(tmp_path):
    with pytest.raises(ValueError, match="Kirklees"):
        write_event_sources(tmp_path, load_partnership("city-of-london"), SEED, END)


# -- the generated files ---------------------------------------------------------------------
@pytest.mark.slow
def test_files_have_the_registered_layout_and_headers(pack):
    out, files = pack
    assert list(files) == list(SOURCES)
    police = files["police-uk"]
    assert len(police) == MONTHS
    assert police[0].relative_to(out).as_posix() == (
        "police-uk/2021-02/2021-02-west-yorkshire-street.csv"
    )
    for source in ("force-extract", "asb-council", "fire", "health-istv"):
        assert len(files[source]) == 5, source
    assert len(files["stats19"]) == 18  # three files for each calendar year 2021-2026
    for source, paths in files.items():
        headers = {f.headers for f in REGISTRY[source].formats().values()}
        for path in paths:
            assert path.parent.relative_to(out).parts[0] == source
            with path.open(encoding="utf-8") as fh:
                assert tuple(next(csv.reader(fh))) in headers, path


@pytest.mark.slow
def test_police_uk_rows_look_like_a_force_file(pack):
    _, files = pack
    rows = _rows(files["police-uk"][-1])
    assert {r["Reported by"] for r in rows} == {"West Yorkshire Police"}
    assert {r["Falls within"] for r in rows} == {"West Yorkshire Police"}
    assert {r["Month"] for r in rows} == {"2026-01"}
    assert {r["Context"] for r in rows} == {""}
    for r in rows:
        if r["Crime type"] == "Anti-social behaviour":
            assert r["Crime ID"] == "" and r["Last outcome category"] == ""
        else:
            assert len(r["Crime ID"]) == 64 and int(r["Crime ID"], 16) >= 0
        if r["Location"] == "No Location":
            assert r["LSOA code"] == r["Longitude"] == ""
        else:
            assert r["Location"].startswith("On or near ")
            assert -2.1 < float(r["Longitude"]) < -1.4 and 53.5 < float(r["Latitude"]) < 53.9
    names = {r["LSOA name"].rsplit(" ", 1)[0] for r in rows if r["LSOA name"]}
    assert "Kirklees" in names and names - {"Kirklees"}  # a few rows of neighbouring districts


@pytest.mark.slow
def test_stats19_2024_is_the_real_dft_data_unchanged(pack):
    _, files = pack
    for kind, name in (
        ("collision", "accidents"),
        ("casualty", "casualties"),
        ("vehicle", "vehicles"),
    ):
        path = next(p for p in files["stats19"] if p.name.endswith(f"{kind}-2024.csv"))
        assert path.read_bytes() == (REAL_STATS19 / f"{name}.csv").read_bytes()


@pytest.mark.slow
def test_same_seed_gives_identical_files(pack, tmp_path):
    out, files = pack
    again = write_event_sources(tmp_path / "again", load_partnership("kirklees"), SEED, END)

    def digests(root: Path, found: dict[str, list[Path]]) -> dict[str, str]:
        return {
            p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for paths in found.values()
            for p in paths
        }

    assert digests(out, files) == digests(tmp_path / "again", again)


# -- loading ---------------------------------------------------------------------------------
@pytest.mark.slow
def test_every_file_loads_with_no_rejected_row(loaded):
    _, results = loaded
    for source, found in results.items():
        for r in found:
            assert r.rejected == 0, (r.file, [str(x) for x in r.rejects[:3]])
            assert r.duplicates == 0, r.file
            assert r.balanced(), r.file
            if source != "police-uk":
                assert r.skipped == {}, (r.file, r.skipped)


@pytest.mark.slow
def test_police_uk_skips_only_the_rows_written_outside_kirklees(pack, loaded):
    _, files = pack
    _, results = loaded
    expected: Counter = Counter()
    for path in files["police-uk"]:
        for r in _rows(path):
            if r["Location"] == "No Location":
                expected["no-location"] += 1
            elif not r["LSOA name"].startswith("Kirklees "):
                expected["outside-partnership"] += 1
    skipped: Counter = Counter()
    for r in results["police-uk"]:
        skipped.update(r.skipped)
    assert skipped == expected
    assert 0 < skipped["outside-partnership"] < 0.01 * sum(r.read for r in results["police-uk"])


@pytest.mark.slow
def test_volumes_are_realistic_for_kirklees(loaded):
    wh, _ = loaded
    first, last = _first_last(wh, "FROM events WHERE source = 'police-uk'")
    assert 40_000 <= last < first <= 50_000
    for source, low, high in (
        ("asb-council", 8_000, 16_000),
        ("fire", 4_500, 7_000),
        ("health-istv", 800, 1_600),
        ("stats19", 400, 900),
    ):
        first, last = _first_last(wh, f"FROM events WHERE source = '{source}'")
        assert low <= first <= high and low <= last <= high, (source, first, last)


@pytest.mark.slow
def test_force_extract_holds_the_same_crimes_as_police_uk(loaded):
    wh, _ = loaded
    by_month = """
        SELECT month, category, count(*) FROM events
        WHERE source = ? AND category <> 'Anti-social behaviour' GROUP BY ALL ORDER BY ALL
    """
    police = wh.con.execute(by_month, ["police-uk"]).fetchall()
    force = wh.con.execute(by_month, ["force-extract"]).fetchall()
    assert police == force
    assert wh.scalar("SELECT count(*) FROM events WHERE source = 'force-extract'") > 150_000


# -- the story of section 4.2 ---------------------------------------------------------------
FORCE = "FROM events WHERE source = 'force-extract'"
POLICE = "FROM events WHERE source = 'police-uk'"


@pytest.mark.slow
def test_serious_violence_falls_while_homicides_and_attempted_murders_rise(loaded):
    wh, _ = loaded
    first, last = _first_last(wh, f"{POLICE} AND category IN ('Possession of weapons', 'Robbery')")
    assert last < 0.85 * first
    first, last = _first_last(wh, f"{POLICE} AND category = 'Violence and sexual offences'")
    assert last < first
    first, last = _first_last(wh, f"{FORCE} AND list_contains(flags, 'knife')")
    assert last < 0.9 * first
    homicides = _first_last(wh, f"{FORCE} AND offence_code IN ('1', '4.1')")
    attempted = _first_last(wh, f"{FORCE} AND offence_code = '2'")
    assert homicides[1] > homicides[0] >= 1 and attempted[1] > attempted[0] >= 1


@pytest.mark.slow
def test_domestic_abuse_and_repeat_victims_fall(loaded):
    wh, _ = loaded
    first, last = _first_last(wh, f"{FORCE} AND list_contains(flags, 'domestic_abuse')")
    assert last < 0.9 * first
    repeat = """
        FROM (SELECT min(month) AS month, 1 AS n FROM events
              WHERE source = 'force-extract' AND list_contains(flags, 'domestic_abuse')
                AND month BETWEEN ? AND ?
              GROUP BY attributes->>'victim_id' HAVING count(*) > 1) WHERE true
    """
    months = window(END)
    firsts = wh.scalar(f"SELECT count(*) {repeat}", [months[0], months[11]])
    lasts = wh.scalar(f"SELECT count(*) {repeat}", [months[-12], months[-1]])
    assert lasts < 0.85 * firsts
    assert firsts > 500  # victims with more than one domestic abuse crime in a year


@pytest.mark.slow
def test_vawg_rises_slightly(loaded):
    wh, _ = loaded
    first, last = _first_last(wh, f"{FORCE} AND list_contains(flags, 'vawg')")
    assert first < last < 1.2 * first


@pytest.mark.slow
def test_asb_falls_but_environmental_asb_rises(loaded):
    wh, _ = loaded
    first, last = _first_last(wh, f"{POLICE} AND category = 'Anti-social behaviour'")
    assert last < 0.85 * first
    first, last = _first_last(
        wh, "FROM events WHERE source = 'asb-council' AND list_contains(flags, 'environmental')"
    )
    assert last > 1.15 * first
    first, last = _first_last(
        wh,
        "FROM events WHERE source = 'fire' AND category = 'secondary_fire' "
        "AND list_contains(flags, 'deliberate')",
    )
    assert last > 1.1 * first


@pytest.mark.slow
def test_neighbourhood_crime_falls_with_a_burglary_and_a_car_theft_spike(loaded):
    wh, _ = loaded
    neighbourhood = (
        "('Burglary', 'Robbery', 'Theft from the person', 'Vehicle crime', 'Bicycle theft')"
    )
    first, last = _first_last(wh, f"{POLICE} AND category IN {neighbourhood}")
    assert last < 0.9 * first
    months = window(END)
    for ward, category, spike in (
        ("Lindley", "Burglary", [46]),
        ("Dewsbury East", "Vehicle crime", [53, 54]),
    ):
        counts = dict(
            wh.con.execute(
                "SELECT e.month, count(*) FROM events e JOIN areas a ON a.area_code = e.ward_code "
                "WHERE e.source = 'police-uk' AND e.category = ? AND a.area_name = ? GROUP BY 1",
                [category, ward],
            ).fetchall()
        )
        usual = sorted(counts.values())[len(counts) // 2]
        top = sorted(counts, key=counts.get, reverse=True)[: len(spike)]
        assert sorted(top) == [months[i] for i in spike], (ward, counts)
        assert min(counts[m] for m in top) > 1.8 * usual, (ward, usual)


@pytest.mark.slow
def test_hate_crime_falls(loaded):
    wh, _ = loaded
    first, last = _first_last(wh, f"{FORCE} AND list_contains(flags, 'hate')")
    assert last < 0.85 * first
    strands = wh.con.execute(
        f"SELECT DISTINCT attributes->>'hate_strand' {FORCE} AND list_contains(flags, 'hate')"
    ).fetchall()
    assert {s for (s,) in strands} >= {"race", "religion", "disability"}


@pytest.mark.slow
def test_road_casualties_fall(loaded):
    wh, _ = loaded
    first, last = _first_last(
        wh,
        "FROM road_casualties_placed WHERE casualty_severity IN ('fatal', 'serious')",
    )
    assert last < 0.85 * first
    first, last = _first_last(wh, "FROM road_casualties_placed WHERE true")
    assert last < 0.9 * first


@pytest.mark.slow
def test_modern_slavery_and_youth_exploitation_are_stable(loaded):
    wh, _ = loaded
    for codes in ("('106')", "('71', '88A')"):
        first, last = _first_last(wh, f"{FORCE} AND offence_code IN {codes}")
        assert first >= 10 and 0.75 <= last / first <= 1.33, (codes, first, last)


@pytest.mark.slow
def test_seasons_and_deprivation_shape_the_data(loaded):
    wh, _ = loaded

    def by_season(category: str) -> dict[str, int]:
        return dict(
            wh.con.execute(
                "SELECT CASE WHEN month(month) IN (6, 7, 8) THEN 'summer' "
                "WHEN month(month) IN (12, 1, 2) THEN 'winter' END, count(*) "
                f"{POLICE} AND category = ? GROUP BY 1",
                [category],
            ).fetchall()
        )

    asb, burglary = by_season("Anti-social behaviour"), by_season("Burglary")
    assert asb["summer"] > 1.3 * asb["winter"]
    assert burglary["winter"] > 1.15 * burglary["summer"]
    assert (
        by_season("Violence and sexual offences")["summer"]
        > by_season("Violence and sexual offences")["winter"]
    )
    # crimes per head in the most deprived fifth of LSOAs against the least deprived fifth
    rates = dict(
        wh.con.execute(
            """
            WITH lsoa AS (
                SELECT d.lsoa_code, ntile(5) OVER (ORDER BY d.imd_score DESC) AS fifth,
                       p.population
                FROM deprivation d JOIN population p
                  ON p.area_type = 'lsoa' AND p.area_code = d.lsoa_code
                 AND p.lsoa_vintage = 2021 AND p.year = 2020
                WHERE d.imd_year = 2025 AND d.lsoa_vintage = 2021
            ),
            crimes AS (
                SELECT lsoa_code, count(*) AS n FROM events WHERE source = 'police-uk'
                GROUP BY 1
            )
            SELECT fifth, sum(coalesce(n, 0)) / sum(population) FROM lsoa
            LEFT JOIN crimes USING (lsoa_code) GROUP BY 1
            """
        ).fetchall()
    )
    assert rates[1] > 2 * rates[5]

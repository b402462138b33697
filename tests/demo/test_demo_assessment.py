"""The assessment of the demo pack finds the seed report's picture (issue 4).

The seed (Kirklees CSP, plan 2026/7-2029, sections 4.1-4.3) says: serious violence down
overall while homicides and attempted murders rise; domestic abuse incidents and repeats
down; VAWG up slightly; ASB down long term while environmental ASB rises; neighbourhood crime
down; hate crime down; road casualties down. The demo pack is generated with those trends
(docs/demo-pack.md); these tests check that the assessment, computed the way a user runs it
(``sia demo`` then ``sia assess --json``), finds each of them with its own statistics.
"""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from sia.cli import app

runner = CliRunner()

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def document(tmp_path_factory) -> dict:
    data_dir = str(tmp_path_factory.mktemp("demo"))
    built = runner.invoke(app, ["--data-dir", data_dir, "demo"])
    assert built.exit_code == 0, built.output
    assessed = runner.invoke(app, ["--data-dir", data_dir, "assess", "--json"])
    assert assessed.exit_code == 0, assessed.output
    return json.loads(assessed.stdout)


def _measure(document: dict, measure_id: str) -> dict:
    return next(m for p in document["priorities"] for m in p["measures"] if m["id"] == measure_id)


def test_the_period_is_the_latest_twelve_months(document):
    assert document["period"]["start"] == "2025-02-01"
    assert document["period"]["end"] == "2026-01-01"


def test_serious_violence_falls_while_its_harm_rises(document):
    serious = _measure(document, "most-serious-violence")
    assert serious["count"] < serious["previous_count"]
    assert serious["direction"] == "down"
    harm = serious["harm"]
    assert harm["count_ratio"] < 1 < harm["harm_ratio"]
    assert harm["p_value"] <= document["significance_level"]
    assert harm["rising_in_falling_total"] is True
    # the offences that carry the harm are the gravest ones
    assert {"1", "2"} & set(harm["top_codes"])


def test_homicides_and_attempted_murders_rise_against_serious_violence(document):
    homicides = _measure(document, "homicide-attempted-murder")
    assert homicides["count"] > homicides["previous_count"]
    assert homicides["direction"] == "up"
    flag = homicides["against_parent"]
    assert flag["parent"] == "most-serious-violence"
    assert flag["sub_direction"] == "up" and flag["parent_direction"] == "down"
    assert flag["against_parent"] is True


def test_the_public_serious_violence_proxy_falls(document):
    proxy = _measure(document, "serious-violence-proxy")
    assert proxy["direction"] == "down"
    assert proxy["trend"]["direction"] == "decreasing"


def test_domestic_abuse_and_its_repeats_fall(document):
    abuse = _measure(document, "domestic-abuse-crimes")
    assert abuse["direction"] == "down"
    repeats = abuse["repeats"]
    assert repeats["repeat_share"] < repeats["previous_share"]
    assert repeats["direction"] == "down"


def test_vawg_rises_slightly(document):
    vawg = _measure(document, "vawg-crimes")
    assert vawg["direction"] == "up"
    assert 1 < vawg["count"] / vawg["previous_count"] < 1.1


def test_asb_falls_long_term_while_environmental_asb_rises(document):
    police = _measure(document, "asb-police")
    assert police["trend"]["direction"] == "decreasing"
    environmental = _measure(document, "asb-environmental")
    assert environmental["direction"] == "up"
    assert environmental["trend"]["direction"] == "increasing"


def test_neighbourhood_crime_hate_crime_and_road_casualties_fall(document):
    assert _measure(document, "neighbourhood-crime")["direction"] == "down"
    for measure_id in ("hate-crimes", "road-casualties-ksi"):
        measure = _measure(document, measure_id)
        assert measure["count"] < measure["previous_count"], measure_id
        assert measure["trend"]["direction"] == "decreasing", measure_id


def test_hotspots_sit_mostly_in_the_most_deprived_fifth(document):
    hot = sum(h["hot"] for h in document["hotspots"])
    deprived = sum(h["hot_in_most_deprived_fifth"] for h in document["hotspots"])
    assert hot >= 20
    # the most deprived fifth of LSOAs holds a fifth of them; the hot ones are mostly there
    assert deprived / hot > 0.6

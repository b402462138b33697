"""`sia insight` on the insight of the Kirklees demo pack, against the seed report.

The insight sources of the pack are written and loaded as ``sia ingest`` would, then
summarised through the CLI. The expected figures are typed here from the seed report
(sections 5.1 and 5.3), not imported from the generator.
"""

from __future__ import annotations

import json
from datetime import date

import pytest
from typer.testing import CliRunner

from sia.cli import app
from sia.config import load_partnership
from sia.demo.insight import write_insight_sources
from sia.sources import REGISTRY
from sia.sources.tabular import load_file
from sia.warehouse import Warehouse

runner = CliRunner()

#: Section 5.3 of the seed report, as printed (Rural: "N/A" mosques).
SEED_REACH = {
    "Batley & Spen": (448, 414, 59, 78),
    "Dewsbury & Mirfield": (307, 177, 117, 41),
    "Huddersfield": (995, 563, 54, 140),
    "Rural": (623, 400, None, 121),
}


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> str:
    folder = tmp_path_factory.mktemp("insight-demo")
    files = write_insight_sources(
        folder / "pack", load_partnership("kirklees"), 2026, date(2026, 1, 31)
    )
    wh = Warehouse.open(load_partnership("kirklees"), folder)
    for source, paths in files.items():
        for path in paths:
            load_file(wh, path, REGISTRY[source].formats())
    wh.close()
    return str(folder)


@pytest.fixture(scope="module")
def document(data_dir) -> dict:
    result = runner.invoke(app, ["--data-dir", data_dir, "insight", "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_the_default_period_is_the_latest_twelve_months(document):
    # no events loaded here: the latest insight month (January 2026) ends the period
    assert document["period"] == {"start": "2025-02-01", "end": "2026-01-01", "months": 12}
    assert document["previous_period"]["start"] == "2024-02-01"


def test_the_reach_table_is_the_seeds(document):
    reach = {
        r["place"]: (r["individuals"], r["groups"], r["mosques"], r["other_faith"])
        for r in document["reach"]
    }
    assert reach == SEED_REACH


def test_22_wards_and_47_councillors(document):
    assert document["engaged"]["councillor_wards"] == 22
    assert document["engaged"]["councillors"] == 47
    assert document["engaged"]["officers"] > 150  # "over 150 officers" (5.2)


def test_asb_is_raised_most_in_the_district_and_every_place(document):
    assert document["concerns"][0]["concern_id"] == "asb"
    assert document["concerns"][0]["rank"] == 1
    assert document["concerns"][1]["rank"] == 2  # strictly first
    for place, concerns in document["by_place"].items():
        assert concerns[0]["concern_id"] == "asb", place
        assert concerns[0]["mentions"] > concerns[1]["mentions"], place


def test_every_recorded_label_means_a_concern(document):
    assert document["unmapped_labels"] == {}


def test_councillors_officers_and_communities_share_asb_and_drugs(document):
    shared = {c["concern_id"]: c["sources"] for c in document["common"]}
    for concern in ("asb", "drugs-alcohol", "underreporting"):
        assert shared[concern] == ["community", "councillor", "officer"], concern


def test_the_tables(data_dir):
    result = runner.invoke(app, ["--data-dir", data_dir, "insight", "--top", "3"])
    assert result.exit_code == 0, result.output
    for title in (
        "Reach by place",
        "Who was engaged",
        "Most raised concerns, district",
        "Most raised concerns by place",
        "Concerns shared by community, councillors and officers",
        "How people feel, by place",
        "Community tension by month",
        "Concerns raised together in one record",
    ):
        assert title in result.stdout, title
    assert "N/A" in result.stdout
    assert "Anti-social behaviour" in result.stdout


@pytest.mark.parametrize(
    ("period", "message"),
    [
        ("2025-13:2026-01", "is not a month"),
        ("2025-10", "two months joined by a colon"),
        ("2026-01:2025-10", "is before the start"),
    ],
)
def test_a_bad_period_is_an_error_naming_it(data_dir, period, message):
    result = runner.invoke(app, ["--data-dir", data_dir, "insight", "--period", period])
    assert result.exit_code == 1
    assert message in result.output


def test_a_chosen_period_and_its_previous(data_dir):
    result = runner.invoke(
        app, ["--data-dir", data_dir, "insight", "--json", "--period", "2025-12:2026-01"]
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["previous_period"] == {"start": "2025-10-01", "end": "2025-11-01", "months": 2}
    # the ward meetings were all in October and November 2025 (seed 5.1)
    assert doc["engaged"]["councillor_sessions"] == 0
    asb = next(c for c in doc["concerns"] if c["concern_id"] == "asb")
    assert asb["previous_mentions"] > 0 and asb["mentions"] > 0


def test_no_warehouse_is_an_error(tmp_path):
    result = runner.invoke(app, ["--data-dir", str(tmp_path / "none"), "insight"])
    assert result.exit_code == 1
    assert "no warehouse" in result.output


def test_explain_shows_what_matched(data_dir):
    result = runner.invoke(
        app, ["--data-dir", data_dir, "insight", "--explain", "youth-exploitation", "--json"]
    )
    assert result.exit_code == 0, result.output
    records = json.loads(result.stdout)
    # seed 5.1 and 5.2: youth exploitation raised by councillors in Dewsbury & Mirfield and
    # by officers in Batley & Spen, recorded as the label itself
    assert {(r["source"], r["place"]) for r in records} >= {
        ("councillor", "Dewsbury & Mirfield"),
        ("officer", "Batley & Spen"),
    }
    assert all(r["matches"] == ["youth-exploitation"] for r in records)
    table = runner.invoke(app, ["--data-dir", data_dir, "insight", "--explain", "asb"])
    assert table.exit_code == 0 and "records tagged asb" in table.stdout
    bad = runner.invoke(app, ["--data-dir", data_dir, "insight", "--explain", "litter"])
    assert bad.exit_code == 1 and "'litter' is not a concern" in bad.output


# Sections 5.1 and 5.2 of the seed, place by place, as concern ids of kirklees.yaml: what the
# ward meetings (councillors) and the officer sessions raised.
SEED_COUNCILLORS = {
    # night-time town-centre fears, nuisance driving, under-reported hate crime, traffic
    # control, youth provision
    "Batley & Spen": {
        "perceptions-after-dark",
        "asb",
        "hate-crime",
        "underreporting",
        "road-safety",
        "youth-provision",
    },
    # gangs, knife crime, domestic abuse, speeding, youth exploitation, lighting, youth provision
    "Dewsbury & Mirfield": {
        "serious-violence",
        "domestic-abuse",
        "road-safety",
        "youth-exploitation",
        "perceptions-after-dark",
        "youth-provision",
    },
    # ASB, road safety, lighting, CCTV, reporting guidance, police visibility, under-reporting
    "Huddersfield": {
        "asb",
        "road-safety",
        "perceptions-after-dark",
        "place-based-working",
        "underreporting",
        "trusted-relationships",
    },
    # drugs/alcohol, youth ASB, dangerous driving, youth provision
    "Rural": {"drugs-alcohol", "asb", "road-safety", "youth-provision"},
}
SEED_OFFICERS = {
    # serious violence, organised crime, underreporting of domestic abuse and modern slavery
    "Dewsbury & Mirfield": {
        "serious-violence",
        "underreporting",
        "domestic-abuse",
        "modern-slavery",
    },
    # serious incidents, normalisation of violence, low awareness of VAWG
    "Huddersfield": {"serious-violence", "vawg"},
    # drug offences, ASB, exploitation of young people, community tensions
    "Batley & Spen": {"drugs-alcohol", "asb", "youth-exploitation", "community-tensions"},
    # night-time economy, low reporting confidence for domestic abuse, burglary
    "Rural": {"place-based-working", "domestic-abuse", "underreporting", "neighbourhood-crime"},
}


@pytest.mark.parametrize(
    ("source", "seed"), [("councillor", SEED_COUNCILLORS), ("officer", SEED_OFFICERS)]
)
def test_each_place_shows_what_the_seed_says_its_councillors_and_officers_raised(
    document, source, seed
):
    for place, expected in seed.items():
        raised = {
            c["concern_id"] for c in document["by_place"][place] if c["by_source"].get(source)
        }
        assert expected <= raised, (place, expected - raised)

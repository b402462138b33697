"""On the demo pack the recommendation equals the seed's section 4.3 table, and the calls
follow the data: change a figure, a duty or the mentions and the status changes with the
criterion named.

The seed (Kirklees CSP, plan 2026/7-2029, section 4.3): high focus for serious violence,
domestic abuse, VAWG, ASB (neighbourhood crime in view), hate crime, Prevent, migration and
community tensions; continue to monitor for modern slavery, youth exploitation (KSCP),
road safety (Vision Zero) and water safety; cross-cutting for inclusive communities,
reoffending and drugs and alcohol.
"""

from __future__ import annotations

import json

import pytest
from constructed import with_priority
from typer.testing import CliRunner

from sia.assessment import latest_assessment
from sia.cli import app
from sia.config import load_partnership
from sia.prioritise.recommend import community_for, recommend
from sia.warehouse import Warehouse

runner = CliRunner()
pytestmark = pytest.mark.slow

SEED_4_3 = {
    "serious-violence": "high-focus",
    "domestic-abuse": "high-focus",
    "vawg": "high-focus",
    "asb": "high-focus",
    "hate-crime": "high-focus",
    "prevent": "high-focus",
    "migration": "high-focus",
    "community-tensions": "high-focus",
    "neighbourhood-crime": "monitor",
    "modern-slavery": "monitor",
    "youth-exploitation": "monitor",
    "road-safety": "monitor",
    "water-safety": "monitor",
    "inclusive-communities": "cross-cutting",
    "reoffending": "cross-cutting",
    "drugs-alcohol": "cross-cutting",
}


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> str:
    folder = str(tmp_path_factory.mktemp("demo-prioritise"))
    for args in (["demo"], ["assess"]):
        result = runner.invoke(app, ["--data-dir", folder, *args])
        assert result.exit_code == 0, result.output
    return folder


@pytest.fixture(scope="module")
def document(data_dir) -> dict:
    result = runner.invoke(app, ["--data-dir", data_dir, "prioritise", "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def inputs(data_dir):
    partnership = load_partnership("kirklees")
    with Warehouse.open(partnership, data_dir) as wh:
        a = latest_assessment(wh)
        community, why = community_for(wh, a)
    assert community is not None, why
    return partnership, a, community


def _row(document, priority_id):
    return next(r for r in document["priorities"] if r["id"] == priority_id)


def test_the_statuses_equal_the_seed_table(document):
    assert document["community_insight"] is True
    statuses = {r["id"]: r["status"] for r in document["priorities"]}
    assert statuses == SEED_4_3


def test_each_call_rests_on_the_evidence_the_seed_gives(document):
    kinds = {r["id"]: set(r["criteria"]) for r in document["priorities"]}
    assert "statutory-duty" in kinds["serious-violence"]
    # the demo's homicides jump while most serious violence falls (seed 4.2)
    assert {"against-parent", "harm-rising"} <= kinds["serious-violence"]
    assert "significant-rise" in kinds["vawg"]
    assert {"significant-rise", "spc-concern"} <= kinds["asb"]
    assert "tension-high" in kinds["community-tensions"]
    assert "tension-high" in kinds["migration"]
    assert "underreporting-raised" in kinds["hate-crime"]
    assert "owned-elsewhere" in kinds["youth-exploitation"]
    assert "owned-elsewhere" in kinds["road-safety"]
    # cross-cutting although both carry a statutory duty
    for pid in ("drugs-alcohol", "reoffending"):
        assert {"cross-cutting", "statutory-duty"} <= kinds[pid]


def test_neighbourhood_crime_is_kept_in_view_with_asb(document):
    (merge,) = document["merges"]
    assert (merge["priority_id"], merge["into"]) == ("neighbourhood-crime", "asb")
    assert _row(document, "neighbourhood-crime")["merge_into"] == "asb"


def test_road_safety_is_raised_often_but_stays_monitor(document, inputs):
    _, _, community = inputs
    road = community.of("road-safety")
    assert road.mentions > 50  # raised often, ranked in the district's top ten
    assert road.rank <= 10
    assert _row(document, "road-safety")["status"] == "monitor"


def test_a_monitored_measure_rising_significantly_makes_it_high_focus(inputs):
    partnership, a, community = inputs
    priorities = []
    for p in a.priorities:
        if p.id == "modern-slavery":
            m = p.measures[0]
            m = m.model_copy(
                update={
                    "count": 40,
                    "previous_count": 14,
                    "direction": "up",
                    "change_ratio": 40 / 14,
                    "change_p_value": 0.0004,
                }
            )
            p = p.model_copy(update={"measures": [m]})
        priorities.append(p)
    call = recommend(a.model_copy(update={"priorities": priorities}), partnership, community)
    call = call.call("modern-slavery")
    assert call.status == "high-focus"
    assert [c.kind for c in call.criteria] == ["significant-rise"]
    assert call.criteria[0].figures["count"] == 40


def test_dropping_a_statutory_duty_changes_the_call(inputs):
    partnership, a, community = inputs
    without = with_priority(partnership, "prevent", statutory_duties=[])
    assert recommend(a, without, community).call("prevent").status == "monitor"


def test_raising_a_priority_s_mentions_changes_the_call(inputs):
    partnership, a, community = inputs
    road = community.of("road-safety")
    before = road.mentions // 2  # the previous period had half as many
    rising = community.model_copy(
        update={
            "priorities": {
                **community.priorities,
                "road-safety": road.model_copy(update={"previous_mentions": before}),
            }
        }
    )
    call = recommend(a, partnership, rising).call("road-safety")
    assert call.status == "high-focus"
    assert "mentions-rising" in [c.kind for c in call.criteria]


def test_without_the_configured_drivers_reoffending_is_high_focus_on_its_duty(inputs):
    partnership, a, community = inputs
    without = with_priority(partnership, "reoffending", drives=[])
    call = recommend(a, without, community).call("reoffending")
    assert call.status == "high-focus"
    assert [c.kind for c in call.criteria] == ["statutory-duty"]

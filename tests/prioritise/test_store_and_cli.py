"""`sia prioritise` and `sia override`: stored, with history, both calls shown."""

from __future__ import annotations

import json

import pytest
from constructed import assessment, kirklees, measure
from typer.testing import CliRunner

from sia.assessment import store_assessment
from sia.cli import app
from sia.prioritise.store import OverrideError, override_history, record_override
from sia.warehouse import Warehouse

runner = CliRunner()


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> str:
    folder = tmp_path_factory.mktemp("prioritise")
    p = kirklees()
    with Warehouse.open(p, folder) as wh:
        store_assessment(
            wh, assessment(p, {"vawg": [measure("vawg-crimes", 130, 100, "up", p_value=0.01)]})
        )
    return str(folder)


def _run(data_dir, *args):
    return runner.invoke(app, ["--data-dir", data_dir, *args])


def test_prioritise_needs_an_assessment(tmp_path):
    result = _run(str(tmp_path), "prioritise")
    assert result.exit_code == 1
    assert "no assessment is stored: run `sia assess` first" in result.output


def test_prioritise_json_lists_every_priority_and_stores_it(data_dir):
    result = _run(data_dir, "prioritise", "--json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    rows = {r["id"]: r for r in document["priorities"]}
    assert len(rows) == 16
    for row in rows.values():
        assert {
            "id",
            "name",
            "theme",
            "status",
            "criteria",
            "figures",
            "score",
            "rank",
            "owner",
            "override",
            "decision",
            "rationale",
        } <= set(row)
    assert rows["vawg"]["status"] == "high-focus"
    assert rows["vawg"]["criteria"] == ["significant-rise"]
    assert rows["vawg"]["figures"]["significant-rise:vawg-crimes"]["p_value"] == 0.01
    assert rows["youth-exploitation"]["owner"] == "Kirklees Safeguarding Children Partnership"
    assert document["community_insight"] is False
    # the constructed assessment carries config hash "test", not Kirklees's
    assert any("configuration has changed" in n for n in document["notes"])
    assert any("no insight records" in n for n in document["notes"])
    with Warehouse.open(kirklees(), data_dir, read_only=True) as wh:
        assert wh.scalar("SELECT count(*) FROM prioritisations") >= 1
        stored = wh.rows(
            "SELECT status, criteria FROM priority_recommendations WHERE priority_id = 'vawg' "
            "ORDER BY prioritisation_id DESC LIMIT 1"
        )
    assert stored == [{"status": "high-focus", "criteria": ["significant-rise"]}]


def test_an_override_is_kept_with_who_and_when_and_history(data_dir):
    first = _run(
        data_dir,
        "override",
        "road-safety",
        "--status",
        "high-focus",
        "--reason",
        "Councillors' top concern in Rural",
        "--by",
        "J Smith",
    )
    assert first.exit_code == 0, first.output
    assert "road-safety is high-focus (recommended: monitor), by J Smith" in first.output
    second = _run(
        data_dir,
        "override",
        "road-safety",
        "--status",
        "monitor",
        "--reason",
        "Vision Zero has it in view",
        "--by",
        "A Lead",
    )
    assert second.exit_code == 0, second.output
    assert "2 decisions on road-safety" in second.output
    with Warehouse.open(kirklees(), data_dir, read_only=True) as wh:
        history = override_history(wh, "road-safety")
    assert [(o.status, o.decided_by) for o in history] == [
        ("high-focus", "J Smith"),
        ("monitor", "A Lead"),
    ]
    assert history[0].reason == "Councillors' top concern in Rural"
    assert history[0].decided_at <= history[1].decided_at
    assert history[1].recommended_status == "monitor"
    # the output shows both the recommendation and the decision in force
    result = _run(data_dir, "prioritise", "--json")
    row = next(r for r in json.loads(result.stdout)["priorities"] if r["id"] == "road-safety")
    assert (row["status"], row["decision"]) == ("monitor", "monitor")
    assert row["override"]["decided_by"] == "A Lead"
    flipped = _run(
        data_dir,
        "override",
        "prevent",
        "--status",
        "monitor",
        "--reason",
        "Home Office assessment met",
        "--by",
        "J Smith",
    )
    assert flipped.exit_code == 0, flipped.output
    table = _run(data_dir, "prioritise")
    assert table.exit_code == 0, table.output
    assert "monitor (J Smith)" in table.output
    assert "Decision: monitor, by J Smith" in table.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["no-such", "--status", "monitor", "--reason", "x", "--by", "y"],
            "not in the partnership",
        ),
        (
            ["asb", "--status", "urgent", "--reason", "x", "--by", "y"],
            "status 'urgent' is not one of",
        ),
        (["asb", "--status", "monitor", "--reason", "  ", "--by", "y"], "--reason is empty"),
        (["asb", "--status", "monitor", "--reason", "x", "--by", ""], "--by is empty"),
    ],
)
def test_bad_overrides_are_refused_with_the_reason(data_dir, args, message):
    result = _run(data_dir, "override", *args)
    assert result.exit_code == 1
    assert message in result.output


def test_overrides_are_never_changed_in_place(tmp_path):
    p = kirklees()
    with Warehouse.open(p, tmp_path) as wh:
        record_override(wh, "asb", "monitor", "first", "A")
        record_override(wh, "asb", "high-focus", "second", "B")
        rows = wh.rows("SELECT override_id, status, reason FROM priority_overrides ORDER BY 1")
        with pytest.raises(OverrideError):
            record_override(wh, "asb", "high-focus", "", "B")
    assert rows == [
        {"override_id": 1, "status": "monitor", "reason": "first"},
        {"override_id": 2, "status": "high-focus", "reason": "second"},
    ]

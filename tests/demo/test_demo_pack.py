"""`sia demo`: the whole Kirklees pack is written and loaded; a second run changes nothing."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from sia.cli import app

runner = CliRunner()


@pytest.mark.slow
def test_demo_writes_and_loads_every_source_and_a_second_run_changes_nothing(tmp_path):
    first = runner.invoke(app, ["--data-dir", str(tmp_path), "demo"])
    assert first.exit_code == 0, first.output
    assert "Demo pack for Kirklees Community Safety Partnership" in first.output
    loads = json.loads(runner.invoke(app, ["--data-dir", str(tmp_path), "status", "--json"]).stdout)
    sources = {x["source"] for x in loads}
    assert {
        "police-uk",
        "force-extract",
        "asb-council",
        "fire",
        "health-istv",
        "stats19",
        "engagement",
        "councillor-session",
        "officer-session",
        "tension",
    } <= sources
    assert all(x["rejected"] == 0 for x in loads), [x for x in loads if x["rejected"]]
    assert all(x["loaded"] > 0 for x in loads)
    for x in loads:
        assert x["loaded"] + x["duplicates"] + x["skipped"] + x["rejected"] == x["read"]

    table = runner.invoke(app, ["--data-dir", str(tmp_path), "status"]).output
    assert "By source" in table
    police = next(
        line
        for line in table.splitlines()
        if "police-uk" in line and "│" in line and line.split("│")[2].strip() == "60"
    )
    assert f"{sum(x['loaded'] for x in loads if x['source'] == 'police-uk'):,}" in police

    second = runner.invoke(app, ["--data-dir", str(tmp_path), "demo"])
    assert second.exit_code == 0, second.output
    assert second.output.count("already loaded (no change)") == len(loads)
    again = json.loads(runner.invoke(app, ["--data-dir", str(tmp_path), "status", "--json"]).stdout)
    assert again == loads

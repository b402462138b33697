"""One Kirklees demo warehouse, assessed and reported in every format, shared by the report
tests (built the way a user does: ``sia demo``, ``sia assess``, ``sia report``)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sia.cli import app
from sia.config import load_partnership
from sia.report import report_context
from sia.report.context import ReportContext
from sia.warehouse import Warehouse

runner = CliRunner()


@dataclass
class Built:
    data_dir: Path
    out: Path
    document: dict
    context: ReportContext


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Built:
    data_dir = tmp_path_factory.mktemp("report-demo")
    made = runner.invoke(app, ["--data-dir", str(data_dir), "demo"])
    assert made.exit_code == 0, made.output
    assessed = runner.invoke(app, ["--data-dir", str(data_dir), "assess", "--json"])
    assert assessed.exit_code == 0, assessed.output
    out = data_dir / "report"
    reported = runner.invoke(app, ["--data-dir", str(data_dir), "report", "--out", str(out)])
    assert reported.exit_code == 0, reported.output
    partnership = load_partnership("kirklees")
    with Warehouse.open(partnership, data_dir, read_only=True) as wh:
        context = report_context(wh, partnership)
    return Built(data_dir, out, json.loads(assessed.stdout), context)

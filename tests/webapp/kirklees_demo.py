"""One Kirklees demo warehouse for the web app's tests, built as a user builds it
(``sia demo``, ``sia assess``, ``sia prioritise``) once per test session, and the report's
context read from it independently of the app (``sia.report.report_context``)."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from typer.testing import CliRunner

from sia.cli import app
from sia.config import load_partnership
from sia.report import report_context
from sia.report.context import ReportContext
from sia.warehouse import Warehouse


@dataclass(frozen=True)
class Demo:
    data_dir: Path
    context: ReportContext


@cache
def kirklees_demo() -> Demo:
    """The demo warehouse (about a minute to build) and its report context."""
    data_dir = Path(tempfile.mkdtemp(prefix="sia-webapp-demo-"))
    atexit.register(shutil.rmtree, data_dir, ignore_errors=True)  # a few hundred MB
    runner = CliRunner()
    for command in (["demo"], ["assess"], ["prioritise"]):
        done = runner.invoke(app, ["--data-dir", str(data_dir), *command])
        assert done.exit_code == 0, (command, done.output, repr(done.exception))
    partnership = load_partnership("kirklees")
    with Warehouse.open(partnership, data_dir, read_only=True) as wh:
        context = report_context(wh, partnership)
    return Demo(data_dir, context)

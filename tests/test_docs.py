"""Documentation keeps up with the code: an undocumented command, key or table fails."""

from __future__ import annotations

import re
from pathlib import Path

import typer.main

from sia.cli import app
from sia.config.schema import Measure, Partnership, Priority

DOCS = Path(__file__).resolve().parents[1] / "docs"
SQL = Path(__file__).resolve().parents[1] / "sia" / "warehouse" / "sql"


def _commands(group, prefix=""):
    click_group = typer.main.get_command(group)
    for name, command in click_group.commands.items():
        if hasattr(command, "commands"):
            for sub in command.commands:
                yield f"{prefix}{name} {sub}"
        else:
            yield f"{prefix}{name}"


def test_every_command_is_in_the_cli_guide():
    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    for command in _commands(app):
        assert f"`sia {command}" in text, f"sia {command} is not documented in docs/cli.md"


def test_every_config_key_is_documented():
    text = (DOCS / "partnership-config.md").read_text(encoding="utf-8")
    for model in (Partnership, Priority, Measure):
        for key in model.model_fields:
            assert f"`{key}`" in text, f"{model.__name__}.{key} is not documented"


def test_every_warehouse_table_is_documented():
    text = "\n".join(p.read_text(encoding="utf-8") for p in DOCS.glob("*.md"))
    tables = [
        t
        for path in SQL.glob("schema*.sql")
        for t in re.findall(r"CREATE TABLE IF NOT EXISTS (\w+)", path.read_text(encoding="utf-8"))
    ]
    assert len(tables) >= 9
    for table in tables:
        assert f"| `{table}` |" in text, f"table {table} is not documented in a docs/ table"


def test_every_source_is_documented():
    from sia.sources import REGISTRY

    text = "\n".join(p.read_text(encoding="utf-8") for p in DOCS.glob("*.md"))
    for name, entry in REGISTRY.items():
        assert f"`sia ingest {name}" in text, f"source {name} has no documented command"
        for fmt in entry.formats().values():
            for header in fmt.headers:
                assert f"`{header}`" in text or header in text, (name, header)

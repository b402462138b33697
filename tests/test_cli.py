"""The sia command, end to end through Typer's runner."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sia.cli import app

REPO = Path(__file__).resolve().parents[1]
CITY = REPO / "data" / "police_uk" / "city-of-london"
runner = CliRunner()


def sia(data: Path, *args: str, config: str = "city-of-london"):
    return runner.invoke(app, ["--config", config, "--data-dir", str(data), *args])


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    data = tmp_path_factory.mktemp("cli")
    result = sia(data, "ingest", "police-uk", str(CITY / "2019-01"), str(CITY / "2019-02"))
    assert result.exit_code == 0, result.output
    return data, result


def test_ingest_prints_a_summary_per_file_and_the_balance(loaded):
    _, result = loaded
    assert "2019-01-city-of-london-street.csv" in result.output
    assert "2019-02-city-of-london-street.csv" in result.output
    # 2019-01 has 617 rows and 2019-02 has 688 (data/README.md; counted with wc -l)
    assert "2 file(s): 1,305 rows read" in result.output


def test_status_json_lists_every_load_with_its_counts(loaded):
    data, _ = loaded
    result = sia(data, "status", "--json")
    assert result.exit_code == 0, result.output
    loads = json.loads(result.stdout)
    assert [Path(x["file"]).name for x in loads] == [
        "2019-01-city-of-london-street.csv",
        "2019-02-city-of-london-street.csv",
    ]
    for x in loads:
        assert {
            "file",
            "sha256",
            "source",
            "read",
            "loaded",
            "skipped",
            "rejected",
            "duplicates",
        } <= x.keys()
        assert x["loaded"] + x["duplicates"] + x["skipped"] + x["rejected"] == x["read"]
        assert len(x["sha256"]) == 64 and x["source"] == "police-uk"
    assert [x["read"] for x in loads] == [617, 688]


def test_ingesting_again_changes_nothing(loaded):
    data, _ = loaded
    result = sia(data, "ingest", "police-uk", str(CITY / "2019-01"))
    assert result.exit_code == 0
    assert "already loaded" in result.output
    assert len(json.loads(sia(data, "status", "--json").stdout)) == 2


def test_sql_csv_output(loaded):
    data, _ = loaded
    result = sia(
        data,
        "sql",
        "--csv",
        "SELECT strftime(month, '%Y-%m') AS m, count(*) AS n FROM events GROUP BY 1 ORDER BY 1",
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["m"] for r in rows] == ["2019-01", "2019-02"]
    status = {
        Path(x["file"]).name[:7]: x["loaded"]
        for x in json.loads(sia(data, "status", "--json").stdout)
    }
    assert [int(r["n"]) for r in rows] == [status["2019-01"], status["2019-02"]]


@pytest.mark.parametrize(
    "query",
    [
        "DELETE FROM events",
        "CREATE TABLE x AS SELECT 1",
        "COPY events TO '/tmp/sia-leak.csv'",
    ],
)
def test_sql_is_read_only(loaded, query):
    data, _ = loaded
    before = sia(data, "sql", "--csv", "SELECT count(*) FROM events").stdout
    result = sia(data, "sql", query)
    assert result.exit_code == 1
    assert "Error" in result.output
    assert sia(data, "sql", "--csv", "SELECT count(*) FROM events").stdout == before


def test_a_bad_file_is_reported_and_the_others_load(tmp_path):
    bad = tmp_path / "in" / "bad.csv"
    bad.parent.mkdir()
    bad.write_bytes(b"")
    good = tmp_path / "in" / "good.csv"
    good.write_bytes((CITY / "2017-01" / "2017-01-city-of-london-street.csv").read_bytes())
    result = sia(tmp_path / "d", "ingest", "police-uk", str(tmp_path / "in"))
    assert result.exit_code == 1
    assert "bad.csv" in result.output and "empty" in result.output
    loads = json.loads(sia(tmp_path / "d", "status", "--json").stdout)
    assert [Path(x["file"]).name for x in loads] == ["good.csv"]


def test_status_before_any_load_says_what_to_do(tmp_path):
    result = sia(tmp_path, "status")
    assert result.exit_code == 1
    assert "sia ingest" in result.output


def test_config_check(tmp_path):
    ok = runner.invoke(app, ["config", "check", "kirklees"])
    assert ok.exit_code == 0 and "23 wards in 4 places" in ok.output
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: Bad Id\n", encoding="utf-8")
    result = runner.invoke(app, ["config", "check", str(bad)])
    assert result.exit_code == 1
    assert "line 1, id:" in result.output


def test_config_errors_keep_their_brackets(tmp_path):
    import yaml

    from sia.config import bundled_path

    data = yaml.safe_load(bundled_path("city-of-london").read_text(encoding="utf-8"))
    data["priorities"][0]["measures"][0]["categories"] = ["Burglery"]
    path = tmp_path / "p.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    result = runner.invoke(app, ["config", "check", str(path)])
    assert result.exit_code == 1
    assert "['Burglery']" in result.output


def test_ingest_mapped_with_the_example_mapping(tmp_path):
    mapping = REPO / "docs" / "examples" / "mapped-cctv.yaml"
    data = REPO / "tests" / "data" / "mapped"
    result = runner.invoke(
        app, ["--data-dir", str(tmp_path), "ingest", "mapped", "--mapping", str(mapping), str(data)]
    )
    assert result.exit_code == 0, result.output
    loads = json.loads(runner.invoke(app, ["--data-dir", str(tmp_path), "status", "--json"]).stdout)
    assert len(loads) == 1 and loads[0]["loaded"] > 0
    bad = runner.invoke(
        app,
        [
            "--data-dir",
            str(tmp_path),
            "ingest",
            "mapped",
            "--mapping",
            str(tmp_path / "missing.yaml"),
            str(data),
        ],
    )
    assert bad.exit_code == 1 and "missing.yaml" in bad.output


def test_assess_prints_a_summary_and_json(loaded):
    data, _ = loaded
    result = sia(data, "assess", "--period", "2019-02:2019-02")
    assert result.exit_code == 0, result.output
    assert "Feb 2019 to Feb 2019" in result.output
    document = json.loads(sia(data, "assess", "--json", "--period", "2019-01:2019-02").stdout)
    assert {"period", "previous_period", "priorities", "hotspots", "data_quality"} <= set(document)
    bad = sia(data, "assess", "--period", "2019-13:2019-02")
    assert bad.exit_code == 1 and "2019-13" in bad.output

"""The dashboard: record counts and the latest assessment's priority table, read-only."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sia.assessment import build_assessment, store_assessment
from sia.config import load_partnership
from sia.sources.police_uk import load_file
from sia.warehouse import WAREHOUSE_FILE, Warehouse

REPO = Path(__file__).resolve().parents[2]
#: Two years of the real City of London street files: an assessment of 2021 against 2020.
FILES = sorted((REPO / "data" / "police_uk" / "city-of-london").glob("*/*.csv"))[-24:]


pytestmark = pytest.mark.slow  # one assessment of two years of files: about 10 s


@pytest.fixture(scope="module")
def assessed(tmp_path_factory):
    """A City of London warehouse with 24 files loaded and one assessment stored."""
    folder = tmp_path_factory.mktemp("dashboard")
    partnership = load_partnership("city-of-london")
    with Warehouse.open(partnership, folder) as wh:
        loaded = sum(load_file(wh, path).loaded for path in FILES)
        assessment = build_assessment(wh, partnership)
        store_assessment(wh, assessment)
    return folder, loaded, assessment


@pytest.fixture
def viewer(client, people):
    client.force_login(people["partner viewer"])


def _counts(html: str) -> dict[str, str]:
    return dict(
        re.findall(
            r'<dt class="govuk-summary-list__key">([^<]+)</dt>\s*'
            r'<dd class="govuk-summary-list__value">([^<]+)</dd>',
            html,
        )
    )


@pytest.mark.django_db
def test_the_dashboard_counts_records_and_shows_the_priority_table(
    client, viewer, settings, assessed
):
    folder, loaded, assessment = assessed
    settings.SIA_DATA_DIR = folder
    settings.SIA_CONFIG = "city-of-london"
    html = client.get("/dashboard/").content.decode()
    counts = _counts(html)
    # the loads' own tallies, not the dashboard's query, give the expected figures
    assert counts["Crime, disorder and incident records"] == str(loaded)
    assert counts["Files loaded"] == str(len(FILES))
    assert counts["Community engagements"] == "0"
    assert counts["Engagements recorded in this app"] == "0 (0 by you)"
    assert "January 2021 to December 2021 (12 months)" in html
    rows = assessment.summary_rows()
    table = html.split('id="priority-table"', 1)[1].split("</table>", 1)[0]
    cells = re.findall(
        r'<th scope="row"[^>]*>([^<]+)</th>\s*'
        + r"\s*".join([r'<td class="govuk-table__cell[^"]*">([^<]*)</td>'] * 6),
        table,
    )
    assert [list(c) for c in cells] == [
        [r["measure"], r["count"], r["previous"], r["change"], r["direction"], r["trend"], r["spc"]]
        for r in rows
    ]
    priorities = re.findall(r'<th scope="colgroup"[^>]*>([^<]+)</th>', table)
    assert priorities == list(dict.fromkeys(r["priority"] for r in rows))
    assert "warehouse-problem" not in html


@pytest.mark.django_db
def test_without_a_warehouse_the_dashboard_says_so(client, viewer, settings, tmp_path):
    settings.SIA_DATA_DIR = tmp_path
    html = client.get("/dashboard/").content.decode()
    assert "No partner data has been loaded yet" in html
    assert "No assessment has been stored yet" in html


@pytest.mark.django_db
def test_while_a_load_holds_the_warehouse_the_dashboard_says_so(
    client, viewer, settings, tmp_path, assessed
):
    folder, _, _ = assessed
    copy = tmp_path / WAREHOUSE_FILE
    copy.write_bytes((folder / WAREHOUSE_FILE).read_bytes())
    settings.SIA_DATA_DIR = tmp_path
    settings.SIA_CONFIG = "city-of-london"
    # another process opens the warehouse for writing, as `sia ingest` does, and keeps it
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('open', "
            "flush=True); time.sleep(60)",
            str(copy),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "open"
        response = client.get("/dashboard/")
    finally:
        holder.kill()
        holder.wait()
    assert response.status_code == 200
    assert "The warehouse is being updated" in response.content.decode()
    time.sleep(0.1)
    assert "Files loaded" in client.get("/dashboard/").content.decode()  # readable again


@pytest.mark.django_db
def test_the_dashboard_sees_a_new_load_at_once(client, viewer, settings, tmp_path, assessed):
    """The summary is kept between requests only until the warehouse's files change."""
    folder, loaded, _ = assessed
    (tmp_path / WAREHOUSE_FILE).write_bytes((folder / WAREHOUSE_FILE).read_bytes())
    settings.SIA_DATA_DIR = tmp_path
    settings.SIA_CONFIG = "city-of-london"
    before = _counts(client.get("/dashboard/").content.decode())
    assert before["Files loaded"] == str(len(FILES))
    earlier = sorted((REPO / "data" / "police_uk" / "city-of-london").glob("*/*.csv"))[-25]
    with Warehouse.open(load_partnership("city-of-london"), tmp_path) as wh:
        added = load_file(wh, earlier).loaded
    after = _counts(client.get("/dashboard/").content.decode())
    assert after["Files loaded"] == str(len(FILES) + 1)
    assert after["Crime, disorder and incident records"] == str(loaded + added)

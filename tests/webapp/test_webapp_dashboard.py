"""The dashboard: record counts and the latest assessment's priority table, read-only."""

from __future__ import annotations

import html as htmllib
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
    assert counts["Crime, disorder and incident records"] == f"{loaded:,}"  # 1,234
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
    priorities = re.findall(r'<th scope="colgroup"[^>]*>([^<]+?)\s*(?:</th>|<span)', table)
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
    assert after["Crime, disorder and incident records"] == f"{loaded + added:,}"


# -- the Kirklees demo: statuses, the change chart, the ward map, this week's tension -------
@pytest.fixture(scope="module")
def demo():
    from tests.webapp.kirklees_demo import kirklees_demo

    return kirklees_demo()


@pytest.fixture
def on_demo(settings, demo):
    from webapp.profiles import services

    services.forget()
    settings.SIA_DATA_DIR = demo.data_dir
    settings.SIA_CONFIG = "kirklees"
    yield demo
    services.forget()


@pytest.mark.django_db
def test_each_priority_shows_its_status_in_force(client, viewer, on_demo):
    """The statuses are those of the stored recommendation (``sia prioritise``), read here
    from sia's own store, not from the report's context the dashboard uses."""
    from sia.prioritise.store import latest_recommendation

    partnership = load_partnership("kirklees")
    with Warehouse.open(partnership, on_demo.data_dir, read_only=True) as wh:
        _, recommendation = latest_recommendation(wh)
    names = {"high-focus": "High focus", "monitor": "Continue to monitor"}
    names["cross-cutting"] = "Cross-cutting"
    expected = {partnership.priority(p.id).name: names[p.status] for p in recommendation.priorities}
    html = client.get("/dashboard/").content.decode()
    table = html.split('id="priority-table"', 1)[1].split("</table>", 1)[0]
    shown = re.findall(
        r'<th scope="colgroup"[^>]*>([^<]+?) <span[^>]*>\(status: <span data-status>([^<]+)</span>',
        table,
    )
    assert dict((htmllib.unescape(n), s) for n, s in shown) == expected
    assert len(shown) == len(expected) > 0


@pytest.mark.django_db
def test_the_change_chart_names_the_significant_changes(client, viewer, on_demo):
    from sia.assessment import latest_assessment

    with Warehouse.open(load_partnership("kirklees"), on_demo.data_dir, read_only=True) as wh:
        assessment = latest_assessment(wh)
    html = htmllib.unescape(client.get("/dashboard/").content.decode())
    figure = html.split('id="change-chart"', 1)[1].split("</figure>", 1)[0]
    assert '<svg style="max-width: 100%; height: auto" role="img" aria-label="' in figure
    caption = figure.split("<figcaption", 1)[1]
    for _, m in assessment.measures():
        change = f"{(m.change_ratio - 1) * 100:+.1f}%" if m.change_ratio else None
        if m.direction in ("up", "down"):
            assert f"{m.name[:40]}" in caption and change in caption, m.name
    compared = sum(m.change_ratio is not None for _, m in assessment.measures())
    assert f"change of {compared} measures" in caption


def _map(html: str) -> str:
    return html.split('id="ward-map"', 1)[1].split("</figure>", 1)[0]


@pytest.mark.django_db
def test_the_ward_map_links_every_ward_to_its_profile(client, viewer, on_demo):
    from sia.config.schema import slugify

    partnership = load_partnership("kirklees")
    html = client.get("/dashboard/?measure=asb-police").content.decode()
    drawn = _map(html)
    links = re.findall(r'<a xlink:href="([^"]+)"', drawn)
    assert sorted(links) == sorted(f"/profiles/wards/{slugify(w.name)}/" for w in partnership.wards)
    assert "https://" not in drawn
    # every ward's link is named by its rate, as the report's ward table prints it
    section = next(
        m
        for t in on_demo.context.themes
        for p in t.priorities
        for m in p.measures
        if m.id == "asb-police"
    )
    rate = section.wards.columns.index("Rate per 1,000")
    labels = dict(re.findall(r'aria-label="([^":]+): ([^"]+)\. Open', htmllib.unescape(drawn)))
    for row in section.wards.rows:
        assert labels[row[0]] == f"{row[rate]} per 1,000", row[0]
    # and the table beside it links each ward too
    table = html.split('id="ward-map-table"', 1)[1].split("</table>", 1)[0]
    assert len(re.findall(r'href="/profiles/wards/', table)) == len(partnership.wards)


@pytest.mark.django_db
def test_the_ward_map_never_shows_a_hidden_count(client, viewer, on_demo):
    """A sensitive measure's hidden wards are grey, without their rate, in the picture, its
    words and its table."""
    sections = [m for t in on_demo.context.themes for p in t.priorities for m in p.measures]
    section = next((m for m in sections if m.wards.hidden), None)
    assert section is not None, "the demo has no hidden ward: the test would prove nothing"
    html = htmllib.unescape(client.get(f"/dashboard/?measure={section.id}").content.decode())
    drawn = _map(html)
    table = html.split('id="ward-map-table"', 1)[1].split("</table>", 1)[0]
    names = dict(zip(section.wards.keys, (r[0] for r in section.wards.rows), strict=True))
    for key, column in section.wards.hidden:
        if column != "Rate per 1,000":
            continue
        secret = section.wards.raw[f"{key}|{column}"]
        assert f"{names[key]}: not shown (small numbers)" in drawn
        row = re.search(rf">{re.escape(names[key])}</a></th><td[^>]*>([^<]+)</td>", table)
        assert row[1] == "not shown", (names[key], row[1])
        assert f"{names[key]} {secret}" not in drawn
    # each hidden ward is hatched as well as grey: one path of lines each, over the wards
    from sia.report.maps import HATCH_COLOUR

    hidden_wards = {key for key, column in section.wards.hidden if column == "Rate per 1,000"}
    assert drawn.count(f'stroke="{HATCH_COLOUR}"') == len(hidden_wards)
    assert "grey and hatched" in html


@pytest.mark.django_db
def test_this_weeks_tension_level(client, viewer, people, on_demo):
    from django.utils import timezone

    from webapp.tension.models import TensionReport

    today = timezone.localdate()
    for level in (2, 4):
        TensionReport.objects.create(
            recorded_by=people["officer"],
            date=today,
            place="Huddersfield",
            category="hate-crime",
            trigger="local",
            evidence="evidenced",
            level=level,
        )
    html = htmllib.unescape(client.get("/dashboard/").content.decode())
    box = html.split('id="tension-level"', 1)[1].split("</div>", 1)[0]
    assert "2 reports, highest level 4 – High" in box
    assert "Last week: no tension reports" in box

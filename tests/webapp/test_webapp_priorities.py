"""Priority review: the stored recommendation, its criteria and figures, and overrides
kept through sia's own store (the one ``sia override`` writes)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from sia.assessment import store_assessment
from sia.config import load_partnership
from sia.prioritise.recommend import prioritise_cli
from sia.prioritise.store import latest_overrides, override_history
from sia.warehouse import WAREHOUSE_FILE, Warehouse

# the prioritisation tests' hand-made assessments (tests/prioritise/constructed.py)
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "prioritise"))
from constructed import assessment, measure

from webapp.audit.models import AuditEntry


@pytest.fixture
def warehouse(tmp_path, settings):
    """A Kirklees warehouse with one assessment (VAWG up 30%, p = 0.01) and the
    recommendation made from it; the app reads it."""
    p = load_partnership("kirklees")
    with Warehouse.open(p, tmp_path) as wh:
        store_assessment(
            wh, assessment(p, {"vawg": [measure("vawg-crimes", 130, 100, "up", p_value=0.01)]})
        )
        recommendation, _ = prioritise_cli(wh)
    settings.SIA_DATA_DIR = tmp_path
    settings.SIA_CONFIG = None
    return tmp_path / WAREHOUSE_FILE, recommendation


@pytest.fixture
def analyst(client, people):
    people["analyst"].first_name, people["analyst"].last_name = "Ann", "Analyst"
    people["analyst"].save()
    client.force_login(people["analyst"])
    return people["analyst"]


def _overrides(path: Path) -> list:
    with Warehouse(path, load_partnership("kirklees"), read_only=True) as wh:
        return override_history(wh)


def test_the_list_shows_every_priority_with_its_recommendation(client, analyst, warehouse):
    _, recommendation = warehouse
    html = client.get("/priorities/").content.decode()
    for p in recommendation.priorities:
        row = html.split(f'id="priority-{p.id}"', 1)[1].split("</tr>", 1)[0]
        assert f'href="/priorities/{p.id}/"' in row
        assert f">{len(p.criteria)}" in row
    vawg = html.split('id="priority-vawg"', 1)[1].split("</tr>", 1)[0]
    assert "High focus" in vawg
    assert "1: Significant rise" in vawg
    assert "As recommended" in vawg


def test_a_priority_page_shows_criteria_figures_rationale_and_no_history(
    client, analyst, warehouse
):
    _, recommendation = warehouse
    call = recommendation.call("vawg")
    html = client.get("/priorities/vawg/").content.decode()
    assert "High focus" in html.split('id="recommended-status"', 1)[1].split("</dd>", 1)[0]
    assert call.rationale in html.replace("&#x27;", "'")
    criteria = html.split('id="criteria"', 1)[1].split("</ul>", 1)[0]
    assert "Significant rise" in criteria and "significant-rise" not in criteria
    # the criterion's p-value, as the constructed assessment set it
    assert "0.01" in criteria
    measures = html.split('id="measures"', 1)[1].split("</table>", 1)[0]
    assert "Vawg crimes" in measures
    assert "+30.0%" in measures  # 130 against 100
    assert "No decision has been made on this priority" in html
    assert 'name="csrfmiddlewaretoken"' in html


def test_an_unknown_priority_is_not_found(client, analyst, warehouse):
    assert client.get("/priorities/no-such-priority/").status_code == 404


def test_an_override_needs_a_status_and_a_reason(client, analyst, warehouse):
    path, _ = warehouse
    response = client.post("/priorities/vawg/", {"status": "", "reason": "  "})
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert 'href="#id_status">Select the status the priority should have' in html
    assert 'href="#id_reason">Enter why the recommendation is overridden' in html
    assert html.startswith("<!DOCTYPE html>")
    assert "<title>Error: " in html
    response = client.post("/priorities/vawg/", {"status": "urgent", "reason": "why"})
    assert "Select a status from the list" in response.content.decode()
    assert _overrides(path) == []


def test_an_override_is_kept_in_the_store_sia_report_reads(client, analyst, warehouse):
    path, _ = warehouse
    response = client.post(
        "/priorities/vawg/", {"status": "monitor", "reason": "Covered by the VAWG board"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/priorities/vawg/"
    kept = _overrides(path)
    assert [
        (o.priority_id, o.status, o.reason, o.decided_by, o.recommended_status) for o in kept
    ] == [("vawg", "monitor", "Covered by the VAWG board", "Ann Analyst", "high-focus")]
    with Warehouse(path, load_partnership("kirklees"), read_only=True) as wh:
        assert latest_overrides(wh)["vawg"].status == "monitor"
    html = client.get("/priorities/vawg/").content.decode()
    assert "decision kept (Continue to monitor)" in html
    decision = html.split('id="decision"', 1)[1].split("</dd>", 1)[0]
    assert "Continue to monitor, decided by Ann Analyst" in decision
    history = html.split('id="history"', 1)[1].split("</table>", 1)[0]
    assert "Covered by the VAWG board" in history and "High focus" in history
    # a second decision: the newest is in force and both are in the history
    client.post("/priorities/vawg/", {"status": "cross-cutting", "reason": "Links to ASB"})
    assert [o.status for o in _overrides(path)] == ["monitor", "cross-cutting"]
    # both are in the app's audit history: who, what, the status before and after
    entries = AuditEntry.objects.filter(record_type="priority override").order_by("id")
    assert [(e.username, e.action, e.record_id, e.changes) for e in entries] == [
        (
            "analyst",
            "update",
            "vawg",
            {"status": ["high-focus", "monitor"], "reason": [None, "Covered by the VAWG board"]},
        ),
        (
            "analyst",
            "update",
            "vawg",
            {"status": ["monitor", "cross-cutting"], "reason": [None, "Links to ASB"]},
        ),
    ]
    listed = client.get("/priorities/").content.decode()
    row = listed.split('id="priority-vawg"', 1)[1].split("</tr>", 1)[0]
    assert "Cross-cutting high priority focus" in row and "overridden by Ann Analyst" in row


def test_only_analysts_may_override(client, people, warehouse):
    path, _ = warehouse
    for role in ("officer", "partner viewer", "councillor", "admin"):
        client.force_login(people[role])
        response = client.post("/priorities/vawg/", {"status": "monitor", "reason": "no"})
        assert response.status_code == 403, role
    assert _overrides(path) == []
    assert not AuditEntry.objects.filter(record_type="priority override").exists()


def test_an_override_without_the_csrf_token_is_refused(people, warehouse):
    path, _ = warehouse
    client = Client(enforce_csrf_checks=True)
    client.force_login(people["analyst"])
    response = client.post("/priorities/vawg/", {"status": "monitor", "reason": "x"})
    assert response.status_code == 403
    assert _overrides(path) == []


def test_a_busy_warehouse_is_said_so_and_nothing_is_written(client, analyst, warehouse):
    """Another process (as ``sia ingest`` would) holds the warehouse for writing."""
    path, _ = warehouse
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys; c = duckdb.connect(sys.argv[1]); print('held', flush=True); "
            "sys.stdin.read()",
            str(path),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        response = client.post("/priorities/vawg/", {"status": "monitor", "reason": "Board"})
        html = response.content.decode()
        assert response.status_code == 200
        assert "The warehouse is being updated" in html
        # the form keeps what was typed
        assert "Board</textarea>" in html
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)
    assert _overrides(path) == []
    assert not AuditEntry.objects.filter(record_type="priority override").exists()


def test_without_a_warehouse_the_pages_say_so(client, analyst, settings, tmp_path):
    settings.SIA_DATA_DIR = tmp_path
    assert "No partner data has been loaded yet" in client.get("/priorities/").content.decode()
    response = client.post("/priorities/vawg/", {"status": "monitor", "reason": "x"})
    assert "no warehouse yet" in response.content.decode()

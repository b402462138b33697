"""The audit history: each create, update and delete of an insight record is kept with who,
when and the right diff; record_audit for other records (priority overrides); the page is
for analysts only, filtered by record type and paginated."""

from __future__ import annotations

import re
from datetime import date

import pytest

from webapp.audit.models import AuditEntry
from webapp.audit.records import diff, record_audit
from webapp.engagement.models import Engagement
from webapp.meetings.models import CouncillorMeeting, OfficerSession
from webapp.tension.models import TensionReport

pytestmark = pytest.mark.django_db

ALMONDBURY = "E05008558"
SESSION = {
    "date_day": "4",
    "date_month": "3",
    "date_year": "2026",
    "place": "Huddersfield",
    "theme": "",
    "officers_attending": "6",
    "issues": ["asb"],
}


def test_creating_changing_and_deleting_through_the_pages_is_kept_with_the_diff(client, people):
    officer = people["officer"]
    client.force_login(officer)
    assert client.post("/officer-sessions/new/", SESSION).status_code == 302
    session = OfficerSession.objects.get()
    created = AuditEntry.objects.get()
    assert (created.action, created.record_type, created.record_id) == (
        "create",
        "officer session",
        str(session.pk),
    )
    assert (created.user, created.username) == (officer, "officer")
    assert created.description == "Officer session of 2026-03-04, Huddersfield"
    assert created.changes == {
        "date": [None, "2026-03-04"],
        "place": [None, "Huddersfield"],
        "officers_attending": [None, 6],
        "issues": [None, ["asb"]],
    }
    url = f"/officer-sessions/{session.pk}/change/"
    client.post(url, SESSION)  # unchanged: nothing kept
    assert AuditEntry.objects.count() == 1
    client.post(url, SESSION | {"officers_attending": "7", "issues": ["asb", "hate-crime"]})
    updated = AuditEntry.objects.order_by("-id").first()
    assert updated.action == "update"
    assert updated.changes == {
        "officers_attending": [6, 7],
        "issues": [["asb"], ["asb", "hate-crime"]],
    }
    session.refresh_from_db()
    session.delete()  # outside a request (the admin's or a shell's delete): no person
    deleted = AuditEntry.objects.order_by("-id").first()
    assert (deleted.action, deleted.user, deleted.username) == ("delete", None, "")
    assert deleted.changes["officers_attending"] == [7, None]
    assert deleted.changes["place"] == ["Huddersfield", None]


def test_every_kind_of_insight_record_is_audited(people):
    owner = people["officer"]
    Engagement.objects.create(
        recorded_by=owner, date=date(2026, 1, 5), team="community_plus", place="Huddersfield"
    )
    CouncillorMeeting.objects.create(recorded_by=owner, date=date(2026, 1, 5), ward_code=ALMONDBURY)
    OfficerSession.objects.create(recorded_by=owner, date=date(2026, 1, 5), place="Rural")
    report = TensionReport.objects.create(
        recorded_by=owner,
        date=date(2026, 1, 5),
        category="hate-crime",
        trigger="local",
        evidence="potential",
        level=2,
    )
    report.level = 3
    report.save()
    kinds = list(AuditEntry.objects.order_by("id").values_list("record_type", "action"))
    assert kinds == [
        ("engagement", "create"),
        ("councillor meeting", "create"),
        ("officer session", "create"),
        ("tension report", "create"),
        ("tension report", "update"),
    ]
    assert AuditEntry.objects.order_by("-id").first().changes == {"level": [2, 3]}


def test_record_audit_keeps_an_override_that_is_no_django_model(people):
    entry = record_audit(
        people["analyst"],
        "update",
        "priority override",
        "serious-violence",
        {"status": ["monitor", "high focus"], "reason": [None, "Rising knife crime"]},
        description="Serious violence",
    )
    entry.refresh_from_db()
    assert (entry.username, entry.record_type, entry.record_id) == (
        "analyst",
        "priority override",
        "serious-violence",
    )
    assert entry.changes["status"] == ["monitor", "high focus"]
    with pytest.raises(ValueError, match="unknown action 'edit'"):
        record_audit(people["analyst"], "edit", "priority override", "x", {})


def test_diff_leaves_out_what_did_not_change_and_treats_blank_as_none():
    before = {"a": 1, "b": "", "c": ["x"], "d": date(2026, 3, 1)}
    after = {"a": 1, "b": None, "c": ["x", "y"], "d": date(2026, 3, 2), "e": "new"}
    assert diff(before, after) == {
        "c": [["x"], ["x", "y"]],
        "d": ["2026-03-01", "2026-03-02"],
        "e": [None, "new"],
    }


def test_only_analysts_see_the_history_filtered_and_paginated(client, people):
    for n in range(51):
        record_audit(people["officer"], "create", "engagement", f"e{n}", {"notes": [None, "n"]})
    record_audit(people["analyst"], "update", "priority override", "asb", {"status": ["a", "b"]})
    for role in ("officer", "partner viewer", "councillor", "admin"):
        client.force_login(people[role])
        assert client.get("/audit/").status_code == 403, role
    client.force_login(people["analyst"])
    html = client.get("/audit/").content.decode()
    assert "52 entries" in html
    assert html.count('<tr class="govuk-table__row">') == 1 + 50  # the heading and 50 rows
    assert "priority override" in html.split("<tbody", 1)[1].split("</tr>", 1)[0]  # newest
    assert "<strong>Status</strong></dt><dd" in html and "a → b" in html
    page2 = client.get("/audit/?page=2").content.decode()
    assert page2.count('<tr class="govuk-table__row">') == 1 + 2
    only = client.get("/audit/?type=priority+override").content.decode()
    assert "1 entry" in only
    assert re.search(r'<option value="priority override" selected>', only)
    # the pages of a filtered list keep the filter
    engagements = client.get("/audit/?type=engagement").content.decode()
    assert 'href="?page=2&amp;type=engagement" rel="next"' in engagements
    # a published report has its own type in the filter
    record_audit(people["analyst"], "update", "report", "r1", {"published": [None, "2026-11-28"]})
    reports = client.get("/audit/?type=report").content.decode()
    assert "1 entry" in reports and '<option value="report" selected>' in reports
    # an unknown type is ignored: everything is listed
    assert "53 entries" in client.get("/audit/?type=nonsense").content.decode()

"""``sia ingest app``: what it reads from the app database equals each model's
``as_row()`` (the contract between ``sia`` and the app), and loading is idempotent by
record id and version: new records load, unchanged ones are skipped, edited ones replace
their earlier row, deleted ones are withdrawn, rejected ones wait for an edit.

Runs on SQLite and, with ``DATABASE_URL``, on PostgreSQL: the app's records are read
through the test database's own connection."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import uuid
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.db import connection

from sia.config import load_partnership
from sia.sources.app import KINDS, ingest_records, read_records
from sia.warehouse import Warehouse
from webapp.engagement.models import Engagement
from webapp.meetings.models import CouncillorMeeting, OfficerSession
from webapp.tension.models import TensionReport

KIRKLEES = load_partnership("kirklees")
ALMONDBURY = "E05008558"


def _read() -> dict:
    connection.ensure_connection()
    return read_records(connection.connection)


def _records(owner) -> list:
    return [
        Engagement.objects.create(
            recorded_by=owner,
            date=date(2026, 3, 2),
            team="community_plus",
            place="Huddersfield",
            ward_code=ALMONDBURY,
            organisation_type="mosque",
            individuals=12,
            groups=None,
            feeling="mixed",
            concerns=["asb", "drugs-alcohol"],
            notes='Said: "bikes, again"; and\\nmore',
        ),
        CouncillorMeeting.objects.create(
            recorded_by=owner,
            date=date(2026, 3, 3),
            ward_code=ALMONDBURY,
            councillors_attending=3,
            concerns=["hate-crime"],
            praise="Youth club",
            reporting_routes_known="partly",
        ),
        OfficerSession.objects.create(
            recorded_by=owner, date=date(2026, 3, 4), place="Rural", officers_attending=0
        ),
        TensionReport.objects.create(
            recorded_by=owner,
            date=date(2026, 3, 5),
            category="hate-crime",
            trigger="national",
            evidence="experienced",
            level=4,
            summary="After the news",
        ),
    ]


@pytest.mark.django_db
def test_what_sia_reads_equals_each_models_as_row(people):
    made = _records(people["officer"])
    read = _read()
    for record, kind in zip(made, KINDS, strict=True):
        assert type(record).FORMAT is kind.format
        (got,) = read[kind.format.source]
        assert got.row == record.as_row()
        assert list(got.row) == [c.header for c in kind.format.columns]
        assert (got.record_id, got.version) == (record.record_id, 1)


@pytest.fixture
def warehouse(tmp_path):
    with Warehouse.open(KIRKLEES, tmp_path) as wh:
        yield wh


def _counts(loads) -> dict:
    return {
        load.kind.format.source: (
            load.result.read,
            load.result.loaded,
            load.result.skipped.get("unchanged", 0),
            load.result.rejected,
            load.replaced,
            load.withdrawn,
        )
        for load in loads
    }


@pytest.mark.django_db
def test_loading_is_idempotent_by_id_and_version(people, warehouse):
    wh = warehouse
    engagement, _, session, report = _records(people["officer"])
    first = _counts(ingest_records(wh, _read()))
    assert first == {
        "engagement": (1, 1, 0, 0, 0, 0),
        "councillor-session": (1, 1, 0, 0, 0, 0),
        "officer-session": (1, 1, 0, 0, 0, 0),
        "tension": (1, 1, 0, 0, 0, 0),
    }
    rows = wh.rows("SELECT source_id, place, concerns FROM engagements")
    assert rows == [
        {
            "source_id": engagement.record_id,
            "place": "Huddersfield",
            "concerns": ["asb", "drugs-alcohol"],
        }
    ]
    assert wh.scalar("SELECT level FROM tension_reports") == 4
    # a second run loads nothing
    second = _counts(ingest_records(wh, _read()))
    assert all(c == (1, 0, 1, 0, 0, 0) for c in second.values()), second
    # an edit (a new version) replaces the earlier row; a delete withdraws it
    report.level, report.version = 2, report.version + 1
    report.save()
    session.delete()
    third = _counts(ingest_records(wh, _read()))
    assert third["tension"] == (1, 1, 0, 0, 1, 0)
    assert third["officer-session"] == (0, 0, 0, 0, 0, 1)
    assert wh.rows("SELECT source_id, level FROM tension_reports") == [
        {"source_id": report.record_id, "level": 2}
    ]
    assert wh.scalar("SELECT count(*) FROM officer_sessions") == 0
    # an edit back to the first text is still a new version, and loads again
    report.level, report.version = 4, report.version + 1
    report.save()
    fourth = _counts(ingest_records(wh, _read()))
    assert fourth["tension"] == (1, 1, 0, 0, 1, 0)
    assert wh.scalar("SELECT level FROM tension_reports") == 4
    assert wh.scalar("SELECT count(*) FROM tension_reports") == 1


@pytest.mark.django_db
def test_a_rejected_record_waits_for_an_edit(people, warehouse):
    wh = warehouse
    future = date.today() + timedelta(days=3)  # the form refuses it; a shell could save it
    meeting = CouncillorMeeting.objects.create(
        recorded_by=people["officer"], date=future, ward_code=ALMONDBURY
    )
    (load,) = [
        x for x in ingest_records(wh, _read()) if x.kind.format.source == "councillor-session"
    ]
    assert (load.result.read, load.result.loaded, load.result.rejected) == (1, 0, 1)
    assert list(load.rejected_ids) == [meeting.record_id]
    reason = wh.scalar("SELECT reason FROM rejects WHERE load_id = ?", [load.result.load_id])
    assert reason.startswith(f"record {meeting.record_id}: ") and "after today" in reason
    again = _counts(ingest_records(wh, _read()))["councillor-session"]
    assert again == (1, 0, 1, 0, 0, 0)  # skipped as unchanged, not rejected again
    meeting.date, meeting.version = date(2026, 1, 5), 2
    meeting.save()
    fixed = _counts(ingest_records(wh, _read()))["councillor-session"]
    assert fixed == (1, 1, 0, 0, 1, 0)
    assert wh.scalar("SELECT count(*) FROM councillor_sessions") == 1


def test_sia_ingest_app_reads_the_data_directorys_sqlite_file(tmp_path):
    """The command on its own: the app database made by ``sia createuser`` (migrations),
    one engagement written into it with plain SQL, loaded once and then skipped."""
    sia = str(Path(sys.executable).with_name("sia"))
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL" and not k.startswith("SIA_")}
    base = [sia, "--data-dir", str(tmp_path)]
    done = subprocess.run(
        [*base, "createuser", "pat", "--role", "officer", "--password-stdin"],
        input="a-long-pass-phrase-for-the-cli\n",
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    record = uuid.uuid4()
    with sqlite3.connect(tmp_path / "app.sqlite3") as db:
        (user_id,) = db.execute("SELECT id FROM auth_user").fetchone()
        db.execute(
            "INSERT INTO engagement_engagement (id, version, recorded_by_id, created_at, "
            "updated_at, date, team, place, ward_code, organisation_type, individuals, "
            "groups, feeling, concerns, notes, strengths, locations) VALUES "
            "(?, 1, ?, '2026-03-02 10:00:00', '2026-03-02 10:00:00', '2026-03-02', "
            "'detached_youth', 'Rural', '', '', 5, NULL, 'ok', '[\"asb\"]', '', '', '')",
            [record.hex, user_id],
        )
    run = [*base, "ingest", "app"]
    first = subprocess.run(run, capture_output=True, text=True, timeout=300, env=env)
    assert first.returncode == 0, first.stderr
    assert "app: community engagements: 1 read, 1 loaded" in first.stdout
    second = subprocess.run(run, capture_output=True, text=True, timeout=300, env=env)
    assert "app: community engagements: 1 read, 0 loaded, 0 duplicates, skipped 1 unchanged" in (
        second.stdout
    )
    with Warehouse.open(KIRKLEES, tmp_path, read_only=True) as wh:
        assert wh.rows("SELECT source_id, team, individuals FROM engagements") == [
            {"source_id": f"app-{record}", "team": "detached_youth", "individuals": 5}
        ]

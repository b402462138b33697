"""Councillor ward meetings and officer sessions: the forms agree with their loaders, a
councillor records only their own ward's meetings, records are saved, listed and changed
(their version raised), and ``as_row`` gives the spreadsheet form's row."""

from __future__ import annotations

import csv
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.contrib.auth.models import User

from sia.config import load_partnership
from sia.sources.insight import COUNCILLOR_SESSION, OFFICER_SESSION
from sia.sources.tabular import load_file
from sia.warehouse import Warehouse
from webapp.accounts.models import set_ward
from webapp.engagement.checks import RowChecks
from webapp.meetings.models import CouncillorMeeting, OfficerSession

KIRKLEES = load_partnership("kirklees")
BATLEY_EAST = "E05001390"
ALMONDBURY = "E05008558"
TODAY = date.today()
TOMORROW = (TODAY + timedelta(days=1)).isoformat()

MEETING = {
    "date_day": "2",
    "date_month": "3",
    "date_year": "2026",
    "councillors_attending": "3",
    "concerns": ["asb", "drugs-alcohol"],
    "praise": "The new youth club",
    "suggestions": "More patrols near the park",
    "reporting_routes_known": "partly",
}
SESSION = {
    "date_day": "4",
    "date_month": "3",
    "date_year": "2026",
    "place": "Huddersfield",
    "theme": "",
    "officers_attending": "6",
    "issues": ["asb"],
}


def _summary(html: str) -> list[tuple[str, str]]:
    body = html.split('class="govuk-error-summary"', 1)[1].split("</ul>", 1)[0]
    return re.findall(r'<li><a href="(#[^"]+)">([^<]+)</a></li>', body)


# -- the checks agree with the loaders -------------------------------------------------------
#: (format, a good row, [(what is changed, the field the loader rejects, or None)]); the
#: verdicts are written by hand from docs/insight-sources.md.
CASES = {
    COUNCILLOR_SESSION.name: (
        COUNCILLOR_SESSION,
        {
            "date": "2026-03-02",
            "ward_code": ALMONDBURY,
            "councillors_attending": "3",
            "concerns": "asb;",
            "reporting_routes_known": "yes",
        },
        [
            ({}, None),
            ({"ward_code": "e05008558", "reporting_routes_known": "Partly"}, None),
            ({"councillors_attending": "", "reporting_routes_known": ""}, None),
            ({"date": TOMORROW}, "date"),
            ({"date": "31/02/2026"}, "date"),
            ({"ward_code": ""}, "ward_code"),
            ({"ward_code": "E05000001"}, "ward_code"),
            ({"councillors_attending": "-1"}, "councillors_attending"),
            ({"councillors_attending": "two"}, "councillors_attending"),
            ({"reporting_routes_known": "maybe"}, "reporting_routes_known"),
        ],
    ),
    OFFICER_SESSION.name: (
        OFFICER_SESSION,
        {
            "date": "2026-03-02",
            "place": "Huddersfield",
            "theme": "",
            "officers_attending": "6",
            "issues": "asb",
        },
        [
            ({}, None),
            ({"place": "batley and spen", "theme": "anything at all"}, None),
            ({"officers_attending": ""}, None),
            ({"date": ""}, "date"),
            ({"place": ""}, "place"),
            ({"place": "Leeds"}, "place"),
            ({"officers_attending": "1.5"}, "officers_attending"),
        ],
    ),
}


def _rows(name: str) -> list[dict[str, str]]:
    fmt, good, cases = CASES[name]
    id_column = fmt.columns[0].header
    return [
        {c.header: "" for c in fmt.columns} | good | changes | {id_column: f"case-{n}"}
        for n, (changes, _) in enumerate(cases, start=1)
    ]


@pytest.mark.parametrize("name", list(CASES))
def test_the_form_checks_agree_with_the_loader(tmp_path, name):
    fmt, _, cases = CASES[name]
    path = tmp_path / "rows.csv"
    rows = _rows(name)
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=[c.header for c in fmt.columns])
        writer.writeheader()
        writer.writerows(rows)
    with Warehouse.open(KIRKLEES, tmp_path) as wh:
        result = load_file(wh, Path(path), {fmt.name: fmt})
    rejected = {f"case-{r.line - 1}": r.field for r in result.rejects}
    checks = RowChecks(KIRKLEES, fmt)
    for row, (changes, expected) in zip(rows, cases, strict=True):
        assert rejected.get(row[fmt.columns[0].header]) == expected, (changes, "loader")
        problems = checks.check(row, today=TODAY)
        assert (problems[0].field if problems else None) == expected, (changes, problems)


# -- councillors record their own ward's meetings --------------------------------------------
@pytest.mark.django_db
def test_a_councillor_records_a_meeting_of_their_own_ward_only(client, people):
    councillor = people["councillor"]
    set_ward(councillor, BATLEY_EAST)
    client.force_login(councillor)
    html = client.get("/ward-meetings/new/").content.decode()
    assert 'name="ward_code"' not in html  # the ward is theirs, not asked for
    assert "Ward: <strong>Batley East</strong>" in html
    # a ward sent anyway is ignored: the meeting is of their ward
    response = client.post("/ward-meetings/new/", MEETING | {"ward_code": ALMONDBURY})
    assert response.status_code == 302 and response["Location"] == "/ward-meetings/"
    meeting = CouncillorMeeting.objects.get()
    assert (meeting.ward_code, meeting.recorded_by, meeting.version) == (
        BATLEY_EAST,
        councillor,
        1,
    )
    assert meeting.concerns == ["asb", "drugs-alcohol"]
    # another ward's meeting (recorded by them before their ward changed) is no longer theirs
    set_ward(councillor, ALMONDBURY)
    client.force_login(User.objects.get(pk=councillor.pk))
    assert client.get(f"/ward-meetings/{meeting.pk}/change/").status_code == 403


@pytest.mark.django_db
def test_a_councillor_without_a_ward_cannot_record_meetings(client, people):
    client.force_login(people["councillor"])
    assert client.get("/ward-meetings/new/").status_code == 403
    assert client.post("/ward-meetings/new/", MEETING).status_code == 403
    assert not CouncillorMeeting.objects.exists()


@pytest.mark.django_db
def test_an_officer_writes_up_any_wards_meeting_and_must_name_the_ward(client, people):
    client.force_login(people["officer"])
    response = client.post("/ward-meetings/new/", MEETING)
    assert _summary(response.content.decode()) == [
        ("#id_ward_code", "Select the ward of the meeting")
    ]
    response = client.post("/ward-meetings/new/", MEETING | {"ward_code": ALMONDBURY})
    assert response.status_code == 302
    assert CouncillorMeeting.objects.get().ward_code == ALMONDBURY


@pytest.mark.django_db
def test_the_meeting_form_shows_every_problem_in_the_error_summary(client, people):
    client.force_login(people["officer"])
    bad = MEETING | {
        "date_year": str(TODAY.year + 1),
        "ward_code": "E05000001",
        "councillors_attending": "three",
        "reporting_routes_known": "maybe",
    }
    html = client.post("/ward-meetings/new/", bad).content.decode()
    assert "<title>Error: Record a ward meeting" in html
    assert _summary(html) == [
        ("#id_date", "Date of the meeting must be today or in the past"),
        ("#id_ward_code", "Select a ward from the list"),
        ("#id_councillors_attending", "Councillors attending must be a whole number, like 3"),
        ("#id_reporting_routes_known", "Select whether they knew the reporting routes"),
    ]
    assert not CouncillorMeeting.objects.exists()


# -- officer sessions ------------------------------------------------------------------------
@pytest.mark.django_db
def test_an_officer_records_lists_and_changes_their_session(client, people):
    officer = people["officer"]
    client.force_login(officer)
    html = client.get("/officer-sessions/new/").content.decode()
    places = re.findall(r'name="place" type="radio" value="([^"]+)"', html)
    assert places == [p.name.replace("&", "&amp;") for p in KIRKLEES.places]
    themes = re.findall(r'name="theme" type="radio" value="([^"]*)"', html)
    assert themes == [*(t.id for t in KIRKLEES.themes), ""]
    assert client.post("/officer-sessions/new/", SESSION).status_code == 302
    session = OfficerSession.objects.get()
    OfficerSession.objects.create(
        recorded_by=people["someone else"], date=date(2026, 3, 1), place="Rural"
    )
    listed = client.get("/officer-sessions/").content.decode()
    assert "1 record" in listed and "Rural" not in listed and "Huddersfield" in listed
    # saving unchanged keeps the version; a change raises it
    url = f"/officer-sessions/{session.pk}/change/"
    form = client.get(url).context["form"]
    assert form.initial["officers_attending"] == "6" and form.initial["issues"] == ["asb"]
    assert client.post(url, SESSION).status_code == 302
    session.refresh_from_db()
    assert session.version == 1
    assert client.post(url, SESSION | {"theme": KIRKLEES.themes[0].id}).status_code == 302
    session.refresh_from_db()
    assert (session.version, session.theme) == (2, KIRKLEES.themes[0].id)
    # a theme that is not the partnership's is refused
    html = client.post(url, SESSION | {"theme": "astrology"}).content.decode()
    assert _summary(html) == [("#id_theme", "Select a theme from the list")]


@pytest.mark.django_db
def test_a_place_typed_loosely_is_stored_as_the_configuration_spells_it(client, people):
    client.force_login(people["analyst"])
    client.post("/officer-sessions/new/", SESSION | {"place": "batley and spen"})
    assert OfficerSession.objects.get().place == "Batley & Spen"


# -- the spreadsheet rows --------------------------------------------------------------------
@pytest.mark.django_db
def test_as_row_gives_the_spreadsheet_forms_columns_in_order(people):
    meeting = CouncillorMeeting.objects.create(
        recorded_by=people["officer"],
        date=date(2026, 3, 2),
        ward_code=BATLEY_EAST,
        councillors_attending=None,
        concerns=["asb", "hate-crime"],
        reporting_routes_known="no",
    )
    row = meeting.as_row()
    assert list(row) == [c.header for c in COUNCILLOR_SESSION.columns]
    assert row == {
        "session_id": f"app-{meeting.pk}",
        "date": "2026-03-02",
        "ward_code": BATLEY_EAST,
        "councillors_attending": "",
        "concerns": "asb;hate-crime",
        "praise": "",
        "suggestions": "",
        "reporting_routes_known": "no",
    }
    session = OfficerSession.objects.create(
        recorded_by=people["officer"],
        date=date(2026, 3, 4),
        place="Rural",
        officers_attending=0,
        issues=[],
    )
    assert session.as_row() == {
        "session_id": f"app-{session.pk}",
        "date": "2026-03-04",
        "place": "Rural",
        "theme": "",
        "officers_attending": "0",
        "issues": "",
    }


def test_a_record_form_or_list_without_its_own_part_is_refused_when_declared():
    from webapp.engagement.forms import RecordForm
    from webapp.engagement.views import RecordListView

    with pytest.raises(TypeError, match="must define values"):
        type("NoValuesForm", (RecordForm,), {"__module__": __name__})
    with pytest.raises(TypeError, match="must define cells"):
        type("NoCellsList", (RecordListView,), {"__module__": __name__})

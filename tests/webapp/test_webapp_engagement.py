"""Recording an engagement: the form, its GOV.UK error summary, saving, listing, editing."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone

from sia.config import load_partnership
from webapp.engagement.models import Engagement

pytestmark = pytest.mark.django_db

KIRKLEES = load_partnership("kirklees")
VALID = {
    "date_day": "2",
    "date_month": "3",
    "date_year": "2026",
    "team": "community_plus",
    "place": "",
    "ward_code": "E05008558",  # Almondbury, in Huddersfield
    "organisation_type": "mosque",
    "individuals": "12",
    "groups": "2",
    "feeling": "mixed",
    "concerns": ["asb", "drugs-alcohol"],
    "notes": "Parents worried about bikes in the park",
    "strengths": "A strong mosque committee",
    "locations": "Almondbury park",
}


@pytest.fixture
def officer(client, people):
    client.force_login(people["officer"])
    return people["officer"]


def _summary(html: str) -> list[tuple[str, str]]:
    """(link target, text) of each item of the GOV.UK error summary."""
    body = html.split('class="govuk-error-summary"', 1)[1].split("</ul>", 1)[0]
    return re.findall(r'<li><a href="(#[^"]+)">([^<]+)</a></li>', body)


def test_the_form_offers_the_concern_taxonomy_as_checkboxes(client, officer):
    html = client.get("/engagements/new/").content.decode()
    boxes = re.findall(r'type="checkbox" value="([^"]+)"', html)
    assert boxes == [c.id for c in KIRKLEES.concerns if c.kind == "priority"] + [
        c.id for c in KIRKLEES.concerns if c.kind == "theme"
    ]
    assert "Cross-cutting themes" in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert 'name="viewport" content="width=device-width' in html  # mobile-first layout
    wards = re.findall(r'<option value="(E05\d+)"', html)
    assert sorted(wards) == sorted(w.code for w in KIRKLEES.wards)


def test_an_empty_form_shows_every_problem_in_the_error_summary(client, officer):
    response = client.post("/engagements/new/", {})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Record an engagement" in html
    assert _summary(html) == [
        ("#id_date", "Enter the date of the engagement"),
        ("#id_team", "Select the team that engaged"),
        ("#id_place", "Select the place or the ward of the engagement, or both"),
    ]
    # each error is also shown at its field, and the links land on the field's first input
    assert html.count('class="govuk-error-message"') == 3
    for target in ("id_date", "id_team", "id_place"):
        assert f'id="{target}"' in html
    assert Engagement.objects.count() == 0


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"date_month": ""}, ("#id_date", "Date of the engagement must include a month")),
        (
            {"date_day": "", "date_year": ""},
            ("#id_date", "Date of the engagement must include a day and a year"),
        ),
        ({"date_day": "30", "date_month": "2"}, ("#id_date", "must be a real date")),
        ({"date_year": "26"}, ("#id_date", "must be a real date")),
        ({"date_day": "x"}, ("#id_date", "must be a real date")),
        ({"team": "police"}, ("#id_team", "Select the team that engaged")),
        ({"place": "Leeds"}, ("#id_place", "Select a place from the list")),
        (
            {"place": "Batley & Spen"},
            ("#id_ward_code", "Ward must be in the place selected: Almondbury is in Huddersfield"),
        ),
        ({"ward_code": "E05000001"}, ("#id_ward_code", "Select a ward from the list")),
        ({"individuals": "2.5"}, ("#id_individuals", "must be a whole number, like 12")),
        ({"individuals": "-3"}, ("#id_individuals", "Individuals engaged must be 0 or more")),
        ({"groups": "two"}, ("#id_groups", "Groups engaged must be a whole number, like 3")),
        ({"feeling": "angry"}, ("#id_feeling", "Select how things feel from the list")),
        ({"concerns": ["asb", "aliens"]}, ("#id_concerns", "Select concerns from the list")),
    ],
)
def test_one_wrong_answer_gives_one_error(client, officer, changes, expected):
    response = client.post("/engagements/new/", VALID | changes)
    summary = _summary(response.content.decode())
    assert len(summary) == 1, summary
    assert summary[0][0] == expected[0]
    assert expected[1] in summary[0][1]
    assert Engagement.objects.count() == 0


def test_a_date_after_today_is_refused(client, officer):
    tomorrow = timezone.localdate() + timedelta(days=1)
    data = VALID | {
        "date_day": str(tomorrow.day),
        "date_month": str(tomorrow.month),
        "date_year": str(tomorrow.year),
    }
    summary = _summary(client.post("/engagements/new/", data).content.decode())
    assert summary == [("#id_date", "Date of the engagement must be today or in the past")]


def test_a_valid_engagement_is_saved_and_listed(client, officer):
    response = client.post("/engagements/new/", VALID)
    assert response.status_code == 302 and response["Location"] == "/engagements/"
    saved = Engagement.objects.get()
    assert saved.recorded_by == officer
    assert saved.version == 1
    assert saved.date == date(2026, 3, 2)
    assert saved.place == "Huddersfield"  # the ward's place, as the loader derives it
    assert saved.ward_code == "E05008558"
    assert (saved.individuals, saved.groups) == (12, 2)
    assert saved.concerns == ["asb", "drugs-alcohol"]
    assert saved.as_row() == {
        "engagement_id": f"app-{saved.pk}",
        "date": "2026-03-02",
        "team": "community_plus",
        "place": "Huddersfield",
        "ward_code": "E05008558",
        "organisation_type": "mosque",
        "individuals": "12",
        "groups": "2",
        "feeling": "mixed",
        "concerns": "asb;drugs-alcohol",
        "notes": "Parents worried about bikes in the park",
        "strengths": "A strong mosque committee",
        "locations": "Almondbury park",
    }
    html = client.get("/engagements/").content.decode()
    assert "Engagement of 2 March 2026 saved" in html
    assert "Huddersfield, Almondbury" in html
    assert "Anti-social behaviour, Drugs and alcohol" in html
    assert f"/engagements/{saved.pk}/change/" in html


def test_a_place_typed_loosely_is_stored_as_the_configuration_spells_it(client, officer):
    data = VALID | {"place": "batley and spen", "ward_code": ""}
    assert client.post("/engagements/new/", data).status_code == 302
    assert Engagement.objects.get().place == "Batley & Spen"


def test_blank_counts_are_stored_as_unknown_not_zero(client, officer):
    data = VALID | {"individuals": "", "groups": "0"}
    client.post("/engagements/new/", data)
    saved = Engagement.objects.get()
    assert (saved.individuals, saved.groups) == (None, 0)


def test_editing_raises_the_version_only_when_something_changed(client, officer):
    client.post("/engagements/new/", VALID)
    saved = Engagement.objects.get()
    url = f"/engagements/{saved.pk}/change/"
    form = client.get(url).content.decode()
    assert 'value="12"' in form and 'value="asb" checked' in form  # the saved answers
    assert client.post(url, VALID).status_code == 302
    saved.refresh_from_db()
    assert saved.version == 1
    assert client.post(url, VALID | {"individuals": "15"}).status_code == 302
    saved.refresh_from_db()
    assert (saved.version, saved.individuals) == (2, 15)
    response = client.post(url, VALID | {"individuals": "lots"})
    assert response.status_code == 200
    saved.refresh_from_db()
    assert (saved.version, saved.individuals) == (2, 15)


def test_people_list_only_their_own_engagements(client, people):
    mine = Engagement.objects.create(
        recorded_by=people["analyst"], date=date(2026, 1, 5), team="other", place="Rural"
    )
    theirs = Engagement.objects.create(
        recorded_by=people["officer"], date=date(2026, 1, 6), team="other", place="Rural"
    )
    client.force_login(people["analyst"])
    html = client.get("/engagements/").content.decode()
    assert str(mine.pk) in html and str(theirs.pk) not in html
    assert "1 engagement<" in html
    assert client.get(f"/engagements/{theirs.pk}/change/").status_code == 403
    assert client.post(f"/engagements/{theirs.pk}/change/", VALID).status_code == 403
    theirs.refresh_from_db()
    assert theirs.version == 1 and theirs.team == "other"

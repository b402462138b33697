"""The tension log: recording a report (by the tension form's own rules), the weekly
operational list, the monthly summary (checked against counts made here by hand from the
reports' dates), what partners see, and this week's level for the dashboard."""

from __future__ import annotations

import csv
import re
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from sia.config import load_partnership
from sia.sources.insight import TENSION
from sia.sources.tabular import load_file
from sia.warehouse import Warehouse
from webapp.engagement.checks import RowChecks
from webapp.tension.models import TensionReport
from webapp.tension.services import Week, last_months, monthly_summary, this_weeks_tension

KIRKLEES = load_partnership("kirklees")
BATLEY_EAST = "E05001390"
ALMONDBURY = "E05008558"
VALID = {
    "date_day": "2",
    "date_month": "3",
    "date_year": "2026",
    "place": "",
    "ward_code": ALMONDBURY,
    "category": "hate-crime",
    "trigger": "national",
    "evidence": "experienced",
    "level": "3",
    "summary": "Graffiti after a national news story",
    "actions": "Removed; reassurance visits",
}


def _summary(html: str) -> list[tuple[str, str]]:
    body = html.split('class="govuk-error-summary"', 1)[1].split("</ul>", 1)[0]
    return re.findall(r'<li><a href="(#[^"]+)">([^<]+)</a></li>', body)


def _report(owner, day: date, level: int, place="", ward="", summary="", category="hate-crime"):
    return TensionReport.objects.create(
        recorded_by=owner,
        date=day,
        place=place,
        ward_code=ward,
        category=category,
        trigger="local",
        evidence="evidenced",
        level=level,
        summary=summary,
    )


# -- the form's checks agree with the loader -------------------------------------------------
GOOD = {
    "date": "2026-03-02",
    "place": "Huddersfield",
    "ward_code": ALMONDBURY,
    "category": "hate-crime",
    "trigger": "local",
    "evidence": "evidenced",
    "level": "3",
}
CASES = [  # (what is changed, the field the loader rejects, or None) from insight-sources.md
    ({}, None),
    ({"place": "", "ward_code": ""}, None),  # district-wide
    ({"place": "", "trigger": "National", "level": "5"}, None),
    ({"date": (date.today() + timedelta(days=1)).isoformat()}, "date"),
    ({"place": "Leeds"}, "place"),
    ({"ward_code": BATLEY_EAST}, "ward_code"),  # not in Huddersfield
    ({"category": ""}, "category"),
    ({"trigger": "global"}, "trigger"),
    ({"evidence": ""}, "evidence"),
    ({"level": "0"}, "level"),
    ({"level": "6"}, "level"),
    ({"level": "high"}, "level"),
]


def test_the_form_checks_agree_with_the_loader(tmp_path):
    header = [c.header for c in TENSION.columns]
    rows = [
        {h: "" for h in header} | GOOD | changes | {"report_id": f"case-{n}"}
        for n, (changes, _) in enumerate(CASES, start=1)
    ]
    path = tmp_path / "tension.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)
    with Warehouse.open(KIRKLEES, tmp_path) as wh:
        result = load_file(wh, Path(path), {TENSION.name: TENSION})
    rejected = {f"case-{r.line - 1}": r.field for r in result.rejects}
    checks = RowChecks(KIRKLEES, TENSION)
    for row, (changes, expected) in zip(rows, CASES, strict=True):
        assert rejected.get(row["report_id"]) == expected, (changes, "loader")
        problems = checks.check(row, today=date.today())
        assert (problems[0].field if problems else None) == expected, (changes, problems)


# -- recording -------------------------------------------------------------------------------
@pytest.mark.django_db
def test_an_officer_records_a_report_and_its_place_is_the_wards(client, people):
    client.force_login(people["officer"])
    response = client.post("/tension/reports/new/", VALID)
    assert response.status_code == 302 and response["Location"] == "/tension/reports/"
    report = TensionReport.objects.get()
    assert report.as_row() == {
        "report_id": f"app-{report.pk}",
        "date": "2026-03-02",
        "place": "Huddersfield",
        "ward_code": ALMONDBURY,
        "category": "hate-crime",
        "trigger": "national",
        "evidence": "experienced",
        "level": "3",
        "summary": "Graffiti after a national news story",
        "actions": "Removed; reassurance visits",
    }
    assert list(report.as_row()) == [c.header for c in TENSION.columns]
    url = f"/tension/reports/{report.pk}/change/"
    assert client.get(url).context["form"].initial["level"] == "3"
    assert client.post(url, VALID | {"level": "4"}).status_code == 302
    report.refresh_from_db()
    assert (report.level, report.version) == (4, 2)


@pytest.mark.django_db
def test_an_empty_report_shows_every_problem_in_the_error_summary(client, people):
    client.force_login(people["analyst"])
    html = client.post("/tension/reports/new/", {}).content.decode()
    assert _summary(html) == [
        ("#id_date", "Enter the date of the report"),
        ("#id_category", "Select the kind of tension"),
        ("#id_trigger", "Select where the tension started"),
        ("#id_evidence", "Select how the tension is known"),
        ("#id_level", "Select the tension level"),
    ]
    html = client.post(
        "/tension/reports/new/", VALID | {"place": "Batley & Spen", "category": "weather"}
    ).content.decode()
    assert _summary(html) == [
        ("#id_ward_code", "Ward must be in the place selected: Almondbury is in Huddersfield"),
        ("#id_category", "Select the kind of tension from the list"),
    ]
    assert not TensionReport.objects.exists()


# -- the weekly list -------------------------------------------------------------------------
@pytest.mark.django_db
def test_the_weekly_list_shows_this_weeks_and_last_weeks_reports_by_area(client, people):
    owner = people["officer"]
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    _report(owner, monday, 2, "Huddersfield", ALMONDBURY, "Almondbury this week")
    _report(owner, today, 4, "Batley & Spen", BATLEY_EAST, "Batley this week")
    _report(owner, monday - timedelta(days=1), 1, "Rural", "", "Rural last Sunday")
    _report(owner, monday - timedelta(days=7), 3, "", "", "District last Monday")
    _report(owner, monday - timedelta(days=8), 5, "Rural", "", "Two weeks ago")
    client.force_login(owner)
    html = client.get("/tension/").content.decode()
    this_week, last_week = html.split("<h2", 2)[1:]
    assert "2 reports; the highest level is 4" in this_week
    # the area with the highest level first
    assert this_week.index("Batley &amp; Spen: Batley East (highest level 4)") < this_week.index(
        "Huddersfield: Almondbury (highest level 2)"
    )
    assert "Rural last Sunday" in last_week and "District last Monday" in last_week
    assert "District-wide (highest level 3)" in last_week
    assert "Two weeks ago" not in html


@pytest.mark.django_db
def test_this_weeks_tension_for_the_dashboard(people):
    owner = people["officer"]
    wednesday = date(2026, 3, 4)  # the week of Monday 2 March 2026
    _report(owner, date(2026, 3, 2), 2)
    _report(owner, date(2026, 3, 4), 3)
    _report(owner, date(2026, 3, 1), 5)  # Sunday: last week
    got = this_weeks_tension(wednesday)
    assert got.week == Week(date(2026, 3, 2), date(2026, 3, 8))
    assert (got.reports, got.highest) == (2, 3)
    assert (got.last_week_reports, got.last_week_highest) == (1, 5)
    quiet = this_weeks_tension(date(2026, 5, 20))
    assert (quiet.reports, quiet.highest, quiet.last_week_reports) == (0, None, 0)


# -- the monthly summary ---------------------------------------------------------------------
@pytest.mark.django_db
def test_the_monthly_summary_counts_and_levels_by_month(people):
    owner = people["officer"]
    today = date(2026, 3, 15)
    days_levels = [
        (date(2025, 3, 31), 5),  # 12 months and a bit ago: outside the window
        (date(2025, 4, 1), 2),
        (date(2025, 4, 30), 4),
        (date(2025, 9, 10), 1),
        (date(2026, 1, 31), 3),
        (date(2026, 3, 1), 2),
        (date(2026, 3, 14), 5),
        (date(2026, 3, 14), 3),
    ]
    for day, level in days_levels:
        _report(owner, day, level)
    got = monthly_summary(today)
    # expected, by hand: the 12 months April 2025 to March 2026 and the reports in each
    months = [date(2025, m, 1) for m in range(4, 13)] + [date(2026, m, 1) for m in (1, 2, 3)]
    assert [m.month for m in got] == months == last_months(today)
    inside = [(d.replace(day=1), lv) for d, lv in days_levels if d >= date(2025, 4, 1)]
    counts = Counter(m for m, _ in inside)
    assert [m.reports for m in got] == [counts[m] for m in months]
    by_month = {m.month: m for m in got}
    assert by_month[date(2025, 4, 1)].highest == 4
    assert by_month[date(2025, 4, 1)].average == pytest.approx(3.0)  # (2 + 4) / 2
    assert by_month[date(2026, 3, 1)].average == pytest.approx(10 / 3)  # (2 + 5 + 3) / 3
    assert by_month[date(2025, 6, 1)].highest is None
    assert sum(m.reports for m in got) == 7


@pytest.mark.django_db
def test_a_partner_sees_the_monthly_counts_but_no_report(client, people):
    today = timezone.localdate()
    _report(people["officer"], today, 4, "Huddersfield", ALMONDBURY, "Words of the report")
    client.force_login(people["partner viewer"])
    assert client.get("/tension/").status_code == 403
    response = client.get("/tension/monthly/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Words of the report" not in html and "Almondbury" not in html
    row = re.search(
        rf'<th scope="row" class="govuk-table__header">{today:%B %Y}</th>\s*'
        r'<td class="govuk-table__cell govuk-table__cell--numeric">(\d+)</td>',
        html,
    )
    assert row and row[1] == "1"
    assert "trend" not in html.replace("without a trend", "")  # a series, no direction called

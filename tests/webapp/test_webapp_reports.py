"""Assessment and reports: an analyst runs the assessment and the report as a job and
publishes a run; others download published runs only, through a view that checks."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone

from sia.config import load_partnership
from sia.sources.police_uk import load_file
from sia.warehouse import Warehouse
from webapp.audit.models import AuditEntry
from webapp.jobs.models import Job
from webapp.jobs.runner import run_queued
from webapp.reports import tasks
from webapp.reports.models import ReportRun

REPO = Path(__file__).resolve().parents[2]
READERS = ("officer", "analyst", "partner viewer", "councillor")


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):
    settings.SIA_DATA_DIR = tmp_path
    settings.SIA_JOBS = "command"
    return tmp_path


def _written_run(published: bool = False, **files: bytes) -> ReportRun:
    """A run whose job has finished, with ``files`` in its folder (``sia_report_html`` is
    ``sia-report.html``)."""
    run = ReportRun.objects.create(
        job=Job.objects.create(kind="report", status=Job.DONE, result={"data_quality": []}),
        assessment_period="2021-01:2021-12",
        published_at=timezone.now() if published else None,
    )
    run.folder().mkdir(parents=True)
    for name, content in files.items():
        stem, ending = name.rsplit("_", 1)
        (run.folder() / f"{stem.replace('_', '-')}.{ending}").write_bytes(content)
    return run


def _months(start: str = "", end: str = "") -> dict[str, str]:
    """The run form's four boxes for ``YYYY-MM`` months, as a person types them (4, not 04)."""
    data = {}
    for name, month in (("start", start), ("end", end)):
        year, _, number = month.partition("-")
        data[f"{name}_month"] = str(int(number)) if number else ""
        data[f"{name}_year"] = year
    return data


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_a_draft_is_the_analysts_until_it_is_published(client, people):
    run = _written_run(sia_report_html=b"<html>report</html>", sia_tables_xlsx=b"PK\x03\x04x")
    page, html_file = f"/reports/{run.pk}/", f"/reports/{run.pk}/files/sia-report.html"
    for role in ("officer", "partner viewer", "councillor"):
        client.force_login(people[role])
        assert client.get(page).status_code == 403, role
        assert client.get(html_file).status_code == 403, role
        assert "No report has been published yet" in client.get("/reports/").content.decode()
    client.force_login(people["analyst"])
    html = client.get(page).content.decode()
    assert "Not published: only analysts can see it" in html
    assert 'id="publish"' in html
    response = client.post(f"/reports/{run.pk}/publish/")
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.published and run.published_by == people["analyst"]
    [entry] = AuditEntry.objects.filter(record_type="report")
    assert (entry.username, entry.record_id) == ("analyst", str(run.pk))
    assert entry.changes == {"published": [None, run.published_at.isoformat()]}
    assert "The report is published" in client.get(page).content.decode()
    for role in READERS:
        client.force_login(people[role])
        assert client.get(page).status_code == 200, role
        response = client.get(html_file)
        assert response.status_code == 200, role
        assert _body(response) == b"<html>report</html>"
        listed = client.get("/reports/").content.decode()
        assert f'href="/reports/{run.pk}/"' in listed, role
    client.force_login(people["admin"])
    assert client.get(html_file).status_code == 403


def test_files_are_served_by_their_fixed_names_only(client, people):
    run = _written_run(True, sia_report_html=b"<html></html>", sia_tables_xlsx=b"PK\x03\x04")
    (run.folder() / "notes.txt").write_text("not a report file")
    client.force_login(people["partner viewer"])
    html = client.get(f"/reports/{run.pk}/files/sia-report.html")
    assert html["Content-Type"] == "text/html; charset=utf-8"
    assert "sandbox" in html["Content-Security-Policy"]
    assert "default-src 'none'" in html["Content-Security-Policy"]
    assert "attachment" not in html.get("Content-Disposition", "")
    _body(html)
    xlsx = client.get(f"/reports/{run.pk}/files/sia-tables.xlsx")
    assert xlsx["Content-Disposition"] == 'attachment; filename="sia-tables.xlsx"'
    _body(xlsx)
    for name in ("notes.txt", "sia-report.pdf", "..%2F..%2Fapp.sqlite3", "wards"):
        assert client.get(f"/reports/{run.pk}/files/{name}").status_code == 404, name
    page = client.get(f"/reports/{run.pk}/").content.decode()
    assert re.findall(r'href="(/reports/[^"]+/files/[^"]+)"', page) == [
        f"/reports/{run.pk}/files/sia-report.html",
        f"/reports/{run.pk}/files/sia-tables.xlsx",
    ]


def test_only_analysts_publish_and_only_a_written_report(client, people):
    run = _written_run(sia_report_html=b"<html></html>")
    for role in ("officer", "partner viewer", "councillor", "admin"):
        client.force_login(people[role])
        assert client.post(f"/reports/{run.pk}/publish/").status_code == 403, role
    client.force_login(people["analyst"])
    running = ReportRun.objects.create(job=Job.objects.create(kind="report", status=Job.RUNNING))
    client.post(f"/reports/{running.pk}/publish/")
    running.refresh_from_db()
    run.refresh_from_db()
    assert not running.published and not run.published
    csrf = Client(enforce_csrf_checks=True)
    csrf.force_login(people["analyst"])
    assert csrf.post(f"/reports/{run.pk}/publish/").status_code == 403
    run.refresh_from_db()
    assert not run.published


def test_the_run_form_checks_the_period_and_queues_a_job(client, people):
    client.force_login(people["analyst"])
    html = client.get("/reports/run/").content.decode()
    for box in ("start_month", "start_year", "end_month", "end_year"):
        assert f'name="{box}"' in html and 'inputmode="numeric"' in html
    assert '<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">First month' in html
    response = client.post("/reports/run/", _months("2025-04", "2026-03") | {"start_month": "13"})
    html = response.content.decode()
    assert 'href="#id_start">The first month must be a real month' in html
    assert ReportRun.objects.count() == 0
    response = client.post(
        "/reports/run/",
        {"start_month": " 4 ", "start_year": "2025 ", "end_month": "3", "end_year": "2026"},
    )
    run = ReportRun.objects.get()
    assert response["Location"] == f"/reports/{run.pk}/"
    assert (run.period, run.job.kind, run.job.status) == ("2025-04:2026-03", "report", "queued")
    assert run.job.params == {"run": str(run.pk)}
    assert 'id="job-running"' in client.get(response["Location"]).content.decode()
    for role in ("officer", "partner viewer", "councillor", "admin"):
        client.force_login(people[role])
        assert client.post("/reports/run/", _months()).status_code == 403, role


@pytest.mark.parametrize(
    ("data", "link", "message"),
    [
        ({"start_month": "4"}, "id_start", "The first month must include a year"),
        ({"end_year": "2026"}, "id_end", "The last month must include a month"),
        (
            {"start_month": "April", "start_year": "2025"},
            "id_start",
            "The first month must be a real month",
        ),
        (
            {"start_month": "4", "start_year": "25"},
            "id_start",
            "The first month must be a real month",
        ),
        (_months("2025-04"), "id_end", "Enter the last month, or leave both months blank"),
        (_months("", "2026-03"), "id_start", "Enter the first month, or leave both months blank"),
        (
            _months("2026-04", "2026-03"),
            "id_end",
            "The last month must be the same as or after the first month",
        ),
    ],
)
def test_the_run_form_says_what_is_wrong_with_a_month(client, people, data, link, message):
    client.force_login(people["analyst"])
    html = client.post("/reports/run/", data).content.decode()
    assert f'href="#{link}">{message}' in html
    assert ReportRun.objects.count() == 0
    # what was typed is kept in its box
    for box, value in data.items():
        if value:
            assert f'name="{box}" type="text" inputmode="numeric" value="{value}"' in html


def test_the_same_month_twice_and_both_blank_are_runs(client, people):
    client.force_login(people["analyst"])
    client.post("/reports/run/", _months("2025-04", "2025-04"))
    client.post("/reports/run/", _months())
    assert sorted(ReportRun.objects.values_list("period", flat=True)) == ["", "2025-04:2025-04"]


def test_without_data_the_job_fails_and_says_why(client, people):
    client.force_login(people["analyst"])
    client.post("/reports/run/", _months())
    [job] = run_queued()
    assert job.status == Job.FAILED
    assert job.error == "No partner data has been loaded yet: load some files first"
    run = ReportRun.objects.get()
    html = client.get(f"/reports/{run.pk}/").content.decode()
    assert "The assessment or the report could not be made" in html
    assert 'id="publish"' not in html


@pytest.mark.slow  # two assessments and reports of two years of City of London: about a minute
def test_an_override_made_in_the_app_is_in_the_next_report_with_the_recommendation(
    client, people, settings, data_dir, monkeypatch
):
    """End to end: data, the assessment job, an override on the priority page, the job
    again, publish, and a partner downloads a report that shows both calls."""
    settings.SIA_CONFIG = "city-of-london"
    monkeypatch.setattr(tasks, "FORMATS", ["html", "xlsx"])  # PDF and Word: tests/report
    files = sorted((REPO / "data" / "police_uk" / "city-of-london").glob("*/*.csv"))[-24:]
    with Warehouse.open(load_partnership("city-of-london"), data_dir) as wh:
        for path in files:
            load_file(wh, path)
    client.force_login(people["analyst"])
    client.post("/reports/run/", _months("2021-01", "2021-12"))
    [job] = run_queued()
    assert job.status == Job.DONE, job.error
    assert job.result["assessment_period"] == "2021-01:2021-12"
    recommended = job.result["statuses"]["theft"]
    chosen = "monitor" if recommended != "monitor" else "high-focus"
    response = client.post(
        "/priorities/theft/", {"status": chosen, "reason": "Agreed at the partnership board"}
    )
    assert response.status_code == 302
    client.post("/reports/run/", _months("2021-01", "2021-12"))
    [job] = run_queued()
    assert job.status == Job.DONE, job.error
    assert job.result["statuses"]["theft"] == chosen  # the decision in force
    run = ReportRun.objects.get(job=job)
    assert {f["name"] for f in run.files()} == {"sia-report.html", "sia-tables.xlsx"}
    client.post(f"/reports/{run.pk}/publish/")
    partner = Client()
    partner.force_login(people["partner viewer"])
    report = _body(partner.get(f"/reports/{run.pk}/files/sia-report.html")).decode()
    theft = report.split('id="priority-theft"', 1)[1].split('class="priority"', 1)[0]
    names = {
        "high-focus": "High focus",
        "monitor": "Continue to monitor",
        "cross-cutting": "Cross-cutting",
    }
    override = re.search(r'<div class="inset">Override: ([^<]+)</div>', theft)
    assert override, theft[:2000]
    text = override[1].replace("&#39;", "'")
    assert text.startswith(f"{names[chosen]}, decided by analyst on ")
    assert f"(recommended: {names[recommended]}): Agreed at the partnership board" in text
    # the recommendation's rationale follows the override, named as the recommendation's
    after = theft[override.end() :]
    assert re.match(r"\s*<p>The recommendation's rationale: ", after), after[:300]

"""Data loads: a partner file uploaded, checked by content, kept outside the web root and
loaded in the background by ``sia ingest``'s own loader, with every row accounted for."""

from __future__ import annotations

import io
import stat
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from sia.config import load_partnership
from sia.warehouse import WAREHOUSE_FILE, Warehouse
from webapp.jobs import warehouse as job_warehouse
from webapp.jobs.models import Job
from webapp.jobs.runner import run_queued
from webapp.loads.models import Upload

HEADER = "incident_id,date,category,deliberate,property_type,easting,northing"
#: Six fire incidents: two good, three with a bad field, one outside Kirklees (skipped).
ROWS = [
    "WY1,01/02/2021,false_alarm,N,Non-residential building,423864,427829",
    "WY2,01/02/2021,primary_fire,Y,Dwelling,425746,421887",
    "WY3,31/02/2021,false_alarm,N,Dwelling,425746,421887",
    "WY4,02/02/2021,nonsense,N,Dwelling,425746,421887",
    "WY5,02/02/2021,false_alarm,N,Dwelling,999999999,421887",
    "WY6,02/02/2021,false_alarm,N,Dwelling,100000,100000",
]
FIRE_CSV = ("\n".join([HEADER, *ROWS]) + "\n").encode()


def _xlsx(lines: list[str]) -> bytes:
    book = openpyxl.Workbook()
    for line in lines:
        book.active.append(line.split(","))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):
    settings.SIA_DATA_DIR = tmp_path
    settings.SIA_CONFIG = None
    settings.SIA_JOBS = "command"  # the test runs the job where it stands
    return tmp_path


@pytest.fixture
def analyst(client, people):
    client.force_login(people["analyst"])
    return people["analyst"]


def _upload(client, name: str, content: bytes, source: str = "fire"):
    return client.post("/loads/new/", {"source": source, "file": SimpleUploadedFile(name, content)})


def _run_and_show(client, response) -> tuple[Upload, str]:
    assert response.status_code == 302, response.content.decode()[:2000]
    upload = Upload.objects.get()
    assert response["Location"] == f"/loads/{upload.pk}/"
    waiting = client.get(response["Location"]).content.decode()
    assert 'id="job-running"' in waiting
    run_queued()
    return Upload.objects.get(), client.get(response["Location"]).content.decode()


def _summary(html: str, block: str) -> dict[str, str]:
    import re

    part = html.split(f'id="{block}"', 1)[1].split("</dl>", 1)[0]
    return dict(
        re.findall(
            r'<dt class="govuk-summary-list__key">([^<]+)</dt>'
            r'<dd class="govuk-summary-list__value">([^<]+)</dd>',
            part,
        )
    )


def test_a_csv_is_loaded_and_every_row_accounted_for(client, analyst, data_dir):
    upload, html = _run_and_show(client, _upload(client, "WYFRS incidents (Feb).csv", FIRE_CSV))
    assert upload.job.status == Job.DONE, upload.job.error
    assert "The file has been loaded" in html
    # six rows: WY1, WY2 loaded; WY3-5 each have one bad field; WY6 is outside the district
    assert _summary(html, "load-counts") == {
        "Rows read": "6",
        "Loaded": "2",
        "Duplicates (already in the warehouse)": "0",
        "Skipped": "1",
        "Rejected": "3",
    }
    rejects = html.split('id="rejects"', 1)[1].split("</table>", 1)[0]
    for line, field in ((4, "date"), (5, "category"), (6, "easting")):
        assert f'>{line}</td><td class="govuk-table__cell">{field}</td>' in rejects
    assert "31/02/2021" in rejects
    with Warehouse(data_dir / WAREHOUSE_FILE, load_partnership("kirklees"), read_only=True) as wh:
        assert wh.scalar("SELECT count(*) FROM events WHERE source = 'fire'") == 2
        [load] = wh.loads()
    assert (load["read"], load["loaded"], load["skipped"], load["rejected"]) == (6, 2, 1, 3)
    # kept under the data directory with a name the app made, readable by the app only
    path = upload.path()
    assert path == data_dir / "uploads" / str(upload.pk) / "wyfrs-incidents-feb.csv"
    assert path.read_bytes() == FIRE_CSV
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert not path.stat().st_mode & (stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    listed = client.get("/loads/").content.decode()
    assert "WYFRS incidents (Feb).csv" in listed and "govuk-tag--green" in listed


def test_an_excel_workbook_is_loaded_the_same_way(client, analyst, data_dir):
    workbook = _xlsx([HEADER, *ROWS])
    upload, html = _run_and_show(client, _upload(client, "incidents.xlsx", workbook))
    assert upload.content_kind == "xlsx"
    assert upload.job.status == Job.DONE, upload.job.error
    counts = _summary(html, "load-counts")
    assert (counts["Rows read"], counts["Loaded"], counts["Rejected"]) == ("6", "2", "3")
    assert "Excel workbook" in html


def test_the_same_file_again_changes_nothing(client, analyst):
    _upload(client, "fire.csv", FIRE_CSV)
    run_queued()
    response = _upload(client, "fire-again.csv", FIRE_CSV)
    run_queued()
    html = client.get(response["Location"]).content.decode()
    assert "This file had been loaded before: nothing was changed" in html
    assert 'id="load-counts"' not in html


def test_a_file_of_another_source_fails_with_file_line_and_field(client, analyst, data_dir):
    upload, html = _run_and_show(client, _upload(client, "fire.csv", FIRE_CSV, source="stats19"))
    assert upload.job.status == Job.FAILED
    assert upload.job.error.startswith("fire.csv was not loaded (nothing was changed). fire.csv")
    assert "line 1" in upload.job.error
    assert "The file was not loaded" in html
    with Warehouse(data_dir / WAREHOUSE_FILE, load_partnership("kirklees"), read_only=True) as wh:
        assert wh.loads() == []


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("fire.csv", b"\x89PNG\r\n\x1a\n" + b"0" * 50, "must be CSV or Excel: it is a PNG image"),
        ("fire.csv", b"%PDF-1.7\n", "it is a PDF document"),
        ("fire.csv", b"a,b\n1,\x00\x01\n", "it contains binary data"),
        ("fire.csv", b'[{"incident_id": "WY1"}]', "The selected file is JSON"),
        ("fire.csv", "incident,date\n1,café\n".encode("latin-1"), "CSV text in UTF-8"),
        ("fire.xlsx", FIRE_CSV, "named .xlsx but it is CSV text"),
        ("fire.csv", "WORKBOOK", "named .csv but it is an Excel workbook"),
        ("fire.exe", FIRE_CSV, "named .exe but it is CSV text"),
        ("fire.xlsx", "ZIP", "a ZIP archive, not an Excel workbook"),
        ("fire.xlsx", "MACROS", "contains macros"),
        ("fire.csv", b"", "The selected file is empty"),
    ],
)
def test_files_that_are_not_csv_or_excel_are_refused_before_storing(
    client, analyst, data_dir, name, content, message
):
    if content == "WORKBOOK":
        content = _xlsx([HEADER, *ROWS])
    elif content in ("ZIP", "MACROS"):
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as archive:
            archive.writestr("readme.txt", "hello")
            if content == "MACROS":
                archive.writestr("[Content_Types].xml", "<Types/>")
                archive.writestr("xl/workbook.xml", "<workbook/>")
                archive.writestr("xl/vbaProject.bin", b"\x00")
        content = out.getvalue()
    response = _upload(client, name, content)
    assert response.status_code == 200
    html = response.content.decode().replace("&#x27;", "'")
    assert "There is a problem" in html
    assert '<a href="#id_file">' in html
    assert message in html, html.split('class="govuk-error-summary__list"', 1)[1][:500]
    assert Upload.objects.count() == 0 and Job.objects.count() == 0
    assert not (data_dir / "uploads").exists() or not any((data_dir / "uploads").iterdir())


def test_the_size_limit_and_the_required_fields(client, analyst, settings):
    settings.SIA_UPLOAD_MAX_BYTES = 100
    html = _upload(client, "fire.csv", FIRE_CSV).content.decode()
    assert 'href="#id_file">The selected file must be smaller than 100 bytes' in html
    assert Upload.objects.count() == 0
    html = client.post("/loads/new/", {}).content.decode()
    assert 'href="#id_source">Select where the file comes from' in html
    assert 'href="#id_file">Select a file' in html


@pytest.fixture
def kept_bytes(monkeypatch) -> list[int]:
    """The size of every chunk Django's own upload handlers were given to keep."""
    from django.core.files import uploadhandler

    kept: list[int] = []
    for handler in (
        uploadhandler.MemoryFileUploadHandler,
        uploadhandler.TemporaryFileUploadHandler,
    ):
        original = handler.receive_data_chunk

        def spy(self, raw_data, start, original=original):
            # the memory handler keeps a chunk only when the request is small enough for
            # it (``activated``); otherwise it passes the chunk on to the temporary file
            if getattr(self, "activated", True):
                kept.append(len(raw_data))
            return original(self, raw_data, start)

        monkeypatch.setattr(handler, "receive_data_chunk", spy)
    return kept


@pytest.mark.parametrize("size", [5 * 1024 * 1024, 100 * 1024 + 1])
def test_a_file_over_the_limit_is_never_kept_beyond_it(
    client, analyst, settings, kept_bytes, data_dir, size
):
    settings.SIA_UPLOAD_MAX_BYTES = 100 * 1024
    content = (FIRE_CSV * (size // len(FIRE_CSV) + 1))[:size]
    response = _upload(client, "fire.csv", content)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="#id_file">The selected file must be smaller than 100 KB' in html
    # Django's handlers were given the chunks before the limit (64 KB each) and no more:
    # the rest of the file was read and thrown away
    assert 0 < sum(kept_bytes) <= settings.SIA_UPLOAD_MAX_BYTES
    assert Upload.objects.count() == 0 and Job.objects.count() == 0
    assert not (data_dir / "uploads").exists() or not any((data_dir / "uploads").iterdir())


def test_a_file_of_exactly_the_limit_is_taken(client, analyst, settings, kept_bytes):
    settings.SIA_UPLOAD_MAX_BYTES = len(FIRE_CSV)
    response = _upload(client, "fire.csv", FIRE_CSV)
    assert response.status_code == 302
    assert sum(kept_bytes) == len(FIRE_CSV)
    assert Upload.objects.get().size == len(FIRE_CSV)


def test_the_form_lists_every_source_sia_ingest_knows(client, analyst):
    from sia.sources import REGISTRY

    html = client.get("/loads/new/").content.decode()
    for name in REGISTRY:
        assert f'value="{name}"' in html
    assert 'enctype="multipart/form-data"' in html
    assert 'type="file"' in html and 'name="csrfmiddlewaretoken"' in html
    assert "smaller than 50 MB" in html


def test_a_busy_warehouse_fails_the_job_with_the_reason(client, analyst, data_dir, monkeypatch):
    import subprocess
    import sys

    with Warehouse(data_dir / WAREHOUSE_FILE, load_partnership("kirklees")):
        pass  # made, with its schema
    monkeypatch.setattr(job_warehouse, "WAIT_SECONDS", 0)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys; c = duckdb.connect(sys.argv[1]); print('held', flush=True); "
            "sys.stdin.read()",
            str(data_dir / WAREHOUSE_FILE),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        _upload(client, "fire.csv", FIRE_CSV)
        [job] = run_queued()
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)
    assert job.status == Job.FAILED
    assert "The warehouse stayed busy" in job.error


def test_only_analysts_upload_and_see_loads(people):
    for role in ("officer", "partner viewer", "councillor", "admin"):
        client = Client()
        client.force_login(people[role])
        response = _upload(client, "fire.csv", FIRE_CSV)
        assert response.status_code == 403, role
    assert Upload.objects.count() == 0


def test_an_upload_without_the_csrf_token_is_refused(people):
    client = Client(enforce_csrf_checks=True)
    client.force_login(people["analyst"])
    assert _upload(client, "fire.csv", FIRE_CSV).status_code == 403
    assert Upload.objects.count() == 0

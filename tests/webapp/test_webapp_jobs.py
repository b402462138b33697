"""Background jobs: queued, claimed once, run to done or failed with the reason, progress
shown on a page that refreshes itself, ``manage.py run_jobs``."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command

from webapp.jobs import registry, runner
from webapp.jobs.models import Job
from webapp.jobs.registry import JobError, JobKind


def _adds(job, progress):
    progress("Adding", 50)
    seen = Job.objects.get(pk=job.pk)  # the progress is in the database while it runs
    return {"sum": sum(job.params["numbers"]), "seen": [seen.progress, seen.percent]}


def _refuses(job, progress):
    raise JobError("The file has gone: upload it again")


def _breaks(job, progress):
    return 1 / 0


@pytest.fixture(autouse=True)
def kinds(settings, monkeypatch):
    settings.SIA_JOBS = "command"  # nothing runs behind the test's back
    for name, run in (("adds", _adds), ("refuses", _refuses), ("breaks", _breaks)):
        kind = JobKind(name, f"Test job: {name}", run, lambda job: "/somewhere/")
        monkeypatch.setitem(registry.KINDS, name, kind)  # taken out after the test


@pytest.fixture
def analyst(client, people):
    client.force_login(people["analyst"])
    return people["analyst"]


def test_a_job_runs_to_done_with_its_result_and_progress(people):
    job = runner.enqueue("adds", people["analyst"], {"numbers": [2, 3, 4]})
    assert job.status == Job.QUEUED
    [done] = runner.run_queued()
    assert done.pk == job.pk
    assert done.status == Job.DONE
    assert done.result == {"sum": 9, "seen": ["Adding", 50]}
    assert done.started_at <= done.finished_at
    assert runner.run_queued() == []  # nothing is run twice


def test_a_job_that_cannot_do_its_work_fails_with_the_reason(people):
    runner.enqueue("refuses", people["analyst"])
    runner.enqueue("breaks", people["analyst"])
    refused, broken = runner.run_queued()
    assert (refused.status, refused.error) == (Job.FAILED, "The file has gone: upload it again")
    assert broken.status == Job.FAILED
    assert broken.error == "The job stopped with an unexpected error: division by zero"
    assert refused.result is None


def test_a_claimed_job_is_not_claimed_again(people):
    job = runner.enqueue("adds", people["analyst"], {"numbers": [1]})
    assert runner.claim_next().pk == job.pk
    assert runner.claim_next() is None
    assert Job.objects.get(pk=job.pk).status == Job.RUNNING


def test_unknown_kinds_are_refused(people):
    with pytest.raises(ValueError, match="unknown job kind 'nope'"):
        runner.enqueue("nope", people["analyst"])


def test_run_jobs_runs_every_queued_job(people, capsys):
    for numbers in ([1], [2, 2]):
        runner.enqueue("adds", people["analyst"], {"numbers": numbers})
    call_command("run_jobs")
    out = capsys.readouterr().out
    assert out.count(": done") == 2
    assert "2 job(s) run." in out
    assert sorted(j.result["sum"] for j in Job.objects.all()) == [1, 4]


def test_the_page_of_a_running_job_polls_its_status_and_has_a_refresh_link(client, analyst):
    job = runner.enqueue("adds", analyst, {"numbers": [1]})
    runner.claim_next()
    runner.Job.objects.filter(pk=job.pk).update(progress="Loading: parsing", percent=40)
    html = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "Test job: adds" in html
    assert "Loading: parsing (40%)" in html
    assert f'data-status-url="/jobs/{job.pk}/status/"' in html
    assert f'href="/jobs/{job.pk}/">Refresh this page</a>' in html
    status = json.loads(client.get(f"/jobs/{job.pk}/status/").content)
    assert status == {
        "status": "running",
        "status_text": "Running",
        "progress": "Loading: parsing",
        "percent": 40,
        "finished": False,
    }


def test_a_finished_job_shows_a_banner_and_its_link(client, analyst):
    ok = runner.enqueue("adds", analyst, {"numbers": [1]})
    bad = runner.enqueue("refuses", analyst)
    runner.run_queued()
    html = client.get(f"/jobs/{ok.pk}/").content.decode()
    assert 'id="job-done"' in html and "govuk-notification-banner--success" in html
    assert "data-status-url" not in html  # no more polling
    assert 'href="/somewhere/" id="job-link"' in html
    html = client.get(f"/jobs/{bad.pk}/").content.decode()
    assert 'id="job-failed"' in html
    assert "The file has gone: upload it again" in html
    listed = client.get("/jobs/").content.decode()
    assert listed.count("govuk-tag--green") == 1 and listed.count("govuk-tag--red") == 1


def test_only_analysts_see_jobs(client, people):
    job = runner.enqueue("adds", people["analyst"], {"numbers": [1]})
    for role in ("officer", "partner viewer", "councillor", "admin"):
        client.force_login(people[role])
        for url in ("/jobs/", f"/jobs/{job.pk}/", f"/jobs/{job.pk}/status/"):
            assert client.get(url).status_code == 403, (role, url)


@pytest.mark.django_db(transaction=True)
def test_in_thread_mode_the_app_runs_the_job_once_it_is_committed(settings, people):
    settings.SIA_JOBS = "thread"
    job = runner.enqueue("adds", people["analyst"], {"numbers": [5, 6]})
    # the app's one worker thread takes tasks in order: once this no-op has run, so has
    # the job (waiting on the thread, not on the database, which SQLite would lock)
    runner._pool.submit(lambda: None).result(timeout=120)
    job.refresh_from_db()
    assert job.status == Job.DONE
    assert job.result["sum"] == 11


def test_a_job_left_running_by_a_stopped_process_fails_with_the_reason(people):
    import socket
    import subprocess
    import sys

    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()  # a process of this machine that has stopped
    host = socket.gethostname()
    left = Job.objects.create(kind="adds", status=Job.RUNNING, worker=f"{host}:{gone.pid}")
    working = Job.objects.create(kind="adds", status=Job.RUNNING, worker=runner._worker())
    elsewhere = Job.objects.create(kind="adds", status=Job.RUNNING, worker="another-host:1")
    queued = runner.enqueue("adds", people["analyst"], {"numbers": [1, 2]})

    done = runner.run_queued()

    left.refresh_from_db()
    assert left.status == Job.FAILED and left.error == runner.INTERRUPTED
    assert left.finished_at is not None
    for job in (working, elsewhere):  # alive here, or not ours to judge
        job.refresh_from_db()
        assert job.status == Job.RUNNING and not job.error
    assert [j.pk for j in done] == [queued.pk] and done[0].status == Job.DONE
    assert Job.objects.get(pk=queued.pk).worker == runner._worker()

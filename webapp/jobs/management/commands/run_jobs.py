"""``manage.py run_jobs``: run every queued job (loads, assessments), one after another."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from webapp.jobs.runner import run_queued


class Command(BaseCommand):
    help = "Run the queued background jobs (file loads, assessments), oldest first."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=None, help="Run at most this many")

    def handle(self, *args, limit=None, **options):
        jobs = run_queued(limit)
        for job in jobs:
            line = f"{job.kind} job {job.pk}: {job.status}"
            if job.error:
                line += f" ({job.error})"
            self.stdout.write(line)
        self.stdout.write(f"{len(jobs)} job(s) run.")

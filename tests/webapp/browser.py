"""What the web app's end-to-end tests share: the browser (:func:`tests.chromium.chromium`),
screenshots, and the app's database for ``sia``.

The app's database is read by ``sia ingest app`` in a process of its own, so it must be
one another process can open: :func:`app_database_for_sia` gives the PostgreSQL test
database's URL, or the SQLite test database's file (Django keeps it in memory unless a
file is named for it; then it is copied, whole, with SQLite's backup API).
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection


def needs_built_static() -> None:
    """Fail unless ``make static`` has built GOV.UK Frontend's styles and script: without
    them the menu does not fold on a phone and nothing moves the focus to an error."""
    from django.conf import settings

    built = settings.STATICFILES_DIRS[0] / "govuk"
    for name in ("sia.css", "govuk-frontend.min.js"):
        if not (built / name).is_file():
            pytest.fail(
                f"the app's static files are not built ({name}): run `make static`",
                pytrace=False,
            )


class Screenshots:
    """Numbered screenshots of each step (``01-sign-in.png``...) in a folder."""

    def __init__(self, browser, folder: Path) -> None:
        self.browser, self.folder, self.count = browser, folder, 0
        folder.mkdir(parents=True, exist_ok=True)

    def __call__(self, name: str) -> Path:
        self.count += 1
        path = self.folder / f"{self.count:02d}-{name}.png"
        assert self.browser.save_screenshot(str(path)), path
        return path


# -- the app database, for sia ------------------------------------------------------------
def app_database_for_sia(folder: Path) -> str:
    """The test database as ``sia ingest app --database`` takes it: a ``postgres://`` URL,
    or a SQLite file (an in-memory one copied to ``folder/app.sqlite3`` as it is now)."""
    connection.ensure_connection()
    s = connection.settings_dict
    if connection.vendor == "postgresql":
        who = quote(s["USER"] or "", safe="")
        if s["PASSWORD"]:
            who += ":" + quote(s["PASSWORD"], safe="")
        host = f"{s['HOST'] or 'localhost'}:{s['PORT'] or 5432}"
        return f"postgres://{who}@{host}/{s['NAME']}" if who else f"postgres://{host}/{s['NAME']}"
    assert connection.vendor == "sqlite", connection.vendor
    if not connection.is_in_memory_db():
        return str(s["NAME"])
    copy = folder / "app.sqlite3"
    copy.unlink(missing_ok=True)
    target = sqlite3.connect(copy)
    try:
        connection.connection.backup(target)
    finally:
        target.close()
    return str(copy)


def sia(*args: str) -> subprocess.CompletedProcess:
    """Run the ``sia`` command of this environment; it must succeed. The environment's own
    ``DATABASE_URL`` and ``SIA_*`` settings are left out: the test names what it means."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL" and not k.startswith("SIA_")}
    done = subprocess.run(
        [str(Path(sys.executable).with_name("sia")), *args],
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
    )
    assert done.returncode == 0, f"sia {' '.join(args)}:\n{done.stdout}\n{done.stderr}"
    return done


def insight(data_dir: Path, config: str, period: str) -> dict:
    """``sia insight --json`` of ``period``: the summary the report's section 5 is made of."""
    done = sia(
        *("--data-dir", str(data_dir), "--config", config),
        *("insight", "--json", "--period", period),
    )
    return json.loads(done.stdout)

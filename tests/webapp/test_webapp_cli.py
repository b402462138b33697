"""``sia createuser`` and ``sia serve``: the web app from the sia command."""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

SIA = str(Path(sys.executable).with_name("sia"))
PASSWORD = "a-long-pass-phrase-for-the-cli"
#: The commands' own environment: the app database is the data directory's SQLite file
#: even when these tests run with DATABASE_URL (on PostgreSQL).
ENV = {k: v for k, v in os.environ.items() if k != "DATABASE_URL" and not k.startswith("SIA_")}


def test_createuser_adds_a_person_to_the_data_directorys_app_database(tmp_path):
    done = subprocess.run(
        [
            SIA,
            "--data-dir",
            str(tmp_path),
            "createuser",
            "robin",
            "--role",
            "partner viewer",
            "--password-stdin",
        ],
        input=PASSWORD + "\n",
        capture_output=True,
        text=True,
        timeout=300,
        env=ENV,
    )
    assert done.returncode == 0, done.stderr
    assert "Added robin with the role partner viewer." in done.stdout
    with sqlite3.connect(tmp_path / "app.sqlite3") as db:  # read without Django
        rows = db.execute(
            "SELECT u.username, g.name FROM auth_user u JOIN auth_user_groups ug "
            "ON ug.user_id = u.id JOIN auth_group g ON g.id = ug.group_id"
        ).fetchall()
    assert rows == [("robin", "partner viewer")]
    done = subprocess.run(
        [
            SIA,
            "--data-dir",
            str(tmp_path),
            "createuser",
            "sam",
            "--role",
            "boss",
            "--password-stdin",
        ],
        input=PASSWORD + "\n",
        capture_output=True,
        text=True,
        timeout=300,
        env=ENV,
    )
    assert done.returncode != 0
    assert "invalid choice: 'boss'" in done.stderr


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.mark.slow
def test_serve_starts_the_app_on_the_port_given(tmp_path):
    port = _free_port()
    server = subprocess.Popen(
        [SIA, "--data-dir", str(tmp_path), "serve", "--port", str(port)],
        env=ENV,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 240
        while True:
            try:
                with urllib.request.urlopen(f"{base}/sign-in/", timeout=5) as response:
                    page = response.read().decode()
                break
            except (urllib.error.URLError, ConnectionError):
                assert server.poll() is None, server.stderr.read()
                assert time.monotonic() < deadline, "sia serve did not answer in time"
                time.sleep(1)
        assert '<h1 class="govuk-heading-l">Sign in</h1>' in page
        opener = urllib.request.build_opener(_NoRedirect)
        with pytest.raises(urllib.error.HTTPError) as refused:
            opener.open(f"{base}/dashboard/", timeout=10)
        assert refused.value.code == 302
        assert refused.value.headers["Location"] == "/sign-in/?next=/dashboard/"
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert (tmp_path / "app.sqlite3").exists()  # migrated before serving

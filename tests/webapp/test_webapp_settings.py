"""Settings from the environment: the database, production mode and its checks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from webapp.accounts.checks import secret_key_check

REPO = Path(__file__).resolve().parents[2]
GOOD_KEY = "k" * 30 + "Zq8-xY2_pL5mN7vB3cR9tW1e"  # 54 characters, not the development key


def _run(code: str, **env: str) -> subprocess.CompletedProcess:
    """Run Python with the web app's settings in a fresh process and the given environment."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SIA_", "DATABASE_URL"))}
    clean.update(env, DJANGO_SETTINGS_MODULE="webapp.settings", PYTHONPATH=str(REPO))
    return subprocess.run(
        [sys.executable, "-c", code], env=clean, cwd=REPO, capture_output=True, text=True
    )


_SETTINGS = (
    "import json; from django.conf import settings as s; print(json.dumps({k: str(getattr"
    "(s, k, None)) for k in ('DEBUG', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', "
    "'SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS', 'SECURE_SSL_REDIRECT', "
    "'ALLOWED_HOSTS')} | {'db': s.DATABASES['default']}, default=str))"
)
_CHECK = (
    "import sys; from django.core.management import execute_from_command_line; "
    "execute_from_command_line(['manage.py', 'check'])"
)


def _settings_and_check(**env: str) -> tuple[dict, subprocess.CompletedProcess]:
    """The settings the environment gives, and ``manage.py check`` run on them."""
    done = _run(f"import django; django.setup(); {_SETTINGS}; {_CHECK}", **env)
    first = done.stdout.splitlines()[0] if done.stdout else "{}"
    return json.loads(first), done


def test_production_mode_refuses_the_development_secret_key_and_no_host_names():
    _, done = _settings_and_check(SIA_ENV="production")
    assert done.returncode != 0
    assert "sia.E001" in done.stderr and "the secret key is the development one" in done.stderr
    assert "sia.E003" in done.stderr and "SIA_ALLOWED_HOSTS is not set" in done.stderr


def test_production_mode_sets_secure_cookies_and_hsts_and_passes_its_checks():
    got, done = _settings_and_check(
        SIA_ENV="production", SIA_SECRET_KEY=GOOD_KEY, SIA_ALLOWED_HOSTS="x.org"
    )
    assert done.returncode == 0, done.stderr
    assert "no issues" in done.stdout
    assert got["DEBUG"] == "False"
    assert got["SESSION_COOKIE_SECURE"] == "True"
    assert got["CSRF_COOKIE_SECURE"] == "True"
    assert got["SECURE_SSL_REDIRECT"] == "True"
    assert got["SECURE_HSTS_SECONDS"] == str(365 * 24 * 60 * 60)
    assert got["SECURE_HSTS_INCLUDE_SUBDOMAINS"] == "True"
    assert got["ALLOWED_HOSTS"] == "['x.org']"


def test_development_mode_uses_sqlite_in_the_data_directory(tmp_path):
    got, done = _settings_and_check(SIA_DATA_DIR=str(tmp_path))
    assert done.returncode == 0, done.stderr  # the development key is accepted here
    assert got["SESSION_COOKIE_SECURE"] == "False"
    assert got["SECURE_HSTS_SECONDS"] == "0"
    assert got["db"]["ENGINE"] == "django.db.backends.sqlite3"
    assert got["db"]["NAME"] == str(tmp_path / "app.sqlite3")


def test_database_url_chooses_postgresql():
    done = _run(_SETTINGS, DATABASE_URL="postgres://sia:secret@db.example.org:5433/sia_app")
    assert done.returncode == 0, done.stderr
    db = json.loads(done.stdout)["db"]
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["HOST"], db["PORT"], db["NAME"]) == ("db.example.org", 5433, "sia_app")
    assert (db["USER"], db["PASSWORD"]) == ("sia", "secret")


@pytest.mark.parametrize(
    ("production", "key", "expected"),
    [
        (False, "django-insecure-sia-development-key-never-use-in-production", []),
        (True, "django-insecure-sia-development-key-never-use-in-production", ["sia.E001"]),
        (True, "django-insecure-" + "x" * 60, ["sia.E001"]),
        (True, "a" * 60, ["sia.E002"]),  # long, but one character repeated
        (True, GOOD_KEY, []),
    ],
)
def test_the_secret_key_check(settings, production, key, expected):
    settings.PRODUCTION = production
    settings.SECRET_KEY = key
    assert [e.id for e in secret_key_check()] == expected


@pytest.mark.django_db
def test_the_tests_run_on_the_database_asked_for():
    """SQLite by default; PostgreSQL when DATABASE_URL names it (as .ci/run does)."""
    from django.db import connection

    url = os.environ.get("DATABASE_URL", "")
    expected = "postgresql" if url.startswith(("postgres://", "postgresql://")) else "sqlite"
    assert connection.vendor == expected

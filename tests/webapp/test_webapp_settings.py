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


def _settings(**env: str) -> dict:
    code = (
        "import json; from django.conf import settings as s; print(json.dumps({k: str(getattr"
        "(s, k, None)) for k in ('DEBUG', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', "
        "'SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS', 'SECURE_SSL_REDIRECT', "
        "'ALLOWED_HOSTS')} | {'db': s.DATABASES['default']}, default=str))"
    )
    done = _run(code, **env)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _check(**env: str) -> subprocess.CompletedProcess:
    return _run(
        "import sys; from django.core.management import execute_from_command_line; "
        "execute_from_command_line(['manage.py', 'check'])",
        **env,
    )


def test_production_mode_refuses_the_development_secret_key():
    done = _check(SIA_ENV="production", SIA_ALLOWED_HOSTS="sia.example.org")
    assert done.returncode != 0
    assert "sia.E001" in done.stderr and "development" in done.stderr


def test_production_mode_refuses_a_short_secret_key():
    done = _check(SIA_ENV="production", SIA_ALLOWED_HOSTS="x.org", SIA_SECRET_KEY="short-key")
    assert done.returncode != 0
    assert "sia.E002" in done.stderr


def test_production_mode_needs_its_host_names():
    done = _check(SIA_ENV="production", SIA_SECRET_KEY=GOOD_KEY)
    assert done.returncode != 0
    assert "sia.E003" in done.stderr


def test_production_mode_passes_with_a_secret_key_and_hosts():
    done = _check(SIA_ENV="production", SIA_SECRET_KEY=GOOD_KEY, SIA_ALLOWED_HOSTS="x.org")
    assert done.returncode == 0, done.stderr
    assert "no issues" in done.stdout


def test_development_mode_accepts_the_development_key():
    done = _check()
    assert done.returncode == 0, done.stderr


def test_production_mode_sets_secure_cookies_and_hsts():
    got = _settings(SIA_ENV="production", SIA_SECRET_KEY=GOOD_KEY, SIA_ALLOWED_HOSTS="x.org")
    assert got["DEBUG"] == "False"
    assert got["SESSION_COOKIE_SECURE"] == "True"
    assert got["CSRF_COOKIE_SECURE"] == "True"
    assert got["SECURE_SSL_REDIRECT"] == "True"
    assert got["SECURE_HSTS_SECONDS"] == str(365 * 24 * 60 * 60)
    assert got["SECURE_HSTS_INCLUDE_SUBDOMAINS"] == "True"
    assert got["ALLOWED_HOSTS"] == "['x.org']"
    development = _settings()
    assert development["SESSION_COOKIE_SECURE"] == "False"
    assert development["SECURE_HSTS_SECONDS"] == "0"


def test_the_database_is_sqlite_in_the_data_directory_unless_database_url_is_set(tmp_path):
    got = _settings(SIA_DATA_DIR=str(tmp_path))
    assert got["db"]["ENGINE"] == "django.db.backends.sqlite3"
    assert got["db"]["NAME"] == str(tmp_path / "app.sqlite3")
    got = _settings(DATABASE_URL="postgres://sia:secret@db.example.org:5433/sia_app")
    assert got["db"]["ENGINE"] == "django.db.backends.postgresql"
    assert (got["db"]["HOST"], got["db"]["PORT"], got["db"]["NAME"]) == (
        "db.example.org",
        5433,
        "sia_app",
    )
    assert (got["db"]["USER"], got["db"]["PASSWORD"]) == ("sia", "secret")


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

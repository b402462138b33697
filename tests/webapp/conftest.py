"""The web app's tests: Django (pytest-django) configured for this folder only.

The rest of the suite runs with plain ``pytest`` and never sees Django: the settings
module is named here, when this folder is collected. The app database is SQLite (in
memory) unless ``DATABASE_URL`` is set, e.g. to run the same tests on PostgreSQL:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test pytest tests/webapp
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

import django
import pytest

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "webapp.settings")
# The settings are read once, here: give them a data directory of their own (the tests set
# SIA_DATA_DIR per test), and leave the environment as it was for the rest of the suite.
# Django also sets the process's TZ to TIME_ZONE; it is put back too (Django itself reads
# TIME_ZONE, not TZ, so its local dates are unchanged).
_before = {name: os.environ.get(name) for name in ("SIA_DATA_DIR", "TZ")}
os.environ["SIA_DATA_DIR"] = tempfile.mkdtemp(prefix="sia-webapp-tests-")
try:
    django.setup()  # before the test modules import models
finally:
    for _name, _value in _before.items():
        if _value is None:
            os.environ.pop(_name, None)
        else:
            os.environ[_name] = _value
    time.tzset()


@pytest.fixture(autouse=True)
def _no_built_static(settings, tmp_path):
    """Pages render with or without ``build_static.py`` having run (plain storage)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.SIA_DATA_DIR = tmp_path / "no-data"


@pytest.fixture
def people(db) -> dict:
    """One person per role (user name: the role), one with no role, and another officer;
    none has a password (tests sign them in with ``force_login``)."""
    from django.contrib.auth.models import User

    from webapp.accounts.roles import set_role
    from webapp.accounts.rules import ROLES

    found = {}
    for role in ROLES:
        user = User.objects.create_user(role.replace(" ", "-"))
        set_role(user, role)
        found[role] = user
    found["no role"] = User.objects.create_user("nobody")
    found["someone else"] = User.objects.create_user("another-officer")
    set_role(found["someone else"], "officer")
    return found

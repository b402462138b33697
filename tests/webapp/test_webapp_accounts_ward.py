"""A councillor's ward: set by ``createuser --ward`` and the admin pages, read by the rules."""

from __future__ import annotations

import io

import pytest
import rules
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from webapp.accounts.models import Membership, set_ward
from webapp.accounts.rules import councillor_of_place, councillor_of_ward, place_of, ward_of

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-pass-phrase-for-tests"
BATLEY_EAST = "E05001390"  # in the place Batley & Spen (sia/config/kirklees.yaml)
ALMONDBURY = "E05008558"  # in Huddersfield


@pytest.fixture(autouse=True)
def _stdin(monkeypatch, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))


def test_createuser_gives_a_councillor_their_ward():
    out = io.StringIO()
    call_command(
        "createuser",
        "kim",
        role="councillor",
        ward=BATLEY_EAST.lower(),
        password_stdin=True,
        stdout=out,
    )
    kim = User.objects.get(username="kim")
    assert Membership.objects.get(user=kim).ward_code == BATLEY_EAST
    assert ward_of(kim) == BATLEY_EAST
    assert place_of(kim) == "Batley & Spen"
    assert f"for the ward {BATLEY_EAST}" in out.getvalue()


def test_createuser_refuses_a_ward_outside_the_partnership_and_adds_no_one():
    with pytest.raises(CommandError, match="E05999999 is not a ward of the partnership"):
        call_command("createuser", "kim", role="councillor", ward="E05999999", password_stdin=True)
    assert not User.objects.filter(username="kim").exists()


def test_a_councillor_without_a_ward_is_added_with_a_warning():
    err = io.StringIO()
    call_command("createuser", "lee", role="councillor", password_stdin=True, stderr=err)
    lee = User.objects.get(username="lee")
    assert ward_of(lee) is None and place_of(lee) is None
    assert "has no ward yet" in err.getvalue()
    assert not councillor_of_ward(lee, BATLEY_EAST)


def test_councillor_of_ward_is_true_only_for_a_councillor_of_that_ward(people):
    councillor, officer = people["councillor"], people["officer"]
    set_ward(councillor, BATLEY_EAST)
    set_ward(officer, BATLEY_EAST)  # an officer's patch does not make them a councillor
    councillor = User.objects.get(pk=councillor.pk)  # fresh, as a new request would have
    officer = User.objects.get(pk=officer.pk)
    assert councillor_of_ward(councillor, BATLEY_EAST)
    assert not councillor_of_ward(councillor, ALMONDBURY)
    assert not councillor_of_ward(councillor, None)
    assert not councillor_of_ward(officer, BATLEY_EAST)
    assert not councillor_of_ward(AnonymousUser(), BATLEY_EAST)
    assert councillor_of_place(councillor, "Batley & Spen")
    assert not councillor_of_place(councillor, "Huddersfield")
    assert isinstance(councillor_of_ward, rules.Predicate)  # composable by other apps' rules


def test_set_ward_changes_and_clears_the_ward(people):
    councillor = people["councillor"]
    set_ward(councillor, ALMONDBURY)
    set_ward(councillor, BATLEY_EAST)
    assert Membership.objects.filter(user=councillor).count() == 1
    assert ward_of(User.objects.get(pk=councillor.pk)) == BATLEY_EAST
    set_ward(councillor, "")
    assert ward_of(User.objects.get(pk=councillor.pk)) is None
    with pytest.raises(ValidationError):
        set_ward(councillor, "W05000001")


def test_an_admin_sets_a_ward_on_the_admin_pages(client, people):
    councillor = people["councillor"]
    client.force_login(people["admin"])
    page = client.get(f"/admin/auth/user/{councillor.pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert f'<option value="{BATLEY_EAST}">Batley East ({BATLEY_EAST})</option>' in html
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "password"}
    data.update(
        {
            "groups": [g.pk for g in councillor.groups.all()],
            "date_joined_0": "2026-01-01",
            "date_joined_1": "09:00:00",
            "membership-TOTAL_FORMS": "1",
            "membership-INITIAL_FORMS": "0",
            "membership-MIN_NUM_FORMS": "0",
            "membership-MAX_NUM_FORMS": "1",
            "membership-0-ward_code": BATLEY_EAST,
        }
    )
    data.pop("user_permissions", None)
    data.pop("last_login", None)
    data.pop("date_joined", None)
    response = client.post(f"/admin/auth/user/{councillor.pk}/change/", data)
    assert response.status_code == 302, response.context and response.context["errors"]
    assert ward_of(User.objects.get(pk=councillor.pk)) == BATLEY_EAST


def test_sia_createuser_passes_the_ward_on(tmp_path):
    """``sia createuser --ward`` writes the ward into the data directory's app database."""
    import os
    import sqlite3
    import subprocess
    import sys
    from pathlib import Path

    sia = str(Path(sys.executable).with_name("sia"))
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL" and not k.startswith("SIA_")}
    argv = [sia, "--data-dir", str(tmp_path), "createuser", "kim", "--role", "councillor"]
    done = subprocess.run(
        [*argv, "--ward", BATLEY_EAST, "--password-stdin"],
        input=PASSWORD + "\n",
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    with sqlite3.connect(tmp_path / "app.sqlite3") as db:  # read without Django
        rows = db.execute(
            "SELECT u.username, m.ward_code FROM auth_user u "
            "JOIN accounts_membership m ON m.user_id = u.id"
        ).fetchall()
    assert rows == [("kim", BATLEY_EAST)]

"""Signing in and out, its rate limit, CSRF on every form, and adding people."""

from __future__ import annotations

import io
import re

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.test import Client

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-pass-phrase-for-tests"


@pytest.fixture
def officer_with_password(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast
    call_command("createuser", "pat", role="officer", password_stdin=True)
    return User.objects.get(username="pat")


@pytest.fixture(autouse=True)
def _stdin(monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))


def _sign_in(client, username, password, next_url=""):
    return client.post("/sign-in/", {"username": username, "password": password, "next": next_url})


def test_createuser_adds_a_person_with_one_role(officer_with_password):
    user = officer_with_password
    assert [g.name for g in user.groups.all()] == ["officer"]
    assert user.check_password(PASSWORD)
    assert user.has_perm("engagement.add_engagement")
    assert not user.has_perm("accounts.manage_people")


def test_createuser_refuses_a_weak_password_an_unknown_role_and_a_taken_name(
    monkeypatch, officer_with_password
):
    monkeypatch.setattr("sys.stdin", io.StringIO("password\n"))
    with pytest.raises(CommandError, match="the password is refused"):
        call_command("createuser", "sam", role="analyst", password_stdin=True)
    with pytest.raises(CommandError, match="invalid choice: 'boss'"):
        call_command("createuser", "sam", role="boss", password_stdin=True)
    with pytest.raises(CommandError, match="already a person with the user name 'pat'"):
        call_command("createuser", "pat", role="analyst", password_stdin=True)
    assert not User.objects.filter(username="sam").exists()


def test_signing_in_goes_to_the_page_asked_for(client, officer_with_password):
    response = client.get("/engagements/new/")
    assert response["Location"] == "/sign-in/?next=/engagements/new/"
    response = _sign_in(client, "pat", PASSWORD, "/engagements/new/")
    assert response.status_code == 302 and response["Location"] == "/engagements/new/"
    assert client.get("/engagements/new/").status_code == 200


def test_a_wrong_password_is_shown_in_the_error_summary(client, officer_with_password):
    response = _sign_in(client, "pat", "wrong")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Sign in" in html
    assert '<a href="#id_username">Enter a correct user name and password</a>' in html
    response = _sign_in(client, "", "")
    html = response.content.decode()
    assert '<a href="#id_username">Enter your user name</a>' in html
    assert '<a href="#id_password">Enter your password</a>' in html


def test_sign_in_is_locked_after_five_failures_even_with_the_right_password(
    client, officer_with_password
):
    for _ in range(4):
        assert _sign_in(client, "pat", "wrong").status_code == 200
    locked = _sign_in(client, "pat", "wrong")  # the fifth failure locks
    assert locked.status_code == 429
    assert "Too many attempts to sign in" in locked.content.decode()
    locked = _sign_in(client, "pat", PASSWORD)
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
    # another person from the same address is not locked out
    User.objects.create_user("lee", password=PASSWORD)
    assert _sign_in(client, "lee", PASSWORD).status_code == 302


def test_signing_out_needs_a_post(client, officer_with_password):
    _sign_in(client, "pat", PASSWORD)
    assert client.get("/sign-out/").status_code == 405
    assert "_auth_user_id" in client.session
    response = client.post("/sign-out/")
    assert response.status_code == 302 and response["Location"] == "/sign-in/"
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    ("url", "who", "data"),
    [
        ("/sign-in/", None, {"username": "pat", "password": PASSWORD}),
        ("/sign-out/", "pat", {}),
        ("/engagements/new/", "pat", {}),
        ("/engagements/{pk}/change/", "pat", {}),
        ("/admin/auth/user/add/", "admin", {}),
    ],
)
def test_every_form_needs_its_csrf_token(officer_with_password, people, url, who, data):
    from webapp.engagement.models import Engagement

    strict = Client(enforce_csrf_checks=True)
    user = {"pat": officer_with_password, "admin": people["admin"], None: None}[who]
    if user is not None:
        strict.force_login(user)
    if "{pk}" in url:
        engagement = Engagement.objects.create(
            recorded_by=user, date="2026-01-05", team="other", place="Rural"
        )
        url = url.format(pk=engagement.pk)
    # the page's own form carries the token ...
    if url != "/sign-out/":
        page = strict.get(url).content.decode()
        assert re.search(
            r'<form method="post"[^>]*>\s*<input type="hidden" name="csrfmiddlewaretoken"', page
        )
    # ... and a post without it is refused
    response = strict.post(url, data)
    assert response.status_code == 403
    if not url.startswith("/admin/"):
        assert "Your form could not be sent" in response.content.decode()


def test_the_rate_limit_counts_the_address_the_partnerships_proxy_saw(settings, rf):
    from webapp.accounts.client_ip import client_ip

    request = rf.get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 10.1.2.3", REMOTE_ADDR="10.0.0.1")
    settings.SIA_BEHIND_PROXY = False
    assert client_ip(request) == "10.0.0.1"
    settings.SIA_BEHIND_PROXY = True
    assert client_ip(request) == "10.1.2.3"  # not the first, which the client can forge
    assert client_ip(rf.get("/", REMOTE_ADDR="10.0.0.1")) == "10.0.0.1"

"""The permission matrix: every URL of the URL conf × every role (and anonymous).

The URLs are walked from ``webapp.urls``: a URL without a row in :data:`EXPECTED` fails
:func:`test_every_url_has_expected_statuses`, and so does a row for a URL that no longer
exists. Each status is what a GET returns; anonymous people are always sent to sign in.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from webapp.accounts.models import set_ward
from webapp.accounts.rules import ROLES
from webapp.engagement.models import Engagement
from webapp.jobs.models import Job
from webapp.loads.models import Upload
from webapp.meetings.models import CouncillorMeeting, OfficerSession
from webapp.reports.models import ReportRun
from webapp.tension.models import TensionReport

ANON = "anonymous"
NO_ROLE = "no role"  # signed in, but given no role yet
WHO = (ANON, *ROLES, NO_ROLE)


def _row(
    anonymous=302, officer=403, analyst=403, partner=403, councillor=403, admin=403, none=403
) -> dict[str, int]:
    return dict(
        zip(WHO, (anonymous, officer, analyst, partner, councillor, admin, none), strict=True)
    )


ADMIN_ONLY = _row(admin=200)
#: Statuses of a GET, by URL name (and case, for URLs with an object).
EXPECTED: dict[str, dict[str, int]] = {
    "accounts:home": _row(302, 200, 200, 200, 200, 200, 200),
    "accounts:sign-in": _row(200, 200, 200, 200, 200, 200, 200),
    # sign-out is POST only (with the CSRF token): a GET is refused for everyone
    "accounts:sign-out": _row(405, 405, 405, 405, 405, 405, 405),
    "dashboard:dashboard": _row(officer=200, analyst=200, partner=200),
    "engagement:list": _row(officer=200, analyst=200),
    "engagement:add": _row(officer=200, analyst=200),
    # an engagement recorded by the person asking ...
    "engagement:change[own]": _row(officer=200, analyst=200),
    # ... and one recorded by someone else: nobody may change it
    "engagement:change[another's]": _row(),
    # priority review and overrides: analysts only
    "priorities:list": _row(analyst=200),
    "priorities:detail": _row(analyst=200),
    # ward and place profiles: all for readers of the dashboard; a councillor (of Batley
    # East) their ward and its place only
    "profiles:list": _row(officer=200, analyst=200, partner=200, councillor=200),
    "profiles:ward[own]": _row(officer=200, analyst=200, partner=200, councillor=200),
    "profiles:ward[another's]": _row(officer=200, analyst=200, partner=200),
    "profiles:place[own]": _row(officer=200, analyst=200, partner=200, councillor=200),
    "profiles:place[another's]": _row(officer=200, analyst=200, partner=200),
    # background jobs (loads, assessments): analysts only
    "jobs:list": _row(analyst=200),
    "jobs:detail": _row(analyst=200),
    "jobs:status": _row(analyst=200),
    # data loads: analysts only
    "loads:list": _row(analyst=200),
    "loads:add": _row(analyst=200),
    "loads:detail": _row(analyst=200),
    # reports: the published ones for every role but admins; drafts, running and
    # publishing for analysts (publishing is POST only)
    "reports:list": _row(officer=200, analyst=200, partner=200, councillor=200),
    "reports:run": _row(analyst=200),
    "reports:detail[published]": _row(officer=200, analyst=200, partner=200, councillor=200),
    "reports:detail[draft]": _row(analyst=200),
    "reports:publish": _row(analyst=405),
    "reports:file[published]": _row(officer=200, analyst=200, partner=200, councillor=200),
    "reports:file[draft]": _row(analyst=200),
    # ward meetings: officers and analysts, and a councillor (of Batley East) for their ward
    "meetings:councillor-list": _row(officer=200, analyst=200, councillor=200),
    "meetings:councillor-add": _row(officer=200, analyst=200, councillor=200),
    "meetings:councillor-change[own]": _row(officer=200, analyst=200, councillor=200),
    "meetings:councillor-change[another's]": _row(),
    "meetings:officer-list": _row(officer=200, analyst=200),
    "meetings:officer-add": _row(officer=200, analyst=200),
    "meetings:officer-change[own]": _row(officer=200, analyst=200),
    "meetings:officer-change[another's]": _row(),
    # the tension log: reports for officers and analysts; the monthly counts for partners too
    "tension:weekly": _row(officer=200, analyst=200),
    "tension:monthly": _row(officer=200, analyst=200, partner=200),
    "tension:list": _row(officer=200, analyst=200),
    "tension:add": _row(officer=200, analyst=200),
    "tension:change[own]": _row(officer=200, analyst=200),
    "tension:change[another's]": _row(),
    # the audit history: analysts only
    "audit:list": _row(analyst=200),
    # the admin pages: people and roles, for admins only
    "admin:index": ADMIN_ONLY,
    "admin:login": _row(302, 302, 302, 302, 302, 302, 302),  # the app's sign-in page
    "admin:logout": _row(admin=302),  # to the app's sign-out
    "admin:password_change": ADMIN_ONLY,
    "admin:password_change_done": ADMIN_ONLY,
    "admin:autocomplete": _row(admin=403),  # Django refuses a request without its fields
    "admin:jsi18n": ADMIN_ONLY,
    "admin:view_on_site": _row(admin=404),  # people have no page of their own
    "admin:app_list[auth]": ADMIN_ONLY,
    "admin:auth_user_changelist": ADMIN_ONLY,
    "admin:auth_user_add": ADMIN_ONLY,
    "admin:auth_user_history": ADMIN_ONLY,
    "admin:auth_user_delete": ADMIN_ONLY,
    "admin:auth_user_change": ADMIN_ONLY,
    "admin:auth_user_password_change": ADMIN_ONLY,
    "admin:auth_user_<id>/": _row(admin=302),  # the old URL, redirected to .../change/
    "admin:auth_group_changelist": ADMIN_ONLY,
    "admin:auth_group_add": ADMIN_ONLY,
    "admin:auth_group_history": ADMIN_ONLY,
    "admin:auth_group_delete": ADMIN_ONLY,
    "admin:auth_group_change": ADMIN_ONLY,
    "admin:auth_group_<id>/": _row(admin=302),
    "admin:<catch-all>": _row(admin=404),
}


def _walk(patterns, prefix="", namespace=""):
    """(route, name) of every URL, names with their namespaces."""
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from _walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), namespace + (p.name or "")


def _key(route: str, name: str) -> list[str]:
    """The rows of :data:`EXPECTED` that a URL of the URL conf must have."""
    if name in ("engagement:change", *OWN_RECORDS):
        return [f"{name}[own]", f"{name}[another's]"]
    if name in PROFILES:
        return [f"{name}[own]", f"{name}[another's]"]
    if name in ("reports:detail", "reports:file"):
        return [f"{name}[published]", f"{name}[draft]"]
    if name == "admin:app_list":
        return [f"{name}[auth]"]
    if name.endswith(":"):  # unnamed: the admin's redirect of an object's old URL, catch-all
        if route.endswith("(?P<url>.*)$"):
            return [f"{name}<catch-all>"]
        model = re.search(r"admin/(\w+)/(\w+)/", route)
        return [f"{name}{model[1]}_{model[2]}_<id>/"]
    return [name]


def url_conf_keys() -> list[str]:
    return [k for route, name in _walk(get_resolver().url_patterns) for k in _key(route, name)]


def test_every_url_has_expected_statuses():
    keys = url_conf_keys()
    missing = sorted(set(keys) - set(EXPECTED))
    stale = sorted(set(EXPECTED) - set(keys))
    assert not missing, f"URLs without expected statuses in EXPECTED: {missing}"
    assert not stale, f"rows of EXPECTED for URLs that no longer exist: {stale}"
    assert len(keys) == len(set(keys)), "two URLs share a name"


#: Pages of one record, by URL name: a record of that kind, made for its owner.
OWN_RECORDS = {
    "meetings:councillor-change": lambda owner: CouncillorMeeting.objects.create(
        recorded_by=owner, date="2026-01-05", ward_code=BATLEY_EAST
    ),
    "meetings:officer-change": lambda owner: OfficerSession.objects.create(
        recorded_by=owner, date="2026-01-05", place="Huddersfield"
    ),
    "tension:change": lambda owner: TensionReport.objects.create(
        recorded_by=owner,
        date="2026-01-05",
        category="hate-crime",
        trigger="local",
        evidence="experienced",
        level=2,
    ),
}
BATLEY_EAST = "E05001390"


#: The profiles of the matrix's councillor's ward and place (Batley East, in Batley &
#: Spen), and of another ward and place.
PROFILES = {
    "profiles:ward": {
        "profiles:ward[own]": "/profiles/wards/batley-east/",
        "profiles:ward[another's]": "/profiles/wards/dewsbury-west/",
    },
    "profiles:place": {
        "profiles:place[own]": "/profiles/places/batley-spen/",
        "profiles:place[another's]": "/profiles/places/huddersfield/",
    },
}


def _url(key: str, user, people) -> str:
    """A URL to GET for a row of EXPECTED, making any object it needs."""
    set_ward(people["councillor"], BATLEY_EAST)  # the councillor of the matrix has a ward
    name = key.split("[")[0]
    if name in OWN_RECORDS:
        owner = user if key.endswith("[own]") and user is not None else people["someone else"]
        return reverse(name, args=[OWN_RECORDS[name](owner).pk])
    if key.startswith("engagement:change"):
        owner = user if key.endswith("[own]") and user is not None else people["someone else"]
        engagement = Engagement.objects.create(
            recorded_by=owner, date="2026-01-05", team="community_plus", place="Huddersfield"
        )
        return reverse("engagement:change", args=[engagement.pk])
    if key in PROFILES.get(key.split("[")[0], {}):
        return PROFILES[key.split("[")[0]][key]
    if key == "priorities:detail":
        return reverse(key, args=["vawg"])
    if key in ("jobs:detail", "jobs:status"):
        return reverse(key, args=[Job.objects.create(kind="load", created_by=user).pk])
    if key == "loads:detail":
        upload = Upload.objects.create(
            source="fire", original_name="f.csv", stored_name="f.csv", size=1, sha256="0"
        )
        return reverse(key, args=[upload.pk])
    if key.startswith("reports:") and key != "reports:list" and key != "reports:run":
        run = ReportRun.objects.create(
            job=Job.objects.create(kind="report", status=Job.DONE),
            published_at=None if key.endswith("[draft]") else timezone.now(),
        )
        run.folder().mkdir(parents=True)
        (run.folder() / "sia-tables.xlsx").write_bytes(b"PK\x03\x04")
        name = key.split("[")[0]
        return reverse(
            name, args=[run.pk, "sia-tables.xlsx"] if name == "reports:file" else [run.pk]
        )
    admin_user = people["admin"]
    if key == "admin:app_list[auth]":
        return reverse("admin:app_list", kwargs={"app_label": "auth"})
    if key == "admin:<catch-all>":
        return "/admin/no-such-page/"
    if key.endswith("_<id>/"):
        model = key.split(":")[1].split("_")[1]
        pk = admin_user.pk if model == "user" else admin_user.groups.get().pk
        return f"/admin/auth/{model}/{pk}/"
    if key == "admin:view_on_site":
        ct = ContentType.objects.get_for_model(User)
        return reverse(key, args=[ct.pk, admin_user.pk])
    if key in ("admin:auth_user_change", "admin:auth_user_history", "admin:auth_user_delete"):
        return reverse(key, args=[admin_user.pk])
    if key == "admin:auth_user_password_change":
        return reverse(key, args=[admin_user.pk])
    if key in ("admin:auth_group_change", "admin:auth_group_history", "admin:auth_group_delete"):
        return reverse(key, args=[admin_user.groups.get().pk])
    return reverse(key)


@pytest.mark.django_db
def test_the_permission_matrix(client, people):
    """GET every URL as every role: the statuses are exactly those of EXPECTED."""
    got: dict[str, dict[str, int]] = {}
    for key in url_conf_keys():
        got[key] = {}
        for who in WHO:
            client.logout()
            user = None if who == ANON else people[who]
            if user is not None:
                client.force_login(user)
            response = client.get(_url(key, user, people))
            got[key][who] = response.status_code
            if response.status_code == 200 and response.get("Content-Type", "").startswith(
                "text/html"
            ):
                html = response.content.decode()
                forms = re.findall(r'<form[^>]*method="post"[^>]*>', html, flags=re.I)
                assert html.count('name="csrfmiddlewaretoken"') >= len(forms), (key, who)
            if who == ANON and response.status_code == 302:
                assert response["Location"].startswith("/sign-in/?next="), (key, response)
    wrong = {
        f"{key} as {who}": f"{got[key][who]} (expected {EXPECTED[key][who]})"
        for key in got
        for who in WHO
        if got[key][who] != EXPECTED[key][who]
    }
    assert not wrong, wrong


@pytest.mark.django_db
def test_anonymous_people_are_sent_to_sign_in_and_back(client):
    response = client.get("/engagements/new/")
    assert response.status_code == 302
    assert response["Location"] == "/sign-in/?next=/engagements/new/"
    response = client.get("/admin/auth/user/")
    assert response["Location"] == "/sign-in/?next=/admin/auth/user/"


@pytest.mark.django_db
def test_a_refused_page_says_why_in_the_service_style(client, people):
    client.force_login(people["partner viewer"])
    response = client.get("/engagements/new/")
    assert response.status_code == 403
    assert "You cannot see this page" in response.content.decode()


def test_every_view_asks_for_a_permission_declared_in_rules_py():
    """A view naming a permission that rules.py does not declare would refuse everyone."""
    import rules

    views = {
        p.callback.view_class
        for p in _patterns(get_resolver().url_patterns)
        if hasattr(p.callback, "view_class")
        and p.callback.view_class.__module__.startswith("webapp.")
    }  # the admin pages ask the site, whose has_permission asks rules.py
    asked = {v.__name__: getattr(v, "permission_required", None) for v in views}
    assert {"HomeView", "DashboardView", "EngagementUpdateView"} <= set(asked)
    public = {"SignInView", "SignOutView"}
    assert {name for name, perm in asked.items() if perm is None} == public
    for name, perm in asked.items():
        if perm is not None:
            assert rules.perm_exists(perm), f"{name} asks for {perm}, not declared in rules.py"


def _patterns(patterns):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _patterns(p.url_patterns)
        else:
            yield p

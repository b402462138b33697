"""axe-core finds no accessibility violation on any page of the app, signed in as each role.

The pages are every URL of the URL conf, as the permission matrix walks them
(``test_webapp_permissions``): a new URL has a row there, and its parameters are filled by
that test's ``_url`` (a URL it cannot fill fails both tests). Each page a role may open
(status 200, HTML) is loaded from a live server in Debian's headless Chromium and checked
by axe-core; the pages with a form in their main content are checked again in a
phone-sized window. The dashboard and profiles show the Kirklees demo's figures, so their
tables, charts and map are checked as people see them.

The same walk checks that no page loads anything from another site: every resource the
browser fetched for it (the Resource Timing entries: styles, scripts, fonts, images, even
those that failed) is on the app's own server, or inline data. Nothing is fetched from a
CDN at run time; ``webapp/node_modules`` (GOV.UK Frontend and sass, git-ignored) is only
read by ``webapp/build_static.py`` when the static files are built, and is never served.
"""

from __future__ import annotations

import json

import pytest
from django.conf import settings as django_settings

from tests.report.test_accessibility import AXE, _browser
from tests.webapp.kirklees_demo import kirklees_demo
from tests.webapp.test_webapp_permissions import ANON, EXPECTED, WHO, _url, url_conf_keys

pytestmark = pytest.mark.slow  # every page, as every role, in a browser: a few minutes

PHONE = (375, 812)
DESKTOP = (1280, 1000)


@pytest.fixture(scope="module")
def browser():
    b = _browser()
    b.set_page_load_timeout(120)
    b.set_script_timeout(300)
    yield b
    b.quit()


@pytest.fixture
def on_demo(settings):
    from webapp.profiles import services

    if not (django_settings.STATICFILES_DIRS[0] / "govuk" / "sia.css").is_file():
        pytest.fail("the app's styles are not built: run `make static`", pytrace=False)
    demo = kirklees_demo()
    services.forget()
    settings.SIA_DATA_DIR = demo.data_dir
    settings.SIA_CONFIG = "kirklees"
    yield demo
    services.forget()


def axe(browser, url: str, size: tuple[int, int]) -> list[dict]:
    browser.set_window_size(*size)
    browser.get(url)
    browser.execute_script(AXE.read_text("utf-8"))
    result = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']})"
        ".then(r => done(JSON.stringify(r.violations))).catch(e => done(String(e)));"
    )
    return json.loads(result)


def offsite(browser, origin: str) -> list[str]:
    """What the page in ``browser`` fetched from anywhere but ``origin`` (or inline data)."""
    fetched = browser.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)"
    )
    return [u for u in fetched if not (u.startswith(origin + "/") or u.startswith("data:"))]


def _summary(violations: list[dict]) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + " | ".join(n["html"][:100] for n in v["nodes"][:3])
        for v in violations
    ]


def _sign_in(browser, live_server, client, user) -> None:
    """The browser gets the session of ``user`` (signed in by the test client)."""
    browser.delete_all_cookies()
    if user is None:
        return
    client.force_login(user)
    browser.get(live_server.url + "/sign-in/")  # a page of the site, to set its cookie
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    browser.add_cookie({"name": cookie.key, "value": cookie.value, "path": "/"})


def _has_a_form(browser) -> bool:
    return bool(browser.find_elements("css selector", "main form"))


def _check(who, keys, browser, live_server, client, people) -> None:
    """Load each page of ``keys`` that ``who`` may open and run axe on it."""
    user = None if who == ANON else people[who]
    _sign_in(browser, live_server, client, user)
    checked, found = [], {}
    for key in keys:
        if EXPECTED[key][who] != 200:
            continue
        path = _url(key, user, people)
        response = client.get(path)
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        violations = axe(browser, live_server.url + path, DESKTOP)
        elsewhere = offsite(browser, live_server.url)
        if elsewhere:
            found[f"{key} ({path}) fetched from another site"] = elsewhere
        if _has_a_form(browser):
            violations += axe(browser, live_server.url + path, PHONE)
        checked.append(key)
        if violations:
            found[f"{key} ({path})"] = _summary(violations)
    assert checked, f"no page was checked for {who}"
    assert not found, json.dumps(found, indent=1, ensure_ascii=False)


def _app_keys() -> list[str]:
    return [k for k in url_conf_keys() if not k.startswith("admin:")]


def _admin_keys() -> list[str]:
    return [k for k in url_conf_keys() if k.startswith("admin:")]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("who", WHO)
def test_every_page_of_the_app_has_no_accessibility_violation(
    who, browser, live_server, client, people, on_demo
):
    _check(who, _app_keys(), browser, live_server, client, people)


@pytest.mark.django_db(transaction=True)
def test_the_admin_pages_have_no_accessibility_violation(
    browser, live_server, client, people, on_demo
):
    _check("admin", _admin_keys(), browser, live_server, client, people)


def test_axe_finds_a_violation_when_there_is_one(browser, tmp_path):
    page = tmp_path / "bad.html"
    page.write_text('<!DOCTYPE html><html><body><img src="x.png"></body></html>', "utf-8")
    ids = {v["id"] for v in axe(browser, page.as_uri(), PHONE)}
    assert {"image-alt", "html-has-lang"} <= ids


def test_a_resource_from_another_site_is_caught(browser, tmp_path):
    """The check above sees a stylesheet, a script and a picture from other sites, though
    none of them loads (the sites do not answer)."""
    page = tmp_path / "cdn.html"
    page.write_text(
        '<!DOCTYPE html><html lang="en"><head>'
        '<link rel="stylesheet" href="https://cdn.example.invalid/govuk.css">'
        '<script src="http://127.0.0.1:9/app.js"></script></head>'
        '<body><img src="https://cdnjs.example.invalid/logo.png" alt="Logo">'
        '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt=""></body></html>',
        "utf-8",
    )
    browser.get(page.as_uri())
    assert sorted(offsite(browser, "http://127.0.0.1:8000")) == [
        "http://127.0.0.1:9/app.js",
        "https://cdn.example.invalid/govuk.css",
        "https://cdnjs.example.invalid/logo.png",
    ]

"""End to end in a real browser (headless Chromium): what people do, through the pages.

1. An officer on a phone signs in, opens "Record an engagement" from the menu, makes a
   mistake, puts it right from the error summary and saves; ``sia ingest app`` copies the
   engagement into the warehouse and the reach table of the next insight (``sia insight``,
   the summary the report's section 5.3 is made of) counts exactly what was typed.
2. An analyst overrides a priority's recommended status, leaving the reason out first; the
   assessment is run from the app (the job run by ``manage.py run_jobs``), and the report
   the browser opens shows the recommendation and the decision with its reason.

The live server's database is the test database: SQLite (copied to a file for ``sia``,
see ``browser.app_database_for_sia``) or PostgreSQL when ``DATABASE_URL`` is set. Each
step's screenshot is kept in the test's ``tmp_path`` (``screens/``).
"""

from __future__ import annotations

import io
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from sia.config import load_partnership
from sia.sources.police_uk import load_file
from sia.warehouse import Warehouse
from tests.chromium import chromium
from tests.webapp.browser import (
    Screenshots,
    app_database_for_sia,
    insight,
    needs_built_static,
    sia,
)
from webapp.accounts.roles import set_role
from webapp.engagement.models import Engagement
from webapp.reports import tasks

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

REPO = Path(__file__).resolve().parents[2]
PASSWORD = "correct-horse-battery-staple-42"
ALMONDBURY = "E05008558"  # a ward of Huddersfield
HUDDERSFIELD = "Huddersfield"


def _person(username: str, role: str, first: str, last: str) -> User:
    user = User.objects.create_user(username, password=PASSWORD, first_name=first, last_name=last)
    set_role(user, role)
    return user


def _wait(browser, condition, seconds: float = 30):
    return WebDriverWait(browser, seconds).until(condition)


def _css(browser, selector: str):
    return browser.find_element(By.CSS_SELECTOR, selector)


def _sign_in(browser, live_server, user: User, shot: Screenshots) -> None:
    """Through the real sign-in page: the home page sends an unknown visitor there."""
    browser.get(live_server.url + "/")
    _wait(browser, ec.title_contains("Sign in"))
    assert browser.current_url.startswith(live_server.url + "/sign-in/")
    _css(browser, "#id_username").send_keys(user.username)
    _css(browser, "#id_password").send_keys(PASSWORD)
    shot("sign-in")
    _css(browser, "main form button[type=submit]").click()
    _wait(browser, ec.presence_of_element_located((By.CSS_SELECTOR, ".govuk-footer form")))
    assert f"Signed in as {user.username}" in _css(browser, ".govuk-footer").text
    assert browser.current_url == live_server.url + "/"  # back to the page asked for


def _choose(browser, name: str, value: str) -> None:
    """Tick a GOV.UK radio or checkbox by its value, through its label (as a person does:
    the input itself is drawn over by the label's styled box)."""
    box = _css(browser, f"input[name='{name}'][value='{value}']")
    label = _css(browser, f"label[for='{box.get_attribute('id')}']")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", label)
    label.click()
    assert box.is_selected(), (name, value)


def _fits(browser) -> bool:
    """The page is no wider than the screen: nothing to scroll sideways (a wide table
    scrolls in its own box). A phone's browser widens its window to a page too wide for
    it, so the page is measured against the screen's layout width, not the window's."""
    return browser.execute_script(
        "const html = document.documentElement; return html.scrollWidth <= html.clientWidth"
    )


def _focused_id(browser) -> str:
    return browser.execute_script(
        "const e = document.activeElement; return e.id || e.className || e.tagName;"
    )


def _error_summary(browser) -> list[tuple[str, str]]:
    """The error summary's items as (text, link), once it is on the page and focused
    (GOV.UK Frontend's script moves the focus to it when the page loads)."""
    summary = _wait(
        browser, ec.visibility_of_element_located((By.CSS_SELECTOR, ".govuk-error-summary"))
    )
    _wait(
        browser,
        lambda b: b.execute_script(
            "return document.activeElement === document.querySelector('.govuk-error-summary')"
        ),
        10,
    )
    assert summary.find_element(By.CSS_SELECTOR, ".govuk-error-summary__title").text == (
        "There is a problem"
    )
    links = summary.find_elements(By.CSS_SELECTOR, ".govuk-error-summary__list a")
    return [(a.text, a.get_attribute("href").split("#", 1)[1]) for a in links]


# -- 1. an officer on a phone ---------------------------------------------------------------
def _last_month() -> date:
    return (date.today().replace(day=1) - timedelta(days=1)).replace(day=1)


def _reach(summary: dict) -> dict[str, dict]:
    return {row["place"]: row for row in summary["reach"]}


def test_an_officer_on_a_phone_records_an_engagement_the_reach_table_counts(
    live_server, settings, tmp_path
):
    data = tmp_path / "data"
    data.mkdir()
    settings.SIA_DATA_DIR = data
    settings.SIA_CONFIG = "kirklees"
    month = _last_month()
    period = f"{month:%Y-%m}:{month:%Y-%m}"
    day = month.replace(day=14)

    officer = _person("sam", "officer", "Sam", "Shah")
    colleague = _person("jo", "officer", "Jo", "Lee")
    # what the warehouse already holds: two engagements in Huddersfield in the month (one
    # at a mosque) and one in Rural, loaded before the officer records theirs
    for place, ward, kind, people, groups in (
        (HUDDERSFIELD, ALMONDBURY, "mosque", 20, 1),
        (HUDDERSFIELD, "", "other_faith", 9, None),
        ("Rural", "", "none", 4, 2),
    ):
        Engagement.objects.create(
            recorded_by=colleague,
            date=month.replace(day=3),
            team="community_plus",
            place=place,
            ward_code=ward,
            organisation_type=kind,
            individuals=people,
            groups=groups,
            feeling="ok",
            concerns=["asb"],
        )
    base = ["--data-dir", str(data), "--config", "kirklees"]
    first = sia(*base, "ingest", "app", "--database", app_database_for_sia(tmp_path))
    assert "app: community engagements: 3 read, 3 loaded" in first.stdout
    before = insight(data, "kirklees", period)
    assert _reach(before)[HUDDERSFIELD] == {
        "place": HUDDERSFIELD,
        "engagements": 2,
        "individuals": 29,
        "groups": 1,
        "mosques": 1,
        "other_faith": 1,
    }

    needs_built_static()
    browser = chromium(phone=True)
    try:
        shot = Screenshots(browser, tmp_path / "screens")
        _sign_in(browser, live_server, officer, shot)
        # the page's viewport is the phone's (the app's pages declare theirs)
        assert browser.execute_script("return window.innerWidth") == 375

        # the menu is folded behind its button on a phone; the button opens it
        menu_link = _css(browser, "#navigation a[href='/engagements/new/']")
        toggle = _css(browser, ".govuk-service-navigation__toggle")
        _wait(browser, lambda b: toggle.is_displayed())
        assert not menu_link.is_displayed()
        assert toggle.get_attribute("aria-expanded") == "false"
        shot("home-menu-closed")
        toggle.click()
        _wait(browser, lambda b: menu_link.is_displayed())
        assert toggle.get_attribute("aria-expanded") == "true"
        shot("home-menu-open")
        menu_link.click()
        _wait(browser, ec.title_contains("Record an engagement"))
        assert _fits(browser), "the form is wider than the phone's screen"
        shot("form")

        # the answers, with one mistake: the number of people in words
        for part, value in (("day", day.day), ("month", day.month), ("year", day.year)):
            _css(browser, f"input[name='date_{part}']").send_keys(str(value))
        _choose(browser, "team", "detached_youth")
        _choose(browser, "place", HUDDERSFIELD)
        _css(browser, f"#id_ward_code option[value='{ALMONDBURY}']").click()
        _choose(browser, "organisation_type", "mosque")
        _css(browser, "#id_individuals").send_keys("twelve")
        _css(browser, "#id_groups").send_keys("3")
        _choose(browser, "feeling", "mixed")
        _choose(browser, "concerns", "asb")
        _css(browser, "#id_notes").send_keys("Bikes on the playing field again")
        shot("form-filled")
        _css(browser, "main form button[type=submit]").click()

        assert _error_summary(browser) == [
            ("Individuals engaged must be a whole number, like 12", "id_individuals")
        ]
        assert browser.title.startswith("Error: Record an engagement")
        field_error = _css(browser, "#id_individuals-error")
        assert field_error.text == "Error:\nIndividuals engaged must be a whole number, like 12"
        assert "id_individuals-error" in _css(browser, "#id_individuals").get_attribute(
            "aria-describedby"
        )
        shot("error-summary")
        # what was typed is kept, the mistake too, for the person to put right
        assert _css(browser, "#id_date").get_attribute("value") == str(day.day)
        assert _css(browser, "input[name='place'][value='Huddersfield']").is_selected()
        assert _css(browser, "#id_individuals").get_attribute("value") == "twelve"
        # the summary's link takes the person to the question
        _css(browser, ".govuk-error-summary__list a").click()
        _wait(browser, lambda b: _focused_id(b) == "id_individuals")
        shot("error-field")
        box = _css(browser, "#id_individuals")
        box.clear()
        box.send_keys("12")
        _css(browser, "main form button[type=submit]").click()

        banner = _wait(
            browser,
            ec.visibility_of_element_located(
                (By.CSS_SELECTOR, ".govuk-notification-banner--success")
            ),
        )
        assert f"Engagement of {day:%-d %B %Y} saved" in banner.text
        assert browser.current_url == live_server.url + "/engagements/"
        assert "Huddersfield, Almondbury" in _css(browser, "main table").text
        assert _fits(browser), "the list is wider than the phone's screen"
        shot("saved")
    finally:
        browser.quit()

    saved = Engagement.objects.get(recorded_by=officer)
    assert (saved.date, saved.place, saved.ward_code) == (day, HUDDERSFIELD, ALMONDBURY)
    assert (saved.individuals, saved.groups, saved.version) == (12, 3, 1)

    second = sia(*base, "ingest", "app", "--database", app_database_for_sia(tmp_path))
    assert (
        "app: community engagements: 4 read, 1 loaded, 0 duplicates, skipped 3 unchanged"
        in second.stdout
    )
    after = insight(data, "kirklees", period)
    now, then = _reach(after), _reach(before)
    # the new engagement's own figures, added to Huddersfield's row and nowhere else
    assert now[HUDDERSFIELD] == {
        "place": HUDDERSFIELD,
        "engagements": then[HUDDERSFIELD]["engagements"] + 1,
        "individuals": then[HUDDERSFIELD]["individuals"] + 12,
        "groups": then[HUDDERSFIELD]["groups"] + 3,
        "mosques": then[HUDDERSFIELD]["mosques"] + 1,
        "other_faith": then[HUDDERSFIELD]["other_faith"],
    }
    assert {p: r for p, r in now.items() if p != HUDDERSFIELD} == {
        p: r for p, r in then.items() if p != HUDDERSFIELD
    }
    assert after["engaged"]["engagements"] == before["engaged"]["engagements"] + 1
    feeling = {r["place"]: r["feelings"]["mixed"] for r in after["feelings"]}
    assert feeling[HUDDERSFIELD] == 1


# -- 2. an analyst overrides a status ------------------------------------------------------
STATUS_WORDS = {
    "high-focus": "High focus",
    "monitor": "Continue to monitor",
    "cross-cutting": "Cross-cutting",
}
REASON = "Agreed at the partnership board: the BID's own figures show a rise"


def _run_the_assessment(browser, period: str, shot, name: str) -> str:
    """From the Reports page: queue the run, let ``manage.py run_jobs`` run it (the app runs
    no job itself with ``SIA_JOBS=command``), and come back to the run's page, finished."""
    _css(browser, "#navigation a[href='/reports/']").click()
    _wait(browser, ec.title_contains("Reports"))
    browser.find_element(By.LINK_TEXT, "Run the assessment").click()
    _wait(browser, ec.title_contains("Run the assessment"))
    first, last = period.split(":")
    for box, month in (("start", first), ("end", last)):
        year, number = month.split("-")
        _css(browser, f"#id_{box}").send_keys(str(int(number)))  # as a person types it
        _css(browser, f"#id_{box}_year").send_keys(year)
    shot(f"{name}-form")
    _css(browser, "main form button[type=submit]").click()
    _wait(browser, ec.presence_of_element_located((By.ID, "job-running")))
    shot(f"{name}-queued")
    run_page = browser.current_url
    # the page polls the job's status; it is left while the job runs in this process, so
    # the live server and the job never share the test database's connection at once
    browser.get("about:blank")
    out = io.StringIO()
    call_command("run_jobs", stdout=out)
    assert re.fullmatch(r"report job [0-9a-f-]+: done\n1 job\(s\) run\.\n", out.getvalue()), (
        out.getvalue()
    )
    browser.get(run_page)
    banner = _wait(browser, ec.visibility_of_element_located((By.ID, "job-done")))
    assert "The assessment has run and the report is written" in banner.text
    shot(f"{name}-done")
    return run_page


def test_an_analyst_overrides_a_status_and_the_report_shows_both(
    live_server, settings, tmp_path, monkeypatch
):
    data = tmp_path / "data"
    data.mkdir()
    settings.SIA_DATA_DIR = data
    settings.SIA_CONFIG = "city-of-london"
    settings.SIA_JOBS = "command"
    monkeypatch.setattr(tasks, "FORMATS", ["html"])  # the PDF, Word and Excel: tests/report
    files = sorted((REPO / "data" / "police_uk" / "city-of-london").glob("*/*.csv"))[-24:]
    with Warehouse.open(load_partnership("city-of-london"), data) as wh:
        for path in files:
            load_file(wh, path)
    analyst = _person("alex", "analyst", "Alex", "Morgan")
    period = "2021-01:2021-12"

    needs_built_static()
    browser = chromium()
    try:
        shot = Screenshots(browser, tmp_path / "screens")
        _sign_in(browser, live_server, analyst, shot)
        _run_the_assessment(browser, period, shot, "first-run")

        _css(browser, "#navigation a[href='/priorities/']").click()
        row = _wait(browser, ec.visibility_of_element_located((By.ID, "priority-theft")))
        cells = [c.text for c in row.find_elements(By.CSS_SELECTOR, "th, td")]
        recommended = next(k for k, words in STATUS_WORDS.items() if words == cells[1])
        chosen = "monitor" if recommended != "monitor" else "high-focus"
        assert cells[2] == "As recommended"
        shot("priorities")
        row.find_element(By.LINK_TEXT, "Theft and Shoplifting").click()
        _wait(browser, ec.title_contains("Theft and Shoplifting"))
        assert _css(browser, "#recommended-status").text == STATUS_WORDS[recommended]
        assert _css(browser, "#decision").text == "As recommended"

        # the status chosen, the reason left out
        _choose(browser, "status", chosen)
        _css(browser, "#override-form button[type=submit]").click()
        assert _error_summary(browser) == [
            ("Enter why the recommendation is overridden", "id_reason")
        ]
        assert _css(browser, "#id_reason-error").text == (
            "Error:\nEnter why the recommendation is overridden"
        )
        assert _css(browser, f"input[name='status'][value='{chosen}']").is_selected()
        shot("override-error")
        _css(browser, ".govuk-error-summary__list a").click()
        _wait(browser, lambda b: _focused_id(b) == "id_reason")
        _css(browser, "#id_reason").send_keys(REASON)
        _css(browser, "#override-form button[type=submit]").click()

        banner = _wait(
            browser,
            ec.visibility_of_element_located(
                (By.CSS_SELECTOR, ".govuk-notification-banner--success")
            ),
        )
        assert f"Theft and Shoplifting: decision kept ({STATUS_WORDS[chosen]})" in banner.text
        today = date.today()
        assert _css(browser, "#decision").text == (
            f"{STATUS_WORDS[chosen]}, decided by Alex Morgan on {today:%-d %B %Y}"
        )
        history = _css(browser, "#history tbody").find_elements(By.CSS_SELECTOR, "tr")
        assert len(history) == 1
        when, who, status, then, why = (
            c.text for c in history[0].find_elements(By.CSS_SELECTOR, "td")
        )
        assert (who, status, then, why) == (
            "Alex Morgan",
            STATUS_WORDS[chosen],
            STATUS_WORDS[recommended],
            REASON,
        )
        assert when.startswith(f"{today:%-d %b %Y}")
        shot("override-kept")

        run_page = _run_the_assessment(browser, period, shot, "second-run")
        assert browser.current_url == run_page
        link = browser.find_element(By.LINK_TEXT, "The report (web page)")
        link.click()
        _wait(browser, ec.url_contains("/files/sia-report.html"))
        section = _wait(browser, ec.presence_of_element_located((By.ID, "priority-theft")))
        browser.execute_script("arguments[0].scrollIntoView()", section)
        shot("report-priority")
        # the decision is the priority's status; the recommendation and the reason beside it
        tag = section.find_element(By.CSS_SELECTOR, "h5 .tag")
        assert tag.text == STATUS_WORDS[chosen]
        inset = section.find_element(By.CSS_SELECTOR, "div.inset").text
        assert inset == (
            f"Override: {STATUS_WORDS[chosen]}, decided by Alex Morgan on {today:%-d %B %Y} "
            f"(recommended: {STATUS_WORDS[recommended]}): {REASON}"
        )
    finally:
        browser.quit()

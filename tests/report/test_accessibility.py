"""axe-core finds no accessibility violation in the report and a profile.

axe-core is the npm package pinned in ``tests/report/axe/package.json`` (``npm ci`` there;
``.ci/run`` does it), injected into Debian's Chromium, headless, through its chromedriver.
A missing browser or package fails the test: an accessibility check that silently does not
run proves nothing.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

AXE = Path(__file__).parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"


def _browser():
    """Headless Chromium, once axe-core is installed to run in it."""
    from tests.chromium import chromium

    if not AXE.is_file():
        pytest.fail(f"axe-core is not installed: run `npm ci` in {AXE.parents[2]}", pytrace=False)
    return chromium()


def _axe(browser, path: Path) -> list[dict]:
    browser.get(path.as_uri())
    browser.execute_script(AXE.read_text("utf-8"))
    browser.set_script_timeout(300)
    result = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']})"
        ".then(r => done(JSON.stringify(r.violations))).catch(e => done(String(e)));"
    )
    return json.loads(result)


@pytest.fixture(scope="module")
def browser():
    b = _browser()
    yield b
    b.quit()


def _summary(violations: list[dict]) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {v['nodes'][0]['html'][:120]}"
        for v in violations
    ]


def test_the_report_has_no_accessibility_violation(browser, built):
    assert _summary(_axe(browser, built.out / "sia-report.html")) == []


def test_a_profile_has_no_accessibility_violation(browser, built):
    assert _summary(_axe(browser, built.out / "wards" / "dewsbury-west.html")) == []


def test_axe_finds_a_violation_when_there_is_one(browser, tmp_path):
    page = tmp_path / "bad.html"
    page.write_text('<!DOCTYPE html><html><body><img src="x.png"></body></html>', "utf-8")
    ids = {v["id"] for v in _axe(browser, page)}
    assert {"image-alt", "html-has-lang"} <= ids

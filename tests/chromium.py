"""Debian's headless Chromium for the tests that need a browser (the report's and the web
app's accessibility tests, the web app's end-to-end tests).

The browser is Debian's Chromium with its own chromedriver (``apt-get install chromium
chromium-driver``; ``.ci/run`` installs them), driven by Selenium. A missing browser fails
the test rather than skipping it: a browser test that silently does not run proves nothing.
"""

from __future__ import annotations

import shutil

import pytest

#: A phone: the viewport of an iPhone X class screen, in CSS pixels.
PHONE = {"width": 375, "height": 812, "pixelRatio": 2.0}
PHONE_AGENT = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0 Mobile Safari/537.36"
)
DESKTOP = (1280, 1000)
BINARIES = ("chromium", "chromium-browser", "google-chrome")


def chromium(phone: bool = False):
    """A headless Chromium: a desktop window, or a phone's screen, touch and user agent
    (Chromium's own device emulation)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    binary = next((shutil.which(b) for b in BINARIES if shutil.which(b)), None)
    driver = shutil.which("chromedriver")
    if binary is None or driver is None:
        pytest.fail(
            "the browser tests need Chromium and its driver (Debian: apt-get install "
            "chromium chromium-driver)",
            pytrace=False,
        )
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
        options.add_argument(arg)
    if phone:
        options.add_experimental_option(
            "mobileEmulation", {"deviceMetrics": {**PHONE, "touch": True}, "userAgent": PHONE_AGENT}
        )
    else:
        options.add_argument(f"--window-size={DESKTOP[0]},{DESKTOP[1]}")
    browser = webdriver.Chrome(service=Service(executable_path=driver), options=options)
    browser.set_page_load_timeout(120)
    browser.implicitly_wait(0)
    return browser

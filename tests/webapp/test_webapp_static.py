"""The static files: built from the govuk-frontend npm package, served by the app."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from webapp.build_static import WEBAPP, BuildError, build


def test_the_build_needs_the_npm_packages(tmp_path):
    with pytest.raises(BuildError, match="run `npm ci`"):
        build(webapp=tmp_path, out=tmp_path / "out")


def test_the_npm_packages_are_pinned_exactly():
    package = json.loads((WEBAPP / "package.json").read_text())
    lock = json.loads((WEBAPP / "package-lock.json").read_text())
    for name, version in {**package["dependencies"], **package["devDependencies"]}.items():
        assert re.fullmatch(r"\d+\.\d+\.\d+", version), f"{name} is not pinned: {version}"
        assert lock["packages"][f"node_modules/{name}"]["version"] == version


@pytest.mark.slow
@pytest.mark.skipif(
    not (WEBAPP / "node_modules" / "govuk-frontend").is_dir(),
    reason="needs `npm ci` in webapp/ (the Makefile runs it before the tests)",
)
def test_the_built_css_uses_no_gov_uk_font_and_only_local_assets(tmp_path):
    written = build(out=tmp_path / "govuk")
    names = {p.relative_to(tmp_path / "govuk").as_posix() for p in written}
    assert {"sia.css", "govuk-frontend.min.js", "assets/images/favicon.ico"} <= names
    css = (tmp_path / "govuk" / "sia.css").read_text()
    assert "GDS Transport" not in css  # the GOV.UK font is for GOV.UK services only
    assert ".govuk-error-summary" in css and ".sia-table-wrapper" in css
    urls = set(re.findall(r"url\(([^)]*)\)", css))
    assert urls, "the stylesheet should name its images"
    for url in urls:
        target = url.strip("\"'")
        assert not re.match(r"(https?:)?//|/", target), f"{target} is not relative"
        assert (tmp_path / "govuk" / target).is_file(), f"{target} was not copied"


@pytest.mark.django_db
def test_pages_load_their_styles_and_scripts_from_the_app_itself(client):
    html = client.get("/sign-in/").content.decode()
    links = re.findall(r'(?:href|src)="([^"#]+)"', html)
    assert "/static/govuk/sia.css" in links and "/static/sia.js" in links
    assert not [u for u in links if re.match(r"(https?:)?//", u)], "nothing from elsewhere"
    # an empty icon: no request for /favicon.ico, and not GOV.UK's crown
    assert '<link rel="icon" href="data:,">' in html and "favicon" not in html
    script = (Path(WEBAPP) / "static" / "sia.js").read_text()
    assert 'from "./govuk/govuk-frontend.min.js"' in script

"""The HTML report: every section of the seed, self-contained, pictures described."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

pytestmark = pytest.mark.slow

SECTIONS = {
    "summary": "1 Summary",
    "sia-and-plan": "2 The SIA and the plan",
    "methodology": "3 Methodology",
    "review": "4 Review of themes and priorities",
    "proposed": "4.3 Proposed priorities",
    "insight": "5 Stakeholder and community insight",
    "cross-cutting": "6 Cross-cutting themes",
    "principles": "7 Design principles and next steps",
    "appendix-manifest": "Appendix A: Data manifest",
    "appendix-methods": "Appendix B: Methods and references",
    "appendix-glossary": "Appendix C: Glossary",
}


@pytest.fixture(scope="module")
def soup(built):
    return BeautifulSoup((built.out / "sia-report.html").read_text("utf-8"), "html.parser")


def test_every_section_is_there(soup):
    for anchor, heading in SECTIONS.items():
        element = soup.find(id=anchor)
        assert element is not None, anchor
        assert element.get_text(strip=True) == heading


def test_every_priority_has_its_section(soup, built):
    for p in built.document["priorities"]:
        assert soup.find(id=f"priority-{p['id']}") is not None


def test_the_priorities_table_is_a_table_with_every_priority(soup, built):
    table = soup.find("table", id="table-priorities")
    names = [th.get_text(strip=True) for th in table.select("tbody th[scope=row]")]
    assert names == [p["name"] for p in built.document["priorities"]]


def _external(html: str) -> list[str]:
    """Every URL that would make a browser fetch something, or any http(s) text at all
    outside the SVG namespace declarations (which are names, never fetched)."""
    soup = BeautifulSoup(html, "html.parser")
    found = []
    for tag in soup.find_all(True):
        for attr in ("src", "href", "xlink:href", "data", "action", "poster", "srcset"):
            value = tag.get(attr)
            if value and not str(value).startswith("#"):
                found.append(f"{tag.name}[{attr}]={value}")
    for style in soup.find_all("style"):
        found += [u for u in re.findall(r"url\(([^)]*)\)", style.get_text())]
        found += re.findall(r"@import[^;]*", style.get_text())
    text = re.sub(r'xmlns(:\w+)?="[^"]*"', "", html)
    found += re.findall(r"https?://[^\s\"'<>]+", text)
    found += [f"<{t.name}>" for t in soup.find_all(["script", "link", "iframe", "img"])]
    return found


def test_no_external_url_anywhere(built):
    files = [built.out / "sia-report.html", *built.out.glob("wards/*.html")]
    files += built.out.glob("places/*.html")
    assert len(files) == 1 + 23 + 4
    for path in files:
        assert _external(path.read_text("utf-8")) == [], path.name


def test_the_external_url_check_can_fail():
    assert _external('<img src="https://example.org/a.png">')
    assert _external("<style>body{background:url(x.png)}</style>")
    assert _external("<p>see http://example.org</p>")
    assert _external('<svg xmlns="http://www.w3.org/2000/svg"></svg>') == []


def test_every_picture_is_inline_svg_with_a_text_alternative(soup, built):
    figures = soup.find_all("figure")
    assert len(figures) == len(built.context.charts()) >= 20
    for figure in figures:
        svg = figure.find("svg")
        assert svg is not None and svg.get("role") == "img"
        assert len(svg.get("aria-label", "")) > 40
        assert figure.find("figcaption").get_text(strip=True)


def test_trend_chart_text_gives_the_control_limits(built):
    m = next(
        m for p in built.document["priorities"] for m in p["measures"] if m["id"] == "asb-police"
    )
    chart = next(c for c in built.context.charts() if c.id == "trend-asb-police")
    assert f"control limits {m['spc']['lower_limit']:,.1f} to {m['spc']['upper_limit']:,.1f}" in (
        chart.alt
    )


def test_a_ward_profile_has_its_figures_hotspots_and_what_was_raised(built):
    html = (built.out / "wards" / "dewsbury-west.html").read_text("utf-8")
    soup = BeautifulSoup(html, "html.parser")
    assert soup.h1.get_text(strip=True) == "Dewsbury West"
    for anchor in ("figures", "hotspots", "raised"):
        assert soup.find(id=anchor) is not None
    rows = soup.select("table#table-ward-dewsbury-west-figures tbody tr")
    assert len(rows) == sum(len(p["measures"]) for p in built.document["priorities"])


def test_principles_and_next_steps_come_from_the_config(soup):
    from sia.config import load_partnership

    report = load_partnership("kirklees").report
    section = soup.find(id="principles").parent
    items = [li.get_text(" ", strip=True) for li in section.find_all("li")]
    assert len(items) == len(report.principles) + len(report.next_steps) == 15
    assert items[0].startswith(report.principles[0].title)

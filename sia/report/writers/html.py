"""HTML: one self-contained file (inline CSS, charts as inline SVG), and the profiles.

Writes ``sia-report.html``, ``wards/<ward>.html`` and ``places/<place>.html``. Nothing in
them points outside the file: no stylesheet, script, font or image is fetched.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from functools import cache
from importlib import resources
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from sia.report import charts, text
from sia.report.context import AreaProfile, Chart, ReportContext, ReportTable
from sia.report.writers import Writer

REPORT_FILE = "sia-report.html"
_STATUS_NAMES = {
    "high-focus": "High focus",
    "monitor": "Continue to monitor",
    "cross-cutting": "Cross-cutting",
}


def numeric(table: ReportTable, column: int) -> bool:
    """True when every cell of the column is a number, a dash or a suppression label."""
    cells = [r[column] for r in table.rows if column < len(r)]
    if not cells:
        return False
    for c in cells:
        bare = c.replace(",", "").replace("%", "").replace("+", "").replace("−", "-")
        if c in ("–", "[c]", "N/A") or c.startswith("<"):
            continue
        try:
            float(bare)
        except ValueError:
            return False
    return True


def numeric_columns(table: ReportTable) -> set[int]:
    """The columns (after the first) that hold numbers, right-aligned."""
    return {i for i in range(1, len(table.columns)) if numeric(table, i)}


@cache
def css() -> str:
    return resources.files("sia.report").joinpath("static", "report.css").read_text("utf-8")


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("sia.report", "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=False,
        lstrip_blocks=False,
    )
    env.globals.update(
        numeric_columns=numeric_columns,
        css=Markup(css()),
        statutory=text.STATUTORY,
        methods=text.METHODS,
        glossary=text.GLOSSARY,
        status_names=_STATUS_NAMES,
    )
    return env


def inline_svg(chart: Chart) -> Markup:
    """The chart as inline SVG (the HTML report)."""
    return Markup(charts.svg(chart))


def inline_png(chart: Chart) -> Markup:
    """The chart as a PNG in a data URI (the PDF: WeasyPrint draws a picture much faster
    than it lays out a map's SVG paths). Nothing is fetched: the image is in the file."""
    image = charts.png(chart)
    # the PNG header's width, at scale 1
    width = round(int.from_bytes(image[16:20], "big") / charts.PNG_SCALE)
    data = base64.b64encode(image).decode("ascii")
    return Markup('<img class="chart" width="{}" alt="{}" src="data:image/png;base64,{}">').format(
        width, chart.alt, Markup(data)
    )


def render_report(context: ReportContext, picture: Callable[[Chart], Markup] = inline_svg) -> str:
    return environment().get_template("report.html").render(ctx=context, picture=picture)


def render_profile(
    context: ReportContext, area: AreaProfile, picture: Callable[[Chart], Markup] = inline_svg
) -> str:
    return (
        environment().get_template("profile.html").render(ctx=context, area=area, picture=picture)
    )


def profile_path(out_dir: Path, area: AreaProfile, suffix: str) -> Path:
    folder = "wards" if area.kind == "ward" else "places"
    return out_dir / folder / f"{area.slug}{suffix}"


def write(context: ReportContext, out_dir: Path) -> list[Path]:
    path = out_dir / REPORT_FILE
    path.write_text(render_report(context), "utf-8")
    written = [path]
    for area in [*context.wards, *context.places]:
        target = profile_path(out_dir, area, ".html")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(render_profile(context, area), "utf-8")
        written.append(target)
    return written


WRITER = Writer(
    name="html",
    describe="sia-report.html (self-contained) and wards/*.html, places/*.html profiles",
    write=write,
)

"""PDF: the HTML report and profiles printed by WeasyPrint (A4, page numbers, contents).

Writes ``sia-report.pdf``, ``wards/<ward>.pdf`` and ``places/<place>.pdf`` from the very
HTML the html writer makes; the print rules in ``report.css`` give each page its number
("Page n of m"), the report's title in the footer, and the contents their page numbers.
"""

from __future__ import annotations

import atexit
import logging
from functools import cache
from importlib import resources
from pathlib import Path

from sia.report.context import ReportContext
from sia.report.writers import Writer
from sia.report.writers.html import inline_png, profile_path, render_profile, render_report

REPORT_FILE = "sia-report.pdf"


FONT_FAMILY = "SIA Liberation Sans"


@cache
def _fonts():
    """One font configuration, and the style sheet that embeds the shipped Liberation Sans
    (SIL OFL) so the PDF looks the same on every machine."""
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    config = FontConfiguration()
    # drop it before the interpreter tears its modules down (its __del__ needs them)
    atexit.register(_fonts.cache_clear)
    folder = resources.files("sia.report").joinpath("static", "fonts")
    faces = "".join(
        f'@font-face {{ font-family: "{FONT_FAMILY}"; font-weight: {weight}; '
        f'src: url("{Path(str(folder.joinpath(name))).as_uri()}"); }}'
        for name, weight in (("LiberationSans-Regular.ttf", 400), ("LiberationSans-Bold.ttf", 700))
    )
    faces += f'html {{ font-family: "{FONT_FAMILY}", Arial, sans-serif; }}'
    faces += f'@page {{ @bottom-left {{ font-family: "{FONT_FAMILY}"; }} '
    faces += f'@bottom-right {{ font-family: "{FONT_FAMILY}"; }} }}'
    return config, CSS(string=faces, font_config=config)


def html_to_pdf(html: str, target: Path) -> Path:
    """Print ``html`` to ``target`` (one font configuration shared by every document)."""
    from weasyprint import HTML

    # WeasyPrint logs every CSS property it does not support (the screen-only grid, the
    # focus shadows); they are expected, not errors.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    config, fonts = _fonts()
    HTML(string=html, base_url=None).write_pdf(target, stylesheets=[fonts], font_config=config)
    return target


def write(context: ReportContext, out_dir: Path) -> list[Path]:
    html = render_report(context, picture=inline_png)
    written = [html_to_pdf(html, out_dir / REPORT_FILE)]
    for area in [*context.wards, *context.places]:
        target = profile_path(out_dir, area, ".pdf")
        target.parent.mkdir(parents=True, exist_ok=True)
        written.append(html_to_pdf(render_profile(context, area, picture=inline_png), target))
    return written


WRITER = Writer(
    name="pdf",
    describe="sia-report.pdf (WeasyPrint, page numbers and contents) and profile PDFs",
    write=write,
)

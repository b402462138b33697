"""``{% report_table t %}`` and ``{% report_charts profile %}``: the report's tables and
pictures in GOV.UK markup.

The cells are the report's, as printed (disclosure control already applied); only the
markup is the app's.
"""

from __future__ import annotations

from django import template
from django.utils.safestring import mark_safe

register = template.Library()


@register.inclusion_tag("profiles/_table.html")
def report_table(table, caption_size: str = "m") -> dict:
    """A :class:`sia.report.context.ReportTable` as a GOV.UK table, numbers right-aligned."""
    from sia.report.writers.html import numeric_columns

    numeric = numeric_columns(table)
    header = [(c, i in numeric) for i, c in enumerate(table.columns)]
    rows = [[(cell, i in numeric) for i, cell in enumerate(row)] for row in table.rows]
    return {"t": table, "header": header, "rows": rows, "caption_size": caption_size}


@register.simple_tag
def chart_svg(chart) -> str:
    """A report chart as inline SVG, labelled with its text alternative (vl-convert)."""
    from sia.report import charts

    return mark_safe(charts.svg(chart))  # vl-convert's own SVG, its label escaped


@register.filter
def charts_of(profile) -> list:
    """The pictures a profile carries (a map, when the report draws one), in field order."""
    from sia.report.context import Chart

    return [v for v in vars(profile).values() if isinstance(v, Chart)]

"""Word: the report with real headings, real tables and charts as pictures with alt text.

Writes ``sia-report.docx`` from the same context as the HTML, in the same order, so the
analyst can keep writing in Word. Section headings are Word's Heading 1, subsections
Heading 2-4; every table is a Word table; every chart a PNG whose alt text (``descr``) is
the chart's text alternative.
"""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.shared import Cm, Pt, RGBColor

from sia.report import charts, text
from sia.report.context import Chart, Figure, ReportContext, ReportTable
from sia.report.writers import Writer

REPORT_FILE = "sia-report.docx"
STATUS_NAMES = {
    "high-focus": "High focus",
    "monitor": "Continue to monitor",
    "cross-cutting": "Cross-cutting",
}
#: The section headings (Heading 1), as in the HTML.
SECTIONS = (
    "1 Summary",
    "2 The SIA and the plan",
    "3 Methodology",
    "4 Review of themes and priorities",
    "5 Stakeholder and community insight",
    "6 Cross-cutting themes",
    "7 Design principles and next steps",
    "Appendix A: Data manifest",
    "Appendix B: Methods and references",
    "Appendix C: Glossary",
)


class _Doc:
    def __init__(self) -> None:
        self.doc = Document()
        style = self.doc.styles["Normal"]
        style.font.name = "Arial"
        style.font.size = Pt(10.5)
        for section in self.doc.sections:
            section.left_margin = section.right_margin = Cm(2)

    def heading(self, words: str, level: int) -> None:
        self.doc.add_heading(words, level=level)

    def para(self, words: str, style: str | None = None) -> None:
        self.doc.add_paragraph(words, style=style)

    def bullets(self, items: list[str]) -> None:
        for item in items:
            self.doc.add_paragraph(item, style="List Bullet")

    def figures(self, items: list[Figure]) -> None:
        self.table(
            ReportTable(
                id="figures",
                title="Key figures",
                columns=["Figure", "Value"],
                rows=[[f.label, f.value] for f in items],
            ),
            caption=False,
        )

    def table(self, t: ReportTable, caption: bool = True) -> None:
        if caption:
            p = self.doc.add_paragraph(t.title, style="Caption")
            p.runs[0].font.color.rgb = RGBColor(0x0B, 0x0C, 0x0C)
        table = self.doc.add_table(rows=1, cols=len(t.columns))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        for cell, name in zip(table.rows[0].cells, t.columns, strict=True):
            cell.text = name
            cell.paragraphs[0].runs[0].font.bold = True
        if not t.rows:
            row = table.add_row().cells
            row[0].text = "None in the period."
        for values in t.rows:
            row = table.add_row().cells
            for cell, value in zip(row, values, strict=True):
                cell.text = value
        for note in t.notes:
            self.para(note)

    def chart(self, chart: Chart | None) -> None:
        if chart is None:
            return
        width = Cm(16) if chart.spec.get("width", 560) >= 400 else Cm(11)
        self.doc.add_picture(BytesIO(charts.png(chart)), width=width)
        shape = self.doc.inline_shapes[-1]
        doc_pr = shape._inline.docPr
        doc_pr.set("descr", chart.alt)
        doc_pr.set("title", chart.title)
        caption = f"{chart.title}. {chart.alt}"
        if chart.attribution:
            caption += f" {chart.attribution}"
        self.doc.add_paragraph(caption, style="Caption")


def render(context: ReportContext) -> _Doc:
    d = _Doc()
    d.doc.core_properties.title = context.title
    d.doc.core_properties.author = context.partnership_name
    d.doc.add_heading(context.title, level=0)
    d.para(f"The assessment of {context.period_label}, against {context.previous_label}.")

    d.heading(SECTIONS[0], 1)
    d.bullets(context.summary)

    d.heading(SECTIONS[1], 1)
    for para in text.STATUTORY:
        d.para(para)
    d.bullets(context.statutory_duties)

    d.heading(SECTIONS[2], 1)
    m = context.methodology
    d.para(
        f"This assessment was generated from what was loaded: {m.files:,} files, "
        f"{m.rows_read:,} rows read (Appendix A)."
    )
    d.para(f"Disclosure control: {context.disclosure}")
    d.table(m.sources)
    d.table(m.insight)
    d.heading("Data gaps found", 2)
    d.bullets(m.data_gaps or ["No data-quality finding."])

    d.heading(SECTIONS[3], 1)
    d.heading("4.1 Themes and priorities", 2)
    d.bullets([f"{t.name}: " + ", ".join(p.name for p in t.priorities) for t in context.themes])
    d.heading("4.2 Summary of the priorities", 2)
    for theme in context.themes:
        d.heading(theme.name, 3)
        for p in theme.priorities:
            status = ""
            if p.status:
                status = f": {STATUS_NAMES.get(p.status.status, p.status.status)}"
            d.heading(p.name + status, 4)
            if p.status:
                if p.status.criteria:
                    d.para("Criteria: " + "; ".join(p.status.criteria) + ".")
                if p.status.override:
                    d.para(f"Override: {p.status.override}")
                if p.status.rationale:
                    lead = "The recommendation's rationale: " if p.status.override else ""
                    d.para(lead + p.status.rationale)
            d.bullets(p.evidence)
            if p.indicators is not None:
                d.table(p.indicators)
            for measure in p.measures:
                d.heading(measure.name, 5)
                d.para(measure.summary)
                d.figures(measure.figures)
                d.chart(measure.trend_chart)
                d.chart(measure.map_chart)
                d.table(measure.places)
                d.table(measure.wards)
                d.chart(measure.hotspot_map)
                if measure.hotspots is not None:
                    d.table(measure.hotspots)
    d.heading("4.3 Proposed priorities", 2)
    if context.status_table is not None:
        d.table(context.status_table)
    d.table(context.priorities_table)

    d.heading(SECTIONS[4], 1)
    if context.insight_note:
        d.para(context.insight_note)
    if context.insight is not None:
        i = context.insight
        d.heading("5.1 Who was engaged", 2)
        d.figures(i.engaged)
        d.table(i.common)
        d.heading("5.2 Concerns raised", 2)
        d.table(i.concerns)
        for t in i.by_place:
            d.table(t)
        d.heading("5.3 Community engagement: reach and feelings", 2)
        d.table(i.reach)
        d.chart(i.reach_chart)
        d.table(i.feelings)
    else:
        d.table(context.methodology.insight)

    d.heading(SECTIONS[5], 1)
    d.bullets(context.cross_cutting or ["No cross-cutting link was found in the evidence."])
    d.chart(context.network_chart)

    d.heading(SECTIONS[6], 1)
    d.bullets([f"{p.label}: {p.value}" for p in context.principles])
    if context.next_steps:
        d.heading("Next steps", 2)
        d.bullets(context.next_steps)
    if not context.principles and not context.next_steps:
        d.para("The partnership's configuration gives no design principles or next steps.")

    d.heading(SECTIONS[7], 1)
    d.table(context.manifest)
    d.heading(SECTIONS[8], 1)
    for name, words, ref in text.METHODS:
        d.heading(name, 2)
        d.para(words)
        d.para(ref)
    d.heading(SECTIONS[9], 1)
    for term, meaning in text.GLOSSARY:
        d.para(f"{term}: {meaning}")
    d.para(context.disclosure)
    return d


def write(context: ReportContext, out_dir: Path) -> list[Path]:
    path = out_dir / REPORT_FILE
    render(context).doc.save(str(path))
    return [path]


WRITER = Writer(
    name="docx",
    describe="sia-report.docx: Word headings, Word tables, charts with alt text",
    write=write,
)

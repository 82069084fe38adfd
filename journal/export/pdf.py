"""The visit summary as a PDF: tables, the trend chart, page numbers, the period on every page."""

from __future__ import annotations

from journal.export._document import Chart, Table, layout
from journal.export._pdf import DocPDF
from journal.summary.model import VisitSummary


def render_pdf(data: VisitSummary) -> bytes:
    """The visit summary as PDF bytes."""
    doc = layout(data)
    who = data.patient.name or "patient"
    pdf = DocPDF(
        title=f"{doc.title}: {who}",
        running=f"period {doc.period}",
        generated=doc.generated,
        generated_at=data.generated_at,
    )
    pdf.add_page()
    pdf.heading(doc.title, size=18)
    for label, value in doc.header:
        pdf.paragraph(f"{label}: {value}", size=10)
    for section in doc.sections:
        important = section.title == "Important"
        starts_with_chart = bool(section.blocks) and isinstance(section.blocks[0], Chart)
        pdf.heading(section.title, color=(160, 0, 0) if important else (0, 0, 0), keep=80 if starts_with_chart else 30)
        for block in section.blocks:
            if isinstance(block, Table):
                pdf.table_block(block)
            elif isinstance(block, Chart):
                pdf.trend(block.weeks)
            elif isinstance(block, list):
                pdf.bullets(block)
            else:
                pdf.paragraph(block)
    pdf.ln(3)
    for line in doc.footer:
        pdf.paragraph(line, size=8, style="I")
    return pdf.output()

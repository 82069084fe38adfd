"""The visit summary as Markdown."""

from __future__ import annotations

from journal.export._document import Chart, Table, layout
from journal.export._escape import markdown_inline as esc
from journal.summary.model import VisitSummary


def _table(table: Table) -> list[str]:
    lines = ["| " + " | ".join(esc(h) for h in table.headers) + " |", "|" + "---|" * len(table.headers)]
    lines += ["| " + " | ".join(esc(cell) or " " for cell in row) + " |" for row in table.rows]
    return lines


def render_markdown(data: VisitSummary) -> str:
    """The visit summary as a Markdown document, every piece of user text escaped."""
    doc = layout(data)
    lines = [f"# {doc.title}", ""]
    lines += [f"- **{label}:** {esc(value)}" for label, value in doc.header]
    lines.append("")
    for section in doc.sections:
        lines += [f"## {section.title}", ""]
        for block in section.blocks:
            if isinstance(block, Table):
                lines += _table(block)
            elif isinstance(block, Chart):
                continue  # the table under the chart carries the same figures
            elif isinstance(block, list):
                lines += [f"- {esc(item)}" for item in block]
            else:
                lines.append(esc(block))
            lines.append("")
    for line in doc.footer:
        lines += [f"_{esc(line)}_", ""]
    return "\n".join(lines).rstrip("\n") + "\n"

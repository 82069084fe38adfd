"""The visit summary as one self-contained HTML file: no script, no request, print-ready.

Every piece of text passes through `html.escape`; the trend is an inline SVG; a
Content-Security-Policy meta tag forbids any fetch, so even a browser that found a URL
somewhere in the page would not follow it.
"""

from __future__ import annotations

from html import escape

from journal.export._chart import TrendChart, trend_chart
from journal.export._document import Chart, Table, layout
from journal.export._escape import plain
from journal.summary.model import VisitSummary, WeekTrend

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'; base-uri 'none'"

BASE_CSS = """
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: #111; background: #fff; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; line-height: 1.4; }
h1 { font-size: 1.6rem; margin: 0 0 .5rem; }
h2 { font-size: 1.15rem; margin: 1.6rem 0 .5rem; border-bottom: 2px solid #333; padding-bottom: .15rem; }
table { border-collapse: collapse; width: 100%; margin: .4rem 0 .8rem; font-size: .92em; overflow-wrap: break-word; }
th, td { border: 1px solid #999; padding: .25rem .4rem; text-align: left; vertical-align: top; }
th { background: #eee; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: .1rem 1rem; margin: 0 0 1rem; }
dl.meta dt { font-weight: 600; } dl.meta dd { margin: 0; }
.important { border: 2px solid #b00; background: #fff3f3; padding: .3rem 1rem; }
.important h2 { border: 0; color: #900; margin-top: .6rem; }
footer { margin-top: 2rem; font-size: .85rem; color: #444; }
figure { margin: .5rem 0; } figcaption { font-size: .85rem; color: #444; }
svg { max-width: 100%; height: auto; }
@page { size: A4; margin: 14mm 12mm 16mm; }
@media print {
  html { font-size: 9.5pt; }
  body { margin: 0; max-width: none; font-size: 9.5pt; }
  table { font-size: 8pt; }
  th, td { padding: 2px 3px; }
  h2 { break-after: avoid; page-break-after: avoid; }
  tr, figure, li { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
}
"""


def css_string(text: str) -> str:
    """Text as a quoted CSS string: everything but ASCII letters and digits as a six-digit hex escape."""
    # A space after a hex escape ends the escape and is swallowed, so spaces are escaped too.
    return '"' + "".join(c if c.isascii() and c.isalnum() else f"\\{ord(c):06x}" for c in plain(text)) + '"'


_MARGIN_FONT = "font: 7pt sans-serif; color: #444;"


def running_footer(text: str) -> str:
    """Print-only page margins holding `text` and the page number (CSS paged media, no script)."""
    return (
        "@page {\n"
        f"  @bottom-left {{ content: {css_string(text)}; {_MARGIN_FONT} }}\n"
        f'  @bottom-right {{ content: "Page " counter(page) " of " counter(pages); {_MARGIN_FONT} }}\n'
        "}\n"
    )


def esc(text: str) -> str:
    """User or generated text, inert in HTML (control characters removed)."""
    return escape(plain(text), quote=True)


def page(title: str, body: str, *, css: str = BASE_CSS, lang: str = "en") -> str:
    """A complete HTML document with the no-request policy and the given style."""
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n'
        f"<title>{esc(title)}</title>\n<style>{css}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n"
    )


def table(data: Table) -> str:
    """An HTML table, every cell escaped."""
    head = "".join(f'<th scope="col">{esc(h)}</th>' for h in data.headers)
    rows = "".join("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in row) + "</tr>\n" for row in data.rows)
    return f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{rows}</tbody>\n</table>"


def _rgb(color: tuple[int, int, int]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*color)


def trend_svg(weeks: list[WeekTrend]) -> str:
    """The weekly check-in trend as an inline SVG line chart (no namespace URL needed inline)."""
    chart: TrendChart = trend_chart(weeks)
    width, height, left, right, top, bottom = 640, 266, 48, 56, 22, 58
    plot_w, plot_h = width - left - right, height - top - bottom

    def px(x: float, y: float) -> tuple[float, float]:
        return round(left + x * plot_w, 1), round(top + (1 - y) * plot_h, 1)

    parts = [
        f'<svg viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        'aria-labelledby="trend-title" font-family="sans-serif" font-size="11">',
        '<title id="trend-title">Weekly averages of pain, swelling and morning stiffness</title>',
        f'<rect x="{left}" y="{top}" width="{plot_w}" height="{plot_h}" fill="#fafafa" stroke="#999"/>',
    ]
    for y, label in chart.left_ticks:
        _, yy = px(0, y)
        parts.append(f'<line x1="{left}" y1="{yy}" x2="{left + plot_w}" y2="{yy}" stroke="#ddd"/>')
        parts.append(f'<text x="{left - 6}" y="{yy + 4}" text-anchor="end">{esc(label)}</text>')
    for y, label in chart.right_ticks:
        _, yy = px(0, y)
        parts.append(f'<text x="{left + plot_w + 6}" y="{yy + 4}" fill="#286">{esc(label)}</text>')
    parts.append(f'<text x="4" y="{top - 4}" font-size="10">{esc(chart.left_title)}</text>')
    parts.append(
        f'<text x="{left + plot_w + 6}" y="{top - 4}" font-size="10" fill="#286">{esc(chart.right_title)}</text>'
    )
    for x, label in chart.x_labels:
        xx, yy = px(x, 0)
        parts.append(f'<text x="{xx}" y="{yy + 16}" text-anchor="middle">{esc(label)}</text>')
    for series in chart.series:
        color = _rgb(series.rgb)
        coords = " ".join(f"{a},{b}" for a, b in (px(x, y) for x, y in series.points))
        dash = ' stroke-dasharray="6 4"' if series.dashed else ""
        parts.append(f'<polyline points="{coords}" fill="none" stroke="{color}" stroke-width="2.5"{dash}/>')
        for x, y in series.points if chart.markers else []:
            cx, cy = px(x, y)
            parts.append(f'<circle cx="{cx}" cy="{cy}" r="3.5" fill="{color}"/>')
    legend_y = height - 14
    for i, series in enumerate(chart.series):
        lx = left + i * 190
        dash = ' stroke-dasharray="6 4"' if series.dashed else ""
        color = _rgb(series.rgb)
        parts.append(
            f'<line x1="{lx}" y1="{legend_y - 4}" x2="{lx + 24}" y2="{legend_y - 4}" stroke="{color}" '
            f'stroke-width="2.5"{dash}/>'
        )
        parts.append(f'<text x="{lx + 30}" y="{legend_y}">{esc(series.name)}</text>')
    parts.append("</svg>")
    return "\n".join(parts)


def render_html(data: VisitSummary) -> str:
    """The visit summary as one self-contained HTML page."""
    doc = layout(data)
    body = [f"<h1>{esc(doc.title)}</h1>", '<dl class="meta">']
    body += [f"<dt>{esc(label)}</dt><dd>{esc(value)}</dd>" for label, value in doc.header]
    body.append("</dl>")
    for section in doc.sections:
        css = ' class="important"' if section.title == "Important" else ""
        body.append(f"<section{css}>\n<h2>{esc(section.title)}</h2>")
        for block in section.blocks:
            if isinstance(block, Table):
                body.append(table(block))
            elif isinstance(block, Chart):
                body.append(
                    f"<figure>{trend_svg(block.weeks)}"
                    "<figcaption>Weekly averages of the check-ins; the figures are in the table below."
                    "</figcaption></figure>"
                )
            elif isinstance(block, list):
                body.append("<ul>" + "".join(f"<li>{esc(item)}</li>" for item in block) + "</ul>")
            else:
                body.append(f"<p>{esc(block)}</p>")
        body.append("</section>")
    body.append("<footer>" + "".join(f"<p>{esc(line)}</p>" for line in doc.footer) + "</footer>")
    title = f"{doc.title} - {data.patient.name}" if data.patient.name else doc.title
    running = f"{title} - period {doc.period} - generated {doc.generated}"
    return page(title, "\n".join(body), css=BASE_CSS + running_footer(running))

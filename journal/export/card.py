"""The emergency list on paper: one printed page and a wallet-sized card, each with a QR code.

The QR code carries the plain-text list, so a phone camera reads it without any app or
network. segno and the PDF writer are imported inside the functions that need them: the
text `medjournal emergency` must stay fast.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from journal.export.emergency import TITLE, render_text
from journal.export.html import BASE_CSS, esc, page
from journal.summary.emergency import EmergencyList, EmergencyMedicine

if TYPE_CHECKING:
    from journal.export._pdf import DocPDF

WALLET_W_MM, WALLET_H_MM = 85.6, 54.0  # ISO/IEC 7810 ID-1, a bank card
QR_NOTE = "Scan for the full list as text (no app or network needed)."


def qr_text(data: EmergencyList, *, compact: bool = False) -> str:
    """What the QR code carries: the plain-text list, or a short form for the wallet card or a long list."""
    full = render_text(data)
    if not compact and len(full.encode("utf-8")) <= 1400:
        return full
    # A small or long code must stay readable: keep who, allergies, medicines and last doses.
    lines = [TITLE.upper(), f"Name: {data.name or '-'}", f"Contact: {data.emergency_contact or '-'}"]
    lines.append("Allergies: " + (", ".join(a.substance for a in data.allergies) or "none recorded"))
    for med in data.medicines:
        last = f", last dose {med.last_dose_local}" if med.tracked and med.last_dose_local else ""
        lines.append(f"- {med.label}{last}")
    return "\n".join(lines)[:1400]


def qr_matrix(text: str) -> Sequence[Sequence[int]]:
    """The QR code's modules, row by row (1 is dark), without the quiet zone."""
    import segno

    return segno.make(text, error="L", micro=False).matrix


def _runs(row: Sequence[int]) -> list[tuple[int, int]]:
    """(start, length) of each run of dark modules in a row."""
    runs: list[tuple[int, int]] = []
    col = 0
    while col < len(row):
        if row[col]:
            start = col
            while col < len(row) and row[col]:
                col += 1
            runs.append((start, col - start))
        else:
            col += 1
    return runs


def qr_svg(text: str, *, size: str) -> str:
    """The QR code as an inline SVG path (no namespace URL, no external request)."""
    matrix = qr_matrix(text)
    n = len(matrix)
    quiet = 4
    path = "".join(
        f"M{start + quiet},{y + quiet}h{length}v1h-{length}z"
        for y, row in enumerate(matrix)
        for start, length in _runs(row)
    )
    total = n + 2 * quiet
    return (
        f'<svg class="qr" viewBox="0 0 {total} {total}" width="{size}" height="{size}" role="img" '
        'aria-label="QR code with the emergency list as text" shape-rendering="crispEdges">'
        f'<rect width="{total}" height="{total}" fill="#fff"/><path d="{path}" fill="#000"/></svg>'
    )


def _last_dose(med: EmergencyMedicine) -> str:
    if not med.tracked:
        return ""
    if not med.last_dose_local:
        return "none recorded"
    return med.last_dose_local + (f" ({med.last_dose_site})" if med.last_dose_site else "")


def _rows(data: EmergencyList) -> list[list[str]]:
    return [
        [med.label, med.kind, med.route or "", med.directions or "", med.reason or "", _last_dose(med)]
        for med in data.medicines
    ]


_HEADERS = ["Medicine", "Kind", "Route", "Directions", "Reason", "Last dose"]

CARD_CSS = (
    BASE_CSS
    + """
.sheet { max-width: 190mm; }
.alert { border: 3px solid #b00; background: #fff3f3; padding: .4rem .8rem; font-weight: 600; margin: .6rem 0; }
.who { display: grid; grid-template-columns: 1fr auto; gap: 1rem; align-items: start; }
.qr-box { text-align: center; font-size: .75rem; max-width: 45mm; }
.wallet { width: 85.6mm; height: 54mm; box-sizing: border-box; border: 1px dashed #666; padding: 2.5mm;
  font-size: 7.5pt; line-height: 1.25; overflow: hidden; display: inline-block; vertical-align: top;
  margin: 0 4mm 4mm 0; position: relative; }
.wallet h3 { font-size: 9pt; margin: 0 0 1mm; color: #900; }
.wallet p { margin: 0 0 .6mm; }
.wallet .qr { position: absolute; right: 2mm; bottom: 2mm; }
.wallet-back p { max-width: 44mm; }
.cut { font-size: 8pt; color: #555; }
@media print { .page-break { break-before: page; page-break-before: always; } }
"""
)


def _wallet_html(data: EmergencyList, qr: str) -> str:
    allergies = ", ".join(a.substance for a in data.allergies) or "none recorded"
    meds = (
        "".join(
            f"<p>{esc(med.label)}"
            + (f": last dose {esc(med.last_dose_local)}" if med.tracked and med.last_dose_local else "")
            + "</p>"
            for med in data.medicines
        )
        or "<p>No medicines recorded</p>"
    )
    warning = "".join(f"<p><strong>{esc(w)}</strong></p>" for w in data.warnings[:1])
    front = (
        '<div class="wallet wallet-front">'
        f"<h3>{esc(TITLE.upper())}</h3>"
        f"<p><strong>{esc(data.name or 'Name not recorded')}</strong>"
        + (f", born {esc(data.born)}" if data.born else "")
        + "</p>"
        f"<p>Emergency contact: {esc(data.emergency_contact or 'not recorded')}</p>"
        f"<p>Allergies: {esc(allergies)}</p>"
        f"{warning}</div>"
    )
    back = (
        '<div class="wallet wallet-back">'
        f"<h3>Medicines</h3>{meds}"
        f"<p>Doctor: {esc(data.doctor or 'not recorded')}</p>"
        f"<p>Updated {esc(data.last_updated_local or 'never')}</p>"
        f"{qr}</div>"
    )
    return (
        '<p class="cut">Wallet card: cut along the dashed lines, fold in the middle.</p>'
        f'<div class="wallet-pair">{front}{back}</div>'
    )


def render_card_html(data: EmergencyList, *, wallet_only: bool = False) -> str:
    """The emergency list as a printable page plus a wallet card (or the wallet card alone)."""
    text = qr_text(data)
    wallet = _wallet_html(data, qr_svg(qr_text(data, compact=True), size="24mm"))
    if wallet_only:
        return page(f"{TITLE}: wallet card", f'<main class="sheet">{wallet}</main>', css=CARD_CSS)
    from journal.export._document import Table
    from journal.export.html import table

    who = [
        ("Name", data.name or "not recorded"),
        ("Born", data.born or "not recorded"),
        ("Emergency contact", data.emergency_contact or "not recorded"),
        ("Doctor", data.doctor or "not recorded"),
        ("Pharmacy", data.pharmacy or "not recorded"),
    ]
    if data.notes:
        who.append(("Notes", data.notes))
    body = [
        '<main class="sheet">',
        f"<h1>{esc(TITLE)}</h1>",
        '<div class="who"><dl class="meta">',
        *[f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in who],
        "</dl>",
        f'<div class="qr-box">{qr_svg(text, size="40mm")}<br>{esc(QR_NOTE)}</div></div>',
        *[f'<p class="alert">{esc(w)}</p>' for w in data.warnings],
        "<h2>Allergies</h2>",
        "<ul>"
        + "".join(
            f"<li>{esc(a.substance)}" + (f" ({esc(a.reaction)})" if a.reaction else "") + "</li>"
            for a in data.allergies
        )
        + "</ul>"
        if data.allergies
        else "<p>No known allergies recorded.</p>",
        "<h2>Conditions</h2>",
        "<ul>" + "".join(f"<li>{esc(c)}</li>" for c in data.conditions) + "</ul>"
        if data.conditions
        else "<p>None recorded.</p>",
        "<h2>Medicines, vitamins and supplements</h2>",
        table(Table(_HEADERS, _rows(data))) if data.medicines else "<p>No medicines recorded.</p>",
        f"<footer><p>Journal last updated {esc(data.last_updated_local or 'never')}; "
        f"list printed {esc(data.generated_local)}.</p></footer>",
        f'<section class="page-break">{wallet}</section>',
        "</main>",
    ]
    return page(TITLE, "\n".join(body), css=CARD_CSS)


def _draw_qr(pdf: DocPDF, text: str, x: float, y: float, size: float) -> None:
    """The QR code as black rectangles, `size` mm square with its quiet zone, from its top-left corner."""
    matrix = qr_matrix(text)
    module = size / (len(matrix) + 8)
    pdf.set_fill_color(0, 0, 0)
    for row_index, row in enumerate(matrix):
        # Runs of dark modules as one rectangle each: smaller files, no hairline gaps.
        for start, length in _runs(row):
            pdf.rect(x + (start + 4) * module, y + (row_index + 4) * module, length * module, module, "F")
    pdf.set_fill_color(255, 255, 255)


def _wallet_pdf(pdf: DocPDF, data: EmergencyList, x: float, y: float) -> None:
    from journal.export._pdf import pdf_text

    pdf.set_draw_color(100, 100, 100)
    pdf.set_dash(1, 1)
    pdf.rect(x, y, WALLET_W_MM, WALLET_H_MM)
    pdf.rect(x + WALLET_W_MM, y, WALLET_W_MM, WALLET_H_MM)
    pdf.set_dash()
    pad = 2.5
    width = WALLET_W_MM - 2 * pad

    def lines(left: float, top: float, items: list[tuple[str, str, float]], w: float) -> None:
        # Each item wrapped inside `w` mm (less the cell margins), until the card is full.
        pdf.y = top
        for style, value, size in items:
            pdf.set_font(style, size)
            if pdf.y > y + WALLET_H_MM - pad - 2:
                break
            pdf.flow(pdf_text(value), line_h=size * 0.42, indent=left - pdf.l_margin, width=w - 2 * pdf.c_margin)

    allergies = ", ".join(a.substance for a in data.allergies) or "none recorded"
    front = [
        ("B", TITLE.upper(), 9.0),
        ("B", (data.name or "Name not recorded") + (f", born {data.born}" if data.born else ""), 8.5),
        ("", f"Emergency contact: {data.emergency_contact or 'not recorded'}", 7.5),
        ("", f"Allergies: {allergies}", 7.5),
        *[("B", w, 7.0) for w in data.warnings[:1]],
    ]
    pdf.set_text_color(150, 0, 0)
    lines(x + pad, y + pad, front[:1], width)
    pdf.set_text_color(0, 0, 0)
    lines(x + pad, pdf.y + 0.5, front[1:], width)
    qr_size = 26.0
    back_x = x + WALLET_W_MM
    meds = [
        ("", med.label + (f": last dose {med.last_dose_local}" if med.tracked and med.last_dose_local else ""), 7.0)
        for med in data.medicines
    ] or [("", "No medicines recorded", 7.0)]
    back = [
        ("B", "Medicines", 7.5),
        *meds,
        ("", f"Doctor: {data.doctor or 'not recorded'}", 7.0),
        ("", f"Updated {data.last_updated_local or 'never'}", 7.0),
    ]
    lines(back_x + pad, y + pad, back, WALLET_W_MM - 2 * pad - qr_size)
    _draw_qr(
        pdf, qr_text(data, compact=True), back_x + WALLET_W_MM - qr_size - 1, y + WALLET_H_MM - qr_size - 1, qr_size
    )


def render_card_pdf(data: EmergencyList, *, wallet_only: bool = False) -> bytes:
    """The emergency list as a one-page PDF plus a wallet card page (or the wallet card alone)."""
    from journal.export._document import Table
    from journal.export._pdf import DocPDF

    pdf = DocPDF(
        title=TITLE,
        running=data.name or "",
        generated=data.generated_local,
        generated_at=data.generated_at,
    )
    if not wallet_only:
        pdf.add_page()
        qr_size = 45.0
        pdf.heading(TITLE, size=16, color=(160, 0, 0))
        top = pdf.y
        _draw_qr(pdf, qr_text(data), pdf.w - pdf.r_margin - qr_size, top, qr_size)
        margin = pdf.r_margin
        pdf.r_margin = margin + qr_size + 4  # the details wrap beside the code
        for label, value in (
            ("Name", data.name or "not recorded"),
            ("Born", data.born or "not recorded"),
            ("Emergency contact", data.emergency_contact or "not recorded"),
            ("Doctor", data.doctor or "not recorded"),
            ("Pharmacy", data.pharmacy or "not recorded"),
            *((("Notes", data.notes),) if data.notes else ()),
        ):
            pdf.paragraph(f"{label}: {value}", size=10)
        pdf.r_margin = margin
        pdf.y = max(pdf.y, top + qr_size + 2)
        pdf.set_font("", 7)
        pdf.text_line(QR_NOTE, height=3, align="R")
        pdf.ln(5)
        pdf.set_text_color(160, 0, 0)
        for warning in data.warnings:
            pdf.paragraph(warning, size=10, style="B")
        pdf.set_text_color(0, 0, 0)
        pdf.heading("Allergies", size=12, keep=10)
        pdf.bullets(
            [a.substance + (f" ({a.reaction})" if a.reaction else "") for a in data.allergies]
            or ["No known allergies recorded"]
        )
        pdf.heading("Conditions", size=12, keep=10)
        pdf.bullets(list(data.conditions) or ["None recorded"])
        pdf.heading("Medicines, vitamins and supplements", size=12, keep=15)
        if data.medicines:
            pdf.table_block(Table(_HEADERS, _rows(data)), size=9)
        else:
            pdf.paragraph("No medicines recorded.")
        pdf.paragraph(
            f"Journal last updated {data.last_updated_local or 'never'}; list printed {data.generated_local}.",
            size=8,
            style="I",
        )
    pdf.add_page()
    pdf.heading("Wallet card: cut along the dashed lines, fold in the middle", size=10, keep=60)
    _wallet_pdf(pdf, data, pdf.l_margin, pdf.y + 2)
    return pdf.output()

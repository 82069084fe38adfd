"""The emergency list on paper: one printed page and a wallet-sized card, each with a QR code.

The QR code carries the plain-text list, so a phone camera reads it without any app or
network. segno and the PDF writer are imported inside the functions that need them: the
text `medjournal emergency` must stay fast.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import TYPE_CHECKING

from journal.dataclass import dataclass
from journal.export._escape import plain
from journal.export.emergency import (
    DAMAGED,
    NO_ALLERGIES,
    NO_CONDITIONS,
    NO_MEDICINES,
    TITLE,
    footer_lines,
    later_sections,
    render_text,
)
from journal.export.html import BASE_CSS, esc, page
from journal.summary.emergency import EmergencyList, EmergencyMedicine

if TYPE_CHECKING:
    from journal.export._pdf import DocPDF

WALLET_W_MM, WALLET_H_MM = 85.6, 54.0  # ISO/IEC 7810 ID-1, a bank card
QR_NOTE = "Scan for the full list as text (no app or network needed)."


def qr_text(data: EmergencyList, *, compact: bool = False, medicines: int | None = None) -> str:
    """What the QR code carries: the plain-text list, or the wallet card's short form (for a long list too).

    `medicines`: list only the first N medicines, then "+M more: see the full list" (a code
    too dense to scan otherwise, see card_qr).
    """
    full = render_text(data)
    if not compact and len(full.encode("utf-8")) <= 1400:
        return full
    listed = data.medicines if medicines is None else data.medicines[:medicines]
    rest = len(data.medicines) - len(listed)
    name = f"Name: {data.name or '-'}"
    born = f"Born: {data.born or '-'}"
    contact = f"Emergency contact: {data.emergency_contact or '-'}"
    doctor = f"Doctor: {data.doctor or '-'}"
    allergies = "Allergies: " + (", ".join(a.substance for a in data.allergies) or NO_ALLERGIES)
    conditions = "Conditions: " + (", ".join(data.conditions) or NO_CONDITIONS)
    meds_lines = [
        "Medicines:" if data.medicines else NO_MEDICINES,
        *(f"- {_card_medicine(med)}" for med in listed),
        *([MORE.format(n=rest)] if rest else []),
    ]
    stopped = (
        [
            f"Stopped in the last {data.stopped_days} days: "
            + ", ".join(f"{s.label} ({s.stopped})" for s in data.recently_stopped)
        ]
        if data.recently_stopped
        else []
    )
    updated = f"Updated {data.last_updated_local or 'never'}"
    # Everything the card shows, every item of every list, without the longer lines of the full list.
    text = plain(
        "\n".join([TITLE.upper(), name, born, contact, doctor, allergies, conditions, *meds_lines, *stopped, updated])
    )
    if _fits(text):
        return text
    # No QR code holds it all (59 allergies, a contact of 2,000 characters): what a nurse needs
    # first, each line clipped, as much as fits, and the code says it is shortened.
    first = [allergies, *meds_lines, *stopped, conditions, name, born, contact, doctor, updated]
    return _shortened(TITLE.upper(), [_clip(plain(line)) for line in first])


# What a QR code carries when the list does not fit in one: the printed page and the card say so too.
QR_SHORTENED = "(shortened to fit the code: the printed list has everything)"
QR_SHORT_NOTE = "The QR code holds a shortened list (the most important part): everything is printed here."
_CLIP = 500  # characters of one line of a shortened code


def _clip(line: str) -> str:
    return line if len(line) <= _CLIP else line[: _CLIP - 1] + "…"


def _shortened(title: str, lines: list[str]) -> str:
    """`title`, as many of `lines` as fit in a QR code, and QR_SHORTENED."""
    for count in range(len(lines), -1, -1):
        text = "\n".join([title, QR_SHORTENED, *lines[:count]])
        if _fits(text):
            return text
    return title


def is_shortened(text: str) -> bool:
    """Whether a QR code's text (from qr_text) leaves part of the list out."""
    return QR_SHORTENED in text


def _fits(text: str) -> bool:
    """Whether one QR code (at the error correction qr_matrix uses) holds `text`."""
    from segno import DataOverflowError

    try:
        qr_matrix(text)
    except DataOverflowError:
        return False
    return True


@cache
def qr_matrix(text: str) -> Sequence[Sequence[int]]:
    """The QR code's modules, row by row (1 is dark), without the quiet zone."""
    import segno

    # Error correction M (15% of the code may be lost): a printed card gets creased and scuffed.
    return segno.make(text, error="M", micro=False, boost_error=False).matrix


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
.qr-box { text-align: center; font-size: .75rem; max-width: 60mm; }
.wallet { width: 85.6mm; height: 54mm; box-sizing: border-box; border: 1px dashed #666; padding: 2.5mm;
  overflow: hidden; display: inline-block; vertical-align: top; margin: 0 4mm 4mm 0; position: relative;
  font-family: "DejaVu Sans", Verdana, sans-serif; }
.wallet .column { display: flex; flex-direction: column; height: 100%; }
.wallet .push { flex: 1; }
/* Lines are broken here with DejaVu Sans' widths (the PDF's font): each stays one line. */
.wallet p { margin: 0; line-height: 1.19; white-space: nowrap; }
.wallet .b { font-weight: 700; }
.wallet .red { color: #900; }
.wallet .qr { position: absolute; right: 1mm; bottom: 1mm; }
.cut { font-size: 8pt; color: #555; }
@media print { .page-break { break-before: page; page-break-before: always; } }
"""
)


MORE = "+{n} more: see the full list"
_LINE_H = 0.42  # a card line's height in mm per point of its size
_PAD = 2.5  # mm inside each half of the card
# The card's QR code, with its quiet zone: as large as its modules need, between these (mm).
_CARD_QR_MIN, _CARD_QR_MAX = 26.0, 40.0
# A module this wide is 1.8 pixels of a 150 dpi scan (zbar reads the card from 1.6 up).
MODULE_MM = 0.30


@dataclass(frozen=True)
class CardLine:
    """One line of the wallet card, already wrapped: its face ("" or "B"), size in points, text and colour."""

    style: str
    size: float
    text: str
    red: bool = False
    medicine: bool = False  # the first line of a medicine on the back

    @property
    def height(self) -> float:
        """The line's height in mm."""
        return self.size * _LINE_H


def _card_medicine(med: EmergencyMedicine) -> str:
    return med.label + (f": last dose {med.last_dose_local}" if med.tracked and med.last_dose_local else "")


def _lines(style: str, size: float, text: str, width: float, *, red: bool = False) -> list[CardLine]:
    from journal.export._pdf import pdf_text
    from journal.export._wrap import measure, wrap

    return [CardLine(style, size, line, red) for line in wrap(pdf_text(text), width, measure(style, size))]


def _fit_joined(label: str, items: list[str], empty: str, width: float, room: float, size: float) -> list[CardLine]:
    """`label` and as many of `items` as fit in `room` mm, then "+N more" for the rest (all of them, if none fit)."""
    if not items:
        return _lines("B", size, f"{label}: {empty}", width)
    for shown in range(len(items), -1, -1):
        rest = len(items) - shown
        text = (
            f"{label}: "
            + ", ".join(items[:shown])
            + ("; " if shown and rest else "")
            + (MORE.format(n=rest) if rest else "")
        )
        lines = _lines("B", size, text, width)
        if sum(line.height for line in lines) <= room or shown == 0:
            return lines
    raise AssertionError("unreachable")


def card_front(data: EmergencyList) -> list[CardLine]:
    """The front of the wallet card: who, contact, doctor, allergies, conditions, updated, disclaimer."""
    width, height = WALLET_W_MM - 2 * _PAD, WALLET_H_MM - 2 * _PAD
    head = _lines("B", 8.0, TITLE.upper(), width, red=True)
    head += _lines("B", 7.5, (data.name or "Name not recorded") + (f", born {data.born}" if data.born else ""), width)
    head += _lines("", 6.5, f"Emergency contact: {data.emergency_contact or 'not recorded'}", width)
    head += _lines("", 6.5, f"Doctor: {data.doctor or 'not recorded'}", width)
    foot = _lines("", 5.0, f"Updated {data.last_updated_local or 'never'}. {data.disclaimer}", width)
    room = height - sum(line.height for line in head + foot) - 1.0
    line = 6.5 * _LINE_H
    allergies = _fit_joined("Allergies", [a.substance for a in data.allergies], NO_ALLERGIES, width, room - line, 6.5)
    room -= sum(x.height for x in allergies)
    conditions = _fit_joined("Conditions", list(data.conditions), NO_CONDITIONS, width, room, 6.5)
    room -= sum(x.height for x in conditions)
    warning = _lines("B", 6.0, data.warnings[0], width, red=True) if data.warnings else []
    if sum(x.height for x in warning) > room:
        warning = []
    return head + allergies + conditions + warning + [CardLine("", 0.0, "")] + foot


def qr_size(text: str, smallest: float, largest: float) -> float | None:
    """How large (mm) the code of `text` must be for a 150 dpi scan, at least `smallest`; None if over `largest`."""
    size = (len(qr_matrix(text)) + 8) * MODULE_MM
    return None if size > largest else max(smallest, size)


def card_qr(data: EmergencyList) -> tuple[str, float]:
    """The wallet card's QR text and size: everything the card lists, or (too dense) the medicines the card shows."""
    text = qr_text(data, compact=True)
    size = qr_size(text, _CARD_QR_MIN, _CARD_QR_MAX)
    if size is not None:
        return text, size
    shown = sum(1 for line in card_back(data, _CARD_QR_MAX) if line.medicine)
    return qr_text(data, compact=True, medicines=shown), _CARD_QR_MAX


def page_qr(data: EmergencyList) -> tuple[str, float]:
    """The printed page's QR text and size (mm): the full list, else the short form, large enough to scan."""
    for text in (qr_text(data), qr_text(data, compact=True)):
        size = qr_size(text, 45.0, 60.0)
        if size is not None:
            return text, size
    return text, 60.0


def card_back(data: EmergencyList, qr_mm: float) -> list[CardLine]:
    """The back of the wallet card: every medicine (or as many as fit and "+N more"), then the source; the QR beside."""
    width, height = WALLET_W_MM - 2 * _PAD - qr_mm - 1.0, WALLET_H_MM - 2 * _PAD
    head = _lines("B", 7.0, "Medicines", width)
    foot = _lines("", 5.0, data.source, width)
    room = height - sum(line.height for line in head + foot) - 1.0
    items = [_lines("", 6.5, _card_medicine(med), width) for med in data.medicines]
    for item in items:  # its first line marks a medicine, for card_qr's count
        item[0] = CardLine(item[0].style, item[0].size, item[0].text, item[0].red, medicine=True)
    if not items:
        return head + _lines("", 6.5, NO_MEDICINES, width) + [CardLine("", 0.0, "")] + foot
    for shown in range(len(items), -1, -1):
        rest = len(items) - shown
        more = _lines("B", 6.5, MORE.format(n=rest), width) if rest else []
        body = [line for item in items[:shown] for line in item] + more
        if sum(line.height for line in body) <= room or shown == 0:
            return head + body + [CardLine("", 0.0, "")] + foot
    raise AssertionError("unreachable")


def _qr_note(text: str) -> str:
    return QR_SHORT_NOTE if is_shortened(text) else QR_NOTE


def _cut_note(text: str) -> str:
    """What the page says above the wallet card (and, when its code is shortened, that it is)."""
    note = "Wallet card: cut along the dashed lines, fold in the middle"
    return note + (f". {QR_SHORT_NOTE.removesuffix('.')}" if is_shortened(text) else "")


def _wallet_html(data: EmergencyList) -> str:
    text, qr_mm = card_qr(data)
    qr = qr_svg(text, size=f"{qr_mm}mm")

    def side(lines: list[CardLine], name: str, extra: str = "") -> str:
        parts = []
        for line in lines:
            if not line.size:  # what follows sits at the foot of the card
                parts.append('<div class="push"></div>')
                continue
            classes = " ".join(c for c in ("b" if line.style else "", "red" if line.red else "") if c)
            parts.append(f'<p class="{classes}" style="font-size:{line.size}pt">{esc(line.text)}</p>')
        return f'<div class="wallet {name}"><div class="column">{"".join(parts)}</div>{extra}</div>'

    return (
        f'<p class="cut">{esc(_cut_note(text))}.</p>'
        f'<div class="wallet-pair">{side(card_front(data), "wallet-front")}'
        f"{side(card_back(data, qr_mm), 'wallet-back', qr)}</div>"
    )


def render_card_html(data: EmergencyList, *, wallet_only: bool = False) -> str:
    """The emergency list as a printable page plus a wallet card (or the wallet card alone)."""
    text, page_mm = page_qr(data)
    wallet = _wallet_html(data)
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
        f'<div class="qr-box">{qr_svg(text, size=f"{page_mm}mm")}<br>{esc(_qr_note(text))}</div></div>',
        *[f'<p class="alert">{esc(w)}</p>' for w in data.warnings],
        *[f'<p class="alert">{esc(DAMAGED)}: {esc(d)}</p>' for d in data.damaged],
        "<h2>Allergies</h2>",
        "<ul>"
        + "".join(
            f"<li>{esc(a.substance)}" + (f" ({esc(a.reaction)})" if a.reaction else "") + "</li>"
            for a in data.allergies
        )
        + "</ul>"
        if data.allergies
        else f"<p>{esc(NO_ALLERGIES)}.</p>",
        "<h2>Conditions</h2>",
        "<ul>" + "".join(f"<li>{esc(c)}</li>" for c in data.conditions) + "</ul>"
        if data.conditions
        else f"<p>{esc(NO_CONDITIONS)}.</p>",
        "<h2>Medicines, vitamins and supplements</h2>",
        table(Table(_HEADERS, _rows(data))) if data.medicines else f"<p>{esc(NO_MEDICINES)}.</p>",
        *[
            f"<h2>{esc(heading)}</h2>" + "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"
            for heading, items in later_sections(data, esc)
        ],
        "<footer>" + "".join(f"<p>{esc(line)}</p>" for line in footer_lines(data)) + "</footer>",
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
    pdf.set_draw_color(100, 100, 100)
    pdf.set_dash(1, 1)
    pdf.rect(x, y, WALLET_W_MM, WALLET_H_MM)
    pdf.rect(x + WALLET_W_MM, y, WALLET_W_MM, WALLET_H_MM)
    pdf.set_dash()

    def draw(left: float, lines: list[CardLine]) -> None:
        split = next((i for i, line in enumerate(lines) if not line.size), len(lines))
        top = y + _PAD
        for line in lines[:split]:
            top = _draw_line(pdf, left, top, line)
        top = y + WALLET_H_MM - _PAD - sum(line.height for line in lines[split + 1 :])
        for line in lines[split + 1 :]:
            top = _draw_line(pdf, left, top, line)

    draw(x + _PAD, card_front(data))
    back_x = x + WALLET_W_MM
    text, qr_mm = card_qr(data)
    draw(back_x + _PAD, card_back(data, qr_mm))
    qr_at = (back_x + WALLET_W_MM - qr_mm - 1, y + WALLET_H_MM - qr_mm - 1)
    _draw_qr(pdf, text, *qr_at, qr_mm)


def _draw_line(pdf: DocPDF, left: float, top: float, line: CardLine) -> float:
    """One card line from `top` mm; where the next one starts."""
    pdf.set_font(line.style, line.size)
    pdf.set_text_color(150, 0, 0) if line.red else pdf.set_text_color(0, 0, 0)
    pdf.text(left, top + 0.5 * line.height + 0.3 * pdf.font_size, line.text)
    pdf.set_text_color(0, 0, 0)
    return top + line.height


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
        text, qr_size = page_qr(data)
        pdf.heading(TITLE, size=16, color=(160, 0, 0))
        top = pdf.y
        _draw_qr(pdf, text, pdf.w - pdf.r_margin - qr_size, top, qr_size)
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
        pdf.text_line(_qr_note(text), height=3, align="R")
        pdf.ln(5)
        pdf.set_text_color(160, 0, 0)
        for warning in data.warnings:
            pdf.paragraph(warning, size=10, style="B")
        for found in data.damaged:
            pdf.paragraph(f"{DAMAGED}: {found}", size=10, style="B")
        pdf.set_text_color(0, 0, 0)
        pdf.heading("Allergies", size=12, keep=10)
        pdf.bullets(
            [a.substance + (f" ({a.reaction})" if a.reaction else "") for a in data.allergies] or [NO_ALLERGIES]
        )
        pdf.heading("Conditions", size=12, keep=10)
        pdf.bullets(list(data.conditions) or [NO_CONDITIONS])
        pdf.heading("Medicines, vitamins and supplements", size=12, keep=15)
        if data.medicines:
            pdf.table_block(Table(_HEADERS, _rows(data)), size=9)
        else:
            pdf.paragraph(f"{NO_MEDICINES}.")
        for heading, items in later_sections(data, str):
            pdf.heading(heading, size=12, keep=10)
            pdf.bullets(items)
        for line in footer_lines(data):
            pdf.paragraph(line, size=8, style="I")
    pdf.add_page()
    pdf.heading(_cut_note(card_qr(data)[0]), size=10, keep=60)
    _wallet_pdf(pdf, data, pdf.l_margin, pdf.y + 2)
    return pdf.output()

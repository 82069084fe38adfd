"""Advance widths of the base-14 Helvetica faces, for every character WinAnsiEncoding prints.

The figures are Adobe's Core14 AFM metrics (Helvetica.afm and Helvetica-Bold.afm), in
thousandths of the font size; Helvetica-Oblique has Helvetica's widths and
Helvetica-BoldOblique has Helvetica-Bold's. Each string holds one width per cp1252 byte
from 0x20 to 0xFF, 16 a line; 0 marks a byte that prints nothing (DEL, and the five bytes
cp1252 leaves undefined).
"""

from __future__ import annotations

FIRST = 0x20

REGULAR = (
    "278 278 355 556 556 889 667 191 333 333 389 584 278 333 278 278 "  # 0x20
    "556 556 556 556 556 556 556 556 556 556 278 278 584 584 584 556 "  # 0x30
    "1015 667 667 722 722 667 611 778 722 278 500 667 556 833 722 778 "  # 0x40
    "667 778 722 667 611 722 667 944 667 667 611 278 278 278 469 556 "  # 0x50
    "333 556 556 500 556 556 278 556 556 222 222 500 222 833 556 556 "  # 0x60
    "556 556 333 500 278 556 500 722 500 500 500 334 260 334 584 0 "  # 0x70
    "556 0 222 556 333 1000 556 556 333 1000 667 333 1000 0 611 0 "  # 0x80
    "0 222 222 333 333 350 556 1000 333 1000 500 333 944 0 500 667 "  # 0x90
    "278 333 556 556 556 556 260 556 333 737 370 556 584 333 737 333 "  # 0xA0
    "400 584 333 333 333 556 537 278 333 333 365 556 834 834 834 611 "  # 0xB0
    "667 667 667 667 667 667 1000 722 667 667 667 667 278 278 278 278 "  # 0xC0
    "722 722 778 778 778 778 778 584 778 722 722 722 722 667 667 611 "  # 0xD0
    "556 556 556 556 556 556 889 500 556 556 556 556 278 278 278 278 "  # 0xE0
    "556 556 556 556 556 556 556 584 611 556 556 556 556 500 556 500 "  # 0xF0
)

BOLD = (
    "278 333 474 556 556 889 722 238 333 333 389 584 278 333 278 278 "  # 0x20
    "556 556 556 556 556 556 556 556 556 556 333 333 584 584 584 611 "  # 0x30
    "975 722 722 722 722 667 611 778 722 278 556 722 611 833 722 778 "  # 0x40
    "667 778 722 667 611 722 667 944 667 667 611 333 278 333 584 556 "  # 0x50
    "333 556 611 556 611 556 333 611 611 278 278 556 278 889 611 611 "  # 0x60
    "611 611 389 556 333 611 556 778 556 556 500 389 280 389 584 0 "  # 0x70
    "556 0 278 556 500 1000 556 556 333 1000 667 333 1000 0 611 0 "  # 0x80
    "0 278 278 500 500 350 556 1000 333 1000 556 333 944 0 500 667 "  # 0x90
    "278 333 556 556 556 556 280 556 333 737 370 556 584 333 737 333 "  # 0xA0
    "400 584 333 333 333 611 556 278 333 333 365 556 834 834 834 611 "  # 0xB0
    "722 722 722 722 722 722 1000 722 667 667 667 667 278 278 278 278 "  # 0xC0
    "722 722 778 778 778 778 778 584 778 722 722 722 722 667 667 611 "  # 0xD0
    "556 556 556 556 556 556 889 556 556 556 556 556 278 278 278 278 "  # 0xE0
    "611 611 611 611 611 611 611 584 611 611 611 611 611 556 611 556 "  # 0xF0
)

# Each PDF face (its BaseFont name) and its widths.
WIDTHS = {
    "Helvetica": REGULAR,
    "Helvetica-Bold": BOLD,
    "Helvetica-Oblique": REGULAR,
    "Helvetica-BoldOblique": BOLD,
}


def char_widths(face: str) -> dict[str, int]:
    """The widths of one face (a BaseFont name) by character, for every character it prints."""
    widths = map(int, WIDTHS[face].split())
    return {bytes([FIRST + i]).decode("cp1252"): w for i, w in enumerate(widths) if w}

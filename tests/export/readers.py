"""Reading a PDF export back as its reader would: its text, a page drawn to pixels, the QR codes a phone finds there.

Everything here comes with `pip install -e ".[test]"` (pypdf, pypdfium2, zxing-cpp, Pillow): no poppler or zbar to
install by hand, so the QR tests run wherever the README's test command does.
"""

from __future__ import annotations

import io
from pathlib import Path

import pypdfium2
import zxingcpp
from PIL import Image
from pypdf import PdfReader


def _bytes(pdf: bytes | Path) -> bytes:
    return pdf.read_bytes() if isinstance(pdf, Path) else pdf


def page_texts(pdf: bytes | Path) -> list[str]:
    """The text of each page (through the embedded fonts' ToUnicode maps, as a copy and paste would give it)."""
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(_bytes(pdf))).pages]


def pdf_text(pdf: bytes | Path) -> str:
    """The text of every page, one after the other."""
    return "\n".join(page_texts(pdf))


def render_page(pdf: bytes | Path, page: int, dpi: int = 150) -> Image.Image:
    """Page `page` (counted from 1, as a printer counts) drawn at `dpi`, as a viewer or printer would draw it."""
    document = pypdfium2.PdfDocument(_bytes(pdf))
    try:
        # A copy: to_pil() may share the bitmap's memory, which closing the document frees.
        image: Image.Image = document[page - 1].render(scale=dpi / 72).to_pil().copy()
        return image
    finally:
        document.close()


def read_qr_codes(image: Image.Image) -> list[str]:
    """The text of every QR code found in `image`, in the order found."""
    return [
        code.text
        for code in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode))
    ]


def scan_qr(pdf: bytes | Path, page: int, dpi: int = 150) -> str:
    """The text of the one QR code on page `page` drawn at `dpi` ("" if none can be read); more than one fails."""
    found = read_qr_codes(render_page(pdf, page, dpi))
    assert len(found) <= 1, f"{len(found)} QR codes on page {page}: {found}"
    return found[0] if found else ""

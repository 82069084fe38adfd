"""The text emergency list stays fast (no PDF, QR or FHIR library loaded), PDFs load no image or font library,
and every format shows the same figures."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from journal.export import SUMMARY_FORMATS
from journal.store import Store
from journal.summary.model import VisitSummary
from tests.export.readers import pdf_text

HEAVY = ("pydyf", "segno", "fhir", "icalendar", "pypdf")


def test_text_emergency_list_loads_no_heavy_library(tmp_path: Path) -> None:
    Store.open(tmp_path / "j.db").close()  # emergency reads a journal; it never creates one
    code = (
        "import sys\n"
        "from journal.cli import cli\n"
        f"cli.main(['--db', r'{tmp_path / 'j.db'}', 'emergency'], standalone_mode=False)\n"
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r})))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_pdf_exports_load_the_pdf_writer_and_no_image_or_font_library(tmp_path: Path) -> None:
    # Pillow and fontTools (what the former PDF library imported) take 0.2-0.5 s: a 90-day export's whole budget.
    db = tmp_path / "j.db"
    Store.open(db).close()  # the commands read a journal; they never create one
    pdfs = {"s.pdf": ["export", "--format", "pdf"], "e.pdf": ["emergency", "--format", "pdf"]}
    runs = [[*args, "-o", str(tmp_path / name)] for name, args in pdfs.items()]
    code = (
        "import sys\n"
        "from journal.cli import cli\n"
        f"for args in {runs!r}:\n"
        f"    cli.main(['--db', {str(db)!r}, *args], standalone_mode=False)\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'pydyf', 'fpdf', 'PIL', 'fontTools'}))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert done.stdout.strip().splitlines()[-1] == "['pydyf']"
    for name in pdfs:
        assert (tmp_path / name).read_bytes().startswith(b"%PDF-")


def test_every_format_shows_the_same_adherence_figures(demo_summary: VisitSummary) -> None:
    a = demo_summary.adherence[0]
    assert (a.days_expected, a.taken, a.skipped, a.missed) == (29, 27, 1, 1)
    row = "| anakinra | daily at 08:00 | 29 | 27 | 1 | 1 | 0 | 93.1% |"
    assert row in SUMMARY_FORMATS["markdown"].render(demo_summary).decode()
    page = SUMMARY_FORMATS["html"].render(demo_summary).decode()
    assert (
        "<td>anakinra</td><td>daily at 08:00</td><td>29</td><td>27</td><td>1</td><td>1</td><td>0</td><td>93.1%</td>"
        in page
    )
    pdf = SUMMARY_FORMATS["pdf"].render(demo_summary)
    text = re.sub(r"\s+", " ", pdf_text(pdf))
    assert "anakinra daily at 08:00 29 27 1 1 0 93.1%" in text
    bundle = json.loads(SUMMARY_FORMATS["fhir"].render(demo_summary))
    narratives = " ".join(s["text"]["div"] for s in bundle["entry"][0]["resource"]["section"])
    assert "anakinra: 27 of 29 expected days taken, 1 skipped, 1 missed" in narratives

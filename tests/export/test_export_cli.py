"""`medjournal export` and `medjournal emergency --format ...` as a user runs them."""

from __future__ import annotations

import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from journal.store import Store
from tests.export.demo_journal import fill_demo
from tests.export.readers import pdf_text

Medjournal = Callable[..., Any]


@pytest.fixture
def demo_path(journal_path: Path) -> Path:
    with Store.open(journal_path) as store:
        fill_demo(store)
    return journal_path


def _one_error_line(result: Any) -> str:
    assert result.code == 1
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.err
    return str(lines[0])


def test_markdown_goes_to_stdout_for_the_dates_asked(medjournal: Medjournal, demo_path: Path) -> None:
    done = medjournal("export", "--since", "2026-11-01", "--until", "2026-11-10")
    assert done.code == 0, done.err
    assert done.out.startswith("# Visit summary")
    assert "2026-11-01 to 2026-11-10 (chosen dates)" in done.out
    assert "| anakinra | daily at 08:00 | 10 | 9 | 1 | 0 | 0 |" in done.out


def test_export_file_is_private_and_not_overwritten_without_force(
    medjournal: Medjournal, demo_path: Path, tmp_path: Path
) -> None:
    target = tmp_path / "summary.pdf"
    first = medjournal("export", "--format", "pdf", "-o", str(target))
    assert first.code == 0, first.err
    assert str(target) in first.out
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert target.read_bytes().startswith(b"%PDF-")
    target.write_bytes(b"keep me")
    assert "--force" in _one_error_line(medjournal("export", "--format", "pdf", "-o", str(target)))
    assert target.read_bytes() == b"keep me"
    forced = medjournal("export", "--format", "pdf", "-o", str(target), "--force")
    assert forced.code == 0, forced.err
    assert target.read_bytes().startswith(b"%PDF-")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_binary_formats_need_a_file(medjournal: Medjournal, demo_path: Path) -> None:
    for fmt in ("pdf", "csv"):
        assert "-o FILE" in _one_error_line(medjournal("export", "--format", fmt))
    assert "-o FILE" in _one_error_line(medjournal("emergency", "--format", "pdf"))


def test_a_period_that_ends_before_it_starts_is_one_error_line(medjournal: Medjournal, demo_path: Path) -> None:
    assert "before the end" in _one_error_line(medjournal("export", "--since", "2026-11-10", "--until", "2026-11-01"))


def test_emergency_card_pdf_and_html_are_written(medjournal: Medjournal, demo_path: Path, tmp_path: Path) -> None:
    card = medjournal("emergency", "--format", "card", "-o", str(tmp_path / "card.pdf"))
    assert card.code == 0, card.err
    assert (tmp_path / "card.pdf").read_bytes().startswith(b"%PDF-")
    page = medjournal("emergency", "--format", "html")
    assert page.code == 0, page.err
    assert page.out.startswith("<!DOCTYPE html>") and "Methotrexate" in page.out


def test_emergency_text_is_unchanged_in_shape(medjournal: Medjournal, demo_path: Path) -> None:
    done = medjournal("emergency")
    assert done.code == 0, done.err
    assert "anakinra 100 mg (Kineret) - prescription - subcutaneous" in done.out
    assert "last dose: " in done.out


def test_a_cyrillic_patient_prints_as_typed_and_a_missing_glyph_gives_one_warning(
    medjournal: Medjournal, journal_path: Path, tmp_path: Path
) -> None:
    assert medjournal("profile", "--name", "Зоя Иванова", "--doctor", "Łukasiewicz").code == 0
    assert medjournal("allergy", "add", "латекс").code == 0
    target = tmp_path / "list.pdf"
    done = medjournal("emergency", "--format", "pdf", "-o", str(target))
    assert done.code == 0 and done.err == "", done.err
    text = pdf_text(target)
    assert "Name: Зоя Иванова" in text and "латекс" in text and "Doctor: Łukasiewicz" in text
    assert medjournal("allergy", "add", "bee sting \U0001f41d").code == 0
    warned = medjournal("emergency", "--format", "pdf", "-o", str(target), "--force")
    assert warned.code == 0
    lines = warned.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("warning: ") and "U+1F41D" in lines[0], warned.err
    text = pdf_text(target)
    assert "bee sting \ufffd" in text


def test_a_file_named_for_another_kind_is_refused_and_the_ending_chooses_the_format(
    medjournal: Medjournal, demo_path: Path, tmp_path: Path
) -> None:
    # `--format csv` writes a zip: a file named .csv would not open as CSV.
    misnamed = tmp_path / "visit.csv"
    line = _one_error_line(medjournal("export", "--format", "csv", "-o", str(misnamed)))
    assert "visit.zip" in line and not misnamed.exists()
    assert "list.html" in _one_error_line(medjournal("emergency", "--format", "html", "-o", str(tmp_path / "list.pdf")))
    # Without --format, the file's ending chooses it.
    assert medjournal("export", "-o", str(tmp_path / "visit.pdf")).code == 0
    assert (tmp_path / "visit.pdf").read_bytes().startswith(b"%PDF")
    assert medjournal("emergency", "-o", str(tmp_path / "list.json")).code == 0
    assert (tmp_path / "list.json").read_text("utf-8").lstrip().startswith("{")
    # An ending that names no format is taken as it is.
    assert medjournal("emergency", "--format", "card", "-o", str(tmp_path / "wallet.card")).code == 0


def test_a_page_for_a_printer_is_not_poured_into_a_terminal(demo_path: Path) -> None:
    import os
    import pty
    import subprocess
    import sys

    def at_a_terminal(*args: str) -> tuple[int, str]:
        main, child = pty.openpty()
        done = subprocess.run(
            [sys.executable, "-m", "journal", "--db", str(demo_path), *args],
            stdin=subprocess.DEVNULL,
            stdout=child,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
        )
        os.close(child)
        os.close(main)
        return done.returncode, done.stderr

    for args in (("emergency", "--format", "card"), ("emergency", "--format", "html"), ("export", "--format", "html")):
        code, err = at_a_terminal(*args)
        assert code == 1 and err.startswith("error: ") and "-o FILE" in err and "Traceback" not in err, (args, err)
    assert at_a_terminal("emergency")[0] == 0  # the text list is for the terminal

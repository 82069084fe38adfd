"""The wallet card never drops anything silently, its QR code holds the same and scans at 150 dpi,
and every format of the emergency list carries the disclaimer and the source."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from journal.export.card import (
    card_back,
    card_front,
    card_qr,
    page_qr,
    render_card_html,
    render_card_pdf,
)
from journal.export.emergency import render_json, render_markdown, render_text
from journal.export.html import esc
from journal.summary.emergency import DISCLAIMER, SOURCE, EmergencyAllergy, EmergencyList, EmergencyMedicine
from tests.export.readers import page_texts, scan_qr

NAMES = [
    "Methotrexate", "Folic acid", "Metformin", "Lisinopril", "Atorvastatin", "Omeprazole", "Vitamin D3",
    "Calcium carbonate", "Paracetamol", "Ibuprofen", "Amlodipine", "Levothyroxine", "Prednisolone",
    "Hydroxychloroquine", "Sertraline", "Melatonin", "Echinacea", "Magnesium citrate",
]  # fmt: skip


def _many() -> EmergencyList:
    medicines = [EmergencyMedicine(name="anakinra", brand="Kineret", kind="prescription", strength="100 mg/0.67 mL")]
    medicines += [EmergencyMedicine(name=n, kind="prescription", strength=f"{10 + i} mg") for i, n in enumerate(NAMES)]
    return EmergencyList(
        generated_at=datetime(2026, 11, 25, 9, tzinfo=UTC),
        generated_local="2026-11-25 10:00 CET",
        last_updated_local="2026-11-24 20:00 CET",
        name="Зоя Иванова",
        born="1958-04-12",
        emergency_contact="Пётр Иванов +7 912 345 67 89",
        doctor="Dr. Łukasiewicz",
        allergies=[EmergencyAllergy(substance=s) for s in ("латекс", "penicillin", "sulfonamides")],
        conditions=["rheumatoid arthritis", "type 2 diabetes", "hypertension"],
        medicines=medicines,
    )


def _card_text(content: bytes) -> str:
    return re.sub(r"\s+", " ", page_texts(content)[-1])


def test_the_card_shows_what_fits_and_says_how_many_more_exactly() -> None:
    data = _many()
    text = _card_text(render_card_pdf(data, wallet_only=True))
    fixed = ("Зоя Иванова, born 1958-04-12", "Пётр Иванов", "Doctor: Dr. Łukasiewicz", "Updated 2026-11-24 20:00 CET")
    assert all(must in text for must in fixed)
    assert "Allergies: латекс, penicillin, sulfonamides" in text
    assert "Conditions: rheumatoid arthritis, type 2 diabetes, hypertension" in text
    labels = [m.label for m in data.medicines]
    shown = [label for label in labels if label in text]
    more = re.search(r"\+(\d+) more: see the full list", text)
    assert more is not None and shown == labels[: len(shown)]
    assert len(shown) + int(more.group(1)) == 19 and len(shown) >= 8


def test_a_short_list_is_shown_whole_without_more() -> None:
    data = replace(_many(), medicines=_many().medicines[:3])
    text = _card_text(render_card_pdf(data, wallet_only=True))
    assert all(m.label in text for m in data.medicines) and "more: see the full list" not in text


def test_allergies_that_do_not_fit_are_counted_not_dropped() -> None:
    allergies = [EmergencyAllergy(substance=f"substance number {i}") for i in range(40)]
    lines = " ".join(line.text for line in card_front(replace(_many(), allergies=allergies)))
    shown = len(re.findall(r"substance number \d+", lines))
    more = re.search(r"\+(\d+) more: see the full list", lines)
    assert more is not None and shown + int(more.group(1)) == 40
    assert "Doctor: Dr. Łukasiewicz" in lines and "Updated" in lines  # the fixed lines stay


def test_the_html_card_shows_the_same_lines_as_the_pdf_card() -> None:
    data = _many()
    html = render_card_html(data, wallet_only=True)
    for line in card_front(data) + card_back(data, card_qr(data)[1]):
        if line.text:
            assert f">{esc(line.text)}</p>" in html, line.text


LONG = EmergencyMedicine(
    name="Calcium carbonate with cholecalciferol and magnesium oxide chewable combination tablets",
    kind="supplement",
    strength="1000 mg/800 IU",
)


@pytest.mark.parametrize("extra", [0, 1, 30], ids=["19 medicines", "20 with a long name", "38 medicines"])
def test_the_card_qr_code_holds_what_the_card_lists_and_scans_at_150_dpi(extra: int) -> None:
    data = _many()
    data = replace(data, medicines=data.medicines + [LONG] * min(extra, 1) + data.medicines[1:] * (extra // 18))
    found = scan_qr(render_card_pdf(data, wallet_only=True), page=1, dpi=150)
    assert found == card_qr(data)[0]
    for must in ("Name: Зоя Иванова", "Born: 1958-04-12", "Doctor: Dr. Łukasiewicz", "Updated 2026-11-24 20:00 CET"):
        assert must in found
    assert "hypertension" in found and "латекс" in found
    listed = [m.label for m in data.medicines if f"- {m.label}" in found]
    more = re.search(r"\+(\d+) more: see the full list", found)
    if more is None:
        assert len(listed) == len(data.medicines)  # every medicine, as long as the code stays scannable
    else:
        assert len(re.findall(r"^- ", found, re.M)) + int(more.group(1)) == len(data.medicines)
        assert f"+{more.group(1)} more" in _card_text(render_card_pdf(data, wallet_only=True))


@pytest.mark.parametrize("extra", [0, 30], ids=["19 medicines", "37 medicines"])
def test_the_printed_page_qr_code_scans_at_150_dpi(extra: int) -> None:
    data = _many()
    data = replace(data, medicines=data.medicines + data.medicines[1:] * (extra // 18))
    found = scan_qr(render_card_pdf(data), page=1, dpi=150)
    assert found == page_qr(data)[0]  # exactly, its last newline too
    assert "Born: 1958-04-12" in found and "Зоя Иванова" in found


def test_every_format_of_the_list_carries_the_disclaimer_and_the_source() -> None:
    data = _many()
    for text in (render_text(data), render_markdown(data).replace("\\", "")):
        assert DISCLAIMER in text and SOURCE in text
    html = render_card_html(data)
    assert esc(DISCLAIMER) in html and esc(SOURCE) in html
    assert json.loads(render_json(data))["disclaimer"] == DISCLAIMER
    page_text = re.sub(r"\s+", " ", " ".join(page_texts(render_card_pdf(data))[:-1]))
    assert DISCLAIMER in page_text and SOURCE in page_text
    card = _card_text(render_card_pdf(data, wallet_only=True))
    assert DISCLAIMER in card and SOURCE in card


def test_empty_lists_say_none_recorded_never_none_known() -> None:
    data = replace(_many(), allergies=[], conditions=[])
    outputs = [render_text(data), render_markdown(data), render_card_html(data), _card_text(render_card_pdf(data))]
    outputs.append(" ".join(page_texts(render_card_pdf(data))))
    for text in outputs:
        assert "No allergies recorded" in text and "No conditions recorded" in text
        assert "known" not in text.lower()


def test_a_direction_override_in_a_name_reverses_nothing_after_it_in_any_format() -> None:
    # U+202E (right-to-left override) left open in a name, and U+2067 (an isolate) in an allergy.
    data = replace(
        _many(),
        medicines=[EmergencyMedicine(name="Warfarin\u202e", kind="prescription", strength="5 mg")],
        allergies=[EmergencyAllergy(substance="\u2067latex")],
    )
    outputs = {
        "text": render_text(data),
        "markdown": render_markdown(data),
        "json": render_json(data),
        "html": render_card_html(data),
        "pdf": " ".join(page_texts(render_card_pdf(data))),
        "qr": card_qr(data)[0],
    }
    for name, out in outputs.items():
        assert not any(c in out for c in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"), name
        assert "Warfarin" in out and "latex" in out, name
    # JSON keeps what was typed, as escapes a program reads back and a terminal does not obey.
    assert json.loads(outputs["json"])["medicines"][0]["name"] == "Warfarin\u202e"

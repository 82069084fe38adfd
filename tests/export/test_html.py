"""The HTML exports are self-contained: no script, no external URL, every piece of user text escaped."""

from __future__ import annotations

from dataclasses import replace
from html.parser import HTMLParser

import pytest

from journal.export.card import render_card_html
from journal.export.html import render_html
from journal.summary.emergency import EmergencyList
from journal.summary.model import VisitSummary
from tests.export.demo_journal import SCRIPT

# Attributes whose value a browser would fetch or follow.
_URL_ATTRIBUTES = {
    "href",
    "src",
    "srcset",
    "action",
    "formaction",
    "data",
    "poster",
    "xmlns",
    "xlink:href",
    "background",
}


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str]] = []
        self.text: list[str] = []
        self.styles: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes += [(name, value or "") for name, value in attrs]
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        (self.styles if self._in_style else self.text).append(data)


def _parse(page: str) -> _Collector:
    collector = _Collector()
    collector.feed(page)
    collector.close()
    return collector


def _assert_self_contained(page: str) -> _Collector:
    parsed = _parse(page)
    assert "script" not in parsed.tags
    assert not [tag for tag in parsed.tags if tag in {"img", "link", "iframe", "object", "embed", "base", "a"}]
    for name, value in parsed.attributes:
        assert not name.startswith("on"), f"event handler attribute {name}"
        if name in _URL_ATTRIBUTES:
            pytest.fail(f"{name}={value!r} points somewhere")
        if name == "style":
            assert "url(" not in value
    for style in parsed.styles:
        assert "url(" not in style and "@import" not in style
    return parsed


@pytest.fixture(scope="module")
def summary_page(demo_summary: VisitSummary) -> str:
    return render_html(demo_summary)


def test_summary_html_has_no_script_and_no_external_url(summary_page: str) -> None:
    _assert_self_contained(summary_page)


def test_a_note_holding_a_script_tag_is_shown_as_text(summary_page: str) -> None:
    parsed = _parse(summary_page)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in summary_page
    assert any(SCRIPT in chunk for chunk in parsed.text)
    assert summary_page.count("<script") == 0


def test_summary_html_draws_the_trend_as_inline_svg(summary_page: str, demo_summary: VisitSummary) -> None:
    parsed = _parse(summary_page)
    assert "svg" in parsed.tags
    # One point per week for pain, swelling and stiffness.
    assert parsed.tags.count("circle") == 3 * len(demo_summary.trend)


def test_summary_html_has_a_print_stylesheet_and_forbids_requests(summary_page: str) -> None:
    assert "@media print" in summary_page
    assert "default-src 'none'" in summary_page


def test_emergency_card_html_is_self_contained_and_shows_the_last_dose(demo_emergency: EmergencyList) -> None:
    page = render_card_html(demo_emergency)
    parsed = _assert_self_contained(page)
    text = " ".join(parsed.text)
    assert "2026-11-25 08:07 CET" in text
    for name in ("anakinra", "Methotrexate", "Vitamin D3", "Echinacea"):
        assert name in text
    assert parsed.tags.count("svg") == 2  # the page's QR code and the wallet card's


def test_wallet_card_alone_is_self_contained(demo_emergency: EmergencyList) -> None:
    page = render_card_html(demo_emergency, wallet_only=True)
    parsed = _assert_self_contained(page)
    assert "Ana Example" in " ".join(parsed.text)
    assert parsed.tags.count("svg") == 1


def test_a_name_cannot_break_out_of_the_print_footer(demo_summary: VisitSummary) -> None:
    name = '"; } body { display: none } </style><script>alert(1)</script>'
    patient = replace(demo_summary.patient, name=name)
    page = render_html(replace(demo_summary, patient=patient))
    parsed = _assert_self_contained(page)
    assert parsed.tags.count("style") == 1
    style = "".join(parsed.styles)
    assert "</style" not in style and "display: none" not in style
    assert "@bottom-left" in style and "counter(pages)" in style

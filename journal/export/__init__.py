"""Renderers of the visit summary and the emergency list, one module per format."""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING

from journal.dataclass import dataclass

if TYPE_CHECKING:
    # Only for the type: every command imports journal.export._escape.
    from journal.summary.model import VisitSummary


@dataclass(frozen=True)
class Format:
    """One export format: its renderer (module and function, imported on use) and file details."""

    name: str
    label: str
    module: str
    function: str
    suffix: str
    binary: bool
    # Other endings a file of this format may have ("notes.txt" for Markdown).
    also: tuple[str, ...] = ()
    # A page for a browser or a printer: never poured into a terminal.
    for_a_file: bool = False

    def accepts(self, path: Path) -> bool:
        """Whether a file named `path` may hold this format: its ending is this format's, or it has none."""
        name = path.name.lower()
        return not path.suffix or any(name.endswith(ending) for ending in (self.suffix, *self.also))

    def renderer(self) -> Callable[[VisitSummary], str | bytes]:
        """The render function (its module is imported only now: PDF and FHIR pull in libraries)."""
        function: Callable[[VisitSummary], str | bytes] = getattr(import_module(self.module), self.function)
        return function

    def render(self, data: VisitSummary) -> bytes:
        """The file's bytes (text formats as UTF-8)."""
        return self.encode(self.renderer()(data))

    @staticmethod
    def encode(result: str | bytes) -> bytes:
        """A renderer's result as the file's bytes (text formats as UTF-8)."""
        return result if isinstance(result, bytes) else result.encode("utf-8")


def missing_glyphs_warning(content: bytes) -> str | None:
    """One line naming the characters a PDF shows as a placeholder (no glyph in its font), or None."""
    missing: tuple[str, ...] = getattr(content, "missing", ())  # set on a PDF by journal.export._canvas
    if not missing:
        return None
    listed = ", ".join(f"{c!r} (U+{ord(c):04X})" for c in missing)
    return f"the PDF font has no glyph for {listed}; the PDF shows \ufffd in its place"


def format_for_file(path: Path, formats: dict[str, Format]) -> Format | None:
    """The format a file's name asks for (`visit.pdf`: PDF), or None when its ending names none."""
    name = path.name.lower()
    found = [f for f in formats.values() if path.suffix and any(name.endswith(e) for e in (f.suffix, *f.also))]
    # The longest ending wins: "list.fhir.json" is FHIR even if another format takes ".json".
    return max(found, key=lambda f: max(len(e) for e in (f.suffix, *f.also) if name.endswith(e)), default=None)


SUMMARY_FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format(
            "markdown", "Markdown", "journal.export.markdown", "render_markdown", ".md", False, (".markdown", ".txt")
        ),
        Format("html", "HTML page", "journal.export.html", "render_html", ".html", False, (".htm",), for_a_file=True),
        Format("pdf", "PDF", "journal.export.pdf", "render_pdf", ".pdf", True),
        Format("fhir", "FHIR R4 bundle (JSON)", "journal.export.fhir", "render_fhir", ".fhir.json", False, (".json",)),
        Format("csv", "CSV files (zip)", "journal.export.csvzip", "render_csv_zip", ".zip", True),
        Format("ics", "Calendar (iCalendar)", "journal.export.ics", "render_ics", ".ics", False),
    )
}

"""The emergency list as plain text, Markdown and JSON, all from one EmergencyList."""

from __future__ import annotations

from collections.abc import Callable

from journal.export._escape import markdown, plain
from journal.summary.emergency import EmergencyList, EmergencyMedicine, StoppedMedicine

TITLE = "Emergency medication list"
NO_ALLERGIES = "No allergies recorded"
NO_CONDITIONS = "No conditions recorded"
NO_MEDICINES = "No medicines recorded"
DAMAGED = "Left out: records that cannot be read (run `medjournal check`)"


def _head(med: EmergencyMedicine | StoppedMedicine, esc: Callable[[str], str]) -> str:
    """'prednisolone 5 mg (Brand)': a medicine's name, strength and brand as the list's lines begin."""
    head = esc(med.name) + (f" {esc(med.strength)}" if med.strength else "")
    if med.brand and med.brand.casefold() != med.name.casefold():
        head += f" ({esc(med.brand)})"
    return head


def _medicine_line(med: EmergencyMedicine, esc: Callable[[str], str]) -> str:
    parts = [_head(med, esc), med.kind]
    if med.route:
        parts.append(esc(med.route))
    if med.directions:
        parts.append(esc(med.directions))
    if med.reason:
        parts.append("for " + esc(med.reason))
    line = " - ".join(parts)
    if med.tracked:
        line += " - last dose: " + (med.last_dose_local or "none recorded")
        if med.last_dose_local and med.last_dose_site:
            line += f" ({esc(med.last_dose_site)})"
    return line


SERIOUS_EFFECTS = "Serious side effects still open"


def stopped_heading(data: EmergencyList) -> str:
    """The heading of the medicines stopped lately, with the journal's setting for how lately."""
    return f"Stopped in the last {data.stopped_days} days"


def stopped_line(med: StoppedMedicine, esc: Callable[[str], str]) -> str:
    """'prednisolone 5 mg - prescription - stopped 2026-11-30'."""
    return f"{_head(med, esc)} - {med.kind} - stopped {med.stopped}"


def later_sections(data: EmergencyList, esc: Callable[[str], str]) -> list[tuple[str, list[str]]]:
    """The sections after the medicines, when they hold anything: those stopped lately, the
    serious side effects still open."""
    found = []
    if data.recently_stopped:
        found.append((stopped_heading(data), [stopped_line(med, esc) for med in data.recently_stopped]))
    if data.serious_effects:
        found.append((SERIOUS_EFFECTS, [esc(effect) for effect in data.serious_effects]))
    return found


def sections(data: EmergencyList, esc: Callable[[str], str]) -> list[tuple[str, list[str]]]:
    """The list's sections as (heading, lines), user text passed through `esc`."""

    def value(text: str | None) -> str:
        return esc(text) if text else "not recorded"

    person = [
        f"Name: {value(data.name)}",
        f"Born: {data.born or 'not recorded'}",
        f"Emergency contact: {value(data.emergency_contact)}",
        f"Doctor: {value(data.doctor)}",
        f"Pharmacy: {value(data.pharmacy)}",
    ]
    if data.notes:
        person.append(f"Notes: {esc(data.notes)}")
    allergies = [esc(a.substance) + (f" ({esc(a.reaction)})" if a.reaction else "") for a in data.allergies] or [
        NO_ALLERGIES
    ]
    conditions = [esc(c) for c in data.conditions] or [NO_CONDITIONS]
    medicines = [_medicine_line(med, esc) for med in data.medicines] or [NO_MEDICINES]
    result = [
        ("Patient", person),
        ("Allergies", allergies),
        ("Conditions", conditions),
        ("Medicines, vitamins and supplements", medicines),
    ]
    result += later_sections(data, esc)
    if data.warnings:
        result.append(("Important", [esc(w) for w in data.warnings]))
    if data.damaged:
        result.append((DAMAGED, [esc(d) for d in data.damaged]))
    return result


def footer_lines(data: EmergencyList) -> list[str]:
    """When the list was updated and printed, the disclaimer and the source: the foot of every format."""
    updated = data.last_updated_local or "never"
    return [f"Journal last updated {updated}; list printed {data.generated_local}.", data.disclaimer, data.source]


def render_text(data: EmergencyList) -> str:
    """Plain text for a terminal, a note or an SMS."""
    lines = [TITLE.upper(), ""]
    for heading, items in sections(data, plain):
        lines.append(heading.upper())
        lines.extend(f"  {item}" for item in items)
        lines.append("")
    lines.extend(footer_lines(data))
    return "\n".join(lines) + "\n"


def render_markdown(data: EmergencyList) -> str:
    """Markdown, with every piece of user text escaped."""
    lines = [f"# {TITLE}", ""]
    for heading, items in sections(data, markdown):
        lines.append(f"## {heading}")
        lines.append("")
        lines.extend(f"- {item}" for item in items)
        lines.append("")
    lines.append("\n\n".join(f"_{line}_" for line in footer_lines(data)))
    return "\n".join(lines) + "\n"


# Direction controls can only stand inside JSON strings: written as \uXXXX escapes, a program
# still reads the text as typed, and a terminal or viewer showing the file obeys none of them.
_DIRECTION_CONTROLS = {code: f"\\u{code:04x}" for code in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}


def render_json(data: EmergencyList) -> str:
    """JSON for scripts and other programs."""
    return data.to_json().translate(_DIRECTION_CONTROLS) + "\n"

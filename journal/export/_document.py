"""The visit summary laid out once as titled sections of paragraphs, lists and tables.

Markdown, HTML and PDF all render this layout, so they show the same sections, rows and
figures. Every string here is plain, unescaped text: each renderer escapes it for its format.
"""

from __future__ import annotations

from dataclasses import field
from datetime import date

from journal.care.labs import range_text
from journal.dataclass import dataclass
from journal.models import format_number
from journal.summary.model import (
    AdherenceEntry,
    EffectEntry,
    LabEntry,
    MedicineEntry,
    VisitSummary,
    WeekTrend,
)

TITLE = "Visit summary"


@dataclass
class Table:
    """Rows of plain text under a header row."""

    headers: list[str]
    rows: list[list[str]]


@dataclass
class Chart:
    """The weekly check-in trend, drawn by each format in its own way."""

    weeks: list[WeekTrend]


Block = str | list[str] | Table | Chart


@dataclass
class Section:
    """A titled part of the document: paragraphs (str), bullet lists (list), tables and charts."""

    title: str
    blocks: list[Block] = field(default_factory=list)


@dataclass
class Document:
    """The whole summary as a title, a few header lines, the sections and a footer."""

    title: str
    header: list[tuple[str, str]]
    sections: list[Section]
    footer: list[str]
    period: str
    generated: str


def number(value: float | None, unit: str = "") -> str:
    """'4.5', '4' for whole numbers, '-' for nothing."""
    if value is None:
        return "-"
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return f"{text}{unit}"


def drift_text(minutes: float | None) -> str:
    """'+11 min (later)', '-5 min (earlier)', 'on time'."""
    if minutes is None:
        return "-"
    if minutes == 0:
        return "on time"
    return f"{minutes:+.0f} min ({'later' if minutes > 0 else 'earlier'})"


def medicine_notes(med: MedicineEntry) -> str:
    """Tracked time and warnings of a medicine, in one cell."""
    parts = []
    if med.tracked:
        parts.append(f"logged daily, usual time {med.usual_time}" if med.usual_time else "logged daily")
    if med.route:
        parts.append(med.route)
    parts.extend(med.flags)
    return "; ".join(parts)


def adherence_rows(entries: list[AdherenceEntry]) -> Table:
    """One row per medicine on a schedule: its schedule, scheduled doses taken, skipped, missed, extra, timing."""
    return Table(
        [
            "Medicine",
            "Schedule",
            "Doses expected",
            "Taken",
            "Skipped",
            "Missed",
            "Extra",
            "Taken share",
            "Median drift",
            "Largest drift",
            "Last dose",
        ],
        [
            [
                a.medicine,
                (a.schedule or a.usual_time) + (f" ({a.usual_time_note})" if a.usual_time_note else ""),
                str(a.days_expected),
                str(a.taken),
                str(a.skipped),
                str(a.missed),
                str(a.extra),
                number(a.percent, "%"),
                drift_text(a.drift_median_minutes),
                drift_text(a.drift_largest_minutes),
                a.last_dose_local or "none recorded",
            ]
            for a in entries
        ],
    )


def day_ranges(days: list[date]) -> str:
    """Dates as runs: '2026-01-03 to 2026-01-05, 2026-02-10' ('none' for no date)."""
    runs: list[list[date]] = []
    for day in sorted(days):
        if runs and (day - runs[-1][1]).days == 1:
            runs[-1][1] = day
        else:
            runs.append([day, day])
    return ", ".join(a.isoformat() if a == b else f"{a.isoformat()} to {b.isoformat()}" for a, b in runs) or "none"


def important_effect(e: EffectEntry) -> str:
    """An effect for the Important box, its tier and severity as recorded, and whether the doctor knows."""
    recorded = ", ".join(p for p in (e.tier.value, e.severity.value if e.severity else None) if p)
    state = "ongoing" if e.open else "resolved"
    contacted = (
        f"doctor contacted {e.doctor_contacted_local}" if e.doctor_contacted_local else "doctor not contacted yet"
    )
    text = f"{e.symptom} (recorded as {recorded}; {state} since {e.started_local}; {contacted})"
    return f"{text}: {e.advice}" if e.advice else f"{text}."


def effect_row(e: EffectEntry) -> list[str]:
    """A side effect as one table row; the note column holds only what the patient wrote."""
    lasted = f"ongoing, {number(e.duration_days)} days so far" if e.open else f"{number(e.duration_days)} days"
    note = e.note or ""
    return [
        e.symptom,
        e.tier.value,
        e.severity.value if e.severity else "-",
        e.started_local,
        e.resolved_local or "not resolved",
        lasted,
        e.doctor_contacted_local or "no",
        note,
    ]


def lab_row(e: LabEntry) -> list[str]:
    """A lab test's latest result as one table row."""

    def shown(value: float, unit: str | None) -> str:
        return format_number(value) + (f" {unit}" if unit else "")

    latest = shown(e.value, e.unit) + (f" ({e.out_of_range})" if e.out_of_range else "")
    previous = (
        f"{shown(e.previous_value, e.previous_unit)} on {e.previous_local}" if e.previous_value is not None else "-"
    )
    return [
        e.test,
        latest,
        range_text(e.range_low, e.range_high) or "-",
        e.at_local,
        previous,
        e.trend or "-",
        str(e.in_period),
        e.note or "",
    ]


def layout(data: VisitSummary) -> Document:
    """The visit summary as sections; the same for every document format."""
    p = data.patient
    header = [
        ("Patient", p.name or "name not recorded"),
        ("Born", p.born.isoformat() if p.born else "not recorded"),
        ("Doctor", p.doctor or "not recorded"),
        ("Period", data.period.text),
        ("Generated", data.generated_local),
    ]
    sections: list[Section] = []

    important: list[str] = [src.key_warning for src in data.sources]
    important += [important_effect(e) for e in data.side_effects if e.important]
    if important:
        sections.append(Section("Important", [important]))

    meds = Section("Current medicines")
    if data.medicines:
        meds.blocks.append(
            Table(
                ["Medicine", "Kind", "Strength", "Directions", "Reason", "Notes"],
                [
                    [
                        m.name + (f" ({m.brand})" if m.brand else ""),
                        m.kind.value,
                        m.strength or "-",
                        m.directions or "-",
                        m.reason or "-",
                        medicine_notes(m),
                    ]
                    for m in data.medicines
                ],
            )
        )
    else:
        meds.blocks.append("No medicines recorded.")
    if data.changes:
        meds.blocks.append("Changes in this period:")
        meds.blocks.append(
            [f"{c.on.isoformat()}: {c.name} {c.change}" + (f" ({c.detail})" if c.detail else "") for c in data.changes]
        )
    else:
        meds.blocks.append("No medicine was started, stopped or changed in this period.")
    sections.append(meds)

    sections.append(
        Section(
            "Allergies",
            [
                [
                    a.substance + (f" ({a.reaction})" if a.reaction else "") + "".join(f" - {f}" for f in a.flags)
                    for a in data.allergies
                ]
                if data.allergies
                else "No allergies recorded."
            ],
        )
    )
    sections.append(
        Section(
            "Conditions",
            [
                [
                    c.name
                    + (f" (since {c.since.isoformat()})" if c.since else "")
                    + "".join(f" - {f}" for f in c.flags)
                    for c in data.conditions
                ]
                if data.conditions
                else "No conditions recorded."
            ],
        )
    )
    sections.append(
        Section(
            "Interactions and precautions",
            [
                [w.text for w in data.warnings]
                if data.warnings
                else "None of the recorded medicines, allergies, conditions or appointments raises a warning."
            ],
        )
    )

    adherence = Section("Scheduled doses")
    if data.adherence:
        scheduled = [a for a in data.adherence if not a.as_needed]
        if scheduled:
            adherence.blocks.append(adherence_rows(scheduled))
        for a in data.adherence:
            if a.as_needed:  # no time to keep: its uses and any limit broken, never a missed dose
                adherence.blocks.append(f"{a.as_needed_text()}.")
                continue
            if a.as_needed_per_week is not None:
                adherence.blocks.append(f"{a.medicine}: taken as needed, about {number(a.as_needed_per_week)} a week.")
            missed = day_ranges(a.missed_dates)
            gap = f"; longest time between two doses {number(a.longest_gap_hours)} hours" if a.longest_gap_hours else ""
            extra = f"; {a.extra} extra dose(s) beyond the schedule" if a.extra else ""
            adherence.blocks.append(f"{a.medicine}: missed days {missed}{gap}{extra}.")
    else:
        adherence.blocks.append("No medicine is on a schedule.")
    sections.append(adherence)

    discarded = Section("Discarded syringes")
    if data.discarded:
        discarded.blocks.append(
            Table(
                ["When", "Medicine", "Looked", "Why"],
                [[d.at_local, d.medicine, d.appearance.value, d.reason] for d in data.discarded],
            )
        )
    else:
        discarded.blocks.append("No syringe was discarded in this period.")
    sections.append(discarded)

    rotation = Section("Injection sites")
    for r in data.sites:
        if r.regions:
            rotation.blocks.append(
                Table([f"{r.medicine}: region", "Doses"], [[u.label, str(u.doses)] for u in r.regions])
            )
        if r.without_site:
            rotation.blocks.append(f"{r.without_site} doses have no site recorded.")
        if r.repeats:
            rotation.blocks.append(f"Doses closer than {number(r.spacing_cm)} cm to the one before:")
            rotation.blocks.append(
                Table(
                    ["When", "Site", "Previous dose", "Previous site", "Distance"],
                    [
                        [x.at_local, x.site, x.previous_local, x.previous_site, number(x.distance_cm, " cm")]
                        for x in r.repeats
                    ],
                )
            )
        else:
            rotation.blocks.append(f"No dose was closer than {number(r.spacing_cm)} cm to the one before.")
    if not rotation.blocks:
        rotation.blocks.append("No injection sites recorded.")
    sections.append(rotation)

    effects = Section("Side effects (serious first)")
    if data.side_effects:
        effects.blocks.append(
            Table(
                ["Symptom", "Tier", "Severity", "Started", "Resolved", "Lasted", "Doctor contacted", "Note"],
                [effect_row(e) for e in data.side_effects],
            )
        )
    else:
        effects.blocks.append("No side effects recorded in this period.")
    sections.append(effects)

    by_month = bool(data.trend_months)
    trend = Section(f"How the treatment is working ({'monthly' if by_month else 'weekly'} check-in averages)")
    if data.trend:
        trend.blocks.append(Chart(data.trend))
    if by_month:
        trend.blocks.append(
            Table(
                ["Month", "Check-ins", "Pain (0-10)", "Swelling (0-10)", "Stiffness (min)"],
                [
                    [
                        m.month_start.strftime("%Y-%m"),
                        str(m.checkins),
                        number(m.pain),
                        number(m.swelling),
                        number(m.stiffness_minutes),
                    ]
                    for m in data.trend_months
                ],
            )
        )
    elif data.trend:
        trend.blocks.append(
            Table(
                ["Week of", "Check-ins", "Pain (0-10)", "Swelling (0-10)", "Stiffness (min)"],
                [
                    [
                        w.week_start.isoformat(),
                        str(w.checkins),
                        number(w.pain),
                        number(w.swelling),
                        number(w.stiffness_minutes),
                    ]
                    for w in data.trend
                ],
            )
        )
    else:
        trend.blocks.append("No check-ins recorded in this period.")
    sections.append(trend)

    results = Section("Lab results (latest of each test)")
    if data.labs:
        results.blocks.append(
            Table(
                ["Test", "Latest", "Reference range", "Taken", "Previous", "Trend", "In period", "Note"],
                [lab_row(entry) for entry in data.labs],
            )
        )
        results.blocks.append(
            "Trend: which way the latest value moved from the one before it (same unit); "
            "flags low or high against the range the lab gave."
        )
    else:
        results.blocks.append("No lab results recorded.")
    sections.append(results)

    appts = Section("Appointments and lab tests")
    for title, entries in (("In this period", data.past_appointments), ("Upcoming", data.upcoming_appointments)):
        if entries:
            appts.blocks.append(f"{title}:")
            appts.blocks.append(
                Table(
                    ["When", "Kind", "With", "Purpose", "Status", "Outcome or advice"],
                    [
                        [
                            a.at_local,
                            a.kind.value,
                            a.with_whom or "-",
                            a.purpose or "-",
                            a.status.value,
                            " ".join(p for p in (a.outcome, a.advice) if p) or "-",
                        ]
                        for a in entries
                    ],
                )
            )
        else:
            appts.blocks.append(f"{title}: none.")
    sections.append(appts)

    sections.append(
        Section(
            "Questions for the doctor",
            [
                [f"{qn.text} (noted {qn.asked_on.isoformat()})" for qn in data.questions]
                if data.questions
                else "No open questions."
            ],
        )
    )

    footer = [f"Source: {src.citation}. {src.disclaimer}" for src in data.sources]
    footer.append(f"Made by medjournal on {data.generated_local} from the patient's own journal.")
    return Document(TITLE, header, sections, footer, data.period.text, data.generated_local)

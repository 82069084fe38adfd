"""`status`: Today in one line for a shell prompt, or as JSON."""

from __future__ import annotations

from journal.application.today import Today
from journal.care import alerts as al
from journal.care import regimen, schedule
from journal.when import iso_utc


def status_json(today: Today) -> dict[str, object]:
    """`status --json`: each medicine's state (taken, skipped, due, overdue, not_due, as_needed, paused), its dose
    amount as its schedule step says it, the dose that matters (`due_at`), the next one after now (`next_at`), and
    the open alerts."""
    medicines = []
    for med in today.medicines:
        upcoming = med.next_at if med.state == regimen.State.NOT_DUE.value else med.due_at
        if med.state in (regimen.State.AS_NEEDED.value, regimen.State.PAUSED.value):
            upcoming = None
        # The next scheduled dose after now (the one due later today, or the one after the dose that matters).
        following = med.due_at if med.state == regimen.State.DUE.value else med.next_at
        if med.state in (regimen.State.AS_NEEDED.value, regimen.State.PAUSED.value):
            following = None
        medicines.append(
            {
                "name": med.name,
                "state": med.state,
                "schedule": med.schedule_text,
                "dose": med.amount,
                "due_at": iso_utc(upcoming) if upcoming else None,
                "next_at": iso_utc(following) if following else None,
                "taken_at": iso_utc(med.taken_at) if med.taken_at else None,
                # A weekly split dose: the part due ('dose 2 of 3'); null for any other schedule.
                "part": med.part if upcoming else None,
            }
        )
    alerts = [
        {"level": a.level.value, "kind": a.kind.value, "title": a.title, "needs_attention": a.needs_attention}
        for a in today.alerts
    ]
    return {"medicines": medicines, "alerts": alerts, "needs_attention": today.needs_attention}


def status_line(today: Today) -> str:
    """One line for a shell prompt or status bar: next dose, syringes left, open alerts."""
    parts: list[str] = []
    for med in today.medicines:
        name = f"{med.name} {med.amount}" if med.amount else med.name
        if med.state == regimen.State.PAUSED:
            dose = f"{med.name} PAUSED since {med.paused_since_local} (ask your doctor before the next dose)"
        elif med.state == regimen.State.AS_NEEDED:
            dose = f"{med.name} as needed" + (f", last {med.taken_local}" if med.taken_local else "")
            dose += f", next from {med.allowed_from_local}" if med.allowed_from_local else ""
        elif med.taken_at is not None:
            dose = f"{name} taken {med.taken_local}"
        elif med.state == regimen.State.NOT_DUE and not med.starts_on:
            missed = f", missed {med.missed_local}" if med.missed_local else ""
            part = f" ({med.part})" if med.part and med.next_local else ""
            dose = f"{name} next {med.next_local or 'not scheduled'}{part}{missed}"
        elif med.skipped:
            dose = f"{name} skipped today"
        elif med.starts_on:
            dose = f"{name} starts {med.starts_on.isoformat()}"
        else:
            default = "default time, " if med.usual_time_source is schedule.TimeSource.DEFAULT else ""
            part = f", {med.part}" if med.part else ""
            if med.overdue_by_minutes is not None:
                late = al.duration_text(med.overdue_by_minutes)
                dose = f"{name} OVERDUE {late} (due {med.due_local}{part}{', default time' if default else ''})"
            else:
                dose = f"{name} due {med.due_local} ({default}in {al.duration_text(med.due_in_minutes or 0)}{part})"
        parts.append(dose)
        if med.syringes_left is not None:
            unit = med.unit if med.syringes_left == 1 else f"{med.unit}s"
            parts.append(f"{med.syringes_left} {unit}")
    shown = [a for a in today.alerts if a.needs_attention and a.kind is not al.AlertKind.DOSE]
    for alert in shown[:2]:
        prefix = "ALERT: " if alert.level is al.AlertLevel.URGENT else ""
        parts.append(prefix + alert.title)
    if len(shown) > 2:
        parts.append(f"+{len(shown) - 2} more")
    if not parts:
        return "medjournal: nothing tracked yet"
    return " | ".join(parts)

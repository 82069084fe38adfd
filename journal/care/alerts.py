"""Open alerts: what needs attention now, from side effects, doses, supply and standing warnings."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from enum import StrEnum

from journal import models as m
from journal.care.schedule import DayStatus
from journal.care.supply import SupplyStatus, reorder_words
from journal.care.triage import (
    CALL_IF_UNUSUAL,
    CALL_NOW,
    EMERGENCY,
    TELL_DOCTOR,
    Action,
    advice_for_action,
    current_action,
    lingering_days,
    says_severe,
)
from journal.care.warnings import CareWarning
from journal.content import Pack
from journal.dataclass import dataclass

STAYS_OPEN = "The alert stays until it is marked resolved or the doctor contacted."


class AlertLevel(StrEnum):
    """How urgent an alert is; `urgent` and `attention` make `status` exit 3."""

    URGENT = "urgent"
    ATTENTION = "attention"
    NOTICE = "notice"


class AlertKind(StrEnum):
    """What an alert is about."""

    SIDE_EFFECT = "side-effect"
    DOSE = "dose"
    LIMIT = "limit"
    SUPPLY = "supply"
    EXPIRY = "expiry"
    WARNING = "warning"


class AlertAction(StrEnum):
    """What the person does about an alert, which each front end says in its own words."""

    CLOSE = "close"  # mark the side effect resolved, or the doctor contacted
    RECORD_BOX = "record-box"  # record a box of the medicine


_LEVEL_RANK = {AlertLevel.URGENT: 0, AlertLevel.ATTENTION: 1, AlertLevel.NOTICE: 2}


@dataclass(kw_only=True)
class Alert:
    """One open alert: a short title (for a status bar) and the full advice."""

    level: AlertLevel
    kind: AlertKind
    title: str
    text: str
    record_id: str | None = None
    medication_id: str | None = None
    since: datetime | None = None
    action: AlertAction | None = None

    @property
    def needs_attention(self) -> bool:
        """Whether this alert should make `status` exit 3."""
        return self.level is not AlertLevel.NOTICE


def side_effect_alerts(effects: Iterable[m.SideEffect], packs: Sequence[Pack], *, now: datetime) -> list[Alert]:
    """Every open side effect: emergency and serious (urgent), severe, lasting or unlisted (attention), until closed."""
    alerts: list[Alert] = []
    for effect in effects:
        action = current_action(effect, now=now, lingering=lingering_days(packs, effect.symptom_key), packs=packs)
        if action is None or action is Action.WATCH:
            continue
        advice = advice_for_action(packs, effect.symptom_key, action)
        close: AlertAction | None = AlertAction.CLOSE
        if action in (Action.EMERGENCY, Action.CALL_NOW):
            level, said = AlertLevel.URGENT, EMERGENCY if action is Action.EMERGENCY else CALL_NOW
            text = f"{effect.describe()}: {advice} {STAYS_OPEN}"
        elif action is Action.TELL_DOCTOR:
            if effect.severity is m.Severity.SEVERE:
                why = "it is severe"
            elif says_severe(effect.symptom):
                why = "you described it as severe or lasting"
            else:
                days = lingering_days(packs, effect.symptom_key)
                why = f"it is still open after {days} days (a journal setting) and may not be going away"
            level, said, close = AlertLevel.ATTENTION, TELL_DOCTOR, None
            text = f"{effect.describe()}: {TELL_DOCTOR}, {why}."
        else:
            level, said = AlertLevel.ATTENTION, CALL_IF_UNUSUAL
            text = f"{effect.describe()}: not a side effect the guide lists. {advice} {STAYS_OPEN}"
        alerts.append(
            Alert(
                level=level,
                kind=AlertKind.SIDE_EFFECT,
                title=f"{effect.symptom} - {said}",
                text=text,
                record_id=effect.id,
                since=effect.started_at,
                action=close,
            )
        )
    return alerts


def dose_alert(med: m.Medication, status: DayStatus) -> Alert | None:
    """An overdue dose of a tracked medicine."""
    if status.overdue_by is None:
        return None
    minutes = int(status.overdue_by.total_seconds() // 60)
    return Alert(
        level=AlertLevel.ATTENTION,
        kind=AlertKind.DOSE,
        title=f"{med.name} overdue {duration_text(minutes)}",
        text=f"Today's {med.name} dose was due {duration_text(minutes)} ago and is not recorded.",
        medication_id=med.id,
        since=status.due_at,
    )


def limit_alert(med: m.Medication, broken: Sequence[datetime], *, schedule: str, times: Sequence[str]) -> Alert | None:
    """As-needed doses taken today past the schedule's limits (recorded as extra doses): attention until the day
    ends. `times` are their local times, `schedule` the limits in words."""
    if not broken:
        return None
    count = len(broken)
    when = ", ".join(times)
    return Alert(
        level=AlertLevel.ATTENTION,
        kind=AlertKind.LIMIT,
        title=f"{med.name} above its limit today",
        text=(
            f"{count} {'dose' if count == 1 else 'doses'} of {med.name} today ({when}) went past its limits "
            f"({schedule}). If you need more than the prescription allows, tell your doctor."
        ),
        medication_id=med.id,
        since=broken[0],
    )


def supply_alerts(med: m.Medication, supply: SupplyStatus, *, unit: str = "syringe") -> list[Alert]:
    """Reorder date reached, expired boxes (attention), boxes expiring before use and missing boxes (notice)."""
    alerts: list[Alert] = []
    if supply.reorder_due:
        alerts.append(
            Alert(
                level=AlertLevel.ATTENTION,
                kind=AlertKind.SUPPLY,
                title=f"reorder {med.name}",
                text=(
                    f"{count(supply.usable, unit)} of {med.name} left ({count(supply.days_left, 'day')}; "
                    "the first day without "
                    f"is {supply.runs_out_on.isoformat()}): {reorder_words(supply.reorder_by, supply.today)}."
                ),
                medication_id=med.id,
            )
        )
    for box in supply.expired_boxes:
        lot = f" (lot {box.lot})" if box.lot else ""
        alerts.append(
            Alert(
                level=AlertLevel.ATTENTION,
                kind=AlertKind.EXPIRY,
                title=f"expired {med.name} box",
                text=(
                    f"A box of {med.name}{lot} expired on {box.expires}: do not use its "
                    f"{count(box.remaining, unit)}; ask your pharmacist."
                ),
                record_id=box.box_id,
                medication_id=med.id,
            )
        )
    for box in supply.expiring_boxes:
        lot = f" (lot {box.lot})" if box.lot else ""
        alerts.append(
            Alert(
                level=AlertLevel.NOTICE,
                kind=AlertKind.EXPIRY,
                title=f"{med.name} box expires {box.expires}",
                text=(
                    f"A box of {med.name}{lot} expires on {box.expires}, before its last {unit} would be used "
                    f"(about {box.outlasts_expiry_on}); do not use it after that date."
                ),
                record_id=box.box_id,
                medication_id=med.id,
            )
        )
    if supply.unaccounted:
        alerts.append(
            Alert(
                level=AlertLevel.NOTICE,
                kind=AlertKind.SUPPLY,
                title=f"{med.name} supply incomplete",
                text=(
                    f"{supply.unaccounted} {unit if supply.unaccounted == 1 else unit + 's'} of {med.name} "
                    "were used that no recorded box, unexpired on the day, held: record the missing box."
                ),
                medication_id=med.id,
                action=AlertAction.RECORD_BOX,
            )
        )
    return alerts


def warning_alerts(warnings: Iterable[CareWarning]) -> list[Alert]:
    """Standing interaction and precaution warnings, kept visible as notices."""
    return [
        Alert(
            level=AlertLevel.NOTICE,
            kind=AlertKind.WARNING,
            title=w.subject,
            text=w.text,
            record_id=w.record_id,
            medication_id=w.medication_id,
        )
        for w in warnings
    ]


def sort_alerts(alerts: Iterable[Alert]) -> list[Alert]:
    """Most urgent first; within a level, the newest first."""
    ordered = sorted(alerts, key=lambda a: -(a.since.timestamp()) if a.since else 0.0)
    return sorted(ordered, key=lambda a: _LEVEL_RANK[a.level])


def count(n: int, word: str) -> str:
    """'1 syringe', '6 syringes'."""
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def duration_text(minutes: int) -> str:
    """'45 min', '2h', '2h 30min', '3 days'."""
    minutes = max(minutes, 0)
    if minutes < 60:
        return f"{minutes} min"
    if minutes >= 48 * 60:
        return f"{minutes // 1440} days"
    hours, rest = divmod(minutes, 60)
    return f"{hours}h" + (f" {rest}min" if rest else "")

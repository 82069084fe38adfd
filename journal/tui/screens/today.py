"""Today, the home screen: each tracked medicine's status, supply, sites, alerts and the check-in trend."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import Sparkline, Static

from journal.tui.screens import SCREENS
from journal.tui.screens.base import JournalScreen, lit

_SCREEN_KEYS: list[BindingType] = [
    Binding(entry.key, f"app.open('{entry.name}')", entry.short or entry.title, tooltip=entry.title)
    for entry in SCREENS
    if entry.name != "welcome"
]


COMING_UP_DAYS = 30


def _alert_text(text: str) -> str:
    # Here, marking a side effect is one key away: say which.
    from journal.care.alerts import STAYS_OPEN

    return text + " (press s)" if text.endswith(STAYS_OPEN) else text


def _duration(minutes: int) -> str:
    from journal.care.alerts import duration_text

    return duration_text(minutes)


class TodayScreen(JournalScreen):
    """The home screen."""

    TITLE_TEXT = "Today"
    HELP_FILE = "today.md"
    BINDINGS: ClassVar[list[BindingType]] = [
        # First, so that it is never cut off the footer of a narrow terminal.
        Binding("e", "app.emergency", "Emergency"),
        *_SCREEN_KEYS,
        # F5 and F1 are in the footer already; these letters are shortcuts on Today.
        Binding("r", "refresh", "Refresh", show=False),
        Binding("question_mark", "app.help", "Help", key_display="?", show=False),
        Binding("w", "app.open('welcome')", "Set up", show=False),
        Binding("q", "app.quit", "Quit", show=False),
        Binding("escape", "back", "Close panel", show=False),
    ]

    def compose_body(self) -> Iterable[Widget]:
        """The banner, the medicines, the alerts and the trend; filled in by refresh_data."""
        yield Static("", id="danger-banner")
        yield VerticalScroll(
            Vertical(id="medicines"),
            Static(Text("Alerts", style="bold"), classes="section-title", id="alerts-title"),
            Vertical(id="alerts"),
            Static(Text("Coming up", style="bold"), classes="section-title"),
            Static("", id="coming-up", classes="hint"),
            Static(Text("How you feel (weekly average pain, 12 weeks)", style="bold"), classes="section-title"),
            Sparkline([], id="trend"),
            Static("", id="trend-text", classes="hint"),
            id="today-body",
        )

    def on_screen_resume(self) -> None:
        """Fill the screen when first shown, and again on coming back (showing what the CLI wrote)."""
        self.refresh_data()

    def action_refresh(self) -> None:
        """Read the journal again."""
        self.medapp.action_refresh_data()

    def action_back(self) -> None:
        """Escape on Today only closes the reference panel."""
        from journal.tui.widgets.reference import ReferencePanel

        panel = self.query_one(ReferencePanel)
        if panel.shown:
            panel.toggle(None)

    def refresh_data(self) -> None:
        """Rebuild the view from journal.overview."""
        from journal.care.alerts import AlertKind, AlertLevel
        from journal.errors import JournalError
        from journal.overview import build_today

        journal = self.journal
        try:
            today = build_today(journal.store, now=journal.now(), zone=journal.zone)
        except JournalError as exc:
            # A busy or damaged journal: say so and keep what the screen showed.
            self.notify(exc.message, severity="error", markup=False, timeout=10)
            return
        self.query_one(".screen-title", Static).update(Text(f"Today, {today.day.strftime('%A %d %B %Y')}"))

        urgent = [a for a in today.alerts if a.level is AlertLevel.URGENT]
        banner = self.query_one("#danger-banner", Static)
        if urgent:
            text = Text()
            for alert in urgent:
                text.append("⚠ " + alert.title.upper() + "\n")
            text.append("Press s to mark it resolved or the doctor contacted.")
            banner.update(text)
        banner.set_class(bool(urgent), "-shown")

        cards = self.query_one("#medicines", Vertical)
        cards.remove_children()
        if not today.medicines:
            cards.mount(
                Static(
                    Text("No medicine is tracked daily yet. Press w to set one up, or m for your medicines."),
                    classes="hint",
                )
            )
        for med in today.medicines:
            cards.mount(self._card(med))

        box = self.query_one("#alerts", Vertical)
        box.remove_children()
        shown = [a for a in today.alerts if a.kind is not AlertKind.DOSE or a.level is not AlertLevel.NOTICE]
        self.query_one("#alerts-title", Static).update(Text(f"Alerts ({len(shown)})", style="bold"))
        if not shown:
            box.mount(Static(Text("Nothing needs attention."), classes="hint"))
        for alert in shown:
            mark = {"urgent": "⚠ ", "attention": "! ", "notice": "· "}[alert.level.value]
            widget = Static(lit(mark + _alert_text(alert.text)), classes=f"alert -{alert.level.value}")
            box.mount(widget)

        self.query_one("#coming-up", Static).update(self._coming_up())

        pains = [w.pain for w in today.trend if w.pain is not None]
        self.query_one("#trend", Sparkline).data = pains
        if today.trend:
            last = today.trend[-1]
            parts = [f"{len(today.trend)} weeks with check-ins"]
            if last.pain is not None:
                parts.append(f"last week pain {last.pain:.1f}/10")
            if last.swelling is not None:
                parts.append(f"swelling {last.swelling:.1f}/10")
            if last.stiffness_minutes is not None:
                parts.append(f"stiffness {last.stiffness_minutes:.0f} min")
            trend = ", ".join(parts) + "."
        else:
            trend = "No check-ins yet: press c to record how you feel."
        self.query_one("#trend-text", Static).update(Text(trend))

    def _coming_up(self) -> Text:
        """Planned appointments and lab tests of the next weeks, and the questions waiting for them."""
        from datetime import timedelta

        from journal import models as m

        journal = self.journal
        now = journal.now()
        planned = [
            a
            for a in journal.store.between(m.Appointment, "at", now, now + timedelta(days=COMING_UP_DAYS))
            if a.status is m.ApptStatus.PLANNED
        ]
        lines = [
            lit(f"{journal.local(a.at, a.tz)}  {a.describe()}" + (f" - {a.purpose}" if a.purpose else ""))
            for a in planned
        ]
        questions = len(journal.store.open_questions())
        if questions:
            lines.append(lit(f"{questions} question{'s' if questions != 1 else ''} for the doctor (a to see them)"))
        if not lines:
            return Text(f"No appointment in the next {COMING_UP_DAYS} days.")
        return Text("\n").join(lines)

    def _card(self, med: object) -> Widget:
        from journal.overview import MedicineToday

        assert isinstance(med, MedicineToday)
        lines: list[Text] = []
        if med.taken_at is not None:
            status = Text.assemble(("✓ Taken at " + (med.taken_local or ""), "bold"), f" (due {med.due_local})")
            lines.append(status)
        elif med.skipped:
            lines.append(Text(f"Skipped today (due {med.due_local})"))
        elif med.overdue_by_minutes is not None:
            lines.append(
                Text(f"OVERDUE by {_duration(med.overdue_by_minutes)}: due at {med.due_local}. Press d to log it.")
            )
        else:
            lines.append(Text(f"Due at {med.due_local} (in {_duration(med.due_in_minutes or 0)}). Press d to log it."))
        site = Text()
        site.append("Last site: ")
        site.append(med.last_site_label or "none yet")
        site.append("   Next: ")
        site.append(med.suggested_label or med.suggestion_note or "any site")
        lines.append(site)
        if med.syringes_left is not None:
            unit = med.unit if med.syringes_left == 1 else f"{med.unit}s"
            supply = f"{med.syringes_left} {unit} left"
            if med.days_left is not None:
                supply += f" ({med.days_left} day{'' if med.days_left == 1 else 's'})"
            if med.reorder_by is not None:
                supply += f", reorder by {med.reorder_by.isoformat()}"
            if med.reorder_due:
                supply += "  REORDER NOW"
            lines.append(Text(supply))
        else:
            lines.append(Text("No box recorded yet: in Medicines (m), choose the medicine and press b."))
        card = Static(Text("\n").join(lines), classes="medicine-card")
        card.border_title = Text(med.name)
        if med.overdue_by_minutes is not None and med.taken_at is None:
            card.add_class("status-overdue")
        elif med.taken_at is not None:
            card.add_class("status-taken")
        return card

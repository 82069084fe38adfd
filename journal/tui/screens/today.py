"""Today, the home screen: each tracked medicine's status, supply, sites, alerts and the check-in trend."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Static

from journal.tui import messages
from journal.tui.screens import SCREENS
from journal.tui.screens.base import JournalScreen

if TYPE_CHECKING:
    from journal.application.today import Alert, MedicineToday, Today

_SCREEN_KEYS: list[BindingType] = [
    Binding(entry.key, f"app.open('{entry.name}')", entry.short or entry.title, tooltip=entry.title)
    for entry in SCREENS
    if entry.name != "welcome"
]


COMING_UP_DAYS = 30
TREND_TITLE = "How you feel (weekly average pain, 12 weeks)"
# A section's widget is muted (.hint); its title and what matters take theme colours, resolved
# when drawn (so the light theme gets its own). The colours mean the same everywhere on Today,
# and the words and marks beside them say it too, for people who do not see colour:
# act now (red, ⚠, OVERDUE, REORDER NOW), soon (amber, !), done (green, ✓); notices stay muted.
_TITLE_STYLE = "bold $foreground"
NOW_STYLE = "$text-error bold"
SOON_STYLE = "$text-warning"
DONE_STYLE = "$text-success"
NOTICE_STYLE = ""
_SPARK_STYLE = "$text-primary"
_MARK = {NOW_STYLE: "⚠ ", SOON_STYLE: "! ", NOTICE_STYLE: "· "}
# A medicine card's class for what to do: its left bar takes the colour (app.tcss).
_TONES = ("-now", "-soon", "-done")
# A standing warning once seen: its first words, cut here so that it stays on one line at 80 columns.
COLLAPSED_WIDTH = 72
# Eight heights of bar for pain 0 to 10; each week is a few columns wide so that it reads as a bar.
_BARS = "▁▂▃▄▅▆▇█"
_WEEK_WIDTH = 3


def sparkline(values: list[float], top: float = 10.0) -> str:
    """Weekly values as a line of bars, one group of columns a week (low pain, low bar)."""
    if not values:
        return ""
    steps = len(_BARS) - 1
    cells = (_BARS[round(min(max(v, 0.0), top) / top * steps)] * _WEEK_WIDTH for v in values)
    return " ".join(cells)


def _duration(minutes: int) -> str:
    from journal.application.today import duration_text

    return duration_text(minutes)


# How often Today is read again while on show (the journal's setting, see TodayScreen._clock).
CLOCK_SECONDS = 60.0


class TodayScreen(JournalScreen):
    """The home screen."""

    CSS_PATH = None  # app.tcss holds what Today needs
    TITLE_TEXT = "Today"
    HELP_FILE = "today.md"
    BINDINGS: ClassVar[list[BindingType]] = [
        # First, so that it is never cut off the footer of a narrow terminal.
        Binding("e", "app.emergency", "Emergency"),
        *_SCREEN_KEYS,
        # F5 and F1 are in the footer already; these letters are shortcuts on Today.
        Binding("r", "refresh", "Refresh", show=False),
        Binding("i", "toggle_warnings", "Warnings in full", show=False),
        Binding("question_mark", "app.help", "Help", key_display="?", show=False),
        Binding("w", "app.open('welcome')", "Set up", show=False),
        Binding("q", "app.quit", "Quit", show=False),
        Binding("escape", "back", "Close panel", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        # Set when compose has just read the journal: the first resume then need not read it again.
        self._fresh = False
        self._today: Today | None = None
        # Standing warnings shown in full once this session: one line each after that, unless `i`
        # expands them (the journal has no place to remember this across restarts).
        self._seen: set[str] = set()
        self._expanded = False

    def screen_title(self) -> Text:
        """`Today, Friday 20 November 2026`."""
        return Text(f"Today, {self.journal.today().strftime('%A %d %B %Y')}")

    def compose_main(self) -> ComposeResult:
        """The title (docked), the banner, a card per medicine and the sections.

        Few widgets and no container: the screen scrolls by itself, and every widget costs styling,
        layout and drawing before the first paint. The data is read here, so the first frame shows it.
        """
        today = self._today = self._read()
        self._fresh = today is not None
        yield Static(self.screen_title(), classes="screen-title", id="today-title")
        banner = Static(self._banner(today), id="danger-banner")
        banner.set_class(today is not None and self._banner_shown(today), "-shown")
        yield banner
        yield from self._cards(today)
        yield Static(self._sections(today), id="today-sections", classes="hint")

    def on_mount(self) -> None:
        """While on show, Today follows the clock."""
        self.set_interval(CLOCK_SECONDS, self._clock)

    def _clock(self) -> None:
        """Read the journal again each minute while on show: a dose due at 08:00 turns overdue at
        08:00, and the times left or late move on, without a key pressed."""
        if self.is_current:
            self.refresh_data()

    def on_screen_resume(self) -> None:
        """Read the journal again on coming back (showing what the CLI wrote); compose read it the first time."""
        if self._fresh:
            self._fresh = False
            return
        self.refresh_data()

    def action_refresh(self) -> None:
        """Read the journal again."""
        self.medapp.action_refresh_data()

    def action_back(self) -> None:
        """Escape on Today only closes the reference panel."""
        self.close_reference()

    def action_toggle_warnings(self) -> None:
        """Show the standing warnings in full, or one line each again."""
        self._expanded = not self._expanded
        self.query_one("#today-sections", Static).update(self._sections(self._today))

    def _read(self) -> Today | None:
        """Today from journal.application.today, or None (said in a notification) when the journal cannot be read."""
        from journal.application.today import build_today
        from journal.errors import JournalError

        journal = self.journal
        try:
            return build_today(journal.store, now=journal.now(), zone=journal.zone)
        except JournalError as exc:
            # A busy or damaged journal: say so and keep what the screen showed.
            from journal.visible import visible

            self.notify(visible(exc.message), severity="error", markup=False, timeout=10)
            return None

    def refresh_data(self) -> None:
        """Read the journal again and update every part of the screen."""
        today = self._read()
        if today is None:
            return
        self._today = today
        self.query_one("#today-title", Static).update(Text(f"Today, {today.day.strftime('%A %d %B %Y')}"))
        banner = self.query_one("#danger-banner", Static)
        banner.update(self._banner(today))
        banner.set_class(self._banner_shown(today), "-shown")
        sections = self.query_one("#today-sections", Static)
        cards = list(self.query(".medicine-card").results(Static))
        names = [med.name for med in today.medicines]
        if names and [card.name for card in cards] == names and len(self.query(".today-card")) == len(names):
            # The same medicines in the same order (the usual case, after a dose): the cards are redrawn
            # in place, which costs less than removing them and mounting new ones.
            for card, med in zip(cards, today.medicines, strict=True):
                content, tone = self._card_content(med)
                card.update(content)
                for name in _TONES:
                    card.set_class(name == tone, name)
        else:
            self.query(".today-card").remove()
            self.mount_all(self._cards(today), before=sections)
        sections.update(self._sections(today))

    def _sections(self, today: Today | None) -> Content:
        """What needs attention, what is coming up, the standing warnings and the check-in trend, in one widget."""
        if today is None:
            return Content("")
        pains, trend = self._trend(today)
        return Content.assemble(
            self._alerts(today),
            "\n\n",
            self._coming_up(),
            self._warnings(today),
            "\n\n",
            (TREND_TITLE, _TITLE_STYLE),
            "\n",
            (sparkline(pains), _SPARK_STYLE),
            "\n" if pains else "",
            trend,
            "\n\n",
            self._help_line(),
        )

    def _warnings(self, today: Today) -> Content:
        """The standing warnings (interactions, allergies, conditions): in full the first time this session,
        then one line each until `i` shows them in full again."""
        from journal.application.today import AlertKind

        standing = [a for a in today.alerts if a.kind is AlertKind.WARNING]
        if not standing:
            return Content("")
        folded = [a for a in standing if a.text in self._seen and not self._expanded]
        how = "i: one line each" if self._expanded else ("i: in full" if folded else "")
        title = f"Standing warnings ({len(standing)})" + (f" - {how}" if how else "")
        parts: list[str | tuple[str, str]] = ["\n\n", (title, _TITLE_STYLE)]
        for alert in standing:
            # Content parts are literal text: a medicine's name such as `[b]x[/]` stays as typed.
            parts += ["\n", "· " + (folded_line(alert.text) if alert in folded else alert.text)]
            self._seen.add(alert.text)
        return Content.assemble(*parts)

    def _help_line(self) -> str:
        """What the journal is (and is not), where its facts come from, and where the help is."""
        pack = self.journal.main_pack()
        source = f" Source: {pack.source.citation}." if pack is not None else ""
        return f"This journal supports, and does not replace, your doctor's advice.{source} Press ? for help."

    @staticmethod
    def _urgent(today: Today) -> list[Alert]:
        from journal.application.today import AlertLevel

        return [a for a in today.alerts if a.level is AlertLevel.URGENT]

    def _banner_shown(self, today: Today) -> bool:
        return bool(self._urgent(today) or today.damage)

    def _banner(self, today: Today | None) -> Text:
        """The serious side effects and journal damage no one can miss (hidden when there are none)."""
        urgent = self._urgent(today) if today is not None else []
        text = Text()
        if today is not None and today.damage:
            text.append(f"⚠ THE JOURNAL IS DAMAGED: {messages.DAMAGED}.\n")
            for line in today.damage[:3]:
                text.append(f"  {line}\n")
            if len(today.damage) > 3:
                text.append(f"  and {len(today.damage) - 3} more\n")
        if not urgent:
            text.rstrip()
            return text
        for alert in urgent:
            text.append("⚠ " + alert.title.upper() + "\n")
        text.append("Press s to mark it resolved or the doctor contacted.")
        return text

    def _cards(self, today: Today | None) -> list[Widget]:
        if today is None:
            return []
        if not today.medicines:
            return [
                Static(
                    Text("No medicine is tracked daily yet. Press w to set one up, or m for your medicines."),
                    classes="hint today-card",
                )
            ]
        return [self._card(med) for med in today.medicines]

    @staticmethod
    def _alerts(today: Today | None) -> Content:
        """The title and one line per open alert, the most urgent first, coloured and marked by what to do.

        Doses are on the medicines' cards and the standing warnings in their own section below.
        """
        from journal.application.today import AlertKind

        alerts = today.alerts if today is not None else []
        shown = [a for a in alerts if a.kind not in (AlertKind.DOSE, AlertKind.WARNING)]
        parts: list[str | tuple[str, str]] = [(f"Needs attention ({len(shown)})", _TITLE_STYLE)]
        if not shown:
            parts += ["\n", ("✓ Nothing needs attention.", DONE_STYLE)]
        for alert in shown:
            style = alert_style(alert)
            # Content parts are literal text: a note such as `[bold]hi[/]` stays as typed.
            parts += ["\n", (_MARK[style] + messages.alert_text(alert), style)]
        return Content.assemble(*parts)

    @staticmethod
    def _trend(today: Today | None) -> tuple[list[float], str]:
        """The weekly pains for the sparkline and the sentence under it."""
        if today is None:
            return [], ""
        pains = [w.pain for w in today.trend if w.pain is not None]
        if today.trend:
            last = today.trend[-1]
            weeks = len(today.trend)
            parts = [f"{weeks} week{'' if weeks == 1 else 's'} with check-ins"]
            if last.pain is not None:
                parts.append(f"last week pain {last.pain:.1f}/10")
            if last.swelling is not None:
                parts.append(f"swelling {last.swelling:.1f}/10")
            if last.stiffness_minutes is not None:
                parts.append(f"stiffness {last.stiffness_minutes:.0f} min")
            return pains, ", ".join(parts) + "."
        return pains, "No check-ins yet: press c to record how you feel."

    def _coming_up(self) -> Content:
        """The title, the planned appointments and lab tests of the next weeks, and the questions waiting."""
        from datetime import timedelta

        from journal import models as m

        journal = self.journal
        now = journal.now()
        planned = [
            a
            for a in journal.store.between(m.Appointment, "at", now, now + timedelta(days=COMING_UP_DAYS))
            if a.status is m.ApptStatus.PLANNED
        ]
        from journal.application.packs import visit_reminders

        reminded = visit_reminders(journal.store, planned)
        lines = [
            f"{journal.local(a.at, a.tz)}  {a.describe()}"
            + (f" - {a.purpose}" if a.purpose else "")
            + (" (bring your medicine list)" if a.id in reminded else "")
            for a in planned
        ]
        questions = len(journal.store.open_questions())
        if questions:
            lines.append(f"{questions} question{'s' if questions != 1 else ''} for the doctor (a to see them)")
        if not lines:
            lines.append(f"No appointment in the next {COMING_UP_DAYS} days.")
        # Content parts are literal text: an appointment's purpose is never read as markup.
        return Content.assemble(("Coming up", _TITLE_STYLE), "\n", "\n".join(lines))

    def _card(self, med: MedicineToday) -> Widget:
        content, tone = self._card_content(med)
        return Static(content, classes=f"medicine-card today-card {tone}".rstrip(), name=med.name)

    def _card_content(self, med: MedicineToday) -> tuple[Content, str]:
        """A medicine's card: its name and state, the last and next site, the supply; and its tone (a class)."""
        status, style, tone = self._status(med)
        lines: list[Content] = [Content.assemble((med.name, "bold"), "  ", (status, style))]
        if med.injected and med.state != "paused":
            site = med.suggested_label or med.suggestion_note or "any site"
            lines.append(Content.assemble("Last site: ", med.last_site_label or "none yet", "   Next: ", site))
        if med.syringes_left is not None:
            unit = med.unit if med.syringes_left == 1 else f"{med.unit}s"
            supply = f"{med.syringes_left} {unit} left"
            if med.days_left is not None:
                supply += f" ({med.days_left} day{'' if med.days_left == 1 else 's'})"
            if med.reorder_by is not None and not med.reorder_due:
                # Once due, the badge says so and Needs attention gives the date: no "by" a day gone.
                supply += f", reorder by {med.reorder_by.isoformat()}"
            if med.reorder_due:
                tone = "-now"
                lines.append(Content.assemble(supply, "  ", ("⚠ REORDER NOW", NOW_STYLE)))
            else:
                lines.append(Content(supply))
        elif med.injected:
            lines.append(Content("No box recorded yet: in Medicines (m), choose the medicine and press b."))
        return Content("\n").join(lines), tone

    @staticmethod
    def _status(med: MedicineToday) -> tuple[str, str, str]:
        """The medicine's state today in words, its style, and the card's class (-now, -soon, -done or none)."""
        if med.state == "paused":
            why = f" after {med.pause_reason}" if med.pause_reason else ""
            text = (
                f"⚠ PAUSED since {med.paused_since_local}{why}: nothing is due. Ask your doctor before the next "
                "dose; resume it in Medicines (m) once they say to go on."
            )
            return text, NOW_STYLE, "-now"
        if med.state == "as_needed":
            last = f"last taken {med.taken_local}" if med.taken_local else "none taken yet"
            allows = (
                f"its limits allow the next from {med.allowed_from_local}"
                if med.allowed_from_local
                else "one now is within its limits; press d to log it"
            )
            return f"{med.schedule_text[:1].upper()}{med.schedule_text[1:]}: {last}; {allows}.", NOTICE_STYLE, ""
        amount = f"{med.amount}: " if med.amount else ""
        if med.taken_at is not None:
            return f"✓ {amount}Taken at {med.taken_local or ''} (due {med.due_local})", DONE_STYLE, "-done"
        if med.state == "not_due" and not med.starts_on:
            missed = f" Missed: {med.missed_local}." if med.missed_local else ""
            part = f", {med.part}" if med.part and med.next_local else ""
            next_dose = (
                f"{med.next_local}{', ' + med.amount if med.amount else ''}" if med.next_local else "not scheduled"
            )
            text = f"Not due now; next: {next_dose}{part} ({med.schedule_text}).{missed}"
            return text, NOTICE_STYLE, ""
        if med.skipped:
            return f"{amount}Skipped today (due {med.due_local})", NOTICE_STYLE, ""
        if med.overdue_by_minutes is not None:
            part = f" ({med.part})" if med.part else ""
            text = (
                f"⚠ OVERDUE by {_duration(med.overdue_by_minutes)}: {amount}due at {med.due_local}{part}. "
                "Press d to log it."
            )
            return text, NOW_STYLE, "-now"
        part = f", {med.part}" if med.part else ""
        text = f"! {amount}Due at {med.due_local} (in {_duration(med.due_in_minutes or 0)}{part}). Press d to log it."
        return text, SOON_STYLE, "-soon"


def alert_style(alert: Alert) -> str:
    """What an alert asks: act now (serious side effects, the reorder date reached, an expired box), soon, or notice."""
    from journal.application.today import AlertKind, AlertLevel

    if alert.level is AlertLevel.URGENT:
        return NOW_STYLE
    if alert.level is AlertLevel.ATTENTION:
        return NOW_STYLE if alert.kind in (AlertKind.SUPPLY, AlertKind.EXPIRY) else SOON_STYLE
    return NOTICE_STYLE


def folded_line(text: str) -> str:
    """A standing warning on one line: what it is about (the words before its advice), cut with an ellipsis."""
    head = text.split(": ", 1)[0]
    return head if len(head) <= COLLAPSED_WIDTH else head[: COLLAPSED_WIDTH - 1].rstrip() + "…"

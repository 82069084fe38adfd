"""What every screen shares: the open journal, the clock, the time zone and the content packs."""

from __future__ import annotations

from dataclasses import field
from datetime import date, datetime

from journal import models as m
from journal.application.opening import Store
from journal.content import Pack, PackError, available_packs, load_pack
from journal.dataclass import dataclass
from journal.when import format_local, now_utc, parse_date, parse_when


@dataclass(eq=False)
class Journal:
    """The journal a TUI session works on; `fixed_now` freezes the clock (tests, snapshots)."""

    store: Store
    zone: str
    fixed_now: datetime | None = None
    _packs: dict[str, Pack | None] = field(default_factory=dict)

    def now(self) -> datetime:
        """The current moment (UTC), or the frozen one."""
        return self.fixed_now or now_utc()

    def today(self) -> date:
        """Today's date where the user is."""
        from zoneinfo import ZoneInfo

        return self.now().astimezone(ZoneInfo(self.zone)).date()

    def when(self, text: str, *, ahead: bool = False) -> datetime:
        """A typed time (08:30, yesterday 21:00, now), read in the user's zone; see journal.when.parse_when."""
        return parse_when(text or "now", now=self.now(), zone=self.zone, ahead=ahead)

    def day(self, text: str) -> date | None:
        """A typed date, or None when blank."""
        return parse_date(text, today=self.today()) if text.strip() else None

    def local(self, moment: datetime, zone: str | None = None) -> str:
        """`2026-11-20 08:00` in the zone given (default: the user's)."""
        return format_local(moment, zone or self.zone)

    def pack(self, key: str | None) -> Pack | None:
        """A content pack by key; None when absent or broken (the screens still work without it)."""
        if not key:
            return None
        if key not in self._packs:
            try:
                self._packs[key] = load_pack(key)
            except PackError:
                self._packs[key] = None
        return self._packs[key]

    def pack_keys(self) -> list[str]:
        """The content packs that ship with medjournal."""
        return available_packs()

    def tracked(self) -> list[m.Medication]:
        """The medicines whose daily doses are logged."""
        return self.store.tracked_medications(on=self.today())

    def main_pack(self) -> Pack | None:
        """The pack of the first tracked medicine, else of any medicine, else the first shipped one."""
        meds = self.store.medications(on=self.today())
        for med in sorted(meds, key=lambda med: not med.tracked):
            pack = self.pack(med.pack)
            if pack is not None:
                return pack
        keys = self.pack_keys()
        return self.pack(keys[0]) if keys else None

    def packs(self) -> list[Pack]:
        """The packs of the medicines on the list (for triage and warnings)."""
        found: list[Pack] = []
        for med in self.store.medications(on=self.today()):
            pack = self.pack(med.pack)
            if pack is not None and pack not in found:
                found.append(pack)
        return found

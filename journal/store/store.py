"""The journal store: the only code that reads and writes SQL.

Every write runs inside `BEGIN IMMEDIATE` (so a second writer waits at the start instead
of failing half-way) and appends a row to `history` with the record before and after.
Deleting a record only sets `deleted_at`.
"""

from __future__ import annotations

import contextlib
import sqlite3
import time
from bisect import bisect_left
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, date, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from journal import models as m
from journal.errors import JournalBusyError, JournalError, NotFoundError
from journal.store import connection, damage
from journal.when import iso_utc, now_utc

R = TypeVar("R", bound="m.Record")

# Busy waits happen inside SQLite (busy_timeout, 5 s); one more try covers a lock that is
# released just as the wait ends, and keeps a locked journal to about 10 s before the user hears.
WRITE_ATTEMPTS = 2

# A medicine stopped this many days ago or less is still on the emergency list, as stopped: a
# steroid or a biologic finished weeks ago matters at admission. The journal's setting.
STOPPED_SHOWN_DAYS = 90

# Transactions committed by this process, all stores together: an error that comes after a commit
# (the disk filling up while the confirmation is worked out) must not read as "nothing was saved".
COMMITS = [0]


def _enforce(record: m.Record, store: Store, *, now: datetime) -> None:
    from journal.store import rules  # with the content packs: not needed to read the emergency list

    rules.enforce(record, store, now=now)


# No zone is 15 hours from UTC: a moment more than that before a UTC midnight is before that
# local midnight in every zone, and one more than that after it is after it in every zone.
_ZONE_REACH = timedelta(hours=15)


def _day_window(day: date) -> tuple[str, str]:
    """The UTC moments between which the local day `day` may start, in some zone."""
    midnight = datetime.combine(day, datetime.min.time(), tzinfo=UTC)
    return iso_utc(midnight - _ZONE_REACH), iso_utc(midnight + _ZONE_REACH)


def _usable_window() -> tuple[str, str]:
    """SQL for `low` and `high` of a box: before `low` (UTC ISO text) every syringe used could come
    from it, from `high` on none, and between the two it depends on the local day; both NULL for a
    box with no expiry date that was never thrown away."""
    hours = int(_ZONE_REACH.total_seconds() // 3600)
    # The day after the expiry date starts, in some zone, from 15 hours before its UTC midnight (the
    # expiry day at 09:00 UTC) to 15 hours after it (text, not strftime: it is read for every box).
    starts = (f"expires || 'T{24 - hours:02d}:00:00Z'", f"date(expires, '+1 day') || 'T{hours:02d}:00:00Z'")
    # '~' sorts after every ISO time: "none" inside min().
    low, high = (f"nullif(min(coalesce({s}, '~'), coalesce(discarded_at, '~')), '~')" for s in starts)
    return low, high


def _today() -> date:
    """Today's date where this process is (its TZ): the day a medicine's stop date is compared with."""
    return datetime.now().astimezone().date()


def _active_day(on: date | None) -> date:
    return on if on is not None else _today()


def _day(at: str, tz: str) -> date:
    """The local day of a stored time; a damaged one (journal.store.damage names it) counts as no day at all."""
    try:
        return m.local_day(datetime.fromisoformat(at), tz)
    except damage.READ_ERRORS:
        return date.min


class Store:
    """One open journal."""

    def __init__(self, db: Any, path: Path | None) -> None:
        self.db = db
        self.path = path
        self._depth = 0
        # The id shared by every history row of the transaction under way (what `undo` takes back).
        self._batch: str | None = None
        self._no_wait = False  # see without_waiting
        # Records read so far whose stored values cannot be read, by (table, id): see journal.store.damage.
        self._damaged: dict[tuple[str, str], damage.DamagedRecord] = {}

    # --- opening -------------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        path: Path | str | None,
        *,
        create: bool = True,
        daily_backup: bool = True,
        checked: bool = False,
        writing: bool = True,
    ) -> Store:
        """Open the journal file at `path` (None: a private in-memory journal).

        `daily_backup=False` for a quick look that writes nothing (the emergency list): the
        day's automatic backup is then left to the next open that may write. `checked`: its
        integrity was checked just before (connection.check_file). `writing=False`: only reading,
        so a read-only journal is opened read-only instead of refused.
        """
        resolved = Path(path) if path is not None else None
        db = connection.connect(resolved, create=create, daily_backup=daily_backup, checked=checked, writing=writing)
        return cls(db, resolved)

    def daily_backup(self, *, now: datetime | None = None) -> Path | None:
        """Take today's automatic backup if it is due; the file, or None.

        For an app opened with `daily_backup=False` so that it shows its first screen at once:
        it calls this afterwards.
        """
        if self.path is None:
            return None
        from journal.store import backups

        return backups.daily(self.db, self.path, now=now)

    @classmethod
    def memory(cls) -> Store:
        """A fresh in-memory journal, for tests and previews."""
        return cls.open(None)

    def close(self) -> None:
        """Close the connection (checkpointing the WAL)."""
        self.db.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- the one write path ----------------------------------------------------------------

    @contextlib.contextmanager
    def without_waiting(self) -> Iterator[Store]:
        """Writes in this block fail at once with JournalBusyError when another program holds the journal.

        For a screen that must not freeze: it then waits for the lock on another thread, saying so.
        """
        conn = self.db.conn
        conn.execute("PRAGMA busy_timeout = 0")
        self._no_wait = True
        try:
            yield self
        finally:
            self._no_wait = False
            conn.execute(f"PRAGMA busy_timeout = {connection.BUSY_TIMEOUT_MS}")

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Store]:
        """Group writes into one `BEGIN IMMEDIATE` transaction; nested calls join the outer one."""
        if self._depth:
            self._depth += 1
            try:
                yield self
            finally:
                self._depth -= 1
            return
        conn = self.db.conn
        with connection.translate_errors(self.path):
            for attempt in range(WRITE_ATTEMPTS):
                try:
                    conn.execute("BEGIN IMMEDIATE")
                    break
                except sqlite3.OperationalError as exc:
                    if "locked" not in str(exc) and "busy" not in str(exc):
                        raise
                    if attempt == WRITE_ATTEMPTS - 1 or self._no_wait:
                        raise JournalBusyError(
                            f"{self.path or 'The journal'} is busy: another program kept it locked. "
                            "Nothing was saved; try again in a moment."
                        ) from exc
                    time.sleep(0.05 * (attempt + 1))
            self._depth = 1
            self._batch = m.new_id()
            try:
                yield self
                conn.execute("COMMIT")
                COMMITS[0] += 1
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            finally:
                self._depth = 0
                self._batch = None

    @contextlib.contextmanager
    def savepoint(self) -> Iterator[Store]:
        """Inside a transaction, a group of writes kept or undone together: if the block raises, its writes (and
        their history) are rolled back and the transaction goes on (an import skips one record, keeps the rest)."""
        if not self._depth:
            raise RuntimeError("a savepoint needs a transaction")
        conn = self.db.conn
        conn.execute("SAVEPOINT record_group")
        try:
            yield self
        except BaseException:
            conn.execute("ROLLBACK TO record_group")
            conn.execute("RELEASE record_group")
            raise
        conn.execute("RELEASE record_group")

    def _history(self, table: str, row_id: str, action: str, before: Any, after: Any, at: datetime) -> None:
        import json  # only writing and reading history need it: not the first paint of Today

        self.db.conn.execute(
            "INSERT INTO history (id, at, table_name, row_id, action, before, after, batch) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                m.new_id(),
                iso_utc(at),
                table,
                row_id,
                action,
                json.dumps(before, ensure_ascii=False) if before is not None else None,
                json.dumps(after, ensure_ascii=False) if after is not None else None,
                self._batch,
            ),
        )

    def add(self, record: R, *, now: datetime | None = None) -> R:
        """Insert a new record, if it keeps every rule (journal.store.rules)."""
        row = record.row()
        columns = ", ".join(f"[{c}]" for c in row)
        marks = ", ".join("?" for _ in row)
        with self.transaction():
            _enforce(record, self, now=now or now_utc())
            self.db.conn.execute(f"INSERT INTO [{record.table}] ({columns}) VALUES ({marks})", list(row.values()))
            self._history(record.table, record.id, "insert", None, row, record.created_at)
        return record

    def update(self, record: R, *, now: datetime | None = None, **changes: Any) -> R:
        """Save changed fields of a record, validated like a new one and held to the rules; the new version."""
        now = now or now_utc()
        with self.transaction():
            current = self.get(type(record), record.id, include_deleted=True)
            if current is None:
                raise NotFoundError(f"That {record.kind_label} no longer exists.")
            updated = type(record).validate({**current.values(), **changes, "updated_at": now}, now=now)
            before, after = current.row(), updated.row()
            changed = {k: v for k, v in after.items() if before.get(k) != v}
            if set(changed) <= {"updated_at"}:
                return current
            _enforce(updated, self, now=now)
            sets = ", ".join(f"[{c}] = ?" for c in changed)
            self.db.conn.execute(f"UPDATE [{record.table}] SET {sets} WHERE id = ?", [*changed.values(), record.id])
            action = (
                "delete"
                if "deleted_at" in changed and updated.deleted_at
                else ("restore" if "deleted_at" in changed else "update")
            )
            self._history(record.table, record.id, action, before, after, now)
        return updated

    def delete(self, record: R, *, now: datetime | None = None) -> R:
        """Soft-delete: the record is hidden but kept, with its history."""
        now = now or now_utc()
        return self.update(record, now=now, deleted_at=now)

    def restore(self, record: R, *, now: datetime | None = None) -> R:
        """Bring back a deleted record."""
        return self.update(record, now=now, deleted_at=None)

    # --- reading -----------------------------------------------------------------------------

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        with connection.translate_errors(self.path):
            cursor, rows = self._fetch(sql, params)
            names = [d[0] for d in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in rows]

    def _tuples(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Rows as plain tuples: for queries that return many small rows."""
        with connection.translate_errors(self.path):
            return self._fetch(sql, params)[1]

    def _fetch(self, sql: str, params: Sequence[Any]) -> tuple[sqlite3.Cursor, list[tuple[Any, ...]]]:
        """The cursor and its rows; text that is not UTF-8 (written by another program) comes back as bytes."""
        conn = self.db.conn
        try:
            cursor = conn.execute(sql, list(params))
            return cursor, cursor.fetchall()
        except sqlite3.OperationalError as exc:
            if not str(exc).startswith("Could not decode to UTF-8") or conn.text_factory is damage.tolerant_text:
                raise
        # Once met, this connection reads every text so (a bytes value is a damaged record, named).
        conn.text_factory = damage.tolerant_text
        cursor = conn.execute(sql, list(params))
        return cursor, cursor.fetchall()

    def _load(self, cls: type[R], sql: str, params: Sequence[Any] = ()) -> list[R]:
        return self._records(cls, self._rows(sql, params))

    def _records(self, cls: type[R], rows: Sequence[dict[str, Any]]) -> list[R]:
        """Rows as records; a row that cannot be read is left out and kept in `damaged_records`."""
        records = []
        for row in rows:
            try:
                records.append(cls.from_row(row))
            except damage.READ_ERRORS:
                self.note_damage(damage.damaged(cls.table, row, cls))
        return records

    def note_damage(self, found: damage.DamagedRecord) -> None:
        """Remember a record that could not be read (it is left out of what is shown)."""
        self._damaged.setdefault((found.table, found.id), found)

    def damaged_records(self) -> list[damage.DamagedRecord]:
        """The records met so far whose stored values cannot be read (`damage.scan` reads them all)."""
        return list(self._damaged.values())

    def get(self, cls: type[R], record_id: str, *, include_deleted: bool = False) -> R | None:
        """One record by id."""
        alive = "" if include_deleted else " AND deleted_at IS NULL"
        found = self._load(cls, f"SELECT * FROM [{cls.table}] WHERE id = ?{alive}", [record_id])
        return found[0] if found else None

    def all(self, cls: type[R], *, include_deleted: bool = False, order_by: str = "created_at") -> list[R]:
        """Every record of a kind, oldest first."""
        alive = "" if include_deleted else " WHERE deleted_at IS NULL"
        return self._load(cls, f"SELECT * FROM [{cls.table}]{alive} ORDER BY {order_by}, rowid")

    def between(
        self,
        cls: type[R],
        column: str,
        since: datetime | date | None = None,
        until: datetime | date | None = None,
        *,
        newest_first: bool = False,
        limit: int | None = None,
        medication_id: str | None = None,
    ) -> list[R]:
        """Records whose time column falls in [since, until), for one medicine if given."""
        clauses, params = ["deleted_at IS NULL"], []
        if medication_id is not None:
            clauses.append("medication_id = ?")
            params.append(medication_id)
        for op, bound in ((">=", since), ("<", until)):
            if bound is not None:
                clauses.append(f"[{column}] {op} ?")
                params.append(iso_utc(bound) if isinstance(bound, datetime) else bound.isoformat())
        order = "DESC" if newest_first else "ASC"
        tail = f" LIMIT {int(limit)}" if limit else ""
        return self._load(
            cls,
            f"SELECT * FROM [{cls.table}] WHERE {' AND '.join(clauses)} "
            f"ORDER BY [{column}] {order}, rowid {order}{tail}",
            params,
        )

    def doses_linked_to(self, check_id: str) -> list[m.Dose]:
        """The live doses that name a syringe check."""
        return self._load(m.Dose, "SELECT * FROM doses WHERE check_id = ? AND deleted_at IS NULL", [check_id])

    def checks_from_box(self, box_id: str) -> list[m.SyringeCheck]:
        """The live syringe checks that name a box (a syringe taken from it)."""
        return self._load(
            m.SyringeCheck, "SELECT * FROM syringe_checks WHERE box_id = ? AND deleted_at IS NULL", [box_id]
        )

    def count(self, cls: type[m.Record]) -> int:
        """How many live records of a kind there are."""
        return int(self._rows(f"SELECT count(*) AS n FROM [{cls.table}] WHERE deleted_at IS NULL")[0]["n"])

    def data_version(self) -> int:
        """A number that changes whenever another connection (another process) commits to the journal."""
        with connection.translate_errors(self.path):
            return int(self.db.conn.execute("PRAGMA data_version").fetchone()[0])

    def state(self) -> tuple[int, int]:
        """A pair that moves whenever the journal changes: another connection commits (data_version),
        or a row is written through this one (SQLite's count of rows changed on this connection)."""
        with connection.translate_errors(self.path):
            return self.data_version(), int(self.db.conn.total_changes)

    def is_empty(self) -> bool:
        """Whether the journal holds no records at all."""
        return not self._rows("SELECT 1 FROM history LIMIT 1")

    # --- profile -------------------------------------------------------------------------

    def profile(self) -> m.Profile | None:
        """The patient's profile, if set."""
        found = self._load(m.Profile, "SELECT * FROM profile WHERE deleted_at IS NULL ORDER BY created_at LIMIT 1")
        return found[0] if found else None

    def save_profile(self, now: datetime | None = None, **changes: Any) -> m.Profile:
        """Create or update the profile with the given fields."""
        with self.transaction():
            current = self.profile()
            if current is None:
                profile = m.Profile.validate(changes, now=now)
                return self.add(profile)
            return self.update(current, now=now, **changes)

    # --- medications ---------------------------------------------------------------------------

    def lab_results(self, *, test: str | None = None, until: datetime | None = None) -> list[m.LabResult]:
        """Lab results taken before `until` (default: all), oldest first; of one test if named (any case).

        A journal holds a few dozen results a year: the name is compared here, in Python, where
        case folding knows every script (SQLite's lower() knows only ASCII).
        """
        results = self.between(m.LabResult, "at", None, until)
        if test is None:
            return results
        wanted = " ".join(test.casefold().split())
        return [r for r in results if " ".join(r.test.casefold().split()) == wanted]

    def medications(self, *, include_stopped: bool = False, on: date | None = None) -> list[m.Medication]:
        """Medicines by name: those active on the local day `on` (default: today here) unless asked for all.

        A medicine is taken through its stop date: one stopped from a day still to come is on the list until then.
        """
        if include_stopped:
            return self._load(
                m.Medication,
                "SELECT * FROM medications WHERE deleted_at IS NULL ORDER BY tracked DESC, name COLLATE NOCASE",
            )
        return self._load(
            m.Medication,
            "SELECT * FROM medications WHERE deleted_at IS NULL AND (stopped IS NULL OR stopped >= ?) "
            "ORDER BY tracked DESC, name COLLATE NOCASE",
            [_active_day(on).isoformat()],
        )

    def find_medication(
        self, name: str, *, include_stopped: bool = False, on: date | None = None
    ) -> m.Medication | None:
        """A medicine by name, generic or brand, ignoring case; one active on `on` (default: today here) first."""
        needle = name.strip().casefold()
        day = on or _today()
        for med in self.medications(include_stopped=True):
            names = {(med.name or "").casefold(), (med.generic or "").casefold(), (med.brand or "").casefold()}
            if needle in names and (include_stopped or med.active_on(day)):
                return med
        return None

    def tracked_medications(self, *, on: date | None = None) -> list[m.Medication]:
        """Medicines active on `on` (default: today here) whose doses are logged: on a schedule (or tracked
        before schedules existed)."""
        rows = self._rows("SELECT DISTINCT medication_id FROM schedules WHERE deleted_at IS NULL")
        scheduled = {row["medication_id"] for row in rows}
        return [med for med in self.medications(on=on) if med.tracked or med.id in scheduled]

    def schedules(self, medication_id: str) -> list[m.Schedule]:
        """A medicine's schedule steps, in the order they start."""
        return self._load(
            m.Schedule,
            "SELECT * FROM schedules WHERE medication_id = ? AND deleted_at IS NULL ORDER BY starts, created_at",
            [medication_id],
        )

    def import_sources(self, source_format: str) -> dict[str, tuple[str, str]]:
        """What earlier imports of a format brought in: the source's key -> (table, record id), undone ones left out."""
        rows = self._tuples(
            "SELECT key, record_table, record_id FROM import_sources WHERE format = ? AND deleted_at IS NULL",
            [source_format],
        )
        return {key: (table, record_id) for key, table, record_id in rows}

    # --- doses and syringes ----------------------------------------------------------------

    def last_dose(self, medication_id: str, *, status: str | None = "taken") -> m.Dose | None:
        """The latest dose of a medicine (taken ones by default; `status` is a DoseStatus or None for any)."""
        where = "medication_id = ? AND deleted_at IS NULL AND at GLOB ?"
        params: list[Any] = [medication_id, damage.TIME_SHAPE]
        if status is not None:
            where += " AND status = ?"
            params.append(str(status))
        found = self._load(m.Dose, f"SELECT * FROM doses WHERE {where} ORDER BY at DESC LIMIT 1", params)
        return found[0] if found else None

    def first_dose(self, medication_id: str) -> m.Dose | None:
        """The earliest taken dose of a medicine, or None."""
        found = self._load(
            m.Dose,
            "SELECT * FROM doses WHERE medication_id = ? AND deleted_at IS NULL AND status = 'taken' AND at GLOB ? "
            "ORDER BY at LIMIT 1",
            [medication_id, damage.TIME_SHAPE],
        )
        return found[0] if found else None

    def recent_doses(self, medication_id: str, limit: int = 30) -> list[m.Dose]:
        """The latest doses of a medicine, newest first."""
        return self._load(
            m.Dose,
            "SELECT * FROM doses WHERE medication_id = ? AND deleted_at IS NULL ORDER BY at DESC LIMIT ?",
            [medication_id, limit],
        )

    def doses(
        self, medication_id: str | None = None, since: datetime | None = None, until: datetime | None = None
    ) -> list[m.Dose]:
        """Doses in a period, oldest first, for one medicine or all."""
        return self.between(m.Dose, "at", since, until, medication_id=medication_id)

    def boxes(self, medication_id: str) -> list[m.SupplyBox]:
        """Boxes received for a medicine, oldest first."""
        return self._load(
            m.SupplyBox,
            "SELECT * FROM supply_boxes WHERE medication_id = ? AND deleted_at IS NULL ORDER BY received, rowid",
            [medication_id],
        )

    def first_box(self, medication_id: str) -> date | None:
        """The day the first box of a medicine was received; None when no box is recorded."""
        rows = self._rows(
            "SELECT min(received) AS first FROM supply_boxes WHERE medication_id = ? AND deleted_at IS NULL",
            [medication_id],
        )
        first = rows[0]["first"]
        return date.fromisoformat(first) if first else None

    # care.supply.use_order: the box that expires first, boxes with no expiry date last, then the one
    # received first, then by id (ISO dates and ids compare as text in the same order as in Python).
    _USE_ORDER = "expires IS NULL, expires, received, id"
    # What a syringe used counts as: a taken dose (its check is the same syringe), a discarded check.
    _CONSUMED = tuple(
        f"FROM [{table}] WHERE medication_id = ? AND deleted_at IS NULL AND {kept}"
        for table, kept in (("doses", "status = 'taken'"), ("syringe_checks", "outcome = 'discarded'"))
    )

    def boxes_in_use(self, medication_id: str, since: date) -> tuple[list[m.SupplyBox], dict[str, int], int, int]:
        """The boxes the syringes used from the local day `since` on have not certainly used up, in
        care.supply.use_order, with how many of those syringes were used while each was usable
        (tests/unit/supply_oracle.py: consumed_while_usable, for the boxes that expired or were thrown away); and
        how many boxes, holding how many syringes, were used up before them.

        Years of boxes and doses stay in SQLite: the times of the syringes used are read from an
        index, and a box is known to be used up, without reading it as a record, when as many
        syringes as the boxes up to it hold were used before it could have expired.
        """
        moments = self._consumed_moments(medication_id, since)
        live = f"FROM supply_boxes WHERE medication_id = ? AND deleted_at IS NULL ORDER BY {self._USE_ORDER}"
        low, high = _usable_window()
        empty_boxes = empty_syringes = 0
        for count, before in self._tuples(f"SELECT [count], {low} {live}", [medication_id]):
            surely = len(moments) if before is None else bisect_left(moments, before)
            if surely < empty_syringes + count:
                break
            empty_boxes += 1
            empty_syringes += count
        rows = self._rows(
            f"SELECT *, {low} AS low, {high} AS high {live} LIMIT -1 OFFSET ?", [medication_id, empty_boxes]
        )
        boxes = self._records(m.SupplyBox, rows)
        by_id = {row["id"]: row for row in rows}
        reached = {}
        for box in boxes:
            row = by_id[box.id]
            if row["low"] is None:
                continue
            # Before `low` all count; from `low` to `high` (before any discard), those on or before the expiry day.
            last = box.expires or date.max
            edge = self._consumed_between(medication_id, row["low"], row["high"])
            reached[box.id] = bisect_left(moments, row["low"]) + sum(
                1 for at, tz in edge if since <= _day(at, tz) <= last
            )
        return boxes, reached, empty_boxes, empty_syringes

    def _consumed_moments(self, medication_id: str, since: date) -> list[str]:
        """When each syringe counted from the local day `since` on was used (UTC ISO text, sorted)."""
        low, high = _day_window(since)
        moments: list[str] = []
        for where in self._CONSUMED:
            # One text for all (years of them), split here: a third of the time of one row each.
            ((joined,),) = self._tuples(f"SELECT group_concat(at, ' ') {where} AND at >= ?", [medication_id, high])
            moments.extend(joined.split(" ") if joined else ())
        near = [at for at, tz in self._consumed_between(medication_id, low, high) if _day(at, tz) >= since]
        return sorted(moments + near)

    def _consumed_between(self, medication_id: str, low: str, high: str) -> list[tuple[str, str]]:
        """(at, tz) of the syringes used from `low` to before `high` (UTC ISO text)."""
        found: list[tuple[str, str]] = []
        for where in self._CONSUMED:
            found.extend(self._tuples(f"SELECT at, tz {where} AND at >= ? AND at < ?", [medication_id, low, high]))
        return found

    def syringes_used(self, medication_id: str) -> dict[str, int]:
        """How many syringes were used and discarded, all time."""
        rows = self._rows(
            "SELECT outcome, count(*) AS n FROM syringe_checks WHERE medication_id = ? AND deleted_at IS NULL "
            "GROUP BY outcome",
            [medication_id],
        )
        return {row["outcome"]: int(row["n"]) for row in rows}

    def syringes_since(self, medication_id: str, since: date) -> tuple[int, int]:
        """(used, discarded) from the local day `since` on, as tests/unit/supply_oracle.py counts them."""
        # Rows past the window (_day_window) are counted by SQLite through the index; only rows
        # near its start are checked by their local day, so years of doses are never loaded as records.
        low, high = _day_window(since)
        counts: list[int] = []
        for where in self._CONSUMED:
            sure = self._rows(f"SELECT count(*) AS n {where} AND at >= ?", [medication_id, high])[0]["n"]
            edge = self._rows(f"SELECT at, tz {where} AND at >= ? AND at < ?", [medication_id, low, high])
            counts.append(int(sure) + sum(1 for row in edge if _day(row["at"], row["tz"]) >= since))
        return counts[0], counts[1]

    # --- side effects, appointments, questions -------------------------------------------

    def open_side_effects(self) -> list[m.SideEffect]:
        """Side effects not yet marked resolved, newest first."""
        return self._load(
            m.SideEffect,
            "SELECT * FROM side_effects WHERE deleted_at IS NULL AND resolved_at IS NULL ORDER BY started_at DESC",
        )

    def open_questions(self) -> list[m.Question]:
        """Questions for the doctor that have no answer yet."""
        return self._load(
            m.Question, "SELECT * FROM questions WHERE deleted_at IS NULL AND answer IS NULL ORDER BY created_at"
        )

    def last_visit(self) -> m.Appointment | None:
        """The latest doctor appointment marked done."""
        found = self._load(
            m.Appointment,
            "SELECT * FROM appointments WHERE deleted_at IS NULL AND kind = 'doctor' AND status = 'done' "
            "ORDER BY at DESC LIMIT 1",
        )
        return found[0] if found else None

    # --- the emergency list ------------------------------------------------------------------

    def emergency_rows(self, *, on: date | None = None) -> dict[str, Any]:
        """The stored columns the emergency list shows, as plain rows: no record class is built.

        It must appear the moment it is asked for; every row was validated when it was
        written. Keys: profile (a row or None), medications (those active on `on`, ordered as
        `medications()`, each tracked one with `last_dose`: its latest taken dose's at, tz,
        spot and region, or None), allergies and conditions (oldest first), stopped (medicines
        stopped in the `STOPPED_SHOWN_DAYS` before `on`, latest first) and serious_effects (side
        effects of tier serious still open, oldest first).
        """
        checked = partial(damage.checked_rows, self)  # a row that cannot be read is named, the rest shown
        day = _active_day(on)
        profiles = checked(
            "profile",
            self._rows(
                "SELECT id, name, born, emergency_contact, doctor, pharmacy, notes FROM profile "
                "WHERE deleted_at IS NULL ORDER BY created_at LIMIT 1"
            ),
            days=("born",),
        )
        medications = checked(
            "medications",
            self._rows(
                "SELECT id, name, generic, brand, kind, strength, directions, reason, route, tracked, pack "
                "FROM medications WHERE deleted_at IS NULL AND (stopped IS NULL OR stopped >= ?) "
                "ORDER BY tracked DESC, name COLLATE NOCASE",
                [_active_day(on).isoformat()],
            ),
            required=("name",),
            flags=("tracked",),
        )
        for med in medications:
            med["tracked"] = bool(med["tracked"])
            last = (
                checked(
                    "doses",
                    self._rows(
                        "SELECT id, at, tz, spot, region FROM doses WHERE medication_id = ? AND deleted_at IS NULL "
                        "AND status = 'taken' AND at GLOB ? ORDER BY at DESC LIMIT 1",
                        [med["id"], damage.TIME_SHAPE],
                    ),
                    required=("at", "tz"),
                    times=("at",),
                    zones=("tz",),
                )
                if med["tracked"]
                else []
            )
            med["last_dose"] = last[0] if last else None
        return {
            "profile": profiles[0] if profiles else None,
            "medications": medications,
            "allergies": checked(
                "allergies",
                self._rows(
                    "SELECT id, substance, reaction FROM allergies WHERE deleted_at IS NULL ORDER BY created_at, rowid"
                ),
                required=("substance",),
            ),
            "conditions": checked(
                "conditions",
                self._rows("SELECT id, name FROM conditions WHERE deleted_at IS NULL ORDER BY created_at, rowid"),
                required=("name",),
            ),
            "stopped": checked(
                "medications",
                self._rows(
                    "SELECT id, name, brand, kind, strength, stopped FROM medications WHERE deleted_at IS NULL "
                    "AND stopped < ? AND stopped >= ? ORDER BY stopped DESC, name COLLATE NOCASE",
                    [day.isoformat(), (day - timedelta(days=STOPPED_SHOWN_DAYS)).isoformat()],
                ),
                required=("name",),
                days=("stopped",),
            ),
            "serious_effects": checked(
                "side_effects",
                self._rows(
                    "SELECT id, symptom, started_at, tz FROM side_effects WHERE deleted_at IS NULL "
                    "AND resolved_at IS NULL AND tier = 'serious' ORDER BY started_at, rowid"
                ),
                required=("symptom",),
                times=("started_at",),
                zones=("tz",),
            ),
        }

    # --- history ---------------------------------------------------------------------------

    def history(
        self,
        *,
        limit: int = 50,
        before: m.HistoryEntry | None = None,
        table: str | None = None,
        row_id: str | None = None,
    ) -> list[m.HistoryEntry]:
        """Changes, newest first; the next page starts `before` the last entry seen."""
        clauses: list[str] = ["1"]
        params: list[Any] = []
        if before is not None:
            at = iso_utc(before.at)
            clauses.append("at <= ? AND (at < ? OR rowid < ?)")
            params.extend([at, at, before.seq])
        if table:
            clauses.append("table_name = ?")
            params.append(table)
        if row_id:
            clauses.append("row_id = ?")
            params.append(row_id)
        rows = self._rows(
            f"SELECT rowid AS seq, * FROM history WHERE {' AND '.join(clauses)} ORDER BY at DESC, rowid DESC LIMIT ?",
            [*params, limit],
        )
        return history_entries(rows, damaged=self.note_damage)

    def last_batch(self) -> list[m.HistoryEntry]:
        """The history rows of the newest write (one transaction), oldest first."""
        newest = self._rows("SELECT rowid AS seq, * FROM history ORDER BY rowid DESC LIMIT 1")
        if not newest or newest[0].get("batch") is None:
            return history_entries(newest)
        rows = self._rows("SELECT rowid AS seq, * FROM history WHERE batch = ? ORDER BY rowid", [newest[0]["batch"]])
        return history_entries(rows)

    def records_by_prefix(self, prefix: str, *, include_deleted: bool = False) -> list[m.Record]:
        """The records of any kind whose id starts with `prefix` (letters a-f and digits only)."""
        alive = "" if include_deleted else " AND deleted_at IS NULL"
        found: list[m.Record] = []
        for cls in m.RECORD_TYPES:
            found.extend(
                self._load(cls, f"SELECT * FROM [{cls.table}] WHERE substr(id, 1, ?) = ?{alive}", [len(prefix), prefix])
            )
        return found

    def last_change(self) -> datetime | None:
        """When anything in the journal last changed."""
        rows = self._rows("SELECT max(at) AS at FROM history WHERE at GLOB ?", [damage.TIME_SHAPE])
        value = rows[0]["at"]
        return datetime.fromisoformat(value) if value else None

    # --- maintenance ---------------------------------------------------------------------

    def schema_steps(self) -> list[str]:
        """The schema steps applied to this journal, in order."""
        return connection.applied_names(self.db)

    def backup_to(self, dest: Path) -> Path:
        """A consistent copy of the journal at `dest`."""
        return connection.backup(self.db, dest)


def history_entries(
    rows: list[dict[str, Any]], *, damaged: Callable[[damage.DamagedRecord], None] | None = None
) -> list[m.HistoryEntry]:
    """History rows (`SELECT rowid AS seq, *` or `SELECT *`) as entries, with their snapshots decoded.

    A row that cannot be read is left out and handed to `damaged`.
    """
    import json

    entries = []
    for row in rows:
        try:
            decoded = {**row, "at": datetime.fromisoformat(row["at"])}
            for key in ("before", "after"):
                decoded[key] = json.loads(row[key]) if row[key] else None
            entries.append(m.HistoryEntry(**decoded))
        except damage.READ_ERRORS:
            if damaged is not None:
                field = "at" if not _readable_time(row["at"]) else "before/after"
                raw = row["at"] if field == "at" else f"{row.get('before')!s:.80} / {row.get('after')!s:.80}"
                damaged(damage.DamagedRecord("history", str(row["id"]), field, str(raw)))
    return entries


def _readable_time(value: Any) -> bool:
    try:
        datetime.fromisoformat(value)
    except damage.READ_ERRORS:
        return False
    return True


def describe_error(exc: Exception) -> str:
    """One sentence for any error the core raises on bad input or a bad file."""
    if isinstance(exc, JournalError):
        return exc.message
    return str(exc)

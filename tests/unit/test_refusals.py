"""The use cases' refusals and notes carry their data, and say themselves with no front end's flag or key.

Each front end words them its own way (tests/cli/test_messages.py, tests/tui/test_messages.py); the
sentence the core writes (`str(exc)`, for logs and any other front end) names no command-line flag,
no command and no key.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta

import pytest

from journal import models as m
from journal.application import corrections
from journal.application.doses import ExtraDoseError, record_dose
from journal.application.effects import record_side_effect
from journal.application.supply import add_box
from journal.application.today import build_today
from journal.care.alerts import AlertAction, AlertKind
from journal.care.schedule import TimeSource, UsualTime
from journal.demo import generate
from journal.errors import (
    BoxSizeError,
    DeletedRecordError,
    InspectionError,
    JournalError,
    PackError,
    SiteError,
    SiteProblem,
    WhenError,
)
from journal.store import Store
from journal.when import parse_when

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
SELF_REGIONS = ("thigh-left", "thigh-right", "stomach-left", "stomach-right")

# A command-line flag (--site), a command in backquotes (`supply add`), or a key to press.
FRONT_END_WORDS = re.compile(r"(?<![\w-])--[a-z]|`|\bpress\b|\(\w\)")


@pytest.fixture
def store() -> Iterator[Store]:
    opened = Store.memory()
    yield opened
    opened.close()


@pytest.fixture
def kineret(store: Store) -> m.Medication:
    return store.add(m.Medication(name="Kineret", pack="anakinra", tracked=True, usual_time="08:00"))


def _dose(store: Store, med: m.Medication, **options: object) -> object:
    return record_dose(store, med, at=NOW, zone="UTC", now=NOW, **options)  # type: ignore[arg-type]


def _refusal(store: Store, kineret: m.Medication, kind: str) -> JournalError:
    """The error the use case raises for `kind`."""
    attempts: dict[str, Callable[[], object]] = {
        "site only for others": lambda: _dose(store, kineret, site="arm-left"),
        "unknown site": lambda: _dose(store, kineret, site="nose"),
        "foamy syringe": lambda: _dose(store, kineret, appearance="foamy"),
        "box size": lambda: add_box(
            store, store.add(m.Medication(name="Folic acid")), received=date(2026, 11, 20), now=NOW
        ),
        "deleted record": lambda: corrections.edit(
            store, corrections.delete(store, store.all(m.Dose)[0], now=NOW), {"note": "x"}, now=NOW, zone="UTC"
        ),
        "extra dose": lambda: _dose(store, kineret),
        "time": lambda: parse_when("yesterday 25:00", zone="UTC", now=NOW),
        "demo in a journal in use": lambda: generate(store, days=3, now=NOW),
    }
    if kind in ("deleted record", "extra dose"):
        _dose(store, kineret)
    with pytest.raises(JournalError) as caught:
        attempts[kind]()
    return caught.value


@pytest.mark.parametrize(
    "kind",
    [
        "site only for others",
        "unknown site",
        "foamy syringe",
        "box size",
        "deleted record",
        "extra dose",
        "time",
        "demo in a journal in use",
    ],
)
def test_a_refusal_says_itself_without_a_front_ends_words(store: Store, kineret: m.Medication, kind: str) -> None:
    said = str(_refusal(store, kineret, kind))
    assert said and not FRONT_END_WORDS.search(said), said
    assert store.count(m.Dose) == (1 if kind == "extra dose" else 0)


def test_a_site_refused_for_self_injection_carries_the_region_and_the_choices(
    store: Store, kineret: m.Medication
) -> None:
    exc = _refusal(store, kineret, "site only for others")
    assert isinstance(exc, SiteError) and exc.problem is SiteProblem.OTHERS_ONLY
    assert exc.region is not None and "(arm-left)" in exc.region
    assert exc.choices == SELF_REGIONS


def test_an_unknown_site_carries_the_choices(store: Store, kineret: m.Medication) -> None:
    exc = _refusal(store, kineret, "unknown site")
    assert isinstance(exc, SiteError) and exc.problem is SiteProblem.UNKNOWN
    assert exc.choices == SELF_REGIONS


def test_a_foamy_syringe_with_no_wait_carries_its_look_and_advice(store: Store, kineret: m.Medication) -> None:
    exc = _refusal(store, kineret, "foamy syringe")
    assert isinstance(exc, InspectionError) and exc.look == "foamy"
    assert exc.advice.startswith("Let the syringe sit")


def test_a_box_with_no_count_and_no_pack_names_the_medicine_and_the_field(store: Store, kineret: m.Medication) -> None:
    exc = _refusal(store, kineret, "box size")
    assert isinstance(exc, BoxSizeError) and (exc.medicine, exc.field) == ("Folic acid", "count")
    assert store.count(m.SupplyBox) == 0


def test_an_edit_of_a_deleted_record_names_its_kind(store: Store, kineret: m.Medication) -> None:
    exc = _refusal(store, kineret, "deleted record")
    assert isinstance(exc, DeletedRecordError) and exc.kind == "dose"


def test_an_extra_dose_carries_the_medicine_and_the_refusal(store: Store, kineret: m.Medication) -> None:
    exc = _refusal(store, kineret, "extra dose")
    assert isinstance(exc, ExtraDoseError) and exc.medication.id == kineret.id and exc.refusal.earlier == NOW


def test_times_and_packs_are_journal_errors() -> None:
    assert issubclass(WhenError, JournalError) and issubclass(PackError, JournalError)


def test_a_dose_with_no_free_spot_says_so_in_data(store: Store, kineret: m.Medication) -> None:
    for region in SELF_REGIONS:
        record_side_effect(store, "bruising", at=NOW - timedelta(hours=1), zone="UTC", now=NOW, site=region)
    result = record_dose(store, kineret, at=NOW, zone="UTC", now=NOW)
    assert result.dose is not None and result.dose.region is None
    assert result.no_free_spot
    assert not any(FRONT_END_WORDS.search(w) for w in result.warnings)


def test_a_site_reaction_noted_at_the_last_injection_names_the_region(store: Store, kineret: m.Medication) -> None:
    record_dose(store, kineret, at=NOW - timedelta(hours=3), zone="UTC", now=NOW, site="thigh-right")
    result = record_side_effect(store, "bruising", at=NOW, zone="UTC", now=NOW)
    assert result.assumed_region is not None and "(thigh-right)" in result.assumed_region


def test_a_missing_box_is_an_alert_that_asks_for_a_box(store: Store, kineret: m.Medication) -> None:
    add_box(store, kineret, received=date(2026, 11, 20), count=1, now=NOW)
    for days in (2, 1):
        record_dose(store, kineret, at=NOW - timedelta(days=days), zone="UTC", now=NOW)
    alerts = build_today(store, now=NOW, zone="UTC").alerts
    (alert,) = [a for a in alerts if a.kind is AlertKind.SUPPLY and "no recorded box" in a.text]
    assert alert.action is AlertAction.RECORD_BOX
    assert alert.text.endswith("record the missing box.") and not FRONT_END_WORDS.search(alert.text)


def test_a_usual_time_nobody_set_says_so_without_a_flag() -> None:
    text = UsualTime(at=datetime(2026, 1, 1, 8).time(), source=TimeSource.DEFAULT).text
    assert text == "08:00 (no usual time set)"

"""Building medicine records from what was typed, and printing the warnings they raise."""

from __future__ import annotations

from datetime import date
from typing import Any

from journal import models as m
from journal.cli._env import Env, say, warn
from journal.store import Store


def new_medication(env: Env, *, name: str, kind: str | None, tracked: bool | None, **fields: Any) -> m.Medication:
    """A validated medicine record from the command's options, linked to its content pack if one matches.

    A medicine whose name, generic or brand names a pack (`med add Kineret`, `med add anakinra`) is
    linked to that pack and tracked daily unless `--no-track` was given; its generic name, brand and
    route are filled in from the pack where they were not typed.
    """
    from journal import overview

    values: dict[str, Any] = {k: v for k, v in fields.items() if v is not None}
    pack = overview.match_pack([name, values.get("generic"), values.get("brand")])
    if pack is not None:
        info = pack.medication
        values["pack"] = pack.key
        values.setdefault("generic", info.generic)
        typed = name.strip().casefold()
        brand = next((b for b in info.brands if b.casefold() == typed), None)
        if brand is not None:
            values.setdefault("brand", brand)
        values.setdefault("route", info.route)
        values.setdefault("form", m.MedForm.INJECTION)
        if tracked is None:
            tracked = True
    return m.Medication.validate(
        {"name": name, "kind": kind or m.MedKind.PRESCRIPTION, "tracked": bool(tracked), **values},
        now=env.now,
    )


def same_medicine(store: Store, record: m.Medication) -> m.Medication | None:
    """The active medicine a new one would repeat: the same content pack, or a name, generic or brand in common."""
    for existing in store.medications():
        if record.pack and existing.pack == record.pack:
            return existing
    for name in (record.name, record.generic, record.brand):
        found = store.find_medication(name) if name else None
        if found is not None:
            return found
    return None


def schedule_words(store: Store, record: m.Medication, *, today: date) -> str:
    """The medicine's schedule today in words ('weekly on Friday at 09:00'), or '' when it has none."""
    from journal.care.regimen import Step, parse_regimen, step_on

    steps = [Step(parse_regimen(s.spec), s.starts, s.ends, s.dose) for s in store.schedules(record.id)]
    step = step_on(steps, today) or (steps[-1] if steps else None)
    if step is not None:
        dose = f", {step.dose}" if step.dose else ""
        changes = f" (changes: {len(steps)} steps)" if len(steps) > 1 else ""
        return f"{step.regimen.words()}{dose}{changes}"
    if record.tracked:
        return "tracked daily" + (f" at {record.usual_time}" if record.usual_time else "")
    return ""


def print_warnings(env: Env, record: m.Medication | m.Allergy | m.Condition | m.Appointment) -> None:
    """Print the interaction and precaution warnings a new record raises (from the care rules)."""
    from journal import overview

    if isinstance(record, m.Medication) and record.pack:
        pack = overview.pack_of(record)
        if pack is not None:
            say(
                f"Linked to the {pack.medication.display_name} guide: syringe checks, injection sites, "
                "side effects and supply follow its rules (see `medjournal guide`)."
            )
        if record.tracked and not record.usual_time and not env.store.schedules(record.id):
            say(
                "No usual time set: each day's dose counts as due at the usual time of your recent doses "
                "(08:00 until there are some). Add the medicine with --time HH:MM to set it."
            )
    for text in overview.warnings_for_new(env.store, record, now=env.now):
        warn(text)

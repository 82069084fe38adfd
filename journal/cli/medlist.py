"""Showing a medicine as the command line prints it: its schedule in words, the warnings it raises."""

from __future__ import annotations

from journal import models as m
from journal.cli._env import Env, say, warn


def print_warnings(env: Env, record: m.Medication | m.Allergy | m.Condition | m.Appointment) -> None:
    """Print the interaction and precaution warnings a new record raises (from the care rules)."""
    from journal.application.packs import advice_for_new, pack_of, warnings_for_new

    if isinstance(record, m.Medication) and record.pack:
        pack = pack_of(record)
        if pack is not None:
            say(
                f"Linked to the {pack.medication.display_name} guide: syringe checks, injection sites, "
                "side effects and supply follow its rules (see `medjournal guide`)."
            )
        if record.tracked and not env.store.schedules(record.id):
            say(
                "No usual time set: each day's dose counts as due at the usual time of your recent doses "
                "(08:00 until there are some). Add the medicine with --time HH:MM to set it."
            )
    for text in warnings_for_new(env.store, record, now=env.now):
        warn(text)
    for text in advice_for_new(env.store, record):
        say(text)

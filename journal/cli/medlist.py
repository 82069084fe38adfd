"""Building medicine records from what was typed, and printing the warnings they raise."""

from __future__ import annotations

from typing import Any

from journal import models as m
from journal.cli._env import Env


def new_medication(env: Env, *, name: str, kind: str | None, tracked: bool | None, **fields: Any) -> m.Medication:
    """A validated medicine record from the command's options."""
    values: dict[str, Any] = {k: v for k, v in fields.items() if v is not None}
    return m.Medication.model_validate(
        {"name": name, "kind": kind or m.MedKind.PRESCRIPTION, "tracked": bool(tracked), **values},
        context={"now": env.now},
    )


def print_warnings(env: Env, record: m.Medication | m.Allergy | m.Condition | m.Appointment) -> None:
    """Print the interaction and precaution warnings a new record raises (the care rules add them)."""

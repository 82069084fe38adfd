"""The TUI's words for messages written for the command line: fields and keys, never flags.

The application layer and the store speak to both the CLI and the TUI; where a message names
a command-line flag, the TUI shows the same advice in terms of its own fields and keys. The
CLI's wording is left as it is.
"""

from __future__ import annotations

# (as the command line says it, as the TUI says it): each a phrase inside one message.
PHRASES: tuple[tuple[str, str], ...] = (
    (
        "add --by other, or choose one of:",
        'tick "Given by someone else" (o in the dose flow; "Given by" when editing), or use one of:',
    ),
    (
        "with --waited MINUTES (how long it sat)",
        'with the minutes it sat ("Minutes it sat until it cleared")',
    ),
    (
        "Choose one with --site,",
        "Choose one by editing the dose in History (h, then e),",
    ),
    (
        "(use --site REGION if it is elsewhere)",
        "(edit it in History if it is elsewhere)",
    ),
    (
        "add --count N.",
        'fill in "How many".',
    ),
    (
        "set one with `med add ... --time HH:MM`",
        'set one with w (Set up) on Today, "Usual time"',
    ),
    (
        "record the missing box with `supply add`.",
        "record the missing box: in Medicines (m), choose the medicine and press b.",
    ),
)


def for_tui(message: str) -> str:
    """The message with its command-line phrases said in the TUI's fields and keys."""
    if "--" not in message and "`" not in message:
        return message
    for cli, tui in PHRASES:
        message = message.replace(cli, tui)
    return message

"""Making user text inert in each format: it is data, never markup."""

from __future__ import annotations

import re

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~&])")
# C0/C1 control characters (ANSI escape sequences start with ESC) except tab.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def plain(text: str) -> str:
    """User text for a terminal or a text file: control characters (ANSI escapes) removed."""
    return _CONTROL.sub("", text)


def markdown(text: str) -> str:
    """User text inside Markdown: every character that could start markup is escaped."""
    return _MD_SPECIAL.sub(r"\\\1", plain(text).replace("\n", " "))

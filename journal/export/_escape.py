"""Making user text inert in each format: it is data, never markup."""

from __future__ import annotations

import re

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~&])")
# C0/C1 control characters (ANSI escape sequences start with ESC) except tab, and the Unicode
# controls that embed, override or isolate a direction: one left open in a medicine name would
# reverse what follows it ("Warfarin 5 mg" read as "Warfaringm 5"). Marks (LRM, RLM) stay.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def plain(text: str) -> str:
    """User text for a document or a data file: control characters (ANSI escapes, direction overrides) removed."""
    return _CONTROL.sub("", text)


def markdown(text: str) -> str:
    """User text inside Markdown: every character that could start markup is escaped."""
    return _MD_SPECIAL.sub(r"\\\1", plain(text).replace("\n", " "))


_MD_INLINE = re.compile(r"([\\`*_{}\[\]<>|~&!])")
_MD_LINE_START = re.compile(r"^(\s*)(#|[+\-=>](?=\s|$)|\d+[.)](?=\s|$))")


def markdown_inline(text: str) -> str:
    """User text inside a Markdown table cell, list item or paragraph: inline markup and pipes escaped.

    Lighter than `markdown`: dates and sentences stay readable, and what could start a
    block (a heading, a list) is escaped only at the start of the text.
    """
    escaped = _MD_INLINE.sub(r"\\\1", plain(text).replace("\r", " ").replace("\n", " "))
    return _MD_LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), escaped, count=1)

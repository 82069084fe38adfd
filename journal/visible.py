"""Text for a terminal line: control characters shown in a visible escaped form, never obeyed.

A user's text (a medicine named `\x1b]0;pwned\x07`) printed as it is would retitle or clear
the terminal; shown as `\x1b]0;pwned\x07` the person sees what was typed and nothing happens.
"""

from __future__ import annotations

import re

# C0 and C1 controls (not newline or tab), DEL, and the Unicode marks that reorder or break lines.
_HIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """`text` with every control character written as `\\xNN` (or `\\uNNNN`); newlines and tabs kept."""
    return _HIDDEN.sub(_escape, text)

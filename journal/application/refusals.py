"""What a refused write carries, for the front ends to word: the store's rule and its violation,
and the kind of a dose the schedule refuses.
"""

from __future__ import annotations

from journal.care.regimen import RefusalKind
from journal.store.rules import RuleError, Violation

__all__ = ["RefusalKind", "RuleError", "Violation"]

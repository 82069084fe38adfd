"""Start-up with the cyclic garbage collector paused.

Starting medjournal makes a few hundred thousand objects (Textual's modules and styles, the
records of Today) that live until the process ends. The collector would walk them over and
over while they are being made, for nothing: about 15 ms of a TUI start on this project's
machines. `medjournal` pauses it on its first line; it resumes once the TUI has drawn its
first screen, or a command is about to do its work, with everything made by then frozen
(`gc.freeze`) so that no later collection walks it either. Reference counting frees
everything else as usual meanwhile.
"""

from __future__ import annotations

import gc

_paused = False


def pause_gc() -> None:
    """Pause the cyclic collector for start-up (a no-op when it is off already)."""
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def resume_gc() -> None:
    """Freeze what start-up made and let the collector run again, if `pause_gc` paused it."""
    global _paused
    if _paused:
        _paused = False
        gc.freeze()
        gc.enable()


def gc_paused() -> bool:
    """Whether start-up has the collector paused now."""
    return _paused

"""The garbage collector of a CLI process, paused while it imports and loads its data.

A cold `exportctl check` creates some hundreds of thousands of objects while it imports its libraries
and loads the registry, the EAR tables and one regime; almost none of them is garbage, yet the cyclic
collector walks them again and again (~0.15-0.2 s of a one-row check). The command line pauses it from
its start until what it loaded is in place; then `gc.freeze()` moves every object alive into the
permanent generation (never walked again) and collection resumes for the command's own work, so a long
batch or screening run collects as any process does.
"""

from __future__ import annotations

import gc

_paused = False


def pause_gc() -> None:
    """Stop automatic collection (the start of a CLI process); a no-op when it is already off."""
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def resume_gc() -> None:
    """What is alive now is kept out of every later collection, and collection resumes (when paused here)."""
    global _paused
    if _paused:
        _paused = False
        gc.freeze()
        gc.enable()

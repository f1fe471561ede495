"""The cyclic garbage collector paused while screening builds or walks its large, long-lived structures.

Building the index and screening a batch create hundreds of thousands of tuples, lists and dicts (names,
postings, memos of similarities and scores, hit rows) and almost no reference cycles; yet every full
collection walks all of them again, and the index's objects on top (7-25% of the CPU of a build or a
batch, measured). Within `collector_paused()` automatic collection is off; it is turned back on after only
when it was on (another caller's pause, the CLI's start in fronts/cli/startup.py, is left alone), and
what was created meanwhile is collected as usual from then on.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Automatic cyclic collection off for the block; back on after when it was on before."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()

"""Concurrent callers of one store read share it, and each still gets a read begun after it called.

Under load every single check asks the store the same small question (has a review decision been added?),
from up to forty threads at once: forty queries, and connections opened beyond the pool's size for each
(a third of the service's time). Here a caller that finds the read already running queues for the next
one; when the running read ends, the first queued caller runs one read for every caller queued meanwhile.
So each caller's value was read after its call began: it sees every write committed before it asked,
exactly as its own query would have, and a caller alone reads at once.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

__all__ = ["FreshReads"]

T = TypeVar("T")


@dataclass
class _Waiter:
    value: Any = None
    error: BaseException | None = None
    done: bool = False
    lead: bool = False
    wake: threading.Event = field(default_factory=threading.Event)


@dataclass
class FreshReads(Generic[T]):
    """Reads shared by the callers queued for them, one read at a time per key."""

    _lock: threading.Lock = field(default_factory=threading.Lock)
    _queued: dict[Hashable, list[_Waiter]] = field(default_factory=dict)
    _reading: set[Hashable] = field(default_factory=set)
    reads: int = 0  # reads run (for tests)

    def read(self, key: Hashable, fn: Callable[[], T]) -> T:
        """fn()'s value, from a call of fn begun after this call (shared with concurrent callers)."""
        me = _Waiter()
        with self._lock:
            self._queued.setdefault(key, []).append(me)
            if key not in self._reading:
                self._reading.add(key)
                me.lead = True
        if not me.lead:
            me.wake.wait()  # woken with the value, or to run the next read
        if not me.done:
            self._run(key, fn, me)
        if me.error is not None:
            raise me.error
        value: T = me.value
        return value

    def _run(self, key: Hashable, fn: Callable[[], T], me: _Waiter) -> None:
        with self._lock:
            group = self._queued.pop(key, [])  # every caller queued before the read begins
        try:
            value = fn()
            self.reads += 1
            for w in group:
                w.value, w.done = value, True
        except BaseException as exc:  # each caller of the group raises it; the next read still runs
            for w in group:
                w.error, w.done = exc, True
        finally:
            with self._lock:
                queued = self._queued.get(key)
                if queued:
                    queued[0].lead = True
                    queued[0].wake.set()
                else:
                    self._reading.discard(key)
            for w in group:
                if w is not me:
                    w.wake.set()

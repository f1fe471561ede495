"""Concurrent single checks gathered for a moment and answered as one batch (the way inference servers batch).

A single check that arrives while others are waiting joins them: the first of a group waits `window`
seconds (and for the batch before it to finish, so groups grow under load), then the group runs as one
table through ops.batch.check_keyed (ops.check.check_table), whose answers are check_one's
(tests/fronts/api/test_api_gather.py). A query the batch answers with an `error`, or a batch that fails,
goes back to the single path (ops.check.check_one), which raises the typed error naming the field: the
caller sees exactly what the single path gives. Only queries of the same scenario, fuzziness and data
version (Context) are gathered together.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field
from typing import Any

Answer = dict[str, Any]
Batch = Callable[[list[Mapping[str, Any]]], list[Answer]]


@dataclass
class _Slot:
    fields: Mapping[str, Any]
    answer: Answer | None = None
    done: threading.Event = field(default_factory=threading.Event)


@dataclass
class Gatherer:
    """Groups of concurrent single queries, one batch per group (`window` seconds of waiting, 0: none)."""

    window: float = 0.002
    max_size: int = 256
    _pending: dict[Hashable, list[_Slot]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _busy: dict[Hashable, threading.Lock] = field(default_factory=dict)
    batches: int = 0  # batches run (for the bench and tests)

    def answer(
        self,
        key: Hashable,
        fields: Mapping[str, Any],
        batch: Batch,
        single: Callable[[Mapping[str, Any]], Answer],
    ) -> Answer:
        """The answer to `fields`: from a batch of the queries gathered under `key`, else `single(fields)`."""
        if self.window <= 0:
            return single(fields)
        slot = _Slot(fields)
        with self._lock:
            group = self._pending.setdefault(key, [])
            group.append(slot)
            leader = len(group) == 1
            busy = self._busy.setdefault(key, threading.Lock())
        if leader:
            time.sleep(self.window)
            with busy:  # one batch of a key at a time: the next group keeps gathering meanwhile
                with self._lock:
                    group = self._pending.pop(key, [])
                self._run(group, batch)
        slot.done.wait()
        return slot.answer if slot.answer is not None else single(fields)

    def _run(self, group: list[_Slot], batch: Batch) -> None:
        try:
            for start in range(0, len(group), self.max_size):
                part = group[start : start + self.max_size]
                answers = batch([s.fields for s in part])
                self.batches += 1
                for s, a in zip(part, answers, strict=True):
                    s.answer = None if a.get("error") else a
        except Exception:
            for s in group:
                s.answer = None
        finally:
            for s in group:
                s.done.set()

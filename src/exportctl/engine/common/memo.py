"""Bounded per-process memos for what a batch derives from its regimes and the data version alone.

A one-row batch spent most of its time rebuilding frames that depend only on the regimes in force and
the data version's tables and lists (the effects in force, the dated Country Groups, the list rules): the
same for every call on the same day. They are kept here under the regimes' content ids (registry content
hash, as_of, known_on, scenario, rules) and the identity of the tables and lists they came from; the
kept value holds those objects, so an id is never reused while its entry lives, and a hit is checked by
identity (`is`), never by id alone.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from typing import Any, Generic, TypeVar

V = TypeVar("V")


class Lru(Generic[V]):
    """A bounded, thread-safe least-recently-used map (the value is built outside the lock)."""

    def __init__(self, kept: int) -> None:
        self.kept = kept
        self._items: OrderedDict[Hashable, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> V | None:
        """The value kept under `key` (now the most recently used), or None."""
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, key: Hashable, value: V) -> V:
        """Keep `value` under `key` (a value kept meanwhile by another thread wins); the oldest leave."""
        with self._lock:
            value = self._items.setdefault(key, value)
            self._items.move_to_end(key)
            while len(self._items) > self.kept:
                self._items.popitem(last=False)
            return value

    def get_or_build(self, key: Hashable, build: Callable[[], V]) -> V:
        """The value kept under `key`, else `build()` kept."""
        found = self.get(key)
        return found if found is not None else self.put(key, build())

    def __len__(self) -> int:
        return len(self._items)

    def clear(self) -> None:
        """Forget every value."""
        with self._lock:
            self._items.clear()


def regimes_key(regimes: Mapping[int, Any]) -> tuple[tuple[int, str], ...] | None:
    """((rkey, regime content id), ...) of a batch's regimes; None when one has no content id."""
    out = []
    for rkey, regime in sorted(regimes.items()):
        rid = getattr(regime, "id", None)
        if not isinstance(rid, str) or not rid:
            return None
        out.append((rkey, rid))
    return tuple(out)


def memo_of(
    store: Lru[tuple[tuple[Any, ...], V]],
    regimes: Mapping[int, Any],
    sources: tuple[Any, ...],
    build: Callable[[], V],
    values: Hashable = None,
) -> V:
    """`build()` kept under the regimes' content ids, the identity of `sources` (tables, lists) and
    `values` (compared by value: a data version)."""
    rkey = regimes_key(regimes)
    if rkey is None:
        return build()
    key = (rkey, tuple(id(s) for s in sources), values)
    found = store.get(key)
    kept = found[0] if found is not None else ()
    if (
        found is not None
        and len(kept) == len(sources)
        and all(a is b for a, b in zip(kept, sources, strict=True))
    ):
        return found[1]
    return store.put(key, (sources, build()))[1]


class ByIdentity(Generic[V]):
    """What was built from one object (a list frame), for the last few objects, found by identity.

    The object is held with its value, so its id is never reused while the entry lives; a frame equal
    to a kept one but not the same object is built afresh (never compared by content).
    """

    def __init__(self, kept: int) -> None:
        self.kept = kept
        self._items: list[tuple[object, V]] = []
        self._lock = threading.Lock()

    def get_or_build(self, obj: object, build: Callable[[], V]) -> V:
        """The value built from `obj` (this very object), else `build()` kept."""
        with self._lock:
            for kept_obj, value in self._items:
                if kept_obj is obj:
                    return value
        value = build()
        with self._lock:
            self._items.append((obj, value))
            del self._items[: max(0, len(self._items) - self.kept)]
        return value

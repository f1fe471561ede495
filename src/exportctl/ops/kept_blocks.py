"""Blocks of answers kept per Context: result tables least recently used first out, bounded in bytes, and
the questions that missed once (ops.neighbours' blocks of neighbours, ops.span_answers' blocks of spans)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Generic, Protocol, TypeVar

from exportctl.engine.common.memo import Lru

__all__ = ["KeptBlocks"]


class _Sized(Protocol):
    @property
    def nbytes(self) -> int: ...


B = TypeVar("B", bound=_Sized)


class KeptBlocks(Generic[B]):
    """{key: block} least recently used first out past `kept_bytes`, and an Lru of `missed` keys."""

    def __init__(self, kept_bytes: int, missed: int) -> None:
        self.kept_bytes = kept_bytes
        self._blocks: OrderedDict[Hashable, B] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self._missed: Lru[bool] = Lru(missed)

    def put(self, key: Hashable, block: B) -> None:
        """Keep `block` under `key` (a key kept already keeps its block); the least recently used leave
        past the bound."""
        with self._lock:
            if key in self._blocks:
                return
            self._blocks[key] = block
            self._added(key)
            self._bytes += block.nbytes
            while self._bytes > self.kept_bytes and len(self._blocks) > 1:
                old_key, old = self._blocks.popitem(last=False)
                self._bytes -= old.nbytes
                self._evicted(old_key)

    def _added(self, key: Hashable) -> None:
        """A block was kept under `key` (under the lock): for a subclass's own index."""

    def _evicted(self, key: Hashable) -> None:
        """The block under `key` left (under the lock): for a subclass's own index."""

    def _used(self, key: Hashable) -> B | None:
        """The block under `key`, marked as the most recently used (call under the lock), or None."""
        block = self._blocks.get(key)
        if block is not None:
            self._blocks.move_to_end(key)
        return block

    def missed(self, key: Hashable) -> bool:
        """Whether `key` missed before (now recorded as missed)."""
        if self._missed.get(key) is not None:
            return True
        self._missed.put(key, True)
        return False

    @property
    def nbytes(self) -> int:
        """The bytes of the kept result tables."""
        return self._bytes

    def __len__(self) -> int:
        return len(self._blocks)

    def clear(self) -> None:
        """Forget every kept block and miss."""
        with self._lock:
            self._blocks.clear()
            self._bytes = 0
            self._cleared()
        self._missed.clear()

    def _cleared(self) -> None:
        """Every block left (under the lock): for a subclass's own index."""

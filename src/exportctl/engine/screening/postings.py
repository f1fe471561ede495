"""Posting lists stored as one id array and offsets, and lookups in sorted id arrays."""

from __future__ import annotations

import numpy as np


class Postings:
    """Key -> array of name ids, stored as one id array and offsets (compact, and stored as plain arrays)."""

    def __init__(self, lists: dict[str, list[int]]) -> None:
        self.index: dict[str, int] = {}
        offsets = [0]
        chunks: list[int] = []
        for i, (key, ids) in enumerate(lists.items()):
            self.index[key] = i
            chunks.extend(ids)
            offsets.append(len(chunks))
        self.offsets = np.asarray(offsets, dtype=np.int64)
        self.ids = np.asarray(chunks, dtype=np.int32)

    def get(self, key: str) -> np.ndarray | None:
        """The ids of a key, or None."""
        i = self.index.get(key)
        if i is None:
            return None
        return self.ids[self.offsets[i] : self.offsets[i + 1]]

    def __getitem__(self, key: str) -> np.ndarray:
        got = self.get(key)
        if got is None:
            raise KeyError(key)
        return got

    def __contains__(self, key: object) -> bool:
        return key in self.index

    def __len__(self) -> int:
        return len(self.index)

    def nbytes(self) -> int:
        """Approximate memory."""
        return int(self.ids.nbytes + self.offsets.nbytes + 90 * len(self.index))


def values_at(sorted_keys: np.ndarray, values: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """`values` at each of `keys` in `sorted_keys`, 0 where a key is absent."""
    if not len(sorted_keys):
        return np.zeros(len(keys))
    at = np.minimum(np.searchsorted(sorted_keys, keys), len(sorted_keys) - 1)
    return np.asarray(np.where(sorted_keys[at] == keys, values[at], 0.0))


def holds(sorted_ids: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """Which of `ids` are in `sorted_ids`."""
    if not len(sorted_ids):
        return np.zeros(len(ids), dtype=bool)
    at = np.minimum(np.searchsorted(sorted_ids, ids), len(sorted_ids) - 1)
    return np.asarray(sorted_ids[at] == ids)

"""Posting lists stored as one id array and offsets, and the per-candidate sums the retrieval bound is built
from (numpy for large candidate sets, dicts for small ones)."""

from __future__ import annotations

import numpy as np


class Postings:
    """Key -> array of name ids, stored as one id array and offsets (compact, and quick to unpickle)."""

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


Group = tuple[tuple[int, ...], np.ndarray, np.ndarray]  # query positions, sorted name ids, their gains


def accumulate(groups: list[Group], size: int) -> tuple[np.ndarray, np.ndarray]:
    """Per candidate name: the sum over query tokens of the best gain; a join of two tokens adds only
    what it brings beyond the two tokens matched on their own (no double counting)."""
    by_pos: dict[int, dict[int, float]] = {}
    sums: dict[int, float] = {}
    if size <= 160:
        # Small candidate sets: dicts beat numpy's fixed costs.
        for pos, ids, gains in groups:
            local = dict(zip(ids.tolist(), gains.tolist(), strict=True))
            if len(pos) == 1:
                by_pos[pos[0]] = local
                for nid, g in local.items():
                    sums[nid] = sums.get(nid, 0.0) + g
            else:
                a, b = by_pos.get(pos[0], {}), by_pos.get(pos[1], {})
                for nid, g in local.items():
                    extra = g - a.get(nid, 0.0) - b.get(nid, 0.0)
                    if extra > 0.0:
                        sums[nid] = sums.get(nid, 0.0) + extra
        uniq = np.fromiter(sums.keys(), dtype=np.int64, count=len(sums))
        return uniq, np.fromiter(sums.values(), dtype=np.float64, count=len(sums))
    single: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    all_ids: list[np.ndarray] = []
    all_gains: list[np.ndarray] = []
    for pos, first_ids, best in groups:
        if len(pos) == 1:
            single[pos[0]] = (first_ids, best)
        else:
            for p in pos:
                if p in single:
                    best = best - gains_of(single[p], first_ids)
            best = np.maximum(best, 0.0)
        all_ids.append(first_ids)
        all_gains.append(best)
    uniq_ids, inv = np.unique(np.concatenate(all_ids), return_inverse=True)
    return uniq_ids.astype(np.int64), np.bincount(inv, weights=np.concatenate(all_gains)).astype(np.float64)


def gains_of(group: tuple[np.ndarray, np.ndarray], ids: np.ndarray) -> np.ndarray:
    """The gains a group gives `ids` (0 where it has none); the group's ids are sorted."""
    gids, gains = group
    at = np.searchsorted(gids, ids)
    at = np.minimum(at, len(gids) - 1)
    hit = gids[at] == ids
    return np.where(hit, gains[at], 0.0)

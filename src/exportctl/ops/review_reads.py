"""The newest review decision per (party, list, entry), kept in memory between calls and read afresh.

A single screening annotates its hits with the reviewers' decisions on every call, and the query for
them was most of that annotating (~170 of ~200 us). Decisions are only ever appended, so their stamp
(store.audit_reviews.reviews_stamp: highest id and count, one cheap read) says whether the kept ones still
hold.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterable
from typing import Any

from sqlalchemy.engine import Engine

from exportctl.store import audit_reviews as decisions

__all__ = ["latest_reviews"]

Pair = tuple[str, str, str]  # party_key, list, entity_id

_lock = threading.Lock()
# engine -> (reviews_stamp, newest decision per pair); weak, so a new store never meets an old one's
_kept: weakref.WeakKeyDictionary[Engine, tuple[tuple[int, int], dict[Pair, dict[str, Any]]]] = (
    weakref.WeakKeyDictionary()
)


def latest_reviews(engine: Engine, keys: Iterable[Pair]) -> dict[Pair, dict[str, Any]]:
    """store.audit_reviews.latest_reviews of `keys` as of this call (the rows are shared: read them only)."""
    stamp = decisions.reviews_stamp(engine)
    if stamp[1] == 0:
        return {}
    kept = _kept.get(engine)
    if kept is None or kept[0] != stamp:
        pairs = {(r["party_key"], r["list"], r["entity_id"]): r for r in decisions.latest_per_pair(engine)}
        kept = (stamp, pairs)
        with _lock:
            _kept[engine] = kept
    return {k: kept[1][k] for k in keys if k in kept[1]}

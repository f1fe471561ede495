"""The per-process memos: bounded LRU, and values found by content ids and object identity only."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

from hypothesis import given
from hypothesis import strategies as st

from exportctl.engine.common.memo import ByIdentity, Lru, memo_of, regimes_key


@given(st.integers(1, 5), st.lists(st.integers(0, 9), max_size=60))
def test_lru_keeps_the_most_recently_used_and_never_more_than_its_bound(kept: int, keys: list[int]) -> None:
    lru: Lru[str] = Lru(kept)
    model: OrderedDict[int, str] = OrderedDict()
    for k in keys:
        value = lru.get_or_build(k, lambda k=k: f"v{k}")  # type: ignore[misc]
        assert value == f"v{k}"
        model[k] = f"v{k}"
        model.move_to_end(k)
        while len(model) > kept:
            model.popitem(last=False)
        assert len(lru) == len(model) <= kept
        assert all(lru.get(m) == v for m, v in list(model.items()))


@dataclass
class _Regime:
    id: str


class _Source:
    """A stand-in for a tables object or a lists frame: compared by identity only."""

    def __eq__(self, other: object) -> bool:
        return True  # equal by content to every other: the memo must still tell them apart

    __hash__ = object.__hash__


@given(st.lists(st.sampled_from(["a", "b", "c"]), min_size=1, max_size=3, unique=True), st.text(max_size=4))
def test_memo_of_rebuilds_for_other_sources_regimes_or_versions(ids: list[str], version: str) -> None:
    store: Lru[tuple[tuple[object, ...], list[int]]] = Lru(8)
    regimes = {k: _Regime(rid) for k, rid in enumerate(ids)}
    built: list[int] = []

    def build() -> list[int]:
        built.append(1)
        return [len(built)]

    one, other = _Source(), _Source()
    first = memo_of(store, regimes, (one,), build, version)
    assert memo_of(store, regimes, (one,), build, version) is first
    assert memo_of(store, regimes, (other,), build, version) is not first  # equal content, other object
    assert memo_of(store, regimes, (one,), build, version + "x") is not first  # another data version
    changed = {**regimes, 0: _Regime(ids[0] + "'")}
    assert memo_of(store, changed, (one,), build, version) is not first  # another regime content
    assert regimes_key({0: object()}) is None  # no content id: never kept
    assert memo_of(store, {0: object()}, (one,), build) is not memo_of(store, {0: object()}, (one,), build)


@given(st.integers(1, 4), st.integers(1, 12))
def test_by_identity_finds_only_the_same_object(kept: int, n: int) -> None:
    memo: ByIdentity[int] = ByIdentity(kept)
    objs = [_Source() for _ in range(n)]
    for i, o in enumerate(objs):
        assert memo.get_or_build(o, lambda i=i: i) == i  # type: ignore[misc]
    assert memo.get_or_build(objs[-1], lambda: -1) == n - 1
    assert memo.get_or_build(_Source(), lambda: -1) == -1

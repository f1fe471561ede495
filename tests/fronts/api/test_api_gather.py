"""Single checks gathered into one batch (fronts/api/gather.py) answer exactly as the single path does."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from exportctl.fronts.api.deps import Settings
from exportctl.fronts.api.gather import Gatherer

QUERIES: list[dict[str, Any]] = [
    {"eccn": "3A090", "destination": "CN", "date": "2025-05-01"},
    {
        "eccn": "EAR99",
        "destination": "DE",
        "date": "2025-05-01",
        "parties": ["Huawei Technologies Co., Ltd."],
    },
    {"eccn": "5A002", "destination": "RU", "date": "2024-01-01"},
    {"eccn": "3A090", "destination": "Deutschland", "date": "2025-05-01", "fail_on": "license_required"},
    {"eccn": "EAR99", "destination": "XX", "date": "2025-05-01"},  # no such country: 422 naming destination
    {"eccn": "0A501", "destination": "MX", "date": "2024-06-01", "exact": True},
    {"eccn": "3A090", "destination": "CN", "date": "2025-05-01", "known_on": "2024-01-01"},
]


def _server(serve: Callable[[Settings], Any], tmp: Any, gather_ms: float) -> Any:
    url = f"sqlite:///{tmp / f'store-{gather_ms}.db'}"
    return serve(Settings(rate_per_second=10_000, burst=10_000, database_url=url, gather_ms=gather_ms))


def _post(s: Any, token: str, body: dict[str, Any]) -> tuple[int, Any]:
    r = httpx.post(f"{s.url}/v1/check", json=body, headers={"Authorization": f"Bearer {token}"}, timeout=600)
    return r.status_code, r.json()


def _comparable(body: Any) -> Any:
    if isinstance(body, dict):
        return {k: v for k, v in body.items() if k not in ("request_id", "audit_id")}
    return body


@pytest.mark.slow
def test_gathered_answers_are_the_single_paths(serve: Callable[[Settings], Any], tmp_path: Any) -> None:
    alone = _server(serve, tmp_path, 0)
    gathered = _server(serve, tmp_path, 300)  # long enough that concurrent requests surely meet
    ta, tg = alone.token("check"), gathered.token("check")
    _post(gathered, tg, QUERIES[0])  # warm: the data version's context
    before = gathered.app.state.gatherer.batches
    got: dict[int, tuple[int, Any]] = {}

    def ask(i: int) -> None:
        got[i] = _post(gathered, tg, QUERIES[i])

    threads = [threading.Thread(target=ask, args=(i,)) for i in range(len(QUERIES))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for i, q in enumerate(QUERIES):
        status, body = _post(alone, ta, q)
        assert got[i][0] == status, q
        assert _comparable(got[i][1]) == _comparable(body), q
    assert got[4][0] == 422
    # fewer batches than requests: they were answered together
    assert 1 <= gathered.app.state.gatherer.batches - before < len(QUERIES)
    # and kept on the Context: asked again, each is given at once (kept_answer), no batch runs
    after = gathered.app.state.gatherer.batches
    for i in (0, 1, 2, 3, 5, 6):
        status, body = _post(gathered, tg, QUERIES[i])
        assert (status, _comparable(body)) == (got[i][0], _comparable(got[i][1])), QUERIES[i]
    assert gathered.app.state.gatherer.batches == after


def test_a_failing_batch_sends_each_query_to_the_single_path() -> None:
    g = Gatherer(window=0.05)
    out: dict[int, Any] = {}

    def broken(items: list[Any]) -> list[dict[str, Any]]:
        raise RuntimeError("the batch failed")

    def ask(i: int) -> None:
        out[i] = g.answer("k", {"i": i}, broken, lambda f: {"single": f["i"]})

    threads = [threading.Thread(target=ask, args=(i,)) for i in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert out == {i: {"single": i} for i in range(5)}


def test_an_error_row_takes_the_single_path_and_others_keep_the_batch() -> None:
    # the four ask together (a barrier) inside a window wide enough for a loaded machine: one batch
    g = Gatherer(window=0.5)
    out: dict[int, Any] = {}
    start = threading.Barrier(4)

    def batch(items: list[Any]) -> list[dict[str, Any]]:
        return [{"error": "bad"} if f["i"] == 2 else {"batch": f["i"]} for f in items]

    def ask(i: int) -> None:
        start.wait()
        out[i] = g.answer(("k", 1), {"i": i}, batch, lambda f: {"single": f["i"]})

    threads = [threading.Thread(target=ask, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert out == {0: {"batch": 0}, 1: {"batch": 1}, 2: {"single": 2}, 3: {"batch": 3}}
    assert g.batches == 1

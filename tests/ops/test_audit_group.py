"""Concurrent audit records share one transaction (ops.audit_group), and stay one intact chain."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from exportctl.ops.audit import engine_of
from exportctl.ops.audit_group import groups_written, outputs_text, record_grouped
from exportctl.store.audit import canonical, head, iter_records, verify_chain


def _record(engine: object, i: int, outputs: object = None) -> int:
    return record_grouped(
        "check", {"i": i}, outputs if outputs is not None else {"i": i, "verdict": "ok"},
        data_version="dv", engine_version="ev", actor="token:t", engine=engine,  # type: ignore[arg-type]
    )  # fmt: skip


def test_concurrent_records_one_chain_fewer_transactions(tmp_path: Path) -> None:
    engine = engine_of(f"sqlite:///{tmp_path / 'store.db'}")
    seqs: dict[int, int] = {}
    start = threading.Barrier(40)

    def one(i: int) -> None:
        start.wait()
        seqs[i] = _record(engine, i)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(40)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(seqs.values()) == list(range(1, 41))  # every caller its own record, none lost
    assert head(engine)["seq"] == 40
    assert verify_chain(engine)["ok"]
    assert groups_written(engine) < 40  # callers that arrived during a write joined the next group
    by_seq = {int(r["seq"]): r for r in iter_records(engine)}
    for i, seq in seqs.items():  # each caller's seq is the record of its own outputs
        assert by_seq[seq]["outputs"] == canonical({"i": i, "verdict": "ok"})


def test_a_lone_record_is_written_at_once(tmp_path: Path) -> None:
    engine = engine_of(f"sqlite:///{tmp_path / 'store.db'}")
    assert [_record(engine, i) for i in range(3)] == [1, 2, 3]
    assert groups_written(engine) == 3
    assert verify_chain(engine)["ok"]


def test_unwritable_outputs_fail_alone(tmp_path: Path) -> None:
    engine = engine_of(f"sqlite:///{tmp_path / 'store.db'}")
    with pytest.raises(TypeError):
        _record(engine, 1, {"x": object()})
    assert _record(engine, 2) == 1
    assert verify_chain(engine)["ok"]


def test_outputs_text_is_canonical_json() -> None:
    import datetime as dt

    value = {"b": "é", "a": [1, (2, 3)], "d": dt.date(2025, 6, 1), "s": {"y", "x"}, "n": None, "f": 0.5}
    assert outputs_text(value) == canonical(value)
    assert outputs_text({"big": 2**70}) == canonical({"big": 2**70})  # past orjson's integers

"""store.fresh.FreshReads: concurrent callers share reads, and each value was read after its call began."""

from __future__ import annotations

import threading
import time

import pytest

from exportctl.store.fresh import FreshReads


def test_each_caller_sees_every_write_made_before_it_asked() -> None:
    reads: FreshReads[int] = FreshReads()
    state = {"value": 0}
    lock = threading.Lock()
    failures: list[str] = []

    def slow_read() -> int:
        with lock:
            seen = state["value"]
        time.sleep(0.002)  # a read that takes a while, so that callers pile up behind it
        return seen

    def writer_then_reader(k: int) -> None:
        for _ in range(20):
            with lock:
                state["value"] += 1
                written = state["value"]
            got = reads.read("stamp", slow_read)
            if got < written:
                failures.append(f"caller {k} wrote {written} then read {got}")

    threads = [threading.Thread(target=writer_then_reader, args=(k,)) for k in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
    assert reads.reads < 16 * 20  # shared: fewer reads than calls


def test_a_failed_read_fails_its_callers_and_the_next_read_runs() -> None:
    reads: FreshReads[int] = FreshReads()

    def broken() -> int:
        raise RuntimeError("store down")

    with pytest.raises(RuntimeError, match="store down"):
        reads.read("k", broken)
    assert reads.read("k", lambda: 7) == 7

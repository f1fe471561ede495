"""The audit trail on SQLite and PostgreSQL: the hash chain detects edits, deletions and reorderings."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa

from exportctl.store import Store
from exportctl.store.audit import (
    GENESIS,
    AuditEntry,
    append,
    head,
    iter_records,
    log,
    record_hash,
    verify_chain,
)
from exportctl.store.audit_reviews import reviews_stamp


def _entry(i: int, at: str | None = None) -> AuditEntry:
    return AuditEntry(
        kind="check",
        actor=f"token:{i % 3}",
        input_hash=f"{i:064x}",
        outputs={"verdict": "hold", "i": i, "name": "华为"},
        data_version="v" * 64,
        engine_version="exportctl-engine-1",
        at=at or f"2026-11-{1 + i % 20:02d}T10:00:00.000000Z",
    )


def test_append_chains_and_verifies(store: Store) -> None:
    assert verify_chain(store.engine)["ok"] and head(store.engine)["seq"] == 0
    assert append(store.engine, [_entry(1), _entry(2)]) == [1, 2]
    assert append(store.engine, [_entry(3)]) == [3]
    rows = list(iter_records(store.engine))
    assert [r["seq"] for r in rows] == [1, 2, 3]
    assert rows[0]["prev_hash"] == GENESIS
    assert rows[1]["prev_hash"] == rows[0]["record_hash"]
    assert record_hash(rows[1]["prev_hash"], rows[1]) == rows[1]["record_hash"]
    result = verify_chain(store.engine)
    assert result == {"ok": True, "records": 3, "head_seq": 3, "first_bad_seq": None, "problem": None}


def test_server_time_when_no_time_given(store: Store) -> None:
    append(store.engine, [_entry(1, at=None).__class__(**{**_entry(1).__dict__, "at": None})])
    (row,) = iter_records(store.engine)
    assert row["at"].endswith("Z") and row["at"][:2] == "20"
    assert verify_chain(store.engine)["ok"]


def _filled(store: Store, n: int = 6) -> None:
    append(store.engine, [_entry(i) for i in range(1, n + 1)])
    assert verify_chain(store.engine)["ok"]


def test_edited_output_is_detected(store: Store) -> None:
    _filled(store)
    with store.engine.begin() as conn:
        conn.execute(sa.update(log).where(log.c.seq == 4).values(outputs='{"verdict":"no_license_required"}'))
    result = verify_chain(store.engine)
    assert not result["ok"] and result["first_bad_seq"] == 4 and "edited" in result["problem"]


def test_edited_actor_with_rehash_is_detected(store: Store) -> None:
    # a forger who recomputes the edited record's own hash still breaks the link to the next record
    _filled(store)
    with store.engine.begin() as conn:
        row = dict(conn.execute(sa.select(log).where(log.c.seq == 2)).one()._mapping)
        row["actor"] = "someone-else"
        conn.execute(
            sa.update(log)
            .where(log.c.seq == 2)
            .values(actor="someone-else", record_hash=record_hash(row["prev_hash"], row))
        )
    assert verify_chain(store.engine)["first_bad_seq"] == 3


def test_deleted_record_is_detected(store: Store) -> None:
    _filled(store)
    with store.engine.begin() as conn:
        conn.execute(sa.delete(log).where(log.c.seq == 3))
    result = verify_chain(store.engine)
    assert not result["ok"] and result["first_bad_seq"] == 3


def test_deleted_tail_is_detected(store: Store) -> None:
    _filled(store)
    with store.engine.begin() as conn:
        conn.execute(sa.delete(log).where(log.c.seq >= 5))
    result = verify_chain(store.engine)
    assert not result["ok"] and result["first_bad_seq"] == 5


def test_reordered_records_are_detected(store: Store) -> None:
    _filled(store)
    with store.engine.begin() as conn:
        a = dict(conn.execute(sa.select(log).where(log.c.seq == 2)).one()._mapping)
        b = dict(conn.execute(sa.select(log).where(log.c.seq == 3)).one()._mapping)
        conn.execute(sa.delete(log).where(log.c.seq.in_([2, 3])))
        conn.execute(sa.insert(log), [{**b, "seq": 2}, {**a, "seq": 3}])
    result = verify_chain(store.engine)
    assert not result["ok"] and result["first_bad_seq"] == 2


def test_concurrent_appends_never_fork(store: Store) -> None:
    def work(k: int) -> None:
        for i in range(10):
            append(store.engine, [_entry(k * 100 + i)])

    threads = [threading.Thread(target=work, args=(k,)) for k in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    result = verify_chain(store.engine)
    assert result["ok"] and result["records"] == 60


def test_processes_racing_never_fork(store_url: str) -> None:
    # separate processes share no lock: the database guard (seq key, advisory lock) keeps one chain
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from exportctl.store import open_store\n"
        "from exportctl.store.audit import AuditEntry, append\n"
        "s = open_store(sys.argv[1])\n"
        "for i in range(15):\n"
        "    e = AuditEntry('check', sys.argv[2], '0' * 64, {'i': i}, 'v', 'e', '2026-01-01T00:00:00Z')\n"
        "    append(s.engine, [e])\n"
    )
    from exportctl.store import open_store

    first = open_store(store_url)  # the store's own tables exist before the writers start
    first.close()
    procs = [subprocess.Popen([sys.executable, "-c", code, store_url, f"p{k}"]) for k in range(3)]
    assert all(p.wait(timeout=120) == 0 for p in procs)

    st = open_store(store_url)
    try:
        result = verify_chain(st.engine)
        assert result["ok"] and result["records"] == 45
    finally:
        st.close()


def test_processes_creating_a_new_store_at_once(store_url: str) -> None:
    # no table exists when the writers start: each CREATEs every table of the store and the audit trail
    # at the same moment (CI once failed on "table audit_reviews already exists" from such a race)
    import subprocess
    import sys
    import time

    code = (
        "import sys, time\n"
        "from exportctl.store import open_store\n"
        "from exportctl.store.audit import AuditEntry, append\n"
        "time.sleep(max(0.0, float(sys.argv[3]) - time.time()))\n"  # all start creating at one instant
        "s = open_store(sys.argv[1])\n"
        "e = AuditEntry('check', sys.argv[2], '0' * 64, {}, 'v', 'e', '2026-01-01T00:00:00Z')\n"
        "append(s.engine, [e])\n"
    )
    start = str(time.time() + 3.0)  # after the imports of every process
    procs = [
        subprocess.Popen([sys.executable, "-c", code, store_url, f"p{k}", start], stderr=subprocess.PIPE)
        for k in range(6)
    ]
    outcomes = [(p.communicate(timeout=120)[1].decode(), p.returncode) for p in procs]
    errors = [err for err, code in outcomes if code != 0]
    assert errors == []

    from exportctl.store import open_store

    st = open_store(store_url)
    try:
        assert verify_chain(st.engine)["records"] == 6
    finally:
        st.close()


def test_time_window(store: Store) -> None:
    append(
        store.engine,
        [
            _entry(1, "2026-01-01T00:00:00.000000Z"),
            _entry(2, "2026-01-02T23:59:59.000000Z"),
            _entry(3, "2026-01-03T00:00:00.000000Z"),
        ],
    )
    rows = list(iter_records(store.engine, start="2026-01-02", end="2026-01-03"))
    assert [r["seq"] for r in rows] == [2]


@pytest.mark.parametrize("batch", [1, 2, 1000])
def test_iter_pages(store: Store, batch: int) -> None:
    _filled(store, 5)
    assert [r["seq"] for r in iter_records(store.engine, batch=batch)] == [1, 2, 3, 4, 5]


def test_a_refused_append_leaves_the_chain_and_the_pool_as_they_were(store: Store) -> None:
    """A record the database refuses fails alone: nothing of it is kept, the next record chains on the
    last one kept, and the pooled connections are handed out in a transaction again (PostgreSQL's appends
    and one-statement reads run in autocommit on the driver's connection: store.audit_pg, driver_row)."""
    if store.engine.dialect.name != "postgresql":
        pytest.skip("SQLite keeps any text in a column; PostgreSQL refuses a kind longer than 32")
    assert append(store.engine, [_entry(1)]) == [1]
    too_long = AuditEntry(**{**_entry(2).__dict__, "kind": "k" * 33})
    with pytest.raises(sa.exc.DataError):
        append(store.engine, [_entry(2), too_long])
    with store.engine.connect() as conn:  # the connection the append used (the pool holds no other)
        assert conn.connection.driver_connection.autocommit is False  # type: ignore[union-attr]
    assert head(store.engine)["seq"] == 1
    reviews_stamp(store.engine)
    with store.engine.connect() as conn:
        assert conn.connection.driver_connection.autocommit is False  # type: ignore[union-attr]
    assert append(store.engine, [_entry(3)]) == [2]
    assert verify_chain(store.engine)["ok"] and [r["seq"] for r in iter_records(store.engine)] == [1, 2]

"""A record's large outputs kept once by their hash beside the chain: verified, exported, never lost."""

from __future__ import annotations

import hashlib
import io
import json

import orjson
import sqlalchemy as sa
from hypothesis import given
from hypothesis import strategies as st

from exportctl.ops.audit import export
from exportctl.ops.audit_group import record_grouped
from exportctl.store import Store
from exportctl.store.audit import iter_records, payloads, verify_chain
from exportctl.store.audit_payloads import REF_KEY, pack, payload_ref, read

ANSWERS = {f"po-{i}": {"verdict": "hold", "reasons": [{"text": "华为 " * (i % 5)}]} for i in range(300)}


def _record(store: Store, answers: dict[str, object], i: int = 0) -> int:
    raw = orjson.dumps(answers, option=orjson.OPT_SORT_KEYS)
    return record_grouped(
        "check_batch", {"i": i}, {"answers": len(answers)}, data_version="v" * 64,
        engine_version="exportctl-engine-1", actor="token:t", engine=store.engine, payload=raw,
    )  # fmt: skip


def test_batch_answers_are_stored_once_and_named_by_their_hash(store: Store) -> None:
    raw = orjson.dumps(ANSWERS, option=orjson.OPT_SORT_KEYS)
    first, second = _record(store, ANSWERS, 1), _record(store, ANSWERS, 2)
    rows = {r["seq"]: r for r in iter_records(store.engine)}
    ref = payload_ref(rows[first]["outputs"])
    assert ref == {
        "bytes": len(raw),
        "codec": "zstd",
        "of": "responses",
        "sha256": hashlib.sha256(raw).hexdigest(),
    }
    assert payload_ref(rows[second]["outputs"]) == ref
    assert json.loads(rows[first]["outputs"])["answers"] == len(ANSWERS)
    assert read(store.engine, ref["sha256"]) == raw
    with store.engine.connect() as conn:  # the same answers are kept once
        assert conn.execute(sa.select(sa.func.count()).select_from(payloads)).scalar_one() == 1
    assert verify_chain(store.engine)["ok"]


def test_export_writes_each_records_answers(store: Store) -> None:
    _record(store, {"a": {"verdict": "hold"}})
    out = io.StringIO()
    assert export(out, "jsonl", engine=store.engine) == 1
    line = json.loads(out.getvalue())
    assert line["payload"] == {"a": {"verdict": "hold"}} and REF_KEY in line["outputs"]
    out = io.StringIO()
    export(out, "csv", engine=store.engine)
    header, row = out.getvalue().splitlines()[:2]
    assert header.endswith(",payload") and row.endswith('"{""a"":{""verdict"":""hold""}}"')


def test_a_lost_payload_is_named_by_its_record(store: Store) -> None:
    _record(store, {"a": {"verdict": "hold"}}, 1)
    seq = _record(store, ANSWERS, 2)
    ref = payload_ref(next(r for r in iter_records(store.engine) if r["seq"] == seq)["outputs"])
    assert ref is not None
    with store.engine.begin() as conn:
        conn.execute(sa.delete(payloads).where(payloads.c.sha256 == ref["sha256"]))
    result = verify_chain(store.engine)
    assert not result["ok"] and result["first_bad_seq"] == seq and "missing" in result["problem"]


def test_an_edited_payload_is_named_by_its_record(store: Store) -> None:
    seq = _record(store, ANSWERS)
    other = pack(
        orjson.dumps({**ANSWERS, "po-0": {"verdict": "no_license_required"}}, option=orjson.OPT_SORT_KEYS)
    )
    with store.engine.begin() as conn:
        conn.execute(sa.update(payloads).values(data=other.data, size=other.size))
    result = verify_chain(store.engine)
    assert not result["ok"] and result["first_bad_seq"] == seq and "edited" in result["problem"]


@given(st.binary(max_size=4000))
def test_pack_keeps_the_bytes_and_their_hash(raw: bytes) -> None:
    import zstandard

    packed = pack(raw)
    assert packed.sha256 == hashlib.sha256(raw).hexdigest() and packed.size == len(raw)
    assert zstandard.ZstdDecompressor().decompress(packed.data) == raw


JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**40), 2**40) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=15), inner, max_size=4),
    max_leaves=20,
)


@given(JSON)
def test_only_a_top_level_reference_names_a_payload(value: object) -> None:
    text = orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode()
    assert payload_ref(text) is None  # arbitrary outputs (a nested audit_payload too) name nothing
    nested = orjson.dumps({"x": {REF_KEY: {"sha256": "0" * 64}}, "v": value}).decode()
    assert payload_ref(nested) is None
    named = orjson.dumps({"v": value, REF_KEY: {"sha256": "a" * 64}}).decode()
    assert payload_ref(named) == {"sha256": "a" * 64}

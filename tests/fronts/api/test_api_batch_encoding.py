"""A batch's answers zstd-encoded for a client accepting zstd (fronts/api/encoding.py), or each distinct
answer once for a client asking for DISTINCT (fronts/api/batch_json.py): the same answers, the same
audit record, and nothing changes for a client asking neither."""

from __future__ import annotations

import copy
import json
from typing import Any

import httpx
import orjson
import zstandard
from hypothesis import given
from hypothesis import strategies as st

from exportctl.fronts.api.app import json_bytes, keyed_json_bytes
from exportctl.fronts.api.batch_json import DISTINCT, distinct_parts, wants_distinct
from exportctl.fronts.api.encoding import MIN_BYTES, accepts_zstd

VALUE = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=False)
    | st.text(max_size=9),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=12,
)
ANSWER = st.dictionaries(st.text(max_size=8), VALUE, max_size=5)


def expand(body: dict[str, Any]) -> dict[str, Any]:
    """The default shape's `responses` from a DISTINCT answer."""
    answers = body["answers"]
    return {qid: answers[at] for qid, at in body["answer_of"].items()}


@given(
    answers=st.lists(ANSWER, min_size=1, max_size=4),
    picks=st.lists(st.tuples(st.text(max_size=6), st.integers(0, 3), st.booleans()), min_size=1),
)
def test_distinct_answers_expand_to_the_keyed_answers(
    answers: list[dict[str, Any]], picks: list[tuple[str, int, bool]]
) -> None:
    keyed: dict[str, dict[str, Any]] = {}
    for qid, k, deep in picks:
        answer = answers[k % len(answers)]
        keyed[qid] = copy.deepcopy(answer) if deep else dict(answer)
    body = json.loads(orjson.dumps(distinct_parts(keyed)))
    assert expand(body) == json.loads(keyed_json_bytes(keyed))
    assert len(body["answers"]) == len({json_bytes(a) for a in keyed.values()})


CODINGS = st.sampled_from(["gzip", "deflate", "br", "zstd", "ZSTD", "identity", "*"])
Q = st.sampled_from([None, "0", "0.0", "0.5", "1", "1.000", "x"])


def _header(parts: list[tuple[str, str | None]]) -> str:
    return ", ".join(c if q is None else f"{c};q={q}" for c, q in parts)


def _accepted(parts: list[tuple[str, str | None]], name: str) -> bool:
    """The first part naming `name`, read by hand: accepted when its q-value is a number above 0."""
    for coding, q in parts:
        if coding.lower() == name:
            try:
                return q is None or float(q) > 0
            except ValueError:
                return False
    return False


@given(st.lists(st.tuples(CODINGS, Q), max_size=5))
def test_accept_encoding_names_zstd(parts: list[tuple[str, str | None]]) -> None:
    assert accepts_zstd(_header(parts)) == _accepted(parts, "zstd")


@given(
    st.lists(
        st.tuples(st.sampled_from(["application/json", "*/*", DISTINCT, DISTINCT.upper()]), Q), max_size=4
    )
)
def test_accept_names_distinct(parts: list[tuple[str, str | None]]) -> None:
    assert wants_distinct(_header(parts)) == _accepted(parts, DISTINCT)


QUERIES = [
    {"eccn": "3A090.a", "destination": "CN", "date": "2025-05-01", "parties": ["Acme"]},
    {"eccn": "EAR99", "destination": "DE", "date": "2025-05-01"},
    {"eccn": "5A002", "destination": "RU", "date": "2024-03-01"},
]
BATCH = {"queries": {f"po-{i}": QUERIES[i % 3] for i in range(48)}, "fail_on": "hold"}


def bearer(token: str) -> dict[str, str]:
    """The Authorization header of a token."""
    return {"Authorization": f"Bearer {token}"}


def _post(client: httpx.Client, token: str, body: Any, **headers: str) -> httpx.Response:
    r = client.post("/v1/check", json=body, headers={**bearer(token), **headers})
    assert r.status_code == 200, r.text
    return r


def _last_record(client: httpx.Client, tokens: dict[str, str]) -> dict[str, Any]:
    lines = client.get("/v1/audit/export", headers=bearer(tokens["admin"])).text.splitlines()
    record: dict[str, Any] = json.loads(lines[-1])
    return record


def test_a_batch_answers_alike_in_each_representation(client: httpx.Client, tokens: dict[str, str]) -> None:
    token = tokens["check"]
    plain = _post(client, token, BATCH, **{"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers and len(plain.content) >= MIN_BYTES
    kept = _last_record(client, tokens)
    # zstd: httpx decodes it; the bytes decoded are the bytes sent unencoded
    zstd = {**bearer(token), "Accept-Encoding": "zstd"}
    with client.stream("POST", "/v1/check", json=BATCH, headers=zstd) as raw:
        encoded = b"".join(raw.iter_raw())
        assert raw.headers["content-encoding"] == "zstd" and "accept-encoding" in raw.headers["vary"].lower()
    assert zstandard.ZstdDecompressor().decompress(encoded) == plain.content
    assert len(encoded) < len(plain.content) / 10
    # each distinct answer once, alone or zstd-encoded: the same answers and the same fail verdict
    for coding in ("identity", "zstd"):
        r = _post(client, token, BATCH, Accept=DISTINCT, **{"Accept-Encoding": coding})
        assert r.headers["content-type"].startswith(DISTINCT)
        body = r.json()
        assert len(body["answers"]) == 3 and set(body) == {"answers", "answer_of", "fail_on", "failed"}
        assert expand(body) == plain.json()["responses"]
        assert (body["fail_on"], body["failed"]) == (plain.json()["fail_on"], plain.json()["failed"])
        # the same audit record: its inputs and the answers it keeps do not depend on the representation
        record = _last_record(client, tokens)
        assert record["kind"] == "check_batch" and record["input_hash"] == kept["input_hash"]
        assert record["outputs"] == kept["outputs"] and record["payload"] == plain.json()["responses"]


def test_a_single_check_is_sent_as_ever(client: httpx.Client, tokens: dict[str, str]) -> None:
    token = tokens["check"]
    plain = _post(client, token, QUERIES[0], **{"Accept-Encoding": "identity"})
    asked = _post(client, token, QUERIES[0], Accept=f"{DISTINCT}, application/json;q=0.5",
                  **{"Accept-Encoding": "zstd"})  # fmt: skip
    assert "content-encoding" not in asked.headers
    assert asked.headers["content-type"] == plain.headers["content-type"] == "application/json"
    assert asked.json() == plain.json()


def _no_constants(name: str) -> Any:
    raise AssertionError(f"not JSON: {name}")


@given(value=VALUE | st.floats())
def test_every_encoder_writes_json_any_parser_reads(value: Any) -> None:
    # a non-finite number is null in the API's orjson and in the CLI encoder it falls back to (an integer
    # past 64 bits): the same value either way, never Python's `Infinity`/`NaN`
    from exportctl.fronts.api.app import json_bytes
    from exportctl.fronts.cli.output import dumps

    answer = {"value": value}
    parsed = json.loads(json_bytes(answer), parse_constant=_no_constants)
    assert parsed == json.loads(dumps(answer), parse_constant=_no_constants)
    fallen_back = json.loads(json_bytes({**answer, "big": 2**70}), parse_constant=_no_constants)
    assert fallen_back == {**parsed, "big": 2**70}

"""Every audited request gets its answer, or its audit record says why not (issue #16, item 6).

A real fault is injected after the audit record is written (the results writer, the answer's encoder):
the request answers 500 in the one error shape naming both records, the chain still verifies, and its
last record is an `unanswered` one naming the error class and the record it follows.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from exportctl.fronts.api.app import JSONObject
from exportctl.store.audit import iter_records, verify_chain

BOOK = b"order_id,eccn,destination,ultimate_consignee,date\nA,EAR99,DE,Acme,2025-05-01\n"
Q = {"eccn": "EAR99", "destination": "DE", "date": "2025-05-01"}


def h(tokens: dict[str, str]) -> dict[str, str]:
    """The Authorization header of the token with every scope."""
    return {"Authorization": f"Bearer {tokens['all']}"}


def _tail(served: Any, n: int) -> list[dict[str, Any]]:
    """The last n records of the served store's trail, outputs decoded."""
    rows = list(iter_records(served.app.state.engine))[-n:]
    return [{**r, "outputs": json.loads(r["outputs"]) if isinstance(r["outputs"], str) else r["outputs"]}
            for r in rows]  # fmt: skip


def _assert_recorded(served: Any, r: httpx.Response, kind: str, error_class: str) -> None:
    assert r.status_code == 500, r.text
    body = r.json()
    assert body["error"] == "internal" and error_class in body["message"], body
    assert "Traceback" not in r.text
    chain = verify_chain(served.app.state.engine)
    assert chain["ok"], chain
    ran, failed = _tail(served, 2)
    assert ran["kind"] == kind and failed["kind"] == "unanswered"
    out = failed["outputs"]
    assert out["answered"] is False and out["error_class"] == error_class and out["status"] == 500
    assert out["for_seqs"] == [ran["seq"]] and (out["for_kind"] in kind or out["for_kind"] == "check_run")
    assert failed["actor"] == ran["actor"] and failed["data_version"] == ran["data_version"]
    assert f"audit record {ran['seq']}" in body["message"] and f"record {failed['seq']}" in body["message"]
    assert "Traceback" not in json.dumps(out) and "disk" not in json.dumps(out)  # no message, no stack


def test_check_file_whose_results_cannot_be_written(
    served: Any, client: httpx.Client, tokens: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def full_disk(self: Any) -> None:
        raise OSError(28, "No space left on device (disk full)")

    # books are written chunk by chunk as they are checked, each chunk recorded once written
    # (ops.check_stream through check_write.ResultWriter): the file's end cannot be written
    monkeypatch.setattr("exportctl.ops.check_write.ResultWriter.close", full_disk)
    r = client.post("/v1/check/file", files={"file": ("book.csv", BOOK)}, headers=h(tokens))
    _assert_recorded(served, r, "check_chunk", "OSError")


def test_check_whose_answer_cannot_be_encoded(
    served: Any, client: httpx.Client, tokens: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(self: JSONObject, content: Any) -> bytes:
        raise ValueError("disk says no")

    monkeypatch.setattr(JSONObject, "render", broken)
    r = client.post("/v1/check", json=Q, headers=h(tokens))
    _assert_recorded(served, r, "check", "ValueError")
    r = client.post("/v1/check", json={"queries": {"a": Q}}, headers=h(tokens))
    _assert_recorded(served, r, "check_batch", "ValueError")
    r = client.post("/v1/screen", json={"name": "Acme Widgets GmbH"}, headers=h(tokens))
    _assert_recorded(served, r, "screen", "ValueError")


def test_a_refusal_before_any_record_writes_none(
    served: Any, client: httpx.Client, tokens: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    before = verify_chain(served.app.state.engine)["records"]
    r = client.post("/v1/check/file", files={"file": ("book.pdf", BOOK)}, headers=h(tokens))
    assert r.status_code == 422 and r.json()["field"] == "file"
    assert verify_chain(served.app.state.engine)["records"] == before


def test_answers_still_leave_with_their_record(
    served: Any, client: httpx.Client, tokens: dict[str, str]
) -> None:
    r = client.post("/v1/check/file", files={"file": ("book.csv", BOOK)}, headers=h(tokens))
    assert r.status_code == 200, r.text
    chunk, last = _tail(served, 2)
    assert (chunk["kind"], last["kind"]) == ("check_chunk", "check_run")
    assert r.headers["x-exportctl-audit-seq"] == f"{chunk['seq']},{last['seq']}"

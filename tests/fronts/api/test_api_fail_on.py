"""`fail_on` on the check and screen endpoints: the answer says whether it fails, as the CLI's exit code."""

from __future__ import annotations

import json

import httpx

Q = {"eccn": "3A090", "destination": "CN", "date": "2025-05-01"}
OK = {"eccn": "EAR99", "destination": "DE", "date": "2025-05-01"}


def h(tokens: dict[str, str]) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens['check']}"}


def test_check_one_carries_failed_only_when_asked(client: httpx.Client, tokens: dict[str, str]) -> None:
    plain = client.post("/v1/check", json=Q, headers=h(tokens)).json()
    assert plain["verdict"] == "license_required" and "failed" not in plain and "fail_on" not in plain
    r = client.post("/v1/check", json={**Q, "fail_on": "license_required"}, headers=h(tokens))
    assert r.status_code == 200 and r.json()["failed"] is True and r.json()["fail_on"] == "license_required"
    r = client.post("/v1/check", json={**Q, "fail_on": "prohibited"}, headers=h(tokens))
    assert r.json()["failed"] is False
    assert {k: v for k, v in r.json().items() if k not in ("fail_on", "failed")} == plain  # nothing else


def test_check_batch_marks_each_answer_and_the_batch(client: httpx.Client, tokens: dict[str, str]) -> None:
    body = {"queries": {"a": Q, "b": OK}, "fail_on": "license_required"}
    r = client.post("/v1/check", json=body, headers=h(tokens))
    assert r.status_code == 200, r.text
    got = r.json()
    assert got["failed"] is True and got["fail_on"] == "license_required"
    assert got["responses"]["a"]["failed"] is True and got["responses"]["b"]["failed"] is False
    quiet = client.post("/v1/check", json={"queries": {"b": OK}, "fail_on": "hold"}, headers=h(tokens)).json()
    assert quiet["failed"] is False
    plain = client.post("/v1/check", json={"queries": {"b": OK}}, headers=h(tokens)).json()
    assert "failed" not in plain and "failed" not in plain["responses"]["b"]


def test_bad_fail_on_is_422_naming_the_field(client: httpx.Client, tokens: dict[str, str]) -> None:
    for path, body in (
        ("/v1/check", {**Q, "fail_on": "hit"}),
        ("/v1/check", {"queries": {"a": Q}, "fail_on": "bogus"}),
        ("/v1/screen", {"name": "Huawei", "fail_on": "hold"}),
        ("/v1/screen", {"queries": {"a": {"name": "Huawei"}}, "fail_on": "hold"}),
    ):
        r = client.post(path, json=body, headers=h(tokens))
        assert r.status_code == 422 and r.json()["field"] == "fail_on", (path, r.text)


def test_check_file_says_failed_in_a_header(client: httpx.Client, tokens: dict[str, str]) -> None:
    book = b"order_id,eccn,destination,date\nA,3A090,CN,2025-05-01\nB,EAR99,DE,2025-05-01\n"
    for fail_on, failed in (("license_required", True), ("prohibited", False)):
        r = client.post(
            "/v1/check/file",
            files={"file": ("book.csv", book)},
            data={"fail_on": fail_on},
            headers=h(tokens),
        )
        assert r.status_code == 200, r.text
        assert json.loads(r.headers["x-exportctl-failed"]) is failed
    r = client.post("/v1/check/file", files={"file": ("book.csv", book)}, headers=h(tokens))
    assert "x-exportctl-failed" not in r.headers
    r = client.post(
        "/v1/check/file", files={"file": ("book.csv", book)}, data={"fail_on": "x"}, headers=h(tokens)
    )
    assert r.status_code == 422 and r.json()["field"] == "fail_on"


def test_screen_one_and_batch(client: httpx.Client, tokens: dict[str, str]) -> None:
    one = client.post("/v1/screen", json={"name": "Huawei Technologies", "fail_on": "hit"}, headers=h(tokens))
    assert one.status_code == 200 and one.json()["hits"] and one.json()["failed"] is True
    match = client.post(
        "/v1/screen", json={"name": "Huawei Technologies", "fail_on": "match"}, headers=h(tokens)
    )
    assert match.json()["failed"] is False  # nobody confirmed a match
    body = {"queries": {"a": {"name": "Huawei Technologies"}, "b": {"name": "Zqxv Nowhere Widgets"}}}
    r = client.post("/v1/screen", json={**body, "fail_on": "hit"}, headers=h(tokens))
    assert r.status_code == 200, r.text
    got = r.json()
    assert got["failed"] is True and got["fail_on"] == "hit"
    assert got["responses"]["a"]["failed"] is True and got["responses"]["b"]["failed"] is False
    plain = client.post("/v1/screen", json=body, headers=h(tokens)).json()
    assert "failed" not in plain and "failed" not in plain["responses"]["a"]
    assert plain["responses"]["a"]["hits"] == got["responses"]["a"]["hits"]

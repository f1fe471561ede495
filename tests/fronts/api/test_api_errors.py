"""The one JSON error shape, pinned: every error status answers exactly these keys."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from exportctl.errors import InputError
from exportctl.fronts.api.deps import Settings


def bearer(token: str) -> dict[str, str]:
    """The Authorization header of a token."""
    return {"Authorization": f"Bearer {token}"}


SHAPE = {"error", "message", "field", "file", "line", "suggestions"}


def _shape(r: httpx.Response, status: int, code: str) -> dict[str, object]:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/json")
    body = r.json()
    assert set(body) == SHAPE
    assert body["error"] == code
    assert isinstance(body["message"], str) and body["message"]
    assert isinstance(body["suggestions"], list)
    return body  # type: ignore[no-any-return]


def test_shape_matches_the_exception_tree() -> None:
    assert set(InputError("x").to_dict()) == SHAPE


def test_401_without_token(client: httpx.Client) -> None:
    r = client.post("/v1/check", json={"eccn": "3A090", "destination": "CN"})
    body = _shape(r, 401, "unauthorized")
    assert body["field"] == "authorization"
    assert r.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize("header", ["Bearer nope", "Basic abc", "Bearer", "token"])
def test_401_bad_token(client: httpx.Client, header: str) -> None:
    _shape(client.get("/v1/data/status", headers={"Authorization": header}), 401, "unauthorized")


def test_403_wrong_scope(client: httpx.Client, tokens: dict[str, str]) -> None:
    r = client.post("/v1/check", json={"eccn": "3A090", "destination": "CN"}, headers=bearer(tokens["read"]))
    body = _shape(r, 403, "forbidden")
    assert "'check'" in str(body["message"])


def test_422_names_the_field(client: httpx.Client, tokens: dict[str, str]) -> None:
    h = bearer(tokens["check"])
    body = _shape(client.post("/v1/check", json={"eccn": "3A090"}, headers=h), 422, "invalid_input")
    assert body["field"] == "destination"
    body = _shape(
        client.post("/v1/check", json={"eccn": "3A090", "destination": "CN", "colour": 1}, headers=h),
        422,
        "invalid_input",
    )
    assert body["field"] == "colour"
    body = _shape(
        client.post("/v1/check", json={"eccn": "3A090", "destination": "CN", "date": "May 1"}, headers=h),
        422,
        "invalid_input",
    )
    assert body["field"] == "date"
    body = _shape(
        client.post(
            "/v1/check", json={"eccn": "3A090", "destination": "Narnia", "date": "2025-05-01"}, headers=h
        ),
        422,
        "invalid_input",
    )
    assert body["field"] == "destination" and body["suggestions"]
    body = _shape(
        client.post("/v1/check", content=b"{not json", headers={**h, "content-type": "application/json"}),
        422,
        "invalid_input",
    )
    body = _shape(
        client.post("/v1/check", json={"queries": {"a": {"eccn": "3A090"}}}, headers=h), 422, "invalid_input"
    )
    assert body["field"] == "queries.a.destination"


def test_422_bad_scenario(client: httpx.Client, tokens: dict[str, str]) -> None:
    q = {
        "eccn": "3A090",
        "destination": "CN",
        "date": "2025-05-01",
        "scenario": {"name": "x", "remove": "oops"},
    }
    body = _shape(client.post("/v1/check", json=q, headers=bearer(tokens["check"])), 422, "invalid_input")
    assert str(body["field"]).startswith("scenario.remove")


def test_404_and_405(client: httpx.Client) -> None:
    _shape(client.get("/v1/nothing-here"), 404, "not_found")
    _shape(client.delete("/v1/health"), 405, "method_not_allowed")


def test_413_body_and_batch(client: httpx.Client, tokens: dict[str, str]) -> None:
    h = bearer(tokens["check"])
    big = {
        "queries": {str(i): {"eccn": "3A090", "destination": "CN", "product": "x" * 500} for i in range(600)}
    }
    body = _shape(client.post("/v1/check", json=big, headers=h), 413, "too_large")
    assert body["field"] == "body"
    many = {"queries": {str(i): {"eccn": "EAR99", "destination": "CN"} for i in range(51)}}
    body = _shape(client.post("/v1/check", json=many, headers=h), 413, "too_large")
    assert body["field"] == "queries"
    names = {"queries": {str(i): {"name": f"Acme {i}"} for i in range(51)}}
    _shape(client.post("/v1/screen", json=names, headers=h), 413, "too_large")


def test_413_chunked_body(client: httpx.Client, tokens: dict[str, str]) -> None:
    def chunks():  # no Content-Length: the limit is counted while reading
        for _ in range(400):
            yield b" " * 1024

    r = client.post(
        "/v1/check", content=chunks(), headers={**bearer(tokens["check"]), "content-type": "application/json"}
    )
    _shape(r, 413, "too_large")


def test_429_rate_limit(serve: Callable[[Settings], Any]) -> None:
    s = serve(Settings(rate_per_second=0.001, burst=3))
    token = s.token("read")
    with httpx.Client(base_url=s.url) as c:
        codes = [c.get("/v1/token", headers=bearer(token)).status_code for _ in range(5)]
        assert codes == [200, 200, 200, 429, 429]
        r = c.get("/v1/token", headers=bearer(token))
        _shape(r, 429, "rate_limited")
        assert r.headers["retry-after"]
        # another token has its own bucket; health is not limited
        assert c.get("/v1/token", headers=bearer(s.token("read"))).status_code == 200
        assert all(c.get("/v1/health").status_code == 200 for _ in range(10))

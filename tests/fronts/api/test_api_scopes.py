"""The whole matrix of scopes against endpoints: nothing is reachable without the right scope."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from exportctl.store.tokens import SCOPES

# (method, path, request kwargs, the scope it needs; None = any valid token; "anonymous" = no token)
ENDPOINTS: list[tuple[str, str, dict[str, Any], str | None]] = [
    ("GET", "/v1/health", {}, "anonymous"),
    ("GET", "/v1/token", {}, None),
    ("POST", "/v1/check", {"json": {"eccn": "EAR99", "destination": "DE", "date": "2025-05-01"}}, "check"),
    (
        "POST",
        "/v1/check",
        {"json": {"queries": {"a": {"eccn": "EAR99", "destination": "DE", "date": "2025-05-01"}}}},
        "check",
    ),
    (
        "POST",
        "/v1/check/file",
        {"files": {"file": ("o.csv", b"eccn,destination,date\nEAR99,DE,2025-05-01\n")}},
        "check",
    ),
    ("POST", "/v1/screen", {"json": {"name": "Acme Widgets GmbH"}}, "check"),
    ("GET", "/v1/tariff", {"params": {"hts": "8471.30.01", "origin": "CN", "date": "2025-05-01"}}, "read"),
    ("POST", "/v1/tariff", {"json": {"hts": "8471.30.01", "origin": "CN", "date": "2025-05-01"}}, "read"),
    (
        "GET",
        "/v1/tariff/compare",
        {"params": {"hts": "8471.30.01", "origins": "CN,VN", "date": "2025-05-01"}},
        "read",
    ),
    (
        "POST",
        "/v1/tariff/compare",
        {"json": {"hts": "8471.30.01", "origins": ["CN", "VN"], "date": "2025-05-01"}},
        "read",
    ),
    (
        "GET",
        "/v1/tariff/history",
        {"params": {"hts": "8471.30.01", "origin": "CN", "from": "2024-01-01", "to": "2025-06-01"}},
        "read",
    ),
    (
        "POST",
        "/v1/tariff/history",
        {"json": {"hts": "8471.30.01", "origin": "CN", "from": "2024-01-01", "to": "2025-06-01"}},
        "read",
    ),
    ("GET", "/v1/timeline", {"params": {"from": "2024-01-01", "to": "2025-01-01"}}, "read"),
    ("POST", "/v1/timeline", {"json": {"from": "2024-01-01", "to": "2025-01-01"}}, "read"),
    ("GET", "/v1/diff", {"params": {"from": "2024-01-01", "to": "2025-01-01"}}, "read"),
    ("POST", "/v1/diff", {"json": {"from": "2024-01-01", "to": "2025-01-01"}}, "read"),
    ("GET", "/v1/data/status", {}, "read"),
    ("GET", "/v1/registry/coverage", {}, "read"),
    ("GET", "/v1/reviews", {}, "review"),
    (
        "POST",
        "/v1/reviews",
        {"json": {"party": "x", "list": "EL", "entity_id": "nope", "decision": "match"}},
        "review",
    ),
    ("DELETE", "/v1/reviews/{review_id}", {}, "review"),  # asked of decision 999999, which does not exist
    ("GET", "/v1/audit/verify", {}, "admin"),
    ("GET", "/v1/audit/export", {}, "admin"),
]


def test_every_api_route_is_in_the_matrix(served: Any) -> None:
    paths = served.app.openapi()["paths"]
    routes = {(m.upper(), p) for p, ops in paths.items() for m in ops}
    covered = {(m, p) for m, p, _, _ in ENDPOINTS}
    assert routes == covered


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "needed"), ENDPOINTS, ids=[f"{m} {p} {n}" for m, p, _, n in ENDPOINTS]
)
def test_scope_matrix(
    client: httpx.Client,
    tokens: dict[str, str],
    method: str,
    path: str,
    kwargs: dict[str, Any],
    needed: str | None,
) -> None:
    path = path.replace("{review_id}", "999999")
    anonymous = client.request(method, path, **kwargs)
    if needed == "anonymous":
        assert anonymous.status_code == 200
        return
    assert anonymous.status_code == 401
    assert (
        client.request(
            method, path, headers={"Authorization": "Bearer revoked-or-unknown"}, **kwargs
        ).status_code
        == 401
    )
    for scope in SCOPES:
        r = client.request(method, path, headers={"Authorization": f"Bearer {tokens[scope]}"}, **kwargs)
        if needed is None or scope == needed:
            assert r.status_code not in (401, 403), (scope, r.text)
            # the review of an unknown entry, the withdrawal of an unknown decision: a clear 404
            unknown = path.startswith("/v1/reviews") and method in ("POST", "DELETE")
            assert r.status_code == (404 if unknown else 200), (
                scope,
                r.text,
            )
        else:
            assert r.status_code == 403, (scope, r.text)
            assert r.json()["error"] == "forbidden"


def test_revoked_token_is_refused(served: Any, client: httpx.Client) -> None:
    """The main server keeps verified tokens for 1 s (Settings.token_ttl): refused within that."""
    from exportctl.store.tokens import authenticate, revoke_token

    secret = served.token("read")
    h = {"Authorization": f"Bearer {secret}"}
    assert client.get("/v1/token", headers=h).status_code == 200
    info = authenticate(served.app.state.engine, secret)
    assert info is not None
    revoke_token(served.app.state.engine, info.id, now="2026-11-23T01:00:00Z")
    served.app.state.tokens.clear()  # as once token_ttl has passed
    assert client.get("/v1/token", headers=h).status_code == 401


class Clock:
    """A clock the test moves."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_revoked_token_works_until_its_ttl_then_never(serve: Any, tmp_path: Any) -> None:
    """A token verified less than token_ttl seconds ago is admitted without reading the store; once
    revoked it is refused as soon as that entry is token_ttl old, and never kept again."""
    from exportctl.fronts.api.deps import Settings
    from exportctl.store.tokens import revoke_token, token_hash

    s = serve(Settings(database_url=f"sqlite:///{tmp_path / 's.db'}", token_ttl=30))
    clock = Clock()
    s.app.state.tokens.clock = clock
    secret = s.token("read")
    h = {"Authorization": f"Bearer {secret}"}
    with httpx.Client(base_url=s.url, timeout=60) as c:
        assert c.get("/v1/token", headers=h).status_code == 200
        revoke_token(s.app.state.engine, token_hash(secret)[:12], now="2026-11-23T01:00:00Z")
        clock.now += 29.9
        assert c.get("/v1/token", headers=h).status_code == 200  # within the documented ttl
        clock.now += 0.1
        assert c.get("/v1/token", headers=h).status_code == 401
        clock.now += 100  # and from then on: a revoked token is never kept
        assert c.get("/v1/token", headers=h).status_code == 401


def test_ttl_zero_refuses_a_revoked_token_at_once(serve: Any, tmp_path: Any) -> None:
    from exportctl.fronts.api.deps import Settings
    from exportctl.store.tokens import revoke_token, token_hash

    s = serve(Settings(database_url=f"sqlite:///{tmp_path / 's.db'}", token_ttl=0))
    secret = s.token("read")
    h = {"Authorization": f"Bearer {secret}"}
    with httpx.Client(base_url=s.url, timeout=60) as c:
        assert c.get("/v1/token", headers=h).status_code == 200
        revoke_token(s.app.state.engine, token_hash(secret)[:12], now="2026-11-23T01:00:00Z")
        assert c.get("/v1/token", headers=h).status_code == 401


def test_only_health_page_and_openapi_are_anonymous(client: httpx.Client) -> None:
    assert client.get("/").status_code == 200 and client.get("/static/app.js").status_code == 200
    schemes = client.get("/openapi.json").json()["components"]["securitySchemes"]
    assert schemes["HTTPBearer"]["scheme"] == "bearer"
    assert client.get("/docs").status_code == 404  # Swagger UI loads from a CDN: off, the service is offline

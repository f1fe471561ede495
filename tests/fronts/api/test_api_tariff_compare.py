"""GET and POST /v1/tariff/compare answer what ops.tariff_compare.compare answers (the CLI's JSON)."""

from __future__ import annotations

import json

import httpx

from exportctl.fronts.cli.output import dumps


def _h(tokens: dict[str, str]) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens['read']}"}


def test_compare_get_and_post(client: httpx.Client, tokens: dict[str, str]) -> None:
    from exportctl.ops.tariff_compare import compare

    params = {"hts": "8471.30.01", "origins": "CN,VN,MX,IN", "date": "2025-09-01"}
    r = client.get("/v1/tariff/compare", params=params, headers=_h(tokens))
    assert r.status_code == 200, r.text
    assert r.json() == json.loads(dumps(compare("8471.30.01", "CN,VN,MX,IN", "2025-09-01")))
    assert [o["origin"] for o in r.json()["origins"]] == ["CN", "VN", "MX", "IN"]
    body = {**params, "origins": ["CN", "VN", "MX", "IN"]}
    assert client.post("/v1/tariff/compare", json=body, headers=_h(tokens)).json() == r.json()


def test_compare_errors_name_the_field(client: httpx.Client, tokens: dict[str, str]) -> None:
    bad = client.get(
        "/v1/tariff/compare",
        params={"hts": "8471.30.01", "origins": "CN,ZZ", "date": "2025-09-01"},
        headers=_h(tokens),
    )
    assert bad.status_code == 422 and bad.json()["field"] == "origins"
    late = client.get(
        "/v1/tariff/compare",
        params={"hts": "8471.30.01", "origins": "CN", "date": "2026-11-10"},
        headers=_h(tokens),
    )
    assert (
        late.status_code == 422 and late.json()["field"] == "date" and "2026-11-09" in late.json()["message"]
    )
    assert (
        client.get(
            "/v1/tariff/compare", params={"hts": "8471.30.01", "origins": "CN", "date": "2025-09-01"}
        ).status_code
        == 401
    )


def test_compare_without_origins_is_422(client: httpx.Client, tokens: dict[str, str]) -> None:
    r = client.get(
        "/v1/tariff/compare",
        params={"hts": "8471.30.01", "origins": " , ", "date": "2025-09-01"},
        headers=_h(tokens),
    )
    assert r.status_code == 422, r.text

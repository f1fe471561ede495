"""The public answers are typed once (ops.answers): the OpenAPI document is generated from those types, and
real answers of the API (and of ops, as the CLI prints them) validate against them, unknown keys refused."""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx
import pytest
from pydantic import TypeAdapter, ValidationError

from exportctl.ops import answers

ANSWERS = {
    ("/v1/check", "post"): {"CheckAnswer", "CheckBatchAnswer"},
    ("/v1/screen", "post"): {"ScreenAnswer", "ScreenBatchAnswer"},
    ("/v1/tariff", "post"): {"TariffAnswer"},
    ("/v1/tariff", "get"): {"TariffAnswer"},
}
TARIFF = {"hts": "8542.31.00", "origin": "CN", "date": "2025-05-01", "value": 1000.0}


def h(tokens: dict[str, str], scope: str = "all") -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens[scope]}"}


def valid(kind: Any, obj: Any) -> Any:
    return TypeAdapter(kind).validate_python(obj)


@pytest.fixture(scope="module")
def doc(client: httpx.Client) -> dict[str, Any]:
    document: dict[str, Any] = client.get("/openapi.json").json()
    return document


def _refs(schema: dict[str, Any]) -> set[str]:
    parts = schema.get("anyOf", [schema])
    return {p["$ref"].rsplit("/", 1)[1] for p in parts}


@pytest.mark.parametrize(("path", "method"), list(ANSWERS))
def test_the_document_names_the_answer_types(doc: dict[str, Any], path: str, method: str) -> None:
    schema = doc["paths"][path][method]["responses"]["200"]["content"]["application/json"]["schema"]
    assert _refs(schema) == ANSWERS[(path, method)]
    for name in ANSWERS[(path, method)]:
        assert doc["components"]["schemas"][name]["additionalProperties"] is False


def test_the_document_is_the_types_schema(doc: dict[str, Any]) -> None:
    tariff = doc["components"]["schemas"]["TariffAnswer"]
    own = TypeAdapter(answers.TariffAnswer).json_schema(ref_template="#/components/schemas/{model}")
    assert set(tariff["properties"]) == set(own["properties"]) == set(answers.TariffAnswer.__annotations__)
    # with postponed annotations __required_keys__ cannot see NotRequired (a string): read the annotations
    optional = {k for k, v in answers.TariffAnswer.__annotations__.items() if "NotRequired[" in str(v)}
    assert set(tariff["required"]) == set(answers.TariffAnswer.__required_keys__) - optional
    screen = doc["components"]["schemas"]["ScreenAnswer"]
    assert "as_of" not in screen["required"] and "hits" in screen["required"]


def test_real_answers_validate(client: httpx.Client, tokens: dict[str, str]) -> None:
    one = client.post(
        "/v1/screen", json={"name": "Huawei Technologies", "as_of": "2025-05-01"}, headers=h(tokens)
    )
    assert one.status_code == 200, one.text
    screened = valid(answers.ScreenAnswer, one.json())
    assert screened["hits"] and screened["hits"][0]["evidence"]
    batch = client.post(
        "/v1/screen",
        json={"queries": {"a": {"name": "Huawei"}, "b": {"name": "Rosoboronexport"}}},
        headers=h(tokens),
    )
    assert set(valid(answers.ScreenBatchAnswer, batch.json())["responses"]) == {"a", "b"}
    for r in (
        client.get("/v1/tariff", params=TARIFF, headers=h(tokens, "read")),
        client.post(
            "/v1/tariff", json={**TARIFF, "origin": "DE", "hts": "7208.10.15"}, headers=h(tokens, "read")
        ),
    ):
        assert r.status_code == 200, r.text
        stack = valid(answers.TariffAnswer, r.json())
        assert stack["duty"]["fees"] is not None and stack["mfn"]["column"]


def test_ops_answers_validate_as_the_cli_prints_them() -> None:
    from exportctl.ops.check import check_one
    from exportctl.ops.tariff import lookup

    day = dt.date(2025, 5, 1)
    checked = check_one(to="RU", as_of=day, product="NVIDIA H20", end_use="military", value=5000)
    assert valid(answers.CheckAnswer, checked)["transaction"]["end_use"] == "military"
    stack = lookup("2709.00.20", "CA", "2025-05-01", value=10.0, quantity=3, unit="bbl", mode="ocean")
    assert valid(answers.TariffAnswer, stack)["duty"]["mode"] == "ocean"


def test_an_answer_with_a_key_the_type_does_not_name_is_refused(
    client: httpx.Client, tokens: dict[str, str]
) -> None:
    stack = client.get("/v1/tariff", params=TARIFF, headers=h(tokens, "read")).json()
    with pytest.raises(ValidationError, match="rate"):
        valid(answers.TariffAnswer, {**stack, "rate": 1})
    with pytest.raises(ValidationError, match="amount_usd"):
        valid(
            answers.TariffAnswer,
            {**stack, "mfn": {k: v for k, v in stack["mfn"].items() if k != "amount_usd"}},
        )

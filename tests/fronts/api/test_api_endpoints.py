"""Every endpoint over a real server: the same objects as the CLI and ops, batches keyed by ids."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import httpx
from typer.testing import CliRunner

from exportctl.fronts.cli.main import app as cli
from exportctl.fronts.cli.output import dumps

Q = {"eccn": "3A090", "destination": "CN", "parties": ["Huawei Technologies Co., Ltd."], "date": "2025-05-01"}


def h(tokens: dict[str, str], scope: str = "all") -> dict[str, str]:
    """The Authorization header of a scope's token."""
    return {"Authorization": f"Bearer {tokens[scope]}"}


def _stable(obj: dict[str, Any]) -> dict[str, Any]:
    # ops.tariff does not yet order `excluded` stably between calls (reported); compare it as a set
    return {**obj, "excluded": sorted(obj["excluded"], key=dumps)}


def _unordered(obj: dict[str, Any]) -> dict[str, Any]:
    # the EAR engine does not yet order same-step reasons and party hits stably (reported): compare as sets
    return {
        k: sorted(v, key=dumps) if k in ("reasons", "parties", "exceptions") else v for k, v in obj.items()
    }


def _audit_head(client: httpx.Client, tokens: dict[str, str]) -> int:
    r = client.get("/v1/audit/verify", headers=h(tokens, "admin"))
    assert r.status_code == 200 and r.json()["ok"], r.text
    return int(r.json()["records"])


def test_health_is_anonymous(client: httpx.Client) -> None:
    r = client.get("/v1/health")
    assert r.status_code == 200 and r.json()["status"] == "ok"


def test_whoami(client: httpx.Client, tokens: dict[str, str]) -> None:
    r = client.get("/v1/token", headers=h(tokens, "review"))
    assert r.json()["scopes"] == ["review"] and r.json()["name"] == "test-review"


def test_check_one_is_the_cli_object(client: httpx.Client, tokens: dict[str, str]) -> None:
    before = _audit_head(client, tokens)
    r = client.post("/v1/check", json=Q, headers=h(tokens, "check"))
    assert r.status_code == 200, r.text
    got = r.json()
    out = CliRunner().invoke(
        cli,
        [
            "check",
            "--eccn",
            "3A090",
            "--to",
            "CN",
            "--party",
            Q["parties"][0],
            "--date",
            "2025-05-01",
            "--format",
            "json",
        ],
    )
    assert out.exit_code in (0, 1), out.output
    assert _unordered(got) == _unordered(json.loads(out.stdout))
    assert got["verdict"] in ("license_required", "prohibited", "hold")
    assert got["reasons"] and all("citation" in reason for reason in got["reasons"])
    assert _audit_head(client, tokens) == before + 1


def test_check_batch_keyed_by_ids(client: httpx.Client, tokens: dict[str, str]) -> None:
    queries = {
        "po-1": Q,
        "po-2": {"eccn": "EAR99", "destination": "DE", "date": "2025-05-01"},
        "bad": {"eccn": "3A090", "destination": "Narnia", "date": "2025-05-01"},
    }
    before = _audit_head(client, tokens)
    r = client.post("/v1/check", json={"queries": queries}, headers=h(tokens, "check"))
    assert r.status_code == 200, r.text
    responses = r.json()["responses"]
    assert set(responses) == set(queries)
    one = client.post("/v1/check", json=Q, headers=h(tokens, "check")).json()
    assert responses["po-1"]["verdict"] == one["verdict"]
    assert _unordered(responses["po-1"])["reasons"] == _unordered(one)["reasons"]
    assert responses["po-2"]["verdict"] == "no_license_required"
    assert responses["bad"]["verdict"] == "hold" and "Narnia" in responses["bad"]["error"]
    assert _audit_head(client, tokens) == before + 2


def test_check_parties_named_by_role_answer_as_the_cli_roles(
    client: httpx.Client, tokens: dict[str, str]
) -> None:
    # an integrator sends its order's roles by name (the CLI's --consignee ... --purchaser); the answer is
    # the one the same parties in check_one's order give, and naming both ways is refused naming the field
    base = {"eccn": "5A992", "destination": "CN", "date": "2025-05-01"}
    by_order = client.post(
        "/v1/check",
        json={**base, "parties": [None, None, None, "Huawei Technologies"]},
        headers=h(tokens, "check"),
    )
    assert by_order.status_code == 422  # a list of names: no gaps in the JSON list (roles fill gaps)
    ordered = client.post(
        "/v1/check",
        json={**base, "parties": ["Siemens AG", "", "", "Huawei Technologies"]},
        headers=h(tokens, "check"),
    )
    for spelled in (
        {"consignee": "Siemens AG", "customer": "Huawei Technologies"},
        {"ultimate_consignee": "Siemens AG", "purchaser": "Huawei Technologies"},
    ):
        r = client.post("/v1/check", json={**base, **spelled}, headers=h(tokens, "check"))
        assert r.status_code == 200, r.text
        assert _unordered(r.json())["reasons"] == _unordered(ordered.json())["reasons"]
        assert "purchaser 'Huawei Technologies'" in json.dumps(r.json()["reasons"])
    cli_out = CliRunner().invoke(
        cli,
        [
            "check",
            "--eccn",
            "5A992",
            "--to",
            "CN",
            "--consignee",
            "Siemens AG",
            "--purchaser",
            "Huawei Technologies",
            "--date",
            "2025-05-01",
            "--format",
            "json",
        ],
    )
    assert _unordered(json.loads(cli_out.stdout))["reasons"] == _unordered(r.json())["reasons"]
    both = client.post(
        "/v1/check",
        json={**base, "parties": ["Siemens AG"], "end_user": "Huawei"},
        headers=h(tokens, "check"),
    )
    assert both.status_code == 422 and both.json()["field"] == "parties", both.text
    batch = client.post(
        "/v1/check",
        json={
            "queries": {
                "po-1": {**base, "forwarder": "DHL"},
                "po-2": {**base, "parties": ["A"], "purchaser": "B"},
            }
        },
        headers=h(tokens, "check"),
    )
    assert batch.status_code == 422 and batch.json()["field"] == "queries.po-2.parties", batch.text


def test_check_batch_record_keeps_the_answers_sent(client: httpx.Client, tokens: dict[str, str]) -> None:
    # the record names the bytes of `responses` as sent by their sha256; export gives them back
    import hashlib

    queries = {f"po-{i}": {"eccn": "EAR99", "destination": "DE", "date": "2025-05-01"} for i in range(30)}
    r = client.post("/v1/check", json={"queries": queries}, headers=h(tokens, "check"))
    assert r.status_code == 200, r.text
    text = r.content.decode()
    start = text.index('"responses":') + len('"responses":')
    answers, end = json.JSONDecoder().raw_decode(text, start)
    sent = text[start:end].encode()
    assert answers == r.json()["responses"]
    lines = client.get("/v1/audit/export", headers=h(tokens, "admin")).text.splitlines()
    record = json.loads(lines[-1])
    assert record["kind"] == "check_batch" and record["outputs"]["answers"] == 30
    assert record["outputs"]["audit_payload"]["sha256"] == hashlib.sha256(sent).hexdigest()
    assert record["payload"] == r.json()["responses"]
    assert _audit_head(client, tokens) == record["seq"]


def test_check_known_on_and_scenario(client: httpx.Client, tokens: dict[str, str]) -> None:
    q = {**Q, "known_on": "2019-01-01", "scenario": {"name": "nothing", "description": "changes nothing"}}
    r = client.post("/v1/check", json=q, headers=h(tokens, "check"))
    assert r.status_code == 200, r.text
    assert r.json()["known_on"] == "2019-01-01"
    plain = client.post("/v1/check", json=Q, headers=h(tokens, "check")).json()
    assert r.json()["regime"] != plain["regime"]  # the scenario and known_on are part of the regime id


def test_check_file_roundtrip(client: httpx.Client, tokens: dict[str, str]) -> None:
    book = (
        "order_id,eccn,destination,ultimate_consignee,date\n"
        "A,3A090.a,CN,Acme,2025-05-01\nB,EAR99,DE,,2025-05-01\nC,3A090,Narnia,,2025-05-01\n"
    )
    before = _audit_head(client, tokens)
    r = client.post(
        "/v1/check/file",
        files={"file": ("book.csv", book.encode())},
        data={"output": "csv"},
        headers=h(tokens, "check"),
    )
    assert r.status_code == 200, r.text
    assert "book-results.csv" in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert [row["order_id"] for row in rows] == ["A", "B", "C"]
    assert rows[1]["verdict"] == "no_license_required" and rows[2]["verdict"] == "hold"
    summary = json.loads(r.headers["x-exportctl-summary"])
    assert sum(s["rows"] for s in summary) == 3
    # one record for its one chunk, one for the finished file (ops.audit_runs), both named in the header
    assert _audit_head(client, tokens) == before + 2
    assert r.headers["x-exportctl-audit-seq"] == f"{before + 1},{before + 2}"
    bad = client.post("/v1/check/file", files={"file": ("book.pdf", b"x")}, headers=h(tokens, "check"))
    assert bad.status_code == 422 and bad.json()["field"] == "file"


def test_check_file_reads_a_code_page_book_as_said(client: httpx.Client, tokens: dict[str, str]) -> None:
    # Excel's plain 'CSV' on Western-European Windows is cp1252: refused naming its line, read with `encoding`
    book = "order_id,eccn,destination,customer,date\nA,EAR99,DE,Müller GmbH,2025-05-01\n".encode("cp1252")
    post = {"files": {"file": ("book.csv", book)}, "headers": h(tokens, "check")}
    r = client.post("/v1/check/file", data={"output": "csv"}, **post)
    assert r.status_code == 422 and r.json()["line"] == 2 and "--encoding" in r.json()["message"], r.text
    r = client.post("/v1/check/file", data={"output": "csv", "encoding": "cp1252"}, **post)
    assert r.status_code == 200, r.text
    assert next(csv.DictReader(io.StringIO(r.text)))["customer"] == "Müller GmbH"
    assert any("cp1252" in w for w in json.loads(r.headers["x-exportctl-warnings"]))
    r = client.post("/v1/check/file", data={"output": "csv", "encoding": "klingon"}, **post)
    assert r.status_code == 422 and r.json()["field"] == "encoding", r.text


def test_check_file_reads_the_sheet_named(
    client: httpx.Client, tokens: dict[str, str], tmp_path: Path
) -> None:
    # a workbook with two order sheets is refused naming them; `sheet` reads the one named, as --sheet does
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for name, order in (("Q1", "A"), ("Q2", "B")):
        sheet = book.create_sheet(name)
        sheet.append(["order_id", "eccn", "destination", "customer", "date"])
        sheet.append([order, "EAR99", "DE", "Siemens AG", "2025-05-01"])
    path = tmp_path / "two.xlsx"
    book.save(path)
    post = {"files": {"file": ("two.xlsx", path.read_bytes())}, "headers": h(tokens, "check")}
    r = client.post("/v1/check/file", data={"output": "csv"}, **post)
    assert r.status_code == 422 and "'Q1', 'Q2'" in r.json()["message"], r.text
    r = client.post("/v1/check/file", data={"output": "csv", "sheet": "Q2"}, **post)
    assert r.status_code == 200, r.text
    assert [row["order_id"] for row in csv.DictReader(io.StringIO(r.text))] == ["B"]
    r = client.post("/v1/check/file", data={"output": "csv", "sheet": "Q3"}, **post)
    assert r.status_code == 422 and r.json()["field"] == "sheet", r.text


def test_check_file_places_every_column_like_the_cli(client: httpx.Client, tokens: dict[str, str]) -> None:
    book = (
        b"SO Number,Ship Date,ECCN,Ship-To Country,Partner,Lager\n"
        b'SO-1,03/15/2025,EAR99,China,"Huawei Technologies Co., Ltd.",B1\n'
        b"SO-2,15 Mar 2025,EAR99,Germany,Siemens AG,B2\n"
    )
    post = {"files": {"file": ("erp.csv", book)}, "headers": h(tokens, "check")}
    r = client.post("/v1/check/file", data={"output": "csv"}, **post)
    assert r.status_code == 422 and r.json()["field"] == "columns"
    assert "'Partner'" in r.json()["message"] and "'Lager'" in r.json()["message"]
    for columns in ('{"Partner": "customer"}', "Partner: purchaser"):
        data = {"output": "csv", "columns": columns, "ignore_columns": ["Lager"]}
        r = client.post("/v1/check/file", data=data, **post)
        assert r.status_code == 200, r.text
        rows = list(csv.DictReader(io.StringIO(r.text)))
        assert [row["SO Number"] for row in rows] == ["SO-1", "SO-2"] and rows[0]["Lager"] == "B1"
        assert rows[0]["verdict"] == "license_required" and rows[0]["parties_screened"] == "true"
        assert "x-exportctl-warnings" not in r.headers
    data = {
        "output": "jsonl",
        "ignore_columns": ["Partner", "Lager"],
        "date": "2025-06-01",
        "date_override": "true",
    }
    r = client.post("/v1/check/file", data=data, **post)
    assert r.status_code == 200, r.text
    lines = [json.loads(x) for x in r.text.splitlines()]
    assert [x["parties_screened"] for x in lines] == [False, False]
    assert {x["as_of"] for x in lines} == {"2025-06-01"}
    assert "no party column" in json.loads(r.headers["x-exportctl-warnings"])[0]


def test_check_batch_without_parties_warns(client: httpx.Client, tokens: dict[str, str]) -> None:
    queries = {"a": {"eccn": "EAR99", "destination": "DE", "date": "2025-05-01"}}
    r = client.post("/v1/check", json={"queries": queries}, headers=h(tokens, "check"))
    assert r.status_code == 200, r.text
    body = r.json()
    assert "no party column" in body["warnings"][0] and body["responses"]["a"]["parties_screened"] is False
    r = client.post("/v1/check", json={"queries": {"q": Q}}, headers=h(tokens, "check"))
    assert "warnings" not in r.json() and r.json()["responses"]["q"]["parties_screened"] is True


def test_screen_one_and_batch(client: httpx.Client, tokens: dict[str, str]) -> None:
    r = client.post("/v1/screen", json={"name": "Huawei Technologies"}, headers=h(tokens, "check"))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["query"] == "Huawei Technologies" and body["hits"]
    top = body["hits"][0]
    assert (
        "huawei" in top["name"].lower()
        and top["explanation"]
        and top["score"] > 0.7
        and top["review"] is None
    )
    r = client.post(
        "/v1/screen",
        json={"queries": {"x": {"name": "Huawei Technologies"}, "y": {"name": "Zyxwv Qpon"}}},
        headers=h(tokens, "check"),
    )
    assert r.status_code == 200, r.text
    responses = r.json()["responses"]
    assert responses["x"]["hits"][0]["entity_id"] == top["entity_id"] and responses["y"]["hits"] == []
    r = client.post("/v1/screen", json={"queries": {"x": {"name": "  "}}}, headers=h(tokens, "check"))
    assert r.status_code == 422 and r.json()["field"] == "queries.x.name"
    r = client.post(
        "/v1/screen",
        json={"queries": {"x": {"name": "Acme", "country": "Narnia"}}},
        headers=h(tokens, "check"),
    )
    assert r.status_code == 422 and r.json()["field"] == "queries.x.country"


def test_screen_as_of_a_date(client: httpx.Client, tokens: dict[str, str]) -> None:
    name = "Huawei Technologies Co., Ltd."
    before = client.post("/v1/screen", json={"name": name, "as_of": "2019-05-15"}, headers=h(tokens, "check"))
    assert before.status_code == 200, before.text
    assert before.json()["as_of"] == "2019-05-15"
    assert not [x for x in before.json()["hits"] if x["list"] == "EL"]
    body = {"queries": {"x": {"name": name}}, "as_of": "2019-05-16"}
    after = client.post("/v1/screen", json=body, headers=h(tokens, "check")).json()["responses"]["x"]
    el = [x for x in after["hits"] if x["list"] == "EL"]
    assert el and el[0]["listed_on"] == "2019-05-16" and el[0]["listed_status"] == "listed"
    bad = client.post("/v1/screen", json={"name": name, "as_of": "2019-13-01"}, headers=h(tokens, "check"))
    assert bad.status_code == 422


def test_review_shown_on_later_hits(client: httpx.Client, tokens: dict[str, str]) -> None:
    name = "Huawei Technologies Co Ltd Shenzhen"
    hit = client.post("/v1/screen", json={"name": name}, headers=h(tokens, "check")).json()["hits"][0]
    decision = {
        "party": name,
        "list": hit["list"],
        "entity_id": hit["entity_id"],
        "decision": "false_positive",
        "note": "other firm",
    }
    assert client.post("/v1/reviews", json=decision, headers=h(tokens, "check")).status_code == 403
    r = client.post("/v1/reviews", json=decision, headers=h(tokens, "review"))
    assert r.status_code == 200, r.text
    assert r.json()["decision"] == "false_positive" and r.json()["actor"].startswith("token:")
    again = client.post("/v1/screen", json={"name": name.upper()}, headers=h(tokens, "check")).json()
    same = [x for x in again["hits"] if x["entity_id"] == hit["entity_id"]]
    assert same, "the hit must still be shown"
    assert same[0]["review"]["decision"] == "false_positive" and same[0]["review"]["status"] == "current"
    listed = client.get("/v1/reviews", headers=h(tokens, "review")).json()["reviews"]
    assert listed[0]["entity_id"] == hit["entity_id"] and listed[0]["note"] == "other firm"
    bad = client.post("/v1/reviews", json={**decision, "decision": "maybe"}, headers=h(tokens, "review"))
    assert bad.status_code == 422 and bad.json()["field"] == "decision"


def test_tariff_and_history(client: httpx.Client, tokens: dict[str, str]) -> None:
    from exportctl.ops.tariff import lookup
    from exportctl.ops.tariff_history import history

    params = {"hts": "8471.30.01", "origin": "CN", "date": "2025-05-01"}
    r = client.get("/v1/tariff", params=params, headers=h(tokens, "read"))
    assert r.status_code == 200, r.text
    assert _stable(r.json()) == _stable(json.loads(dumps(lookup("8471.30.01", "CN", "2025-05-01"))))
    assert _stable(client.post("/v1/tariff", json=params, headers=h(tokens, "read")).json()) == _stable(
        r.json()
    )
    r = client.get(
        "/v1/tariff/history",
        params={"hts": "8471.30.01", "origin": "CN", "from": "2018-01-01", "to": "2025-12-31"},
        headers=h(tokens, "read"),
    )
    assert r.status_code == 200, r.text
    assert r.json() == json.loads(dumps(history("8471.30.01", "CN", "2018-01-01", "2025-12-31")))
    assert len(r.json()["series"]) > 2
    bad = client.get("/v1/tariff", params={**params, "hts": "12"}, headers=h(tokens, "read"))
    assert bad.status_code == 422 and bad.json()["field"] == "hts"
    # a metal content (dollar value) changes the base of the Section 232 layer, as --steel-content does
    metal = {"hts": "8422.11.0000", "origin": "CN", "date": "2025-09-01", "value": 1000, "steel_content": 400}
    r = client.post("/v1/tariff", json=metal, headers=h(tokens, "read"))
    assert r.status_code == 200, r.text
    want = lookup("8422.11.0000", "CN", "2025-09-01", value=1000, steel_content=400)
    assert _stable(r.json()) == _stable(json.loads(dumps(want)))
    assert any(c["basis"] == "steel_content" for c in r.json()["components"])
    no_value = {k: v for k, v in metal.items() if k != "value"}
    bad = client.get("/v1/tariff", params=no_value, headers=h(tokens, "read"))
    assert bad.status_code == 422 and bad.json()["field"] == "steel_content"
    # the mode of transport (HMF on ocean entries) and a claimed special program, as --mode and --special
    ocean = {"hts": "8471.30.01", "origin": "CN", "date": "2025-05-01", "value": 10000, "mode": "ocean"}
    r = client.post("/v1/tariff", json=ocean, headers=h(tokens, "read"))
    assert r.status_code == 200, r.text
    assert {f["fee"] for f in r.json()["duty"]["fees"]} == {"MPF", "HMF"}
    air = client.get("/v1/tariff", params={**ocean, "mode": "air"}, headers=h(tokens, "read")).json()
    assert {f["fee"] for f in air["duty"]["fees"]} == {"MPF"}
    bad = client.post("/v1/tariff", json={**ocean, "mode": "camel"}, headers=h(tokens, "read"))
    assert bad.status_code == 422 and bad.json()["field"] == "mode"
    usmca = {"hts": "8703.80.0020", "origin": "MX", "date": "2025-06-15", "special": "S"}
    r = client.post("/v1/tariff", json=usmca, headers=h(tokens, "read"))
    assert r.status_code == 200, r.text
    want = lookup("8703.80.0020", "MX", "2025-06-15", special_program="S")
    assert _stable(r.json()) == _stable(json.loads(dumps(want)))
    assert _stable(r.json()) != _stable(json.loads(dumps(lookup("8703.80.0020", "MX", "2025-06-15"))))


def test_tariff_values_as_written_go_through_the_amounts_parser(
    client: httpx.Client, tokens: dict[str, str]
) -> None:
    # GET's float parameter read '12.000' as 12.0: a duty a thousand times too low
    params = {"hts": "8481.80.1030", "origin": "CN", "date": "2025-05-01", "value": "12.000"}
    r = client.get("/v1/tariff", params=params, headers=h(tokens, "read"))
    assert r.status_code == 200, r.text
    assert r.json()["duty"]["value"] == 12_000 and r.json()["duty"]["amount"] == 20_880.0
    r = client.post("/v1/tariff", json={**params, "value": "12.000,50"}, headers=h(tokens, "read"))
    assert r.status_code == 200 and r.json()["duty"]["value"] == 12_000.5, r.text
    r = client.post("/v1/tariff", json={**params, "value": 12.0}, headers=h(tokens, "read"))
    assert r.status_code == 200 and r.json()["duty"]["value"] == 12.0  # a JSON number is not read two ways
    for bad in ({**params, "value": "EUR 12000"}, {**params, "value": "1000", "steel_content": "€400"}):
        r = client.get("/v1/tariff", params=bad, headers=h(tokens, "read"))
        assert r.status_code == 422 and r.json()["field"] in ("value", "steel_content"), r.text
        assert "EUR" in r.text or "€" in r.text


def test_timeline_and_diff(client: httpx.Client, tokens: dict[str, str]) -> None:
    from exportctl.ops.registry import diff, timeline

    r = client.get(
        "/v1/timeline",
        params={"from": "2022-01-01", "to": "2023-12-31", "jurisdiction": "US-EAR"},
        headers=h(tokens, "read"),
    )
    assert r.status_code == 200
    assert r.json() == json.loads(dumps(timeline("2022-01-01", "2023-12-31", "US-EAR")))
    r = client.post("/v1/diff", json={"from": "2022-10-01", "to": "2023-11-30"}, headers=h(tokens, "read"))
    assert r.status_code == 200
    assert r.json() == json.loads(dumps(diff("2022-10-01", "2023-11-30")))
    assert r.json()["changes"]
    bad = client.get("/v1/timeline", params={"jurisdiction": "MARS"}, headers=h(tokens, "read"))
    assert bad.status_code == 422 and bad.json()["field"] == "jurisdiction"


def test_data_status(client: httpx.Client, tokens: dict[str, str]) -> None:
    r = client.get("/v1/data/status", headers=h(tokens, "read"))
    assert r.status_code == 200
    body: dict[str, Any] = r.json()
    assert body["active_version"] and {s["name"] for s in body["sources"]} >= {"csl"}


def test_registry_coverage_gives_the_date_fields_their_limit(
    client: httpx.Client, tokens: dict[str, str]
) -> None:
    # the web page's date fields take `last_day` as their limit; a later date holds, saying why
    r = client.get("/v1/registry/coverage", headers=h(tokens, "read"))
    assert r.status_code == 200
    body: dict[str, Any] = r.json()
    assert body["first_day"] < body["last_day"] and "exportctl data sync" in body["refresh"]
    assert body["snapshots"]["country_groups"]["complete_from"] == body["first_day"]
    status = client.get("/v1/data/status", headers=h(tokens, "read")).json()
    assert status["coverage"]["last_day"] == body["last_day"]
    assert client.get("/v1/registry/coverage").status_code == 401
    later = dict(Q, date="2099-01-01")
    out = client.post("/v1/check", json=later, headers=h(tokens, "check")).json()
    assert out["verdict"] == "hold"
    assert any(body["last_day"] in r["text"] and "--date" in r["text"] for r in out["reasons"])


def test_audit_export(client: httpx.Client, tokens: dict[str, str]) -> None:
    client.post("/v1/check", json=Q, headers=h(tokens, "check"))
    r = client.get("/v1/audit/export", params={"format": "jsonl"}, headers=h(tokens, "admin"))
    assert r.status_code == 200
    lines = [json.loads(x) for x in r.text.splitlines()]
    assert lines and lines[-1]["kind"] == "check" and lines[-1]["outputs"]["verdict"]
    assert lines[-1]["actor"].startswith("token:") and len(lines[-1]["input_hash"]) == 64
    r = client.get(
        "/v1/audit/export",
        params={"format": "csv", "from": "2000-01-01", "to": "2000-01-02"},
        headers=h(tokens, "admin"),
    )
    assert r.text.splitlines() == [
        "seq,kind,at,actor,input_hash,data_version,engine_version,outputs,prev_hash,record_hash,payload"
    ]


def test_openapi_has_examples(client: httpx.Client) -> None:
    doc = client.get("/openapi.json").json()
    body = doc["paths"]["/v1/check"]["post"]["requestBody"]["content"]["application/json"]
    assert body["examples"]["one"]["value"]["eccn"] == "3A090"
    assert "ErrorBody" in doc["components"]["schemas"]


def test_check_batch_of_only_bad_rows(client: httpx.Client, tokens: dict[str, str]) -> None:
    # found by schemathesis: a batch whose every row is malformed must still answer hold per row
    queries = {"x": {"eccn": "3A090", "destination": "Narnia", "date": "2025-05-01"}}
    r = client.post("/v1/check", json={"queries": queries}, headers=h(tokens, "check"))
    assert r.status_code == 200, r.text
    assert r.json()["responses"]["x"]["verdict"] == "hold"


def test_check_answers_match_their_documented_model(client: httpx.Client, tokens: dict[str, str]) -> None:
    from pydantic import TypeAdapter

    from exportctl.fronts.api.schemas import CheckAnswer, CheckBatchAnswer

    one = client.post("/v1/check", json=Q, headers=h(tokens, "check")).json()
    model = TypeAdapter(CheckAnswer).validate_python(one)  # extra keys are refused: the document cannot drift
    assert [c["step"] for c in model["checks"]][:4] == ["coverage", "coverage", "coverage", "denied_persons"]
    assert any(
        r.get("entries") for r in model["reasons"]
    )  # Huawei's listed affiliates grouped under one reason
    queries = {
        "ok": {"eccn": "EAR99", "destination": "DE", "date": "2025-05-01"},
        "bad": {"eccn": "3A090", "destination": "Narnia", "date": "2025-05-01"},
    }
    batch = client.post("/v1/check", json={"queries": queries}, headers=h(tokens, "check")).json()
    answers = TypeAdapter(CheckBatchAnswer).validate_python(batch)["responses"]
    assert (
        answers["ok"]["verdict"] == "no_license_required" and len(answers["ok"]["checks"]) == 10
    )  # 3 families
    assert answers["bad"]["checks"][0]["step"] == "input"
    doc = client.get("/openapi.json").json()
    schema = doc["paths"]["/v1/check"]["post"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert "type" not in schema and {s["$ref"].rsplit("/", 1)[1] for s in schema["anyOf"]} == {
        "CheckAnswer",
        "CheckBatchAnswer",
    }
    assert "checks" in doc["components"]["schemas"]["CheckAnswer"]["required"]
    assert set(doc["components"]["schemas"]["CheckStep"]["properties"]) == {"step", "what", "result"}


HUAWEI_ADDRESS = "Bantian, Longgang District, Shenzhen 518129, Guangdong Province, China"
DECORATED = [
    "Huawei Technologies Co., Ltd., " + ", ".join([HUAWEI_ADDRESS] * 17),  # 1,200+ characters
    "Huawei Technologies Co., Ltd. 123",
    "Huawei Techn0l0gies",
    "HUAWEI TECHNOLOGIES CO LTD, Bantian, Longgang District, Shenzhen 518129, China",
]


def test_check_file_screens_decorated_and_long_names(client: httpx.Client, tokens: dict[str, str]) -> None:
    book = "SO Number,Ship Date,ECCN,Ship-To Country,Customer\n" + "".join(
        f'SO-{i},2025-03-03,EAR99,China,"{name}"\n'
        for i, name in enumerate([*DECORATED, "!!!", "Siemens AG"])
    )
    r = client.post(
        "/v1/check/file",
        files={"file": ("book.csv", book.encode())},
        data={"output": "jsonl"},
        headers=h(tokens, "check"),
    )
    assert r.status_code == 200, r.text
    rows = [json.loads(x) for x in r.text.splitlines()]
    for row in rows[: len(DECORATED)]:
        assert row["verdict"] in ("license_required", "hold") and row["parties_screened"], row["Customer"][
            :80
        ]
        assert any("HUAWEI" in str(p).upper() for p in row["parties"]), row["Customer"][:80]
    assert rows[len(DECORATED)]["verdict"] == "hold" and "'Customer'" in rows[len(DECORATED)]["error"]
    assert rows[-1]["verdict"] == "no_license_required"
    for name in DECORATED[1:]:
        r = client.post("/v1/screen", json={"name": name}, headers=h(tokens, "check"))
        assert r.status_code == 200, r.text
        assert r.json()["hits"] and "huawei" in r.json()["hits"][0]["name"].lower(), name

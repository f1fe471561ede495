"""Golden determinations: worked cases from BIS guidance and rules, the seed events on their dates, and
China's controls, all run as one batch through ops.check (the same path as the CLI)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl
import pytest
import yaml

from exportctl.ops.check import Context, check_table
from exportctl.registry import load_registry
from exportctl.sources import china_lists, csl, ecfr, ofac_dates
from exportctl.store.dataset import Dataset

HERE = Path(__file__).parent
CASES: list[dict[str, Any]] = [c for f in sorted(HERE.glob("*.yaml")) for c in yaml.safe_load(f.read_text())]
ROLES = ("ultimate_consignee", "end_user", "intermediate_consignee")


def shared_context(shared: Path) -> Context:
    """A Context over the shared snapshots (no store), with the bundled measures."""
    ear = shared / "ear-2026-07-23"
    tables = [
        ecfr.parse_ccl(ear / "ccl.json"),
        ecfr.parse_country_chart(ear / "country-chart.json"),
        ecfr.parse_country_groups(ear / "country-groups.json"),
        csl.parse_csl_compact(shared / "csl-2026-07-31" / "screening-list.json"),
        china_lists.parse_cn_parties(
            shared / "china-2026-07" / "cn_entity_lists.json",
            shared / "china-2026-08" / "cn_entity_lists_additions_2026-07-24.json",
        ),
        ofac_dates.parse_sdn_dates(shared),
    ]
    return Context(Dataset.from_tables(tables), load_registry())


def _row(case: dict[str, Any]) -> dict[str, str | None]:
    i = case["input"]
    row: dict[str, str | None] = {
        "exporting_country": i.get("exporting_country", "US"),
        "eccn": i.get("eccn"),
        "product": i.get("product"),
        "destination": i["to"],
        "end_use": i.get("end_use"),
        "value": None if i.get("value") is None else str(i["value"]),
        "date": i["date"],
    }
    for role, name in zip(ROLES, i.get("parties", []), strict=False):
        row[role] = name
    return row


@pytest.fixture(scope="module")
def results(shared_data: Path) -> dict[str, dict[str, Any]]:
    ctx = shared_context(shared_data)
    rows = [_row(c) for c in CASES]
    cols = sorted({k for r in rows for k in r})
    frame = pl.DataFrame([{k: r.get(k) for k in cols} for r in rows], schema={k: pl.Utf8 for k in cols})
    out = check_table(frame, context=ctx, fuzzy=False)
    return {c["id"]: r for c, r in zip(CASES, out.iter_rows(named=True), strict=True)}


def test_enough_cases_with_sources() -> None:
    assert len(CASES) >= 40
    assert len({c["id"] for c in CASES}) == len(CASES)
    for c in CASES:
        assert c["source"]["title"] and c["source"]["url"].startswith("http"), c["id"]


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_golden(case: dict[str, Any], results: dict[str, dict[str, Any]]) -> None:
    got = results[case["id"]]
    exp = case["expect"]
    reasons = got["reasons"] or []
    summary = [(r["code"], r["effect"], r["measure"]) for r in reasons]
    assert got["error"] is None, got["error"]
    assert got["verdict"] == exp["verdict"], summary
    codes = {r["code"] for r in reasons}
    assert set(exp.get("codes", [])) <= codes, summary
    assert set(exp.get("columns", [])) <= {r["column"] for r in reasons}, summary
    assert set(exp.get("measures", [])) <= {r["measure"] for r in reasons}, summary
    applied = {e["code"] for e in got["exceptions"] or [] if e["applies"]}
    considered = {e["code"] for e in got["exceptions"] or []}
    if "exception" in exp:
        assert exp["exception"] in applied
    if "exception_not" in exp:
        assert exp["exception_not"] in considered and exp["exception_not"] not in applied
    if exp.get("conditional"):
        assert any(r["conditional"] for r in reasons)
    for part in exp.get("text_contains", []):  # the words a person reads in the reasons
        assert any(part in (r["text"] or "") for r in reasons), (part, [r["text"] for r in reasons])
    for part in exp.get("checks_contain", []):  # what the answer says it checked (each family's coverage)
        assert any(part in f"{c['what']} {c['result']}" for c in got["checks"] or []), (part, got["checks"])
    if "review_policy_contains" in exp:
        assert exp["review_policy_contains"] in (got["review_policy"] or "")
    for r in reasons:  # every reason explains itself with a citation
        assert r["citation"], r


def test_a_row_answers_the_same_alone_as_in_the_batch(
    shared_data: Path, results: dict[str, dict[str, Any]]
) -> None:
    # Batch-first must not mean batch-dependent: the regimes of other rows' dates (e.g. a 2025 row
    # with the dated Russia sanctions) must never change a 2021 row's answer.
    ctx = shared_context(shared_data)
    for case in CASES:
        row = _row(case)
        frame = pl.DataFrame([row], schema={k: pl.Utf8 for k in row})
        alone = check_table(frame, context=ctx, fuzzy=False).row(0, named=True)
        together = results[case["id"]]
        assert alone["verdict"] == together["verdict"], case["id"]
        codes = sorted(r["code"] for r in alone["reasons"] or [])
        assert codes == sorted(r["code"] for r in together["reasons"] or []), case["id"]

"""Golden determinations: worked cases from BIS guidance and rules, the seed events on their dates, and
China's controls, all run as one batch through ops.check (the same path as the CLI)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import polars as pl
import pytest
import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from exportctl.data.pack import load_pack
from exportctl.ops.check import Context, check_table
from exportctl.registry import load_registry
from exportctl.store.dataset import Dataset

HERE = Path(__file__).parent


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")  # an unknown (misspelt) key fails, as in the registry loader


class Source(_Strict):
    """Where the expected answer comes from."""

    title: str
    url: str


class Input(_Strict):
    """One transaction; `to` is the destination, `date` the as-of day, `known_on` what was public then."""

    to: str
    date: dt.date
    eccn: str | None = None
    product: str | None = None
    exporting_country: str = "US"
    end_use: str | None = None
    value: float | None = None
    parties: list[str] = []
    known_on: dt.date | None = None


class Expect(_Strict):
    """What the answer must say (all optional but `verdict`)."""

    verdict: str
    codes: list[str] = []
    codes_absent: list[str] = []
    columns: list[str] = []
    measures: list[str] = []
    exception: str | None = None
    exception_not: str | None = None
    conditional: bool = False
    text_contains: list[str] = []
    checks_contain: list[str] = []
    review_policy_contains: str | None = None


class Case(_Strict):
    """A golden determination: an input, its source and the expected answer."""

    id: str
    source: Source
    input: Input
    expect: Expect


def load_cases(folder: Path) -> list[dict[str, Any]]:
    """Every case of the folder's YAML files, validated strictly: a bad one fails naming file and line."""
    out: list[dict[str, Any]] = []
    for f in sorted(folder.glob("*.yaml")):
        text = f.read_text()
        node = yaml.compose(text)
        for raw, item in zip(yaml.safe_load(text) or [], node.value if node else [], strict=True):
            try:
                Case.model_validate(raw)
            except ValidationError as err:
                raise AssertionError(f"{f.name}:{item.start_mark.line + 1}: {err}") from err
            out.append(raw)
    return out


CASES = load_cases(HERE)
ROLES = ("ultimate_consignee", "end_user", "intermediate_consignee")


def pack_context() -> Context:
    """A Context over the bundled data pack (no store, no ../shared/data), with the bundled measures.

    The goldens run from a plain clone: the pack holds the same snapshots the cases were written on
    (CCL, Chart and Country Groups 2026-07-23, CSL 2026-07-31, China lists 2026-08-01, OFAC dates)."""
    return Context(Dataset.from_tables(load_pack()), load_registry())


def _row(case: dict[str, Any]) -> dict[str, str | None]:
    i = case["input"]
    row: dict[str, str | None] = {
        "exporting_country": i.get("exporting_country", "US"),
        "eccn": i.get("eccn"),
        "product": i.get("product"),
        "destination": i["to"],
        "end_use": i.get("end_use"),
        "value": None if i.get("value") is None else str(i["value"]),
        "date": str(i["date"]),
        "known_on": None if i.get("known_on") is None else str(i["known_on"]),
    }
    for role, name in zip(ROLES, i.get("parties", []), strict=False):
        row[role] = name
    return row


@pytest.fixture(scope="module")
def results() -> dict[str, dict[str, Any]]:
    ctx = pack_context()
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
    assert not set(exp.get("codes_absent", [])) & codes, summary
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


def test_a_row_answers_the_same_alone_as_in_the_batch(results: dict[str, dict[str, Any]]) -> None:
    # Batch-first must not mean batch-dependent: the regimes of other rows' dates (e.g. a 2025 row
    # with the dated Russia sanctions) must never change a 2021 row's answer.
    ctx = pack_context()
    for case in CASES:
        row = _row(case)
        frame = pl.DataFrame([row], schema={k: pl.Utf8 for k in row})
        alone = check_table(frame, context=ctx, fuzzy=False).row(0, named=True)
        together = results[case["id"]]
        assert alone["verdict"] == together["verdict"], case["id"]
        codes = sorted(r["code"] for r in alone["reasons"] or [])
        assert codes == sorted(r["code"] for r in together["reasons"] or []), case["id"]

"""Every answer shows its work: `checks` on every verdict, grouped affiliates, readable output files."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exportctl.ops.check import Context, check_file, check_one, check_table

# one coverage check per family consulted: US-EAR controls, US-EAR parties, US-OFAC sanctions (US);
# CN-EXPORT controls, CN-EXPORT parties (PRC)
US_STEPS = [
    "coverage", "coverage", "coverage", "denied_persons", "embargo", "country_chart", "party_lists",
    "end_use", "measures", "license_exceptions",
]  # fmt: skip
CN_STEPS = ["coverage", "coverage", "party_lists", "end_use", "measures"]
HUAWEI = "Huawei Technologies Co., Ltd."


def _steps(checks: list[dict[str, str]]) -> list[str]:
    return [c["step"] for c in checks]


def _by_step(checks: list[dict[str, str]]) -> dict[str, dict[str, str]]:
    """By step; of several coverage checks, the first (the controls family)."""
    out: dict[str, dict[str, str]] = {}
    for c in checks:
        out.setdefault(c["step"], c)
    return out


ROW = st.fixed_dictionaries(
    {
        "exporting_country": st.sampled_from(["US", "US", "US", "CN"]),
        "eccn": st.sampled_from(["3A090.a", "3A090", "5A002", "2B350.g", "EAR99", "3C001", "0A501", None]),
        "product": st.sampled_from([None, None, "NVIDIA H20", "gallium"]),
        "destination": st.sampled_from(["CN", "DE", "IR", "RU", "TH", "AE", "HK", "MO", "US", "Atlantis"]),
        "ultimate_consignee": st.sampled_from([None, "", HUAWEI, "Acme GmbH", "SMIC", "Hikvision"]),
        "end_use": st.sampled_from([None, None, "military", "supercomputer"]),
        "value": st.sampled_from([None, "1500", "250000"]),
        "date": st.dates(dt.date(2017, 6, 1), dt.date(2026, 12, 31)).map(dt.date.isoformat),
    }
)


@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(rows=st.lists(ROW, min_size=1, max_size=12))
def test_every_verdict_lists_its_checks(ctx: Context, rows: list[dict[str, str | None]]) -> None:
    frame = pl.DataFrame(rows, schema={k: pl.Utf8 for k in rows[0]})
    out = check_table(frame, context=ctx, fuzzy=False)
    assert out.height == len(rows)
    for row in out.iter_rows(named=True):
        checks = row["checks"]
        assert checks, row
        for c in checks:
            assert set(c) == {"step", "what", "result"} and all(c[k] for k in c), c
        steps = _steps(checks)
        if row["error"]:
            assert steps == ["input"] and row["verdict"] == "hold"
        else:
            expected = US_STEPS if row["exporting_country"] == "US" else CN_STEPS
            assert steps == expected, (steps, row)
            party = _by_step(checks)["party_lists"]
            if not (row["ultimate_consignee"] or "").strip():
                assert party["result"] == "not screened: no party given"
            else:
                assert (
                    party["what"].startswith("1 party screened against") and ctx.version[:12] in party["what"]
                )
            if row["verdict"] == "no_license_required":
                assert all(
                    not c["result"].startswith(("license required", "prohibited", "hold")) for c in checks
                )


def test_clearance_shows_the_chart_lists_and_rules(ctx: Context) -> None:
    a = check_one(eccn="2B350.g", destination="IN", as_of=dt.date(2025, 4, 1), context=ctx, fuzzy=False)
    assert a["verdict"] == "no_license_required"
    c = _by_step(a["checks"])
    assert _steps(a["checks"]) == US_STEPS
    assert "against IN's Country Chart row" in c["country_chart"]["what"]
    assert c["country_chart"]["result"] == "no license required by the chart"
    assert "744.21" in c["end_use"]["what"] and "744.23" in c["end_use"]["what"]
    assert "measures in force on 2025-04-01" in c["measures"]["what"]
    assert "Entity List" in c["party_lists"]["what"] and "not screened" in c["party_lists"]["result"]
    assert c["coverage"]["result"] == "covered"


def test_requirement_names_its_column(ctx: Context) -> None:
    a = check_one(eccn="3C001", destination="CN", as_of=dt.date(2025, 4, 1), context=ctx, fuzzy=False)
    chart = _by_step(a["checks"])["country_chart"]
    assert "X in NS2" in chart["what"] and chart["result"] == "license required (NS2)"
    assert _by_step(a["checks"])["license_exceptions"]["what"].startswith(
        "Part 740 exceptions considered: LVS"
    )


def test_embargo_and_coverage_holds_are_in_the_checks(ctx: Context) -> None:
    ir = _by_step(check_one(eccn="3A001", destination="IR", as_of=dt.date(2025, 4, 1), context=ctx)["checks"])
    assert ir["embargo"]["result"].startswith("license required (Part 746")
    assert ir["country_chart"]["result"].startswith("no marks: the destination is embargoed")
    late = check_one(eccn="EAR99", destination="DE", as_of=dt.date(2030, 1, 1), context=ctx)
    assert late["verdict"] == "hold"
    assert _by_step(late["checks"])["coverage"]["result"].startswith("hold (2030-01-01 is after 2026-")


def test_party_columns_absent_or_empty_are_not_screened(ctx: Context) -> None:
    base = {"eccn": ["EAR99", "EAR99"], "destination": ["CN", "CN"], "date": ["2025-06-01"] * 2}
    for checks in check_table(pl.DataFrame(base), context=ctx)["checks"].to_list():
        assert _by_step(checks)["party_lists"]["result"] == "not screened: no party given"
        assert _by_step(checks)["denied_persons"]["result"] == "not screened: no party given"
    given_ = check_table(pl.DataFrame({**base, "ultimate_consignee": [HUAWEI, "  "]}), context=ctx)
    first, second = given_["checks"].to_list()
    assert _by_step(first)["party_lists"]["result"].startswith("license required (EL")
    assert _by_step(first)["denied_persons"]["result"] == "no match"
    assert _by_step(second)["party_lists"]["result"] == "not screened: no party given"


@pytest.mark.parametrize("flag", [[False, False, None], None])
def test_parties_screened_column_is_honoured(flag: list[bool | None] | None) -> None:
    from exportctl.engine.common import checks as chk

    tx = pl.DataFrame({"row": [1, 2, 3]}, schema={"row": pl.Int64})
    if flag is not None:
        tx = tx.with_columns(pl.Series("parties_screened", flag, dtype=pl.Boolean))
    parties = pl.DataFrame(
        {"row": [1, 3], "name": ["Acme", "Beta"]}, schema={"row": pl.Int64, "name": pl.Utf8}
    )
    facts = chk.party_facts(tx, parties, pl.DataFrame(schema={"row": pl.Int64}))
    screened = dict(zip(facts["row"].to_list(), facts["screened"].to_list(), strict=True))
    # the book's own word (false: no party column or empty cells) wins; absent, a named party is screened
    assert screened == ({1: False, 2: False, 3: True} if flag is not None else {1: True, 2: False, 3: True})


def test_affiliate_entries_are_one_reason(ctx: Context) -> None:
    a = check_one(eccn="EAR99", destination="CN", as_of=dt.date(2025, 6, 1), parties=[HUAWEI], context=ctx)
    grouped = [r for r in a["reasons"] if r.get("entries")]
    assert grouped, a["reasons"]
    lead = next(r for r in grouped if r["effect"] == "license_required")
    assert lead["text"].startswith(f"Entity List: {HUAWEI} and ")
    assert {e["name"] for e in lead["entries"]} >= {HUAWEI}
    assert all(e["list"] == "EL" and e["entity_id"] for e in lead["entries"])
    # one reason per (party, list, effect): no Entity List entry is listed twice
    el = [r for r in a["reasons"] if r["code"] == "EL" and not r.get("measure", "").startswith("us-ear-20")]
    named = [e["entity_id"] for r in el for e in r.get("entries", [])]
    assert len(named) == len(set(named))
    hits = [p for p in a["parties"] if p["list"] == "EL"]
    assert len(el) < len(hits)  # fewer reasons than the entries hit


def test_prc_checks(ctx: Context) -> None:
    a = check_one(
        eccn="8112929010", destination="US", as_of=dt.date(2025, 6, 1), exporting_country="CN", context=ctx
    )
    c = _by_step(a["checks"])
    assert _steps(a["checks"]) == CN_STEPS and a["verdict"] == "prohibited"
    assert c["measures"]["result"].startswith("prohibited (cn-export-2024-46-us-dual-use")
    assert "Unreliable Entity List" in c["party_lists"]["what"]


ORDERS = pl.DataFrame(
    {
        "order_id": ["a", "b", "c"],
        "eccn": ["3A090", "EAR99", "2B350.g"],
        "destination": ["CN", "DE", "TH"],
        "ultimate_consignee": [HUAWEI, "", None],
        "value": ["", "", "1500"],
        "date": ["2025-05-01", "2025-05-01", "2025-04-01"],
    }
)
META = ("as_of", "known_on", "data_version", "regime")


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "jsonl", "parquet"])
def test_output_rows_carry_dates_version_regime_and_checks(ctx: Context, tmp_path: Path, fmt: str) -> None:
    src = tmp_path / "orders.csv"
    ORDERS.write_csv(src)
    out = tmp_path / f"results.{fmt}"
    results = check_file(src, out, context=ctx, known_on=dt.date(2025, 12, 1))
    if fmt == "jsonl":
        rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
        assert all(isinstance(r["checks"], list) and r["checks"] for r in rows)
        assert all(isinstance(r["reasons"], list) for r in rows)
    elif fmt == "parquet":
        frame = pl.read_parquet(out)
        assert frame.schema["checks"] == pl.List(
            pl.Struct({"step": pl.Utf8, "what": pl.Utf8, "result": pl.Utf8})
        )
        rows = frame.to_dicts()
    else:
        from exportctl.ops.files import read_table

        rows = read_table(out, "results").to_dicts()
        for r in rows:
            for col in ("reasons", "checks", "exceptions", "screening"):
                cell = r[col] or ""
                assert not cell.lstrip().startswith(("{", "[")), (col, cell[:80])
            assert r["checks"].splitlines()[0].startswith("coverage: US-EAR controls researched through ")
            assert len(r["checks"].splitlines()) == len(US_STEPS)
    assert len(rows) == results.height == 3
    for r in rows:
        for col in META:
            assert col in r
            assert r[col] is not None and str(r[col]) != "", (col, r)
    assert {str(r["regime"]) for r in rows} <= {str(x) for x in results["regime"].to_list()}
    assert {str(r["data_version"]) for r in rows} == {ctx.version}


def test_xlsx_is_one_column_per_field_with_wrapped_text(ctx: Context, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    src = tmp_path / "orders.csv"
    ORDERS.write_csv(src)
    out = tmp_path / "results.xlsx"
    check_file(src, out, context=ctx, fuzzy=True)
    sheet = load_workbook(out).active
    header = [c.value for c in sheet[1]]
    assert header[: len(ORDERS.columns)] == ORDERS.columns
    assert {"verdict", "reasons", "checks", *META} <= set(header)
    reasons = sheet.cell(2, header.index("reasons") + 1)
    assert reasons.alignment.wrap_text and "\n" in str(reasons.value)
    assert "GP1 RS: license required" in str(reasons.value)
    grouped = [line for line in str(reasons.value).splitlines() if line.startswith("    - ")]
    assert grouped, reasons.value  # the affiliates beneath their reason
    for row in sheet.iter_rows(min_row=2, values_only=True):
        for value in row:
            assert not (isinstance(value, str) and value.startswith(("{", "[{"))), value

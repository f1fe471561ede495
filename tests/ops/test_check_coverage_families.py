"""The export side answers per family (#13): a controls family past its day holds every row, a party family
only the rows naming parties; the other families still answer; each verdict lists its families' checks."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import polars as pl
import pytest

from exportctl.ops.check import Context, check_table
from exportctl.registry import Registry

ACME = "Acme Widgets GmbH"


def moved(reg: Registry, family: str, day: str) -> Registry:
    """The registry with one family's researched_through moved ('US-EAR/parties')."""
    fams = [
        f.model_copy(update={"researched_through": dt.date.fromisoformat(day)})
        if f"{f.jurisdiction}/{f.family}" == family
        else f
        for f in reg.settings.families
    ]
    return dataclasses.replace(reg, settings=reg.settings.model_copy(update={"families": fams}), _cache={})


def _run(ctx: Context, family: str, rows: list[dict[str, str | None]]) -> list[dict[str, Any]]:
    early = Context(ctx.dataset, moved(ctx.registry, family, "2025-06-30"))
    cols = sorted({k for r in rows for k in r})
    frame = pl.DataFrame([{k: r.get(k) for k in cols} for r in rows], schema={k: pl.Utf8 for k in cols})
    return list(check_table(frame, context=early, fuzzy=False).iter_rows(named=True))


def _us(day: str, party: str | None = None) -> dict[str, str | None]:
    return {"eccn": "EAR99", "destination": "DE", "date": day, "ultimate_consignee": party}


def _cn(day: str, party: str | None = None) -> dict[str, str | None]:
    # gallium (customs code 8112929010): licensed by MOFCOM/GAC Announcement No. 23 of 2023
    row = {"exporting_country": "CN", "eccn": "8112929010", "destination": "DE", "date": day}
    return {**row, "ultimate_consignee": party}


def _coverage(row: dict[str, Any]) -> list[dict[str, str]]:
    return [c for c in row["checks"] if c["step"] == "coverage"]


def _holds(row: dict[str, Any]) -> list[str]:
    return [r["text"] for r in row["reasons"] or [] if r["code"] == "coverage"]


@pytest.mark.parametrize("family", ["US-EAR/parties", "US-OFAC/sanctions"])
def test_a_us_party_family_holds_only_rows_naming_parties(ctx: Context, family: str) -> None:
    on_day, no_party, with_party = _run(
        ctx, family, [_us("2025-06-30", ACME), _us("2025-07-01"), _us("2025-07-01", ACME)]
    )
    label = family.replace("/", " ")
    assert on_day["verdict"] == "no_license_required" and not _holds(on_day)
    # the controls still answer for a row naming no party
    assert no_party["verdict"] == "no_license_required" and not _holds(no_party)
    assert any(
        c["result"].startswith("not consulted: no party named (it would hold") for c in _coverage(no_party)
    )
    assert with_party["verdict"] == "hold"
    (text,) = _holds(with_party)
    assert label in text and "2025-06-30" in text
    late = next(c for c in _coverage(with_party) if c["what"].startswith(label))
    assert late["result"] == "hold (2025-07-01 is after 2025-06-30)"


def test_us_controls_past_their_day_hold_and_china_still_answers(ctx: Context) -> None:
    us_on, us_after, cn_after = _run(
        ctx, "US-EAR/controls", [_us("2025-06-30"), _us("2025-07-01"), _cn("2025-07-01")]
    )
    assert us_on["verdict"] == "no_license_required"
    assert us_after["verdict"] == "hold" and "US-EAR controls" in _holds(us_after)[0]
    assert cn_after["verdict"] != "hold" and not _holds(cn_after)
    assert [c["result"] for c in _coverage(cn_after)] == ["covered", "not consulted: no party named"]


def test_cn_families(ctx: Context) -> None:
    no_party, with_party, us_row = _run(
        ctx, "CN-EXPORT/parties", [_cn("2025-07-01"), _cn("2025-07-01", ACME), _us("2025-07-01", ACME)]
    )
    assert no_party["verdict"] != "hold" and with_party["verdict"] == "hold"
    assert "CN-EXPORT parties" in _holds(with_party)[0]
    assert us_row["verdict"] == "no_license_required"  # the US families still answer
    (controls,) = _run(ctx, "CN-EXPORT/controls", [_cn("2025-07-01")])
    assert controls["verdict"] == "hold" and "CN-EXPORT controls" in _holds(controls)[0]


def test_a_clearance_lists_every_family_it_checked(ctx: Context) -> None:
    (row,) = _run(ctx, "US-OFAC/sanctions", [_us("2025-06-30", ACME)])
    assert row["verdict"] == "no_license_required"
    whats = [c["what"] for c in _coverage(row)]
    assert [w.split(" researched")[0] for w in whats] == [
        "US-EAR controls",
        "US-EAR parties",
        "US-OFAC sanctions",
    ]
    assert "US-OFAC sanctions researched through 2025-06-30" in whats[2]
    assert all(c["result"] == "covered" for c in _coverage(row))


def test_known_on_today_does_not_hold(ctx: Context) -> None:
    frame = pl.DataFrame([_us("2026-07-31", ACME)], schema={k: pl.Utf8 for k in _us("x", "y")})
    (row,) = check_table(frame, context=ctx, fuzzy=False, known_on=dt.date(2026, 12, 4)).iter_rows(named=True)
    assert row["verdict"] == "no_license_required" and not _holds(row)
    for c in _coverage(row):  # what is known: up to min(known_on, researched_through)
        through, known = c["what"].split(" researched through ")[1].split("; known up to ")
        assert through == known, c

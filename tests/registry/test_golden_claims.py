"""Golden tests of the seed reports' claims (src/exportctl/data/claims/seeds.yaml).

Each claim's `check` pins the official fact its verdict rests on; this module evaluates it against
the registry and the engines, so a registry that drifts from the record (or starts agreeing with a
report that was wrong) fails here. Sources: the claims file names each report and why.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from exportctl.ops import check as check_ops
from exportctl.ops import tariff as tariff_ops
from exportctl.registry import compile_regime, load_registry
from exportctl.registry.schema import Claim

CLAIMS_FILE = Path(__file__).resolve().parents[2] / "src" / "exportctl" / "data" / "claims" / "seeds.yaml"
CLAIMS = [Claim.model_validate(c) for c in yaml.safe_load(CLAIMS_FILE.read_text(encoding="utf-8"))]

RARE_EARTHS = {
    "lanthanum",
    "cerium",
    "praseodymium",
    "neodymium",
    "promethium",
    "samarium",
    "europium",
    "gadolinium",
    "terbium",
    "dysprosium",
    "holmium",
    "erbium",
    "thulium",
    "ytterbium",
    "lutetium",
    "scandium",
    "yttrium",
}


def _day(value: Any) -> dt.date:
    return dt.date.fromisoformat(str(value))


def _cn_products(day: dt.date) -> set[str]:
    """Product names under an active China item control (licence or ban) on `day`."""
    regime = compile_regime(load_registry(), day)
    names: set[str] = set()
    for active in regime.effects(jurisdiction="CN-EXPORT"):
        if active.effect.kind in ("item_control", "prohibition") and active.effect.scope.products:
            names |= {p.lower() for p in active.effect.scope.products}
    return names


def _evaluate(kind: str, c: dict[str, Any]) -> Any:
    day = _day(c["date"])
    if kind in ("tariff_total", "cn_tariff_total", "tariff_component"):
        origin, dest = ("US", "CN") if kind == "cn_tariff_total" else (c["origin"], "US")
        out = tariff_ops.lookup(c["hts"], origin, day, destination=dest)
        if kind == "tariff_component":
            return sum(x["rate_pct"] for x in out["components"] if x["program"] == c["program"])
        return out["total_additional_pct"]
    if kind == "cn_rare_earths_controlled":
        return len(RARE_EARTHS & _cn_products(day))
    if kind == "cn_item_controlled":
        return str(c["product"]).lower() in _cn_products(day)
    if kind == "verdict":
        parties = [c["party"]] if c.get("party") else []
        out = check_ops.check_one(
            destination=c["destination"],
            as_of=day,
            eccn=c.get("eccn"),
            product=c.get("product"),
            parties=parties,
        )
        return out["verdict"]
    raise AssertionError(f"unknown check kind {kind!r}")


MACHINE = [c for c in CLAIMS if c.check.get("kind")]


@pytest.mark.parametrize("claim", MACHINE, ids=[c.id for c in MACHINE])
def test_claim_check_holds(claim: Claim) -> None:
    c = dict(claim.check)
    kind = str(c["kind"])
    assert _evaluate(kind, c) == c["expected"], f"{claim.id}: {claim.why}"
    if "then_date" in c or "then_product" in c:
        c2 = dict(c)
        if "then_date" in c:
            c2["date"] = c["then_date"]
        if "then_product" in c:
            c2["product"] = c["then_product"]
        assert _evaluate(kind, c2) == c["then_expected"], f"{claim.id}: {claim.why}"


def test_every_claim_has_a_verdict_and_a_reason() -> None:
    assert len(CLAIMS) >= 15
    for claim in CLAIMS:
        assert claim.why.strip()
        assert claim.verdict in ("consistent", "inconsistent", "partly_consistent", "unverifiable")


def test_the_headline_inconsistencies_are_flagged() -> None:
    verdicts = {c.id: c.verdict for c in CLAIMS}
    assert verdicts["seed002-eleven-rare-earths"] == "inconsistent"  # 7 rare earths, from April 2025
    assert verdicts["seed003-rescinded-import-measures"] == "inconsistent"
    assert verdicts["seed002-us-55"] == "partly_consistent"  # 55% only for Section 301 list 1-3 goods
    assert verdicts["seed001-145-to-30"] == "consistent"
    # #13: Rubio is Secretary of State (right), not a congressional critic, quote untraced
    assert verdicts["seed000-rubio-congress"] == "partly_consistent"
    # #13: the framework was signed (US side, Jun 26, 2025), but not in London
    assert verdicts["seed002-london-signed"] == "partly_consistent"

"""How each kind of golden case is run and checked: one function a kind, called by test_golden.py.

Every runner goes through the path a user's question takes (ops.check, ops.tariff, the registry
compiler, the dated snapshot tables) on what a plain clone holds: the bundled registry and data pack.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from golden_schema import (
    Advisory,
    ClaimCase,
    Component,
    DeterminationCase,
    RegistryCase,
    SnapshotCase,
    TariffCase,
)

from exportctl.data.pack import load_pack
from exportctl.engine.ear.dating import rebuild
from exportctl.errors import InputError
from exportctl.ops import check as check_ops
from exportctl.ops import tariff as tariff_ops
from exportctl.ops.check import Context, check_table
from exportctl.ops.registry import bundled_registry
from exportctl.registry import compile_regime
from exportctl.registry.scenario import Scenario
from exportctl.registry.snapshots import table_dating
from exportctl.store.dataset import Dataset

PACK = Path(__file__).resolve().parents[2] / "src" / "exportctl" / "data" / "pack"
ROLES = ("ultimate_consignee", "end_user", "intermediate_consignee")


# ---- determinations


@lru_cache(maxsize=1)
def pack_context() -> Context:
    """A Context over the bundled data pack (no store, no ../shared/data), with the bundled measures.

    The pack holds the snapshots the cases were written on (CCL, Chart and Country Groups 2026-07-23,
    CSL 2026-07-31, China lists 2026-08-01, OFAC dates)."""
    return Context(Dataset.from_tables(load_pack()), bundled_registry())


def determination_row(case: DeterminationCase) -> dict[str, str | None]:
    """The case's transaction as a check_table row (parties by role, in order)."""
    i = case.input
    row: dict[str, str | None] = {
        "exporting_country": i.exporting_country,
        "eccn": i.eccn,
        "product": i.product,
        "destination": i.to,
        "end_use": i.end_use,
        "value": None if i.value is None else str(i.value),
        "date": i.date.isoformat(),
        "known_on": None if i.known_on is None else i.known_on.isoformat(),
    }
    for role, name in zip(ROLES, i.parties, strict=False):
        row[role] = name
    return row


def determine(cases: Sequence[DeterminationCase]) -> dict[str, dict[str, Any]]:
    """Each case's answer by id: one check_table batch per scenario (the cases without one together)."""
    groups: dict[str, list[DeterminationCase]] = {}
    for case in cases:
        scen = case.input.scenario
        groups.setdefault(scen.hash if scen else "", []).append(case)
    out: dict[str, dict[str, Any]] = {}
    for group in groups.values():
        rows = [determination_row(c) for c in group]
        cols = sorted({k for r in rows for k in r} | set(ROLES))
        frame = pl.DataFrame([{k: r.get(k) for k in cols} for r in rows], schema={k: pl.Utf8 for k in cols})
        got = check_table(frame, context=pack_context(), fuzzy=False, scenario=group[0].input.scenario)
        out.update({c.id: r for c, r in zip(group, got.iter_rows(named=True), strict=True)})
    return out


def check_determination(case: DeterminationCase, got: dict[str, Any]) -> None:
    """The answer says what the case expects: verdict, reasons, exceptions, checks, review policy."""
    exp = case.expect
    reasons = got["reasons"] or []
    summary = [(r["code"], r["effect"], r["measure"]) for r in reasons]
    assert got["error"] is None, got["error"]
    assert got["verdict"] == exp.verdict, summary
    codes = {r["code"] for r in reasons}
    assert set(exp.codes) <= codes, summary
    assert not set(exp.codes_absent) & codes, summary
    assert set(exp.columns) <= {r["column"] for r in reasons}, summary
    assert set(exp.measures) <= {r["measure"] for r in reasons}, summary
    applied = {e["code"] for e in got["exceptions"] or [] if e["applies"]}
    considered = {e["code"] for e in got["exceptions"] or []}
    if exp.exception is not None:
        assert exp.exception in applied, (exp.exception, applied)
    if exp.exception_not is not None:
        assert exp.exception_not in considered and exp.exception_not not in applied, (considered, applied)
    if exp.conditional:
        assert any(r["conditional"] for r in reasons), summary
    for part in exp.text_contains:  # the words a person reads in the reasons
        assert any(part in (r["text"] or "") for r in reasons), (part, [r["text"] for r in reasons])
    for part in exp.checks_contain:  # what the answer says it checked (each family's coverage)
        assert any(part in f"{c['what']} {c['result']}" for c in got["checks"] or []), (part, got["checks"])
    if exp.review_policy_contains is not None:
        assert exp.review_policy_contains in (got["review_policy"] or ""), got["review_policy"]
    for r in reasons:  # every reason explains itself with a citation
        assert r["citation"], r


# ---- tariffs


def tariff_kwargs(case: TariffCase) -> dict[str, Any]:
    """The case's input as `ops.tariff.lookup` keywords (dates as ISO text, as the fronts pass them)."""
    out: dict[str, Any] = case.input.model_dump(exclude_unset=True, exclude={"scenario"})
    for key in ("date", "known_on"):
        if isinstance(out.get(key), dt.date):
            out[key] = out[key].isoformat()
    if case.input.scenario is not None:
        out["scenario"] = case.input.scenario
    return out


def _matches(component: dict[str, Any], want: Component) -> bool:
    return component.get("program") == want.program and (
        want.heading is None or str(component.get("heading")) == want.heading
    )


def _equal(got: Any, want: Any) -> bool:
    if isinstance(want, int | float) and not isinstance(want, bool) and got is not None:
        return bool(got == pytest.approx(float(want)))
    return bool(got == want)


def _same(item: dict[str, Any], want: dict[str, Any]) -> bool:
    return all(_equal(item.get(k), v) for k, v in want.items())


def _at(obj: Any, path: str) -> Any:
    for key in path.split("."):
        obj = obj[int(key)] if isinstance(obj, list) else obj.get(key)
    return obj


def _shown(advisories: list[dict[str, Any]], want: Advisory) -> bool:
    given = want.model_dump(exclude_none=True)
    return any(all(a.get(k) == v for k, v in given.items()) for a in advisories)


def check_tariff(case: TariffCase) -> None:
    """The stack has (and lacks) the components stated, with the totals, fees, fields and advisories."""
    exp = case.expect
    if exp.error_field is not None:
        with pytest.raises(InputError) as err:
            tariff_ops.lookup(**tariff_kwargs(case))
        assert err.value.field == exp.error_field
        return
    got = tariff_ops.lookup(**tariff_kwargs(case))
    comps = got["components"]
    seen = [(c["program"], c["heading"], c["rate_pct"]) for c in comps]
    for want in exp.components:
        found = [c for c in comps if _matches(c, want)]
        assert found, f"missing {want}; stack {seen}"
        if want.rate_pct is not None:
            assert any(c["rate_pct"] == pytest.approx(want.rate_pct) for c in found), seen
        others = want.model_dump(exclude_none=True, exclude={"program", "heading", "rate_pct"})
        for key, value in others.items():
            assert any(_equal(c.get(key), value) for c in found), (key, seen)
    for gone in exp.absent:
        assert not [c for c in comps if _matches(c, gone)], f"unexpected {gone}; stack {seen}"
    if exp.total_ad_valorem_pct is not None:
        assert got["total_ad_valorem_pct"] == pytest.approx(exp.total_ad_valorem_pct), seen
    if exp.exact:
        want_all = sorted((w.program, str(w.heading), float(w.rate_pct or 0)) for w in exp.components)
        assert sorted((c, str(h), float(r)) for c, h, r in seen) == want_all, seen
    for ex in exp.excluded:
        assert any(_same(x, ex.model_dump(exclude_none=True)) for x in got["excluded"]), (ex, got["excluded"])
    for fee in exp.fees:
        fees = got["duty"]["fees"]
        assert any(_same(f, fee.model_dump(exclude_none=True)) for f in fees), (fee, fees)
    for path, value in exp.fields.items():
        assert _equal(_at(got, path), value), (path, _at(got, path), value)
    shown = got.get("advisories", [])
    for adv in exp.advisories:
        assert _shown(shown, adv), f"no advisory {adv}"
    for adv in exp.no_advisories:
        assert not _shown(shown, adv), f"advisory {adv}"


# ---- registry


def check_registry(case: RegistryCase) -> None:
    """The effect is active (or suspended, or neither) on the day, in the form stated."""
    i, exp = case.input, case.expect
    regime = compile_regime(bundled_registry(), i.date, known_on=i.known_on, scenario=i.scenario)
    found = {a.ref: a for a in regime.effects()}
    suspended = {a.ref: a for a in regime.suspended()}
    assert (i.ref in found) is exp.active, f"{i.ref} on {i.date}"
    if exp.suspended is not None:
        assert (i.ref in suspended) is exp.suspended, f"{i.ref} on {i.date}"
    item = found.get(i.ref) or suspended.get(i.ref)
    for key in ("review_policy", "license_requirement", "verdict"):
        want = getattr(exp, key)
        if want is not None:
            assert item is not None, f"{i.ref} on {i.date}: neither active nor suspended"
            assert getattr(item.effect, key) == want, (key, getattr(item.effect, key))
    if exp.provenance is not None:
        assert item is not None and list(item.provenance) == exp.provenance, item and item.provenance


# ---- snapshot tables


@lru_cache(maxsize=2)
def pack_table(name: str) -> tuple[frozenset[tuple[str, str]], dt.date]:
    """A bundled snapshot table as (country, group-or-mark) pairs, and the day it was taken."""
    manifest = json.loads((PACK / "manifest.json").read_text())
    src = next(s for s in manifest["sources"] if s["name"] == name)
    frame = pl.read_parquet(PACK / src["file"])
    if name == "country_chart":
        frame = frame.filter(pl.col("mark").fill_null(False) & pl.col("inherited_from").is_null()).select(
            "country", pl.col("column").str.replace_all(" ", "").alias("value")
        )
    else:
        frame = frame.select("country", pl.col("group").alias("value"))
    pairs = frozenset(zip(frame["country"].to_list(), frame["value"].to_list(), strict=True))
    return pairs, dt.date.fromisoformat(src["date"])


def check_snapshot(case: SnapshotCase) -> None:
    """Rebuilt for the day before, of and after the change, the pair is in (or out of) the table."""
    i = case.input
    pairs, snap = pack_table(i.table)
    changes = table_dating(bundled_registry()).for_table(i.table)
    before = case.expect.member_before
    for offset, member in ((-1, before), (0, not before), (1, not before)):
        on = i.change + dt.timedelta(days=offset)
        assert ((i.country, i.value) in rebuild(set(pairs), changes, snap, on)) is member, (i.country, on)


# ---- claims

RARE_EARTHS = frozenset(
    {
        "lanthanum", "cerium", "praseodymium", "neodymium", "promethium", "samarium", "europium",
        "gadolinium", "terbium", "dysprosium", "holmium", "erbium", "thulium", "ytterbium", "lutetium",
        "scandium", "yttrium",
    }
)  # fmt: skip


def _cn_products(day: dt.date, known_on: dt.date | None, scenario: Scenario | None) -> set[str]:
    """Product names under an active China item control (licence or ban) on `day`."""
    regime = compile_regime(bundled_registry(), day, known_on=known_on, scenario=scenario)
    names: set[str] = set()
    for active in regime.effects(jurisdiction="CN-EXPORT"):
        if active.effect.kind in ("item_control", "prohibition") and active.effect.scope.products:
            names |= {p.lower() for p in active.effect.scope.products}
    return names


def claim_value(case: ClaimCase) -> Any:
    """The value the engines give for the fact the claim rests on."""
    i = case.input
    common: dict[str, Any] = {"known_on": i.known_on, "scenario": i.scenario}
    if i.check in ("tariff_total", "cn_tariff_total", "tariff_component"):
        assert i.hts and (i.origin or i.check == "cn_tariff_total"), "a tariff check names hts and origin"
        origin, dest = ("US", "CN") if i.check == "cn_tariff_total" else (str(i.origin), "US")
        out = tariff_ops.lookup(i.hts, origin, i.date, destination=dest, **common)
        if i.check == "tariff_component":
            return sum(x["rate_pct"] for x in out["components"] if x["program"] == i.program)
        return out["total_additional_pct"]
    if i.check == "cn_rare_earths_controlled":
        return len(RARE_EARTHS & _cn_products(i.date, i.known_on, i.scenario))
    if i.check == "cn_item_controlled":
        return str(i.product).lower() in _cn_products(i.date, i.known_on, i.scenario)
    assert i.destination, "a verdict check names its destination"
    parties = [i.party] if i.party else []
    out = check_ops.check_one(
        to=i.destination,
        as_of=i.date,
        eccn=i.eccn,
        product=i.product,
        parties=parties,
        context=pack_context(),
        **common,
    )
    return out["verdict"]


def check_claim(case: ClaimCase) -> None:
    """The claim exists in the bundled claims and the engines give the value of the official record."""
    ids = {entry.claim.id for entry in bundled_registry().claims}
    assert case.claim in ids, f"no bundled claim {case.claim!r}"
    assert _equal(claim_value(case), case.expect.value), case.id

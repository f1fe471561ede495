"""One transaction's verdict row from its key's work, in plain Python: what `verdict.finish` gives for a
row with no row reasons and no screening (a question naming no party), without a frame per step.

The key's work arrives as dicts (`one_key.key_work_one`, or `_key_work`'s frames as `.rows(named=True)`
gives them); the flags, the verdict, the review policy, the reasons and the order of the checks are read
here as `finish` reads them, with polars' three-valued logic where a fact may be null; the licence
exceptions considered by engine.ear.one_exceptions. tests/engine/ear/test_one_finish.py holds the row
equal to `finish`'s on random ECCNs, destinations and dates.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from exportctl.engine.common.checks import party_check_values
from exportctl.engine.ear import checks as chk
from exportctl.engine.ear import exceptions as le
from exportctl.engine.ear.one_exceptions import Kleene, considered_one, exception_check, kor
from exportctl.engine.ear.one_rules import kand
from exportctl.registry.rules import EarRules, ear_rules

__all__ = ["NO_PARTY", "finish_one"]

# party_facts' row for a question naming no party
NO_PARTY: Mapping[str, Any] = {"n_given": 0, "screened": False, "s_dpl": None, "s_lists": None}


def _in(value: str | None, values: Sequence[str]) -> Kleene:
    return None if value is None else value in values


def finish_one(
    key: Mapping[str, Any],
    key_reasons: Sequence[Mapping[str, Any] | None],
    kchecks: Mapping[str, Any],
    *,
    row: int = 1,
    value: float | None = None,
    pfacts: Mapping[str, Any] = NO_PARTY,
    lists_what: str,
    dpl_what: str | None,
    order: Sequence[str] = chk.US_ORDER,
    sections: Mapping[str, str] | None = None,
    row_reasons: Sequence[Mapping[str, Any] | None] = (),
    screening: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """finish's row (row, verdict, license_required, reasons, review_policy, exceptions, screening, checks)
    for one transaction of the key `key` (its keys row after the key work), its key reasons and key checks,
    its value, and the CheckInputs' party facts (a row naming no party: NO_PARTY), lists and order; with
    the row's own reasons and screening (engine.ear.one_parties) as finish combines them."""
    reasons = [dict(r) for r in key_reasons if r is not None]
    own = [dict(r) for r in row_reasons if r is not None]
    effects = [r.get("effect") for r in reasons]
    le_ok = [bool(r.get("le_ok")) for r in reasons]
    prohibited = "prohibited" in effects
    hold = "hold" in effects
    hard = any(e == "license_required" and not ok for e, ok in zip(effects, le_ok, strict=True))
    k_le = any(e == "license_required" and ok for e, ok in zip(effects, le_ok, strict=True))
    r_flags = row_flags(own)
    prohibited, hold, hard = prohibited or r_flags[0], hold or r_flags[1], hard or r_flags[2]
    policy = merged_policy(_policy_of(reasons), _policy_of(own))
    reasons += own
    any_ex: bool | None = None
    exceptions: list[dict[str, Any]] = []
    if k_le:
        # §740.3: what LVS makes of the value, and a value standing for it (verdict.exception_value)
        limit = key.get("lvs_limit")
        state = 0 if limit is None or value is None else 1 if value <= limit else 2
        standing = None if limit is None or state == 0 else limit if state == 1 else limit + 1
        flags = dict(zip(le.FLAG_COLUMNS, key_flags(key, ear_rules()), strict=True))
        rreasons = key.get("rreasons") or ""
        exceptions = considered_one(flags, rreasons, key.get("ex_off"), limit, standing, sections)
        any_ex = any(e["applies"] for e in exceptions)
    ex_check = exception_check(exceptions if k_le else None)
    if prohibited:
        verdict = "prohibited"
    elif hold:
        verdict = "hold"
    elif hard or (k_le and not any_ex):
        verdict = "license_required"
    elif k_le:
        verdict = "license_exception_available"
    else:
        verdict = "no_license_required"
    return {
        "row": row,
        "verdict": verdict,
        "license_required": verdict in ("license_required", "prohibited", "hold"),
        "reasons": reasons,
        "review_policy": policy or None,
        "exceptions": exceptions,
        "screening": screening,
        "checks": _checks(kchecks, pfacts, lists_what, dpl_what, order, ex_check),
    }


def _policy_of(reasons: Sequence[Mapping[str, Any]]) -> str:
    """verdict._flags' policy: the policies of requirements, in the order of the reasons, without repeats."""
    policies = dict.fromkeys(
        r["review_policy"]
        for r in reasons
        if r.get("effect") is not None
        and r["effect"] != "no_license_required"
        and r.get("review_policy") is not None
    )
    return "; ".join(policies)


def row_flags(reasons: Sequence[Mapping[str, Any]]) -> tuple[bool, bool, bool]:
    """verdict._flags of a row's own reasons: (prohibited, hold, hard) (no licence exception overcomes
    a row's reason)."""
    effects = [(r.get("effect"), bool(r.get("le_ok"))) for r in reasons]
    return (
        any(e == "prohibited" for e, _ in effects),
        any(e == "hold" for e, _ in effects),
        any(e == "license_required" and not ok for e, ok in effects),
    )


def merged_policy(key_policy: str, row_policy: str) -> str:
    """verdict._review_policy: the key's and the row's policies, once when equal."""
    if row_policy == "":
        return key_policy
    if key_policy in ("", row_policy):
        return row_policy
    return f"{key_policy}; {row_policy}"


def _checks(
    kchecks: Mapping[str, Any],
    pfacts: Mapping[str, Any],
    lists_what: str,
    dpl_what: str | None,
    order: Sequence[str],
    ex_check: dict[str, Any],
) -> list[dict[str, Any]]:
    """The row's checks in `order`, as common.checks.assemble lays them out for one row."""
    by_step: dict[str, Any] = {c.removeprefix("c_"): v for c, v in kchecks.items() if c.startswith("c_")}
    asked = kand(_gt0(pfacts.get("n_given"))) is True
    for c in kchecks:
        if c.startswith("p_coverage"):
            # a party family's coverage check reads `not consulted` on rows that name no party
            step = c.removeprefix("p_")
            by_step[step] = kchecks[c] if asked else kchecks[f"n_{step}"]
    by_step.update(party_check_values(pfacts, lists_what, dpl_what))
    by_step["license_exceptions"] = ex_check
    steps = [
        t
        for s in order
        for t in ([s] if s != "coverage" else sorted(k for k in by_step if k.split(".")[0] == s))
    ]
    return [dict(by_step[s]) for s in steps if s in by_step]


def _gt0(n: int | None) -> Kleene:
    return None if n is None else n > 0


def key_flags(key: Mapping[str, Any], rules: EarRules) -> tuple[Kleene, ...]:
    """exceptions.key_flags and the destination flags of one key, in exceptions.FLAG_COLUMNS' order."""
    base = key.get("eccn_base")
    para = key.get("eccn_para") or ""
    advanced = rules.advanced_computing_items
    x_adv = kor(_in(base, advanced.scope.eccns), any(para.startswith(p) for p in advanced.paragraphs))
    hbm = [
        kand(None if base is None else base == b, para.startswith(sub))
        for b, _, sub in (e.partition(".") for e in rules.aca_excluded_items.scope.eccns)
    ]
    flags = {
        "x_e": key.get("x_e"),
        "x_md5": kor(key.get("x_md5_dest"), bool(key.get("hq_md5"))),
        "x_b": key.get("x_b"),
        "x_d3": key.get("x_d3"),
        "x_adv": x_adv,
        "x_sme": _in(base, rules.sme_items.scope.eccns),
        "x_600": None if base is None else base[2:3] == "5",
        "x_lvs_d3": kand("D:3" in (key.get("lvs") or ""), key.get("x_d3")),
        "x_gbs": (key.get("gbs") or "").startswith("Yes"),
        "x_enc": _in(base, rules.encryption_items.scope.eccns),
        "x_hbm": kor(False, *hbm),
        "x_aca_exists": key.get("x_aca_exists"),
    }
    return tuple(flags[c] for c in le.FLAG_COLUMNS)

"""One transaction's verdict row from its key's work, in plain Python: what `verdict.finish` gives for a
row with no row reasons and no screening (a question naming no party), without a frame per step.

The key's work arrives as dicts (`one_key.key_work_one`, or `_key_work`'s frames as `.rows(named=True)`
gives them); the flags, the verdict, the review policy, the reasons and the order of the checks are read
here as `finish` reads them, with polars' three-valued logic where a fact may be null. The licence
exceptions considered and their check are a pure function of a dozen flags and values of the key: they
are made by the plan's own expressions (`exceptions.considered`, `checks.exception_checks`) once per
distinct combination and kept, so their texts are written in one place. tests/engine/ear/test_one_finish.py
holds the row equal to `finish`'s on random ECCNs, destinations and dates.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import Any

import polars as pl

from exportctl.engine.common.checks import party_check_values
from exportctl.engine.common.memo import Lru
from exportctl.engine.common.reasons import EXCEPTION_DTYPE
from exportctl.engine.ear import checks as chk
from exportctl.engine.ear import exceptions as le
from exportctl.engine.ear.verdict import exception_value
from exportctl.registry.rules import EarRules, ear_rules

__all__ = ["NO_PARTY", "finish_one"]

# party_facts' row for a question naming no party
NO_PARTY: Mapping[str, Any] = {"n_given": 0, "screened": False, "s_dpl": None, "s_lists": None}

Kleene = bool | None


def _or(*xs: Kleene) -> Kleene:
    """polars' OR: true if any is true, else null if any is null."""
    if any(x is True for x in xs):
        return True
    return None if any(x is None for x in xs) else False


def _and(*xs: Kleene) -> Kleene:
    """polars' AND: false if any is false, else null if any is null."""
    if any(x is False for x in xs):
        return False
    return None if any(x is None for x in xs) else True


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
) -> dict[str, Any]:
    """finish's row (row, verdict, license_required, reasons, review_policy, exceptions, screening, checks)
    for one transaction of the key `key` (its keys row after the key work), its key reasons and key checks,
    its value, and the CheckInputs' party facts (a row naming no party: NO_PARTY), lists and order."""
    reasons = [dict(r) for r in key_reasons if r is not None]
    effects = [r.get("effect") for r in reasons]
    le_ok = [bool(r.get("le_ok")) for r in reasons]
    prohibited = "prohibited" in effects
    hold = "hold" in effects
    hard = any(e == "license_required" and not ok for e, ok in zip(effects, le_ok, strict=True))
    k_le = any(e == "license_required" and ok for e, ok in zip(effects, le_ok, strict=True))
    # the policies of requirements, in the order of the reasons, without repeats
    policies = dict.fromkeys(
        r["review_policy"]
        for r in reasons
        if r.get("effect") is not None
        and r["effect"] != "no_license_required"
        and r.get("review_policy") is not None
    )
    policy = "; ".join(policies)
    any_ex: bool | None = None
    exceptions: list[dict[str, Any]] = []
    ex_check = _considered(None, None, None, sections)[2]
    if k_le:
        limit = key.get("lvs_limit")
        state = 0 if limit is None or value is None else 1 if value <= limit else 2
        exceptions, any_ex, ex_check = _considered(key, limit, state, sections)
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
        "exceptions": [dict(e) for e in exceptions],
        "screening": None,
        "checks": _checks(kchecks, pfacts, lists_what, dpl_what, order, ex_check),
    }


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
    asked = _and(_gt0(pfacts.get("n_given"))) is True
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
    x_adv = _or(_in(base, advanced.scope.eccns), any(para.startswith(p) for p in advanced.paragraphs))
    hbm = [
        _and(None if base is None else base == b, para.startswith(sub))
        for b, _, sub in (e.partition(".") for e in rules.aca_excluded_items.scope.eccns)
    ]
    flags = {
        "x_e": key.get("x_e"),
        "x_md5": _or(key.get("x_md5_dest"), bool(key.get("hq_md5"))),
        "x_b": key.get("x_b"),
        "x_d3": key.get("x_d3"),
        "x_adv": x_adv,
        "x_sme": _in(base, rules.sme_items.scope.eccns),
        "x_600": None if base is None else base[2:3] == "5",
        "x_lvs_d3": _and("D:3" in (key.get("lvs") or ""), key.get("x_d3")),
        "x_gbs": (key.get("gbs") or "").startswith("Yes"),
        "x_enc": _in(base, rules.encryption_items.scope.eccns),
        "x_hbm": _or(False, *hbm),
        "x_aca_exists": key.get("x_aca_exists"),
    }
    return tuple(flags[c] for c in le.FLAG_COLUMNS)


_Made = tuple[list[dict[str, Any]], bool | None, dict[str, Any]]
_KEPT: Lru[tuple[EarRules, _Made]] = Lru(4096)


def _considered(
    key: Mapping[str, Any] | None, limit: float | None, state: int | None, sections: Mapping[str, str] | None
) -> _Made:
    """(the licence exceptions considered, whether one applies, the license_exceptions check) for a key
    whose requirements an exception may overcome (None: none considered), made by the plan's expressions
    once per distinct input and kept (per rules file)."""
    rules = ear_rules()
    if key is None:
        inputs: tuple[Hashable, ...] = ()
    else:
        inputs = (
            *key_flags(key, rules),
            key.get("rreasons") or "",
            key.get("ex_off"),
            limit,
            state,
            _sections_key(sections),
        )
    found = _KEPT.get(inputs)
    if found is not None and found[0] is rules:
        return found[1]
    made = _make(inputs, sections) if key is not None else _make_none()
    _KEPT.put(inputs, (rules, made))
    return made


def _sections_key(sections: Mapping[str, str] | None) -> Hashable:
    return None if sections is None else tuple(sorted(sections.items()))


def _make(inputs: tuple[Hashable, ...], sections: Mapping[str, str] | None) -> _Made:
    cols = [*le.FLAG_COLUMNS, "rr", "ex_off", "lvs_limit", "lvs_state"]
    types = [*[pl.Boolean] * len(le.FLAG_COLUMNS), pl.Utf8, pl.Utf8, pl.Float64, pl.Int8]
    frame = pl.DataFrame(
        [list(inputs[: len(cols)])], schema=dict(zip(cols, types, strict=True)), orient="row"
    )
    out = (
        frame.with_columns(rreasons=pl.col("rr").str.split(",").list.filter(pl.element() != ""))
        .with_columns(exceptions=le.considered(exception_value(), dict(sections) if sections else None))
        .select(
            "exceptions",
            pl.col("exceptions").list.eval(pl.element().struct.field("applies")).list.any().alias("any_ex"),
            chk.exception_checks(pl.col("exceptions")).alias("check"),
        )
        .row(0, named=True)
    )
    return out["exceptions"], out["any_ex"], out["check"]


def _make_none() -> _Made:
    check = pl.select(chk.exception_checks(pl.lit(None, pl.List(EXCEPTION_DTYPE))).alias("c")).item()
    return [], None, check

"""One transaction's parties in plain Python: the row-level part of engine/ear/determine.py::determine for a
row naming parties (explode_parties, the screening's hits, confirm_measure_hits, party_reasons, the
no-lists hold, cov.party_holds, script_holds, screening_results and party_facts), giving the row's reasons
(reason dicts), its screening value and its party facts as the plan gives them for that row.

The hits are the screening's own (engine.ear.one_hits: screen_rows' rows from the same lists' keys and
dates, index, memory of fuzzy hits and reviewers' decisions, kept per CSL frame rather than per lists
frame; screen_rows itself where it declines); everything after them is read here without a frame
(engine.ear.one_reading reads them on their date). None where the plan's answer is not settled here;
tests/engine/ear/test_one_parties.py holds the results equal to determine's.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl

from exportctl.engine.common import lists as party_lists
from exportctl.engine.common import party_rows
from exportctl.engine.common.checks import SEVERITY
from exportctl.engine.common.keying import ROLES
from exportctl.engine.common.measures import ITEM_KINDS
from exportctl.engine.common.memo import ByIdentity
from exportctl.engine.common.party_scripts import (
    CITATION as SCRIPT_CITATION,
)
from exportctl.engine.common.party_scripts import (
    carried_scripts,
    foreign_scripts,
    is_organisation,
    script_note,
    unmet_scripts,
)
from exportctl.engine.ear.one_checks import frame_families
from exportctl.engine.ear.one_hits import hits_one
from exportctl.engine.ear.one_items import exporting_ok, geo_ok
from exportctl.engine.ear.one_reading import list_rule_rows, party_reasons_one
from exportctl.engine.ear.one_rules import Row, hold

__all__ = ["PartyWork", "party_rows_one", "party_work_one"]

_PARTY_SCHEMA = {
    "row": pl.Int64,
    "rkey": pl.Int64,
    "kid": pl.Int64,
    "as_of": pl.Date,
    "eccn_base": pl.Utf8,
    "destination": pl.Utf8,
    "role": pl.Utf8,
    "name": pl.Utf8,
    "country": pl.Utf8,
}
_SCREENING = ("role", "name", "list", "entity_id", "listed_name", "match_score", "suppressed_by")


@dataclass(frozen=True)
class PartyWork:
    """What a row's parties add to its answer: its row reasons (determine's order), its screening value
    (screening_results' list of hits, None without a hit) and its party facts (checks.party_facts)."""

    reasons: list[Row]
    screening: list[Row] | None
    pfacts: Row


def party_rows_one(tx: Mapping[str, Any]) -> list[Row]:
    """party_rows.explode_parties for one row: (role, name, country) per named party, in ROLES order; a
    party's country is its `<role>_country`, else the destination (blank names left out)."""
    out = []
    for role in ROLES:
        name = tx.get(role)
        if name is None or not str(name).strip():
            continue
        own = tx.get(f"{role}_country")
        country = own if own is not None else tx.get("destination")
        out.append({"role": role, "name": name, "country": country if country is not None else ""})
    return out


def _hits(
    tx: Mapping[str, Any],
    parties: list[Row],
    lists: pl.DataFrame,
    *,
    fuzzy: bool,
    index_key: str | None,
    suppressed: pl.DataFrame | None,
) -> list[Row]:
    """screen_rows' hits of the row's parties (determine._screened), as dicts: where hits_one declines."""
    frame = pl.DataFrame(
        [{**{c: tx.get(c) for c in _PARTY_SCHEMA}, **p} for p in parties], schema=_PARTY_SCHEMA, orient="row"
    )
    hits = party_lists.screen_rows(frame, lists, fuzzy=fuzzy, index_key=index_key, suppressed=suppressed)
    return list(hits.iter_rows(named=True)) if hits.height and "list" in hits.columns else []


@dataclass(frozen=True)
class _Named:
    """The effects naming parties: per regime, the item and place scopes match_effects tests; per (rkey,
    eid), what confirm_measure_hits attaches (m_verdict ...)."""

    by_rkey: dict[int, list[Row]]
    info: dict[tuple[int, int], Row]


_NAMED: ByIdentity[_Named] = ByIdentity(8)


def _named(effects: pl.DataFrame) -> _Named:
    def build() -> _Named:
        by: dict[int, list[Row]] = {}
        info: dict[tuple[int, int], Row] = {}
        for r in effects.iter_rows(named=True):
            if not r["parties"]:
                continue
            info.setdefault((r["rkey"], r["eid"]), r)
            if r["kind"] in ITEM_KINDS:
                by.setdefault(r["rkey"], []).append(r)
        return _Named(by, info)

    return _NAMED.get_or_build(effects, build)


def _item_reaches(k: Row, e: Row) -> bool:
    """measures.match_effects' item test of one selector row for the key (ECCN, ECCN prefix, any item)."""
    sel, sb, base = e["sel"], e["sel_base"], k["eccn_base"]
    if sel == "any":
        return True
    if sel != "eccn" or sb is None:
        return False  # a product, keyword or customs code: this path's keys carry none
    if not sb.endswith("*"):
        para_ok = e["sel_para"] is None or f"{k['eccn_para'] or ''}.".startswith(e["sel_para"] + ".")
        return base == sb and para_ok
    return base is not None and base != "EAR99" and base.startswith(sb.rstrip("*"))


def confirm_one(hits: list[Row], key: Row, effects: pl.DataFrame) -> list[Row] | None:
    """party_rows.confirm_measure_hits for one row: a hit on a measure's party stands only where the
    measure's item and place scope reach the key; it carries the measure's verdict, text and policy.
    None for a measure's hit on a key naming a product or customs code (their selectors are not read here)."""
    plain = [h for h in hits if not h["list"].startswith("effect:")]
    if len(plain) < len(hits) and any(key.get(c) for c in ("product_key", "cn_code", "hts")):
        return None
    named = _named(effects)
    kept = []
    for h in hits:
        if not h["list"].startswith("effect:"):
            continue
        _, rkey, eid = h["list"].split(":")
        m_rkey, m_eid = int(rkey), int(eid)
        if m_rkey != h["rkey"]:
            continue
        scoped = any(
            e["eid"] == m_eid and _item_reaches(key, e) and exporting_ok(key, e) and geo_ok(key, e)
            for e in named.by_rkey.get(m_rkey, [])
        )
        if not scoped:
            continue
        m = named.info[(m_rkey, m_eid)]
        kept.append(
            {
                **h,
                "m_verdict": m["verdict"],
                "m_text": m["text"],
                "m_citation": m["citation"],
                "m_policy": m["review_policy"],
                "m_reason": m["control_reason"],
                "m_measure": m["measure"],
            }
        )
    return plain + kept


def _script_holds(parties: list[Row], hits: list[Row], lists: Sequence[pl.DataFrame]) -> list[Row]:
    """party_scripts.script_holds for one row: a company named, without a hit, in a script the lists lack."""
    with_hits = {h["name"] for h in hits}
    names = [
        n for n in dict.fromkeys(p["name"] for p in parties) if n not in with_hits and foreign_scripts(n)
    ]
    if not names or not any(is_organisation(n) for n in names):
        return []
    # the lists' scripts are those of their parts' (kept per part: a day's lists frame is often new)
    carried = frozenset().union(*(carried_scripts(f) for f in lists if f.height))
    unmet = {n: found for n in names if (found := unmet_scripts(n, carried))}
    held = sorted({(p["role"], p["name"]) for p in parties if p["name"] in unmet})
    return [hold("party-script", SCRIPT_CITATION, script_note(n, unmet[n], role)) for role, n in held]


def _party_holds(key: Row, families: pl.DataFrame) -> list[Row]:
    """cov.party_holds for a row naming parties: a coverage hold per party family past its day."""
    return [
        hold("coverage", "exportctl measure registry (families)", f["f_note"])
        for f in frame_families(families)[0].get(key["rkey"], [])
        if f["parties"] and f["f_note"] is not None
    ]


def _summary(reasons: Sequence[Row], dpl: bool) -> str | bool | None:
    """checks.reason_summary of the row's reasons in party_facts' DPL or other-lists category: the gravest
    effect and its codes ('license required (EL)'); None without one, False where the plan's pick of an
    effect is arbitrary."""
    rs = [r for r in reasons if r["effect"] is not None and (r["code"] == "DPL") == dpl]
    if not rs:
        return None
    top = max(SEVERITY.get(r["effect"], 0) for r in rs)
    tops = [r for r in rs if SEVERITY.get(r["effect"], 0) == top]
    if len({r["effect"] for r in tops}) > 1:
        return False
    eff = tops[0]["effect"]
    labels = ", ".join(sorted({r["code"] for r in tops if r["code"] is not None}))
    return f"{('information only' if eff == 'info' else eff).replace('_', ' ')} ({labels})"


def party_work_one(
    tx: Mapping[str, Any],
    key: Row,
    fixed: Any,
    *,
    csl_missing: bool,
    fuzzy: bool = False,
    index_key: str | None = None,
    suppressed: pl.DataFrame | None = None,
) -> PartyWork | None:
    """The row reasons, screening and party facts determine gives the one transaction `tx` (row, rkey, kid,
    as_of, eccn_base, destination, the roles and `<role>_country`, parties_screened) whose key row is `key`
    on `fixed` (determine.Fixed); `csl_missing`: the data version has no screening list (rows hold).
    None where the plan's answer is not settled here."""
    parties = party_rows_one(tx)
    named = party_rows.measure_parties(fixed.effects)
    hits = hits_one(
        tx,
        parties,
        fixed.csl,
        named,
        fuzzy=fuzzy,
        index_key=index_key,
        suppressed=suppressed,
    )
    if hits is None:  # the screening's own frames settle it
        hits = _hits(tx, parties, fixed.lists, fuzzy=fuzzy, index_key=index_key, suppressed=suppressed)
    confirmed = confirm_one(hits, key, fixed.effects)
    if confirmed is None:
        return None
    hits = confirmed
    reasons = party_reasons_one(hits, list_rule_rows(fixed.list_rules))
    if reasons is None:
        return None
    if csl_missing:
        text = "No screening list in the data version: parties could not be screened."
        reasons.append(hold("csl", "Consolidated Screening List", text))
    if parties:
        reasons += _party_holds(key, fixed.families)
        reasons += _script_holds(parties, hits, [f for f in (fixed.csl, named) if f is not None])
    screening = [{c: h.get(c) for c in _SCREENING} for h in hits] or None
    s_dpl, s_lists = _summary(reasons, True), _summary(reasons, False)
    if s_dpl is False or s_lists is False:
        return None
    flag = tx.get("parties_screened")
    n_given = len({p["name"] for p in parties})
    pfacts = {
        "n_given": n_given,
        "screened": n_given > 0 and (True if flag is None else bool(flag)),
        "s_dpl": s_dpl,
        "s_lists": s_lists,
    }
    return PartyWork(reasons, screening, pfacts)

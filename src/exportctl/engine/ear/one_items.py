"""One key's item reasons in plain Python: items.item_reasons (the CCL against the Country Chart, the
embargoes and footnotes, the measures matched, removals, the §744.21 gap) for one key."""

from __future__ import annotations

from typing import Any

from exportctl.engine.common.memo import ByIdentity
from exportctl.engine.ear.ccl import CHART_CITE
from exportctl.engine.ear.chart import para_applies
from exportctl.engine.ear.one_prep import EffectLookups, TableLookups
from exportctl.engine.ear.one_rules import (
    Row,
    cat,
    dest_rule_reaches,
    hold,
    kand,
    meu_all_items,
    meu_country,
    padded_in,
    reason,
)
from exportctl.engine.ear.removal import paras_overlap
from exportctl.engine.protocols import ControlsRegimeLike

__all__ = ["exporting_ok", "geo_ok", "item_reasons_one"]

Key = dict[str, Any]


def item_reasons_one(
    k: Key, look: TableLookups, eff: EffectLookups, regime: ControlsRegimeLike
) -> tuple[list[Row], str | None, str | None] | None:
    """items.item_reasons for one key: its reasons in the plan's frame order, rreasons and ex_off (None
    where the plan would pick one of several holds)."""
    ccl = _ccl(k, look)
    matches = _matches(k, eff)
    removed = _removals(k, eff, ccl, look)
    if removed is None:
        return None
    ccl, missing = removed
    hits = [m for m in matches if m["kind"] in ("license_requirement", "prohibition", "item_control")]
    reasons: list[Row] = []
    if not k["covered"]:
        note = k["coverage_note"]
        text = note if note is not None else f"The registry does not cover {k['as_of']}."
        reasons.append(hold("coverage", "exportctl measure registry", text))
    if k["covered"] and k["row_iso"] is None:
        text = f"No Country Chart row for {k['destination']} on {k['as_of']} in the data."
        reasons.append(hold("country_chart", CHART_CITE, text))
    reasons += _meu_gap(k, hits)
    reasons += [c["reason"] for c in ccl]
    if k["pointer"] is not None:
        reasons.append(
            reason(
                step="GP6",
                code="Part 746",
                citation=f"{CHART_CITE}: {k['pointer']}",
                effect="license_required",
                review_policy="see Part 746 (generally denial)",
                le_ok=False,
                conditional=False,
                text=f"Embargoed destination: the chart row carries no marks and says: {k['pointer']}",
            )
        )
    reasons += _footnotes(k, look, eff, regime)
    reasons += [_measure_reason(k, h) for h in hits]
    reasons += [_policy(m) for m in matches if m["kind"] == "review_policy"]
    reasons += missing
    over = {c["rreason"] for c in ccl} | {
        h["control_reason"] if h["control_reason"] is not None else h["kind"]
        for h in hits
        if h["exceptions_available"]
    }
    off = {
        code
        for m in matches
        if m["kind"] == "exception_change" and not m["exceptions_available"]
        for code in (m["exceptions"] or [])
        if code is not None
    }
    return reasons, (",".join(sorted(over)) if over else None), (",".join(sorted(off)) if off else None)


def _ccl(k: Key, look: TableLookups) -> list[Row]:
    """ccl.ccl_requirements: the CCL rows that reach the key's destination, with their reasons."""
    base, para = k["eccn_base"], k["eccn_para"]
    if base == "EAR99" or k["pointer"] is not None or k["row_iso"] is None:
        return []
    out = []
    for r in look.rows.get(base, []):
        applies = para_applies(r["scope_kind"], list(r["paras"] or []), para)
        if applies == "no" or not dest_rule_reaches(r["dest_rule"], k):
            continue
        conditional = applies == "conditional" or r["dest_rule"] in ("see_text", "cwc_non_party")
        where: str | None = ""
        if applies == "conditional":
            where = cat(
                " Applies only to part of the entry (", r["control"], "): classify to the subparagraph."
            )
        cite = cat("15 CFR 774 Supp. 1, ECCN ", base, "; 15 CFR ", r["section"])
        if r["column"] is not None:
            cite = cat(cite, "; " + CHART_CITE)
            tail = cat(": X in column ", r["column"], " for the destination.")
        else:
            tail = cat(": ", None if r["chart_text"] is None else r["chart_text"][:240])
        text = cat(r["reason"], " control of ", base, tail, where)
        out.append(
            {
                "row_id": r["row_id"],
                "rreason": r["reason"],
                "row": r,
                "reason": reason(
                    step="GP1",
                    code=r["reason"],
                    column=r["column"],
                    citation=cite,
                    effect="license_required",
                    le_ok=True,
                    conditional=conditional,
                    text=text,
                ),
            }
        )
    return out


def geo_ok(k: Key, e: Row) -> bool:
    """measures._geo_ok for the key's place."""
    dests, hq = e["dests"], e["hq"] or []
    dest_in = dests is not None and (k["destination"] in dests or (k["row_iso"] or "") in dests)
    hq_hit = bool(hq) and bool(set(k["pcs"].split(",")) & set(hq))
    geo = (dests is None and not hq) or dest_in or hq_hit
    geo = geo and k["destination"] not in (e["dests_not"] or [])
    uses = e["end_uses"] or []
    return geo and (not uses or (k["end_use"] or "") in uses)


def exporting_ok(k: Key, e: Row) -> bool:
    """measures' exporting-country test of an effect for the key."""
    return not e["exporting"] or k["exporting"] in e["exporting"]


def _matches(k: Key, eff: EffectLookups) -> list[Row]:
    """measures.match_effects on the effects naming no party: the matching effects, by eid."""
    rkey, base, para = k["rkey"], k["eccn_base"], k["eccn_para"]
    found: set[int] = set()
    item = f"{para or ''}."
    for e in eff.exact.get((rkey, base), []):
        para_ok = e["sel_para"] is None or item.startswith(e["sel_para"] + ".")
        if para_ok and exporting_ok(k, e) and geo_ok(k, e):
            found.add(e["eid"])
    if base is not None and base != "EAR99":
        for e in eff.wild.get(rkey, []):
            if base.startswith(e["sel_base"].rstrip("*")) and exporting_ok(k, e) and geo_ok(k, e):
                found.add(e["eid"])
    if k["product_key"] is not None:
        for e in eff.named.get(rkey, []):
            if padded_in(e["sel_base"], k["product_key"]) and exporting_ok(k, e) and geo_ok(k, e):
                found.add(e["eid"])
    if k["cn_code"] is not None or k["hts"] is not None:
        for e in eff.codes.get(rkey, []):
            code = k["cn_code"] if e["sel"] == "code" else k["hts"]
            if (code or "").startswith(e["sel_base"] or "") and exporting_ok(k, e) and geo_ok(k, e):
                found.add(e["eid"])
    for e in eff.anyitem.get(rkey, []):
        if exporting_ok(k, e) and geo_ok(k, e):
            found.add(e["eid"])
    return [eff.payload[i] for i in sorted(found)]


def _removals(
    k: Key, eff: EffectLookups, ccl: list[Row], look: TableLookups
) -> tuple[list[Row], list[Row]] | None:
    """removal.apply_removals: (the CCL rows left, the not-in-force hold), None where the plan would pick
    one of several different holds."""
    kr = [
        e
        for e in eff.removals.get((k["rkey"], k["eccn_base"]), [])
        if e["dests"] is None or k["destination"] in e["dests"]
    ]
    if not kr:
        return ccl, []
    para = f"{k['eccn_para'] or ''}."
    gone = [
        e
        for e in kr
        if e["control_reason"] is None
        and e["ccl_rows"] is None
        and (e["sel_para"] is None or (k["eccn_para"] is not None and para.startswith(e["sel_para"] + ".")))
    ]
    missing = [
        reason(
            step="DATA",
            code="not_in_force",
            measure=e["measure"],
            citation=e["citation"],
            effect="hold",
            le_ok=False,
            conditional=False,
            text=cat("This classification was not on the CCL on the date asked: ", e["text"]),
        )
        for e in gone
    ]
    if len({tuple(sorted((f, str(v)) for f, v in m.items())) for m in missing}) > 1:
        return None  # the plan keeps any one of them (unique("kid"))
    left = []
    for c in ccl:
        r = c["row"]
        hit = False
        for e in kr:
            if e["control_reason"] is not None and e["control_reason"] != r["reason"]:
                continue
            if e["ccl_rows"] is not None and e["ccl_rows"] != r["dest_rule"]:
                continue
            if e["sel_para"] is None:
                hit = True
            elif r["scope_kind"] == "listed":
                hit = paras_overlap(list(r["paras"] or []), e["sel_para"])
            if hit:
                break
        if not hit:
            left.append(c)
    return left, missing[:1]


def _meu_gap(k: Key, hits: list[Row]) -> list[Row]:
    """enduse.meu_gap: a stated military end use in a §744.21 country no dated MEU measure reaches."""
    dest, day = k["destination"], k["as_of"]
    if k["end_use"] != "military" or not meu_country(dest, day):
        return []
    if not (meu_all_items(dest, day) or (k["eccn_base"] or "") != "EAR99"):
        return []
    if any(h["control_reason"] == "MEU" for h in hits):
        return []
    text = (
        f"Military end use stated for {dest} on {day}: §744.21 may require a license (Supp. 2 items; any "
        "item for Russia/Belarus), but the registry has no dated §744.21 measure for this destination and "
        "date."
    )
    return [
        reason(
            step="GP5",
            code="MEU",
            citation="15 CFR 744.21 (military end use/user); Supp. 2 to Part 744",
            effect="hold",
            le_ok=False,
            conditional=True,
            text=text,
        )
    ]


def _footnotes(k: Key, look: TableLookups, eff: EffectLookups, regime: ControlsRegimeLike) -> list[Row]:
    """ccl.footnote_requirements read through items._dated_footnotes."""
    base, para, fns = k["eccn_base"], k["eccn_para"], k["footnotes"]
    out: list[Row] = []
    for fn in fns:
        for f in look.footnotes:
            if f["fn"] != fn:
                continue
            fb = f["eccn"].split(".")[0] if f["eccn"] is not None else None
            item = (f["sel"] == "any_ccl" and base is not None and base != "EAR99") or (
                f["sel"] == "eccn" and base == fb
            )
            if not item:
                continue
            cond = (
                f["sel"] == "eccn"
                and "." in f["eccn"]
                and not f"{para or ''}.".startswith(f["eccn"].split(".", 1)[1] + ".")
            )
            cite = f"{CHART_CITE}, footnote {fn}" + (f"; 15 CFR {f['fsec']}" if f["fsec"] is not None else "")
            out.append(
                reason(
                    step="GP6" if fn == 6 else "GP1",
                    code=f"FN{fn}",
                    column=f["fcol"],
                    citation=cite,
                    effect="license_required",
                    le_ok=fn != 6,
                    conditional=cond,
                    text=f["ftext"][:300],
                )
            )
    ear99 = []
    if 6 in fns and base == "EAR99":
        ear99.append(
            reason(
                step="GP6",
                code="FN6",
                citation=CHART_CITE + ", footnote 6; 15 CFR 746.8",
                effect="hold",
                le_ok=False,
                conditional=True,
                text="EAR99 to Russia or Belarus: §746.8 and Supps. 2, 4-7 to Part 746 list EAR99 items by "
                "HTS code; the item's HTS code must be checked by a person.",
            )
        )
    if not (out or ear99) or not _rs_ru_dated(regime):
        return out + ear99
    # the registry dates the Russia/Belarus sanctions: FN6 speaks through the measures, and the EAR99
    # hold stands only while an RS-RU measure is in force for the destination
    other = [r for r in out if r["code"] != "FN6"]
    active = k["destination"] in eff.ru_dests.get(k["rkey"], set())
    return other + (ear99 if active else [])


_RS_RU: ByIdentity[bool] = ByIdentity(32)  # regimes are kept per day by the registry: a few in use


def _rs_ru_dated(regime: ControlsRegimeLike) -> bool:
    """The regime dates the Russia/Belarus sanctions (an RS-RU effect), read once per regime object."""
    return _RS_RU.get_or_build(
        regime, lambda: any(e.control_reason == "RS-RU" for m in regime.measures.values() for e in m.effects)
    )


def _measure_reason(k: Key, h: Row) -> Row:
    """items._measure_reasons for one hit, read through §744.21(a)(1)."""
    dest, day, base = k["destination"], k["as_of"], k["eccn_base"]
    is_meu = None if h["control_reason"] is None else h["control_reason"] == "MEU"
    supp2 = kand(is_meu, bool(h["end_uses"]), not meu_all_items(dest, day))
    ear99 = kand(supp2, None if base is None else base == "EAR99")
    listed = kand(supp2, base is not None, None if base is None else base != "EAR99")
    uses = h["end_uses"] or []
    step = "GP5" if uses or h["control_reason"] == "IS-INFORMED" else "GP1"
    if h["kind"] == "prohibition":
        effect = "prohibited"
    elif ear99:
        effect = "info"
    else:
        effect = h["verdict"] if h["verdict"] is not None else "license_required"
    if ear99:
        text = cat(h["text"], " Not for EAR99: §744.21(a)(1) reaches only items in Supp. 2 to Part 744.")
    elif listed:
        text = cat(h["text"], " Applies only if the ECCN is listed in Supp. 2 to Part 744 (verify).")
    else:
        text = h["text"]
    return reason(
        step=step,
        code=h["control_reason"] if h["control_reason"] is not None else h["kind"],
        measure=h["measure"],
        citation=h["citation"],
        url=h["url"],
        effect=effect,
        review_policy=None if ear99 else h["review_policy"],
        le_ok=bool(h["exceptions_available"]),
        conditional=listed,
        text=text,
    )


def _policy(m: Row) -> Row:
    """reasons.policy_notes for one matching review_policy effect."""
    return reason(
        step="POLICY",
        code="review_policy",
        measure=m["measure"],
        citation=m["citation"],
        url=m["url"],
        effect="info",
        review_policy=m["review_policy"],
        le_ok=False,
        conditional=False,
        text=m["text"],
    )

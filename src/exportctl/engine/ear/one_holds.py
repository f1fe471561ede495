"""One key's data holds in plain Python: dating.holds (snapshot tables the registry cannot date back to
the key's day) and measures.unclassified (an item named only by a product no measure names)."""

from __future__ import annotations

from typing import Any

from exportctl.engine.common.measures import product_names
from exportctl.engine.common.memo import ByIdentity
from exportctl.engine.ear import dating
from exportctl.engine.ear.one_prep import table_lookups
from exportctl.engine.ear.one_rules import Row, hold, padded_in, reason
from exportctl.engine.protocols import ControlsRegimeLike

__all__ = ["snapshot_holds_one", "unclassified_one"]

Key = dict[str, Any]


def snapshot_holds_one(k: Key, dated: dating.Dated, tables: Any) -> list[Row]:
    """dating.holds for one key: the snapshot tables the registry cannot date back to the key's day."""
    regime = dated.regimes[k["rkey"]]
    iso = k["row_iso"] if k["row_iso"] is not None else k["destination"]
    out: list[Row] = []
    for table, value in (("country_groups", iso), ("country_chart", iso), ("ccl", k["eccn_base"])):
        snap = dated.dates.get(table)
        if not (snap is None or regime.as_of < snap) or value is None or value == "EAR99":
            continue
        wrong = dating._conflicts_of(table, regime.dating, tables, snap)
        text = dating._hold_text(regime.dating, table, value, regime.as_of, snap, wrong)
        if text:
            out.append(_snapshot_hold(table, text))
    snap = dated.dates.get("country_chart")
    h = regime.dating.histories.get("country_chart")
    if h is None or (snap is not None and regime.as_of >= snap):
        return out
    when = f"the eCFR of {snap}" if snap else "a snapshot of unknown date"
    look = table_lookups(tables)
    texts: list[str] = []
    for hkey, start in h.keys.items():
        if "/" in hkey and (start is None or regime.as_of < start):
            hiso, why = hkey.split("/", 1)
            if hiso != iso or (k["eccn_base"], why) not in look.reasons:
                continue
            text = f"hold: the Country Chart is {when}; its {why} columns for {hiso} on {regime.as_of}"
            text += " are not recorded"
            text += f" (the registry's record is complete from {start})." if start is not None else "."
            if text not in texts:
                texts.append(text)
    return out + [_snapshot_hold("country_chart", t) for t in texts]


def _snapshot_hold(table: str, text: str) -> Row:
    return reason(
        step="DATA",
        code=f"snapshot:{table}",
        citation=dating.CITES[table],
        effect="hold",
        le_ok=False,
        conditional=False,
        text=text,
    )


_NAMES: ByIdentity[set[str]] = ByIdentity(64)  # per regime


def unclassified_one(k: Key, regime: ControlsRegimeLike) -> list[Row]:
    """measures.unclassified: an item given only by a product name no measure of its regime names holds."""
    if k["eccn_base"] is not None or k["cn_code"] is not None or k["hts"] is not None:
        return []
    from exportctl.engine.ear.determine import US_JURISDICTIONS  # determine may call this module

    names = _NAMES.get_or_build(regime, lambda: product_names(regime, US_JURISDICTIONS))
    if any(padded_in(n, k["product_key"]) for n in names):
        return []
    text = (
        f"No classification given and no measure names the product '{k['product_key'] or ''}': give the ECCN "
        "(or PRC control/customs code)."
    )
    return [hold("unclassified", "15 CFR 732.3(b) (classification); exportctl measure registry", text)]

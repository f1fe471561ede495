"""One transaction's EAR key and key work in plain Python: what `keyed` and determine._key_work give for a
batch of one row, from lookups prepared once per tables, Dated and effects (engine.ear.one_prep).

A single question on a day never asked ran the whole columnar plan on one row (~450 collects). These
functions answer exactly as the plan does (tests/engine/test_one_key.py compares them), and return None
for what they do not cover (two removal holds the plan would pick between arbitrarily, tables whose keys
repeat): the caller then runs the plan.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import polars as pl

from exportctl.engine import coverage as cov
from exportctl.engine.common.keying import ROLES
from exportctl.engine.common.memo import Lru, memo_of
from exportctl.engine.ear import dating
from exportctl.engine.ear.one_checks import FamilyLookups, family_lookups, frame_families, key_checks_one
from exportctl.engine.ear.one_holds import snapshot_holds_one, unclassified_one
from exportctl.engine.ear.one_items import item_reasons_one
from exportctl.engine.ear.one_prep import (
    EffectLookups,
    TableLookups,
    dated_lookups,
    effect_lookups,
    md5_of,
    regime_lookups,
    table_lookups,
)
from exportctl.engine.ear.one_rules import Row, aca_day, product_key, restricted_destination
from exportctl.engine.ear.tables import EarTables
from exportctl.engine.protocols import ControlsRegimeLike
from exportctl.registry.rules import ear_rules

__all__ = ["KeyFixed", "key_fixed", "key_one", "key_work_one"]

DEFAULT_EXPORTING = "US"  # determine.prepare: a row naming no exporting country is a US export
Key = dict[str, Any]


@dataclass(frozen=True)
class KeyFixed:
    """What key_one and key_work_one read of determine.Fixed: no party lists (a question naming no party
    screens none)."""

    dated: dating.Dated
    lookups: EffectLookups  # the effects in force by key, read from the rows compile_effects would frame
    families: FamilyLookups  # coverage.family_rows by regime key, and the family numbers
    lists_what: str  # Fixed's texts for the party checks (a question naming no party reads them too)
    dpl_what: str


_KEY_FIXED: Lru[tuple[tuple[Any, ...], KeyFixed]] = Lru(32)


def key_fixed(
    regimes: Mapping[int, ControlsRegimeLike],
    tables: EarTables,
    csl: pl.DataFrame | None = None,
    data_version: str | None = None,
) -> KeyFixed:
    """What a question naming no party reads of determine._fixed, built as it builds it, once per
    (regimes' content ids, tables, lists, data version): the effects in force as lookups made from the
    rows compile_effects would frame (a day of an effect content never met skips building that frame,
    ~5-10 ms), and no party lists."""

    def build() -> KeyFixed:
        from exportctl.engine.ear.determine import US_JURISDICTIONS, list_texts  # determine may call us

        dated = dating.prepare(regimes, tables)
        lookups = regime_lookups(regimes, dated, US_JURISDICTIONS, ear_rules().followers)
        families = family_lookups(cov.family_rows(regimes, cov.EAR_FAMILIES))
        return KeyFixed(dated, lookups, families, *list_texts(csl, data_version))

    return memo_of(_KEY_FIXED, regimes, (tables, csl, ear_rules()), build, data_version)


def key_one(tx_row: Mapping[str, Any], regime: ControlsRegimeLike, fixed: Any, tables: Any) -> Key | None:
    """The key row `keyed` gives a one-row batch (with destination facts and licence exception flags), or
    None outside this path's scope (an as_of that is not a date, a value of an unexpected type)."""
    look = table_lookups(tables)
    if not look.ok:
        return None
    product, cn_code, hts = tx_row.get("product"), tx_row.get("cn_code"), tx_row.get("hts")
    if any(v is not None and not isinstance(v, str) for v in (product, cn_code, hts)):
        return None
    as_of = tx_row.get("as_of")
    if not isinstance(as_of, dt.date) or isinstance(as_of, dt.datetime):
        return None
    eccn, destination, end_use = tx_row.get("eccn"), tx_row.get("destination"), tx_row.get("end_use")
    if not isinstance(destination, str) or not (eccn is None or isinstance(eccn, str)):
        return None
    if end_use is not None and (not isinstance(end_use, str) or not end_use.isascii()):
        return None
    base: str | None = None if eccn is None else eccn.split(".")[0]
    para: str | None = None
    if eccn is not None and "." in eccn:
        para = eccn.split(".", 1)[1]
    countries = [tx_row.get(f"{r}_country") for r in ROLES]
    if any(c is not None and not isinstance(c, str) for c in countries):
        return None
    rkey = tx_row.get("rkey")
    rkey = 0 if rkey is None else rkey
    key: Key = {
        "kid": 0,
        "rkey": rkey,
        "exporting": tx_row.get("exporting") or DEFAULT_EXPORTING,
        "eccn_base": base,
        "eccn_para": para,
        "product_key": None if product is None else product_key(product),
        "destination": destination,
        "end_use": None if end_use is None else re.sub(r"[_\s]+", "-", end_use.lower()),
        "pcs": ",".join(sorted({c for c in countries if c is not None})),
        "as_of": as_of,
        "cn_code": cn_code,
        "hts": hts,
    }
    facts = _destination_facts(key, look, fixed.dated)
    if facts is None:
        return None
    key.update(facts)
    note = getattr(regime, "coverage_note", None)
    key["covered"] = bool(regime.covered)
    key["coverage_note"] = note() if callable(note) else None
    return key


def _destination_facts(key: Key, look: TableLookups, dated: Any) -> dict[str, Any] | None:
    """groups.destination_facts and exceptions.destination_flags for the key's (rkey, destination, as_of)."""
    dest, as_of = key["destination"], key["as_of"]
    row_iso, since = look.inherit.get(dest, (None, None))
    if not (row_iso is not None and (since is None or as_of >= since)):
        row_iso = dest.split("-")[0]
    if row_iso not in look.chart:
        row_iso = None
    d = dated_lookups(dated)
    epoch = d.epochs.get(key["rkey"])
    if epoch is None:
        return None
    eg, em = epoch
    marks = list(d.marks.get((em, row_iso), [])) if row_iso is not None else []
    groups = list(d.groups.get((eg, row_iso), [])) if row_iso is not None else []
    footnotes, pointer = look.chart.get(row_iso, ([], None)) if row_iso is not None else ([], None)
    day = aca_day()
    return {
        "row_iso": row_iso,
        "eg": eg,
        "em": em,
        "marks": marks,
        "groups": groups,
        "footnotes": list(footnotes),
        "pointer": pointer,
        "x_e": "E:1" in groups or "E:2" in groups or pointer is not None,
        "x_md5_dest": restricted_destination(row_iso, groups),
        "x_b": "B" in groups,
        "x_d3": "D:3" in groups,
        "x_aca_exists": True if day is None else as_of >= day,
    }


def key_work_one(
    key: Key, fixed: Any, tables: Any, regime: ControlsRegimeLike
) -> tuple[Key, list[Row], Key] | None:
    """determine._key_work's rows for one key: (the key row after it, the reasons in order, the key
    checks row), or None outside this path's scope."""
    look = table_lookups(tables)
    eff = fixed.lookups if isinstance(fixed, KeyFixed) else effect_lookups(fixed.effects)
    rkey = key["rkey"]
    if not look.ok:
        return None
    k = dict(key)
    # engine.coverage.with_controls_coverage: the families answering for every row narrow the coverage
    by_family, steps = fixed.families if isinstance(fixed, KeyFixed) else frame_families(fixed.families)
    mine = by_family.get(rkey, [])
    whole = [f for f in mine if not f["parties"]]
    if whole:
        notes = " ".join(f["f_note"] for f in whole if f["f_note"] is not None)
        k["covered"] = bool(k["covered"]) and all(f["f_covered"] for f in whole)
        k["coverage_note"] = k["coverage_note"] if k["coverage_note"] is not None else (notes or None)
    else:
        k["covered"] = bool(k["covered"])
    md5 = md5_of(fixed.dated, rkey)
    k["hq_md5"] = None if md5 is None else bool(set(k["pcs"].split(",")) & md5)
    out = item_reasons_one(k, look, eff, regime)
    if out is None:
        return None
    reasons, rreasons, ex_off = out
    reasons += snapshot_holds_one(k, fixed.dated, tables)
    reasons += unclassified_one(k, fixed.dated.regimes[rkey])
    kchecks = key_checks_one(k, reasons, eff, look, mine, steps)
    if kchecks is None:
        return None
    for col in ("marks", "groups", "footnotes"):
        k.pop(col)
    lvs, lvs_limit, gbs = look.eccns.get(k["eccn_base"], (None, None, None))
    k.update(rreasons=rreasons, ex_off=ex_off, lvs=lvs, lvs_limit=lvs_limit, gbs=gbs)
    return k, reasons, kchecks

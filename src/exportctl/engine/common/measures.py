"""The registry's measures in force on a date, flattened into frames the engines join on.

One row per (effect, item selector): a selector is an ECCN (with optional subparagraph), a named
product, a keyword, a PRC control code or customs-code prefix, or `any`. Destinations are expanded
from Country Groups ('D:5') to ISO codes with the EAR tables, so that matching is a list lookup.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Any, NamedTuple

import polars as pl

from exportctl.engine.common.memo import ByIdentity
from exportctl.engine.parties import normalize_names
from exportctl.engine.protocols import RegimeLike

EFFECT_SCHEMA: dict[str, Any] = {
    "rkey": pl.Int64,
    "eid": pl.Int64,
    "jurisdiction": pl.Utf8,
    "measure": pl.Utf8,
    "effect": pl.Utf8,
    "kind": pl.Utf8,
    "effective": pl.Date,
    "sel": pl.Utf8,  # any | eccn | product | keyword | code | hts
    "sel_base": pl.Utf8,
    "sel_para": pl.Utf8,
    "dests": pl.List(pl.Utf8),  # null = any destination
    "dests_not": pl.List(pl.Utf8),
    "hq": pl.List(pl.Utf8),
    "end_uses": pl.List(pl.Utf8),
    "exporting": pl.List(pl.Utf8),
    "parties": pl.List(pl.Utf8),
    "party_lists": pl.List(pl.Utf8),
    "waived": pl.List(pl.Utf8),
    "control_reason": pl.Utf8,
    "ccl_rows": pl.Utf8,  # control_removed: only CCL rows with this destination test (ControlScope)
    "license_requirement": pl.Utf8,
    "review_policy": pl.Utf8,
    "verdict": pl.Utf8,
    "exceptions": pl.List(pl.Utf8),
    "exceptions_available": pl.Boolean,
    "citation": pl.Utf8,
    "url": pl.Utf8,
    "text": pl.Utf8,
}


@lru_cache(maxsize=65536)
def _norm(text: str) -> str:
    # a pure function of the text, called per measure name on every batch: a one-row frame each time
    # cost a single check ~40 ms, so each distinct name is normalised once per process
    frame = pl.DataFrame({"t": [text]})
    return str(frame.select(normalize_names(pl.col("t")))["t"][0])


def expand_destinations(
    codes: Iterable[str], groups: pl.DataFrame, followers: Mapping[str, Sequence[str]] | None = None
) -> list[str]:
    """ISO codes of a scope's destinations: groups ('D:5') expand, ISO codes stay, and the destinations
    that follow one of them on the day join it (`followers`, e.g. {China: [Hong Kong]} from 2020-12-23)."""
    out: set[str] = set()
    members: dict[str, list[str]] | None = None
    for code in codes:
        c = code.strip()
        if ":" in c or c == "B":
            members = group_members(groups) if members is None else members
            out.update(members.get(c, ()))
        else:
            out.add(c.upper())
    for leader, following in (followers or {}).items():
        if leader in out:
            out |= set(following)
    return sorted(out)


_MEMBERS: ByIdentity[dict[str, list[str]]] = ByIdentity(8)


def group_members(groups: pl.DataFrame) -> dict[str, list[str]]:
    """{group: [iso, ...]} of a Country Groups frame (iso, group), built once per frame: a regime's
    effects expanded their groups with one filter of the frame each (~5-10 ms of a new day's regime)."""

    def build() -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for iso, group in zip(groups["iso"].to_list(), groups["group"].to_list(), strict=True):
            out.setdefault(group, []).append(iso)
        return out

    return _MEMBERS.get_or_build(groups, build)


def _citation(active: Any) -> tuple[str, str | None]:
    cites = list(getattr(active, "citations", None) or active.measure.citations)
    if not cites:
        return active.measure.title, None
    first = cites[0]
    text = "; ".join(c.short() for c in cites[:2])
    return text, first.url


def effect_rows(
    rkey: int,
    effects: Sequence[Any],
    groups: pl.DataFrame,
    start: int = 0,
    followers: Mapping[str, Sequence[str]] | None = None,
) -> list[dict[str, Any]]:
    """Flatten ActiveEffects (any jurisdiction) into EFFECT_SCHEMA rows for one regime key; scope
    destinations expand with `groups` and `followers` (expand_destinations)."""
    rows: list[dict[str, Any]] = []
    for i, active in enumerate(effects):
        e, m = active.effect, active.measure
        s = e.scope
        citation, url = _citation(active)
        base = {
            "rkey": rkey,
            "eid": start + i,
            "jurisdiction": m.jurisdiction,
            "measure": m.id,
            "effect": e.id,
            "kind": e.kind,
            "effective": e.effective,
            "dests": expand_destinations(s.destinations, groups, followers) if s.destinations else None,
            "dests_not": expand_destinations(s.destinations_exclude, groups, followers),
            "hq": expand_destinations(s.headquartered_in, groups, followers),
            "end_uses": [u.lower().replace("_", "-").replace(" ", "-") for u in s.end_uses],
            "exporting": [x.upper() for x in s.exporting],
            "parties": [_norm(p) for p in s.parties],
            "party_lists": list(s.party_lists),
            "waived": [_norm(p) for p in getattr(active, "waived_parties", [])],
            "control_reason": e.control_reason,
            "ccl_rows": getattr(s, "ccl_rows", None),
            "license_requirement": e.license_requirement,
            "review_policy": e.review_policy,
            "verdict": e.verdict,
            "exceptions": list(e.exceptions),
            "exceptions_available": e.exceptions_available,
            "citation": citation,
            "url": url,
            "text": e.description or m.title,
        }
        selectors: list[tuple[str, str | None, str | None]] = []
        for eccn in s.eccns:
            b, _, p = eccn.strip().partition(".")
            selectors.append(("eccn", b.upper(), p.lower() or None))
        selectors += [("product", _norm(p), None) for p in s.products]
        selectors += [("keyword", _norm(k), None) for k in s.keywords]
        selectors += [("code", c.strip().upper(), None) for c in s.control_codes]
        selectors += [("hts", c.replace(".", "").replace(" ", ""), None) for c in s.hts]
        if not selectors:
            selectors = [("any", None, None)]
        for sel, sb, sp in selectors:
            rows.append({**base, "sel": sel, "sel_base": sb, "sel_para": sp})
    return rows


ARROW_FROM = 256  # rows from which effects_frame builds list columns through Arrow


def effects_frame(rows: list[dict[str, Any]], arrow_from: int = ARROW_FROM) -> pl.DataFrame:
    """EFFECT_SCHEMA rows as a frame (empty frames keep the schema).

    A few hundred rows (one day's regime: ~200) are read by polars itself (~2.5 ms), which keeps pyarrow
    out of a one-row check's cold start (~50 ms to import). From `arrow_from` rows on the frame is built
    column by column, the list columns through Arrow: polars reads a list of dicts, or a list column holding
    nulls, value by value in Python (~150 ms for a 1,000-row batch's regimes, a tenth of its cost; ~35 ms
    this way)."""
    if len(rows) < arrow_from:
        return pl.DataFrame(rows, schema=EFFECT_SCHEMA)
    import pyarrow as pa  # type: ignore[import-untyped]

    columns: dict[str, pl.Series] = {}
    for name, dtype in EFFECT_SCHEMA.items():
        values = [r.get(name) for r in rows]
        if isinstance(dtype, pl.List):
            series = pl.Series(name, pa.array(values, type=pa.list_(pa.large_string())))
            columns[name] = series.cast(dtype)
        else:
            columns[name] = pl.Series(name, values, dtype=dtype)
    return pl.DataFrame(columns)


def para_overlap(item_para: pl.Expr, sel_para: pl.Expr) -> pl.Expr:
    """An effect on '3A090.c' reaches the item '3A090.c.1'; one on '3A090' reaches every paragraph."""
    item = pl.concat_str([item_para.fill_null(""), pl.lit(".")])
    sel = pl.concat_str([sel_para.fill_null(""), pl.lit(".")])
    return sel_para.is_null() | item.str.starts_with(sel)


def _padded(expr: pl.Expr) -> pl.Expr:
    return pl.concat_str([pl.lit(" "), expr.fill_null(""), pl.lit(" ")])


ITEM_KINDS = [
    "license_requirement",
    "prohibition",
    "item_control",
    "review_policy",
    "exception_change",
    "control_removed",
    "party_control",
]
ITEM_COLS = ["rkey", "exporting", "eccn_base", "eccn_para", "product_key", "cn_code", "hts"]


def match_effects(keys: pl.DataFrame, effects: pl.DataFrame) -> pl.DataFrame:
    """(kid, effect columns, party_scoped) for every effect whose item, destination and end-use scope
    reach the key. `keys` needs kid, rkey, exporting, eccn_base, eccn_para, product_key, destination,
    row_iso, end_use, pcs (party countries, 'CN,US'), cn_code, hts.

    Item selectors are matched on the distinct items of the batch (few); the destination, HQ and
    end-use scope on the distinct places of the batch (`gid`: regime, exporting, destination, end use,
    party countries - fewer still), so the effects' lists never travel with a key. Only ids travel
    through the joins; the effect's columns are attached to the hits.
    """
    if keys.height == 0 or effects.height == 0:
        return keys.select("kid").join(effects, how="cross").head(0).with_columns(party_scoped=pl.lit(False))
    e = _prepared(effects)
    items = keys.select(ITEM_COLS).unique().with_row_index("iid")
    item_hits = _item_hits(items, e)
    k = keys.select("kid", *GEO_COLS, *[c for c in ITEM_COLS if c not in GEO_COLS]).join(
        items.select("iid", *ITEM_COLS), on=ITEM_COLS, how="left", nulls_equal=True
    )
    places = k.select(GEO_COLS).unique().with_row_index("gid")
    k = k.join(places, on=GEO_COLS, how="left", nulls_equal=True).select("kid", "iid", "gid")
    # effects on particular items: through the item matches, their scope tested once per (place, effect)
    pairs = k.join(item_hits, on="iid", how="inner").select("kid", "gid", "eid")
    item_ok = (
        pairs.select("gid", "eid")
        .unique()
        .join(places, on="gid", how="left")
        .join(e.geo.drop("rkey", "sel"), on="eid", how="left")
        .filter(_geo_ok())
        .select("gid", "eid")
    )
    by_item = pairs.join(item_ok, on=["gid", "eid"], how="semi").select("kid", "eid")
    # effects on any item: by destination where they name one, else by regime (few: end uses, HQ, global)
    any_ok = (
        pl.concat(
            [
                places.join(e.by_dest, left_on=["rkey", "destination"], right_on=["rkey", "d"], how="inner"),
                places.filter(pl.col("row_iso") != pl.col("destination")).join(
                    e.by_dest, left_on=["rkey", "row_iso"], right_on=["rkey", "d"], how="inner"
                ),
                places.join(e.any_rest, on="rkey", how="inner"),
            ],
            how="diagonal_relaxed",
        )
        .filter(_exporting_ok() & _geo_ok())
        .select("gid", "eid")
        .unique()
    )
    by_any = k.select("kid", "gid").join(any_ok, on="gid", how="inner").select("kid", "eid")
    hits = pl.concat([by_item, by_any], how="vertical").unique()
    return hits.join(e.payload, on="eid", how="left").with_columns(
        party_scoped=pl.col("parties").list.len() > 0
    )


class _Prepared(NamedTuple):
    """What match_effects derives from the effects alone: the item selectors by kind, the scopes, the
    effects on any item by destination and the rest, and the payload attached to the hits."""

    exact: pl.DataFrame
    wild: pl.DataFrame
    wild_bases: pl.DataFrame
    named: pl.DataFrame
    codes: pl.DataFrame
    geo: pl.DataFrame
    by_dest: pl.DataFrame
    any_rest: pl.DataFrame
    payload: pl.DataFrame


_PREPARED: ByIdentity[_Prepared] = ByIdentity(8)  # per effects frame (kept by compile_effects)


def _prepared(effects: pl.DataFrame) -> _Prepared:
    """match_effects' frames of `effects`, built once per effects frame (a batch over every day span
    filtered its ~70,000 effect rows again on every call)."""

    def build() -> _Prepared:
        listed = (pl.col("party_lists").list.len() > 0) & (pl.col("parties").list.len() == 0)
        eff = effects.filter(pl.col("kind").is_in(ITEM_KINDS) & ~listed)
        sel = eff.select(
            "rkey", "eid", "sel", "sel_base", "sel_para", pl.col("exporting").alias("e_exporting")
        )
        wild = sel.filter((pl.col("sel") == "eccn") & pl.col("sel_base").str.ends_with("*"))
        geo = eff.unique("eid").select(
            "eid",
            "rkey",
            pl.col("exporting").alias("e_exporting"),
            "sel",
            "dests",
            "dests_not",
            "hq",
            "end_uses",
        )
        anyg = geo.filter(pl.col("sel") == "any").drop("sel")
        return _Prepared(
            exact=sel.filter((pl.col("sel") == "eccn") & ~pl.col("sel_base").str.ends_with("*")),
            wild=wild,
            wild_bases=wild.select("sel_base").unique(),
            named=sel.filter(pl.col("sel").is_in(["product", "keyword"])),
            codes=sel.filter(pl.col("sel").is_in(["code", "hts"])),
            geo=geo,
            by_dest=anyg.filter(pl.col("dests").is_not_null() & (pl.col("hq").list.len() == 0))
            .with_columns(d=pl.col("dests"))
            .explode("d"),
            any_rest=anyg.filter(pl.col("dests").is_null() | (pl.col("hq").list.len() > 0)),
            payload=eff.unique("eid"),
        )

    return _PREPARED.get_or_build(effects, build)


GEO_COLS = ["rkey", "exporting", "destination", "row_iso", "end_use", "pcs"]


def _exporting_ok() -> pl.Expr:
    """The effect names no exporting country, or the key's."""
    return (pl.col("e_exporting").list.len() == 0) | pl.col("e_exporting").list.contains(pl.col("exporting"))


def _geo_ok() -> pl.Expr:
    """The effect's destination, headquarters and end-use scope reach the place (destination, row_iso,
    pcs, end_use)."""
    dest_in = pl.col("dests").list.contains(pl.col("destination")) | pl.col("dests").list.contains(
        pl.col("row_iso").fill_null("")
    )
    hq_hit = pl.col("pcs").str.split(",").list.set_intersection(pl.col("hq")).list.len() > 0
    geo_ok = (
        (pl.col("dests").is_null() & (pl.col("hq").list.len() == 0))
        | dest_in.fill_null(False)
        | ((pl.col("hq").list.len() > 0) & hq_hit)
    ) & ~pl.col("dests_not").list.contains(pl.col("destination"))
    use = (pl.col("end_uses").list.len() == 0) | pl.col("end_uses").list.contains(
        pl.col("end_use").fill_null("")
    )
    return geo_ok & use


def _item_hits(items: pl.DataFrame, e: _Prepared) -> pl.DataFrame:
    """(iid, eid): the item selectors (ECCN, ECCN prefix, product or keyword, customs code) that reach
    each distinct item of the batch and whose exporting scope holds."""
    by_eccn = items.join(
        e.exact, left_on=["rkey", "eccn_base"], right_on=["rkey", "sel_base"], how="inner"
    ).filter(para_overlap(pl.col("eccn_para"), pl.col("sel_para")))
    # prefixes are tested on the distinct (ECCN, prefix) pairs, not once per item and regime
    bases = items.filter(pl.col("eccn_base").is_not_null() & (pl.col("eccn_base") != "EAR99")).select(
        "eccn_base"
    )
    prefixes = (
        bases.unique()
        .join(e.wild_bases, how="cross")
        .filter(pl.col("eccn_base").str.starts_with(pl.col("sel_base").str.strip_chars_end("*")))
    )
    by_wild = items.join(prefixes, on="eccn_base", how="inner").join(
        e.wild, on=["rkey", "sel_base"], how="inner"
    )
    by_name = (
        items.filter(pl.col("product_key").is_not_null())
        .join(e.named, on="rkey")
        .filter(_padded(pl.col("product_key")).str.contains(_padded(pl.col("sel_base")), literal=True))
    )
    by_code = (
        items.filter(pl.col("cn_code").is_not_null() | pl.col("hts").is_not_null())
        .join(e.codes, on="rkey")
        .filter(
            pl.when(pl.col("sel") == "code")
            .then(pl.col("cn_code").fill_null("").str.starts_with(pl.col("sel_base")))
            .otherwise(pl.col("hts").fill_null("").str.starts_with(pl.col("sel_base")))
        )
    )
    return pl.concat(
        [f.filter(_exporting_ok()).select("iid", "eid") for f in (by_eccn, by_wild, by_name, by_code)],
        how="vertical_relaxed",
    ).unique()


def known_products(regimes: Mapping[int, RegimeLike], jurisdictions: Sequence[str]) -> pl.DataFrame:
    """(rkey, name): every product name and keyword each regime's measures use, on any date (normalised).

    Per regime, never pooled over the batch: a measure not yet known on one row's `known_on` must not
    classify that row's product because another row of the batch knows it.
    """
    rows = {(rkey, name) for rkey, regime in regimes.items() for name in product_names(regime, jurisdictions)}
    ordered = sorted(rows)
    return pl.DataFrame(
        {"rkey": [k for k, _ in ordered], "name": [n for _, n in ordered]},
        schema={"rkey": pl.Int64, "name": pl.Utf8},
    )


def product_names(regime: RegimeLike, jurisdictions: Sequence[str]) -> set[str]:
    """Every product name and keyword the regime's measures of `jurisdictions` use, on any date
    (normalised, blank ones left out)."""
    names: set[str] = set()
    for m in regime.measures.values():
        if m.jurisdiction in jurisdictions:
            for e in m.effects:
                names.update(_norm(p) for p in (*e.scope.products, *e.scope.keywords))
    names.discard("")
    return names


def unclassified(keys: pl.DataFrame, known: pl.DataFrame) -> pl.DataFrame:
    """(kid, reason) holds for items given only by a product name that no measure of the key's regime
    has ever named (`known` from `known_products`).

    Without a classification the engine cannot say 'no license required' (fail closed).
    """
    from exportctl.engine.common.reasons import hold_reason, lit

    bare = keys.filter(
        pl.col("eccn_base").is_null() & pl.col("cn_code").is_null() & pl.col("hts").is_null()
    ).select("kid", "rkey", "product_key")
    if bare.height == 0:
        return pl.DataFrame(schema={"kid": pl.Int64})
    hit = (
        bare.join(known, on="rkey", how="inner")
        .filter(_padded(pl.col("product_key")).str.contains(_padded(pl.col("name")), literal=True))
        .select("kid")
        .unique()
    )
    text = pl.concat_str(
        [
            lit("No classification given and no measure names the product '"),
            pl.col("product_key").fill_null(""),
            lit("': give the ECCN (or PRC control/customs code)."),
        ]
    )
    citation = "15 CFR 732.3(b) (classification); exportctl measure registry"
    return bare.join(hit, on="kid", how="anti").select("kid", hold_reason("unclassified", citation, text))

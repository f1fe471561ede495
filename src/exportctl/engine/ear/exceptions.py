"""License exceptions (Part 740) considered for the requirements a license exception can overcome.

Each exception is reported with why it does or does not apply. Only requirements from the CCL and chart
(GP1-GP3), and measures that say `exceptions_available: true`, can be overcome (§740.1(a), §736.2(b)).
The restrictions of §740.2 come first: embargoed/E:1/E:2 destinations, 600-series and 9x515 items to
D:5, and the advanced-computing and SME items to Macau or D:5 (§740.2(a)(9)).
"""

from __future__ import annotations

import polars as pl

from exportctl.engine.common.reasons import EXCEPTION_DTYPE, lit
from exportctl.registry.rules import EarRules, ear_rules

# The exceptions evaluated, their sections, the item sets they name and the codes of Part 746 measures
# that name their own exceptions are data: data/rules/us-ear.yaml (exportctl.registry.rules).
EVALUATED = ("LVS", "GBS", "ENC", "ACA", "NAC", "TMP", "RPL")


def since(rules: EarRules, code: str) -> str:
    """'Nov 17, 2023 (88 FR 73458)': the day an exception came into being and the act that made it."""
    rule = rules.exception(code)
    day = rule.effective
    cite = "; ".join(c.short() for c in rule.citations)
    return f"{day:%b} {day.day}, {day.year} ({cite})" if day else cite


def _ex(code: str, applies: pl.Expr, why: pl.Expr, sections: dict[str, str]) -> pl.Expr:
    section = sections[code]
    # a measure in force may make the exception unavailable (exception_change effects): ex_off lists them
    off = pl.col("ex_off").fill_null("").str.split(",").list.contains(pl.lit(code))
    return pl.struct(
        lit(code).alias("code"),
        lit(f"15 CFR {section}").alias("section"),
        (applies.fill_null(False) & ~off).alias("applies"),
        pl.when(off)
        .then(lit("made unavailable by a measure in force on this date"))
        .otherwise(why)
        .alias("code_why"),
    ).struct.rename_fields(["code", "section", "applies", "why"])


def destination_flags() -> list[pl.Expr]:
    """Facts of a destination's chart row the exceptions test, computed once per destination and date."""
    return [
        (
            pl.col("groups").list.contains("E:1")
            | pl.col("groups").list.contains("E:2")
            | pl.col("pointer").is_not_null()
        ).alias("x_e"),
        _restricted_destination().alias("x_md5_dest"),
        pl.col("groups").list.contains("B").alias("x_b"),
        pl.col("groups").list.contains("D:3").alias("x_d3"),
        _exists("ACA").alias("x_aca_exists"),
    ]


def _restricted_destination() -> pl.Expr:
    """The destination's row is one §740.2(a)(9) names: an ISO code of the rule, or in a group it names."""
    names = ear_rules().advanced_restricted_destinations.scope.destinations
    isos = [n for n in names if ":" not in n]
    groups = [n for n in names if ":" in n]
    return pl.any_horizontal(
        pl.col("row_iso").is_in(isos).fill_null(False),
        *[pl.col("groups").list.contains(g) for g in groups],
    )


def _exists(code: str) -> pl.Expr:
    """The exception existed on the row's date (an undated one: on every date the registry covers)."""
    day = ear_rules().exception(code).effective
    return pl.lit(True) if day is None else pl.col("as_of") >= pl.lit(day)


def key_flags() -> list[pl.Expr]:
    """Per-key facts the exceptions test (needs eccn_base, eccn_para, lvs, gbs, hq_md5, destination_flags)."""
    rules = ear_rules()
    para = pl.col("eccn_para").fill_null("")
    advanced = rules.advanced_computing_items
    adv = pl.col("eccn_base").is_in(advanced.scope.eccns) | pl.any_horizontal(
        pl.lit(False), *[para.str.starts_with(p) for p in advanced.paragraphs]
    )
    return [
        (pl.col("x_md5_dest") | pl.col("hq_md5").fill_null(False)).alias("x_md5"),
        adv.alias("x_adv"),
        (pl.col("eccn_base").is_in(rules.sme_items.scope.eccns)).alias("x_sme"),
        (pl.col("eccn_base").str.slice(2, 1) == "5").alias("x_600"),
        (pl.col("lvs").fill_null("").str.contains("D:3") & pl.col("x_d3")).alias("x_lvs_d3"),
        pl.col("gbs").fill_null("").str.starts_with("Yes").alias("x_gbs"),
        pl.col("eccn_base").is_in(rules.encryption_items.scope.eccns).alias("x_enc"),
        pl.any_horizontal(
            pl.lit(False),
            *[
                (pl.col("eccn_base") == base) & para.str.starts_with(sub)
                for base, _, sub in (e.partition(".") for e in rules.aca_excluded_items.scope.eccns)
            ],
        ).alias("x_hbm"),
    ]


FLAG_COLUMNS = [
    "x_e",
    "x_md5",
    "x_b",
    "x_d3",
    "x_adv",
    "x_sme",
    "x_600",
    "x_lvs_d3",
    "x_gbs",
    "x_enc",
    "x_hbm",
    "x_aca_exists",
]


class _Row:
    """The facts of one (key, LVS outcome) the exception steps test, as expressions."""

    def __init__(self, rules: EarRules, value: pl.Expr) -> None:
        reasons = pl.col("rreasons")
        self.value = value
        self.reasons = reasons
        self.has_mt = reasons.list.contains("MT")
        # Part 746 requirements a measure leaves open only to the exceptions its section names
        self.part746 = reasons.list.set_intersection(pl.lit(rules.own_exception_codes.codes)).list.len() > 0
        self.russia = reasons.list.contains("RS-RU")
        self.restricted = pl.col("x_e") | (
            pl.col("x_md5") & (pl.col("x_adv") | pl.col("x_sme") | pl.col("x_600"))
        )
        self.why_restricted = _why_restricted()

    def only(self, allowed: list[str]) -> pl.Expr:
        """Every requirement to overcome is one of `allowed`."""
        return self.reasons.list.set_difference(pl.lit(allowed)).list.len() == 0


def _why_restricted() -> pl.Expr:
    """§740.2: the restriction that bars every exception for the row, if one does."""
    return (
        pl.when(pl.col("x_e"))
        .then(lit("not available to embargoed or E:1/E:2 destinations (§740.2; Part 746)"))
        .when(pl.col("x_md5") & pl.col("x_600"))
        .then(lit("600-series and 9x515 items to D:5: no license exceptions (§740.2)"))
        .when(pl.col("x_md5") & (pl.col("x_adv") | pl.col("x_sme")))
        .then(lit("advanced-computing/SME items to Macau or D:5: only the exceptions of §740.2(a)(9)"))
        .otherwise(None)
    )


def _lvs(row: _Row) -> tuple[pl.Expr, pl.Expr]:
    """§740.3: LVS, a value within the ECCN's limit to a Country Group B destination."""
    value, lvs_limit, d3_excl = row.value, pl.col("lvs_limit"), pl.col("x_lvs_d3")
    ok = (
        lvs_limit.is_not_null()
        & value.is_not_null()
        & (value <= lvs_limit)
        & pl.col("x_b")
        & ~row.restricted
        & ~row.has_mt
        & ~d3_excl
        & ~row.part746
    )
    limit = lvs_limit.cast(pl.Int64).cast(pl.Utf8)
    why = (
        pl.when(lvs_limit.is_null())
        .then(lit("the ECCN lists no LVS value limit (N/A)"))
        .when(row.restricted)
        .then(row.why_restricted)
        .when(~pl.col("x_b"))
        .then(lit("destination not in Country Group B"))
        .when(d3_excl)
        .then(lit("the ECCN's LVS excludes destinations also in D:3"))
        .when(row.has_mt)
        .then(lit("LVS is not available for MT reasons"))
        .when(row.part746)
        .then(lit("Part 746 (§746.8(c) Russia/Belarus, §746.6 Crimea/covered regions) does not name LVS"))
        .when(value.is_null())
        .then(pl.concat_str([lit("limit $"), limit, lit(": no value given")]))
        .when(value > lvs_limit)
        .then(pl.concat_str([lit("value above the ECCN's LVS limit of $"), limit]))
        .otherwise(
            pl.concat_str(
                [lit("value within the ECCN's LVS limit of $"), limit, lit(" to a Group B destination")]
            )
        )
    )
    return ok, why


def _gbs(row: _Row) -> tuple[pl.Expr, pl.Expr]:
    """§740.4: GBS, an NS-only requirement to a Country Group B destination where the ECCN lists GBS."""
    gbs_yes = pl.col("x_gbs")
    ok = gbs_yes & row.only(["NS"]) & pl.col("x_b") & ~row.restricted
    why = (
        pl.when(~gbs_yes)
        .then(lit("the ECCN does not list GBS as available"))
        .when(row.restricted)
        .then(row.why_restricted)
        .when(~row.only(["NS"]))
        .then(lit("GBS overcomes only a requirement for NS reasons alone"))
        .when(~pl.col("x_b"))
        .then(lit("destination not in Country Group B"))
        .otherwise(lit("NS-only requirement to a Group B destination; the ECCN lists GBS"))
    )
    return ok, why


def _enc(row: _Row) -> tuple[pl.Expr, pl.Expr]:
    """§740.17: ENC, Category 5 Part 2 items for NS/EI requirements outside E:1/E:2 (§746.8(c) limits)."""
    enc_item = pl.col("x_enc")
    ok = enc_item & row.only(["NS", "EI"]) & ~pl.col("x_e") & ~pl.col("x_adv")
    why = (
        pl.when(~enc_item)
        .then(lit("ENC covers Category 5 Part 2 items only"))
        .when(pl.col("x_e"))
        .then(lit("not available to E:1/E:2 destinations (§740.17)"))
        .when(pl.col("x_adv"))
        .then(lit(".z items take the advanced-computing restrictions (§740.2(a)(9)(ii))"))
        .when(row.russia)
        .then(
            lit(
                "§746.8(c): ENC (and CCD for consumer devices) to Russia/Belarus only for the end users it "
                "names (e.g. U.S. or A:5/A:6 companies' subsidiaries and joint ventures); the row does not "
                "say: a license is required unless the exporter establishes one"
            )
        )
        .when(~row.only(["NS", "EI"]))
        .then(lit("requirements other than NS/EI remain"))
        .otherwise(lit("encryption item: ENC available subject to §740.17 classification/reporting"))
    )
    return ok, why


def _aca(row: _Row, rules: EarRules) -> tuple[pl.Expr, pl.Expr]:
    """§740.8: ACA, an advanced-computing RS requirement outside Macau/D:5 (from the day it existed)."""
    exists = pl.col("x_aca_exists")
    adv_rs = pl.col("x_adv") & row.only(["RS"]) & ~pl.col("x_hbm")
    ok = adv_rs & exists & ~pl.col("x_md5") & ~pl.col("x_e")
    why = (
        pl.when(~pl.col("x_adv"))
        .then(lit("ACA covers advanced-computing items (3A090, 4A090, .z) only"))
        .when(~exists)
        .then(lit(f"ACA did not exist before {since(rules, 'ACA')}"))
        .when(pl.col("x_md5"))
        .then(
            lit("Macau/D:5 destinations or Macau/D:5-headquartered parties need NAC (notification), not ACA")
        )
        .when(~adv_rs)
        .then(lit(f"{', '.join(rules.aca_excluded_items.scope.eccns)} or requirements other than RS remain"))
        .otherwise(lit("advanced-computing RS requirement outside Macau/D:5: ACA available (§740.8)"))
    )
    return ok, why


def _nac(rules: EarRules) -> pl.Expr:
    """§740.8: NAC, for Macau/D:5, needs a prior notification to BIS: never assumed."""
    return (
        pl.when(~pl.col("x_adv"))
        .then(lit("NAC covers advanced-computing items only"))
        .when(~pl.col("x_aca_exists"))
        .then(lit(f"NAC did not exist before {since(rules, 'NAC')}"))
        .when(~pl.col("x_md5"))
        .then(lit("NAC is for Macau/D:5; see ACA"))
        .otherwise(lit("needs a prior NAC notification to BIS and its confirmation (§740.8); not assumed"))
    )


def considered(value: pl.Expr, sections: dict[str, str] | None = None) -> pl.Expr:
    """The list of exceptions considered for one row (struct list, EXCEPTION_DTYPE); reads FLAG_COLUMNS,
    rreasons, lvs_limit and the value. `sections`: symbol -> Part 740 section as the data version's
    eCFR licence-exception table gives it; symbols it lacks take the rules file's."""
    rules = ear_rules()
    secs = {**rules.sections(), **{k: v for k, v in (sections or {}).items() if k in EVALUATED}}
    row = _Row(rules, value)
    return pl.concat_list(
        [
            _ex("LVS", *_lvs(row), secs),
            _ex("GBS", *_gbs(row), secs),
            _ex("ENC", *_enc(row), secs),
            _ex("ACA", *_aca(row, rules), secs),
            _ex("NAC", pl.lit(False), _nac(rules), secs),
            _ex(
                "TMP",
                pl.lit(False),
                lit("only for temporary exports (§740.9); the transaction does not say it is one"),
                secs,
            ),
            _ex(
                "RPL",
                pl.lit(False),
                lit("only for one-for-one replacement parts/servicing (§740.10); not stated"),
                secs,
            ),
        ]
    ).cast(pl.List(EXCEPTION_DTYPE))

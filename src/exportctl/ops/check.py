"""License determinations for fronts: a table (`check_table`), a file; one transaction (`check_one`,
ops.neighbours).

Composes store (the active data version), registry (one regime per distinct date/known_on/scenario in
the batch) and the engines (US EAR, PRC). Answers carry as_of, known_on, data_version, engine_version
and the regime id. Not legal advice.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl

from exportctl.engine.china.determine import ENGINE_VERSION as CN_ENGINE_VERSION
from exportctl.engine.china.determine import cn_lists as prc_lists
from exportctl.engine.china.determine import determine as determine_cn
from exportctl.engine.common.checks import check
from exportctl.engine.common.reasons import EXCEPTION_DTYPE, hold_reason, lit
from exportctl.engine.ear.determine import ENGINE_VERSION
from exportctl.engine.ear.determine import determine as determine_us
from exportctl.errors import InputError
from exportctl.ops import reviews
from exportctl.ops.check_answer import RESULT_COLUMNS, answer, stable_order, summary
from exportctl.ops.check_distinct import distinct_rows, fan_out
from exportctl.ops.check_input import canonical, resolve
from exportctl.ops.check_parties import (
    NO_PARTY_COLUMN,
    has_parties,
    hold_unscreenable,
    mark_unscreened,
    no_destination_note,
    placement_of,
)
from exportctl.ops.check_single import SingleAnswers
from exportctl.ops.ear_cache import cached_tables
from exportctl.ops.neighbours import Neighbours, check_one
from exportctl.ops.span_answers import SpanBlocks
from exportctl.ops.warm import shared_context

if TYPE_CHECKING:
    from exportctl.ops.day_spans import DaySpans
    from exportctl.registry.compile import Regime


class Context:
    """The data version, registry and EAR tables one batch runs against."""

    def __init__(self, dataset: Any = None, registry: Any = None, engine: Any = None) -> None:
        if dataset is None:
            from exportctl.store import active_dataset

            dataset = active_dataset()
        if registry is None:
            from exportctl.registry import load_registry

            registry = load_registry()
        self.dataset = dataset
        self.registry = registry
        self.engine = engine  # the store whose review decisions apply (None: the default store)
        self.tables = cached_tables(dataset)  # kept on disk per data version and rules file
        self.version = str(dataset.version)
        self._us_lists: pl.DataFrame | None = None
        # single questions answered on this Context (ops.check_single): they die with it
        self.answers = SingleAnswers()
        # blocks of neighbouring questions answered together (ops.neighbours): they die with it too
        self.neighbours = Neighbours()
        # questions answered on every day span at once (ops.span_answers): they die with it too
        self.span_blocks = SpanBlocks()
        # single questions the one-row path takes (ops.check_fast, ops.check_fast_parties) are answered by
        # it, never by blocks; False sends every single question through blocks and the plan (their tests)
        self.one_row = True
        self._spans: tuple[str, DaySpans] | None = None
        self._party_hits: Any = None  # fuzzy hits of the party names screened on this Context

    def day_spans(self) -> DaySpans:
        """The spans of days its inputs cannot tell apart (ops.day_spans), read once per EAR rules file
        (an edited rules file has other dates, as it gives other question keys)."""
        from exportctl.registry.rules import ear_rules_hash

        rules = ear_rules_hash()
        kept = self._spans
        if kept is None or kept[0] != rules:
            from exportctl.ops.day_spans import day_spans

            kept = self._spans = (rules, day_spans(self))
        return kept[1]

    def party_hits(self) -> Any:
        """The fuzzy hits of each (name, country) screened on this Context (engine.parties.party_memory):
        a name's hits depend on the lists of the data version only (reviewers' decisions are applied after
        them), so the next batch naming the same customer does not screen it again."""
        if self._party_hits is None:
            from exportctl.engine.parties import party_memory

            self._party_hits = party_memory(PARTY_KEYS, PARTY_BYTES)
        return self._party_hits

    def suppressions(self) -> pl.DataFrame:
        """Reviewers' current false-positive decisions, read afresh (they change between calls)."""
        return reviews.suppressions(dataset=self.dataset, engine=self.engine)

    def table(self, name: str) -> pl.DataFrame | None:
        """A party table of the data version, or None when the version has none."""
        return self.dataset.table(name) if self.dataset.has(name) else None

    def us_lists(self) -> pl.DataFrame | None:
        """The CSL with every entry dated (ops.list_dates); Entity List notices the CSL lacks come from the
        Entity List itself."""
        if self._us_lists is not None:
            return self._us_lists
        csl = self.table("csl")
        if csl is None:
            return None
        el = self.table("bis_entity_list")
        if el is not None and "federal_register" in el.columns:
            from exportctl.engine.parties import normalize_names

            dated = el.select(
                normalize_names(pl.col("name")).alias("_k"), pl.col("federal_register").alias("_fr")
            ).unique("_k")
            csl = (
                csl.with_columns(normalize_names(pl.col("name")).alias("_k"))
                .join(dated, on="_k", how="left")
                .with_columns(
                    federal_register_notice=pl.when(
                        (pl.col("list") == "EL") & pl.col("federal_register_notice").is_null()
                    )
                    .then(pl.col("_fr"))
                    .otherwise(pl.col("federal_register_notice"))
                )
                .drop("_k", "_fr")
            )
        from exportctl.ops.list_dates import with_dates

        self._us_lists = with_dates(self.dataset, csl)
        return self._us_lists


def _regimes(ctx: Context, df: pl.DataFrame, scenario: Any) -> tuple[pl.DataFrame, dict[int, Regime]]:
    from exportctl.registry import compile_regime

    combos = (
        df.select("as_of", "known_on")
        .unique()
        .drop_nulls("as_of")
        .sort("as_of")
        .with_row_index("rkey")
        .with_columns(pl.col("rkey").cast(pl.Int64))
    )
    regimes: dict[int, Regime] = {}
    for rkey, as_of, known_on in combos.iter_rows():
        regimes[rkey] = compile_regime(ctx.registry, as_of, known_on, scenario)
    df = df.join(combos, on=["as_of", "known_on"], how="left", nulls_equal=True)
    return df, regimes


def index_key(ctx: Context) -> str:
    """The key of the Context's screening indexes (':us' and ':cn' added): its data and registry versions."""
    return f"{ctx.version}:{ctx.registry.content_hash}"


def warm_indexes(ctx: Context, key: str, us: pl.DataFrame, cn: pl.DataFrame) -> None:
    """Load the screening indexes from the disk cache (built once per data and registry version)."""
    if not (has_parties(us) or has_parties(cn)):
        return  # nothing to screen: the screening engine is not even imported (cold start of a check)
    from exportctl.engine.parties import provide_index
    from exportctl.ops.screen_index import cached_list_index

    if has_parties(us):
        lists = ctx.us_lists()
        if lists is not None and lists.height:
            provide_index(key + ":us", cached_list_index(key + ":us", lists))
    # the PRC engine screens its lists in the screening-list shape (`list`, not `list_id`): the index too
    if has_parties(cn):  # read only then: a US question naming a party never pays for the PRC lists
        cn_lists = prc_lists(ctx.table("cn_parties"))
        if cn_lists is not None and cn_lists.height:
            provide_index(key + ":cn", cached_list_index(key + ":cn", cn_lists))


def check_table(
    orders: pl.DataFrame | Any,
    *,
    as_of: dt.date | None = None,
    known_on: dt.date | None = None,
    scenario: Any = None,
    fuzzy: bool = False,
    context: Context | None = None,
    first_row: int = 1,
    columns: Mapping[str, str] | None = None,
    ignore_columns: Sequence[str] = (),
    date_format: str | None = None,
    date_override: bool = False,
    warn: Callable[[str], None] | None = None,
    date_orders: Mapping[str, str | None] | None = None,
    suppressed: pl.DataFrame | None = None,
    row_numbers: Sequence[int] | None = None,
) -> pl.DataFrame:
    """Determine every row of `orders`; returns the input columns plus RESULT_COLUMNS, in input order.

    Every column is placed (`check_columns.place_columns`: recognised spellings, `columns` {header:
    field}, `ignore_columns`) or the call raises InputError naming it. `as_of` fills missing dates, or
    replaces them all with `date_override`; `date_format` reads dates that are not ISO. A book without a
    party column calls `warn` once. A malformed row gets verdict hold and an `error` naming its row
    number (from `first_row`) and field; the other rows still run. `suppressed`: reviewers' current
    decisions already read for this call (`Context.suppressions()`), else read here when a row names a
    party. `row_numbers`: the number each row's input error names, when the rows are some of a larger
    batch's (ops.batch.check_keyed), instead of `first_row` onwards.
    """
    if not isinstance(orders, pl.DataFrame):  # an Arrow table (or anything polars can take)
        converted = (
            pl.from_arrow(orders)
            if hasattr(orders, "schema") and hasattr(orders, "num_rows")
            else pl.DataFrame(orders)
        )
        if not isinstance(converted, pl.DataFrame):
            raise InputError("orders must be a table (Polars or Arrow)", field="orders")
        orders = converted
    ctx = context or shared_context()
    placement = placement_of(orders, columns, ignore_columns)
    if warn is not None and not placement.has_parties and orders.height:
        warn(NO_PARTY_COLUMN)
    no_destination = no_destination_note(placement, orders.columns)
    if warn is not None and no_destination is not None and orders.height:
        warn(no_destination)
    df = resolve(
        canonical(orders, placement),
        ctx.tables.eccn_set(),
        as_of,
        date_format=date_format,
        date_override=date_override,
        orders=date_orders,
        date_formats=placement.date_formats,
    )
    df = hold_unscreenable(df, placement.fields)
    number = (
        pl.col("row") + first_row - 1
        if row_numbers is None
        else pl.lit(pl.Series(list(row_numbers), dtype=pl.Int64)).gather(pl.col("row") - 1)
    )
    df = df.with_columns(
        error=pl.when(pl.col("error").is_not_null()).then(
            pl.concat_str([pl.lit("row "), number.cast(pl.Utf8), pl.lit(": "), pl.col("error")])
        )
    )
    if known_on is not None:
        df = df.with_columns(pl.col("known_on").fill_null(known_on))
    bad = df.filter(pl.col("error").is_not_null())
    good = df.filter(pl.col("error").is_null())
    good, regimes = _regimes(ctx, good, scenario)
    # each distinct question determined once (its first row), its result copied to the rows asking it
    good, copies = distinct_rows(good)
    us = good.filter(pl.col("exporting") == "US")
    cn = good.filter(pl.col("exporting") == "CN")
    key = index_key(ctx)
    if fuzzy:
        warm_indexes(ctx, key, us, cn)
    # a reviewer's current false-positive decision on a (party, entry) pair: that hit does not block
    decided = None
    if has_parties(us) or has_parties(cn):
        decided = ctx.suppressions() if suppressed is None else suppressed
    with remembering_parties(ctx, fuzzy and decided is not None):
        parts = _determine(ctx, key, regimes, us, cn, fuzzy, decided)
    results = pl.concat(parts, how="diagonal_relaxed") if parts else pl.DataFrame(schema={"row": pl.Int64})
    meta = good.select(
        "row",
        "as_of",
        "known_on",
        pl.col("rkey")
        .replace_strict({k: r.id for k, r in regimes.items()}, default=None, return_dtype=pl.Utf8)
        .alias("regime"),
    )
    if results.height:
        results = results.join(meta, on="row", how="left").join(
            good.select("row", "parties_screened"), on="row", how="left"
        )
    errors = bad.select(
        "row",
        pl.lit(False).alias("parties_screened"),
        pl.lit("hold").alias("verdict"),
        pl.lit(True).alias("license_required"),
        pl.concat_list([hold_reason("input", "exportctl input validation", pl.col("error"))]).alias(
            "reasons"
        ),
        pl.lit(None, pl.Utf8).alias("review_policy"),
        pl.lit([], pl.List(EXCEPTION_DTYPE)).alias("exceptions"),
        pl.concat_list(
            [
                check(
                    "input",
                    lit("the row's fields, before any rule"),
                    pl.concat_str([lit("hold: "), pl.col("error")]),
                )
            ]
        ).alias("checks"),
        "as_of",
        "known_on",
        "error",
    )
    out = pl.concat([results, errors], how="diagonal_relaxed")
    if "engine_version" not in out.columns:  # a batch of only malformed rows ran no engine
        out = out.with_columns(pl.lit(None, pl.Utf8).alias("engine_version"))
    out = mark_unscreened(out).with_columns(
        pl.lit(ctx.version).alias("data_version"), pl.col("engine_version").fill_null(pl.lit(ENGINE_VERSION))
    )
    for col in RESULT_COLUMNS:
        if col not in out.columns:
            out = out.with_columns(pl.lit(None).alias(col))
    out = fan_out(stable_order(out.select("row", *RESULT_COLUMNS)), copies)
    base = orders.with_columns(pl.int_range(1, orders.height + 1, dtype=pl.Int64).alias("row"))
    clash = [c for c in RESULT_COLUMNS if c in base.columns]
    return base.drop(clash).join(out, on="row", how="left").sort("row").drop("row")


PARTY_KEYS = 200_000  # (name, country) keys whose fuzzy hits a Context keeps, beyond which it starts over
PARTY_BYTES = 64 * 2**20  # and the bytes of those hits


def remembering_parties(ctx: Context, fuzzy_parties: bool) -> contextlib.AbstractContextManager[None]:
    """The Context's memory of fuzzy hits around a batch screening parties (a book's own, when it has
    one, wins: engine.parties.remembering)."""
    if not fuzzy_parties:
        return contextlib.nullcontext()
    from exportctl.engine.parties import remembering

    return remembering(memory=ctx.party_hits())


def _determine(
    ctx: Context,
    key: str,
    regimes: dict[int, Regime],
    us: pl.DataFrame,
    cn: pl.DataFrame,
    fuzzy: bool,
    decided: pl.DataFrame | None,
) -> list[pl.DataFrame]:
    """The US and PRC engines' results of the rows exported from each."""
    parts = []
    if us.height:
        parts.append(
            determine_us(
                regimes,
                ctx.tables,
                us,
                # the listing dates only matter to a screened party: a book without one reads the lists
                # undated (their entries counted in the checks) and skips dating the CSL (cold start)
                ctx.us_lists() if has_parties(us) else ctx.table("csl"),
                fuzzy=fuzzy,
                index_key=key + ":us",
                data_version=ctx.version,
                suppressed=decided,
            ).with_columns(engine_version=pl.lit(ENGINE_VERSION))
        )
    if cn.height:
        parts.append(
            determine_cn(
                regimes,
                ctx.tables,
                cn,
                ctx.table("cn_parties"),
                fuzzy=fuzzy,
                index_key=key + ":cn",
                data_version=ctx.version,
                suppressed=decided,
            ).with_columns(engine_version=pl.lit(CN_ENGINE_VERSION))
        )
    return parts


def check_file(
    path: str | Path,
    out: str | Path | None = None,
    *,
    progress: Callable[[int, int], None] | None = None,
    chunk: int | None = None,
    **kwargs: Any,
) -> pl.DataFrame:
    """Check an order book (CSV, XLSX, Parquet, JSONL); write results to `out` in its format when given.

    Takes check_table's options; read, checked, recorded and written in chunks of `chunk` rows
    (default ops.check_stream.CHUNK).
    """
    from exportctl.ops.check_stream import CHUNK
    from exportctl.ops.check_stream import check_file as run

    return run(path, out, progress=progress, chunk=chunk or CHUNK, **kwargs)


__all__ = [
    "NO_PARTY_COLUMN",
    "RESULT_COLUMNS",
    "Context",
    "answer",
    "check_file",
    "check_one",
    "check_table",
    "hold_unscreenable",
    "index_key",
    "mark_unscreened",
    "placement_of",
    "remembering_parties",
    "summary",
    "warm_indexes",
]

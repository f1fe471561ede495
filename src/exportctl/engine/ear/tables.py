"""The EAR's own tables in the shape the engine joins on, built once per data version.

`EarTables` holds the Commerce Control List rows read as (scope, destination test), the ECCNs' licence
exception flags, the Country Chart marks and footnotes, the Country Groups and the chart's territory
inheritance (Hong Kong -> China from Dec 23, 2020). `from_dataset` reads the store's tables
(`ccl`, `country_chart`, `country_groups`; see docs/tables.md); missing tables raise NoDataError.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace

import polars as pl

from exportctl.engine.common.keying import groups_frame
from exportctl.engine.ear.chart import interpret_rows
from exportctl.engine.protocols import DatasetLike
from exportctl.errors import DataError, NoDataError
from exportctl.registry.rules import ear_rules_hash

# per (data version, EAR rules content hash): the control rows are read through the rules file's worded
# destination tests (chart.dest_rule), so an edited rules file gives other tables
_CACHE: dict[tuple[str, str], EarTables] = {}


@dataclass(frozen=True)
class EarTables:
    """The CCL, Country Chart and Country Groups as join-ready frames."""

    rows: pl.DataFrame  # interpret_rows(): eccn, reason, dest_rule, column, section, scope_kind, paras
    eccns: pl.DataFrame  # eccn, heading, lvs, gbs, enc, flags (JSON text)
    marks: pl.DataFrame  # iso, column ('NS2')
    chart: pl.DataFrame  # iso, footnotes (list[int]), pointer (text or null)
    groups: pl.DataFrame  # iso, group ('D:5')
    inherit: pl.DataFrame  # iso, row_iso, since (date or null), basis
    footnotes: dict[int, str] = field(default_factory=dict)
    source: str = "15 CFR 774 Supp. 1; 15 CFR 738 Supp. 1; 15 CFR 740 Supp. 1"
    # the day each snapshot table describes (its source date); a table without one is undated
    dates: dict[str, dt.date] = field(default_factory=dict)
    # licence exception symbol -> Part 740 section, from the eCFR licence-exception table when the data
    # version has one (sources/ecfr.py parse_license_exceptions); empty: the rules file's sections
    exception_sections: dict[str, str] = field(default_factory=dict)

    def eccn_set(self) -> set[str]:
        """Every ECCN on the CCL snapshot."""
        return set(self.eccns["eccn"].to_list())

    def members(self, group: str) -> set[str]:
        """ISO codes of one Country Group ('D:5') or of one ISO code."""
        if ":" not in group and group not in ("B",):
            return {group.upper()}
        return set(self.groups.filter(pl.col("group") == group)["iso"].to_list())


def build(
    control_rows: pl.DataFrame,
    eccns: pl.DataFrame,
    marks: pl.DataFrame,
    chart: pl.DataFrame,
    groups: pl.DataFrame,
    inherit: pl.DataFrame | None = None,
    footnotes: dict[int, str] | None = None,
    dates: dict[str, dt.date] | None = None,
) -> EarTables:
    """Assemble EarTables from plain frames (control rows need eccn/control/chart_text)."""
    for name, frame, cols in (
        ("ccl", control_rows, ("eccn", "control", "chart_text")),
        ("ccl", eccns, ("eccn",)),
        ("country_chart", marks, ("iso", "column")),
        ("country_groups", groups, ("iso", "group")),
    ):
        missing = [c for c in cols if c not in frame.columns]
        if missing:
            raise DataError(f"table {name} lacks columns {missing}", field=name)
    if inherit is None:
        inherit = pl.DataFrame(
            schema={"iso": pl.Utf8, "row_iso": pl.Utf8, "since": pl.Date, "basis": pl.Utf8}
        )
    for col, dtype in (("lvs", pl.Utf8), ("gbs", pl.Utf8), ("enc", pl.Utf8), ("heading", pl.Utf8)):
        if col not in eccns.columns:
            eccns = eccns.with_columns(pl.lit(None, dtype).alias(col))
    eccns = eccns.with_columns(lvs_limit=_lvs_limit(pl.col("lvs")))
    marks = marks.with_columns(pl.col("column").str.replace_all(" ", "").str.to_uppercase())
    return EarTables(
        rows=interpret_rows(control_rows),
        eccns=eccns,
        marks=marks.unique(),
        chart=chart,
        groups=groups.unique(),
        inherit=inherit,
        footnotes=footnotes or {},
        dates=dict(dates or {}),
    )


def _lvs_limit(text: pl.Expr) -> pl.Expr:
    """The first dollar amount of an LVS flag ('$1,500', '$5000, except N/A for MT'); null for N/A."""
    amount = text.str.extract(r"^\s*\$\s*([\d,]+)", 1).str.replace_all(",", "")
    return amount.cast(pl.Float64, strict=False)


def from_dataset(ds: DatasetLike) -> EarTables:
    """EarTables of a data version (cached per version and rules file); NoDataError if a table is missing."""
    version = str(getattr(ds, "version", ""))
    key = (version, ear_rules_hash())
    cached = _CACHE.get(key)
    if cached is not None:
        return cached
    for name in ("ccl", "country_chart", "country_groups"):
        if not ds.has(name):
            raise NoDataError(f"data version {version[:12]} has no table {name!r}", field="table")
    tables = _adapt(ds.table("ccl"), ds.table("country_chart"), ds.table("country_groups"))
    tables = replace(tables, dates=snapshot_dates(ds), exception_sections=exception_sections(ds))
    _CACHE[key] = tables
    return tables


SNAPSHOT_TABLES = ("ccl", "country_chart", "country_groups", "license_exceptions")


def exception_sections(ds: DatasetLike) -> dict[str, str]:
    """Symbol -> Part 740 section from the data version's licence-exception table (empty without one)."""
    if not ds.has("license_exceptions"):
        return {}
    table = ds.table("license_exceptions")
    if not {"symbol", "section"} <= set(table.columns):
        return {}
    return {str(sym): str(sec) for sym, sec in table.select("symbol", "section").iter_rows()}


def snapshot_dates(ds: DatasetLike) -> dict[str, dt.date]:
    """The day each EAR snapshot table of a data version describes: its source's date."""
    out: dict[str, dt.date] = {}
    for info in getattr(ds, "sources", []) or []:
        if info.name in SNAPSHOT_TABLES and info.date:
            try:
                out[info.name] = dt.date.fromisoformat(str(info.date)[:10])
            except ValueError:
                continue  # an unreadable date leaves the table undated: earlier dates then hold
    return out


def _adapt(ccl: pl.DataFrame, chart: pl.DataFrame, groups: pl.DataFrame) -> EarTables:
    """Read the store's tables (docs/tables.md: ccl, country_chart, country_groups) into EarTables."""
    controls = (
        ccl.select("eccn", "controls")
        .explode("controls")
        .drop_nulls("controls")
        .select(
            "eccn",
            pl.col("controls").struct.field("applies_to").alias("control"),
            pl.col("controls").struct.field("chart_text").alias("chart_text"),
        )
    )
    enc = (
        ccl.select("eccn", "exceptions")
        .explode("exceptions")
        .drop_nulls("exceptions")
        .filter(pl.col("exceptions").struct.field("symbol") == "ENC")
        .select("eccn", pl.col("exceptions").struct.field("text").alias("enc"))
        .unique("eccn")
    )
    eccns = ccl.select(
        "eccn",
        "heading",
        pl.col("lvs_text").alias("lvs"),
        pl.col("gbs").alias("gbs_kind"),
        pl.col("paragraphs")
        if "paragraphs" in ccl.columns
        else pl.lit([], pl.List(pl.Utf8)).alias("paragraphs"),
    ).join(enc, on="eccn", how="left")
    # gbs in the store is yes/no/conditional: the engine reads "Yes..." as eligible, so keep that shape
    eccns = eccns.with_columns(
        gbs=pl.when(pl.col("gbs_kind") == "yes")
        .then(pl.lit("Yes"))
        .when(pl.col("gbs_kind") == "conditional")
        .then(pl.lit("conditional"))
        .otherwise(pl.lit("N/A"))
    ).drop("gbs_kind")
    own = chart.filter(pl.col("inherited_from").is_null())
    marks = own.filter(pl.col("mark").fill_null(False)).select(pl.col("country").alias("iso"), "column")
    chart_rows = (
        own.group_by("country")
        .agg(pl.col("footnotes").first(), pl.col("pointer").first())
        .rename({"country": "iso"})
    )
    inh = (
        chart.filter(pl.col("inherited_from").is_not_null())
        .group_by("country")
        .agg(pl.col("inherited_from").first().alias("row_iso"), pl.col("basis").first())
    )
    inherit = inh.select(
        pl.col("country").alias("iso"),
        "row_iso",
        pl.col("basis")
        .map_elements(lambda b: inheritance_since(b or ""), return_dtype=pl.Date)
        .alias("since"),
        "basis",
    )
    groups_f = groups_frame(groups)
    notes: dict[int, str] = {}
    if "footnote_texts" in chart.columns:
        pairs = own.select("footnotes", "footnote_texts").unique().explode("footnotes", "footnote_texts")
        for number, text in pairs.drop_nulls().iter_rows():
            notes[int(number)] = str(text)
    return build(controls, eccns, marks, chart_rows, groups_f, inherit, notes)


def inheritance_since(basis: str) -> dt.date | None:
    """The effective date stated in an inheritance basis ('effective 23 December 2020'), if any."""
    m = re.search(r"effective (\d{1,2}) (\w+) (\d{4})", basis)
    if not m:
        return None
    try:
        return dt.datetime.strptime(" ".join(m.groups()), "%d %B %Y").date()
    except ValueError:
        return None

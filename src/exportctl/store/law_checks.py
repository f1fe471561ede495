"""The checks of a candidate data version that read what its tables mean, and its comparison with the
active version (part of the activation gate, issue #16; `store.invariants` has the per-table checks,
the types and `structural`, which runs these too):

* `ccl.controls`: no more ECCNs without a control than the active version had;
  `ccl.controls_removed`: no reason for control taken from an ECCN present in both, compared by
  reason, chart column and scope, and by each country, group and paragraph a control names (an
  exception added to a control counts as removed too);
* `country_chart.columns`: every chart country has every column; `country_chart.marks_removed`: no
  mark taken away; `country_groups.members_removed`: no country taken out of a group;
* `hts.rates`, `hts.rates_lowered`, `hts.rates_blanked`: see `store.invariants`.

`compare` counts rows (by key) and controls, marks or members added and removed, per changed table.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

import polars as pl

if TYPE_CHECKING:
    from exportctl.store.invariants import Limits, TablesLike, TableSpec

__all__ = ["SRC", "compare", "law_checks"]

SRC = ("src_file", "src_line")  # where a row came from: not part of what it says
Check = Callable[[], str | None]


def _unrated(hts: pl.DataFrame, chapter: str | None = None) -> float:
    if not {"is_header", "general_kind", "chapter"} <= set(hts.columns):
        return 0.0
    lines = hts.filter(~pl.col("is_header").fill_null(False))
    if chapter is not None:
        lines = lines.filter(pl.col("chapter") == chapter)
    if lines.height == 0:
        return 0.0
    return 100.0 * lines.filter(pl.col("general_kind").is_null()).height / lines.height


def _reason_pairs(ccl: pl.DataFrame) -> set[tuple[str, str]]:
    """(ECCN, reason), (ECCN, "reason column scope") and the same with each country, group and paragraph
    a control names: a control that moves to a narrower chart column, or drops a destination or a
    paragraph, is a control removed (two controls of one reason and scope differ by these only)."""
    if not {"eccn", "reasons"} <= set(ccl.columns):
        return set()
    pairs = ccl.select("eccn", "reasons").explode("reasons").drop_nulls()
    out = {(str(e), str(r)) for e, r in pairs.iter_rows()}
    if "controls" in ccl.columns:
        for eccn, controls in ccl.select("eccn", "controls").iter_rows():
            for c in controls or []:
                if isinstance(c, dict):
                    base = f"{c.get('reason')} {c.get('column') or '-'} {c.get('destinations') or '-'}"
                    out.add((str(eccn), base))
                    for what, label in (
                        ("countries", "country"),
                        ("groups", "group"),
                        ("paragraphs", "paragraph"),
                    ):
                        out |= {(str(eccn), f"{base} {label} {v}") for v in c.get(what) or []}
    return out


def _exceptions(ccl: pl.DataFrame) -> set[tuple[str, str]]:
    """(ECCN, "reason column scope except country|group X") of every exception a control names."""
    out: set[tuple[str, str]] = set()
    if not {"eccn", "controls"} <= set(ccl.columns):
        return out
    for eccn, controls in ccl.select("eccn", "controls").iter_rows():
        for c in controls or []:
            if isinstance(c, dict):
                base = f"{c.get('reason')} {c.get('column') or '-'} {c.get('destinations') or '-'}"
                for what, label in (("except_countries", "country"), ("except_groups", "group")):
                    out |= {(str(eccn), f"{base} except {label} {v}") for v in c.get(what) or []}
    return out


def _uncontrolled(ccl: pl.DataFrame) -> int:
    if "controls" not in ccl.columns:
        return ccl.height
    return ccl.filter(pl.col("controls").list.len().fill_null(0) == 0).height


def _marks(chart: pl.DataFrame) -> set[tuple[str, str]]:
    """(country, column) of every chart mark, and (country, "embargoed") of every embargoed country."""
    if not {"country", "column", "mark"} <= set(chart.columns):
        return set()
    marked = chart.filter(pl.col("mark").fill_null(False)).select("country", "column")
    out = {(str(c), str(k)) for c, k in marked.iter_rows()}
    if "embargoed" in chart.columns:
        embargoed = chart.filter(pl.col("embargoed").fill_null(False))["country"].unique()
        out |= {(str(c), "embargoed") for c in embargoed}
    return out


def _members(groups: pl.DataFrame) -> set[tuple[str, str]]:
    if not {"group", "country"} <= set(groups.columns):
        return set()
    return {(str(g), str(c)) for g, c in groups.select("group", "country").iter_rows()}


def _sample(items: Sequence[tuple[str, str]] | set[tuple[str, str]]) -> str:
    shown = sorted(items)[:5]
    more = f" and {len(items) - 5} more" if len(items) > 5 else ""
    return ", ".join(f"{a} {b}" for a, b in shown) + more


def law_checks(candidate: TablesLike, active: TablesLike | None, limits: Limits) -> dict[str, Check]:
    """The checks that read what the tables mean: controls, chart columns and marks, groups, rates."""
    checks: dict[str, Check] = {}

    def before(name: str) -> pl.DataFrame | None:
        return active.table(name) if active is not None and active.has(name) else None

    if candidate.has("ccl"):
        ccl, old = candidate.table("ccl"), before("ccl")

        def controls() -> str | None:
            found = _uncontrolled(ccl)
            allowed = _uncontrolled(old) if old is not None else ccl.height * 15 // 100
            if found > allowed:
                return f"{found} ECCNs without any control (at most {allowed} allowed)"
            return None

        checks["ccl.controls"] = controls
        if old is not None:
            old_ccl = old

            def removed() -> str | None:
                old = old_ccl
                both = set(ccl["eccn"].cast(pl.String)) & set(old["eccn"].cast(pl.String))
                lost = {p for p in _reason_pairs(old) - _reason_pairs(ccl) if p[0] in both}
                # an exception added to a control narrows it as much as a destination taken away
                lost |= {p for p in _exceptions(ccl) - _exceptions(old) if p[0] in both}
                gone = set(old["eccn"].cast(pl.String)) - set(ccl["eccn"].cast(pl.String))
                lost |= {(e, "(ECCN removed)") for e in gone}
                if len(lost) > limits.max_controls_removed:
                    return f"{len(lost)} reasons for control removed: {_sample(lost)}"
                return None

            checks["ccl.controls_removed"] = removed
    if candidate.has("country_chart"):
        chart, old = candidate.table("country_chart"), before("country_chart")

        def columns() -> str | None:
            if not {"country", "column"} <= set(chart.columns):
                return None
            every = chart["column"].n_unique()
            short = chart.group_by("country").agg(pl.col("column").n_unique().alias("n"))
            short = short.filter(pl.col("n") < every)
            if short.height:
                some = ", ".join(sorted(short["country"].cast(pl.String).to_list())[:5])
                return f"{short.height} countries lack some of the {every} columns ({some})"
            return None

        checks["country_chart.columns"] = columns
        if old is not None:

            def marks() -> str | None:
                lost = _marks(old) - _marks(chart)
                if len(lost) > limits.max_marks_removed:
                    return f"{len(lost)} chart marks removed: {_sample(lost)}"
                return None

            checks["country_chart.marks_removed"] = marks
    if candidate.has("country_groups") and before("country_groups") is not None:
        groups, old_groups = candidate.table("country_groups"), before("country_groups")

        def members() -> str | None:
            lost = _members(old_groups) - _members(groups) if old_groups is not None else set()
            if len(lost) > limits.max_members_removed:
                return f"{len(lost)} group members removed: {_sample(lost)}"
            return None

        checks["country_groups.members_removed"] = members
    if candidate.has("hts"):
        checks.update(_hts_checks(candidate.table("hts"), before("hts"), limits))
    return checks


def _hts_checks(hts: pl.DataFrame, old: pl.DataFrame | None, limits: Limits) -> dict[str, Check]:
    def rates() -> str | None:
        for chapter, label in ((None, "HTS lines"), ("99", "chapter 99 lines")):
            share = _unrated(hts, chapter)
            if old is not None:
                allowed = _unrated(old, chapter) + limits.max_unrated_growth_pct
            else:
                allowed = limits.max_unrated_pct if chapter is None else 2 * limits.max_unrated_pct
            if share > allowed:
                return f"{share:.1f}% of {label} have no general rate (at most {allowed:.1f}% allowed)"
        return None

    def lowered() -> str | None:
        if old is None or not {"hts", "general_ad_valorem_pct"} <= set(hts.columns):
            return None
        cols = ["hts", "general_ad_valorem_pct"]
        a = old.select(cols).drop_nulls().unique(subset="hts", keep="first")
        b = hts.select(cols).unique(subset="hts", keep="first")
        joined = a.join(b, on="hts", suffix="_new")
        down = joined.filter(
            pl.col("general_ad_valorem_pct_new").is_null()
            | (pl.col("general_ad_valorem_pct_new") < pl.col("general_ad_valorem_pct"))
        )
        if a.height and 100.0 * down.height / a.height > limits.max_rates_lowered_pct:
            return f"{down.height} of {a.height} general ad valorem rates lowered or blanked"
        return None

    def blanked() -> str | None:
        if old is None or not {"hts", "general_kind"} <= set(hts.columns):
            return None
        a = old.filter(pl.col("general_kind").is_not_null()).select("hts").unique()
        b = hts.select("hts", "general_kind").unique(subset="hts", keep="first")
        lost = a.join(b, on="hts").filter(pl.col("general_kind").is_null())["hts"].cast(pl.String)
        if lost.len() > limits.max_rates_blanked:
            some = ", ".join(sorted(lost.to_list())[:5])
            return (
                f"{lost.len()} HTS lines lost their general rate ({some}; at most {limits.max_rates_blanked})"
            )
        return None

    return {"hts.rates": rates, "hts.rates_lowered": lowered, "hts.rates_blanked": blanked}


def _keys(df: pl.DataFrame, spec: TableSpec | None) -> pl.Series:
    key = spec.key if spec is not None else ()
    cols = list(key) if key and set(key) <= set(df.columns) else None
    body = df.select(cols) if cols else df.drop([c for c in SRC if c in df.columns])
    return body.hash_rows(seed=0)


def compare(
    candidate: TablesLike, active: TablesLike | None, specs: Mapping[str, TableSpec], changed: Sequence[str]
) -> dict[str, dict[str, int]]:
    """Rows (by key) and controls, marks or members added and removed, per changed table."""
    out: dict[str, dict[str, int]] = {}
    for name in changed:
        if not candidate.has(name):
            continue
        new = candidate.table(name)
        old = active.table(name) if active is not None and active.has(name) else None
        spec = specs.get(name)  # a table without rules is keyed by its whole rows
        a = set(_keys(old, spec).to_list()) if old is not None else set()
        b = set(_keys(new, spec).to_list())
        row: dict[str, int] = {"rows": new.height, "rows_added": len(b - a), "rows_removed": len(a - b)}
        pairs: Callable[[pl.DataFrame], set[tuple[str, str]]] | None = {
            "ccl": _reason_pairs,
            "country_chart": _marks,
            "country_groups": _members,
        }.get(name)
        if pairs is not None:
            pa, pb = (pairs(old) if old is not None else set()), pairs(new)
            row["controls_added"], row["controls_removed"] = len(pb - pa), len(pa - pb)
        out[name] = row
    return out

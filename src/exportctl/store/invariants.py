"""The structural invariants of a candidate data version, and its comparison with the active one.

Part of the activation gate (issue #16): `ops.gate` adds the canary determinations, run through the
engines, and decides. Here are the checks that need no engine, per table:

* `<table>.duplicates`: no two rows with the same key (`TableSpec.key`); a table without a key may
  not add more than `Limits.max_new_duplicates` whole-row repeats against the active version;
* `<table>.encoding`: text columns carry no more mojibake (UTF-8 read as Latin-1, U+FFFD) than the
  active version did, plus a few;
* `<table>.names`: party lists name every entry;
* `<table>.date`: a source is not older than the one it replaces (a stale file);
* `ccl.controls`: no more ECCNs without a control than the active version had (every ECCN with its
  controls); `ccl.controls_removed`: no reason for control taken from an ECCN present in both;
* `country_chart.columns`: every chart country has every column; `country_chart.marks_removed`:
  no mark taken away; `country_groups.members_removed`: no country taken out of a group;
* `hts.rates`: the share of HTS lines without a general rate (overall and in chapter 99) does not grow;
  `hts.rates_lowered`: few general ad valorem rates lowered; `hts.rates_blanked`: no line present in
  both versions loses its general rate (a blank rate reads as no duty: a lower tariff).

The limits are data (`data/invariants/invariants.yaml`, read by `ops.gate`); the removal limits are
zero by default, so a change that takes law away needs a person (`--force --reason`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import polars as pl

__all__ = [
    "Finding",
    "GateReport",
    "Limits",
    "TableSpec",
    "TablesLike",
    "compare",
    "structural",
]

# UTF-8 bytes read as Latin-1/cp1252 (Ã©, Â , â€™) and the replacement character of a bad decode.
MOJIBAKE = r"Ã[\x{80}-\x{BF}]|Â[\x{80}-\x{BF}]|â€|\x{FFFD}"
SRC = ("src_file", "src_line")
PARTY_TABLES = ("csl", "bis_entity_list", "bis_meu", "bis_dpl", "ofac_sdn", "ofac_cons", "cn_parties")


class TablesLike(Protocol):
    """What the checks read of a data version (store.Dataset has it)."""

    def has(self, name: str) -> bool:
        """True when the version holds the table."""
        ...

    def table(self, name: str) -> pl.DataFrame:
        """The table's records."""
        ...


@dataclass(frozen=True)
class TableSpec:
    """How one table is checked: its key columns, the text columns checked for mojibake, and the listing
    dates (`dates`, earliest per `dates_by`) that may not move later for entries in both versions."""

    key: tuple[str, ...] = ()
    text: tuple[str, ...] = ()
    dates: tuple[str, ...] = ()
    dates_by: tuple[str, ...] = ()


@dataclass(frozen=True)
class Limits:
    """The numbers the structural checks allow (invariants.yaml `limits`, the one place they are written)."""

    max_new_duplicates: int
    max_unrated_growth_pct: float
    max_unrated_pct: float
    max_controls_removed: int
    max_marks_removed: int
    max_members_removed: int
    max_new_mojibake: int
    max_rates_lowered_pct: float
    max_rates_blanked: int
    max_dates_moved: int


@dataclass(frozen=True)
class Finding:
    """One failed invariant: its name (`<table>.<check>` or `canary:<id>`) and what was found."""

    name: str
    message: str

    def to_dict(self) -> dict[str, str]:
        """{"name", "message"}."""
        return {"name": self.name, "message": self.message}


@dataclass
class GateReport:
    """What the gate found: the invariants passed and failed, and the comparison with the active version."""

    passed: list[str] = field(default_factory=list)
    failed: list[Finding] = field(default_factory=list)
    comparison: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when no invariant failed."""
        return not self.failed

    def extend(self, passed: Sequence[str], failed: Sequence[Finding]) -> None:
        """Add the outcome of more checks."""
        self.passed.extend(passed)
        self.failed.extend(failed)

    def summary(self) -> dict[str, Any]:
        """The contract shape: {"passed": N, "failed": [{"name", "message"}, ...]}."""
        return {"passed": len(self.passed), "failed": [f.to_dict() for f in self.failed]}

    def first_line(self) -> str:
        """One line naming the first failed invariant (and how many others failed)."""
        if not self.failed:
            return "every invariant passed"
        first = self.failed[0]
        more = f" (and {len(self.failed) - 1} more)" if len(self.failed) > 1 else ""
        return f"invariant {first.name} failed: {first.message}{more}"


Check = Callable[[], str | None]


def _duplicates(df: pl.DataFrame, spec: TableSpec) -> int:
    if spec.key:
        if not set(spec.key) <= set(df.columns):
            return 0  # the schema check (store.validate) names missing columns
        return df.height - df.select(spec.key).unique().height
    body = df.drop([c for c in SRC if c in df.columns])
    return body.height - body.unique().height


def _mojibake(df: pl.DataFrame, columns: Sequence[str]) -> int:
    count = 0
    for col in columns:
        if col not in df.columns:
            continue
        values = df[col]
        if values.dtype == pl.List(pl.String):
            values = values.explode()
        if values.dtype == pl.String:
            count += int(values.str.contains(MOJIBAKE).sum() or 0)
    return count


def _dates_moved(new: pl.DataFrame, old: pl.DataFrame, spec: TableSpec) -> int:
    """Entries (by `dates_by`) present in both whose earliest listing date is later in `new`."""
    by = list(spec.dates_by or spec.key)
    moved = 0
    for col in spec.dates:
        if not by or not set(by) | {col} <= set(new.columns) & set(old.columns):
            continue
        first = [pl.col(col).cast(pl.String).min().alias(col)]
        a = old.group_by(by).agg(first)
        b = new.group_by(by).agg(first)
        both = a.join(b, on=by, suffix="_new")
        later = both.filter(
            pl.col(f"{col}_new").is_null() & pl.col(col).is_not_null() | (pl.col(f"{col}_new") > pl.col(col))
        )
        moved += later.height
    return moved


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


def _table_checks(
    name: str, df: pl.DataFrame, before: pl.DataFrame | None, spec: TableSpec, limits: Limits
) -> dict[str, Check]:
    checks: dict[str, Check] = {}

    def duplicates() -> str | None:
        found = _duplicates(df, spec)
        allowed = (_duplicates(before, spec) if before is not None else 0) + (
            0 if spec.key else limits.max_new_duplicates
        )
        if not spec.key and before is None:
            allowed = max(allowed, df.height // 10)
        if found > allowed:
            what = f"rows with the same {'/'.join(spec.key)}" if spec.key else "repeated rows"
            return f"{found} {what} (at most {allowed} allowed)"
        return None

    checks[f"{name}.duplicates"] = duplicates
    if spec.text:

        def encoding() -> str | None:
            found = _mojibake(df, spec.text)
            allowed = (_mojibake(before, spec.text) if before is not None else 0) + limits.max_new_mojibake
            if found > allowed:
                return f"{found} text values look mis-decoded (mojibake or U+FFFD; at most {allowed} allowed)"
            return None

        checks[f"{name}.encoding"] = encoding
    if spec.dates and before is not None:

        def dates() -> str | None:
            moved = _dates_moved(df, before, spec)
            if moved > limits.max_dates_moved:
                return (
                    f"{moved} entries' {'/'.join(spec.dates)} moved later (at most {limits.max_dates_moved})"
                )
            return None

        checks[f"{name}.dates_moved"] = dates
    if name in PARTY_TABLES and "name" in df.columns:

        def names() -> str | None:
            blank = df.filter(pl.col("name").is_null() | (pl.col("name").str.strip_chars() == "")).height
            return f"{blank} entries without a name" if blank else None

        checks[f"{name}.names"] = names
    return checks


def _law_checks(candidate: TablesLike, active: TablesLike | None, limits: Limits) -> dict[str, Check]:
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


def _date_checks(
    names: Sequence[str], dates: Mapping[str, str], before: Mapping[str, str]
) -> dict[str, Check]:
    checks: dict[str, Check] = {}
    for name in names:
        if name not in before:
            continue

        def stale(name: str = name) -> str | None:
            if dates[name][:10] < before[name][:10]:
                return f"data date {dates[name]} is older than the active version's {before[name]}"
            return None

        checks[f"{name}.date"] = stale
    return checks


def structural(
    candidate: TablesLike,
    active: TablesLike | None,
    specs: Mapping[str, TableSpec],
    limits: Limits,
    *,
    changed: Sequence[str],
    dates: Mapping[str, str] | None = None,
    active_dates: Mapping[str, str] | None = None,
) -> tuple[list[str], list[Finding]]:
    """Run the structural checks on the `changed` tables; returns (passed names, failed findings)."""
    checks: dict[str, Check] = {}
    for name in changed:
        if not candidate.has(name):
            continue
        before = active.table(name) if active is not None and active.has(name) else None
        checks.update(
            _table_checks(name, candidate.table(name), before, specs.get(name, TableSpec()), limits)
        )
    law = _law_checks(candidate, active, limits)
    checks.update({k: v for k, v in law.items() if k.split(".")[0] in changed})
    checks.update(_date_checks(changed, dates or {}, active_dates or {}))
    passed: list[str] = []
    failed: list[Finding] = []
    for name, check in checks.items():
        problem = check()
        if problem is None:
            passed.append(name)
        else:
            failed.append(Finding(name, problem))
    return passed, failed


def _keys(df: pl.DataFrame, spec: TableSpec) -> pl.Series:
    cols = list(spec.key) if spec.key and set(spec.key) <= set(df.columns) else None
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
        spec = specs.get(name, TableSpec())
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

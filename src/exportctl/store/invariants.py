"""The structural invariants of a candidate data version, and its comparison with the active one.

Part of the activation gate (issue #16): `ops.gate` adds the canary determinations, run through the
engines, and decides. Here are the checks that need no engine, per table (those that read what the law
tables mean, and `compare`, are in `store.law_checks`; `structural` runs both):

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
from pydantic import BaseModel, ConfigDict

from exportctl.store.law_checks import SRC, compare, law_checks

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


class Limits(BaseModel):
    """The numbers the structural checks allow (invariants.yaml `limits`, the one place they are written);
    read by ops.gate.GateSpec as it is: an unknown or missing key is a load error."""

    model_config = ConfigDict(extra="forbid", frozen=True)

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
    law = law_checks(candidate, active, limits)
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

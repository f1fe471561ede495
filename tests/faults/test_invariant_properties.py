"""Property tests of the activation gate's invariants (issue #16): for random damage of one kind the
gate refuses, with one line naming the invariant (controls removed or narrowed by an exception,
duplicates, blanked rates, chart marks); an unchanged copy of the clean data always passes.

The damage is drawn over the canaries of data/invariants/invariants.yaml (their ECCNs and countries)
and the limits written there, so the tests follow the data. The structural checks run directly
(`store.invariants.structural`: milliseconds); the canaries, which run through the engines, are run on
the clean copies, where they must pass too.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exportctl.ops import gate as gates
from exportctl.sources.base import SourceTable
from exportctl.store import Dataset
from exportctl.store.dataset import SourceInfo, version_hash
from exportctl.store.gate_records import refuse
from exportctl.store.invariants import GateReport, structural

SPEC = gates.load_spec()
LIMITS = SPEC.limit_values()
CANARY_ECCNS = sorted({c.eccn for c in SPEC.canaries if c.kind == "check" and c.eccn and c.eccn != "EAR99"})
CANARY_COUNTRIES = sorted(
    {c.destination for c in SPEC.canaries if c.kind == "check" and c.destination}
    | {c.country for c in SPEC.canaries if c.kind == "group_member" and c.country}
)
KEYED = sorted(name for name, rule in SPEC.tables.items() if rule.key)
FEW = settings(max_examples=8, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)


@pytest.fixture(scope="module")
def pack() -> dict[str, SourceTable]:
    """The bundled pack's tables."""
    from exportctl.data.pack import load_pack

    return {t.name: t for t in load_pack()}


@pytest.fixture(scope="module")
def clean(pack: dict[str, SourceTable]) -> Dataset:
    """The clean data version, in memory."""
    return Dataset.from_tables(list(pack.values()))


def with_tables(clean: Dataset, tables: Sequence[SourceTable]) -> Dataset:
    """The clean version with some tables replaced (only those are hashed again)."""
    new = {t.name: t for t in tables}
    infos = [SourceInfo.of(new[s.name]) if s.name in new else s for s in clean.sources]
    return Dataset(
        version_hash(infos),
        infos,
        lambda info: new[info.name].records if info.name in new else clean.table(info.name),
    )


def refused_by(clean: Dataset, damaged: SourceTable, invariant: str) -> None:
    """The structural checks of the gate refuse the damaged table, naming `invariant`, in one line."""
    candidate = with_tables(clean, [damaged])
    report = GateReport()
    report.extend(
        *structural(
            candidate, clean, SPEC.table_specs(), LIMITS, changed=[damaged.name], dates={}, active_dates={}
        )
    )
    names = [f.name for f in report.failed]
    assert invariant in names, (invariant, names)
    line = refuse(report).one_line()
    assert "\n" not in line and f"invariant {names[0]} failed" in line


def replace(table: SourceTable, records: pl.DataFrame) -> SourceTable:
    """The table with other records."""
    return dataclasses.replace(table, records=records)


def test_the_canaries_name_what_the_properties_draw_from() -> None:
    assert CANARY_ECCNS and CANARY_COUNTRIES and KEYED


@FEW
@given(data=st.data())
def test_controls_removed_from_a_canary_eccn_are_refused(
    data: st.DataObject, pack: dict[str, SourceTable], clean: Dataset
) -> None:
    ccl = pack["ccl"].records
    eccn = data.draw(st.sampled_from(CANARY_ECCNS), label="eccn")
    controls = ccl.filter(pl.col("eccn") == eccn)["controls"].to_list()[0]
    gone = data.draw(
        st.sets(st.integers(0, len(controls) - 1), min_size=1, max_size=len(controls)), label="removed"
    )
    kept = [c for i, c in enumerate(controls) if i not in gone]
    reasons = list(dict.fromkeys(c["reason"] for c in kept))
    hit = pl.col("eccn") == eccn
    damaged = ccl.with_columns(
        controls=pl.when(hit)
        .then(pl.lit(pl.Series([kept], dtype=ccl.schema["controls"])))
        .otherwise("controls"),
        reasons=pl.when(hit)
        .then(pl.lit(pl.Series([reasons], dtype=ccl.schema["reasons"])))
        .otherwise("reasons"),
    )
    refused_by(clean, replace(pack["ccl"], damaged), "ccl.controls_removed")


@pytest.mark.parametrize(("eccn", "paragraph"), [("3A090", "3A090.b"), ("3A090", "3A090.c")])
def test_one_control_of_two_alike_removed_is_refused(
    eccn: str, paragraph: str, pack: dict[str, SourceTable], clean: Dataset
) -> None:
    """3A090's RS controls for .b (UAE, D:1, D:4, D:5) and .c (Macau, D:5) share reason and scope: taking
    one away passed the gate while (reason, column, scope) was all it compared (found by the property)."""
    ccl = pack["ccl"].records
    controls = ccl.filter(pl.col("eccn") == eccn)["controls"].to_list()[0]
    kept = [c for c in controls if paragraph not in (c["paragraphs"] or [])]
    assert len(kept) == len(controls) - 1
    hit = pl.col("eccn") == eccn
    damaged = ccl.with_columns(
        controls=pl.when(hit)
        .then(pl.lit(pl.Series([kept], dtype=ccl.schema["controls"])))
        .otherwise("controls")
    )
    refused_by(clean, replace(pack["ccl"], damaged), "ccl.controls_removed")


@FEW
@given(country=st.sampled_from(CANARY_COUNTRIES), data=st.data())
def test_an_exception_added_to_a_canary_control_is_refused(
    country: str, data: st.DataObject, pack: dict[str, SourceTable], clean: Dataset
) -> None:
    """A canary country (or a group) added to the exceptions of one of a canary ECCN's controls narrows it."""
    ccl = pack["ccl"].records
    eccn = data.draw(st.sampled_from(CANARY_ECCNS), label="eccn")
    controls = [dict(c) for c in ccl.filter(pl.col("eccn") == eccn)["controls"].to_list()[0]]
    i = data.draw(st.integers(0, len(controls) - 1), label="control")
    field = data.draw(st.sampled_from(["except_countries", "except_groups"]), label="field")
    value = country if field == "except_countries" else "D:5"
    if value in (controls[i][field] or []):
        return  # already excepted: nothing narrows
    controls[i][field] = [*(controls[i][field] or []), value]
    hit = pl.col("eccn") == eccn
    damaged = ccl.with_columns(
        controls=pl.when(hit)
        .then(pl.lit(pl.Series([controls], dtype=ccl.schema["controls"])))
        .otherwise("controls")
    )
    refused_by(clean, replace(pack["ccl"], damaged), "ccl.controls_removed")


@FEW
@given(data=st.data())
def test_duplicates_beyond_the_limit_are_refused(
    data: st.DataObject, pack: dict[str, SourceTable], clean: Dataset
) -> None:
    name = data.draw(st.sampled_from([*KEYED, "hts"]), label="table")
    df = pack[name].records
    # a keyed table allows no new repeated key; a table without a key allows max_new_duplicates rows
    allowed = 0 if name in KEYED else LIMITS.max_new_duplicates
    n = data.draw(st.integers(allowed + 1, allowed + 30), label="duplicates")
    rows = data.draw(st.lists(st.integers(0, df.height - 1), min_size=n, max_size=n), label="rows")
    damaged = pl.concat([df, df[rows]])
    refused_by(clean, replace(pack[name], damaged), f"{name}.duplicates")


@FEW
@given(share=st.floats(0.01, 100.0), seed=st.integers(0, 2**32 - 1))
def test_blanked_rates_are_refused(
    share: float, seed: int, pack: dict[str, SourceTable], clean: Dataset
) -> None:
    hts = pack["hts"].records.with_row_index("_i")
    rated = hts.filter(pl.col("general_kind").is_not_null())["_i"]
    picked = rated.sample(max(1, round(rated.len() * share / 100)), seed=seed)
    blank = pl.col("_i").is_in(picked.implode())
    damaged = hts.with_columns(
        [pl.when(blank).then(None).otherwise(pl.col(c)).alias(c) for c in ("general", "general_kind")]
        + [
            pl.when(blank)
            .then(None)
            .otherwise(pl.col("general_ad_valorem_pct"))
            .alias("general_ad_valorem_pct")
        ]
    ).drop("_i")
    refused_by(clean, replace(pack["hts"], damaged), "hts.rates_blanked")


@FEW
@given(data=st.data())
def test_chart_marks_removed_for_a_canary_country_are_refused(
    data: st.DataObject, pack: dict[str, SourceTable], clean: Dataset
) -> None:
    chart = pack["country_chart"].records
    country = data.draw(st.sampled_from(CANARY_COUNTRIES), label="country")
    marked = sorted(chart.filter((pl.col("country") == country) & pl.col("mark"))["column"].to_list())
    gone = data.draw(st.sets(st.sampled_from(marked), min_size=1, max_size=len(marked)), label="columns")
    off = (pl.col("country") == country) & pl.col("column").is_in(sorted(gone))
    damaged = chart.with_columns(mark=pl.when(off).then(False).otherwise(pl.col("mark")))
    refused_by(clean, replace(pack["country_chart"], damaged), "country_chart.marks_removed")


@settings(max_examples=3, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(names=st.sets(st.sampled_from(sorted(gates.load_spec().tables)), min_size=1, max_size=4))
def test_an_unchanged_copy_of_the_clean_data_passes_the_whole_gate(
    names: set[str], pack: dict[str, SourceTable], clean: Dataset
) -> None:
    copies = [replace(pack[n], pack[n].records.clone()) for n in sorted(names)]
    report = gates.gate(with_tables(clean, copies), clean)
    assert report.ok, report.first_line()

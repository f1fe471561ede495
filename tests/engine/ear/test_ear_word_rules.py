"""CCL rows that name destinations in words read their destinations from the rules file
(data/rules/us-ear.yaml `ccl_destination_words`), not from country codes in engine code."""

from __future__ import annotations

import polars as pl

from exportctl.engine.ear.chart import dest_rule
from exportctl.engine.ear.groups import dest_rule_applies
from exportctl.registry.rules import ear_rules

WORDED = {
    "To or within Macau or a destination specified in Country Group D:5": "macau_d5",
    "China, Russia, or Venezuela (see §744.21)": "cn_ru_ve",
    "All destinations except Canada": "not_ca",
    "North Korea (see §746.3)": "kp",
    "Iraq or Pakistan": "iq_pk",
    "UN controls: see §746.1(b)": "un",
    "Worldwide": "worldwide",
}


def test_every_worded_rule_the_chart_reads_has_its_destinations_in_data() -> None:
    ids = {dest_rule(text, "")[0] for text in WORDED}
    assert ids == set(WORDED.values())
    assert ids <= set(ear_rules().ccl_destination_words)


def _applies(rule: str, rows: list[tuple[str, list[str]]]) -> list[bool | None]:
    frame = pl.DataFrame(
        {
            "row_iso": [r for r, _ in rows],
            "groups": [g for _, g in rows],
            "marks": [[] for _ in rows],
            "footnotes": [[] for _ in rows],
        },
        schema={
            "row_iso": pl.Utf8,
            "groups": pl.List(pl.Utf8),
            "marks": pl.List(pl.Utf8),
            "footnotes": pl.List(pl.Int64),
        },
    )
    return frame.select(dest_rule_applies(pl.lit(rule)).alias("a"))["a"].to_list()


def test_worded_destinations_and_exclusions() -> None:
    assert _applies("macau_d5", [("MO", []), ("CN", ["D:5"]), ("DE", ["A:1"])]) == [True, True, False]
    uae = [("AE", []), ("SA", ["D:4"]), ("XX", ["D:4", "A:5"])]
    assert _applies("uae_d1d4d5_not_a5a6", uae) == [True, True, False]
    assert _applies("not_ca", [("CA", []), ("US", [])]) == [False, True]
    assert _applies("iq_pk", [("PK", []), ("IN", [])]) == [True, False]
    assert _applies("worldwide", [("DE", [])]) == [True]


def test_a_row_citing_no_section_takes_the_rule_s() -> None:
    assert dest_rule("UN controls", "") == ("un", "746.1(b)")
    assert dest_rule("All destinations, except Canada", "")[0] == "not_ca"  # 'except': not worldwide

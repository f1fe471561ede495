"""`ccl_rows` (ControlScope): a control_removed effect that takes out only the CCL rows with one
destination test. Its value must name a rule of data/rules/us-ear.yaml, and only removals may carry it,
else a typo would remove nothing (or everything) without a word."""

from __future__ import annotations

import datetime as dt

import exportctl
from exportctl.registry.loader import load_registry
from exportctl.registry.rules import ear_rules


def test_every_ccl_rows_scope_names_a_destination_rule_and_is_a_removal() -> None:
    rules = set(ear_rules().ccl_destination_words)
    used = [
        (m.id, e.id, e.kind, e.scope.ccl_rows)
        for m in load_registry().measures.values()
        for e in m.effects
        if getattr(e.scope, "ccl_rows", None)
    ]
    assert used, "the AI Diffusion measures use ccl_rows"
    for measure, effect, kind, value in used:
        assert value in rules, f"{measure}/{effect}: ccl_rows {value!r} is not a ccl_destination_words rule"
        assert kind == "control_removed", f"{measure}/{effect}: ccl_rows on a {kind} effect"


def test_removing_the_worldwide_row_keeps_the_other_rows_of_the_entry() -> None:
    # 5A992 to China: the worldwide .z.1 row is out, the .z.2 row (UAE, D:1, D:4, D:5) still reaches it
    answer = exportctl.check(eccn="5A992", destination="CN", as_of=dt.date(2026, 6, 15))
    assert answer["verdict"] == "license_required"
    texts = " ".join(r.get("text") or "" for r in answer["reasons"] if r.get("code") == "RS")
    assert "D:1, D:4, and D:5" in texts and "worldwide" not in texts
    # and to Germany nothing reaches it
    assert (
        exportctl.check(eccn="5A992", destination="DE", as_of=dt.date(2026, 6, 15))["verdict"]
        == "no_license_required"
    )

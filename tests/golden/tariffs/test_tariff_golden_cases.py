"""Golden duty stacks in YAML: each case names an HTS line, an origin and a date, cites its source, and
states the components that must (and must not) be in the stack, run through `ops.tariff.lookup` (the path
of `exportctl tariff`) on the bundled data pack.

A case file is a list of cases:

    - id: s301-ev-battery-2024-09-27
      source: {title: "89 FR 76581 (four-year review)", url: "https://..."}
      input: {hts: "8507.60.0010", origin: CN, date: 2024-09-27}   # any other lookup() keyword too
      expect:
        components: [{program: section_301, heading: 9903.91.01, rate_pct: 25}]  # each present, same rate
        absent: [{program: section_301, heading: 9903.88.15}]   # none matches (heading optional)
        total_ad_valorem_pct: 28.4                               # optional
        error_field: hts                                         # optional: an InputError on that field
        exact: true            # optional: the components are exactly those listed (program, heading, rate)
        excluded: [{program: ieepa_reciprocal, excluded_by: "...#annex-ii"}]  # each in `excluded`
        fees: [{fee: MPF, amount_usd: 33.58}]                    # each in duty.fees (matched by fee)
        fields: {mfn.text: "47%", duty.amount: 47.0}             # dotted paths into the answer
        advisories: [{measure: us-tariff-2024-06-15-s301-exclusions}]  # optional: possible exclusions shown
        no_advisories: [{measure: us-tariff-2024-06-15-s301-exclusions}]  # optional: none of these shown
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from exportctl.errors import InputError
from exportctl.ops.tariff import lookup

HERE = Path(__file__).parent
CASES: list[dict[str, Any]] = [
    c for f in sorted(HERE.glob("*.yaml")) for c in yaml.safe_load(f.read_text()) or []
]


def _kwargs(case: dict[str, Any]) -> dict[str, Any]:
    out = dict(case["input"])
    for key in ("date", "known_on"):
        if isinstance(out.get(key), dt.date):
            out[key] = out[key].isoformat()
    return out


def _matches(component: dict[str, Any], want: dict[str, Any]) -> bool:
    return all(str(component.get(k)) == str(v) for k, v in want.items() if k in ("program", "heading"))


def test_cases_are_sourced_and_unique() -> None:
    assert CASES, "no tariff golden cases found"
    assert len({c["id"] for c in CASES}) == len(CASES)
    for c in CASES:
        src = c.get("source") or {}
        assert src.get("title") and str(src.get("url", "")).startswith("http"), c["id"]


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_golden_tariff(case: dict[str, Any]) -> None:
    exp = case["expect"]
    if "error_field" in exp:
        with pytest.raises(InputError) as err:
            lookup(**_kwargs(case))
        assert err.value.field == exp["error_field"]
        return
    got = lookup(**_kwargs(case))
    comps = got["components"]
    seen = [(c["program"], c["heading"], c["rate_pct"]) for c in comps]
    for want in exp.get("components", []):
        found = [c for c in comps if _matches(c, want)]
        assert found, f"missing {want}; stack {seen}"
        if "rate_pct" in want:
            assert any(c["rate_pct"] == pytest.approx(float(want["rate_pct"])) for c in found), seen
        for key, value in want.items():
            if key not in ("program", "heading", "rate_pct"):
                assert any(c.get(key) == value for c in found), (key, seen)
    for gone in exp.get("absent", []):
        assert not [c for c in comps if _matches(c, gone)], f"unexpected {gone}; stack {seen}"
    if "total_ad_valorem_pct" in exp:
        assert got["total_ad_valorem_pct"] == pytest.approx(float(exp["total_ad_valorem_pct"])), seen
    if exp.get("exact"):
        want = sorted((w["program"], str(w.get("heading")), float(w["rate_pct"])) for w in exp["components"])
        assert sorted((c, str(h), float(r)) for c, h, r in seen) == want, seen
    for gone in exp.get("excluded", []):
        assert any(_same(x, gone) for x in got["excluded"]), (gone, got["excluded"])
    for fee in exp.get("fees", []):
        assert any(_same(f, fee) for f in got["duty"]["fees"]), (fee, got["duty"]["fees"])
    for path, value in (exp.get("fields") or {}).items():
        assert _equal(_at(got, path), value), (path, _at(got, path), value)

    shown = got.get("advisories", [])
    for want in exp.get("advisories", []):
        assert [a for a in shown if all(a.get(k) == v for k, v in want.items())], f"no advisory {want}"
    for gone in exp.get("no_advisories", []):
        assert not [a for a in shown if all(a.get(k) == v for k, v in gone.items())], f"advisory {gone}"


def _equal(got: Any, want: Any) -> bool:
    if isinstance(want, int | float) and not isinstance(want, bool) and got is not None:
        return bool(got == pytest.approx(float(want)))
    return bool(got == want)


def _same(item: dict[str, Any], want: dict[str, Any]) -> bool:
    return all(_equal(item.get(k), v) for k, v in want.items())


def _at(obj: Any, path: str) -> Any:
    for key in path.split("."):
        obj = obj[int(key)] if isinstance(obj, list) else obj.get(key)
    return obj

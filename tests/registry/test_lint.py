"""registry lint: one test per finding, on small registries written for the purpose."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from exportctl.registry import load_registry
from exportctl.registry.lint import Finding, check, lint


def measure(mid: str, **over: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "id": mid,
        "title": mid,
        "jurisdiction": "US-TARIFF",
        "authority": "President",
        "instrument": "executive_order",
        "known_on": "2025-01-01",
        "status": "in_force",
        "dates": {"effective": "2025-01-02"},
        "citations": [{"kind": "executive_order", "title": "EO", "url": "https://example.org/eo"}],
    }
    doc.update(over)
    return doc


def _dates(value: Any) -> Any:
    """ISO strings to dates, so that they are written unquoted as in real measure files."""
    if isinstance(value, dict):
        return {k: _dates(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_dates(v) for v in value]
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[:4].isdigit():
        return dt.date.fromisoformat(value)
    return value


def write(root: Path, doc: dict[str, Any], name: str | None = None, folder: str | None = None) -> Path:
    path = root / (folder or doc["jurisdiction"]) / f"{name or doc['id']}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(_dates(doc), sort_keys=False))
    return path


def findings(root: Path) -> list[Finding]:
    return lint(load_registry([root], bundled=False, collect=True))


def codes(root: Path, severity: str = "error") -> list[str]:
    return sorted(f.code for f in findings(root) if f.severity == severity)


TARIFF = {
    "id": "t",
    "kind": "tariff",
    "effective": "2025-01-02",
    "program": "section_301",
    "heading": "9903.01.01",
    "rate_pct": 10,
}


def test_basic_fixture_has_no_errors(basic_dir: Path) -> None:
    result = check(load_registry([basic_dir], bundled=False, collect=True))
    assert result["ok"] and result["errors"] == 0 and result["measures"] == 17 and result["claims"] == 2


def test_clean_measure(tmp_path: Path) -> None:
    write(tmp_path, measure("a", effects=[TARIFF]))
    assert findings(tmp_path) == []


def test_missing_citation(tmp_path: Path) -> None:
    write(tmp_path, measure("a", citations=[]))
    assert codes(tmp_path) == ["missing-citation"]


def test_no_official_citation_and_missing_url(tmp_path: Path) -> None:
    write(tmp_path, measure("a", citations=[{"kind": "press_release", "title": "PR"}]))
    assert codes(tmp_path) == ["citation-without-url", "no-official-citation"]


def test_unpublished_letter_without_url_is_a_warning(tmp_path: Path) -> None:
    cites = [
        {"kind": "letter", "title": "Letter (not public)"},
        {"kind": "sec_filing", "title": "8-K", "url": "https://x"},
    ]
    write(tmp_path, measure("a", citations=cites))
    assert codes(tmp_path) == [] and codes(tmp_path, "warning") == ["citation-without-url"]


def test_file_name_and_folder(tmp_path: Path) -> None:
    write(tmp_path, measure("a"), name="b", folder="US-EAR")
    assert codes(tmp_path) == ["file-name", "folder"]


def test_dates_out_of_order(tmp_path: Path) -> None:
    write(tmp_path, measure("a", dates={"effective": "2025-02-01", "end": "2025-01-01"}))
    write(
        tmp_path,
        measure(
            "b",
            actions=[
                {
                    "id": "s",
                    "action": "suspend",
                    "target": "a",
                    "effective": "2025-03-01",
                    "end": "2025-02-01",
                },
                {
                    "id": "p",
                    "action": "phase_out",
                    "target": "a",
                    "effective": "2025-03-01",
                    "phases": [{"effective": "2025-05-01"}, {"effective": "2025-04-01"}],
                },
            ],
        ),
    )
    found = [f for f in findings(tmp_path) if f.code == "dates-order" and f.severity == "error"]
    assert sorted((f.measure, f.field) for f in found) == [
        ("a", "dates.end"), ("b", "actions.0.end"), ("b", "actions.1.phases"),
    ]  # fmt: skip
    assert all(f.line for f in found)


def test_dates_warnings(tmp_path: Path) -> None:
    write(
        tmp_path,
        measure(
            "a",
            known_on="2025-01-01",
            dates={"announced": "2025-01-05", "published": "2025-01-03", "effective": "2025-01-10"},
            effects=[{**TARIFF, "effective": "2025-01-04"}],
        ),
    )
    assert codes(tmp_path, "warning") == ["dates-order", "dates-order", "dates-order"]


def test_dangling_targets_name_line(tmp_path: Path) -> None:
    write(tmp_path, measure("a", effects=[TARIFF]))
    path = write(
        tmp_path,
        measure(
            "b",
            actions=[
                {"id": "x", "action": "lift", "target": "nope", "effective": "2025-03-01"},
                {"id": "y", "action": "lift", "target": "a#nope", "effective": "2025-03-01"},
            ],
        ),
    )
    found = [f for f in findings(tmp_path) if f.code == "dangling-target"]
    assert [(f.file, f.field) for f in found] == [
        (str(path), "actions.0.target"),
        (str(path), "actions.1.target"),
    ]
    assert found[0].line is not None and found[1].line is not None and found[0].line < found[1].line
    assert "compile" in codes(tmp_path)  # and the regime cannot be compiled


@pytest.mark.parametrize(
    ("action", "code"),
    [
        ({"action": "extend"}, "action-incomplete"),
        ({"action": "waive"}, "action-incomplete"),
        ({"action": "phase_out"}, "action-incomplete"),
        ({"action": "amend"}, "action-incomplete"),
        ({"action": "amend", "changes": {"kind": "tariff"}}, "bad-change"),
    ],
)
def test_incomplete_actions(tmp_path: Path, action: dict[str, Any], code: str) -> None:
    write(tmp_path, measure("a", effects=[TARIFF]))
    write(tmp_path, measure("b", actions=[{"id": "x", "target": "a#t", "effective": "2025-03-01", **action}]))
    assert code in codes(tmp_path)


def test_incomplete_proposal_is_only_a_warning(tmp_path: Path) -> None:
    write(tmp_path, measure("a", effects=[TARIFF]))
    write(
        tmp_path,
        measure(
            "b",
            status="proposed",
            actions=[{"id": "x", "action": "waive", "target": "a#t", "effective": "2025-03-01"}],
        ),
    )
    assert codes(tmp_path) == [] and "action-incomplete" in codes(tmp_path, "warning")


def test_duplicate_effect_ids(tmp_path: Path) -> None:
    write(tmp_path, measure("a", effects=[TARIFF, TARIFF]))
    assert "duplicate-id" in codes(tmp_path)


def test_conflicting_tariffs(tmp_path: Path) -> None:
    write(tmp_path, measure("a", effects=[TARIFF]))
    write(tmp_path, measure("b", effects=[{**TARIFF, "rate_pct": 25, "effective": "2025-06-01"}]))
    (found,) = [f for f in findings(tmp_path) if f.code == "conflict"]
    assert "a#t and b#t" in found.message and "2025-06-01" in found.message


@pytest.mark.parametrize(
    "change",
    [
        {"priority": 1},  # a rule says which wins
        {"heading": "9903.01.02"},  # another heading
        {"rate_pct": 10},  # the same value
        {"scope": {"hts": ["01"]}, "_a_scope": {"hts": ["02"]}},  # disjoint HTS
        {"end": "2025-06-01"},  # b ends before... (b starts 2025-06-01 in the base case: no overlap)
    ],
)
def test_no_conflict_when_a_rule_decides(tmp_path: Path, change: dict[str, Any]) -> None:
    a_scope = change.pop("_a_scope", None)
    write(
        tmp_path,
        measure(
            "a",
            effects=[
                {
                    **TARIFF,
                    **({"scope": a_scope} if a_scope else {}),
                    **({"end": change.pop("end")} if "end" in change else {}),
                }
            ],
        ),
    )
    write(tmp_path, measure("b", effects=[{**TARIFF, "rate_pct": 25, "effective": "2025-06-01", **change}]))
    assert "conflict" not in codes(tmp_path)


def test_no_conflict_when_an_action_relates_them(tmp_path: Path) -> None:
    write(tmp_path, measure("a", effects=[TARIFF]))
    write(
        tmp_path,
        measure(
            "b",
            effects=[{**TARIFF, "rate_pct": 25, "effective": "2025-06-01"}],
            actions=[{"id": "x", "action": "lift", "target": "a", "effective": "2025-09-01"}],
        ),
    )
    assert "conflict" not in codes(tmp_path)


def test_declared_status_contradicted(tmp_path: Path) -> None:
    write(tmp_path, measure("a", status="ended", effects=[TARIFF]))
    (found,) = [f for f in findings(tmp_path) if f.code == "status"]
    assert found.severity == "warning" and "give in_force" in found.message


def test_load_errors_are_findings(tmp_path: Path) -> None:
    write(tmp_path, measure("a", colour="red"))
    (found,) = findings(tmp_path)
    assert (found.code, found.line, found.field) == ("load", 14, "colour")


def test_claim_findings(tmp_path: Path, basic_dir: Path) -> None:
    root = tmp_path / "reg"
    shutil.copytree(basic_dir, root)
    path = root / "claims" / "fx-report.yaml"
    text = path.read_text()
    text = text.replace("measures: [fx-letter-lift]", "measures: [fx-letter-lifted]")
    text = text.replace("expect: 20.0", "expect: 25.0")
    text += "- id: fx-report-1\n  text: again\n  source: {title: s}\n  verdict: consistent\n  why: w\n"
    text += "- id: fx-report-3\n  text: t\n  source: {title: s}\n  verdict: consistent\n  why: w\n"
    text += (
        "  check: {as_of: '2025-03-05', measure: fx-tariff-base, effect: layer, field: colour, expect: 1}\n"
    )
    text += "- id: fx-report-4\n  text: t\n  source: {title: s}\n  verdict: consistent\n  why: w\n"
    text += "  check: {kind: tariff_total, hts: '0201', expected: 10}\n"
    path.write_text(text)
    found = sorted(
        (f.code, f.message) for f in findings(root) if f.code.startswith(("claim", "duplicate-claim"))
    )
    assert [c for c, _ in found] == [
        "claim-check",
        "claim-check",
        "claim-measure",
        "duplicate-claim",
        "duplicate-claim",
    ]
    messages = " | ".join(m for _, m in found)
    assert "expects 25.0, the registry gives 20.0" in messages
    assert "unknown field 'colour'" in messages
    assert "fx-letter-lifted" in messages


@pytest.mark.parametrize(
    ("action", "flagged"),
    [
        ({"action": "suspend", "target": "b#x"}, True),  # suspending an action
        ({"action": "suspend", "target": "b"}, True),  # a measure with no effects
        ({"action": "amend", "target": "b", "changes": {"rate_pct": 5}}, True),
        ({"action": "extend", "target": "b#l", "new_end": "2025-09-01"}, True),  # a lift has no end
        ({"action": "extend", "target": "b#x", "new_end": "2025-09-01"}, False),  # a suspension has one
        ({"action": "lift", "target": "b"}, False),  # lifting the suspension ends it
        ({"action": "suspend", "target": "a"}, False),
    ],
)
def test_target_kind(tmp_path: Path, action: dict[str, Any], flagged: bool) -> None:
    write(tmp_path, measure("a", effects=[TARIFF]))
    write(
        tmp_path,
        measure(
            "b",
            actions=[
                {
                    "id": "x",
                    "action": "suspend",
                    "target": "a",
                    "effective": "2025-03-01",
                    "end": "2025-06-01",
                },
                {"id": "l", "action": "lift", "target": "a", "effective": "2025-12-01"},
            ],
        ),
    )
    write(tmp_path, measure("c", actions=[{"id": "y", "effective": "2025-04-01", **action}]))
    assert ("target-kind" in codes(tmp_path)) is flagged


def test_a_threat_without_an_instrument_is_only_a_warning(tmp_path: Path) -> None:
    write(
        tmp_path,
        measure(
            "a",
            status="threatened",
            citations=[{"kind": "press_release", "title": "Post", "url": "https://example.org/post"}],
        ),
    )
    assert codes(tmp_path) == [] and codes(tmp_path, "warning") == ["no-official-citation"]


def test_an_end_brought_about_by_a_later_act_is_flagged(tmp_path: Path) -> None:
    write(tmp_path, measure("a", dates={"effective": "2025-01-02", "end": "2025-07-02"}, effects=[TARIFF]))
    write(
        tmp_path,
        measure(
            "b",
            known_on="2025-07-02",
            actions=[{"id": "l", "action": "lift", "target": "a", "effective": "2025-07-02"}],
        ),
    )
    (found,) = [f for f in findings(tmp_path) if f.code == "end-known-later"]
    assert found.severity == "warning" and found.field == "dates.end" and "b#l" in found.message
    # known together: nothing leaks
    write(
        tmp_path,
        measure(
            "b",
            known_on="2025-01-01",
            actions=[{"id": "l", "action": "lift", "target": "a", "effective": "2025-07-02"}],
        ),
    )
    assert "end-known-later" not in codes(tmp_path, "warning")


def test_bundled_registry_has_no_errors() -> None:
    """The shipped registry passes its own `registry check` (exit 0): every citation of a measure in force has
    a url a reader can follow, dates are in order, targets resolve."""
    registry = load_registry(collect=True)
    errors = [f for f in lint(registry) if f.severity == "error"]
    assert errors == [], [(f.code, f.measure, f.message) for f in errors]

"""Effects are a union on `kind`, and the words with a vocabulary are checked at load: a typo is an error
naming file and line, never an effect that silently matches nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from exportctl.errors import RegistryError
from exportctl.registry import load_measure_file, load_registry
from exportctl.registry.loader import bundled_dirs
from exportctl.registry.schema import (
    EFFECT,
    ControlEffect,
    ControlScope,
    MilestoneEffect,
    TableChangeEffect,
    TariffEffect,
    TariffScope,
)
from exportctl.registry.vocabulary import vocabulary

HEAD = """\
id: fx-vocab
title: Vocabulary fixture
jurisdiction: {jurisdiction}
authority: BIS
instrument: final_rule
known_on: 2025-01-02
status: in_force
dates:
  effective: 2025-01-03
citations:
  - kind: federal_register
    title: Fixture rule
    url: https://example.org/one
effects:
  - id: e1
    effective: 2025-01-03
"""


def write(tmp_path: Path, body: str, jurisdiction: str = "US-EAR") -> Path:
    folder = tmp_path / jurisdiction
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "fx-vocab.yaml"
    path.write_text(HEAD.format(jurisdiction=jurisdiction) + body, encoding="utf-8")
    return path


def error_of(path: Path) -> RegistryError:
    with pytest.raises(RegistryError) as info:
        load_measure_file(path)
    return info.value


def line_of(path: Path, text: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if text in line)


def test_a_misspelt_control_reason_fails_with_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, "    kind: license_requirement\n    control_reason: MUE\n")
    err = error_of(path)
    assert err.file == str(path) and err.line == line_of(path, "control_reason: MUE")
    assert err.field == "effects.0.control_reason"  # the union's tag is not part of the field
    assert "'MUE' is not in the control_reason vocabulary" in str(err) and "MEU" in str(err)


def test_the_same_measure_spelt_right_loads(tmp_path: Path) -> None:
    path = write(tmp_path, "    kind: license_requirement\n    control_reason: MEU\n")
    effect = load_measure_file(path).effects[0]
    assert isinstance(effect, ControlEffect) and isinstance(effect.scope, ControlScope)


@pytest.mark.parametrize(
    ("body", "needle", "field"),
    [
        ("    kind: tariff\n    program: section_310\n", "program: section_310", "effects.0.program"),
        (
            "    kind: tariff\n    program: section_301\n    excludes_programs: [ieepa_recip]\n",
            "excludes_programs",
            "effects.0.excludes_programs.0",
        ),
        (
            "    kind: review_policy\n    review_policy: presumtion of denial\n",
            "review_policy: presumtion",
            "effects.0.review_policy",
        ),
        (
            "    kind: license_requirement\n    scope:\n      end_uses: [military, supercomputers]\n",
            "end_uses",
            "effects.0.scope.end_uses.1",
        ),
        (
            "    kind: party_control\n    scope:\n      party_lists: [EL, ENTITY]\n",
            "party_lists",
            "effects.0.scope.party_lists.1",
        ),
    ],
)
def test_every_vocabulary_is_checked(tmp_path: Path, body: str, needle: str, field: str) -> None:
    jurisdiction = "US-TARIFF" if "kind: tariff" in body else "US-EAR"
    path = write(tmp_path, body, jurisdiction)
    err = error_of(path)
    assert err.field == field and err.line == line_of(path, needle), str(err)
    assert "vocabulary" in str(err)


def test_a_review_policy_may_say_more_after_its_policy(tmp_path: Path) -> None:
    text = "presumption of denial; case-by-case for facilities owned by multinationals"
    path = write(tmp_path, f"    kind: review_policy\n    review_policy: '{text}'\n")
    assert load_measure_file(path).effects[0].review_policy == text


def test_an_amend_changing_a_word_is_checked(tmp_path: Path) -> None:
    body = (
        "    kind: review_policy\n    review_policy: case-by-case\n"
        "actions:\n  - id: a1\n    action: amend\n    target: fx-vocab#e1\n    effective: 2025-02-01\n"
        "    changes: {review_policy: aproval}\n"
    )
    path = write(tmp_path, body)
    err = error_of(path)
    assert err.line == line_of(path, "- id: a1") and "'aproval'" in str(err)


@pytest.mark.parametrize(
    ("body", "needle", "what"),
    [
        ("    kind: license_requirement\n    rate_pct: 25\n", "rate_pct", "an export-control effect"),
        ("    kind: tariff\n    program: section_301\n    verdict: hold\n", "verdict", "a tariff effect"),
        ("    kind: milestone\n    control_reason: EL\n", "control_reason", "a milestone"),
        (
            "    kind: tariff\n    program: section_301\n    scope: {eccns: [3A090]}\n",
            "scope",
            "a tariff effect's scope",
        ),
        (
            "    kind: prohibition\n    scope:\n      origins: [CN]\n",
            "origins",
            "an export-control effect's scope",
        ),
    ],
)
def test_a_field_of_another_kind_is_refused_with_its_line(
    tmp_path: Path, body: str, needle: str, what: str
) -> None:
    path = write(tmp_path, body, "US-TARIFF" if "kind: tariff" in body else "US-EAR")
    err = error_of(path)
    assert err.line == line_of(path, needle) and f"not a field of {what}" in str(err), str(err)


def test_an_unknown_kind_names_the_kinds(tmp_path: Path) -> None:
    err = error_of(write(tmp_path, "    kind: licence_requirement\n"))
    assert err.field == "effects.0" and "license_requirement" in str(err)


def test_every_shipped_measure_loads_as_its_kind() -> None:
    registry = load_registry()
    classes = {
        "tariff": TariffEffect,
        "tariff_exclusion": TariffEffect,
        "de_minimis": TariffEffect,
        "milestone": MilestoneEffect,
        "table_change": TableChangeEffect,
    }
    effects = [e for m in registry.measures.values() for e in m.effects]
    assert len(registry.measures) >= 200 and len(effects) > 500
    for e in effects:
        assert type(e) is classes.get(e.kind, ControlEffect), e.id
        assert isinstance(
            e.scope, TariffScope if isinstance(e, TariffEffect) else ControlScope
        ) or isinstance(e, MilestoneEffect | TableChangeEffect)
    assert bundled_dirs()[0].is_dir()


def test_an_amended_effect_keeps_its_kind_through_a_round_trip() -> None:
    e = EFFECT.validate_python(
        {"id": "x", "kind": "tariff", "effective": "2020-01-01", "program": "section_301"}
    )
    again = EFFECT.validate_python({**e.model_dump(), "rate_pct": 10.0})
    assert isinstance(again, TariffEffect) and again.rate_pct == 10.0 and again.control_reason is None


def test_the_vocabulary_file_is_strict() -> None:
    vocab = vocabulary()
    assert "MEU" in vocab.control_reasons and "section_301" in vocab.programs
    assert vocab.unknown("end_uses", ["advanced-node-ic-production", "Military"]) == []

"""The regime on a date: each action kind, two times, provenance, determinism (fixture registry)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from exportctl.errors import InputError, RegistryError
from exportctl.registry import Registry, compile_regime, load_registry

D = dt.date.fromisoformat


def form(reg: Registry, day: str, ref: str, known_on: str | None = None) -> tuple[str, object] | None:
    """('active'|'suspended', effect) of `ref` on `day`, or None when it does not apply."""
    regime = compile_regime(reg, day, known_on=known_on)
    for item in regime.effects():
        if item.ref == ref:
            return ("active", item)
    for item in regime.suspended():
        if item.ref == ref:
            return ("suspended", item)
    return None


def rate(reg: Registry, day: str, ref: str = "fx-tariff-base#layer") -> float | None:
    found = form(reg, day, ref)
    if found is None or found[0] != "active":
        return None
    return found[1].effect.rate_pct  # type: ignore[attr-defined, no-any-return]


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("2025-02-03", None),
        ("2025-02-04", 10.0),
        ("2025-03-03", 10.0),
        ("2025-03-04", 20.0),
        ("2025-05-13", 20.0),
    ],
)
def test_effect_starts_on_effective_and_amend_changes_rate(
    basic: Registry, day: str, expected: float | None
) -> None:
    assert rate(basic, day) == expected


def test_amend_provenance(basic: Registry) -> None:
    _, item = form(basic, "2025-03-04", "fx-tariff-base#layer") or (None, None)
    assert item.provenance == ["fx-tariff-base", "fx-tariff-hike#raise"]  # type: ignore[union-attr]
    assert item.interval.start == D("2025-03-04")  # type: ignore[union-attr]
    _, before = form(basic, "2025-03-03", "fx-tariff-base#layer") or (None, None)
    assert before.provenance == ["fx-tariff-base"]  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("day", "state"),
    [
        ("2025-05-13", "active"),
        ("2025-05-14", "suspended"),  # suspension starts on its effective date
        ("2025-08-11", "suspended"),
        ("2025-08-12", "suspended"),  # the extension moved the end from 08-12 ...
        ("2025-11-09", "suspended"),
        ("2025-11-10", "active"),  # ... to 11-10: the layer comes back, amended rate intact
    ],
)
def test_suspend_and_extend_of_the_suspension(basic: Registry, day: str, state: str) -> None:
    found = form(basic, day, "fx-tariff-base#layer")
    assert found is not None and found[0] == state
    if state == "suspended":
        assert "fx-truce#pause" in found[1].provenance  # type: ignore[attr-defined]
    else:
        assert found[1].effect.rate_pct == 20.0  # type: ignore[attr-defined]


def test_extension_not_yet_known_leaves_original_end(basic: Registry) -> None:
    # known on 2025-08-10 the pause ends on 2025-08-12 (the extension was published 2025-08-11)
    assert form(basic, "2025-08-12", "fx-tariff-base#layer", known_on="2025-08-10")[0] == "active"  # type: ignore[index]
    assert form(basic, "2025-08-12", "fx-tariff-base#layer", known_on="2025-08-11")[0] == "suspended"  # type: ignore[index]


@pytest.mark.parametrize(
    ("day", "active"),
    [
        ("2025-04-08", False),
        ("2025-04-09", True),
        ("2025-07-02", True),
        ("2025-07-03", False),
        ("2026-01-01", False),
    ],
)
def test_lift_ends_for_good(basic: Registry, day: str, active: bool) -> None:
    assert (form(basic, day, "fx-letter#licence") is not None) is active


def test_known_on_hides_letter_until_public(basic: Registry) -> None:
    # the letter bound from 04-09 but became public on 04-15
    assert form(basic, "2025-04-10", "fx-letter#licence", known_on="2025-04-14") is None
    assert form(basic, "2025-04-10", "fx-letter#licence", known_on="2025-04-15") is not None
    # default known_on is everything the registry knows
    regime = compile_regime(basic, "2025-04-10")
    assert regime.known_on == basic.known_through == D("2026-03-01")
    assert any(a.ref == "fx-letter#licence" for a in regime.effects())


def test_known_on_hides_a_lift_not_yet_public(basic: Registry) -> None:
    assert form(basic, "2025-07-05", "fx-letter#licence", known_on="2025-07-02") is not None
    assert form(basic, "2025-07-05", "fx-letter#licence", known_on="2025-07-03") is None


@pytest.mark.parametrize(
    ("day", "waived"),
    [("2025-05-31", []), ("2025-06-01", ["Acme Co"]), ("2025-08-31", ["Acme Co"]), ("2025-09-01", [])],
)
def test_waive_for_named_parties(basic: Registry, day: str, waived: list[str]) -> None:
    _, item = form(basic, day, "fx-entity#listing") or (None, None)
    assert item.waived_parties == waived  # type: ignore[union-attr]
    assert ("fx-waiver#acme" in item.provenance) is bool(waived)  # type: ignore[union-attr]
    assert item.effect.scope.parties == ["Acme Co", "Beta Ltd"]  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("day", "policy"),
    [
        ("2025-07-13", "presumption of denial"),
        ("2025-07-14", "case-by-case"),
        ("2025-07-31", "case-by-case"),
        ("2025-08-01", "approval"),
        ("2026-01-01", "approval"),
    ],
)
def test_phase_out_applies_each_phase_on_its_date(basic: Registry, day: str, policy: str) -> None:
    _, item = form(basic, day, "fx-policy#policy") or (None, None)
    assert item.effect.review_policy == policy  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("day", "active"),
    [("2025-05-31", True), ("2025-06-01", True), ("2025-06-30", True), ("2025-07-01", False)],
)
def test_sunset_extended(basic: Registry, day: str, active: bool) -> None:
    assert (form(basic, day, "fx-cn-retaliation#duty") is not None) is active


def test_sunset_without_extension_as_known_before_it(basic: Registry) -> None:
    # before the extension was public (05-30), the duty ended on the sunset date 06-01
    assert form(basic, "2025-06-01", "fx-cn-retaliation#duty", known_on="2025-05-29") is None
    assert form(basic, "2025-05-31", "fx-cn-retaliation#duty", known_on="2025-05-29") is not None


@pytest.mark.parametrize(
    ("day", "state"),
    [
        ("2025-11-08", "active"),
        ("2025-11-09", "suspended"),
        ("2026-02-28", "suspended"),
        ("2026-03-01", "active"),
    ],
)
def test_resume_ends_an_open_suspension(basic: Registry, day: str, state: str) -> None:
    found = form(basic, day, "fx-cn-ban#ban")
    assert found is not None and found[0] == state
    if day == "2026-03-01":
        assert "fx-cn-ban-resumption#back" in found[1].provenance  # type: ignore[attr-defined]


def test_resume_not_yet_known_leaves_suspension(basic: Registry) -> None:
    assert form(basic, "2026-03-01", "fx-cn-ban#ban", known_on="2026-02-28")[0] == "suspended"  # type: ignore[index]


def test_threatened_measure_never_applies(basic: Registry) -> None:
    for day in ("2025-11-01", "2026-06-01"):
        regime = compile_regime(basic, day)
        assert "fx-threat" not in regime.measures
        assert all(a.measure.id != "fx-threat" for a in regime.effects() + regime.suspended())


def test_filters_by_kind_and_jurisdiction(basic: Registry) -> None:
    regime = compile_regime(basic, "2025-04-10")
    assert [a.ref for a in regime.effects(kind="tariff")] == [
        "fx-cn-retaliation#duty",
        "fx-tariff-base#layer",
    ]
    assert [a.ref for a in regime.effects(kind="tariff", jurisdiction="CN-TARIFF")] == [
        "fx-cn-retaliation#duty"
    ]
    assert regime.effects(jurisdiction="US-OFAC") == []


def test_regime_id_depends_on_each_input(basic: Registry) -> None:
    a = compile_regime(basic, "2025-04-10")
    assert compile_regime(basic, D("2025-04-10")) is a  # cached
    assert (
        compile_regime(
            load_registry([Path(basic.files["fx-truce"]).parents[1]], bundled=False), "2025-04-10"
        ).id
        == a.id
    )
    ids = {
        a.id,
        compile_regime(basic, "2025-04-11").id,
        compile_regime(basic, "2025-04-10", known_on="2025-04-10").id,
    }
    assert len(ids) == 3
    assert len(a.id) == 64


def test_coverage(basic: Registry) -> None:
    assert not compile_regime(basic, "2024-12-01").covered
    assert compile_regime(basic, "2024-12-02").covered


def test_bad_dates_are_input_errors(basic: Registry) -> None:
    with pytest.raises(InputError) as info:
        compile_regime(basic, "2025-13-01")
    assert info.value.field == "as_of"
    with pytest.raises(InputError) as info:
        compile_regime(basic, "2025-01-01", known_on="yesterday")
    assert info.value.field == "known_on"


def test_to_dict_is_plain(basic: Registry) -> None:
    doc = compile_regime(basic, "2025-06-15").to_dict()
    assert doc["as_of"] == D("2025-06-15")
    assert {"ref": "fx-tariff-base#layer"}.items() <= doc["suspended"][0].items()


def _copy(tmp_path: Path, basic_dir: Path) -> Path:
    dst = tmp_path / "reg"
    shutil.copytree(basic_dir, dst)
    return dst


def test_dangling_target_is_an_error_at_compile(tmp_path: Path, basic_dir: Path) -> None:
    root = _copy(tmp_path, basic_dir)
    path = root / "US-TARIFF" / "fx-tariff-hike.yaml"
    path.write_text(path.read_text().replace("fx-tariff-base#layer", "fx-tariff-base#lay"))
    reg = load_registry([root], bundled=False)
    with pytest.raises(RegistryError, match="has no effect or action 'lay'") as info:
        compile_regime(reg, "2025-04-01")
    assert "layer" in info.value.suggestions


def test_amending_an_unamendable_field_is_an_error(tmp_path: Path, basic_dir: Path) -> None:
    root = _copy(tmp_path, basic_dir)
    path = root / "US-TARIFF" / "fx-tariff-hike.yaml"
    path.write_text(path.read_text().replace("rate_pct: 20.0", "kind: prohibition"))
    with pytest.raises(RegistryError, match="cannot be amended"):
        compile_regime(load_registry([root], bundled=False), "2025-04-01")


def test_lift_before_start_means_never_active(tmp_path: Path, basic_dir: Path) -> None:
    root = _copy(tmp_path, basic_dir)
    path = root / "US-EAR" / "fx-letter-lift.yaml"
    path.write_text(path.read_text().replace("2025-07-03", "2025-04-01"))
    reg = load_registry([root], bundled=False)
    assert form(reg, "2025-04-10", "fx-letter#licence") is None


def test_lifting_a_suspension_measure_ends_the_suspension(tmp_path: Path, basic_dir: Path) -> None:
    root = _copy(tmp_path, basic_dir)
    (root / "US-TARIFF" / "fx-truce-lift.yaml").write_text(
        (root / "US-TARIFF" / "fx-truce-extension.yaml")
        .read_text()
        .replace("id: fx-truce-extension", "id: fx-truce-lift")
        .replace("action: extend", "action: lift")
        .replace("  new_end: 2025-11-10\n", "")
        .replace("target: fx-truce#pause", "target: fx-truce")
    )
    reg = load_registry([root], bundled=False)
    assert form(reg, "2025-08-10", "fx-tariff-base#layer")[0] == "suspended"  # type: ignore[index]
    assert form(reg, "2025-08-11", "fx-tariff-base#layer")[0] == "active"  # type: ignore[index]


def test_an_answer_as_known_on_a_day_survives_later_additions(tmp_path: Path, basic_dir: Path) -> None:
    """Replay: measures learned later do not change what a regime as known on an earlier day says."""
    root = _copy(tmp_path, basic_dir)
    later = root / "US-TARIFF" / "fx-later.yaml"
    later.write_text(
        (root / "US-TARIFF" / "fx-tariff-hike.yaml")
        .read_text()
        .replace("id: fx-tariff-hike", "id: fx-later")
        .replace("known_on: 2025-03-03", "known_on: 2025-09-01")
        .replace("rate_pct: 20.0", "rate_pct: 30.0")
    )
    grown = load_registry([root], bundled=False)
    for day in ("2025-03-10", "2025-06-01", "2025-12-01"):
        old = compile_regime(basic_dir_registry(basic_dir), day, known_on="2025-08-01")
        new = compile_regime(grown, day, known_on="2025-08-01")
        assert [(a.ref, a.effect, a.provenance, a.waived_parties) for a in old.effects()] == [
            (a.ref, a.effect, a.provenance, a.waived_parties) for a in new.effects()
        ]
        assert old.id != new.id  # the registry content differs, and the id says so
    rates = [a.effect.rate_pct for a in compile_regime(grown, "2025-03-10").effects(kind="tariff")]
    assert 30.0 in rates


def basic_dir_registry(basic_dir: Path) -> Registry:
    return load_registry([basic_dir], bundled=False)

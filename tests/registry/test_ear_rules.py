"""The EAR rules file (data/rules/us-ear.yaml): strict, dated, cited, and in step with the eCFR table."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from exportctl.errors import RegistryError
from exportctl.registry.rules import ear_rules, load_rules, rules_path
from exportctl.sources import ecfr


def test_bundled_rules_load_and_every_dated_rule_is_cited() -> None:
    rules = ear_rules()
    assert rules.exception("ACA").effective is not None and rules.exception("ACA").citations
    for rule in [*rules.military_end_use, *rules.military_end_use_all_items]:
        assert rule.citations, rule.id
        assert rule.effective is not None or rule.gap, f"{rule.id}: undated without a stated gap"


def test_unknown_key_fails_with_file_and_line(tmp_path: Path) -> None:
    text = rules_path().read_text(encoding="utf-8").replace("sme_items:\n", "sme_items:\n  colour: red\n", 1)
    bad = tmp_path / "us-ear.yaml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(RegistryError) as err:
        load_rules(bad)
    assert err.value.line is not None and "colour" in str(err.value)


def test_sections_agree_with_the_ecfr_exception_table(shared_data: Path) -> None:
    table = ecfr.parse_license_exceptions(
        shared_data / "ear-2026-07-23" / "license-exception-catalog.json"
    ).records
    ecfr_sections = dict(table.select("symbol", "section").iter_rows())
    for code, section in ear_rules().sections().items():
        assert ecfr_sections.get(code) == section, code


def test_hong_kong_follows_china_from_its_day() -> None:
    rules = ear_rules()
    assert rules.followers(dt.date(2020, 12, 22)) == {}
    assert rules.followers(dt.date(2020, 12, 23)) == {"CN": ["HK"]}
    assert rules.followers(None) == {"CN": ["HK"]}  # no day (a regime without a date): every rule


def test_regime_id_names_the_rules_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An edit of the EAR rules that changes what they say changes the regime id; comments do not."""
    import datetime as dt

    from exportctl.registry import compile_regime, load_registry
    from exportctl.registry.rules import ENV_RULES

    registry = load_registry()
    day = dt.date(2025, 5, 1)
    before = compile_regime(registry, day).id
    text = rules_path().read_text(encoding="utf-8")
    edited = text.replace("effective: 2023-11-17", "effective: 2023-11-18", 1)
    assert edited != text
    copy = tmp_path / "us-ear.yaml"
    copy.write_text(edited, encoding="utf-8")
    monkeypatch.setenv(ENV_RULES, str(copy))
    assert ear_rules().exception("ACA").effective == dt.date(2023, 11, 18)  # the engine reads the copy
    after = compile_regime(registry, day).id
    assert after != before
    comment_only = tmp_path / "comment.yaml"
    comment_only.write_text("# an expert's note\n" + text, encoding="utf-8")
    monkeypatch.setenv(ENV_RULES, str(comment_only))
    assert compile_regime(registry, day).id == before
    monkeypatch.delenv(ENV_RULES)
    assert compile_regime(registry, day).id == before


def test_one_reading_holds_one_version_of_the_rules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Within one_reading (a single check), the rules as read on entering it, however the file changes;
    after it, the file as it is now; a nested block keeps the outer one's."""
    from exportctl.registry.rules import ENV_RULES, ear_rules_hash, one_reading

    text = rules_path().read_text(encoding="utf-8")
    copy = tmp_path / "us-ear.yaml"
    copy.write_text(text, encoding="utf-8")
    monkeypatch.setenv(ENV_RULES, str(copy))
    before, before_hash = ear_rules(), ear_rules_hash()
    edited = tmp_path / "edited.yaml"
    edited.write_text(text.replace("effective: 2023-11-17", "effective: 2023-11-18", 1), encoding="utf-8")
    with one_reading():
        monkeypatch.setenv(ENV_RULES, str(edited))
        with one_reading():
            assert ear_rules() is before and ear_rules_hash() == before_hash
        assert ear_rules() is before
    assert ear_rules().exception("ACA").effective == dt.date(2023, 11, 18)
    assert ear_rules_hash() != before_hash

"""The loader: strict schema, errors with file, line and field, registry-wide checks."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from exportctl.errors import RegistryError
from exportctl.registry import Registry, load_measure_file, load_registry

GOOD = """\
id: fx-one
title: One
jurisdiction: US-EAR
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
  - id: req
    kind: license_requirement
    effective: 2025-01-03
"""


def write(tmp_path: Path, text: str, name: str = "fx-one.yaml", sub: str = "US-EAR") -> Path:
    folder = tmp_path / sub
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def error_of(path: Path) -> RegistryError:
    with pytest.raises(RegistryError) as info:
        load_measure_file(path)
    return info.value


def test_basic_fixture_loads_sorted_with_claims(basic: Registry) -> None:
    assert len(basic.measures) == 17
    assert list(basic.measures) == sorted(basic.measures)
    assert {c.claim.id for c in basic.claims} == {"fx-report-1", "fx-report-2"}
    assert basic.files["fx-truce"].endswith("US-TARIFF/fx-truce.yaml")
    assert basic.known_through == dt.date(2026, 3, 1)
    # coverage starts at the earliest effective date of a measure that is not a mere threat
    assert basic.coverage.start == dt.date(2024, 12, 2) and basic.coverage.end is None


def test_content_hash_is_stable_and_tracks_content(tmp_path: Path, basic: Registry, basic_dir: Path) -> None:
    again = load_registry([basic_dir], bundled=False)
    assert again.content_hash == basic.content_hash
    copy = tmp_path / "copy"
    shutil.copytree(basic_dir, copy)
    path = copy / "US-TARIFF" / "fx-tariff-base.yaml"
    path.write_text(path.read_text().replace("rate_pct: 10.0", "rate_pct: 11.0"))
    assert load_registry([copy], bundled=False).content_hash != basic.content_hash


def test_good_file_loads(tmp_path: Path) -> None:
    measure = load_measure_file(write(tmp_path, GOOD))
    assert measure.id == "fx-one" and measure.effects[0].effective == dt.date(2025, 1, 3)


def test_unknown_key_names_file_line_and_field(tmp_path: Path) -> None:
    path = write(
        tmp_path, GOOD.replace("    effective: 2025-01-03\n", "    effective: 2025-01-03\n    rate: 5\n")
    )
    err = error_of(path)
    assert err.file == str(path) and err.line == 18 and err.field == "effects.0.rate"
    assert "unknown key 'rate'" in err.message
    assert err.one_line().startswith(f"{path}:18, field 'effects.0.rate': unknown key")


def test_top_level_unknown_key(tmp_path: Path) -> None:
    err = error_of(write(tmp_path, GOOD + "colour: red\n"))
    assert (err.line, err.field) == (18, "colour")


def test_wrong_type_names_line(tmp_path: Path) -> None:
    err = error_of(write(tmp_path, GOOD.replace("status: in_force", "status: valid")))
    assert err.line == 7 and err.field == "status" and "'valid'" in err.message


def test_quoted_date_is_rejected_with_a_hint(tmp_path: Path) -> None:
    err = error_of(write(tmp_path, GOOD.replace("known_on: 2025-01-02", 'known_on: "2025-01-02"')))
    assert err.line == 6 and err.field == "known_on" and "YYYY-MM-DD" in err.message


def test_impossible_date_names_line(tmp_path: Path) -> None:
    err = error_of(
        write(tmp_path, GOOD.replace("effective: 2025-01-03\ncitations", "effective: 2025-02-30\ncitations"))
    )
    assert err.line == 9 and "2025-02-30" in err.message


def test_datetime_is_not_a_date(tmp_path: Path) -> None:
    err = error_of(write(tmp_path, GOOD.replace("known_on: 2025-01-02", "known_on: 2025-01-02 10:00:00")))
    assert err.field == "known_on" and err.line == 6


def test_missing_required_key(tmp_path: Path) -> None:
    err = error_of(write(tmp_path, GOOD.replace("title: One\n", "")))
    assert err.field == "title" and "missing required key" in err.message


def test_effect_end_before_effective_is_an_error(tmp_path: Path) -> None:
    text = GOOD + "    end: 2025-01-01\n"
    err = error_of(write(tmp_path, text))
    assert err.field == "effects.0" and err.line == 15 and "not after effective" in err.message


def test_duplicate_yaml_key_is_an_error(tmp_path: Path) -> None:
    err = error_of(write(tmp_path, GOOD.replace("status: in_force\n", "status: in_force\nstatus: ended\n")))
    assert err.line == 8 and err.field == "status" and "duplicate key" in err.message


def test_yaml_syntax_error_names_line(tmp_path: Path) -> None:
    err = error_of(write(tmp_path, GOOD.replace("title: One", "title: [One")))
    assert err.line is not None and "YAML syntax" in err.message


def test_not_a_mapping(tmp_path: Path) -> None:
    err = error_of(write(tmp_path, "- a\n- b\n"))
    assert "expected a mapping" in err.message and err.line == 1


def test_duplicate_measure_ids_across_files(tmp_path: Path) -> None:
    write(tmp_path, GOOD)
    second = write(tmp_path, GOOD, name="fx-other.yaml", sub="US-OFAC")
    with pytest.raises(RegistryError, match="duplicate measure id 'fx-one'") as info:
        load_registry([tmp_path], bundled=False)
    assert info.value.file == str(second)


def test_collect_gathers_every_file_error(tmp_path: Path) -> None:
    write(tmp_path, GOOD)
    write(tmp_path, GOOD.replace("fx-one", "fx-two") + "bogus: 1\n", name="fx-two.yaml")
    write(tmp_path, "id: [\n", name="fx-three.yaml")
    reg = load_registry([tmp_path], bundled=False, collect=True)
    assert list(reg.measures) == ["fx-one"]
    assert sorted(Path(e.file or "").name for e in reg.load_errors) == ["fx-three.yaml", "fx-two.yaml"]


def test_claim_file_must_be_a_list(tmp_path: Path) -> None:
    write(tmp_path, GOOD)
    write(tmp_path, "id: x\n", name="c.yaml", sub="claims")
    with pytest.raises(RegistryError, match="a claim file is a YAML list"):
        load_registry([tmp_path], bundled=False)


def test_claim_error_names_line_in_claim_file(tmp_path: Path) -> None:
    write(tmp_path, GOOD)
    path = write(
        tmp_path,
        "- id: c1\n  text: t\n  source: {title: s}\n  verdict: consistent\n  why: w\n"
        "- id: c2\n  text: t\n  source: {title: s}\n  verdict: maybe\n  why: w\n",
        name="c.yaml",
        sub="claims",
    )
    with pytest.raises(RegistryError) as info:
        load_registry([tmp_path], bundled=False)
    assert info.value.file == str(path) and info.value.line == 9 and info.value.field == "verdict"


def test_settings_file_sets_coverage(tmp_path: Path) -> None:
    write(tmp_path, GOOD)
    (tmp_path / "registry.yaml").write_text("coverage: {start: 2018-01-01}\n")
    reg = load_registry([tmp_path], bundled=False)
    # the end is per family now (families[].researched_through): the registry-wide span is open-ended
    assert reg.coverage.start == dt.date(2018, 1, 1) and reg.coverage.end is None and reg.last_day is None
    (tmp_path / "registry.yaml").write_text("coverage: {start: 2018-01-01, end: 2027-01-01}\n")
    with pytest.raises(RegistryError, match="researched_through") as info:
        load_registry([tmp_path], bundled=False)
    assert info.value.field == "coverage"
    (tmp_path / "registry.yaml").write_text("coverage: {start: 2018-01-01}\nfoo: 1\n")
    with pytest.raises(RegistryError, match="unknown key 'foo'"):
        load_registry([tmp_path], bundled=False)


def test_extra_dir_must_exist(tmp_path: Path) -> None:
    with pytest.raises(RegistryError, match="not a directory"):
        load_registry([tmp_path / "nope"], bundled=False)


def test_measure_lookup_suggests(basic: Registry) -> None:
    with pytest.raises(RegistryError) as info:
        basic.measure("fx-tarif-base")
    assert "fx-tariff-base" in info.value.suggestions


def test_bundled_registry_loads() -> None:
    reg = load_registry()
    assert reg.measures and all(m.citations for m in reg.measures.values())


def test_value_outside_a_fixed_list_suggests_the_closest(tmp_path: Path) -> None:
    err = error_of(write(tmp_path, GOOD.replace("status: in_force", "status: in-force")))
    assert err.suggestions[0] == "in_force"
    err = error_of(write(tmp_path, GOOD.replace("authority: BIS", "authority: MOFCOM/GACC")))
    assert "MOFCOM/GAC" in err.suggestions
    assert "did you mean: MOFCOM/GAC" in err.one_line()


def test_claim_files_do_not_change_the_content_hash(tmp_path: Path, basic: Registry, basic_dir: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(basic_dir, copy)
    path = copy / "claims" / "fx-report.yaml"
    path.write_text(path.read_text().replace("in March 2025", "in early March 2025"))
    again = load_registry([copy], bundled=False)
    assert again.content_hash == basic.content_hash
    assert again.claims_hash != basic.claims_hash


FAMILIES = """families:
  - jurisdiction: US-TARIFF
    family: section-301
    description: Section 301
    researched_through: 2026-07-31
    sources: [{title: USTR, checked: 2026-07-31}]
"""


def test_every_bundled_measure_names_a_listed_family() -> None:
    reg = load_registry()
    listed = {(f.jurisdiction, f.family) for f in reg.settings.families}
    assert all((m.jurisdiction, m.family) in listed for m in reg.measures.values())


def test_a_family_not_listed_is_a_load_error_naming_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD)
    (tmp_path / "registry.yaml").write_text(FAMILIES)
    load_registry([tmp_path], bundled=False)  # no family on a measure of an extra directory: allowed
    text = path.read_text().replace("jurisdiction: US-EAR", "jurisdiction: US-EAR\nfamily: sectoin-301")
    path.write_text(text)
    with pytest.raises(RegistryError, match="sectoin-301") as info:
        load_registry([tmp_path], bundled=False)
    assert info.value.field == "family" and info.value.file == str(path)

"""The sources catalog: every known source, and which parser a file or folder needs."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exportctl.errors import DataError
from exportctl.sources.catalog import SOURCES, by_name, detect, detect_all, parse_path, schema_of


def test_every_spec_resolves() -> None:
    names = {s.name for s in SOURCES}
    assert names == {
        "csl",
        "ofac_sdn",
        "ofac_cons",
        "bis_dpl",
        "bis_entity_list",
        "bis_meu",
        "cn_parties",
        "cn_dual_use_hs",
        "ccl",
        "country_chart",
        "country_groups",
        "license_exceptions",
        "hts",
        "ofac_sdn_dates",
    }
    for spec in SOURCES:
        assert callable(spec.parser)
        assert "src_file" in spec.required_columns and "src_line" in spec.required_columns
        assert spec.formats and spec.title


def test_default_paths_exist(shared_data: Path) -> None:
    for spec in SOURCES:
        if spec.default_path:
            assert (shared_data / spec.default_path).exists(), spec.default_path


@pytest.mark.parametrize(
    ("rel", "name", "func"),
    [
        ("csl-2026-07-31/screening-list.json", "csl", "parse_csl_compact"),
        ("csl-official-samples/csl_2019_sample.csv", "csl", "parse_csl_csv"),
        ("csl-official-samples/csl_2025_sample_consolidated.csv", "csl", "parse_csl_csv"),
        ("ofac-sdn-2024-05-03", "ofac_sdn", "parse_sdn"),
        ("ofac-sdn-2021-07/sdn.csv", "ofac_sdn", "parse_sdn"),
        ("ofac-consolidated-2025-12", "ofac_cons", "parse_consolidated"),
        ("bis-dpl-official/dpl_2019.txt", "bis_dpl", "parse_dpl_txt"),
        ("bis-lists-2026-07/bis_entity_list.json", "bis_entity_list", "parse_entity_list"),
        ("bis-lists-2026-07/bis_meu.json", "bis_meu", "parse_meu"),
        ("bis-lists-2026-07/bis_dpl.json", "bis_dpl", "parse_bis_dpl_json"),
        ("china-2026-07/cn_entity_lists.json", "cn_parties", "parse_cn_parties"),
        ("china-2026-07/dual_use_hs_codes_2026.json", "cn_dual_use_hs", "parse_cn_dual_use_hs"),
        ("ear-2026-07-23/ccl.json", "ccl", "parse_ccl"),
        ("ear-2026-07-23/country-chart.json", "country_chart", "parse_country_chart"),
        ("ear-2026-07-23/country-groups.json", "country_groups", "parse_country_groups"),
        ("ear-2026-07-23/license-exception-catalog.json", "license_exceptions", "parse_license_exceptions"),
        ("hts-2025-json", "hts", "parse_hts_json"),
        ("hts-2024-basic", "hts", "parse_hts_csv"),
    ],
)
def test_detect_shared_snapshots(shared_data: Path, rel: str, name: str, func: str) -> None:
    spec = detect(shared_data / rel)
    assert (spec.name, spec.target.rsplit(":", 1)[1]) == (name, func)


def test_detect_by_content_under_other_names(fixtures: Path, tmp_path: Path) -> None:
    pairs = {
        "csl/consolidated-bulk.json": "parse_csl_json",
        "csl/screening-list-cut.json": "parse_csl_compact",
        "dpl/dpl_2022_cut.txt": "parse_dpl_txt",
        "bis/bis_meu.json": "parse_meu",
        "china/cn_entity_lists.json": "parse_cn_parties",
        "ofac/sdn-2021-07-cut/sdn.csv": "parse_sdn",
    }
    for i, (rel, func) in enumerate(pairs.items()):
        suffix = Path(rel).suffix
        copy = tmp_path / f"download-{i}{suffix}"
        shutil.copy(fixtures / rel, copy)
        assert detect(copy).target.endswith(func), rel


def test_detect_ecfr_xml(fixtures: Path, tmp_path: Path) -> None:
    for rel in (
        "ecfr/part738_supp1_sample.xml",
        "ecfr/part738_supp1_gpotable.xml",
        "sync/ecfr-title-15-part-738.xml",
    ):
        assert detect(fixtures / rel).target.endswith("parse_country_chart_xml"), rel
    other = tmp_path / "ecfr-2026-07-23-title-15-part-774.xml"
    other.write_text('<?xml version="1.0"?><DIV5 N="774" TYPE="PART"><HEAD>PART 774</HEAD></DIV5>')
    assert detect_all(other) == []


def test_folder_with_several_sources(shared_data: Path) -> None:
    found = detect_all(shared_data / "ear-2026-07-23")
    assert sorted(s.name for s, _ in found) == [
        "ccl",
        "country_chart",
        "country_groups",
        "license_exceptions",
    ]
    with pytest.raises(DataError, match="several sources") as err:
        detect(shared_data / "ear-2026-07-23")
    assert err.value.field == "path"


def test_unknown_and_missing(tmp_path: Path) -> None:
    odd = tmp_path / "notes.txt"
    odd.write_text("hello\n")
    with pytest.raises(DataError) as err:
        detect(odd)
    assert (err.value.file, err.value.field) == (str(odd), "path")
    with pytest.raises(DataError, match="no such file"):
        detect(tmp_path / "absent.csv")
    with pytest.raises(DataError):
        parse_path(tmp_path)


def test_parse_path_parses_every_file(fixtures: Path) -> None:
    tables = parse_path(fixtures / "bis")
    assert sorted((t.name, t.rows) for t in tables) == [
        ("bis_dpl", 27),
        ("bis_entity_list", 27),
        ("bis_meu", 25),
    ]
    (sdn,) = parse_path(fixtures / "ofac" / "sdn-2021-07-cut", date="2021-07-07")
    assert (sdn.name, sdn.date, sdn.rows) == ("ofac_sdn", "2021-07-07", 45)


def test_schema_of() -> None:
    assert list(schema_of("csl"))[:4] == ["list", "list_name", "entity_id", "name"]
    assert "entity_id" in schema_of("ofac_sdn")
    assert by_name("bis_dpl").target.endswith("parse_dpl_txt")
    with pytest.raises(KeyError):
        schema_of("nope")


@settings(max_examples=60, deadline=None)
@given(
    data=st.binary(max_size=400),
    name=st.sampled_from(["x.json", "x.csv", "x.txt", "x.xml", "sdn.csv", "bis_meu.json", "dpl.txt", "x"]),
)
def test_detect_never_crashes(data: bytes, name: str) -> None:
    """Any bytes under any name: a spec, or a DataError naming the file; parsing it then never crashes."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        try:
            tables = parse_path(path, date="2024-01-01")
        except DataError as err:
            assert err.file is not None and err.file.startswith(tmp)
        else:
            assert all(t.rows > 0 for t in tables)

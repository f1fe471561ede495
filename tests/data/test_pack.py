"""The bundled data pack: what is committed matches its manifest, loads offline, and rebuilds identically."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import shutil
import sys
from pathlib import Path
from types import ModuleType

import pytest

from exportctl.data.pack import PACK_DIR, load_pack, pack_manifest
from exportctl.errors import DataError
from exportctl.sources.catalog import schema_of

REPO = Path(__file__).resolve().parents[2]
EXPECTED_ROWS = {
    "csl": 25_921,
    "ofac_sdn": 14_965,
    "ofac_cons": 442,
    "ofac_sdn_dates": 19_181,
    "bis_entity_list": 3_409,
    "bis_meu": 70,
    "bis_dpl": 564,
    "cn_parties": 254,
    "cn_dual_use_hs": 636,
    "ccl": 633,
    "country_chart": 3_232,
    "country_groups": 497,
    "license_exceptions": 28,
    "hts": 35_810,
}


def builder() -> ModuleType:
    """scripts/build_datapack.py as a module."""
    spec = importlib.util.spec_from_file_location("build_datapack", REPO / "scripts" / "build_datapack.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["build_datapack"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_manifest_matches_committed_files() -> None:
    manifest = pack_manifest()
    rows = {s["name"]: s["rows"] for s in manifest["sources"]}
    assert rows == EXPECTED_ROWS
    total = 0
    for entry in manifest["sources"]:
        path = PACK_DIR / entry["file"]
        data = path.read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"], entry["name"]
        assert len(data) == entry["bytes"]
        assert entry["attribution"], entry["name"]
        assert entry["date"] and entry["title"] and entry["format"]
        total += len(data)
    assert total <= 15_000_000
    names = {p.name for p in PACK_DIR.iterdir() if p.suffix == ".parquet"}
    assert names == {s["file"] for s in manifest["sources"]}  # no stray or missing files


def test_load_pack_gives_every_table_with_its_schema() -> None:
    tables = {t.name: t for t in load_pack()}
    assert {n: t.rows for n, t in tables.items()} == EXPECTED_ROWS
    for name, table in tables.items():
        assert list(table.records.columns) == list(schema_of(name)), name
        assert "src_file" in table.records.columns and "src_line" in table.records.columns
    csl = tables["csl"]
    assert (csl.title, csl.date, csl.format) == (
        "Consolidated Screening List",
        "2026-07-31",
        "csl-compact-json",
    )
    assert tables["ofac_sdn"].date == "2024-05-03"
    assert tables["ofac_cons"].date == "2025-12-19"
    el = csl.records.filter(csl.records["list"] == "EL")
    assert el.height == 3_420 and el["license_policy"].null_count() == 0


def test_attribution_file_names_every_snapshot() -> None:
    text = (PACK_DIR / "ATTRIBUTION.md").read_text(encoding="utf-8")
    for entry in pack_manifest()["sources"]:
        assert entry["snapshot"].split("/")[0] in text
    assert "MIT" in text and "Apache-2.0" in text


def test_manifest_notes_the_sdn_gap() -> None:
    sdn = next(s for s in pack_manifest()["sources"] if s["name"] == "ofac_sdn")
    assert "alt.csv" in sdn["note"]


def test_damaged_pack_fails_closed(tmp_path: Path) -> None:
    for f in PACK_DIR.iterdir():
        if f.suffix in (".parquet", ".json"):
            shutil.copy(f, tmp_path / f.name)
    assert len(load_pack(tmp_path)) == len(EXPECTED_ROWS)
    target = tmp_path / "bis_meu.parquet"
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 0xFF
    target.write_bytes(bytes(data))
    with pytest.raises(DataError) as err:
        load_pack(tmp_path)
    assert err.value.field == "sha256" and err.value.file == str(target)
    target.unlink()
    with pytest.raises(DataError, match="missing"):
        load_pack(tmp_path)
    (tmp_path / "manifest.json").write_text("{not json")
    with pytest.raises(DataError, match="manifest"):
        pack_manifest(tmp_path)


def test_rebuild_is_byte_identical(shared_data: Path, tmp_path: Path) -> None:
    """The small sources rebuilt from ../shared/data give the committed bytes (the whole pack: --check), or,
    written by another release of polars than the pack was, the same tables."""
    build = builder()
    only = {"cn_dual_use_hs", "cn_parties", "bis_meu", "license_exceptions", "country_groups"}
    manifest = build.build(shared_data, tmp_path, only=only)
    committed = {s["name"]: s for s in pack_manifest()["sources"]}
    for entry in manifest["sources"]:
        built, kept = tmp_path / entry["file"], PACK_DIR / entry["file"]
        assert build.same_file(built, kept), entry["name"]
        if build.writer(built) == build.writer(kept):  # the same writer: the same bytes, the same entry
            assert entry == committed[entry["name"]], entry["name"]
            assert built.read_bytes() == kept.read_bytes()
        else:  # another release of the writer: the same table and entry, but for the file's size and hash
            drop = ("bytes", "sha256")
            assert {k: v for k, v in entry.items() if k not in drop} == {
                k: v for k, v in committed[entry["name"]].items() if k not in drop
            }, entry["name"]
    assert json.loads((tmp_path / "manifest.json").read_text())["pack_version"] == 1


def test_fr_page_table_matches_its_build(shared_data: Path) -> None:
    """src/exportctl/data/federal_register/pages.csv is what scripts/build_fr_pages.py makes of its inputs."""
    spec = importlib.util.spec_from_file_location("build_fr_pages", REPO / "scripts" / "build_fr_pages.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    kept, _dropped = module.anchors(shared_data)
    assert module.render(kept) == module.OUT.read_text(encoding="utf-8")

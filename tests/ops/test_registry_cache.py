"""The compiled registry kept on disk (ops.registry_cache): the same registry as a fresh load, and never a
stale one: editing, adding or removing a measure file, or tampering with the cached file, is seen."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from exportctl.ops import registry_cache
from exportctl.registry import loader
from exportctl.registry.loader import load_registry

MEASURE = "US-TARIFF/us-tariff-2018-07-06-s301-list1.yaml"


@pytest.fixture
def bundled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the bundled measures and claims read as the bundled ones, with a cache of its own."""
    mdir, cdir = loader.bundled_dirs()
    shutil.copytree(mdir, tmp_path / "measures")
    shutil.copytree(cdir, tmp_path / "claims")
    dirs = (tmp_path / "measures", tmp_path / "claims")
    monkeypatch.setattr(loader, "bundled_dirs", lambda: dirs)
    monkeypatch.setenv("EXPORTCTL_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "measures"


def _no_load() -> loader.Registry:
    raise AssertionError("the cached file was not used")


def _rate(reg: loader.Registry) -> float | None:
    return reg.measures["us-tariff-2018-07-06-s301-list1"].effects[0].rate_pct


def test_cached_equals_loaded(bundled: Path) -> None:
    fresh = load_registry()
    first = registry_cache.cached_registry()  # builds and stores
    assert registry_cache.cache_path(registry_cache.registry_key()).is_file()
    with pytest.MonkeyPatch.context() as mp:  # read back from the file, not loaded again
        mp.setattr(registry_cache, "load_registry", _no_load)
        again = registry_cache.cached_registry()
    assert again is not first
    assert again.content_hash == fresh.content_hash
    assert again.claims_hash == fresh.claims_hash
    assert list(again.measures.values()) == list(fresh.measures.values())
    assert again.files == fresh.files and again.settings == fresh.settings
    assert again.claims == fresh.claims
    assert again._cache == {} and again.load_errors == []


def test_editing_a_measure_file_invalidates(bundled: Path) -> None:
    before = registry_cache.cached_registry()
    key = registry_cache.registry_key()
    path = bundled / MEASURE
    text = path.read_text(encoding="utf-8")
    assert "rate_pct: 25\n" in text
    path.write_text(text.replace("rate_pct: 25\n", "rate_pct: 26\n", 1), encoding="utf-8")
    assert registry_cache.registry_key() != key
    after = registry_cache.cached_registry()
    assert _rate(before) == 25 and _rate(after) == 26
    assert after.content_hash != before.content_hash
    path.write_text(text, encoding="utf-8")  # back as it was: the first file answers again
    assert registry_cache.registry_key() == key
    assert _rate(registry_cache.cached_registry()) == 25


def test_removing_a_measure_file_invalidates(bundled: Path) -> None:
    registry_cache.cached_registry()
    (bundled / MEASURE).unlink()
    assert "us-tariff-2018-07-06-s301-list1" not in registry_cache.cached_registry().measures


def test_tampered_cache_file_is_rebuilt(bundled: Path) -> None:
    registry_cache.cached_registry()
    path = registry_cache.cache_path(registry_cache.registry_key())
    path.write_bytes(path.read_bytes() + b"x")  # the signature no longer matches
    assert _rate(registry_cache.cached_registry()) == 25
    assert registry_cache.cached_registry().content_hash == load_registry().content_hash

"""The EAR tables kept on disk (ops.ear_cache): the same tables as a fresh build, and never stale ones:
another data version, an edited rules file ($EXPORTCTL_EAR_RULES) or a tampered file is seen."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl
import pytest

from exportctl.engine.common.memo import Lru
from exportctl.engine.ear import tables as ear_tables
from exportctl.ops import ear_cache
from exportctl.ops.check import Context
from exportctl.registry import rules

WORLDWIDE = "words: 'worldwide|^(?!.*except).*all destinations'"


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache folder of the test's own, and no tables kept in memory from another test."""
    monkeypatch.setenv("EXPORTCTL_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(ear_cache, "_KEPT", Lru(4))
    monkeypatch.setattr(ear_tables, "_CACHE", {})
    return tmp_path / "cache"


def _no_build(ds: Any) -> ear_tables.EarTables:
    raise AssertionError("the kept files were not used")


def _sorted(frame: pl.DataFrame) -> pl.DataFrame:
    """Rows in one order (marks and groups are deduplicated by `unique`, whose order varies by build)."""
    flat = [c for c, t in frame.schema.items() if not isinstance(t, pl.List | pl.Struct)]
    return frame.sort(flat, nulls_last=True)


def _same(a: ear_tables.EarTables, b: ear_tables.EarTables) -> None:
    for name in ear_cache.FRAMES:
        assert _sorted(getattr(a, name)).equals(_sorted(getattr(b, name))), name
        assert getattr(a, name).schema == getattr(b, name).schema, name
    assert (a.footnotes, a.source, a.dates, a.exception_sections) == (
        b.footnotes,
        b.source,
        b.dates,
        b.exception_sections,
    )


class _Renamed:
    """The same tables under another data version (what importing a new version gives the key)."""

    def __init__(self, ds: Any, version: str) -> None:
        self._ds, self.version = ds, version

    def __getattr__(self, name: str) -> Any:
        return getattr(self._ds, name)


def test_kept_tables_equal_built(ctx: Context, cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    built = ear_tables.from_dataset(ctx.dataset)
    first = ear_cache.cached_tables(ctx.dataset)
    key = ear_cache.tables_key(str(ctx.dataset.version))
    assert (ear_cache.cache_dir(key) / "meta.json").is_file()
    monkeypatch.setattr(ear_cache, "_KEPT", Lru(4))  # a new process: read back from the files
    monkeypatch.setattr(ear_tables, "from_dataset", _no_build)
    again = ear_cache.cached_tables(ctx.dataset)
    assert again is not first
    _same(again, built)


def test_another_data_version_builds_again(ctx: Context, cache: Path) -> None:
    ear_cache.cached_tables(ctx.dataset)
    other = _Renamed(ctx.dataset, "f" * 64)
    assert ear_cache.tables_key(other.version) != ear_cache.tables_key(str(ctx.dataset.version))
    built: list[str] = []
    real = ear_tables.from_dataset

    def counted(ds: Any) -> ear_tables.EarTables:
        built.append(str(ds.version))
        return real(ds)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(ear_tables, "from_dataset", counted)
        ear_cache.cached_tables(other)
    assert built == [other.version]


def test_editing_the_rules_file_rebuilds(
    ctx: Context, cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = tmp_path / "us-ear.yaml"
    text = rules.bundled_rules_path().read_text(encoding="utf-8")
    assert WORLDWIDE in text
    copy.write_text(text, encoding="utf-8")
    monkeypatch.setenv(rules.ENV_RULES, str(copy))
    before = ear_cache.cached_tables(ctx.dataset)
    worldwide = before.rows.filter(pl.col("dest_rule") == "worldwide").height
    assert worldwide > 0
    # the expert edits the file in place: rows naming all destinations now send the reader to the text
    copy.write_text(text.replace(WORLDWIDE, "words: 'no row says this'"), encoding="utf-8")
    assert "worldwide" in rules.ear_rules().ccl_destination_words  # the edited file is read again
    assert rules.ear_rules().ccl_destination_words["worldwide"].words == "no row says this"
    after = ear_cache.cached_tables(ctx.dataset)
    assert after.rows.filter(pl.col("dest_rule") == "worldwide").height == 0
    # the tables kept in memory (per data version before) follow the edit too
    fresh = ear_tables.from_dataset(ctx.dataset)
    assert fresh.rows.filter(pl.col("dest_rule") == "worldwide").height == 0
    _same(after, fresh)
    # and the file put back: the first tables again, from their files
    copy.write_text(text, encoding="utf-8")
    monkeypatch.setattr(ear_cache, "_KEPT", Lru(4))
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(ear_tables, "from_dataset", _no_build)
        _same(ear_cache.cached_tables(ctx.dataset), before)


@pytest.mark.parametrize("damage", ["arrow", "meta", "missing"])
def test_a_tampered_or_torn_file_is_rebuilt(
    ctx: Context, cache: Path, monkeypatch: pytest.MonkeyPatch, damage: str
) -> None:
    first = ear_cache.cached_tables(ctx.dataset)
    folder = ear_cache.cache_dir(ear_cache.tables_key(str(ctx.dataset.version)))
    if damage == "arrow":  # a frame of someone else's, same shape: its hash is not the signed one
        first.marks.head(3).write_ipc(folder / "marks.arrow", compression="uncompressed")
    elif damage == "meta":
        (folder / "meta.json").write_text("{}", encoding="utf-8")
    else:
        (folder / "rows.arrow").unlink()
    monkeypatch.setattr(ear_cache, "_KEPT", Lru(4))
    assert ear_cache._read(folder) is None
    again = ear_cache.cached_tables(ctx.dataset)  # rebuilt, and kept again
    _same(again, first)
    assert ear_cache._read(folder) is not None


def test_a_dataset_without_a_version_is_never_kept(ctx: Context, cache: Path) -> None:
    unnamed = _Renamed(ctx.dataset, "")
    _same(ear_cache.cached_tables(unnamed), ear_tables.from_dataset(ctx.dataset))
    assert not (cache / "ear").exists()

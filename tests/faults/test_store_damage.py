"""A damaged store (#16 "Diagnostics crash on damage"): one clear error from every command, never a traceback.

Damage: a corrupted JSON cell, a truncated table, a missing source row, a missing blob, a damaged
timestamp, garbage bytes in a Parquet blob (Hypothesis), and bytes of the SQLite file overwritten or the
file truncated; on PostgreSQL too, the damage its types and keys let a raw client write. Every command
must either refuse with one line (data verify: list the problem, exit 1) or, where the damage missed
everything it reads, give the clean answer; never a traceback or a clearance.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from store_faults import CLEARANCES, Outcome, answers, pack_store, pg_base, pg_schema, run

from exportctl.store import clear_cache, tables


@pytest.fixture(scope="module")
def pack_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite store holding the bundled pack (checkpointed: one file), built once per module."""
    folder = tmp_path_factory.mktemp("pack-damage")
    url = f"sqlite:///{folder / 'store.db'}"
    pack_store(url)
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return folder / "store.db"


def fresh(pack_db: Path, folder: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, Path]:
    """A copy of the pack store in `folder`, named by EXPORTCTL_DATABASE_URL."""
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("store.db*"):
        old.unlink()
    path = folder / "store.db"
    shutil.copy(pack_db, path)
    url = f"sqlite:///{path}"
    monkeypatch.setenv("EXPORTCTL_DATABASE_URL", url)
    monkeypatch.setenv("EXPORTCTL_CACHE_DIR", str(folder / "cache"))
    clear_cache()
    return url, path


def sql(url: str, statement: str) -> None:
    """Run one statement on the raw database (foreign keys off, as a plain sqlite3 client has them)."""
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql(statement)
    engine.dispose()


def blob_of(url: str, name: str) -> tuple[str, bytes]:
    """The content hash and stored bytes of the active version's table `name`."""
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        active = conn.execute(sa.select(tables.state.c.active)).scalar_one()
        sha = conn.execute(
            sa.select(tables.sources.c.sha256).where(
                tables.sources.c.version == active, tables.sources.c.name == name
            )
        ).scalar_one()
        data = conn.execute(sa.select(tables.blobs.c.data).where(tables.blobs.c.sha256 == sha)).scalar_one()
    engine.dispose()
    return str(sha), bytes(data)


def set_blob(url: str, sha: str, data: bytes) -> None:
    """Replace a blob's stored bytes."""
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.update(tables.blobs).where(tables.blobs.c.sha256 == sha).values(data=data))
    engine.dispose()


def assert_fails_closed(got: dict[str, Outcome], clean_ok: bool = False) -> None:
    """No traceback, no clearance; every command one error line (data verify: exit 1 with problems)."""
    for label, outcome in got.items():
        assert not outcome.traceback, (label, outcome.err)
        assert not any(word in outcome.out for word in CLEARANCES), (label, outcome.out[:300])
        if clean_ok and outcome.code in (0, 1) and label != "data verify":
            continue  # the damage missed what this command reads: its answer is the clean one
        if label == "data verify" and outcome.code == 1:
            continue
        if clean_ok and label == "data verify" and outcome.code == 0:
            continue
        assert outcome.code == 2, (label, outcome)
        outcome.one_error()


def _truncate(url: str) -> None:
    sha, data = blob_of(url, "country_chart")
    set_blob(url, sha, data[: len(data) // 2])


def _missing_blob(url: str) -> None:
    sha, _ = blob_of(url, "ccl")
    sql(url, f"DELETE FROM data_blobs WHERE sha256 = '{sha}'")


DAMAGE: dict[str, Callable[[str], None]] = {
    "a JSON cell (columns) corrupted": lambda url: sql(
        url, "UPDATE data_sources SET columns = '[[\"country\", ' WHERE name = 'country_chart'"
    ),
    "a JSON cell of the wrong shape": lambda url: sql(
        url, "UPDATE data_sources SET skip_reasons = '[1, 2]' WHERE name = 'ccl'"
    ),
    "a truncated table": _truncate,
    "a missing source row": lambda url: sql(url, "DELETE FROM data_sources WHERE name = 'country_groups'"),
    "a missing blob": _missing_blob,
    "a damaged timestamp": lambda url: sql(url, "UPDATE data_versions SET created_at = 'not a time'"),
}


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_damage_is_one_clear_error(
    damage: str, pack_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each damage: every command one error line (or verify's list), never a traceback."""
    url, _ = fresh(pack_db, tmp_path, monkeypatch)
    DAMAGE[damage](url)
    assert_fails_closed(answers(), clean_ok=damage == "a damaged timestamp")


# The damage PostgreSQL lets a raw client write: its json type refuses invalid JSON, its timestamp type
# a non-time, and its foreign keys the deletion of a blob a source names; those stay SQLite-only.
PG_DAMAGE = ("a JSON cell of the wrong shape", "a truncated table", "a missing source row")


@pytest.mark.postgres
@pytest.mark.parametrize("damage", PG_DAMAGE)
def test_damage_is_one_clear_error_on_postgres(
    damage: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same damage in a PostgreSQL store: every command one error line, never a traceback."""
    base = pg_base()
    if base is None:
        pytest.skip("no PostgreSQL server (set EXPORTCTL_TEST_PG_URL to require one)")
    with pg_schema(base) as url:
        pack_store(url)
        monkeypatch.setenv("EXPORTCTL_DATABASE_URL", url)
        monkeypatch.setenv("EXPORTCTL_CACHE_DIR", str(tmp_path / "cache"))
        clear_cache()
        try:
            DAMAGE[damage](url)
            assert_fails_closed(answers())
        finally:
            clear_cache()


@settings(max_examples=12, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(at=st.floats(0, 1), junk=st.binary(min_size=1, max_size=64))
def test_garbage_in_a_parquet_blob(
    at: float, junk: bytes, pack_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Garbage written anywhere into the chart's Parquet bytes: one error line, never an answer."""
    url, _ = fresh(pack_db, tmp_path / "g", monkeypatch)
    sha, data = blob_of(url, "country_chart")
    offset = int(at * (len(data) - 1))
    damaged = data[:offset] + junk + data[offset + len(junk) :]
    if damaged == data:
        return
    set_blob(url, sha, damaged)
    for argv in (("check", "--eccn", "3A090", "--to", "CN", "--date", "2026-06-01"), ("data", "status")):
        outcome = run(*argv)
        assert outcome.code == 2 and not outcome.traceback, (argv, outcome)
        assert "table 'country_chart'" in outcome.one_error()


@settings(max_examples=10, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(at=st.floats(0, 1), size=st.integers(16, 8192), truncate=st.booleans())
def test_sqlite_file_damage(
    at: float, size: int, truncate: bool, pack_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Bytes of the SQLite file overwritten, or the file cut short: one error line or the clean answer."""
    _, path = fresh(pack_db, tmp_path / "f", monkeypatch)
    raw = path.read_bytes()
    offset = int(at * (len(raw) - 1))
    if truncate:
        path.write_bytes(raw[:offset])
    else:
        path.write_bytes(raw[:offset] + b"\xa5" * size + raw[offset + size :])
    for argv in (("check", "--eccn", "3A090", "--to", "CN", "--date", "2026-06-01", "--format", "json"),
                 ("data", "status"), ("data", "verify")):  # fmt: skip
        outcome = run(*argv)
        assert not outcome.traceback, (argv, outcome.err)
        assert "no_license_required" not in outcome.out
        if outcome.code == 2:
            outcome.one_error()
        else:
            assert outcome.code in (0, 1), (argv, outcome)
            if argv[0] == "check":
                assert '"license_required"' in outcome.out

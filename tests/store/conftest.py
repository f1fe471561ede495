"""Store fixtures: a fresh store per test, on SQLite and on PostgreSQL (one schema per test)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import polars as pl
import pytest
import sqlalchemy as sa

from exportctl.sources.base import SourceTable
from exportctl.store import Store, open_store

PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def pg_url() -> str | None:
    """The PostgreSQL URL to test against, or None to skip (only when unset and no server answers)."""
    url = os.environ.get("EXPORTCTL_TEST_PG_URL")
    if url:
        return url  # set (as CI does): a missing server must fail the tests, not skip them
    engine = sa.create_engine(PG_DEFAULT, connect_args={"connect_timeout": 2})
    try:
        with engine.connect():
            return PG_DEFAULT
    except sa.exc.OperationalError:
        return None
    finally:
        engine.dispose()


@pytest.fixture(scope="session")
def pg_base_url() -> str:
    """The server URL; skips only when EXPORTCTL_TEST_PG_URL is unset and nothing answers locally."""
    url = pg_url()
    if url is None:
        pytest.skip("no PostgreSQL server (set EXPORTCTL_TEST_PG_URL to require one)")
    return url


@pytest.fixture
def pg_schema_url(pg_base_url: str) -> Iterator[str]:
    """A URL whose connections use a fresh schema of their own; the schema is dropped afterwards."""
    schema = f"t_{uuid.uuid4().hex[:16]}"
    admin = sa.create_engine(pg_base_url)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    url = sa.engine.make_url(pg_base_url).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A URL for an empty store: a SQLite file, or a PostgreSQL schema."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    return str(request.getfixturevalue("pg_schema_url"))


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    """An empty store on each database."""
    st = open_store(store_url)
    try:
        yield st
    finally:
        st.close()


def make_table(
    name: str, rows: int, *, date: str = "2026-07-31", seed: int = 0, extra: bool = False
) -> SourceTable:
    """A small table of records in the shape every parser returns (src_file, src_line)."""
    data: dict[str, object] = {
        "id": [f"{name}-{i}" for i in range(rows)],
        "name": [f"Name {seed}-{i}" for i in range(rows)],
        "aliases": [[f"alias {i}"] if i % 2 else [] for i in range(rows)],
        "src_file": [f"{name}.json"] * rows,
        "src_line": list(range(1, rows + 1)),
    }
    if extra:
        data["extra"] = [i * 1.5 for i in range(rows)]
    return SourceTable(
        name=name,
        title=f"Title of {name}",
        format="test-json",
        date=date,
        records=pl.DataFrame(data, schema_overrides={"aliases": pl.List(pl.String)}),
        files=(f"{name}.json",),
        skipped=1,
        skip_reasons={"blank name": 1},
        attribution="test data",
    )


@pytest.fixture
def table() -> Callable[..., SourceTable]:
    """The make_table factory."""
    return make_table

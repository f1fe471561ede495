"""The store's five tables (SQLAlchemy Core, the same DDL on SQLite and PostgreSQL).

* `data_blobs`: content-addressed records. Key: the source's content hash (see `codec`); value: zstd
  Parquet bytes. Immutable; a source unchanged between versions is stored once.
* `data_versions`: one row per data version. `id` is the sha256 over the sorted lines
  "name<TAB>date<TAB>sha256" of its sources, so the same sources always make the same version.
  `parent` is the version that was active when it was made; `created_at` is set by the database
  server (the core never reads the clock).
* `data_sources`: the sources of each version with their metadata (title, format, data date, rows,
  sha256, columns, files, skipped rows and why, attribution).
* `data_checks`: per version and table, what the import stored: the content hash and date (as in
  `data_sources`) and the sha256 of the stored blob bytes. A process loading a table checks the bytes
  against it (cheap: no re-hashing of the records), so a table changed at rest fails closed. Versions
  imported before this table existed have no rows here and are checked on their content hash instead.
* `data_gate`: what the activation gate (issue #16) found for a version: the invariants passed and
  failed, the comparison with the version active at import, and, when a person activated it despite a
  failed invariant, their reason and when (`forced_reason`, `forced_at`).
* `data_state`: one row (id 1) naming the `active` and `previous` versions. Activation and rollback
  update this single row in one transaction, so a reader sees either the old or the new version, whole.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

blobs = sa.Table(
    "data_blobs",
    metadata,
    sa.Column("sha256", sa.String(64), primary_key=True),
    sa.Column("size", sa.BigInteger, nullable=False),
    sa.Column("data", sa.LargeBinary, nullable=False),
)

versions = sa.Table(
    "data_versions",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("parent", sa.String(64), nullable=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    sa.Column("note", sa.Text, nullable=False, default=""),
)

sources = sa.Table(
    "data_sources",
    metadata,
    sa.Column("version", sa.String(64), sa.ForeignKey("data_versions.id"), primary_key=True),
    sa.Column("name", sa.String(64), primary_key=True),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("format", sa.String(64), nullable=False),
    sa.Column("date", sa.String(10), nullable=False),
    sa.Column("rows", sa.BigInteger, nullable=False),
    sa.Column("sha256", sa.String(64), sa.ForeignKey("data_blobs.sha256"), nullable=False),
    sa.Column("columns", sa.JSON, nullable=False),
    sa.Column("files", sa.JSON, nullable=False),
    sa.Column("skipped", sa.Integer, nullable=False, default=0),
    sa.Column("skip_reasons", sa.JSON, nullable=False),
    sa.Column("attribution", sa.Text, nullable=False, default=""),
)

state = sa.Table(
    "data_state",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("active", sa.String(64), sa.ForeignKey("data_versions.id"), nullable=True),
    sa.Column("previous", sa.String(64), sa.ForeignKey("data_versions.id"), nullable=True),
)

checks = sa.Table(
    "data_checks",
    metadata,
    sa.Column("version", sa.String(64), sa.ForeignKey("data_versions.id"), primary_key=True),
    sa.Column("name", sa.String(64), primary_key=True),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("date", sa.String(10), nullable=False),
    sa.Column("stored_sha256", sa.String(64), nullable=False),
)

gate = sa.Table(
    "data_gate",
    metadata,
    sa.Column("version", sa.String(64), sa.ForeignKey("data_versions.id"), primary_key=True),
    sa.Column("passed", sa.Integer, nullable=False),
    sa.Column("failed", sa.JSON, nullable=False),
    sa.Column("comparison", sa.JSON, nullable=False),
    sa.Column("checked_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    sa.Column("forced_reason", sa.Text, nullable=True),
    sa.Column("forced_at", sa.DateTime(timezone=True), nullable=True),
)

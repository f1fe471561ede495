"""Ways to change a store's tables at rest, as an attacker or an unlucky operator would (not a test file).

Each tamper rewrites one stored table of the active version in place and leaves the version id and its
recorded hashes alone: `in_place` replaces the blob's bytes under the same key, `repoint` stores the
changed records under their true content hash and points the version's source row at them.
"""

from __future__ import annotations

from collections.abc import Callable

import polars as pl
import sqlalchemy as sa

from exportctl.store import codec, tables

Edit = Callable[[pl.DataFrame], pl.DataFrame]


def _chart_marks_off(df: pl.DataFrame) -> pl.DataFrame:
    return df.with_columns(mark=pl.lit(False))


def _china_marks_off(df: pl.DataFrame) -> pl.DataFrame:
    return df.with_columns(mark=pl.when(pl.col("country") == "CN").then(False).otherwise(pl.col("mark")))


def _rs_dropped(df: pl.DataFrame) -> pl.DataFrame:
    controls = pl.col("controls").list.filter(pl.element().struct.field("reason") != "RS")
    reasons = pl.col("reasons").list.filter(pl.element() != "RS")
    return df.with_columns(controls=controls, reasons=reasons)


def _huawei_removed(df: pl.DataFrame) -> pl.DataFrame:
    return df.filter(~pl.col("name").str.to_lowercase().str.contains("huawei"))


def _rates_blank(df: pl.DataFrame) -> pl.DataFrame:
    return df.with_columns(general=pl.lit(""), general_ad_valorem_pct=pl.lit(None, pl.Float64))


EDITS: dict[str, tuple[str, Edit]] = {
    "chart marks off": ("country_chart", _chart_marks_off),
    "China's chart marks off": ("country_chart", _china_marks_off),
    "RS controls dropped": ("ccl", _rs_dropped),
    "Huawei off the Entity List": ("bis_entity_list", _huawei_removed),
    "HTS rates blanked": ("hts", _rates_blank),
}


def _active_source(conn: sa.Connection, table: str) -> tuple[str, str]:
    active = conn.execute(sa.select(tables.state.c.active)).scalar_one()
    sha = conn.execute(
        sa.select(tables.sources.c.sha256).where(
            tables.sources.c.version == active, tables.sources.c.name == table
        )
    ).scalar_one()
    return str(active), str(sha)


def tamper(url: str, edit: str, how: str = "in_place") -> str:
    """Apply one named edit to the active version's table at `url`; returns the table's name."""
    table, change = EDITS[edit]
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            active, sha = _active_source(conn, table)
            data = conn.execute(
                sa.select(tables.blobs.c.data).where(tables.blobs.c.sha256 == sha)
            ).scalar_one()
            changed = change(codec.decode(bytes(data)))
            blob = codec.encode(changed)
            if how == "in_place":
                conn.execute(sa.update(tables.blobs).where(tables.blobs.c.sha256 == sha).values(data=blob))
            else:
                new = codec.content_hash(changed)
                conn.execute(sa.insert(tables.blobs).values(sha256=new, size=len(blob), data=blob))
                conn.execute(
                    sa.update(tables.sources)
                    .where(tables.sources.c.version == active, tables.sources.c.name == table)
                    .values(sha256=new, rows=changed.height)
                )
    finally:
        engine.dispose()
    return table

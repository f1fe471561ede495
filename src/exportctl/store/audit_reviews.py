"""Review decisions on screening hits (the `audit_reviews` table of store.audit): stored once each,
append-only; the newest decision for a (party_key, list, entity_id) is the one shown."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from exportctl.store.audit import IN_LIMIT, ensure_audit_tables, reviews
from exportctl.store.engine import driver_row
from exportctl.store.fresh import FreshReads

__all__ = ["add_review", "get_review", "latest_per_pair", "latest_reviews", "list_reviews", "reviews_stamp"]


def add_review(engine: Engine, row: dict[str, Any]) -> dict[str, Any]:
    """Store one review decision (its audit record must already be appended: `audit_seq`)."""
    ensure_audit_tables(engine)
    with engine.begin() as conn:
        result = conn.execute(sa.insert(reviews).values(**row))
        key = result.inserted_primary_key
    return {**row, "id": int(key[0]) if key else None}


def latest_reviews(
    engine: Engine, keys: Sequence[tuple[str, str, str]]
) -> dict[tuple[str, str, str], dict[str, Any]]:
    """The newest decision for each (party_key, list, entity_id) asked about."""
    ensure_audit_tables(engine)
    wanted = set(keys)
    if not wanted:
        return {}
    parties = sorted({k[0] for k in wanted})
    out: dict[tuple[str, str, str], dict[str, Any]] = {}
    with engine.connect() as conn:
        query = sa.select(reviews).order_by(reviews.c.id)
        if len(parties) <= IN_LIMIT:  # a large batch reads the (small, human-made) table whole instead
            query = query.where(reviews.c.party_key.in_(parties))
        for r in conn.execute(query):
            key = (r.party_key, r.list, r.entity_id)
            if key in wanted:
                out[key] = dict(r._mapping)  # ordered by id: the newest wins
    return out


def latest_per_pair(engine: Engine) -> list[dict[str, Any]]:
    """The newest decision of every (party_key, list, entity_id) pair that has one, in id order."""
    ensure_audit_tables(engine)
    out: dict[tuple[str, str, str], dict[str, Any]] = {}
    with engine.connect() as conn:
        for r in conn.execute(sa.select(reviews).order_by(reviews.c.id)):
            out[(r.party_key, r.list, r.entity_id)] = dict(r._mapping)
    return sorted(out.values(), key=lambda r: int(r["id"]))


def reviews_stamp(engine: Engine) -> tuple[int, int]:
    """(highest id, count) of the review decisions: they are only ever appended, so an unchanged stamp
    means unchanged decisions (one cheap query, where reading them all was a sixth of a single check)."""
    ensure_audit_tables(engine)

    def read() -> tuple[int, int]:
        # through the driver: SQLAlchemy's statement execution was three quarters of this read's cost, and
        # the read runs back to back under load (the connection goes back to the pool rolled back)
        row = driver_row(engine, _STAMP_SQL)
        if row is None:  # an aggregate always gives a row
            return (0, 0)
        return int(row[0] or 0), int(row[1])

    # concurrent callers share one query begun after each of them asked (store.fresh): under load every
    # single check asks, and forty threads querying at once opened connections past the pool's size
    return _stamps.read(str(engine.url), read)


_stamps: FreshReads[tuple[int, int]] = FreshReads()
_STAMP_SQL = "SELECT max(id), count(*) FROM audit_reviews"


def get_review(engine: Engine, review_id: int) -> dict[str, Any] | None:
    """One review decision by its id, or None."""
    ensure_audit_tables(engine)
    with engine.connect() as conn:
        row = conn.execute(sa.select(reviews).where(reviews.c.id == review_id)).first()
    return None if row is None else dict(row._mapping)


def list_reviews(engine: Engine, *, limit: int = 200) -> list[dict[str, Any]]:
    """The newest review decisions first."""
    ensure_audit_tables(engine)
    with engine.connect() as conn:
        rows = conn.execute(sa.select(reviews).order_by(reviews.c.id.desc()).limit(limit))
        return [dict(r._mapping) for r in rows]

"""API tokens: random secrets stored only as sha256, each with scopes, created and revoked times.

The secret (`secrets.token_urlsafe`) is shown once, when made; the table keeps its hash, so a copy
of the database does not hand out working tokens. `id` is the first 12 hex digits of the hash: a
name to list and revoke by that is not itself a credential. Times come in from the front (the core
never reads the clock) as ISO text in UTC. Same DDL on SQLite and PostgreSQL, created on first use.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from exportctl.errors import InputError, StoreError
from exportctl.store.engine import create_tables_once

__all__ = [
    "SCOPES",
    "TokenInfo",
    "authenticate",
    "check_scopes",
    "create_token",
    "ensure_token_table",
    "list_tokens",
    "revoke_token",
    "token_hash",
]

# read: tariffs, timeline, diff, data status; check: determinations and screening; review: decisions on
# screening hits; admin: the audit trail (list, verify, export). No scope implies another.
SCOPES = ("read", "check", "review", "admin")

metadata = sa.MetaData()

tokens = sa.Table(
    "api_tokens",
    metadata,
    sa.Column("id", sa.String(12), primary_key=True),
    sa.Column("secret_sha256", sa.String(64), nullable=False, unique=True),
    sa.Column("name", sa.Text, nullable=False, default=""),
    sa.Column("scopes", sa.JSON, nullable=False),
    sa.Column("created_at", sa.String(32), nullable=False),
    sa.Column("revoked_at", sa.String(32), nullable=True),
)


@dataclass(frozen=True)
class TokenInfo:
    """A stored token without its secret."""

    id: str
    name: str
    scopes: tuple[str, ...]
    created_at: str
    revoked_at: str | None

    @property
    def active(self) -> bool:
        """True until revoked."""
        return self.revoked_at is None

    def to_dict(self) -> dict[str, Any]:
        """Plain dict for the CLI and the API."""
        return {
            "id": self.id,
            "name": self.name,
            "scopes": list(self.scopes),
            "created_at": self.created_at,
            "revoked_at": self.revoked_at,
            "active": self.active,
        }


def ensure_token_table(engine: Engine) -> None:
    """Create the token table once per engine (idempotent, safe when another process races us)."""
    create_tables_once(metadata, engine)


def token_hash(secret: str) -> str:
    """sha256 hex of a token secret (what the table keeps)."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def check_scopes(scopes: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """Scopes in canonical order; InputError naming the field for an unknown or empty list."""
    wanted = [s.strip().lower() for s in scopes if s.strip()]
    if not wanted:
        raise InputError("give at least one scope", field="scope", suggestions=SCOPES)
    for scope in wanted:
        if scope not in SCOPES:
            raise InputError(f"unknown scope {scope!r}", field="scope", suggestions=SCOPES)
    return tuple(s for s in SCOPES if s in wanted)


def _info(row: Any) -> TokenInfo:
    return TokenInfo(
        id=row.id,
        name=row.name,
        scopes=tuple(row.scopes),
        created_at=row.created_at,
        revoked_at=row.revoked_at,
    )


def create_token(
    engine: Engine, scopes: list[str] | tuple[str, ...], *, now: str, name: str = ""
) -> tuple[str, TokenInfo]:
    """A new token: (secret shown once, its stored info)."""
    ensure_token_table(engine)
    canonical = check_scopes(scopes)
    secret = secrets.token_urlsafe(32)
    digest = token_hash(secret)
    info = TokenInfo(id=digest[:12], name=name, scopes=canonical, created_at=now, revoked_at=None)
    with engine.begin() as conn:
        conn.execute(
            sa.insert(tokens).values(
                id=info.id,
                secret_sha256=digest,
                name=name,
                scopes=list(canonical),
                created_at=now,
                revoked_at=None,
            )
        )
    return secret, info


def list_tokens(engine: Engine, *, include_revoked: bool = True) -> list[TokenInfo]:
    """Every token, oldest first."""
    ensure_token_table(engine)
    query = sa.select(tokens).order_by(tokens.c.created_at, tokens.c.id)
    if not include_revoked:
        query = query.where(tokens.c.revoked_at.is_(None))
    with engine.connect() as conn:
        return [_info(r) for r in conn.execute(query)]


def revoke_token(engine: Engine, token_id: str, *, now: str) -> TokenInfo:
    """Revoke a token by id (or a unique prefix of it); revoking twice keeps the first time."""
    ensure_token_table(engine)
    prefix = token_id.strip().lower()
    if len(prefix) < 4:
        raise InputError("give at least 4 characters of the token id", field="token_id")
    with engine.begin() as conn:
        rows = conn.execute(sa.select(tokens).where(tokens.c.id.startswith(prefix, autoescape=True))).all()
        if not rows:
            raise StoreError(f"no token with id {token_id!r}", field="token_id")
        if len(rows) > 1:
            raise InputError(
                f"token id prefix {token_id!r} is ambiguous",
                field="token_id",
                suggestions=[r.id for r in rows],
            )
        row = rows[0]
        if row.revoked_at is None:
            conn.execute(sa.update(tokens).where(tokens.c.id == row.id).values(revoked_at=now))
        final = conn.execute(sa.select(tokens).where(tokens.c.id == row.id)).one()
    return _info(final)


def authenticate(engine: Engine, secret: str) -> TokenInfo | None:
    """The active token with this secret, or None (unknown or revoked)."""
    ensure_token_table(engine)
    with engine.connect() as conn:
        row = conn.execute(sa.select(tokens).where(tokens.c.secret_sha256 == token_hash(secret))).first()
    if row is None or row.revoked_at is not None:
        return None
    return _info(row)

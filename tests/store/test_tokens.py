"""API tokens on SQLite and PostgreSQL: hashed at rest, scopes checked, revocation final."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from exportctl.errors import InputError, StoreError
from exportctl.store import Store
from exportctl.store.tokens import authenticate, create_token, list_tokens, revoke_token, token_hash, tokens

T0 = "2026-11-23T05:00:00.000000Z"
T1 = "2026-11-23T06:00:00.000000Z"


def test_create_authenticate_revoke(store: Store) -> None:
    secret, info = create_token(store.engine, ["check", "read"], now=T0, name="erp")
    assert info.scopes == ("read", "check")  # canonical order
    assert info.id == token_hash(secret)[:12]
    got = authenticate(store.engine, secret)
    assert got is not None and got.id == info.id and got.active
    assert authenticate(store.engine, secret + "x") is None
    revoked = revoke_token(store.engine, info.id[:6], now=T1)
    assert revoked.revoked_at == T1
    assert authenticate(store.engine, secret) is None
    # revoking twice keeps the first time
    assert revoke_token(store.engine, info.id, now="2027-01-01T00:00:00Z").revoked_at == T1
    assert [t.id for t in list_tokens(store.engine, include_revoked=False)] == []
    assert [t.id for t in list_tokens(store.engine)] == [info.id]


def test_secret_is_not_stored(store: Store) -> None:
    secret, _ = create_token(store.engine, ["admin"], now=T0)
    with store.engine.connect() as conn:
        dumped = " ".join(str(v) for row in conn.execute(sa.select(tokens)) for v in row)
    assert secret not in dumped
    assert token_hash(secret) in dumped


@pytest.mark.parametrize("scopes", [[], ["write"], ["read", "superuser"], [" "]])
def test_bad_scopes_name_the_field(store: Store, scopes: list[str]) -> None:
    with pytest.raises(InputError) as err:
        create_token(store.engine, scopes, now=T0)
    assert err.value.field == "scope"


def test_revoke_unknown_or_short(store: Store) -> None:
    with pytest.raises(StoreError):
        revoke_token(store.engine, "ffffffff", now=T0)
    with pytest.raises(InputError):
        revoke_token(store.engine, "ab", now=T0)

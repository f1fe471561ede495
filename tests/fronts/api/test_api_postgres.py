"""The service on PostgreSQL: tokens, scopes and the audit trail through the API on a schema of its own."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from exportctl.fronts.api.deps import Settings
from exportctl.ops import audit

pytestmark = pytest.mark.postgres

PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def test_tokens_and_audit_on_postgres(serve: Callable[[Settings], Any], pg_url: str) -> None:
    s = serve(Settings(database_url=pg_url))
    assert s.app.state.engine.dialect.name == "postgresql"
    admin = s.token("admin", name="pg")
    reader = s.token("read")
    with httpx.Client(base_url=s.url, timeout=60) as c:
        assert c.get("/v1/token", headers={"Authorization": f"Bearer {admin}"}).json()["scopes"] == ["admin"]
        assert c.get("/v1/audit/verify", headers={"Authorization": f"Bearer {reader}"}).status_code == 403
        for i in range(3):
            audit.record("check", {"i": i}, {"verdict": "hold"}, data_version="d", engine_version="e",
                         actor="pg-test", engine=s.app.state.engine)  # fmt: skip
        r = c.get("/v1/audit/verify", headers={"Authorization": f"Bearer {admin}"})
        assert r.json() == {"ok": True, "records": 3, "head_seq": 3, "first_bad_seq": None, "problem": None}
        with s.app.state.engine.begin() as conn:
            conn.execute(sa.text("UPDATE audit_log SET actor = 'someone else' WHERE seq = 2"))
        r = c.get("/v1/audit/verify", headers={"Authorization": f"Bearer {admin}"})
        assert r.json()["ok"] is False and r.json()["first_bad_seq"] == 2

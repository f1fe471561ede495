"""A real server on loopback (uvicorn in a thread) over the session's store, and a token per scope."""

from __future__ import annotations

import os
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator

import httpx
import pytest
import sqlalchemy as sa
import uvicorn

from exportctl.fronts.api.app import create_app
from exportctl.fronts.api.deps import Settings
from exportctl.store.tokens import SCOPES, create_token

NOW = "2026-11-23T00:00:00.000000Z"


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class Served:
    """A running app: its base URL and the FastAPI app (for its store engine)."""

    def __init__(self, settings: Settings) -> None:
        self.app = create_app(settings)
        self.port = free_port()
        config = uvicorn.Config(
            self.app, host="127.0.0.1", port=self.port, log_level="error", ws="none", lifespan="off"
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        for _ in range(200):
            if self.server.started:
                break
            time.sleep(0.05)
        assert self.server.started, "server did not start"
        self.url = f"http://127.0.0.1:{self.port}"

    def token(self, *scopes: str, name: str = "") -> str:
        """A new token with these scopes."""
        secret, _ = create_token(self.app.state.engine, list(scopes), now=NOW, name=name)
        return secret

    def stop(self) -> None:
        """Stop the server."""
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture(scope="session")
def serve(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[Settings], Served]]:
    """Start servers with given settings; all stopped at the end of the session."""
    started: list[Served] = []
    # a screening index of this session's own (never a cache file left by another build of the code)
    patch = pytest.MonkeyPatch()
    patch.setenv("EXPORTCTL_CACHE_DIR", str(tmp_path_factory.mktemp("index-cache")))

    def start(settings: Settings) -> Served:
        s = Served(settings)
        started.append(s)
        return s

    yield start
    for s in started:
        s.stop()
    patch.undo()


@pytest.fixture(scope="session")
def served(serve: Callable[[Settings], Served], tmp_path_factory: pytest.TempPathFactory) -> Served:
    """The main server: generous rate limits, small batch and body limits so tests can exceed them.

    Its store is its own (xdist workers share the session store), so that audit counts are exact.
    """
    own_url = f"sqlite:///{tmp_path_factory.mktemp('api-store') / 'store.db'}"
    return serve(
        Settings(
            rate_per_second=10_000,
            burst=10_000,
            max_body_bytes=256 * 1024,
            max_batch=50,
            database_url=own_url,
        )
    )


@pytest.fixture(scope="session")
def tokens(served: Served) -> dict[str, str]:
    """One token per scope, plus `all` with every scope."""
    out = {scope: served.token(scope, name=f"test-{scope}") for scope in SCOPES}
    out["all"] = served.token(*SCOPES, name="test-all")
    return out


@pytest.fixture(scope="session")
def client(served: Served) -> Iterator[httpx.Client]:
    """An HTTP client for the main server (no token by default)."""
    with httpx.Client(base_url=served.url, timeout=120) as c:
        yield c


def bearer(token: str) -> dict[str, str]:
    """The Authorization header of a token."""
    return {"Authorization": f"Bearer {token}"}


PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A URL whose connections use a fresh schema; skipped only when no server is configured or answers."""
    base = os.environ.get("EXPORTCTL_TEST_PG_URL") or PG_DEFAULT
    admin = sa.create_engine(base, connect_args={"connect_timeout": 2})
    try:
        with admin.begin() as conn:
            schema = f"t_{uuid.uuid4().hex[:16]}"
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    except sa.exc.OperationalError:
        admin.dispose()
        if os.environ.get("EXPORTCTL_TEST_PG_URL"):
            raise
        pytest.skip("no PostgreSQL server")
    url = sa.engine.make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()

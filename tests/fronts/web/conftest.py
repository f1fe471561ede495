"""The real page in headless Chromium (Debian's package, driven by Playwright) over a loopback server."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
import uvicorn

from exportctl.fronts.api.app import create_app
from exportctl.fronts.api.deps import Settings
from exportctl.store.tokens import SCOPES, create_token

CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]  # fmt: skip


def chromium_path() -> str | None:
    """EXPORTCTL_CHROMIUM (set by .ci/run), else Debian's `chromium` on PATH."""
    return os.environ.get("EXPORTCTL_CHROMIUM") or shutil.which("chromium")


class Site:
    """A served app on loopback with a token of every scope and one with read and check only."""

    def __init__(self, url: str) -> None:
        self.app = create_app(Settings(rate_per_second=10_000, burst=10_000, database_url=url))
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
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
        self.url = f"http://127.0.0.1:{self.port}"
        now = "2026-11-23T00:00:00Z"
        self.admin, _ = create_token(self.app.state.engine, list(SCOPES), now=now, name="browser")
        self.checker, _ = create_token(self.app.state.engine, ["read", "check"], now=now, name="checker")


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The app, served for the session."""
    patch = pytest.MonkeyPatch()
    patch.setenv("EXPORTCTL_CACHE_DIR", str(tmp_path_factory.mktemp("index-cache")))
    s = Site(f"sqlite:///{tmp_path_factory.mktemp('web-store') / 'store.db'}")
    yield s
    s.server.should_exit = True
    s.thread.join(timeout=10)
    patch.undo()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Headless Chromium. Missing, the page's tests skip with one line on a plain machine (the README's
    test command needs only Python) and fail where EXPORTCTL_REQUIRE_BROWSER=1 (set by .ci/run)."""
    from playwright.sync_api import sync_playwright

    path = chromium_path()
    if not path:
        reason = "chromium not found: apt-get install chromium, or set EXPORTCTL_CHROMIUM"
        if os.environ.get("EXPORTCTL_REQUIRE_BROWSER") == "1":
            pytest.fail(reason + " (EXPORTCTL_REQUIRE_BROWSER=1)")
        pytest.skip(reason)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: Any, site: Site) -> Iterator[Any]:
    """A fresh page, signed in with the all-scopes token; nothing leaves loopback."""
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    context.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith(site.url) or route.request.url.startswith("blob:")
            else route.abort()
        ),
    )
    pg = context.new_page()
    pg.set_default_timeout(120_000)
    pg.goto(site.url + "/")
    pg.get_by_label("API token").fill(site.admin)
    pg.get_by_role("button", name="Sign in").click()
    pg.wait_for_selector("#tabs:not([hidden])")
    yield pg
    context.close()

"""Take docs/screenshot.png from the real page in headless Chromium (the README's picture).

    .venv/bin/python tests/fronts/web/screenshot.py [docs/screenshot.png]

Serves the app on loopback over a fresh SQLite store, signs in with a new token, checks a shipment
(3A090 to China for Huawei on 2025-05-01) and screenshots the page with its verdict and reasons.
"""

from __future__ import annotations

import os
import shutil
import socket
import sys
import tempfile
import threading
import time
from pathlib import Path


def main(target: Path) -> None:
    """Serve, sign in, check, screenshot."""
    tmp = tempfile.mkdtemp(prefix="exportctl-shot-")
    os.environ["EXPORTCTL_DATABASE_URL"] = f"sqlite:///{tmp}/store.db"
    import uvicorn
    from playwright.sync_api import sync_playwright

    from exportctl.fronts.api.app import create_app
    from exportctl.store.tokens import create_token

    app = create_app()
    token, _ = create_token(
        app.state.engine, ["read", "check", "review"], now="2026-01-01T00:00:00Z", name="analyst"
    )
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error", ws="none"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    exe = os.environ.get("EXPORTCTL_CHROMIUM") or shutil.which("chromium")
    args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run"]  # fmt: skip
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=exe, args=args)
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        page.set_default_timeout(180_000)
        page.goto(f"http://127.0.0.1:{port}/")
        page.get_by_label("API token").fill(token)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_selector("#tabs:not([hidden])")
        page.get_by_label("ECCN").fill("3A090")
        page.get_by_label("Destination").fill("CN")
        page.get_by_label("Parties (one per line: ultimate consignee, end user, ...)").fill(
            "Huawei Technologies Co., Ltd."
        )
        page.get_by_label("Date", exact=True).fill("2025-05-01")
        page.get_by_role("button", name="Check", exact=True).click()
        page.wait_for_selector("#check-out .badge")
        target.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(target), full_page=False)
        browser.close()
    server.should_exit = True
    print(f"wrote {target}")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshot.png"))

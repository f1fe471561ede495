"""Schemathesis against the OpenAPI document, bounded: no input the schema allows may get a 5xx.

Driven through schemathesis' strategies with hypothesis directly (its pytest plugin does not load on
this pytest); every operation gets a few generated cases, with a token holding every scope.
"""

from __future__ import annotations

import time
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

pytestmark = pytest.mark.slow

EXAMPLES = 12
SHAPE = {"error", "message", "field", "file", "line", "suggestions"}
ALL_CHECKS = list(HealthCheck)
BUDGET_SECONDS = 240  # the whole run stops generating after this; what ran must still pass


def test_no_server_error(served: Any, tokens: dict[str, str]) -> None:
    schema = schemathesis.openapi.from_url(served.url + "/openapi.json")
    headers = {"Authorization": f"Bearer {tokens['all']}"}
    started = time.monotonic()
    failures: list[str] = []
    ran = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        if time.monotonic() - started > BUDGET_SECONDS:
            break

        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=ALL_CHECKS, database=None)
        @given(case=operation.as_strategy())
        def run(case: Any) -> None:
            nonlocal ran
            ran += 1
            response = case.call(headers=headers, timeout=120)
            if response.status_code >= 500:
                failures.append(
                    f"{case.method} {case.path} {case.body!r} {case.query!r} {response.text[:99]}"[:2000]
                )
            elif response.status_code >= 400:
                body = response.json()
                assert set(body) == SHAPE, response.text

        run()
    assert ran >= 19 * 3, ran
    assert failures == []

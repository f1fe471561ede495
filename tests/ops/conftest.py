"""The context the ops tests run against: the July 2026 EAR tables, the CSL and China's lists."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from exportctl.ops.check import Context
from exportctl.registry import load_registry
from exportctl.sources import china_lists, csl, ecfr
from exportctl.store.dataset import Dataset


@pytest.fixture(scope="module")
def ctx(shared_data: Path) -> Context:
    """A Context over the shared snapshots (no store), built once per test module."""
    ear = shared_data / "ear-2026-07-23"
    tables = [
        ecfr.parse_ccl(ear / "ccl.json"),
        ecfr.parse_country_chart(ear / "country-chart.json"),
        ecfr.parse_country_groups(ear / "country-groups.json"),
        csl.parse_csl_compact(shared_data / "csl-2026-07-31" / "screening-list.json"),
        china_lists.parse_cn_parties(shared_data / "china-2026-07" / "cn_entity_lists.json"),
    ]
    return Context(Dataset.from_tables(tables), load_registry())


@pytest.fixture
def workbook_opens(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The paths the real openpyxl.load_workbook opens during a test (each open parses the workbook's
    shared strings again)."""
    import openpyxl

    real, calls = openpyxl.load_workbook, []

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(str(args[0]))
        return real(*args, **kwargs)

    monkeypatch.setattr(openpyxl, "load_workbook", counted)
    return calls

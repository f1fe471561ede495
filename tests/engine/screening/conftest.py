"""A small list table (real CSL names) and its index, shared by the screening tests."""

from __future__ import annotations

from collections.abc import Callable

import polars as pl
import pytest

from exportctl.engine.screening import LIST_SCHEMA, ScreeningIndex, build_index

ROWS = [
    (
        "EL",
        "1",
        "Huawei Technologies Co., Ltd.",
        ["Huawei"],
        "Entity",
        ["CN"],
        "For all items subject to the EAR",
        "Presumption of denial",
        "84 FR 22963",
    ),
    ("EL", "2", "華為技術有限公司", [], "Entity", ["CN"], None, None, None),
    (
        "SDN",
        "3",
        "BANK OF KUNLUN CO LTD",
        ["KARAMAY CITY COMMERCIAL BANK CO LTD."],
        "Entity",
        ["CN"],
        None,
        None,
        None,
    ),
    ("SDN", "4", "GREEN", [], "Vessel", [], None, None, None),
    ("SDN", "5", "CORP", [], "Entity", [], None, None, None),
    ("SDN", "6", "KIM, Jong Un", ["Kim Jong-un"], "Individual", ["KP"], None, None, None),
    ("SDN", "7", "ZU ZAG BONG 5", [], "Vessel", [], None, None, None),
    ("DPL", "8", "Vladimir Vladimirovich PUTIN", [], "Individual", ["RU"], None, None, None),
    ("EL", "9", "Aero Engine Corporation of China", ["AECC"], "Entity", ["CN"], None, None, None),
    ("SDN", "10", "JOINT STOCK COMPANY TEKHNODINAMIKA", [], "Entity", ["RU"], None, None, None),
    ("EL", "11", "Beijing Institute of Technology (BIT)", [], "Entity", ["CN"], None, None, None),
    (
        "SDN",
        "12",
        "Sinobright Import and Export Company; and any successor, sub-unit, or subsidiary thereof",
        [],
        "Entity",
        ["CN"],
        None,
        None,
        None,
    ),
]


def make_lists() -> pl.DataFrame:
    """The rows above as a list table."""
    cols = [
        "list",
        "entity_id",
        "name",
        "aliases",
        "type",
        "countries",
        "license_requirement",
        "license_policy",
        "federal_register_notice",
    ]
    data = [dict(zip(cols, r, strict=True)) for r in ROWS]
    for d in data:
        d.update(list_name=f"{d['list']} list", programs=[], source_url=None)
    return pl.DataFrame(data, schema=LIST_SCHEMA)


@pytest.fixture(scope="module")
def small_index() -> ScreeningIndex:
    """Index over the small list."""
    return build_index(make_lists())


def _sdn_index(listed: list[tuple[str, str, str]]) -> ScreeningIndex:
    """An index over SDN rows given as (entity_id, name, type), with no aliases, countries or programs."""
    rows = [
        {
            "list": "SDN",
            "list_name": "SDN list",
            "entity_id": eid,
            "name": name,
            "aliases": [],
            "type": kind,
            "countries": [],
            "programs": [],
        }
        for eid, name, kind in listed
    ]
    return build_index(pl.DataFrame(rows, schema=LIST_SCHEMA))


@pytest.fixture(scope="session")
def sdn_index_of() -> Callable[[list[tuple[str, str, str]]], ScreeningIndex]:
    """Build an index over SDN rows given as (entity_id, name, type)."""
    return _sdn_index

"""Tariffs: the duty stack of one HTS line (GET or POST /v1/tariff), its history (/v1/tariff/history) and
the stacks of several origins side by side (/v1/tariff/compare)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query
from fastapi.responses import Response
from pydantic import ConfigDict, Field

from exportctl.fronts.api.app import JSON, JSONObject, answered
from exportctl.fronts.api.deps import Principal, require
from exportctl.fronts.api.routers.common import scenario_from
from exportctl.fronts.api.schemas import (
    MODE_PATTERN,
    Country,
    Hts,
    IsoDate,
    KnownOnField,
    ScenarioField,
    ScenarioIn,
    ShortText,
    Strict,
    TariffAnswer,
    TariffDestination,
    TariffHistoryQuery,
    TariffQuery,
    error_responses,
)

router = APIRouter(tags=["tariff"], default_response_class=JSON)
ERRORS = error_responses(401, 403, 422, 429, 503)


def _lookup(q: TariffQuery) -> Response:
    from exportctl.ops.tariff import lookup

    return answered(lookup(
        q.hts, q.origin, q.date, q.destination, value=q.value, quantity=q.quantity, unit=q.unit,
        known_on=q.known_on, scenario=scenario_from(q.scenario), steel_content=q.steel_content,
        aluminum_content=q.aluminum_content, copper_content=q.copper_content, mode=q.mode,
        special_program=q.special,
    ))  # fmt: skip


@router.post(
    "/tariff",
    summary="The duty stack of one HTS line on a date (with a scenario)",
    response_model=TariffAnswer,
    response_class=JSONObject,
    responses=ERRORS,
)
def tariff_post(body: TariffQuery, who: Principal = require("read")) -> Response:
    """The same object `exportctl tariff --format json` prints. Not legal advice."""
    return _lookup(body)


@router.get(
    "/tariff",
    summary="The duty stack of one HTS line on a date",
    response_model=TariffAnswer,
    response_class=JSONObject,
    responses=ERRORS,
)
def tariff_get(
    hts: Hts = Query(examples=["8471.30.01"]),
    origin: Country = Query(examples=["CN"]),
    date: IsoDate = Query(examples=["2025-05-01"]),
    destination: TariffDestination = Query("US"),
    # amounts as text: ops.amounts reads '12.000' as twelve thousand, not as the float 12.0
    value: str | None = Query(None, max_length=64),
    quantity: str | None = Query(None, max_length=64),
    unit: str | None = Query(None, max_length=64),
    steel_content: str | None = Query(None, max_length=64),
    aluminum_content: str | None = Query(None, max_length=64),
    copper_content: str | None = Query(None, max_length=64),
    mode: str | None = Query(None, pattern=MODE_PATTERN),
    special: str | None = Query(None, max_length=64),
    known_on: IsoDate | None = None,
    who: Principal = require("read"),
) -> Response:
    """As POST /v1/tariff, from query parameters (no scenario)."""
    q = TariffQuery.model_validate(
        {"hts": hts, "origin": origin, "date": date, "destination": destination, "value": value,
         "quantity": quantity, "unit": unit, "known_on": known_on, "steel_content": steel_content,
         "aluminum_content": aluminum_content, "copper_content": copper_content, "mode": mode,
         "special": special}
    )  # fmt: skip
    return _lookup(q)


def _history(q: TariffHistoryQuery) -> dict[str, Any]:
    from exportctl.ops.tariff_history import history

    return history(
        q.hts,
        q.origin,
        q.start,
        q.end,
        q.destination,
        known_on=q.known_on,
        scenario=scenario_from(q.scenario),
    )


@router.post(
    "/tariff/history", summary="How one line's duty stack changed between two dates", responses=ERRORS
)
def history_post(body: TariffHistoryQuery, who: Principal = require("read")) -> dict[str, Any]:
    """{hts, origin, from, to, series: [{date, total_additional_pct, components, changed_by ...}]}."""
    return _history(body)


@router.get(
    "/tariff/history", summary="How one line's duty stack changed between two dates", responses=ERRORS
)
def history_get(
    hts: Hts = Query(examples=["8541.42"]),
    origin: Country = Query(examples=["CN"]),
    start: IsoDate = Query(alias="from", examples=["2018-01-01"]),
    end: IsoDate = Query(alias="to", examples=["2025-12-31"]),
    destination: TariffDestination = Query("US"),
    known_on: IsoDate | None = None,
    who: Principal = require("read"),
) -> dict[str, Any]:
    """As POST /v1/tariff/history, from query parameters (no scenario)."""
    q = TariffHistoryQuery.model_validate(
        {
            "hts": hts,
            "origin": origin,
            "from": start,
            "to": end,
            "destination": destination,
            "known_on": known_on,
        }
    )
    return _history(q)


class TariffCompareQuery(Strict):
    """One HTS line from several origins on one date (the CLI's `exportctl tariff compare` options)."""

    hts: Hts = Field(description="HTS code, 4 to 10 digits (dots allowed).")
    origins: list[Country] = Field(min_length=1, max_length=60, description="Countries of origin.")
    date: IsoDate = Field(description="Entry date.")
    destination: TariffDestination = "US"
    special_program: ShortText | None = None
    known_on: IsoDate | None = KnownOnField
    scenario: ScenarioIn | None = ScenarioField

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"hts": "8471.30.01", "origins": ["CN", "VN"], "date": "2025-09-01"}]
        },
    )


def _compare(q: TariffCompareQuery) -> dict[str, Any]:
    from exportctl.ops.tariff_compare import compare

    return compare(
        q.hts, q.origins, q.date, q.destination, known_on=q.known_on, scenario=scenario_from(q.scenario),
        special_program=q.special_program,
    )  # fmt: skip


@router.post("/tariff/compare", summary="One line's duty stacks from several origins", responses=ERRORS)
def compare_post(body: TariffCompareQuery, who: Principal = require("read")) -> dict[str, Any]:
    """{date, hts, origins: [{origin, total_ad_valorem_pct, components}]}, as `exportctl tariff compare`."""
    return _compare(body)


@router.get("/tariff/compare", summary="One line's duty stacks from several origins", responses=ERRORS)
def compare_get(
    hts: Hts = Query(examples=["8471.30.01"]),
    origins: str = Query(max_length=800, examples=["CN,VN,MX,IN"]),
    date: IsoDate = Query(examples=["2025-09-01"]),
    destination: TariffDestination = Query("US"),
    known_on: IsoDate | None = None,
    who: Principal = require("read"),
) -> dict[str, Any]:
    """As POST /v1/tariff/compare, with the origins comma-separated (no scenario)."""
    from exportctl.ops.tariff_compare import parse_origins

    names = parse_origins(origins)  # InputError naming `origins` before the model's own checks
    q = TariffCompareQuery.model_validate(
        {"hts": hts, "origins": names, "date": date, "destination": destination, "known_on": known_on}
    )
    return _compare(q)

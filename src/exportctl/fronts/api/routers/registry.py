"""The measures over time: GET/POST /v1/timeline, GET/POST /v1/diff and GET /v1/registry/coverage
(ops.registry)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query

from exportctl.fronts.api.app import JSON
from exportctl.fronts.api.deps import Principal, require
from exportctl.fronts.api.routers.common import scenario_from
from exportctl.fronts.api.schemas import (
    JURISDICTION_PATTERN,
    DiffQuery,
    IsoDate,
    TimelineQuery,
    error_responses,
)

router = APIRouter(tags=["registry"], default_response_class=JSON)
ERRORS = error_responses(401, 403, 422, 429)


def _timeline(q: TimelineQuery) -> dict[str, Any]:
    from exportctl.ops.registry import timeline

    return timeline(q.start, q.end, q.jurisdiction, known_on=q.known_on, scenario=scenario_from(q.scenario))


def _diff(q: DiffQuery) -> dict[str, Any]:
    from exportctl.ops.registry import diff

    return diff(q.start, q.end, q.jurisdiction, known_on=q.known_on, scenario=scenario_from(q.scenario))


@router.get(
    "/registry/coverage",
    summary="The first and last day the registry answers for (later dates hold)",
    responses=error_responses(401, 429),
)
def coverage_get(who: Principal = require("read")) -> dict[str, Any]:
    """`last_day` is the limit for the date fields; `refresh` says how to move it."""
    from exportctl.ops.registry import coverage

    return coverage()


@router.post(
    "/timeline", summary="Measures in force or changing between two dates (with a scenario)", responses=ERRORS
)
def timeline_post(body: TimelineQuery, who: Principal = require("read")) -> dict[str, Any]:
    """The same object `exportctl timeline --format json` prints."""
    return _timeline(body)


@router.get("/timeline", summary="Measures in force or changing between two dates", responses=ERRORS)
def timeline_get(
    start: IsoDate | None = Query(None, alias="from", examples=["2022-01-01"]),
    end: IsoDate | None = Query(None, alias="to", examples=["2025-12-31"]),
    jurisdiction: str | None = Query(None, pattern=JURISDICTION_PATTERN, examples=["US-EAR"]),
    known_on: IsoDate | None = None,
    who: Principal = require("read"),
) -> dict[str, Any]:
    """As POST /v1/timeline, from query parameters (no scenario)."""
    q = TimelineQuery.model_validate(
        {"from": start, "to": end, "jurisdiction": jurisdiction, "known_on": known_on}
    )
    return _timeline(q)


@router.post("/diff", summary="What changed between two dates (with a scenario)", responses=ERRORS)
def diff_post(body: DiffQuery, who: Principal = require("read")) -> dict[str, Any]:
    """The same object `exportctl diff --format json` prints."""
    return _diff(body)


@router.get("/diff", summary="What changed between two dates", responses=ERRORS)
def diff_get(
    start: IsoDate = Query(alias="from", examples=["2022-10-01"]),
    end: IsoDate = Query(alias="to", examples=["2023-11-30"]),
    jurisdiction: str | None = Query(None, pattern=JURISDICTION_PATTERN),
    known_on: IsoDate | None = None,
    who: Principal = require("read"),
) -> dict[str, Any]:
    """As POST /v1/diff, from query parameters (no scenario)."""
    q = DiffQuery.model_validate(
        {"from": start, "to": end, "jurisdiction": jurisdiction, "known_on": known_on}
    )
    return _diff(q)

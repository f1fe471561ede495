"""GET /v1/data/status: the active data version and its sources (ops.data.status)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from exportctl.fronts.api.app import JSON
from exportctl.fronts.api.deps import Principal, require
from exportctl.fronts.api.schemas import error_responses
from exportctl.ops.defaults import today

router = APIRouter(tags=["data"], default_response_class=JSON)


@router.get(
    "/data/status",
    summary="The active data version, its sources and their ages",
    responses=error_responses(401, 403, 429, 503),
)
def status(request: Request, who: Principal = require("read")) -> dict[str, Any]:
    """The same object `exportctl data status --format json` prints."""
    from exportctl.ops.data import status as data_status

    return data_status(today=today(), url=request.app.state.settings.database_url)

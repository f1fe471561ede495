"""GET /v1/health (anonymous) and GET /v1/token (who am I: any valid token)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from exportctl import ENGINE_VERSION, __version__
from exportctl.fronts.api.app import JSON
from exportctl.fronts.api.deps import Principal, require
from exportctl.fronts.api.schemas import error_responses

router = APIRouter(tags=["health"], default_response_class=JSON)


@router.get(
    "/health",
    summary="Is the service up? (no token needed)",
    responses={200: {"content": {"application/json": {"example": {"status": "ok", "version": __version__}}}}},
)
def health() -> dict[str, Any]:
    """The service answers; it does not touch the data (use /v1/data/status for that)."""
    return {"status": "ok", "version": __version__, "engine_version": ENGINE_VERSION}


@router.get("/token", summary="The calling token's id and scopes", responses=error_responses(401, 429))
def whoami(who: Principal = require(None)) -> dict[str, Any]:
    """What the web page's login checks: the token is valid, and which scopes it has."""
    return {"id": who.token.id, "name": who.token.name, "scopes": list(who.token.scopes)}

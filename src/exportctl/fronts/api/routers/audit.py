"""The audit trail over HTTP: verify and export (admin), review decisions on screening hits (review)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from exportctl.fronts.api.app import JSON
from exportctl.fronts.api.deps import Principal, now_utc, require
from exportctl.fronts.api.schemas import IsoDate, ReviewIn, error_responses

router = APIRouter(tags=["audit"], default_response_class=JSON)


@router.get(
    "/audit/verify",
    summary="Recompute the audit trail's hash chain",
    responses=error_responses(401, 403, 429),
)
def verify(request: Request, who: Principal = require("admin")) -> dict[str, Any]:
    """{ok, records, head_seq, first_bad_seq, problem}, as `exportctl audit verify --format json`."""
    from exportctl.ops.audit import verify as run

    return run(engine=request.app.state.engine)


@router.get(
    "/audit/export",
    summary="The records made between two days (UTC), as jsonl or csv",
    response_class=Response,
    responses={
        200: {"content": {"application/x-ndjson": {}, "text/csv": {}}},
        **error_responses(401, 403, 422, 429),
    },
)
def export(
    request: Request,
    start: IsoDate | None = Query(None, alias="from"),
    end: IsoDate | None = Query(None, alias="to"),
    format: str = Query("jsonl", pattern="^(jsonl|csv)$"),
    who: Principal = require("admin"),
) -> Response:
    """The same bytes as `exportctl audit export --from D --to D --format F`."""
    import io

    from exportctl.ops.audit import export as run

    buf = io.StringIO()
    run(buf, format, start, end, engine=request.app.state.engine)
    media = "text/csv" if format == "csv" else "application/x-ndjson"
    return Response(buf.getvalue(), media_type=media)


@router.post(
    "/reviews",
    summary="Record a decision on a screening hit",
    responses=error_responses(401, 403, 404, 422, 429),
)
def review(request: Request, body: ReviewIn, who: Principal = require("review")) -> dict[str, Any]:
    """match or false_positive, with a note; shown on later hits of that party and entry until it changes.
    A current false_positive suppresses the hit: it is reported with `suppressed` and does not alert."""
    from exportctl.ops.reviews import review as run
    from exportctl.store import active_dataset

    return run(
        party=body.party, list_id=body.list, entity_id=body.entity_id, decision=body.decision, note=body.note,
        actor=who.actor, at=now_utc(), dataset=active_dataset(request.app.state.settings.database_url),
        engine=request.app.state.engine,
    )  # fmt: skip


@router.delete(
    "/reviews/{review_id}",
    summary="Withdraw a review decision (a suppressed hit alerts again)",
    responses=error_responses(401, 403, 404, 409, 422, 429),
)
def withdraw(
    request: Request,
    review_id: int = Path(ge=1, le=2**31 - 1, description="The decision's id (GET /v1/reviews)."),
    reason: str = Query("", max_length=4000),
    who: Principal = require("review"),
) -> dict[str, Any]:
    """Appends a `withdrawn` decision on the same party and entry (in the audit trail); returns it."""
    from exportctl.ops.reviews import withdraw as run

    return run(review_id, reason=reason, actor=who.actor, at=now_utc(), engine=request.app.state.engine)


@router.get(
    "/reviews", summary="Review decisions, newest first", responses=error_responses(401, 403, 422, 429)
)
def reviews(
    request: Request, limit: int = Query(100, ge=1, le=1000), who: Principal = require("review")
) -> dict[str, Any]:
    """{"reviews": [{id, at, actor, party, list, entity_id, listed_name, decision, note ...}]}."""
    from exportctl.ops.reviews import reviews as run

    return {"reviews": run(limit=limit, engine=request.app.state.engine)}

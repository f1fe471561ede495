"""POST /v1/screen: one name or a batch keyed by ids, against the party lists (ops.screen).

Each hit carries its explanation (how the names aligned and scored), its `evidence` (name, country, dob,
nationality, id: what each changed), `review`: the newest review decision on the same party and list entry
(`current`, or `expired` once the entry changed), or null, and `suppressed`: the current false-positive
decision that suppresses it, or null. `cleared` lists the hits whose evidence took them below the threshold.
"""

from __future__ import annotations

from typing import Any, cast

from fastapi import APIRouter, Request
from fastapi.responses import Response

from exportctl.errors import InputError, TooLargeError
from exportctl.fronts.api.app import JSON, JSONObject, answered
from exportctl.fronts.api.deps import Principal, require
from exportctl.fronts.api.routers.common import Trail, answering, audit
from exportctl.fronts.api.schemas import (
    ScreenAnswer,
    ScreenBatch,
    ScreenBatchAnswer,
    ScreenBody,
    error_responses,
)

router = APIRouter(tags=["screen"], default_response_class=JSON)

HIT_EXAMPLE = {
    "list": "EL",
    "entity_id": "…",
    "name": "Huawei Technologies Co., Ltd.",
    "matched_name": "huawei technologies",
    "score": 1.0,
    "explanation": "huawei=huawei (1.00), technologies=technologies (1.00)",
    "evidence": [
        {"kind": "name", "query": "Huawei Technologies", "entry": "huawei technologies", "effect": "1.000"},
        {"kind": "country", "query": "CN", "entry": "CN", "effect": "+0.03"},
    ],
    "review": None,
    "suppressed": None,
}


def _dataset(request: Request) -> Any:
    from exportctl.store import active_dataset

    return active_dataset(request.app.state.settings.database_url)


@router.post(
    "/screen",
    summary="Screen a name (or a batch of names keyed by your ids) against the party lists",
    response_model=ScreenAnswer | ScreenBatchAnswer,
    response_class=JSONObject,
    responses={
        200: {
            "content": {
                "application/json": {
                    "examples": {
                        "one": {
                            "value": {
                                "query": "Huawei Technologies",
                                "hits": [HIT_EXAMPLE],
                                "matcher": "exportctl-v3",
                            }
                        },
                        "batch": {"value": {"responses": {"a": {"query": "Huawei", "hits": [HIT_EXAMPLE]}}}},
                    }
                }
            }
        },
        **error_responses(401, 403, 413, 422, 429, 503),
    },
)
def screen(request: Request, body: ScreenBody, who: Principal = require("check")) -> Response:
    """Who on the lists could this be, and why each hit scored as it did. Not legal advice."""
    from exportctl.ops.defaults import check_screen_fail_on

    check_screen_fail_on(body.fail_on)  # refused before any work
    dataset = _dataset(request)
    # the answer is rendered inside `answering`: a failure after the record is recorded too
    with answering(request, who, "screen") as trail:
        if not isinstance(body, ScreenBatch):
            return _one(request, body, who, dataset, trail)
        return _batch(request, body, who, dataset, trail)


def _one(request: Request, body: Any, who: Principal, dataset: Any, trail: Trail) -> Response:
    from exportctl.engine.screening import MATCHER_VERSION
    from exportctl.ops.defaults import fail_fields, screen_fails
    from exportctl.ops.screen import screen_names

    (result,) = screen_names(
        [body.name], country=body.country, party_type=body.type, threshold=body.threshold,
        dataset=dataset, dob=body.dob, nationality=body.nationality, id_number=body.id_number,
        profile=body.profile, engine=request.app.state.engine, as_of=body.as_of,
    )  # fmt: skip
    result = cast(
        ScreenAnswer, {**result, **fail_fields(screen_fails(result["hits"], body.fail_on), body.fail_on)}
    )
    inputs = body.model_dump(mode="json")
    audit(request, who, "screen", inputs, result, result["data_version"], MATCHER_VERSION, trail=trail)
    return answered(result)


def _batch(request: Request, body: ScreenBatch, who: Principal, dataset: Any, trail: Trail) -> Response:
    from exportctl.engine.screening import MATCHER_VERSION
    from exportctl.ops.batch import SCREEN_FIELDS, screen_keyed

    limit = request.app.state.settings.max_batch
    if len(body.queries) > limit:
        raise TooLargeError(
            f"a batch holds at most {limit} queries, not {len(body.queries)}", field="queries"
        )
    if not body.queries:
        raise InputError("the batch has no queries", field="queries")
    answer, version = screen_keyed(
        {qid: {c: getattr(q, c) for c in SCREEN_FIELDS} for qid, q in body.queries.items()},
        threshold=body.threshold, as_of=body.as_of, profile=body.profile, dataset=dataset,
        engine=request.app.state.engine, fail_on=body.fail_on,
    )  # fmt: skip
    inputs = body.model_dump(mode="json")
    audit(request, who, "screen_batch", inputs, answer["responses"], version, MATCHER_VERSION, trail=trail)
    return answered(answer)

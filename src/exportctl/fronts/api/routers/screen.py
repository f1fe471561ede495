"""POST /v1/screen: one name or a batch keyed by ids, against the party lists (ops.screen).

Each hit carries its explanation (how the names aligned and scored), its `evidence` (name, country, dob,
nationality, id: what each changed), `review`: the newest review decision on the same party and list entry
(`current`, or `expired` once the entry changed), or null, and `suppressed`: the current false-positive
decision that suppresses it, or null. `cleared` lists the hits whose evidence took them below the threshold.
"""

from __future__ import annotations

from typing import Any, cast

import polars as pl
from fastapi import APIRouter, Request
from fastapi.responses import Response

from exportctl.errors import InputError, TooLargeError
from exportctl.fronts.api.app import JSON, JSONObject, answered
from exportctl.fronts.api.deps import Principal, require
from exportctl.fronts.api.routers.common import audit
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
    from exportctl.engine.screening import MATCHER_VERSION
    from exportctl.ops.screen import check_dob, check_id_number, resolve_profile, screen_names, screen_table

    dataset = _dataset(request)
    engine = request.app.state.engine
    if not isinstance(body, ScreenBatch):
        (result,) = screen_names(
            [body.name], country=body.country, party_type=body.type, threshold=body.threshold,
            dataset=dataset, dob=body.dob, nationality=body.nationality, id_number=body.id_number,
            profile=body.profile, engine=engine, as_of=body.as_of,
        )  # fmt: skip
        audit(
            request,
            who,
            "screen",
            body.model_dump(mode="json"),
            result,
            result["data_version"],
            MATCHER_VERSION,
        )
        return answered(result)
    limit = request.app.state.settings.max_batch
    if len(body.queries) > limit:
        raise TooLargeError(
            f"a batch holds at most {limit} queries, not {len(body.queries)}", field="queries"
        )
    if not body.queries:
        raise InputError("the batch has no queries", field="queries")
    ids = list(body.queries)
    from exportctl.model.countries import resolve_country
    from exportctl.ops.screen import check_name

    for qid in ids:  # one clear error naming the query, before any work
        q = body.queries[qid]
        check_name(q.name, field=f"queries.{qid}.name")
        if q.country:
            resolve_country(q.country or "", field=f"queries.{qid}.country")
        if q.nationality:
            resolve_country(q.nationality or "", field=f"queries.{qid}.nationality")
        check_dob(q.dob, field=f"queries.{qid}.dob")
        check_id_number(q.id_number, field=f"queries.{qid}.id_number")
    columns = ("name", "country", "type", "dob", "nationality", "id_number")
    parties = pl.DataFrame(
        {c: [getattr(body.queries[i], c) or "" for i in ids] for c in columns},
        schema={c: pl.Utf8 for c in columns},
    )
    prof, threshold = resolve_profile(body.profile, None, body.threshold)
    rows, version = screen_table(
        parties, threshold=threshold, dataset=dataset, profile=body.profile, engine=engine, as_of=body.as_of
    )
    results = [
        {
            "query": r["name"],
            "hits": r["hits"],
            "cleared": r["cleared"],
            "matcher": MATCHER_VERSION,
            "data_version": version,
            "threshold": threshold,
            **({"as_of": body.as_of.isoformat()} if body.as_of else {}),
            "profile": prof.name if prof else None,
        }
        for r in rows
    ]
    responses = dict(zip(ids, cast(list[ScreenAnswer], results), strict=True))
    audit(request, who, "screen_batch", body.model_dump(mode="json"), responses, version, MATCHER_VERSION)
    return answered(ScreenBatchAnswer(responses=responses))

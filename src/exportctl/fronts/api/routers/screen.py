"""POST /v1/screen: one name or a batch keyed by ids, against the party lists (ops.screen).

Each hit carries its explanation (how the names aligned and scored) and `review`: the newest review
decision on the same party and list entry (`current`, or `expired` once the entry changed), or null.
"""

from __future__ import annotations

from typing import Any

import polars as pl
from fastapi import APIRouter, Request

from exportctl.errors import InputError
from exportctl.fronts.api.app import JSON
from exportctl.fronts.api.deps import Principal, TooLargeError, require
from exportctl.fronts.api.routers.common import audit
from exportctl.fronts.api.schemas import ScreenBatch, ScreenBody, error_responses

router = APIRouter(tags=["screen"], default_response_class=JSON)

HIT_EXAMPLE = {
    "list": "EL",
    "entity_id": "…",
    "name": "Huawei Technologies Co., Ltd.",
    "matched_name": "huawei technologies",
    "score": 1.0,
    "explanation": "huawei=huawei (1.00), technologies=technologies (1.00)",
    "review": None,
}


def _dataset(request: Request) -> Any:
    from exportctl.store import active_dataset

    return active_dataset(request.app.state.settings.database_url)


@router.post(
    "/screen",
    summary="Screen a name (or a batch of names keyed by your ids) against the party lists",
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
def screen(request: Request, body: ScreenBody, who: Principal = require("check")) -> dict[str, Any]:
    """Who on the lists could this be, and why each hit scored as it did. Not legal advice."""
    from exportctl.engine.screening import DEFAULT_THRESHOLD, MATCHER_VERSION
    from exportctl.ops.audit import annotate
    from exportctl.ops.screen import screen_names, screen_table

    dataset = _dataset(request)
    engine = request.app.state.engine
    threshold = body.threshold if body.threshold is not None else DEFAULT_THRESHOLD
    if not isinstance(body, ScreenBatch):
        (result,) = screen_names(
            [body.name],
            country=body.country,
            party_type=body.type,
            threshold=threshold,
            dataset=dataset,
            as_of=body.as_of,
        )
        (result,) = annotate([result], dataset=dataset, engine=engine)
        audit(
            request,
            who,
            "screen",
            body.model_dump(mode="json"),
            result,
            result["data_version"],
            MATCHER_VERSION,
        )
        return result
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
        check_name(body.queries[qid].name, field=f"queries.{qid}.name")
        if body.queries[qid].country:
            resolve_country(body.queries[qid].country or "", field=f"queries.{qid}.country")
    parties = pl.DataFrame(
        {
            "name": [body.queries[i].name for i in ids],
            "country": [body.queries[i].country or "" for i in ids],
            "type": [body.queries[i].type or "" for i in ids],
        },
        schema={"name": pl.Utf8, "country": pl.Utf8, "type": pl.Utf8},
    )
    rows, version = screen_table(parties, threshold=threshold, dataset=dataset, as_of=body.as_of)
    results = [
        {
            "query": r["name"],
            "hits": r["hits"],
            "matcher": MATCHER_VERSION,
            "data_version": version,
            "threshold": threshold,
            **({"as_of": body.as_of.isoformat()} if body.as_of else {}),
        }
        for r in rows
    ]
    annotated = annotate(results, dataset=dataset, engine=engine)
    responses = dict(zip(ids, annotated, strict=True))
    audit(request, who, "screen_batch", body.model_dump(mode="json"), responses, version, MATCHER_VERSION)
    return {"responses": responses}

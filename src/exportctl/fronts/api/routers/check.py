"""POST /v1/check (one transaction or a batch keyed by ids) and POST /v1/check/file (an order book).

A single check answers exactly what `exportctl check --format json` prints (ops.check.check_one); a
batch runs as one table through ops.check.check_table. Each call is recorded in the audit trail.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Any

import polars as pl
from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.encoders import jsonable_encoder
from fastapi.responses import Response

from exportctl.engine.ear.determine import ENGINE_VERSION
from exportctl.errors import InputError, TooLargeError
from exportctl.fronts.api.app import JSON, JSONObject, today_utc
from exportctl.fronts.api.deps import Principal, now_utc, require
from exportctl.fronts.api.routers.common import audit, check_context, scenario_from
from exportctl.fronts.api.schemas import (
    CHECK_EXAMPLE,
    CheckAnswer,
    CheckBatch,
    CheckBatchAnswer,
    CheckBody,
    CheckItem,
    CheckQuery,
    error_responses,
)
from exportctl.fronts.cli.output import dumps
from exportctl.ops.check_input import ROLES

router = APIRouter(tags=["check"], default_response_class=JSON)

ANSWER_EXAMPLE = {
    "verdict": "license_required",
    "license_required": True,
    "reasons": [
        {
            "step": "GP1",
            "code": "RS",
            "rule": "RS",
            "effect": "license_required",
            "citation": "15 CFR 774 Supp. 1, ECCN 3A090; 15 CFR 742.6(a)(6)(iii)",
            "measure": None,
            "text": "RS control of 3A090 ...",
        }
    ],
    "review_policy": "presumption of denial",
    "exceptions": [],
    "parties": [],
    "checks": [
        {
            "step": "coverage",
            "what": "US-EAR controls researched through 2026-07-31; known up to 2026-07-14",
            "result": "covered",
        },
        {
            "step": "coverage",
            "what": "US-EAR parties researched through 2026-07-31; known up to 2026-07-14",
            "result": "not consulted: no party named",
        },
        {
            "step": "country_chart",
            "what": "3A090 reasons AT1, RS §742.6(a)(6)(iii) against CN's Country Chart row: no X",
            "result": "license required (RS)",
        },
        {
            "step": "party_lists",
            "what": "lists available: Entity List 3,420, ... (data version 6f1c...)",
            "result": "not screened: no party given",
        },
    ],
    "as_of": "2025-05-01",
    "known_on": None,
    "data_version": "6f1c...",
    "engine_version": ENGINE_VERSION,
    "regime": "a93e...",
    "transaction": {"eccn": "3A090", "destination": "CN", "as_of": "2025-05-01", "exporting_country": "US"},
}
_ROW_PREFIX = re.compile(r"^row \d+: ")


def _row(item: CheckItem) -> dict[str, Any]:
    """One transaction as ops.check reads it: the columns check_one builds (parties by role)."""
    row: dict[str, Any] = {
        "exporting_country": item.exporting_country,
        "eccn": item.eccn,
        "product": item.product,
        "destination": item.destination,
        "end_use": item.end_use,
        "value": None if item.value is None else str(item.value),
        "as_of": (item.date or today_utc()).isoformat(),
        "known_on": item.known_on.isoformat() if item.known_on else None,
    }
    for role, name in zip(ROLES, item.parties, strict=False):
        row[role] = name
    return row


def _one(request: Request, q: CheckQuery, who: Principal) -> CheckAnswer:
    from exportctl.ops.check import check_one

    ctx = check_context(request)
    try:
        answer = _check_one(check_one, q, ctx)
    except InputError as err:
        if err.field == "to":  # check_one names the CLI's option; the API's field is `destination`
            err.field = "destination"
        raise
    engine_version = str(answer.get("engine_version") or ENGINE_VERSION)
    audit(request, who, "check", q.model_dump(mode="json"), answer, ctx.version, engine_version)
    return answer


def _check_one(check_one: Any, q: CheckQuery, ctx: Any) -> CheckAnswer:
    result: CheckAnswer = check_one(
        to=q.destination,
        as_of=q.date or today_utc(),
        eccn=q.eccn,
        product=q.product,
        exporting_country=q.exporting_country,
        parties=q.parties,
        end_use=q.end_use,
        value=q.value,
        known_on=q.known_on,
        scenario=scenario_from(q.scenario),
        fuzzy=not q.exact,
        context=ctx,
    )
    return result


def _batch(request: Request, b: CheckBatch, who: Principal) -> CheckBatchAnswer:
    from exportctl.ops.check import answer, check_table

    limit = request.app.state.settings.max_batch
    if len(b.queries) > limit:
        raise TooLargeError(f"a batch holds at most {limit} queries, not {len(b.queries)}", field="queries")
    if not b.queries:
        raise InputError("the batch has no queries", field="queries")
    ids = list(b.queries)
    rows = [_row(b.queries[i]) for i in ids]
    keys = sorted({k for r in rows for k in r})
    frame = pl.DataFrame([{k: r.get(k) for k in keys} for r in rows], schema={k: pl.Utf8 for k in keys})
    ctx = check_context(request)
    warnings: list[str] = []
    results = check_table(
        frame,
        known_on=b.known_on,
        scenario=scenario_from(b.scenario),
        fuzzy=not b.exact,
        context=ctx,
        warn=warnings.append,
    )
    responses: dict[str, CheckAnswer] = {}
    for qid, row, result in zip(ids, rows, results.iter_rows(named=True), strict=True):
        obj = answer(result)
        if obj.get("error"):
            obj["error"] = _ROW_PREFIX.sub("", str(obj["error"]))
        transaction = {k: v for k, v in row.items() if v is not None and k not in ROLES}
        parties = b.queries[qid].parties
        responses[qid] = CheckAnswer(
            **obj, transaction=transaction | ({"parties": list(parties)} if parties else {})
        )
    versions = sorted({str(r.get("engine_version")) for r in responses.values() if r.get("engine_version")})
    audit(
        request,
        who,
        "check_batch",
        b.model_dump(mode="json"),
        responses,
        ctx.version,
        ",".join(versions) or ENGINE_VERSION,
    )
    # a batch naming no party says so once, as `exportctl check BOOK` does on stderr
    out = CheckBatchAnswer(responses=responses)
    if warnings:
        out["warnings"] = warnings
    return out


@router.post(
    "/check",
    summary="License determination: one transaction, or a batch keyed by your ids",
    response_class=JSONObject,
    response_model=CheckAnswer | CheckBatchAnswer,
    responses={
        200: {
            "description": "As `exportctl check --format json`; a batch answers {responses: {id: ...}}",
            "content": {
                "application/json": {
                    "examples": {
                        "one": {"value": ANSWER_EXAMPLE},
                        "batch": {"value": {"responses": {"po-1": ANSWER_EXAMPLE}}},
                    }
                }
            },
        },
        **error_responses(401, 403, 413, 422, 429, 503),
    },
    openapi_extra={
        "requestBody": {
            "content": {
                "application/json": {
                    "examples": {
                        "one": {"summary": "One transaction", "value": CHECK_EXAMPLE},
                        "batch": {"summary": "A batch", "value": {"queries": {"po-1": CHECK_EXAMPLE}}},
                    }
                }
            }
        }
    },
)
def check(request: Request, body: CheckBody, who: Principal = require("check")) -> Response:
    """Does this item, to these parties in this country, need a license on this date? Not legal advice."""
    # sent as a Response: the OpenAPI document comes from response_model, the bytes from the answer itself
    if isinstance(body, CheckBatch):
        return JSONObject(jsonable_encoder(_batch(request, body, who)))
    return JSONObject(jsonable_encoder(_one(request, body, who)))


OUT_FORMATS = {
    "csv": "text/csv",
    "jsonl": "application/x-ndjson",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "parquet": "application/vnd.apache.parquet",
}


@router.post(
    "/check/file",
    summary="Check an order book (CSV, XLSX, Parquet, JSONL) and download the results",
    response_class=Response,
    responses={
        200: {"content": {m: {} for m in OUT_FORMATS.values()}},
        **error_responses(401, 403, 413, 422, 429, 503),
    },
)
def check_file(
    request: Request,
    file: UploadFile = File(
        description="The order book: .csv, .xlsx, .parquet or .jsonl (columns as `exportctl check FILE`)."
    ),
    date: str | None = Form(
        default=None, description="Default date for rows without one (YYYY-MM-DD); default today."
    ),
    known_on: str | None = Form(default=None),
    exact: bool = Form(default=False),
    output: str = Form(default="csv", description="Result format: csv, jsonl, xlsx or parquet."),
    columns: str | None = Form(
        default=None,
        description='The book\'s headers mapped to fields, as a JSON or YAML object: {"Kunde": "customer"}.',
    ),
    ignore_columns: list[str] = Form(
        default=[], description="Columns of the book to leave out; any other unplaced column is refused."
    ),
    date_format: str | None = Form(
        default=None, description="How the book writes dates that are not ISO, e.g. %m/%d/%Y."
    ),
    date_override: bool = Form(
        default=False, description="Check every row on `date`, whatever date the book gives."
    ),
    who: Principal = require("check"),
) -> Response:
    """The same run as `exportctl check FILE -o results.<format>`; the summary is in X-Exportctl-Summary.

    Warnings (a book without a party column) are in X-Exportctl-Warnings, a JSON list.
    """
    from exportctl.model.dates import parse_date
    from exportctl.ops.audit import acting_as
    from exportctl.ops.check import check_file as run
    from exportctl.ops.check import summary
    from exportctl.ops.check_columns import column_map_text
    from exportctl.ops.files import file_format

    if output not in OUT_FORMATS:
        raise InputError(
            f"output must be one of {', '.join(OUT_FORMATS)}", field="output", suggestions=list(OUT_FORMATS)
        )
    name = Path(file.filename or "orders.csv").name or "orders.csv"
    file_format(Path(name), "file")
    if date_override and not date:
        raise InputError("date_override needs date: the date that replaces the book's dates", field="date")
    as_of = parse_date(date, "date") if date else today_utc()
    mapping = column_map_text(columns) if columns else {}
    known = parse_date(known_on, "known_on") if known_on else None
    ctx = check_context(request)
    with tempfile.TemporaryDirectory(prefix="exportctl-upload-") as tmp:
        src = Path(tmp) / name
        src.write_bytes(file.file.read())
        out = Path(tmp) / f"results.{output}"
        # ops.check.check_file records the run in the audit trail, as made by this token
        with acting_as(who.actor, now_utc(), request.app.state.engine) as recorded:
            warnings: list[str] = []
            results = run(
                src,
                out,
                as_of=as_of,
                known_on=known,
                fuzzy=not exact,
                context=ctx,
                columns=mapping,
                ignore_columns=ignore_columns,
                date_format=date_format,
                date_override=date_override,
                warn=warnings.append,
            )
        data = out.read_bytes()
    headers = {
        "Content-Disposition": f'attachment; filename="{Path(name).stem}-results.{output}"',
        "X-Exportctl-Summary": dumps(summary(results)),
        "X-Exportctl-Audit-Seq": ",".join(str(seq) for seq in recorded["seqs"]),
        "X-Exportctl-Data-Version": ctx.version,
        **({"X-Exportctl-Warnings": dumps(warnings)} if warnings else {}),
    }
    return Response(content=data, media_type=OUT_FORMATS[output], headers=headers)

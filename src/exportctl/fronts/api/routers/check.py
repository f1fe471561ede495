"""POST /v1/check (one transaction or a batch keyed by ids) and POST /v1/check/file (an order book).

A single check answers exactly what `exportctl check --format json` prints (ops.check.check_one); a
batch runs as one table through ops.check.check_table. Each call is recorded in the audit trail.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any, cast
from urllib.parse import quote

import orjson
from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.encoders import jsonable_encoder
from fastapi.responses import Response

from exportctl.engine.ear.determine import ENGINE_VERSION
from exportctl.errors import InputError, TooLargeError
from exportctl.fronts.api.app import JSON, JSONObject, keyed_json_bytes
from exportctl.fronts.api.batch_body import CheckBatchRoute, inputs_hash
from exportctl.fronts.api.batch_json import DISTINCT, DISTINCT_SCHEMA, distinct_parts, wants_distinct
from exportctl.fronts.api.deps import Principal, now_utc, require
from exportctl.fronts.api.routers.common import Trail, answering, audit, check_context, scenario_from
from exportctl.fronts.api.schemas import (
    CHECK_EXAMPLE,
    CheckAnswer,
    CheckBatch,
    CheckBatchAnswer,
    CheckBody,
    CheckFailOn,
    CheckItem,
    CheckQuery,
    IsoDate,
    error_responses,
)
from exportctl.fronts.cli.output import dumps
from exportctl.ops.defaults import answer_fail_fields, check_fail_on, today

# a batch's JSON body is read once per distinct query (fronts/api/batch_body.py)
router = APIRouter(tags=["check"], default_response_class=JSON, route_class=CheckBatchRoute)

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


def _fields(item: CheckItem) -> dict[str, Any]:
    """One query's transaction fields, named as ops names them (the API's own names: no renaming); the
    parties in order, or named by role (ops.check_single.parties_by_role)."""
    from exportctl.ops.check_single import parties_by_role

    parties = parties_by_role(
        item.parties,
        (item.ultimate_consignee, item.end_user, item.intermediate_consignee, item.purchaser),
        field="parties",
        roles="ultimate_consignee, end_user, intermediate_consignee, purchaser",
    )
    return {
        "destination": item.destination,
        "as_of": item.date,
        "eccn": item.eccn,
        "product": item.product,
        "exporting_country": item.exporting_country,
        "parties": parties,
        "end_use": item.end_use,
        "value": item.value,
        "known_on": item.known_on,
    }


def _one(request: Request, q: CheckQuery, who: Principal, trail: Trail) -> CheckAnswer:
    from exportctl.ops.batch import check_keyed
    from exportctl.ops.check import check_one
    from exportctl.ops.check_single import prepare
    from exportctl.ops.neighbours import kept_answer

    check_fail_on(q.fail_on)  # refused before any work
    ctx = check_context(request)
    fields = _fields(q) | {"as_of": q.date or today()}
    scenario, fuzzy = scenario_from(q.scenario), not q.exact

    def single(f: Mapping[str, Any]) -> dict[str, Any]:
        return dict(check_one(**f, scenario=scenario, fuzzy=fuzzy, context=ctx))

    def batch(items: list[Mapping[str, Any]]) -> list[dict[str, Any]]:
        if scenario is None:
            # answered as one table AND kept on the Context (ops.check_single.prepare), so that the next
            # time a question comes kept_answer gives it at once: the gathered batch kept nothing, and
            # every repeat cost a batch again (12 ms of server CPU per answer against ~2 from the keep).
            # A query not kept (an input error) answers `error`: the gatherer sends it to check_one.
            prepare([f for f in items if _well_formed(f)], fuzzy=fuzzy, context=ctx)
            kept = [kept_answer(f, scenario=None, fuzzy=fuzzy, context=ctx) for f in items]
            return [dict(a) if a is not None else {"error": "not kept"} for a in kept]
        keyed, _ = check_keyed(
            {str(i): f for i, f in enumerate(items)}, scenario=scenario, fuzzy=fuzzy, context=ctx
        )
        return [keyed[str(i)] for i in range(len(items))]

    # concurrent single checks of one scenario, fuzziness and data version are answered as one batch
    key = (json.dumps(jsonable_encoder(q.scenario), sort_keys=True), fuzzy, id(ctx))
    # an answer kept on the Context (asked before, or in a block of neighbours) skips the gathering
    answer = kept_answer(
        fields, scenario=scenario, fuzzy=fuzzy, context=ctx
    ) or request.app.state.gatherer.answer(key, fields, batch, single)
    answer = cast(CheckAnswer, {**answer, **answer_fail_fields(answer, q.fail_on)})
    engine_version = str(answer.get("engine_version") or ENGINE_VERSION)
    audit(request, who, "check", q.model_dump(mode="json"), answer, ctx.version, engine_version, trail=trail)
    return answer


def _well_formed(fields: Mapping[str, Any]) -> bool:
    """The query makes a row (check_single.question_row): one that does not is left out of a gathered
    batch, so that it fails alone (check_one names its field), not its whole group."""
    from exportctl.ops.check_single import question_row

    try:
        question_row(**fields)
    except InputError:
        return False
    return True


def _batch(request: Request, b: CheckBatch, who: Principal, trail: Trail) -> Response:
    from exportctl.ops.batch import check_keyed

    limit = request.app.state.settings.max_batch
    if len(b.queries) > limit:
        raise TooLargeError(f"a batch holds at most {limit} queries, not {len(b.queries)}", field="queries")
    if not b.queries:
        raise InputError("the batch has no queries", field="queries")
    ctx = check_context(request)
    # ids asking one query share its validated item (batch_body): its fields are made once, and
    # check_keyed reads the one object once
    made: dict[int, dict[str, Any]] = {}
    queries = {}
    for qid, item in b.queries.items():
        fields = made.get(id(item))
        if fields is None:
            try:
                fields = made[id(item)] = _fields(item)
            except InputError as err:  # named as pydantic names a query's field: queries.<id>.<field>
                raise InputError(err.message, field=f"queries.{qid}.{err.field}") from None
        queries[qid] = fields
    responses, batch = check_keyed(
        queries,
        known_on=b.known_on,
        scenario=scenario_from(b.scenario),
        fuzzy=not b.exact,
        context=ctx,
        fail_on=b.fail_on,
        shared=True,  # the answers are only written as JSON here
    )
    versions = ",".join(batch.engine_versions) or ENGINE_VERSION
    # the answers' JSON written once: these bytes are the body's `responses` and what the audit record
    # keeps (by their sha256, compressed, beside the chain: store.audit_payloads)
    sent = keyed_json_bytes(responses)
    counts = {"answers": len(responses), "summary": batch.summary}
    audit(request, who, "check_batch", None, counts, ctx.version, versions, trail=trail, payload=sent,
          inputs_hash=inputs_hash(b))  # fmt: skip
    # a batch naming no party says so once, as `exportctl check BOOK` does on stderr
    warnings = {"warnings": list(batch.warnings)} if batch.warnings else {}
    if wants_distinct(request.headers.get("accept")):  # each distinct answer once (fronts/api/batch_json.py)
        parts = distinct_parts(responses)
        return JSONObject({**parts, **warnings, **batch.fail_fields()}, media_type=DISTINCT)
    return JSONObject({"responses": orjson.Fragment(sent), **warnings, **batch.fail_fields()})


@router.post(
    "/check",
    summary="License determination: one transaction, or a batch keyed by your ids",
    response_class=JSONObject,
    response_model=CheckAnswer | CheckBatchAnswer,
    responses={
        200: {
            "description": "As `exportctl check --format json`; a batch answers {responses: {id: ...}}. "
            f"A batch sent with `Accept: {DISTINCT}` answers each distinct answer once: "
            "{answers: [...], answer_of: {id: index}}; a single check answers as ever.",
            "content": {
                "application/json": {
                    "examples": {
                        "one": {"value": ANSWER_EXAMPLE},
                        "batch": {"value": {"responses": {"po-1": ANSWER_EXAMPLE}}},
                    }
                },
                DISTINCT: {
                    "schema": DISTINCT_SCHEMA,
                    "example": {"answers": [ANSWER_EXAMPLE], "answer_of": {"po-1": 0, "po-2": 0}},
                },
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
    # (rendered here, inside `answering`: a failure to render it is recorded after the check's record)
    with answering(request, who, "check") as trail:
        # the answers are plain JSON values already (dates as ISO text): encoded as they are (json_bytes)
        if isinstance(body, CheckBatch):
            return _batch(request, body, who, trail)
        return JSONObject(_one(request, body, who, trail))


NAME_LIMIT = 255  # characters of an uploaded file's name (most file systems' limit)


def upload_name(filename: str | None) -> str:
    """The uploaded file's base name, refused (422 naming `file`) before any work or audit record when it
    holds a NUL or another control character or is longer than NAME_LIMIT; any script is fine."""
    raw = filename or "orders.csv"
    if any(ord(c) < 32 or ord(c) == 127 for c in raw):
        raise InputError("the file name holds a control character (NUL, newline ...)", field="file")
    name = Path(raw.replace("\\", "/")).name or "orders.csv"
    if len(name) > NAME_LIMIT:
        raise InputError(f"the file name is longer than {NAME_LIMIT} characters ({len(name)})", field="file")
    return name


def disposition(filename: str) -> str:
    """Content-Disposition for a download: an ASCII fallback name and the real one as UTF-8 (RFC 6266)."""
    fallback = "".join(c if c.isascii() and c.isprintable() and c not in '"\\' else "_" for c in filename)
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def header_json(obj: Any) -> str:
    """JSON for a response header: as `dumps` (sorted keys, ISO dates), non-ASCII as \\u escapes."""
    return json.dumps(json.loads(dumps(obj)), sort_keys=True, ensure_ascii=True)


OUT_FORMATS = {
    "csv": "text/csv",
    "jsonl": "application/x-ndjson",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "parquet": "application/vnd.apache.parquet",
}
OUTPUT_PATTERN = "^(" + "|".join(OUT_FORMATS) + ")$"


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
    date: IsoDate | None = Form(
        default=None, description="Default date for rows without one (YYYY-MM-DD); default today."
    ),
    known_on: IsoDate | None = Form(default=None),
    exact: bool = Form(default=False),
    output: str = Form(
        default="csv", pattern=OUTPUT_PATTERN, description="Result format: csv, jsonl, xlsx or parquet."
    ),
    columns: str | None = Form(
        default=None,
        description='The book\'s headers mapped to fields, as JSON or YAML: {"Partner": "customer"}.',
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
    encoding: str | None = Form(
        default=None,
        max_length=40,
        description="The book's text encoding when it is not UTF-8 (CSV/JSONL), e.g. cp1252; a byte-order "
        "mark is read without it, and a book that is not UTF-8 is refused naming its line.",
    ),
    sheet: str | None = Form(
        default=None,
        max_length=100,
        description="The sheet of an XLSX workbook to read, by name or number from 1; without it, the one "
        "sheet whose header names known columns (a workbook with two such sheets is refused).",
    ),
    fail_on: CheckFailOn | None = Form(
        default=None,
        description="license_required, hold or prohibited: X-Exportctl-Failed says whether any row's verdict "
        "is at least that (as `exportctl check FILE --fail-on` exits 1).",
    ),
    who: Principal = require("check"),
) -> Response:
    """The same run as `exportctl check FILE -o results.<format>`; the summary is in X-Exportctl-Summary.

    Warnings (a book without a party column) are in X-Exportctl-Warnings, a JSON list; with `fail_on`,
    X-Exportctl-Failed is `true` or `false`.
    """
    from exportctl.ops.audit import acting_as
    from exportctl.ops.batch import check_book
    from exportctl.ops.check_columns import column_map_text
    from exportctl.ops.files import file_format

    if output not in OUT_FORMATS:
        raise InputError(
            f"output must be one of {', '.join(OUT_FORMATS)}", field="output", suggestions=list(OUT_FORMATS)
        )
    name = upload_name(file.filename)
    file_format(Path(name), "file", reading=True)
    if date_override and not date:
        raise InputError("date_override needs date: the date that replaces the book's dates", field="date")
    check_fail_on(fail_on)
    as_of = date or today()
    mapping = column_map_text(columns) if columns else {}
    known = known_on
    ctx = check_context(request)
    # ops.check.check_file records the run in the audit trail, as made by this token; whatever fails after
    # that record (writing the results, reading them back, the headers) is recorded too (`answering`)
    upload = tempfile.TemporaryDirectory(prefix="exportctl-upload-")
    with answering(request, who, "check_run") as trail, upload as tmp:
        # a name of many multi-byte characters can pass NAME_LIMIT yet not the file system's 255 bytes
        src = Path(tmp) / (name if len(name.encode("utf-8")) <= 200 else "upload" + Path(name).suffix.lower())
        src.write_bytes(file.file.read())
        out = Path(tmp) / f"results.{output}"
        with acting_as(who.actor, now_utc(), request.app.state.engine) as recorded:
            try:
                batch = check_book(
                    src,
                    out,
                    fail_on=fail_on,
                    as_of=as_of,
                    known_on=known,
                    fuzzy=not exact,
                    context=ctx,
                    columns=mapping,
                    ignore_columns=ignore_columns,
                    date_format=date_format,
                    date_override=date_override,
                    encoding=encoding,
                    sheet=sheet,
                    keep=False,  # streamed: the rows are written, never held (the envelope has the totals)
                )
            finally:
                trail.note(recorded["seqs"], ctx.version, ENGINE_VERSION)
        data = out.read_bytes()
        # Header values are ASCII (JSON with \u escapes; the file name as RFC 6266 filename*).
        headers = {
            "Content-Disposition": disposition(f"{Path(name).stem}-results.{output}"),
            "X-Exportctl-Summary": header_json(batch.summary),
            "X-Exportctl-Audit-Seq": ",".join(str(seq) for seq in trail.seqs),
            "X-Exportctl-Data-Version": batch.data_version,
            **({"X-Exportctl-Warnings": header_json(list(batch.warnings))} if batch.warnings else {}),
            **({"X-Exportctl-Failed": header_json(batch.failed)} if fail_on else {}),
        }
        return Response(content=data, media_type=OUT_FORMATS[output], headers=headers)

"""A batch's answers with each distinct answer written once: an opt-in representation of POST /v1/check.

A 1,000-query batch answers ~3 MB of JSON, yet an order system's batch asks a few dozen distinct
questions under its ids (the bench's: 79 distinct answers, 250 kB): the client spent ~30 ms of CPU
reading the 3 MB, more than the server spent answering. A client sending `Accept: DISTINCT` gets

    {"answers": [answer, ...], "answer_of": {"<id>": <index into answers>, ...}, ...}

(`warnings`, `fail_on` and `failed` as in the default shape), and reads every id's answer as
`answers[answer_of[id]]`: the very values of the default `responses[id]`. Nothing else changes: the
request, its validation, its audit record (which keeps the default `responses` bytes) and every other
route answer as before; without the media type in `Accept` the batch answers `{"responses": ...}`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson

from exportctl.fronts.api.app import JSON_OPTIONS, json_bytes, keyed_fragments
from exportctl.fronts.api.encoding import header_names

__all__ = ["DISTINCT", "DISTINCT_SCHEMA", "distinct_parts", "wants_distinct"]

DISTINCT = "application/vnd.exportctl.distinct+json"

# The OpenAPI schema of the DISTINCT answer (routers/check.py documents it beside the default shape).
DISTINCT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "title": "CheckBatchDistinctAnswer",
    "description": "A batch's answers, each distinct answer once: id's answer is answers[answer_of[id]].",
    "properties": {
        "answers": {"type": "array", "items": {"$ref": "#/components/schemas/CheckAnswer"}},
        "answer_of": {"type": "object", "additionalProperties": {"type": "integer", "minimum": 0}},
        "warnings": {"type": "array", "items": {"type": "string"}},
        "fail_on": {"type": "string"},
        "failed": {"type": "boolean"},
    },
    "required": ["answers", "answer_of"],
    "additionalProperties": False,
}


def wants_distinct(accept: str | None) -> bool:
    """Whether an Accept header asks for DISTINCT (named, with a q-value above 0)."""
    return header_names(accept, DISTINCT)


def distinct_parts(answers: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """{"answers": the distinct answers' JSON (an orjson Fragment), "answer_of": {id: index}}: the
    answers in the order their first id sorts, each written once (keyed_fragments; what orjson cannot
    write, by json_bytes one answer at a time)."""
    try:
        keyed = keyed_fragments(answers)
    except TypeError:
        by_text: dict[bytes, orjson.Fragment] = {}
        keyed = {}
        for qid, answer in answers.items():
            text = json_bytes(answer)
            keyed[qid] = by_text.setdefault(text, orjson.Fragment(text))
    index: dict[int, int] = {}
    distinct: list[orjson.Fragment] = []
    answer_of: dict[str, int] = {}
    for qid in sorted(keyed):
        fragment = keyed[qid]
        at = index.get(id(fragment))
        if at is None:
            at = index[id(fragment)] = len(distinct)
            distinct.append(fragment)
        answer_of[qid] = at
    return {"answers": orjson.Fragment(orjson.dumps(distinct, option=JSON_OPTIONS)), "answer_of": answer_of}

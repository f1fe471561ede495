"""The public answers, typed: what `check`, `screen` and `tariff` return and the API's batch envelopes.

These are the one definition of each answer's shape. The ops functions return them (plain dicts at run
time: nothing is converted, no answer changes), the CLI prints them, and the API's OpenAPI document is
generated from them (`response_model`). Unknown keys are refused when an answer is validated against
its type (`TypeAdapter(CheckAnswer).validate_python(...)`), so the document cannot drift from the
answers: tests/fronts/api/test_api_answers.py validates real answers.

A key that is sometimes left out is `NotRequired`; a key always sent but possibly null is `X | None`.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, NotRequired

from pydantic import ConfigDict, Field, with_config
from typing_extensions import TypedDict  # pydantic reads TypedDicts from typing_extensions before 3.12

__all__ = [
    "Advisory",
    "CheckAnswer",
    "CheckBatchAnswer",
    "CheckStep",
    "Component",
    "Determination",
    "Duty",
    "Evidence",
    "ExceptionConsidered",
    "Excluded",
    "Fee",
    "ListEntry",
    "Mfn",
    "PartyHit",
    "Reason",
    "Review",
    "ScreenAnswer",
    "ScreenBatchAnswer",
    "ScreenHit",
    "Suppression",
    "TariffAnswer",
]

_STRICT = ConfigDict(extra="forbid")

# -- check ---------------------------------------------------------------------------------------------


@with_config(_STRICT)
class CheckStep(TypedDict):
    """One check an answer made: its step, what it consulted, what it gave."""

    step: Annotated[
        str, Field(description="coverage, denied_persons, embargo, country_chart, party_lists, ...")
    ]
    what: Annotated[
        str, Field(description="What was consulted: chart columns, lists with their data version.")
    ]
    result: Annotated[
        str, Field(description="What it gave, e.g. 'license required (RS2)', 'no listed party'.")
    ]


@with_config(_STRICT)
class ListEntry(TypedDict):
    """One list entry behind a grouped reason (a party and its listed affiliates)."""

    list: NotRequired[str | None]
    entity_id: NotRequired[str | None]
    name: NotRequired[str | None]
    score: NotRequired[float | None]
    notice: NotRequired[str | None]


@with_config(_STRICT)
class Reason(TypedDict):
    """Why: a step of Supp. 1 to Part 732 (or PRC, DATA), its rule, effect and citation."""

    step: NotRequired[str | None]
    code: str | None
    rule: NotRequired[str | None]
    column: NotRequired[str | None]
    measure: str | None
    citation: str | None
    url: NotRequired[str | None]
    effect: NotRequired[str | None]
    review_policy: NotRequired[str | None]
    le_ok: NotRequired[bool | None]
    conditional: NotRequired[bool | None]
    text: NotRequired[str | None]
    entries: NotRequired[Annotated[list[ListEntry] | None, Field(description="Grouped entries of one list.")]]


@with_config(_STRICT)
class ExceptionConsidered(TypedDict):
    """A license exception weighed: whether it applies and why."""

    code: NotRequired[str | None]
    section: NotRequired[str | None]
    applies: NotRequired[bool | None]
    why: NotRequired[str | None]


@with_config(_STRICT)
class PartyHit(TypedDict):
    """A party of the transaction found on a list."""

    role: NotRequired[str | None]
    name: NotRequired[str | None]
    list: NotRequired[str | None]
    entity_id: NotRequired[str | None]
    listed_name: NotRequired[str | None]
    match_score: NotRequired[float | None]
    suppressed_by: NotRequired[str | None]  # a reviewer's false-positive decision on this (party, entry)


@with_config(_STRICT)
class Determination(TypedDict):
    """One result row in the contract shape (ops.check_answer.answer): a check answer without its input."""

    verdict: str
    license_required: bool
    reasons: list[Reason]
    review_policy: str | None
    exceptions: list[ExceptionConsidered]
    parties: list[PartyHit]
    checks: Annotated[list[CheckStep], Field(description="Every check made, on every verdict.")]
    parties_screened: Annotated[
        bool, Field(description="False when the row names no party: only the item and country were checked.")
    ]
    as_of: dt.date | None
    known_on: dt.date | None
    data_version: str | None
    engine_version: str | None
    regime: str | None
    error: NotRequired[str]
    warnings: NotRequired[
        Annotated[
            list[str],
            Field(description="Said about this answer, e.g. that its data version was activated by force."),
        ]
    ]


@with_config(_STRICT)
class CheckAnswer(Determination):
    """The answer to one transaction: as `exportctl check --format json` prints it."""

    transaction: Annotated[
        dict[str, Any], Field(description="The transaction as checked (its non-empty fields).")
    ]
    fail_on: NotRequired[Annotated[str, Field(description="The `fail_on` asked (only when one was).")]]
    failed: NotRequired[
        Annotated[bool, Field(description="With `fail_on`: whether the verdict is at least that severe.")]
    ]


@with_config(_STRICT)
class CheckBatchAnswer(TypedDict):
    """A batch's answers keyed by the client's ids."""

    responses: dict[str, CheckAnswer]
    warnings: NotRequired[
        Annotated[list[str], Field(description="Said once for the batch, e.g. that no query names a party.")]
    ]
    fail_on: NotRequired[Annotated[str, Field(description="The `fail_on` asked (only when one was).")]]
    failed: NotRequired[
        Annotated[bool, Field(description="With `fail_on`: whether any verdict is that severe or worse.")]
    ]


# -- screen --------------------------------------------------------------------------------------------


@with_config(_STRICT)
class Evidence(TypedDict):
    """What one piece of evidence (name, country, dob, nationality, id) did to a hit's score."""

    kind: str
    query: str | None
    entry: str | None
    effect: str | None


@with_config(_STRICT)
class Review(TypedDict):
    """The newest review decision on the same party and list entry (`current`, or `expired`)."""

    id: int | None
    at: str | None
    actor: str | None
    party: str | None
    list: str | None
    entity_id: str | None
    listed_name: str | None
    decision: str | None
    note: str | None
    audit_seq: int | None
    entry_hash: str | None
    status: str


@with_config(_STRICT)
class Suppression(TypedDict):
    """The current false-positive decision that suppresses a hit."""

    review_id: int | None
    by: str | None
    at: str | None
    reason: str | None


@with_config(_STRICT)
class ScreenHit(TypedDict):
    """A list entry a name may be, with how it scored (`explanation`, `evidence`)."""

    list: str | None
    entity_id: str | None
    name: str | None
    matched_name: str | None
    score: float
    country: str | None
    list_name: str | None
    type: str | None
    license_requirement: str | None
    license_policy: str | None
    federal_register_notice: str | None
    programs: list[str] | None
    source_url: str | None
    explanation: str | None
    evidence: list[Evidence] | None
    listed_on: NotRequired[str | None]
    listed_not_before: NotRequired[str | None]
    listed_date_basis: NotRequired[str | None]
    listed_status: NotRequired[str | None]
    review: NotRequired[Review | None]
    suppressed: NotRequired[Suppression | None]


@with_config(_STRICT)
class ScreenAnswer(TypedDict):
    """The answer for one name: its hits, the hits its evidence cleared, and what it was screened with."""

    query: str
    hits: list[ScreenHit]
    cleared: Annotated[
        list[ScreenHit], Field(description="Hits whose name scored an alert but whose evidence cleared them.")
    ]
    matcher: str
    data_version: str
    threshold: float
    as_of: NotRequired[str]
    profile: str | None
    warnings: NotRequired[
        Annotated[
            list[str],
            Field(
                description="Said about this answer: what of the text was not screened as a name (a name "
                "with an address, a reference number or more after it is screened whole and on its name "
                "part), or that its data version was activated by force."
            ),
        ]
    ]
    fail_on: NotRequired[Annotated[str, Field(description="The `fail_on` asked (only when one was).")]]
    failed: NotRequired[
        Annotated[
            bool,
            Field(description="With `fail_on`: whether any hit reaches that level."),
        ]
    ]


@with_config(_STRICT)
class ScreenBatchAnswer(TypedDict):
    """A batch's screening answers keyed by the client's ids."""

    responses: dict[str, ScreenAnswer]
    fail_on: NotRequired[Annotated[str, Field(description="The `fail_on` asked (only when one was).")]]
    failed: NotRequired[
        Annotated[bool, Field(description="With `fail_on`: whether any hit reaches that level.")]
    ]


# -- tariff --------------------------------------------------------------------------------------------


@with_config(_STRICT)
class Mfn(TypedDict):
    """The base (column 1 general, special, or column 2) rate of the line."""

    column: str | None
    text: str | None
    special_text: str | None
    special_program: str | None
    kind: str | None
    ad_valorem_pct: float | None
    specific: list[dict[str, Any]]
    included_in_total: bool
    amount_usd: float | None


@with_config(_STRICT)
class Component(TypedDict):
    """One additional duty layer charged on the line, with the act that made it."""

    program: str | None
    heading: str | None
    rate_pct: float | None
    basis: str
    basis_share: float | None
    applied_pct: float | None
    measure: str | None
    effect: str | None
    citation: str | None
    instrument: str | None
    changed_by: str | None
    amount_usd: float | None


@with_config(_STRICT)
class Excluded(TypedDict):
    """A layer that would reach the line but is excluded (or replaced), and by what."""

    program: str | None
    heading: str | None
    rate_pct: float | None
    ref: str | None
    excluded_by: str | None


@with_config(_STRICT)
class Advisory(TypedDict):
    """A layer that may apply but cannot be decided from the line alone: shown, never added."""

    kind: str | None
    program: str | None
    rate_pct: float | None
    measure: str | None
    description: str | None
    note: str | None


@with_config(_STRICT)
class Fee(TypedDict):
    """A user fee of the entry (MPF, HMF) with its rate, limits and citation."""

    fee: str
    name: str
    rate_pct: float | None
    min_usd: float | None
    max_usd: float | None
    ad_valorem_usd: float | None
    amount_usd: float | None
    citation: str
    notes: list[str]


@with_config(_STRICT)
class Duty(TypedDict):
    """Dollar amounts of the line, when a value (and for specific rates a quantity) is given."""

    value: float | None
    quantity: float | None
    unit: str | None
    specific_usd: float | None
    amount: float | None
    mode: str | None
    fees: list[Fee]
    fees_usd: float | None
    total_usd: float | None


@with_config(_STRICT)
class TariffAnswer(TypedDict):
    """The duty stack of one HTS line: as `exportctl tariff --format json` prints it."""

    hts: str
    hts_matched: str | None
    description: str | None
    origin: str
    destination: str
    date: dt.date
    as_of: dt.date
    known_on: dt.date | None
    status: str
    mfn: Mfn
    components: list[Component]
    citations: list[str]
    excluded: list[Excluded]
    advisories: list[Advisory]
    total_additional_pct: float | None
    total_ad_valorem_pct: float | None
    total_ave_pct: float | None
    duty: Duty
    notes: list[str]
    regime: str
    data_version: str
    disclaimer: str
    warnings: NotRequired[
        Annotated[
            list[str],
            Field(description="Said about this answer, e.g. that its data version was activated by force."),
        ]
    ]

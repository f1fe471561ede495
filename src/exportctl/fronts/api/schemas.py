"""Request and response models of the API, with the examples shown in the OpenAPI document.

Requests mirror the CLI's options; unknown fields are refused (422 naming the field), never ignored.
Scenarios travel as JSON objects in the scenario file's shape (name, add, remove, modify, promote).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Annotated, Any, TypeAlias

from pydantic import (
    AliasChoices,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    StrictBool,
    StrictFloat,
    Tag,
)

from exportctl.fronts.api import vocab
from exportctl.fronts.api.vocab import Vocabulary, text_type

# The answers are typed once, in ops (the CLI prints the same objects); the API documents them from there.
from exportctl.ops.answers import (
    CheckAnswer,
    CheckBatchAnswer,
    CheckStep,
    ScreenAnswer,
    ScreenBatchAnswer,
    TariffAnswer,
)
from exportctl.ops.defaults import FAIL_ON, SCREEN_FAIL_ON
from exportctl.ops.tariff_amounts import MODES
from exportctl.registry.schema import JURISDICTIONS

__all__ = [
    "CHECK_EXAMPLE",
    "JURISDICTION_PATTERN",
    "MODE_PATTERN",
    "CheckAnswer",
    "CheckBatch",
    "CheckBatchAnswer",
    "CheckBody",
    "CheckItem",
    "CheckQuery",
    "CheckStep",
    "DiffQuery",
    "ErrorBody",
    "IsoDate",
    "ReviewIn",
    "ScreenAnswer",
    "ScreenBatch",
    "ScreenBatchAnswer",
    "ScreenBody",
    "ScreenItem",
    "ScreenQuery",
    "TariffAnswer",
    "TariffHistoryQuery",
    "TariffQuery",
    "TimelineQuery",
    "error_responses",
]


_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")  # compiled once: a 1,000-query batch has 1,000 dates


def _iso_date(value: Any) -> Any:
    """Dates are YYYY-MM-DD text (as the document says: format date), never a number of days or seconds."""
    if isinstance(value, str) and not _ISO_DATE.fullmatch(value):
        raise ValueError("a date is written YYYY-MM-DD")
    if isinstance(value, int | float):
        raise ValueError("a date is written YYYY-MM-DD, not as a number")
    return value


IsoDate = Annotated[dt.date, BeforeValidator(_iso_date)]

# Vocabularies drawn from data when the app is built (fronts/api/vocab.py): one named schema each.
if TYPE_CHECKING:
    Country: TypeAlias = str
    CheckDestination: TypeAlias = str
    TariffDestination: TypeAlias = str
    Hts: TypeAlias = str
    MeasureId: TypeAlias = str
    CheckFailOn: TypeAlias = str
    ScreenFailOn: TypeAlias = str
    ScreenProfile: TypeAlias = str
else:
    Country = text_type(
        Vocabulary(
            "Country",
            "an ISO 3166-1 alpha-2 or alpha-3 code or a country name (the EAR's, ISO's or an everyday "
            "one), in any letter case, words parted by spaces or ASCII punctuation",
            pattern=vocab.country_pattern,
            suggest=vocab.country_suggestions,
        )
    )
    CheckDestination = text_type(
        Vocabulary(
            "CheckDestination",
            "a Country, or a region the EAR names by ISO 3166-2 code (UA-43: Crimea)",
            pattern=vocab.destination_pattern,
            suggest=vocab.country_suggestions,
        )
    )
    TariffDestination = text_type(
        Vocabulary(
            "TariffDestination",
            "an importing country whose tariffs the registry holds (a Country)",
            pattern=lambda: vocab.country_pattern(vocab.tariff_destinations()),
            suggest=lambda _: vocab.tariff_destinations(),
        )
    )
    Hts = text_type(
        Vocabulary(
            "Hts",
            "an HTS code: 4, 6, 8 or 10 digits, dots allowed after the heading (8471.30.01)",
            pattern=vocab.hts_pattern,
        )
    )
    MeasureId = text_type(
        Vocabulary(
            "MeasureId",
            "the id of a measure of the bundled registry",
            values=vocab.measure_ids,
        )
    )
    CheckFailOn = text_type(
        Vocabulary("CheckFailOn", "a verdict one can fail on, least severe first", values=lambda: FAIL_ON)
    )
    ScreenFailOn = text_type(
        Vocabulary(
            "ScreenFailOn",
            "a screening level one can fail on, least severe first",
            values=lambda: SCREEN_FAIL_ON,
        )
    )
    ScreenProfile = text_type(
        Vocabulary(
            "ScreenProfile",
            "a screening profile (bundled, or from $EXPORTCTL_SCREEN_PROFILES when the app was built)",
            values=vocab.screen_profiles,
        )
    )
JURISDICTION_PATTERN = "^(" + "|".join(JURISDICTIONS) + ")$"
MODE_PATTERN = "^(" + "|".join(MODES) + ")$"
Text = Annotated[str, Field(max_length=512)]
ShortText = Annotated[str, Field(max_length=64)]
# an amount as a number, or as text a spreadsheet cell holds ('12.000,50', '$1,500'): ops.amounts reads it
Amount = Annotated[StrictFloat, Field(ge=0)] | ShortText
ScenarioField = Field(
    default=None,
    description="A scenario in the scenario file's shape: {name, description, add, remove, modify, promote}. "
    "Measures it adds, modifies or promotes are checked against the registry when applied (422 naming the "
    "field when one cannot apply).",
    examples=[{"name": "no-h20-letter", "remove": ["us-ear-2025-04-h20-license-requirement"]}],
)
KnownOnField = Field(default=None, description="Answer with only what was public on this day.")
FailOnField = Field(
    default=None,
    description="license_required, hold or prohibited (as `exportctl check --fail-on`): the answer then "
    "carries `fail_on` and `failed`, true when a verdict is at least that severe (in a batch: each answer, "
    "and the batch when any answer failed).",
    examples=["hold"],
)
ScreenFailOnField = Field(
    default=None,
    description="suppressed, hit or match (as `exportctl screen --fail-on`): the result then carries "
    "`fail_on` and `failed`, true when a hit is at least at that level. A hit is `suppressed` by a "
    "reviewer's current false-positive decision, a `match` when a reviewer's current decision confirms it, "
    "else a `hit` "
    "(in a batch: each result, and the batch when any result failed).",
    examples=["hit"],
)


class Strict(BaseModel):
    """Unknown fields are an error: a misspelt field must not be silently dropped."""

    model_config = ConfigDict(extra="forbid")


class ErrorBody(Strict):
    """The one JSON error shape of every error (ExportctlError.to_dict)."""

    error: str = Field(description="Stable machine-readable code: invalid_input, unauthorized, forbidden ...")
    message: str
    field: str | None = None
    file: str | None = None
    line: int | None = None
    suggestions: list[str] = Field(default_factory=list)

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "error": "invalid_input",
                    "message": "unknown country 'Narnia'",
                    "field": "destination",
                    "file": None,
                    "line": None,
                    "suggestions": [],
                }
            ]
        }
    )


def error_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for the error statuses an endpoint can answer."""
    what = {
        401: "No token, or an unknown or revoked one",
        403: "The token lacks this endpoint's scope",
        404: "No such thing (a review decision, a list entry)",
        409: "The thing changed since (a review decision that is no longer current)",
        413: "Request body or batch too large",
        422: "Invalid input (the field is named)",
        429: "Rate limit of this token exceeded",
        503: "No data available: engines fail closed",
    }
    return {c: {"model": ErrorBody, "description": what.get(c, "Error")} for c in codes}


class ModificationIn(Strict):
    """Set fields of one measure: `set` maps a dotted path (effects.0.rate_pct) to its new value."""

    id: MeasureId
    set: dict[Annotated[str, Field(max_length=256)], Any] = Field(default_factory=dict)


class PromotionIn(Strict):
    """Treat a proposed or threatened measure as in force, optionally from another day."""

    id: MeasureId
    effective: IsoDate | None = None


class ScenarioIn(Strict):
    """A scenario (registry/scenario.py): measures removed (ids of the bundled registry), modified, added
    (in the measure files' shape) and promoted, applied in that order."""

    name: Annotated[str, Field(max_length=128)]
    description: Annotated[str, Field(max_length=4000)] | None = None
    add: list[dict[str, Any]] = Field(default_factory=list, description="New measures, full measure schema.")
    remove: list[MeasureId] = Field(default_factory=list)
    modify: list[ModificationIn] = Field(default_factory=list)
    promote: list[PromotionIn] = Field(default_factory=list)


class CheckItem(Strict):
    """One transaction: the CLI's `exportctl check` options as JSON."""

    eccn: ShortText | None = Field(
        default=None, description="ECCN (e.g. 3A090.a) or EAR99; for CN a control code."
    )
    product: Text | None = Field(default=None, description="A product named by measures, e.g. 'NVIDIA H20'.")
    destination: ShortText = Field(
        validation_alias=AliasChoices("destination", "to"),
        description="Destination: ISO code or country name (`to`, the CLI's name, is accepted too). In a "
        "batch any text is taken: a destination no one knows answers that query `hold`, naming it.",
    )
    exporting_country: ShortText = Field(default="US", description="US or CN.")
    parties: list[Text] = Field(
        default_factory=list,
        max_length=8,
        description="Party names in order: ultimate consignee, end user, intermediate consignee, purchaser "
        "(or name them by role with the four fields below, not both).",
    )
    ultimate_consignee: Text | None = Field(
        default=None,
        validation_alias=AliasChoices("ultimate_consignee", "consignee", "ship_to"),
        description="The ultimate consignee (`consignee`, `ship_to` accepted), instead of `parties`.",
    )
    end_user: Text | None = Field(default=None, description="The end user, instead of `parties`.")
    intermediate_consignee: Text | None = Field(
        default=None,
        validation_alias=AliasChoices("intermediate_consignee", "forwarder"),
        description="The intermediate consignee (`forwarder` accepted), instead of `parties`.",
    )
    purchaser: Text | None = Field(
        default=None,
        validation_alias=AliasChoices("purchaser", "customer"),
        description="The purchaser (`customer` accepted), instead of `parties`.",
    )
    end_use: ShortText | None = None
    value: StrictFloat | None = Field(default=None, ge=0, description="Value in USD (for LVS).")
    date: IsoDate | None = Field(
        default=None,
        validation_alias=AliasChoices("date", "as_of"),
        description="The date asked (as_of); default: today (UTC).",
    )
    known_on: IsoDate | None = KnownOnField


CHECK_EXAMPLE: dict[str, Any] = {
    "eccn": "3A090",
    "destination": "CN",
    "parties": ["Huawei Technologies Co., Ltd."],
    "date": "2025-05-01",
}


class CheckQuery(CheckItem):
    """One transaction, optionally under a scenario."""

    destination: CheckDestination = Field(
        validation_alias=AliasChoices("destination", "to"),
        description="Destination (`to`, the CLI's name, is accepted too).",
    )

    scenario: ScenarioIn | None = ScenarioField
    exact: StrictBool = Field(default=False, description="Match parties exactly instead of fuzzy screening.")
    fail_on: CheckFailOn | None = FailOnField

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [CHECK_EXAMPLE]})


class CheckBatch(Strict):
    """Many transactions keyed by ids the client chooses; answered as {"responses": {id: answer}}."""

    queries: dict[Annotated[str, Field(max_length=128)], CheckItem] = Field(min_length=1)
    known_on: IsoDate | None = KnownOnField
    scenario: ScenarioIn | None = ScenarioField
    exact: StrictBool = False
    fail_on: CheckFailOn | None = FailOnField

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "queries": {
                        "po-1": CHECK_EXAMPLE,
                        "po-2": {"product": "NVIDIA H20", "destination": "CN", "date": "2025-05-01"},
                    }
                }
            ]
        },
    )


def _check_kind(value: Any) -> str:
    # a CheckBatch already validated (fronts/api/batch_body.py) passes as it is
    batch = isinstance(value, CheckBatch) or (isinstance(value, dict) and "queries" in value)
    return "batch" if batch else "one"


CheckBody = Annotated[
    Annotated[CheckQuery, Tag("one")] | Annotated[CheckBatch, Tag("batch")], Discriminator(_check_kind)
]


class ScreenItem(Strict):
    """One name to screen against the party lists."""

    name: Text = Field(min_length=1, description="The party's name (any script).")
    country: Country | None = Field(default=None, description="The party's country, if known.")
    type: ShortText | None = Field(default=None, description="entity, individual or vessel, if known.")
    dob: ShortText | None = Field(
        default=None,
        description="The party's date of birth: YYYY-MM-DD (or YYYY-MM, YYYY). A matching one raises a hit, "
        "a contradicting one lowers it below the threshold.",
        examples=["1951-06-19"],
    )
    nationality: Country | None = Field(default=None, description="The party's nationality.", examples=["EG"])
    id_number: ShortText | None = Field(
        default=None,
        description="An identifier of the party: NUMBER, or KIND:NUMBER with KIND one of passport, "
        "national_id, imo, registration, tax, swift, aircraft, mmsi, drivers_license.",
        examples=["passport:1084010"],
    )


ProfileField = Field(
    default=None,
    description="A screening profile: the lists and threshold a business unit uses (export-us, export-cn, "
    "payments); an explicit threshold overrides the profile's.",
    examples=["export-us"],
)


class ScreenQuery(ScreenItem):
    """One name, with an optional score threshold and profile."""

    threshold: StrictFloat | None = Field(
        default=None, gt=0.0, le=1.0, description="Lowest score reported (default: the profile's, else 0.7)."
    )
    as_of: IsoDate | None = Field(
        default=None,
        description="Screen the lists as they stood on this day (later entries left out, uncertain marked).",
    )
    profile: ScreenProfile | None = ProfileField
    fail_on: ScreenFailOn | None = ScreenFailOnField

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"name": "Huawei Technologies", "country": "CN"},
                {"name": "Ayman al Zawahiri", "dob": "1951-06-19", "profile": "payments"},
            ]
        },
    )


class ScreenBatch(Strict):
    """Many names keyed by ids the client chooses; answered as {"responses": {id: result}}."""

    queries: dict[Annotated[str, Field(max_length=128)], ScreenItem] = Field(min_length=1)
    threshold: StrictFloat | None = Field(default=None, gt=0.0, le=1.0)
    as_of: IsoDate | None = Field(default=None, description="Screen the lists as they stood on this day.")
    profile: ScreenProfile | None = ProfileField
    fail_on: ScreenFailOn | None = ScreenFailOnField

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"queries": {"a": {"name": "Huawei"}, "b": {"name": "Acme Widgets GmbH"}}}]
        },
    )


def _screen_kind(value: Any) -> str:
    return "batch" if isinstance(value, dict) and "queries" in value else "one"


ScreenBody = Annotated[
    Annotated[ScreenQuery, Tag("one")] | Annotated[ScreenBatch, Tag("batch")], Discriminator(_screen_kind)
]


class TariffQuery(Strict):
    """One HTS line from an origin on a date (the CLI's `exportctl tariff` options)."""

    hts: Hts = Field(description="HTS code, 4 to 10 digits (dots allowed).")
    origin: Country = Field(description="Country of origin.")
    date: IsoDate = Field(validation_alias=AliasChoices("date", "as_of"), description="Entry date (as_of).")
    destination: TariffDestination = "US"
    value: Amount | None = Field(
        default=None, description="Customs value in USD: a number, or text as a cell writes it ('12.000,50')."
    )
    quantity: Amount | None = None
    unit: ShortText | None = None
    steel_content: Amount | None = Field(default=None, description="USD value of the steel content.")
    aluminum_content: Amount | None = Field(default=None, description="USD value, aluminum content.")
    copper_content: Amount | None = Field(default=None, description="USD value of the copper content.")
    mode: Annotated[str, Field(pattern=MODE_PATTERN)] | None = Field(
        default=None,
        description="Mode of transport (ocean, air, truck, rail, mail, other): ocean adds the HMF.",
    )
    special: ShortText | None = Field(
        default=None,
        description="A special-rate program the entry claims (e.g. 'S' for USMCA), as --special.",
    )
    known_on: IsoDate | None = KnownOnField
    scenario: ScenarioIn | None = ScenarioField

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"hts": "8471.30.01", "origin": "CN", "date": "2025-05-01", "value": 1000}]
        },
    )


class TariffHistoryQuery(Strict):
    """The changes of one line's duty stack between two dates."""

    hts: Hts
    origin: Country
    start: IsoDate = Field(validation_alias=AliasChoices("from", "start"), serialization_alias="from")
    end: IsoDate = Field(validation_alias=AliasChoices("to", "end"), serialization_alias="to")
    destination: TariffDestination = "US"
    known_on: IsoDate | None = KnownOnField
    scenario: ScenarioIn | None = ScenarioField

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"hts": "8541.42", "origin": "CN", "from": "2018-01-01", "to": "2025-12-31"}]
        },
    )


class TimelineQuery(Strict):
    """Measures in force or changing between two dates."""

    start: IsoDate | None = Field(default=None, validation_alias=AliasChoices("from", "start"))
    end: IsoDate | None = Field(default=None, validation_alias=AliasChoices("to", "end"))
    jurisdiction: Annotated[str, Field(pattern=JURISDICTION_PATTERN)] | None = None
    known_on: IsoDate | None = KnownOnField
    scenario: ScenarioIn | None = ScenarioField

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"from": "2022-01-01", "to": "2025-12-31", "jurisdiction": "US-EAR"}]
        },
    )


class DiffQuery(Strict):
    """What changed between two dates."""

    start: IsoDate = Field(validation_alias=AliasChoices("from", "start"))
    end: IsoDate = Field(validation_alias=AliasChoices("to", "end"))
    jurisdiction: Annotated[str, Field(pattern=JURISDICTION_PATTERN)] | None = None
    known_on: IsoDate | None = KnownOnField
    scenario: ScenarioIn | None = ScenarioField

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"from": "2022-10-01", "to": "2023-11-30"}]}
    )


class ReviewIn(Strict):
    """A reviewer's decision on one screening hit."""

    party: Text = Field(min_length=1, description="The screened name, as it was screened.")
    list: ShortText = Field(description="The list of the hit (its `list` field).")
    entity_id: Annotated[str, Field(min_length=1, max_length=128)] = Field(
        description="The entry's id on that list."
    )
    decision: str = Field(pattern="^(match|false_positive)$", description="match or false_positive.")
    note: Annotated[str, Field(max_length=4000)] = ""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "party": "Huawei Technologies",
                    "list": "EL",
                    "entity_id": "12345",
                    "decision": "false_positive",
                    "note": "Different company: checked the registry extract.",
                }
            ]
        },
    )

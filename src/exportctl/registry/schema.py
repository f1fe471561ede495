"""The schema of a measure file: one legal act, its citations, dates, scope and effects.

Strict: unknown keys are rejected (an unknown key silently dropped once froze a value for months at
OpenFisca). The loader adds file and line to every validation error.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationInfo,
    model_validator,
)

from exportctl.model.citation import Citation
from exportctl.registry.vocabulary import (
    WORD_FIELDS,
    ControlReason,
    EndUse,
    PartyList,
    Program,
    ReviewPolicy,
    check_words,
)

Jurisdiction = Literal["US-EAR", "US-OFAC", "US-TARIFF", "CN-EXPORT", "CN-TARIFF"]
JURISDICTIONS: tuple[str, ...] = ("US-EAR", "US-OFAC", "US-TARIFF", "CN-EXPORT", "CN-TARIFF")

Authority = Literal[
    "BIS", "USTR", "President", "CBP", "OFAC", "State", "Commerce", "MOFCOM", "GAC",
    "MOFCOM/GAC", "PRC Customs Tariff Commission", "PRC State Council", "PRC Ministry of Transport",
    "NPC Standing Committee",
    "US-China",
]  # fmt: skip

InstrumentType = Literal[
    "final_rule", "interim_final_rule", "is_informed_letter", "license_suspension", "executive_order",
    "proclamation", "announcement", "joint_statement", "notice", "guidance", "statute", "license_action",
]  # fmt: skip

Status = Literal["in_force", "suspended", "ended", "proposed", "threatened"]

# The base a tariff rate is charged on: the customs value, or the value of a metal content of the article
# (Section 232 derivatives: the importer declares the value of the steel, aluminum or copper content).
Basis = Literal["value", "steel_content", "aluminum_content", "copper_content"]
BASES: tuple[str, ...] = ("value", "steel_content", "aluminum_content", "copper_content")

EffectKind = Literal[
    "license_requirement",  # a license is required for the scope
    "prohibition",  # no license can help (embargo, denial order)
    "review_policy",  # changes the review policy of licenses in scope
    "exception_change",  # makes a license exception (un)available for the scope
    "party_control",  # a party list listing with its requirement (Entity List, MEU, PRC lists)
    "item_control",  # an item comes under control (China's dual-use items, new ECCN rows)
    "control_removed",  # CCL text that is in the snapshot but not in force in the interval
    "tariff",  # an additional duty layer
    "tariff_exclusion",  # takes HTS lines out of a tariff layer
    "de_minimis",  # de minimis treatment of low-value entries
    "milestone",  # a diplomatic event without legal effect of its own
    "table_change",  # a dated edit of a snapshot table (Country Groups, Country Chart): see TableChange
]

# The EAR snapshot tables of the data pack; each describes one day (its source date).
SnapshotTable = Literal["ccl", "country_chart", "country_groups", "license_exceptions"]
SNAPSHOT_TABLES: tuple[str, ...] = ("ccl", "country_chart", "country_groups", "license_exceptions")
# The values a table change may name: Country Groups of Supp. 1 to Part 740, Country Chart columns.
COUNTRY_GROUPS: tuple[str, ...] = (
    "A:1", "A:2", "A:3", "A:4", "A:5", "A:6", "B", "D:1", "D:2", "D:3", "D:4", "D:5", "E:1", "E:2",
)  # fmt: skip
CHART_COLUMNS: tuple[str, ...] = (
    "CB1", "CB2", "CB3", "NP1", "NP2", "NS1", "NS2", "MT1", "RS1", "RS2", "FC1", "CC1", "CC2", "CC3",
    "AT1", "AT2",
)  # fmt: skip

ActionKind = Literal[
    "suspend",  # target effects stop applying in [effective, end) and come back after
    "resume",  # ends an open suspension from `effective`
    "lift",  # target ends for good from `effective`
    "amend",  # `changes` replace fields of the target effect from `effective`
    "extend",  # moves the target's end (or a suspension's end) to `new_end`
    "waive",  # target does not apply to `scope.parties` in [effective, end)
    "phase_out",  # `phases`: on each date the listed changes apply
    "sunset",  # target ends at `effective` unless extended
]


class Strict(BaseModel):
    """Base for every schema object: unknown keys are errors; values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def _absent(what: str, default: Any = None) -> BeforeValidator:
    """A field the effects of a kind do not have: only its default is accepted (a typo'd kind, or a
    tariff field on a license requirement, is an error naming the field, not a value never read)."""

    def check(value: Any) -> Any:
        if value != default and value != [] and value is not None:
            raise ValueError(f"not a field of {what}")
        return value

    return BeforeValidator(check)


class Source(Strict):
    """Where a fact was read: official first; news reports are claims with their own dates."""

    title: str
    url: str | None = None
    date: dt.date | None = None
    kind: Literal["official", "secondary", "news", "filing", "dataset"] = "official"
    note: str | None = None


class Claim(Strict):
    """A factual claim made by a report, checked against the official record."""

    id: str
    text: str
    source: Source
    verdict: Literal["consistent", "inconsistent", "partly_consistent", "unverifiable"]
    why: str
    measures: list[str] = Field(default_factory=list)
    check: dict[str, str | float | int | bool | None] = Field(default_factory=dict)


class Dates(Strict):
    """The dates of the act. `effective`/`end` bound the measure; effects may narrow them."""

    announced: dt.date | None = None
    published: dt.date | None = None
    effective: dt.date | None = None
    end: dt.date | None = None


class Scope(Strict):
    """What an effect reaches. Empty lists mean 'no restriction on this axis'."""

    eccns: list[str] = Field(default_factory=list)  # '3A090', '3A090.c', '5A992.c'
    control_codes: list[str] = Field(default_factory=list)  # China's control codes, e.g. '1C004'
    hts: list[str] = Field(default_factory=list)  # HTS prefixes: '8542', '8471.30.01'
    hts_exclude: list[str] = Field(default_factory=list)
    # ch. 99 headings named by 'See 9903.88.03' footnotes
    hts_footnotes: list[str] = Field(default_factory=list)
    products: list[str] = Field(default_factory=list)  # named items: 'NVIDIA H20', 'ethane'
    keywords: list[str] = Field(default_factory=list)  # free words matched against product text
    destinations: list[str] = Field(default_factory=list)  # ISO codes or groups like 'D:5', 'E:1'
    destinations_exclude: list[str] = Field(default_factory=list)
    origins: list[str] = Field(default_factory=list)  # for tariffs: ISO codes
    # for tariffs: the layer reaches only lines entered under one of these special programs ('S', 'S+':
    # USMCA) where the program is listed for the line (empty: no restriction)
    special_programs: list[str] = Field(default_factory=list)
    exporting: list[str] = Field(default_factory=list)  # 'US', 'CN'
    parties: list[str] = Field(default_factory=list)  # names as listed
    party_lists: list[PartyList] = Field(default_factory=list)  # 'EL', 'MEU', 'UVL', 'CN-UEL' ...
    end_uses: list[EndUse] = Field(default_factory=list)  # 'military', 'supercomputer', ...
    headquartered_in: list[str] = Field(default_factory=list)  # §744.23(a)(3): 'MO', 'D:5'
    note: str | None = None


_IN_TARIFF_SCOPE = _absent(
    "a tariff effect's scope (what a duty layer reads: hts, origins, destinations ...)"
)
_IN_CONTROL_SCOPE = _absent("an export-control effect's scope (tariff axes: hts_exclude, origins ...)")


class TariffScope(Scope):
    """The scope of a tariff, tariff exclusion or de minimis effect: HTS lines, origins, destinations,
    special programs, and named products (advisories). The export-control axes are refused."""

    eccns: Annotated[list[str], _IN_TARIFF_SCOPE] = Field(default_factory=list)
    control_codes: Annotated[list[str], _IN_TARIFF_SCOPE] = Field(default_factory=list)
    destinations_exclude: Annotated[list[str], _IN_TARIFF_SCOPE] = Field(default_factory=list)
    exporting: Annotated[list[str], _IN_TARIFF_SCOPE] = Field(default_factory=list)
    parties: Annotated[list[str], _IN_TARIFF_SCOPE] = Field(default_factory=list)
    party_lists: Annotated[list[PartyList], _IN_TARIFF_SCOPE] = Field(default_factory=list)
    end_uses: Annotated[list[EndUse], _IN_TARIFF_SCOPE] = Field(default_factory=list)
    headquartered_in: Annotated[list[str], _IN_TARIFF_SCOPE] = Field(default_factory=list)


class ControlScope(Scope):
    """The scope of an export-control effect: items (ECCNs, control codes, customs codes, products),
    destinations, exporting countries, parties, party lists, end uses. The tariff-only axes are refused."""

    hts_exclude: Annotated[list[str], _IN_CONTROL_SCOPE] = Field(default_factory=list)
    hts_footnotes: Annotated[list[str], _IN_CONTROL_SCOPE] = Field(default_factory=list)
    origins: Annotated[list[str], _IN_CONTROL_SCOPE] = Field(default_factory=list)
    special_programs: Annotated[list[str], _IN_CONTROL_SCOPE] = Field(default_factory=list)
    # control_removed only: take out just the CCL rows of the ECCNs whose destination test is this rule
    # (an id of rules/us-ear.yaml `ccl_destination_words`, e.g. 'worldwide'), whatever their paragraphs
    ccl_rows: str | None = None


class TableChange(Strict):
    """A dated edit of a snapshot table: on the effect's `effective` day `countries` enter `add` and
    leave `remove` (Country Groups like 'A:5', or Country Chart columns like 'NS2')."""

    table: Literal["country_groups", "country_chart"]
    countries: list[str]  # ISO 3166-1 alpha-2 codes
    add: list[str] = Field(default_factory=list)
    remove: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _values(self) -> TableChange:
        allowed = COUNTRY_GROUPS if self.table == "country_groups" else CHART_COLUMNS
        bad = [v for v in (*self.add, *self.remove) if v not in allowed]
        if bad:
            raise ValueError(f"not a value of {self.table}: {bad} (allowed: {', '.join(allowed)})")
        if not self.countries or not (self.add or self.remove):
            raise ValueError("a table change names countries and what they enter (add) or leave (remove)")
        if set(self.add) & set(self.remove):
            raise ValueError(f"both added and removed: {sorted(set(self.add) & set(self.remove))}")
        return self


ControlKind = Literal[
    "license_requirement", "prohibition", "review_policy", "exception_change", "party_control",
    "item_control", "control_removed",
]  # fmt: skip
TariffKind = Literal["tariff", "tariff_exclusion", "de_minimis"]
Verdict = Literal["license_required", "prohibited", "hold", "no_license_required"]


class EffectBase(Strict):
    """One effect of a measure, valid on the half-open interval [effective, end).

    Every kind reads the same attributes (a field a kind does not have keeps its default); which fields a
    measure file may set is the kind's: `Effect` is the union of ControlEffect, TariffEffect,
    MilestoneEffect and TableChangeEffect, told apart by `kind`.
    """

    id: str
    kind: EffectKind
    effective: dt.date
    end: dt.date | None = None
    scope: Scope = Field(default_factory=Scope)
    description: str | None = None
    # license requirements and party controls
    control_reason: ControlReason | None = None  # 'NS', 'RS', 'AT', 'EL', 'MEU', 'CN-dual-use' ...
    license_requirement: str | None = None  # as listed, e.g. 'For all items subject to the EAR'
    review_policy: ReviewPolicy | None = None  # e.g. 'presumption of denial', 'case-by-case', 'approval'
    exceptions: list[str] = Field(default_factory=list)  # exceptions made (un)available
    exceptions_available: bool | None = None
    verdict: Verdict | None = None
    # tariffs
    heading: str | None = None  # HTS chapter 99 heading
    program: Program | None = None  # 'section_301', 'ieepa_fentanyl', 'ieepa_reciprocal', 'section_232' ...
    rate_pct: float | None = None
    # an all-in floor: on a line the layer's rate is max(0, floor_pct - the line's base ad valorem rate)
    # (the EU/Japan/Korea "15% all-in" reciprocal rates); not with rate_pct
    floor_pct: float | None = None
    stacking: Literal["stacks", "replaces", "excludes"] = "stacks"
    excludes_programs: list[Program] = Field(default_factory=list)  # programs this layer turns off
    # an advisory shown only on a line where one of these programs is charged (a stacking rule whose
    # scope is not read: the answer says so instead of guessing)
    advisory_with_programs: list[Program] = Field(default_factory=list)
    priority: int = 0  # higher wins where two effects conflict on the same key
    basis: Basis = "value"  # what rate_pct is charged on; a content basis also narrows excludes_programs
    citations: list[Citation] = Field(default_factory=list)  # effect-specific (e.g. its heading)
    table_change: TableChange | None = None  # kind table_change only

    @model_validator(mode="after")
    def _order(self) -> EffectBase:
        if self.end is not None and self.end <= self.effective:
            raise ValueError(f"effect {self.id}: end {self.end} is not after effective {self.effective}")
        if (self.kind == "table_change") != (self.table_change is not None):
            raise ValueError(f"effect {self.id}: `table_change` is given exactly when kind is table_change")
        if self.floor_pct is not None and (self.kind != "tariff" or self.rate_pct is not None):
            raise ValueError(f"effect {self.id}: floor_pct is for a tariff layer without rate_pct")
        if self.kind == "table_change" and self.end is not None:
            raise ValueError(f"effect {self.id}: a table change has no end (a later change reverses it)")
        return self


_CONTROL = "an export-control effect (license_requirement, prohibition, review_policy, ...)"
_TARIFF = "a tariff effect (tariff, tariff_exclusion, de_minimis)"
_MILESTONE = "a milestone (an event without legal effect of its own)"
_TABLE = "a table_change effect (its edit is in `table_change`)"


class ControlEffect(EffectBase):
    """A license requirement, prohibition, review policy, exception change, party or item control, or a
    CCL row removed: the control fields (control_reason, review_policy, verdict, exceptions)."""

    kind: ControlKind
    scope: ControlScope = Field(default_factory=ControlScope)
    heading: Annotated[str | None, _absent(_CONTROL)] = None
    program: Annotated[Program | None, _absent(_CONTROL)] = None
    rate_pct: Annotated[float | None, _absent(_CONTROL)] = None
    floor_pct: Annotated[float | None, _absent(_CONTROL)] = None
    stacking: Annotated[Literal["stacks", "replaces", "excludes"], _absent(_CONTROL, "stacks")] = "stacks"
    excludes_programs: Annotated[list[Program], _absent(_CONTROL)] = Field(default_factory=list)
    advisory_with_programs: Annotated[list[Program], _absent(_CONTROL)] = Field(default_factory=list)
    basis: Annotated[Basis, _absent(_CONTROL, "value")] = "value"
    table_change: Annotated[TableChange | None, _absent(_CONTROL)] = None


class TariffEffect(EffectBase):
    """A duty layer, an exclusion from layers, or de minimis treatment: the tariff fields (program,
    heading, rate_pct or floor_pct, stacking, priority, basis)."""

    kind: TariffKind
    scope: TariffScope = Field(default_factory=TariffScope)
    control_reason: Annotated[ControlReason | None, _absent(_TARIFF)] = None
    license_requirement: Annotated[str | None, _absent(_TARIFF)] = None
    review_policy: Annotated[ReviewPolicy | None, _absent(_TARIFF)] = None
    exceptions: Annotated[list[str], _absent(_TARIFF)] = Field(default_factory=list)
    exceptions_available: Annotated[bool | None, _absent(_TARIFF)] = None
    verdict: Annotated[Verdict | None, _absent(_TARIFF)] = None
    table_change: Annotated[TableChange | None, _absent(_TARIFF)] = None


class _Plain(EffectBase):
    """An effect with neither control nor tariff fields (milestone, table change)."""

    control_reason: Annotated[ControlReason | None, _absent(_MILESTONE)] = None
    license_requirement: Annotated[str | None, _absent(_MILESTONE)] = None
    review_policy: Annotated[ReviewPolicy | None, _absent(_MILESTONE)] = None
    exceptions: Annotated[list[str], _absent(_MILESTONE)] = Field(default_factory=list)
    exceptions_available: Annotated[bool | None, _absent(_MILESTONE)] = None
    verdict: Annotated[Verdict | None, _absent(_MILESTONE)] = None
    heading: Annotated[str | None, _absent(_MILESTONE)] = None
    program: Annotated[Program | None, _absent(_MILESTONE)] = None
    rate_pct: Annotated[float | None, _absent(_MILESTONE)] = None
    floor_pct: Annotated[float | None, _absent(_MILESTONE)] = None
    stacking: Annotated[Literal["stacks", "replaces", "excludes"], _absent(_MILESTONE, "stacks")] = "stacks"
    excludes_programs: Annotated[list[Program], _absent(_MILESTONE)] = Field(default_factory=list)
    advisory_with_programs: Annotated[list[Program], _absent(_MILESTONE)] = Field(default_factory=list)
    priority: Annotated[int, _absent(_MILESTONE, 0)] = 0
    basis: Annotated[Basis, _absent(_MILESTONE, "value")] = "value"


class MilestoneEffect(_Plain):
    """A diplomatic event without legal effect of its own: dates, scope and description only."""

    kind: Literal["milestone"]
    table_change: Annotated[TableChange | None, _absent(_MILESTONE)] = None


class TableChangeEffect(_Plain):
    """A dated edit of a snapshot table (Country Groups, Country Chart): its `table_change`."""

    kind: Literal["table_change"]
    table_change: TableChange | None = None


# One effect of a measure, by kind: the union a measure file's `effects` are validated against.
Effect = Annotated[
    ControlEffect | TariffEffect | MilestoneEffect | TableChangeEffect, Field(discriminator="kind")
]
EFFECT: TypeAdapter[ControlEffect | TariffEffect | MilestoneEffect | TableChangeEffect] = TypeAdapter(Effect)


class Phase(Strict):
    """One step of a phased action: on `effective`, the `changes` apply."""

    effective: dt.date
    changes: dict[str, float | str | bool | None] = Field(default_factory=dict)
    condition: str | None = None


class Action(Strict):
    """A measure acting on another: suspend, resume, lift, amend, extend, waive, phase out, sunset."""

    id: str
    action: ActionKind
    target: str  # 'measure-id' or 'measure-id#effect-id'
    effective: dt.date
    end: dt.date | None = None
    new_end: dt.date | None = None  # for 'extend'
    changes: dict[str, float | str | bool | None] = Field(default_factory=dict)  # for 'amend'
    scope: Scope = Field(default_factory=Scope)  # for 'waive': the parties waived
    phases: list[Phase] = Field(default_factory=list)  # for 'phase_out'
    description: str | None = None
    known_on: dt.date | None = None  # when this change became public; default: the measure's known_on

    @model_validator(mode="after")
    def _words(self, info: ValidationInfo) -> Action:
        for changes in (self.changes, *(p.changes for p in self.phases)):
            for field in WORD_FIELDS:
                value = changes.get(field)
                if isinstance(value, str):
                    check_words(field, [value], info)
        return self


class Measure(Strict):
    """One legal act: its instrument, citations, dates, status, effects and the acts it changes."""

    id: str
    title: str
    jurisdiction: Jurisdiction
    # the family of measures it belongs to (registry.yaml `families`): coverage is per family
    family: str | None = None
    authority: Authority
    instrument: InstrumentType
    known_on: dt.date  # when it became public
    status: Status
    dates: Dates
    citations: list[Citation]
    summary: str | None = None
    effects: list[Effect] = Field(default_factory=list)
    actions: list[Action] = Field(default_factory=list)
    sources: list[Source] = Field(default_factory=list)
    claims: list[Claim] = Field(default_factory=list)
    gaps: list[str] = Field(default_factory=list)  # what could not be sourced, said visibly
    tags: list[str] = Field(default_factory=list)

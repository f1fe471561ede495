"""The one strict schema of every golden case under tests/golden/<kind>/*.yaml.

A case file is a YAML list of cases; the folder names the kind. Every case has an `id` (unique across
all kinds), a `source` (the instrument, guidance or notice the expected answer comes from), an `input`
and an `expect`, and may carry a `note`. Every kind but `snapshot_tables` may state, in its input,
`known_on` (what was public that day) and a `scenario` (a registry scenario in the scenario file's
shape, as the API takes it and the CLI reads it from `--scenario`).

Validation is the registry loader's (`exportctl.registry.strict_yaml.validate_loaded`): pydantic strict mode
and `extra="forbid"`, so a misspelt key, a quoted date or `to: NO` read as false fails the run naming
the file, the line and the field.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, field_validator

from exportctl.errors import RegistryError
from exportctl.registry.scenario import Scenario
from exportctl.registry.strict_yaml import LoadedFile, load_yaml, validate_loaded

HERE = Path(__file__).parent


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)  # an unknown (misspelt) key fails


class Source(_Strict):
    """Where the expected answer comes from: never invented; `checked` is the day it was read."""

    title: str
    url: str
    checked: dt.date | None = None

    @field_validator("url")
    @classmethod
    def _http(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError(f"a source url starts with http(s)://, got {value!r}")
        return value


class Given(_Strict):
    """What every input may state besides its own fields."""

    known_on: dt.date | None = None
    scenario: Scenario | None = None


# ---- determinations: ops.check.check_table on the bundled data pack


class DeterminationInput(Given):
    """One transaction; `to` is the destination, `date` the as-of day."""

    to: str
    date: dt.date
    eccn: str | None = None
    product: str | None = None
    exporting_country: str = "US"
    end_use: str | None = None
    value: float | None = None
    parties: list[str] = []


class DeterminationExpect(_Strict):
    """What the answer must say (all optional but `verdict`)."""

    verdict: str
    codes: list[str] = []
    codes_absent: list[str] = []
    columns: list[str] = []
    measures: list[str] = []
    exception: str | None = None
    exception_not: str | None = None
    conditional: bool = False
    text_contains: list[str] = []
    checks_contain: list[str] = []
    review_policy_contains: str | None = None


# ---- tariffs: ops.tariff.lookup


class TariffInput(Given):
    """Any `ops.tariff.lookup` keyword."""

    hts: str
    origin: str
    date: dt.date
    destination: str | None = None
    value: float | None = None
    quantity: float | None = None
    unit: str | None = None
    special_program: str | None = None
    mode: str | None = None
    steel_content: float | None = None
    aluminum_content: float | None = None
    copper_content: float | None = None


class Component(_Strict):
    """A layer of the stack: program and heading match; the other keys must equal the layer's."""

    program: str
    heading: str | None = None
    rate_pct: float | None = None
    basis: str | None = None
    applied_pct: float | None = None
    basis_share: float | None = None
    amount_usd: float | None = None


class Excluded(_Strict):
    """A layer the answer lists as excluded, and by what."""

    program: str
    excluded_by: str | None = None


class Fee(_Strict):
    """A fee of duty.fees (matched by `fee`)."""

    fee: str
    amount_usd: float | None = None


class Advisory(_Strict):
    """An advisory shown with the answer (every key given must match)."""

    measure: str | None = None
    kind: str | None = None
    program: str | None = None


class TariffExpect(_Strict):
    """Components present (and absent), totals, fees, advisories, dotted `fields`, or an input error."""

    components: list[Component] = []
    absent: list[Component] = []
    total_ad_valorem_pct: float | None = None
    error_field: str | None = None
    exact: bool = False
    excluded: list[Excluded] = []
    fees: list[Fee] = []
    fields: dict[str, Any] = {}
    advisories: list[Advisory] = []
    no_advisories: list[Advisory] = []


# ---- registry: registry.compile_regime


class RegistryInput(Given):
    """The effect (`measure#effect`) and the day."""

    ref: str
    date: dt.date


class RegistryExpect(_Strict):
    """The effect's state on the day (and, when given, its form: exact values)."""

    active: bool
    suspended: bool | None = None
    review_policy: str | None = None
    license_requirement: str | None = None
    verdict: str | None = None
    provenance: list[str] | None = None  # the measure and every action that shaped the effect, in order


# ---- snapshot_tables: the dated Country Groups and Chart marks (day before, of and after `change`)


class SnapshotInput(_Strict):
    """A country's group (or Chart mark) and the day it changed."""

    table: Literal["country_groups", "country_chart"]
    country: str
    value: str
    change: dt.date


class SnapshotExpect(_Strict):
    """Whether the country was in the group the day before (the day of and after: the opposite)."""

    member_before: bool


# ---- claims: the fact a report's claim (src/exportctl/data/claims) rests on

ClaimCheck = Literal[
    "tariff_total", "cn_tariff_total", "tariff_component", "cn_rare_earths_controlled", "cn_item_controlled",
    "verdict",
]  # fmt: skip


class ClaimInput(Given):
    """What to evaluate: a US duty total or one program's share, China's total on US goods, how many rare
    earths China controls, whether China controls a product, or a determination's verdict."""

    check: ClaimCheck
    date: dt.date
    hts: str | None = None
    origin: str | None = None
    program: str | None = None
    product: str | None = None
    eccn: str | None = None
    destination: str | None = None
    party: str | None = None


class ClaimExpect(_Strict):
    """The value the official record gives."""

    value: float | bool | str


class Case(_Strict):
    """A golden case: its id, source, input and expected answer (typed per kind)."""

    id: str
    source: Source
    note: str | None = None


class DeterminationCase(Case):
    """A golden determination."""

    input: DeterminationInput
    expect: DeterminationExpect


class TariffCase(Case):
    """A golden duty stack."""

    input: TariffInput
    expect: TariffExpect


class RegistryCase(Case):
    """A golden registry state."""

    input: RegistryInput
    expect: RegistryExpect


class SnapshotCase(Case):
    """A golden snapshot-table change."""

    input: SnapshotInput
    expect: SnapshotExpect


class ClaimCase(Case):
    """A golden of a report's claim: `claim` names it (its id in the bundled claims)."""

    claim: str
    input: ClaimInput
    expect: ClaimExpect


KINDS: dict[str, type[Case]] = {
    "determinations": DeterminationCase,
    "tariffs": TariffCase,
    "registry": RegistryCase,
    "snapshot_tables": SnapshotCase,
    "claims": ClaimCase,
}


def load_file(path: Path, model: type[Case]) -> list[Any]:
    """The cases of one file, validated strictly; a bad one raises RegistryError naming file and line."""
    loaded = load_yaml(path)
    if not isinstance(loaded.data, list):
        raise RegistryError("a golden file is a YAML list of cases", file=str(path), line=1)
    return [
        validate_loaded(model, LoadedFile(path, item, node), path)
        for item, node in zip(loaded.data, loaded.node.value, strict=True)
    ]


def load_kind(kind: str, root: Path = HERE) -> list[Any]:
    """Every case of a kind's folder, in file order."""
    return [case for f in sorted((root / kind).glob("*.yaml")) for case in load_file(f, KINDS[kind])]

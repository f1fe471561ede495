"""Golden states of registry effects in YAML: an effect reference, a date (and optionally `known_on`), its
source, and whether the effect is in force then, compiled from the bundled registry (no data pack needed).

A case file is a list of cases:

    - id: us-ear-2019-05-huawei-entity-list--huawei-el--2019-05-16
      source: {title: "84 FR 22961 (Huawei Entity List)", url: "https://www.federalregister.gov/d/2019-10616"}
      input: {ref: "us-ear-2019-05-huawei-entity-list#huawei-el", date: 2019-05-16, known_on: 2019-05-16}
      expect: {active: true}          # or suspended: true; review_policy: "..." (exact)
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from exportctl.registry import Registry, compile_regime, load_registry

HERE = Path(__file__).parent


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")  # an unknown (misspelt) key fails, as in the registry loader


class Source(_Strict):
    """Where the expected state comes from."""

    title: str
    url: str


class Input(_Strict):
    """The effect (`measure#effect`), the day, and what was public then."""

    ref: str
    date: dt.date
    known_on: dt.date | None = None


class Expect(_Strict):
    """The effect's state on the day."""

    active: bool
    suspended: bool | None = None
    review_policy: str | None = None


class Case(_Strict):
    """A golden registry state."""

    id: str
    source: Source
    input: Input
    expect: Expect


def load_cases(folder: Path) -> list[Case]:
    """Every case of the folder's YAML files, validated strictly: a bad one fails naming file and line."""
    out: list[Case] = []
    for f in sorted(folder.glob("*.yaml")):
        text = f.read_text()
        node = yaml.compose(text)
        for raw, item in zip(yaml.safe_load(text) or [], node.value if node else [], strict=True):
            try:
                out.append(Case.model_validate(raw))
            except ValidationError as err:
                raise AssertionError(f"{f.name}:{item.start_mark.line + 1}: {err}") from err
    return out


CASES = load_cases(HERE)


@pytest.fixture(scope="module")
def reg() -> Registry:
    """The bundled registry, loaded once."""
    return load_registry()


def test_cases_are_sourced_and_unique() -> None:
    assert len(CASES) >= 124  # the 62 day-before/day-of pairs of the former EDGES table
    assert len({c.id for c in CASES}) == len(CASES)
    for c in CASES:
        assert c.source.title and c.source.url.startswith("http"), c.id


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_golden_registry_state(reg: Registry, case: Case) -> None:
    i, exp = case.input, case.expect
    regime = compile_regime(reg, i.date, known_on=i.known_on)
    found: dict[str, Any] = {a.ref: a for a in regime.effects()}
    suspended = {a.ref for a in regime.suspended()}
    assert (i.ref in found) is exp.active, f"{i.ref} on {i.date}"
    if exp.suspended is not None:
        assert (i.ref in suspended) is exp.suspended, f"{i.ref} on {i.date}"
    if exp.review_policy is not None:
        assert found[i.ref].effect.review_policy == exp.review_policy
